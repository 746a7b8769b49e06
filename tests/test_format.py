"""Display conventions (analysis/format.py): one home for percentages, evidence, titles, theme
names, colours, gauge zones, scores, dates and article labels."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis.format import (
    EVIDENCE_MARK_FILLS,
    GAUGE_ZONE_FILLS,
    LABEL_COLORS,
    MISSING,
    MISSING_TEXT,
    NEV_COLORSCALE,
    NEV_ZONE_NEGATIVE,
    NEV_ZONE_POSITIVE,
    count_share,
    display_source,
    display_title,
    evidence_string,
    label_color,
    label_text_color,
    measure_percent,
    nev_percent,
    nev_zone,
    percent_points,
    share_percent,
    theme_name,
    zone_bound,
)
from analysis.records import LABELS, Evidence, SentimentSummary, ThemeScore

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
CST = timezone(timedelta(hours=8))


# -- percentages ----------------------------------------------------------------------------------------
def test_nev_is_signed_and_shares_are_not() -> None:
    assert nev_percent(-2 / 3) == "-66.7%"
    assert nev_percent(0.123) == "+12.3%"
    assert nev_percent(0.0) == "+0.0%"
    assert nev_percent(-0.96, digits=0) == "-96%"
    assert share_percent(0.456) == "45.6%"
    assert share_percent(0.04, digits=0) == "4%"
    assert count_share(1, 12) == "8.3%"


def test_missing_values_show_the_placeholder_of_their_context() -> None:
    assert MISSING == "—" and MISSING_TEXT == "n/a"
    assert nev_percent(None) == "—" and share_percent(None) == "—"
    assert nev_percent(None, missing=MISSING_TEXT) == "n/a"
    assert count_share(3, 0) == "—" and count_share(3, 0, missing=MISSING_TEXT) == "n/a"


def test_measures_by_key_and_chart_points() -> None:
    assert measure_percent("negative_share", 0.96) == "96.0%"
    assert measure_percent("nev", -0.96) == "-96.0%"
    assert measure_percent("nev_polar", None, missing=MISSING_TEXT) == "n/a"
    assert percent_points(-2 / 3) == -66.7
    assert percent_points(None) is None
    assert percent_points(0.12345, digits=2) == 12.35


# -- evidence -------------------------------------------------------------------------------------------
def test_evidence_string() -> None:
    evidence = [Evidence("trust", 0.42), Evidence("崩塌", -0.1)]
    assert evidence_string(evidence) == "trust(+0.42); 崩塌(-0.10)"
    assert evidence_string(evidence, ", ") == "trust(+0.42), 崩塌(-0.10)"
    assert evidence_string([]) == ""


# -- titles, sources, theme names ------------------------------------------------------------------------
def test_display_title_falls_back_to_file_name_then_placeholder_then_id() -> None:
    record = SimpleNamespace(id=7, title="小米汽车", filename="a.txt")
    assert display_title(record) == "小米汽车"
    assert display_title(SimpleNamespace(id=7, title=None, filename="a.txt")) == "a.txt"
    assert display_title(SimpleNamespace(id=7, title="", filename=None)) == "#7"
    assert (
        display_title(SimpleNamespace(id=7, title=None, filename=None), fallback="(untitled)") == "(untitled)"
    )
    assert display_title({"id": 3, "title": None}) == "#3"
    # A document has neither file name nor id.
    assert display_title(SimpleNamespace(title=None), fallback="(untitled)") == "(untitled)"
    assert display_title(SimpleNamespace(title=None)) == ""


def test_display_source_shows_the_chinese_name_beside_pinyin() -> None:
    doc = SimpleNamespace(source="Xin Lang Cai Jing", source_alias="新浪财经")
    assert display_source(doc) == "Xin Lang Cai Jing (新浪财经)"
    assert display_source(SimpleNamespace(source="新浪财经", source_alias="新浪财经")) == "新浪财经"
    assert display_source(SimpleNamespace(source="Reuters", source_alias=None)) == "Reuters"
    assert display_source(SimpleNamespace(source=None, source_alias=None)) == "—"
    assert display_source(SimpleNamespace(source=None, source_alias=None), missing="unknown") == "unknown"


def test_theme_name_by_language() -> None:
    summary = SentimentSummary(n=0, positive=0, neutral=0, negative=0, nev=None, nev_polar=None)
    theme = ThemeScore(
        id="safety", name_en="Safety", name_zh="安全", sentiment=summary, sentence_positions=(), terms=()
    )
    assert theme_name(theme, "zh") == "安全" and theme_name(theme, "en") == "Safety"
    assert theme_name({"id": "x", "name_en": "X", "name_zh": ""}, "zh") == "x"
    assert theme_name({"id": "x", "name_en": "X", "name_zh": "叉"}, "en") == "X"


# -- colours and zones -----------------------------------------------------------------------------------
def test_one_palette_for_labels() -> None:
    assert set(LABEL_COLORS) == {*LABELS, "unscored"}
    assert label_color(None) == LABEL_COLORS["unscored"]
    assert label_color("negative") == LABEL_COLORS["negative"]
    assert NEV_COLORSCALE[0][1] == LABEL_COLORS["negative"]
    assert NEV_COLORSCALE[-1][1] == LABEL_COLORS["positive"]
    assert label_text_color("negative") == "#ffffff" and label_text_color(None) != "#ffffff"


def test_label_colors_and_zones_are_not_copied_elsewhere() -> None:
    """The palette's hex values and tints (and the old corpus / badge copies) appear only in
    format.py."""
    hexes = {*LABEL_COLORS.values(), *GAUGE_ZONE_FILLS.values(), *EVIDENCE_MARK_FILLS.values()}
    hexes |= {"#2e7d32", "#c62828", "#7a7a7a", "#b0b0b0"}
    files = [
        *ROOT.joinpath("analysis").rglob("*.py"),
        *ROOT.joinpath("pages").rglob("*.py"),
        ROOT / "dashboard.py",
    ]
    for path in files:
        if path.name == "format.py" and path.parent.name == "analysis":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [h for h in hexes if h in text.lower()], path
        assert not re.search(r"NEV_ZONE_\w+\s*=", text), path


@pytest.mark.parametrize(
    ("nev", "zone"),
    [
        (-1.0, "negative"),
        (-0.2, "negative"),
        (-0.19, "neutral"),
        (0.19, "neutral"),
        (0.2, "positive"),
        (None, None),
    ],
)
def test_nev_zone(nev: float | None, zone: str | None) -> None:
    assert nev_zone(nev) == zone


def test_zone_bounds_as_prose_writes_them() -> None:
    assert (NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE) == (-20.0, 20.0)
    assert zone_bound(NEV_ZONE_NEGATIVE) == "\u221220" and zone_bound(NEV_ZONE_POSITIVE) == "+20"


def test_nev_decimal_is_the_posts_scale() -> None:
    import pandas as pd

    from analysis.format import nev_decimal

    assert [nev_decimal(0.0091), nev_decimal(-0.5), nev_decimal(0.0)] == ["+0.009", "-0.500", "+0.000"]
    assert nev_decimal(None) == nev_decimal(float("nan")) == nev_decimal(pd.NA) == "—"
    assert nev_decimal(None, missing="n/a") == "n/a"


def test_scores_dates_and_article_labels_have_one_format_each() -> None:
    from analysis.format import article_label, date_text, minute_text, score_text

    assert (score_text(0.4234), score_text(-0.1), score_text(None)) == ("+0.42", "-0.10", MISSING)
    when = datetime(2025, 10, 27, 20, 11, tzinfo=timezone(timedelta(hours=8)))
    assert (date_text(when), minute_text(when), date_text(None)) == (
        "2025-10-27",
        "2025-10-27 20:11",
        MISSING,
    )
    record = SimpleNamespace(id=3, title="小米汽车陷入困境,问题出在哪?" * 3, filename=None, published_at=when)
    label = article_label(record)
    assert label.startswith("#3 · 小米汽车") and label.endswith("… · 2025-10-27") and len(label) < 60
    assert "…" not in article_label(record, max_chars=None)
    untitled = SimpleNamespace(id=4, title=None, filename="a.txt", published_at=None)
    assert article_label(untitled) == "#4 · a.txt · —"
