"""UI strings in Chinese and English.

Strings live in JSON files under analysis/data/i18n/ (one per area of the app, e.g. `common.json`,
`library.json`), each mapping a key to {"zh": ..., "en": ...}. Keys are unique across files.

Formulas and thresholds are never copied into a string: it names them as placeholders, which `t()`
fills from the constants that define them (`DEFAULT_FIELDS`): `{nev_formula}` and
`{nev_polar_formula}` (analysis.metrics), `{zone_negative}` and `{zone_positive}` (the gauge zones,
analysis.format).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Literal

from analysis.format import NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE, prose_minus, zone_bound
from analysis.lazy import once
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA

UiLang = Literal["zh", "en"]
UI_LANGS: tuple[UiLang, ...] = ("zh", "en")

# Filled into every string that names them (as prose writes them: `(P − N)`); a caller's field of
# the same name wins.
DEFAULT_FIELDS: dict[str, str] = {
    "nev_formula": prose_minus(NEV_FORMULA),
    "nev_polar_formula": prose_minus(NEV_POLAR_FORMULA),
    "zone_negative": zone_bound(NEV_ZONE_NEGATIVE),
    "zone_positive": zone_bound(NEV_ZONE_POSITIVE),
}


@once
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


def t(key: str, lang: UiLang | str = "zh", **fields: object) -> str:
    """The string for `key` in `lang`, formatted with `fields` (and `DEFAULT_FIELDS`). A missing key
    raises KeyError so tests catch it; a missing translation falls back to the other language."""
    entry = catalog()[key]
    text = entry.get(lang) or entry.get("en") or entry.get("zh") or key
    if "{" not in text:
        return text
    if not fields:
        # Asked for without fields, a string comes back as written (other placeholders intact),
        # with only the constants it names filled in.
        for name, value in DEFAULT_FIELDS.items():
            text = text.replace("{" + name + "}", value)
        return text
    return text.format(**{**DEFAULT_FIELDS, **fields})
