"""Prompt templates live in prompts/ as text files with $placeholders (string.Template).

Values are substituted once and never re-parsed, so passage text with '{', '$' or quotes is safe.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from .config import ROOT

# Installed from a wheel, the templates ship as assistant/prompts/; in a checkout they are prompts/.
_INSTALLED = Path(__file__).resolve().parent / "prompts"
PROMPTS_DIR = _INSTALLED if _INSTALLED.is_dir() else ROOT / "prompts"


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    return Template((PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8"))


def render(template: str, **values) -> str:
    return _template(template).safe_substitute({k: str(v) for k, v in values.items()}).strip()
