"""Uploaded documents: only files this user uploaded (access.checked_upload), under a name that stays
inside the corpus folder, written there whole (a hidden temporary file first, then renamed)."""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

from .. import SUPPORTED, BadFileName, UploadRefused, message
from .access import checked_upload


def safe_filename(name: str) -> str:
    """A file name that stays inside the corpus folder: no folders, no '..', no hidden or reserved names."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r'[<>:"|?*]', "_", name)
    while ".." in name:
        name = name.replace("..", ".")
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        raise BadFileName("no name or no file type")
    if f".{suffix.lower()}" not in SUPPORTED:
        raise BadFileName("use PDF, PPTX, DOCX, MD or TXT")
    if name.lower() == "readme.md":
        raise BadFileName("README.md is reserved for the folder's own notes")
    while len(name.encode("utf-8")) > 180:
        stem = stem[:-1]
        name = f"{stem}.{suffix}"
    return name


def shown_name(given) -> str:
    """The name the user knows the file by (Gradio's FileData keeps the original as orig_name)."""
    return Path(str(getattr(given, "orig_name", None) or getattr(given, "name", None) or given)).name


def save_uploads(files, corpus_dir: Path, lang: str) -> tuple[list[str], list[str]]:
    """Copy the uploaded files into the corpus folder: (names saved, problems in `lang`)."""
    problems, saved = [], []
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for given in files:
        shown = shown_name(given)
        try:
            # Only a file this user uploaded: a client may name any path of the server instead.
            path = checked_upload(given)
            name = safe_filename(path.name)
        except UploadRefused as exc:
            problems.append(message("web_upload_refused", lang, name=shown, reason=exc))
            continue
        except BadFileName as exc:
            problems.append(message("web_upload_bad_name", lang, name=path.name, reason=exc))
            continue
        temporary = corpus_dir / f".upload-{uuid.uuid4().hex}"  # hidden: never indexed half-written
        try:
            shutil.copyfile(path, temporary)
            os.replace(temporary, corpus_dir / name)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            problems.append(f"{name}: {exc.strerror or exc}")
            continue
        saved.append(name)
    return saved, problems
