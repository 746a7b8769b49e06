"""Chart builders: pure functions of the data model, asserted on the figures they return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from analysis.charts import (
    compare_nev_bars,
    compare_shares,
    compare_themes,
    emotional_arc,
    group_names,
    group_nev_bars,
    highlight_evidence,
    keyword_bars,
    label_shares,
    library_timeline,
    nev_gauge,
    rolling_mean,
    share_strip,
    theme_group_matrix,
    theme_treemap,
)
from analysis.format import LABEL_COLORS, NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE, nev_zone
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summarize_counts
from analysis.records import Evidence
from tests.dashboard_fixtures import make_analysis


@pytest.fixture(scope="module")
def analysis():
    return make_analysis()


def test_gauge_marks_the_value_and_does_not_fill_from_the_minimum() -> None:
    summary = summarize_counts(positive=1, neutral=1, negative=23)  # nev = -0.88
    fig = nev_gauge(summary, "en")
    ind = fig.data[0]
    assert ind.value == pytest.approx(-88.0)
    assert tuple(ind.gauge.axis.range) == (-100, 100)
    assert ind.gauge.threshold.value == pytest.approx(-88.0)
    # The bar that would fill from -100 is invisible.
    assert ind.gauge.bar.thickness == 0
    zones = [tuple(step.range) for step in ind.gauge.steps]
    assert zones == [
        (-100, NEV_ZONE_NEGATIVE),
        (NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE),
        (NEV_ZONE_POSITIVE, 100),
    ]
    assert fig.layout.meta["formula"] == NEV_FORMULA
    assert fig.layout.meta["counts"] == {"P": 1, "U": 1, "N": 23}
    assert fig.layout.meta["zone"] == "negative"


def test_gauge_polar_and_empty() -> None:
    summary = summarize_counts(positive=3, neutral=4, negative=1)
    polar = nev_gauge(summary, "zh", polar=True)
    assert polar.data[0].value == pytest.approx(50.0)
    assert polar.layout.meta["formula"] == NEV_POLAR_FORMULA
    empty = nev_gauge(summarize_counts(0, 0, 0), "en")
    assert empty.data[0].value is None
    assert "No scored sentences" in empty.layout.annotations[0].text


@pytest.mark.parametrize(
    ("nev", "zone"),
    [(-1.0, "negative"), (-0.2, "negative"), (-0.19, "neutral"), (0.2, "positive"), (None, None)],
)
def test_nev_zone_cut_offs(nev: float | None, zone: str | None) -> None:
    assert nev_zone(nev) == zone


def test_label_shares_counts_and_language(analysis) -> None:
    fig = label_shares(analysis.sentiment, "en")
    pie = fig.data[0]
    assert list(pie.labels) == ["Positive", "Neutral", "Negative"]
    assert list(pie.values) == [1, 1, 3]
    assert list(pie.marker.colors) == [
        LABEL_COLORS["positive"],
        LABEL_COLORS["neutral"],
        LABEL_COLORS["negative"],
    ]
    assert list(label_shares(analysis.sentiment, "zh").data[0].labels) == ["正面", "中性", "负面"]


def test_group_bars_values_hover_and_escaped_titles(analysis) -> None:
    fig = group_nev_bars(analysis, "en")
    bar = fig.data[0]
    assert list(bar.y) == ["Core viewpoint", "1. Trust and Public Sentiment", "2. Manufacturing Approach"]
    # core: N=1 -> -100; group 1: P1 N1 -> 0; group 2: U1 N1 (+1 unscored) -> -50
    assert list(bar.x) == [-100.0, 0.0, -50.0]
    assert "P=0" in bar.customdata[2] and "U=1" in bar.customdata[2] and "N=1" in bar.customdata[2]
    assert NEV_FORMULA in bar.customdata[2] and NEV_POLAR_FORMULA in bar.customdata[2]
    assert list(bar.marker.color) == [
        LABEL_COLORS["negative"],
        LABEL_COLORS["neutral"],
        LABEL_COLORS["negative"],
    ]


def test_group_names_escape_titles(analysis) -> None:
    from dataclasses import replace

    doc = analysis.document
    evil = replace(doc, groups=(replace(doc.groups[0], title="<b onmouseover=x>Bad</b>"), doc.groups[1]))
    names = group_names(replace(analysis, document=evil), "en")
    assert names[1] == "1. &lt;b onmouseover=x&gt;Bad&lt;/b&gt;"
    assert group_names(replace(analysis, document=evil), "en", escape=False)[1].startswith("1. <b")


def test_rolling_mean_skips_unscored() -> None:
    assert rolling_mean([1.0, None, 0.0, -1.0], 2) == [1.0, 1.0, 0.0, -0.5]
    assert rolling_mean([None, None], 3) == [None, None]


def test_emotional_arc_points_mean_and_group_spans(analysis) -> None:
    fig = emotional_arc(analysis, "en", window=2)
    by_name = {tr.name: tr for tr in fig.data}
    assert list(by_name["Negative"].x) == [0, 1, 4]
    assert list(by_name["Positive"].y) == [0.7]
    mean = by_name["Rolling mean (2 sentences)"]
    assert list(mean.x) == [0, 1, 2, 3, 4, 5]
    assert mean.y[1] == pytest.approx(-0.7)
    assert mean.y[5] == pytest.approx(-0.5)  # the unscored sentence does not pull the mean to 0
    # One shaded span per group, from its first to its last sentence.
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(r.x0, r.x1) for r in rects] == [(0.5, 2.5), (2.5, 5.5)]
    assert fig.layout.annotations[1].text == "2. Manufacturing…"
    # Article text in hover labels is escaped.
    assert any("&lt;script&gt;" in row[1] for row in by_name["Negative"].customdata)


def test_keyword_bars(analysis) -> None:
    fig = keyword_bars(analysis, "en", top=2)
    assert list(fig.data[0].y) == ["Xiaomi", "safety"]
    assert list(fig.data[0].x) == [1.0, 0.6]


def test_theme_treemap_fixed_scale_and_parents(analysis) -> None:
    taxonomy = [
        {"id": "trust", "name_en": "Trust", "name_zh": "信任", "parent": None},
        {"id": "quality", "name_en": "Quality", "name_zh": "质量", "parent": None},
        {"id": "manufacturing", "name_en": "Manufacturing", "name_zh": "制造", "parent": "quality"},
        {"id": "safety", "name_en": "Safety", "name_zh": "安全", "parent": "quality"},
    ]
    fig = theme_treemap(analysis, "zh", taxonomy=taxonomy)
    tm = fig.data[0]
    parents = dict(zip(tm.ids, tm.parents, strict=True))
    assert parents["manufacturing"] == "quality" and parents["safety"] == "quality"
    assert parents["trust"] == "__article__" and parents["quality"] == "__article__"
    labels = dict(zip(tm.ids, tm.labels, strict=True))
    assert labels["quality"] == "质量" and labels["trust"] == "信任"
    values = dict(zip(tm.ids, tm.values, strict=True))
    assert values["trust"] == 2 and values["manufacturing"] == 2
    colors = dict(zip(tm.ids, tm.marker.colors, strict=True))
    assert colors["brand"] == pytest.approx(1.0)
    # quality = sentences 3 (neutral) and 4 (negative): nev -0.5
    assert colors["quality"] == pytest.approx(-0.5)
    assert (tm.marker.cmin, tm.marker.cmax) == (-1, 1)


def test_theme_group_matrix_cells(analysis) -> None:
    fig = theme_group_matrix(analysis, "en")
    hm = fig.data[0]
    assert list(hm.x) == ["Core viewpoint", "1. Trust and Publ…", "2. Manufacturing…"]
    assert hm.customdata[0][1].startswith("1. Trust and Public Sentiment<br>")
    rows = dict(zip(hm.y, hm.z, strict=True))
    assert list(rows["Trust"]) == [-1.0, -1.0, None]
    assert list(rows["Manufacturing"]) == [None, None, -0.5]
    texts = dict(zip(hm.y, hm.text, strict=True))
    assert list(texts["Manufacturing"]) == ["", "", "2"]
    assert (hm.zmin, hm.zmax) == (-1, 1)


def test_library_timeline_sorts_dated_and_drops_undated() -> None:
    tz = timezone(timedelta(hours=8))
    records = [
        {"title": "later <i>", "published_at": datetime(2025, 11, 1, tzinfo=tz), "n": 10, "positive": 5,
         "neutral": 3, "negative": 2, "nev": 0.3, "nev_polar": 3 / 7},
        {"title": "undated", "published_at": None, "n": 4, "positive": 0, "neutral": 0, "negative": 4,
         "nev": -1.0, "nev_polar": -1.0},
        {"title": "earlier", "published_at": datetime(2025, 10, 27, tzinfo=UTC), "n": 25, "positive": 0,
         "neutral": 1, "negative": 24, "nev": -0.96, "nev_polar": -1.0},
    ]  # fmt: skip
    fig = library_timeline(records, "en")
    sc = fig.data[0]
    assert list(sc.y) == [-96.0, 30.0]
    assert sc.customdata[0][0] == "earlier"
    assert sc.customdata[1][0] == "later &lt;i&gt;"
    assert "N=24" in sc.customdata[0][1] and "total 25" in sc.customdata[0][1]


def test_compare_charts(analysis) -> None:
    other = make_analysis(published_at=None)
    items = [("A <x>", analysis), ("B", other)]
    bars = compare_nev_bars(items, "en").data[0]
    assert list(bars.y) == ["A &lt;x&gt;", "B"]
    assert list(bars.x) == [-40.0, -40.0]
    shares = compare_shares(items, "en")
    assert [tr.name for tr in shares.data] == ["Positive", "Neutral", "Negative"]
    assert list(shares.data[2].x) == [60.0, 60.0]
    themes = compare_themes(items, "zh").data[0]
    assert list(themes.y) == ["信任", "品牌", "制造", "安全"]


def test_share_strip(analysis) -> None:
    fig = share_strip(analysis.sentiment, "en")
    assert [tr.x[0] for tr in fig.data] == [20.0, 20.0, 60.0]


def test_highlight_escapes_everything_and_marks_terms() -> None:
    text = "<script>alert('x')</script> is bad & unsafe, not a badge."
    out = highlight_evidence(
        text, (Evidence("bad", -0.5), Evidence("unsafe", -0.3), Evidence("<script>", 0.1))
    )
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "alert(&#x27;x&#x27;)" in out
    assert out.count("<mark") == 3
    assert ">bad</mark>" in out and ">unsafe</mark>" in out
    assert "badge" in out and ">badge<" not in out  # whole words only for English terms
    # Only <mark> and the escaped text: strip the marks and the rest is exactly the escaped input.
    import html
    import re

    plain = re.sub(r"<mark[^>]*>|</mark>", "", out)
    assert plain == html.escape(text)


def test_highlight_chinese_and_ampersand_terms() -> None:
    out = highlight_evidence("小米的口碑很好,R&D 投入不足", (Evidence("很好", 0.6), Evidence("R&D", -0.1)))
    assert ">很好</mark>" in out
    assert ">R&amp;D</mark>" in out
    assert highlight_evidence("plain", ()) == "plain"
