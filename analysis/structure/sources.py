"""Source names: the outlet aliases and known sources of analysis/data/sources.json, and matching them."""

from __future__ import annotations

import json
import re
from pathlib import Path

_DATA = Path(__file__).resolve().parents[1] / "data"  # shipped as package data (pyproject.toml)
_SOURCES = json.loads((_DATA / "sources.json").read_text(encoding="utf-8"))

# Pinyin names of Chinese outlets (as they appear in machine-translated digests) → Chinese.
SOURCE_ALIASES: dict[str, str] = dict(_SOURCES["aliases"])


def _alias_key(name: str) -> str:
    return re.sub(r"[\s\-_·.]+", "", name).lower()


_ALIAS_BY_KEY = {_alias_key(k): v for k, v in SOURCE_ALIASES.items()}
_KNOWN_SOURCES = sorted(
    {*SOURCE_ALIASES, *SOURCE_ALIASES.values(), *_SOURCES["known"]},
    key=len,
    reverse=True,
)
_KNOWN_SOURCE_KEYS = frozenset(_alias_key(n) for n in _KNOWN_SOURCES)


def _source_alias(source: str | None) -> str | None:
    if not source:
        return None
    return _ALIAS_BY_KEY.get(_alias_key(source))
