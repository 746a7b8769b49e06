"""UI strings in Chinese and English.

Strings live in JSON files under analysis/data/i18n/ (one per area of the app, e.g. `common.json`,
`library.json`), each mapping a key to {"zh": ..., "en": ...}. Keys are unique across files.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

UiLang = Literal["zh", "en"]
UI_LANGS: tuple[UiLang, ...] = ("zh", "en")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All strings, merged from every file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("analysis") / "data" / "i18n"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key, value in data.items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} defined twice (again in {entry.name})")
            merged[key] = value
    return merged


def t(key: str, lang: UiLang = "zh", **fields: object) -> str:
    """The string for `key` in `lang`, formatted with `fields`. A missing key raises KeyError so
    tests catch it; a missing translation falls back to the other language."""
    entry = catalog()[key]
    text = entry.get(lang) or entry.get("en") or entry.get("zh") or key
    return text.format(**fields) if fields else text
