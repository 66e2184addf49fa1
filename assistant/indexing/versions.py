"""The embedded index on disk: versions of the Chroma store and the CURRENT pointer to the live one.

An update is written into a private copy of the live Chroma folder and published by atomically
switching the CURRENT pointer. Measured: a process killed while Chroma rewrites its HNSW files
(every ~1,000 added vectors) leaves the store unopenable for good ("Failed to apply logs to the hnsw
segment writer"), and a process that keeps the store open does not see another process's writes
("Error finding id"). A writer that never touches the live folder fixes both: a kill at any point
leaves the previous version answering, and readers switch to a new version at their next question.
A read-only index is read through a private copy (Chroma writes to its SQLite file even to read).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError

_VERSION_NAME = re.compile(r"^v-\d{8}-\d{6}-[0-9a-f-]{4,40}$")  # names sort by creation time
_CHROMA_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SQLITE = "chroma.sqlite3"


class IndexVersions:
    """The embedded index folder: versions `v-…/` (each a complete Chroma store) and the file CURRENT
    naming the live one. A folder with chroma.sqlite3 at its top and no CURRENT is an index made
    before versions (it is the live version until the first update copies it)."""

    POINTER = "CURRENT"

    def __init__(self, root: Path):
        self.root = Path(root)

    def current(self) -> Path | None:
        """The live version; StoreError when CURRENT cannot be read (ingest rebuilds the index then)."""
        try:
            name = (self.root / self.POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            name = ""
        except UnicodeDecodeError:  # not written by publish(): a disk fault or a foreign tool
            raise StoreError(f"the index in {self.root} is damaged or unreadable ({self.POINTER} is not a version "
                             "name); run 'mdt-assistent ingest' to rebuild it") from None
        except OSError as error:
            raise StoreError(f"cannot read {self.root / self.POINTER} ({error.strerror or error})") from None
        if _VERSION_NAME.match(name) and (self.root / name / _SQLITE).is_file():
            return self.root / name
        if (self.root / _SQLITE).is_file():
            return self.root
        return None

    def create(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = time.time()
        version = self.root / (f"v-{time.strftime('%Y%m%d-%H%M%S', time.localtime(stamp))}"
                               f"-{int(stamp % 1 * 1e6):06d}-{secrets.token_hex(2)}")
        version.mkdir()
        return version

    def copy(self, source: Path | None, target: Path) -> None:
        """A consistent copy of a Chroma store: SQLite through its backup API (a reader may be in a
        transaction), the vector segment folders as files (only a writer rewrites those, and writers
        never work in a published version)."""
        if source is None:
            return
        with sqlite3.connect(f"file:{quote(str(source / _SQLITE))}?mode=ro", uri=True) as src, \
                sqlite3.connect(target / _SQLITE) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        for child in source.iterdir():
            if child.is_dir() and _CHROMA_DIR.match(child.name):
                shutil.copytree(child, target / child.name)

    def publish(self, version: Path) -> None:
        """Make `version` the live one: its files reach the disk first, then CURRENT switches in one rename."""
        for folder, _, names in os.walk(version):
            for name in names:
                _fsync(Path(folder) / name)
            _fsync(Path(folder))
        temporary = self.root / f".{self.POINTER}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(version.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / self.POINTER)
        _fsync(self.root)

    def tidy(self, live: Path | None) -> None:
        """Keep the live version and the one before it (readers may still have it open); delete the
        rest: older versions, and copies of updates that were interrupted (made after the live one)."""
        if live is None or not self.root.is_dir():
            return
        older = sorted(child.name for child in self.root.iterdir()
                       if child.is_dir() and _VERSION_NAME.match(child.name) and child.name < live.name)
        keep = {live, self.root / older[-1]} if older else {live}
        if live == self.root:  # the index from before versions: no version is live yet
            keep = {live}
        self.cleanup(keep | ({self.root} if (self.root / _SQLITE).exists() and not older else set()))

    def cleanup(self, keep) -> None:
        """Delete versions not in `keep` (the live one and the one it replaced, which readers may still
        have open): leftovers of interrupted updates and older versions."""
        keep = {Path(path).resolve() for path in keep if path is not None}
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.is_dir() and _VERSION_NAME.match(child.name) and child.resolve() not in keep:
                shutil.rmtree(child, ignore_errors=True)
        if self.root.resolve() not in keep and (self.root / _SQLITE).exists():
            for child in self.root.iterdir():
                if child.is_dir() and _CHROMA_DIR.match(child.name):
                    shutil.rmtree(child, ignore_errors=True)
                elif child.name.startswith(_SQLITE):
                    child.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)



def writable(path: Path) -> bool:
    """Whether this process may write the Chroma store in `path` (folder and SQLite file)."""
    return os.access(path, os.W_OK) and os.access(path / _SQLITE, os.W_OK)


def private_copy(versions: IndexVersions, path: Path):
    """A temporary copy of the Chroma store in `path` (deleted with the returned TemporaryDirectory)."""
    import tempfile

    folder = None
    try:
        folder = tempfile.TemporaryDirectory(prefix="mdt-index-")
        versions.copy(path, Path(folder.name))
    except (OSError, sqlite3.Error) as error:
        if folder is not None:
            folder.cleanup()
        raise StoreError(f"cannot read the read-only index in {path} ({error}); "
                         "check that this user may read it") from None
    return folder
