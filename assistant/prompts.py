"""Prompt templates live in prompts/ as text files with $placeholders (string.Template).

Values are substituted once and never re-parsed, so passage text with '{', '$' or quotes is safe.
"""
from __future__ import annotations

from functools import lru_cache
from string import Template

from .config import PROMPTS_DIR


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    return Template((PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8"))


def render(template: str, **values) -> str:
    return _template(template).safe_substitute({k: str(v) for k, v in values.items()}).strip()
