"""Every UI string the dashboard's own files ask for exists in Chinese and English."""

from __future__ import annotations

import re

import pytest

from analysis.i18n import catalog
from tests.dashboard_fixtures import ROOT

FILES = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").rglob("*.py")),  # pages and their glue
    "analysis/corpus/charts.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "analysis" / "charts").glob("*.py")),
]
# tr("key") / t("key", ...) with a literal key; keys built with f-strings are listed below.
LITERAL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_.]+)["'][,)]""")
BUILT = [
    *(
        f"nav.{x}"
        for x in ("overview", "viewpoints", "themes", "timeline", "posts", "library", "compare", "method")
    ),
    *(f"dash.download_{x}" for x in ("csv", "xlsx", "json")),
    *(f"label.{x}" for x in ("positive", "neutral", "negative", "unscored")),
    *(f"dash.model.{x}" for x in ("default", "snownlp", "vader")),
    *(f"ov.lang.{x}" for x in ("zh", "en", "mixed", "other")),
    *(f"ov.measure.{x}" for x in ("negative_share", "positive_share", "neutral_share", "nev", "nev_polar")),
    *(f"vp.sort.{x}" for x in ("order", "score_asc", "score_desc")),
]


def used_keys() -> set[str]:
    keys: set[str] = set(BUILT)
    for name in FILES:
        keys |= set(LITERAL.findall((ROOT / name).read_text(encoding="utf-8")))
    return keys


def test_scan_finds_the_keys() -> None:
    keys = used_keys()
    assert {"ov.small_sample", "chart.counts", "ov.nev_help", "vp.dominant_themes"} <= keys
    assert len(keys) > 120


@pytest.mark.parametrize("key", sorted(used_keys()))
def test_key_has_both_languages(key: str) -> None:
    entry = catalog().get(key)
    assert entry is not None, f"missing UI string {key!r}"
    assert entry.get("zh") and entry.get("en"), f"{key!r} needs zh and en"
    # Placeholders match, so neither language raises on .format().
    fields = {lang: set(re.findall(r"{(\w+)", entry[lang])) for lang in ("zh", "en")}
    assert fields["zh"] == fields["en"], (key, fields)
