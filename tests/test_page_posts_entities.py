"""Entities on the Posts page (pages/ui/posts_entities.py) through AppTest on the sample corpus, and the
CorpusAnalysis views under it: the top entities with their share of all entity mentions (with the
other entities' share it sums to 1 per period), a competitor set recomputes share of voice within
the set (1 per period) and keeps each entity's mentions and NEV."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.corpus.captions import entities_csv_frame
from analysis.corpus.ingest import ColumnMapping
from analysis.corpus.pipeline import CorpusOptions
from analysis.corpus.view import TOP_ENTITIES, CorpusAnalysis
from analysis.emotion.labels import emotion_name
from analysis.entities import EMOTION_COUNT_COLUMNS, EMOTION_POSTS_COLUMNS, POSTS_COLUMNS, default_table
from analysis.i18n import t
from analysis.records import EMOTIONS
from tests.dashboard_fixtures import open_posts_sample

LANG = "en"
SET = ["美国", "中国", "意大利"]


def _col(name: str) -> str:
    return t(f"posts.entities.col.{name}", LANG)


@pytest.fixture
def page(temp_library: str) -> AppTest:
    """The sample corpus on the Posts page (fast model): daily periods, no competitor set, bars
    showing share of voice."""
    return open_posts_sample(LANG)


def _tables(at: AppTest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(whole-corpus totals, per-period table) of the entity section."""
    entity = [d.value for d in at.dataframe if _col("entity") in d.value.columns]
    [totals] = [d for d in entity if _col("period") not in d.columns]
    [per_period] = [d for d in entity if _col("period") in d.columns]
    return totals, per_period


def _chart(at: AppTest, title_key: str) -> dict[str, Any]:
    from analysis.corpus.charts import MIN_ENTITY_MENTIONS

    title = t(title_key, LANG, n=MIN_ENTITY_MENTIONS)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    [spec] = [s for s in specs if s["layout"].get("title", {}).get("text") == title]
    return spec


def _stacked_sums(spec: dict[str, Any]) -> pd.Series:
    """Per period, the sum of the stacked bars (periods without any bar left out)."""
    frames = [pd.Series(trace["y"], index=trace["x"], dtype=float) for trace in spec["data"]]
    together = pd.concat(frames, axis=1)
    return together[together.notna().any(axis=1)].sum(axis=1)


def test_top_entities_with_share_of_voice_per_period(page: AppTest) -> None:
    at = page
    assert t("posts.entities.title", LANG) in [s.value for s in at.subheader]
    assert t("posts.entities.top_caption", LANG, n=TOP_ENTITIES) in [c.value for c in at.caption]
    picker = at.multiselect(key="posts_entities_set")
    assert picker.value == [] and len(picker.options) > TOP_ENTITIES
    totals, per_period = _tables(at)
    assert len(totals) == TOP_ENTITIES
    mentions = totals[_col("mentions")].tolist()
    assert mentions == sorted(mentions, reverse=True) and mentions[0] > 500  # 央视 on most posts
    names = {default_table().display(n, LANG) for n in ("央视", "武汉", "中国")}
    assert names <= set(totals[_col("entity")])  # in the UI language
    counts = totals[[_col(c) for c in ("positive", "neutral", "negative")]].sum(axis=1)
    assert (counts <= totals[_col("mentions")]).all()
    assert totals[_col("nev")].between(-1, 1).all()
    # The per-period table: only the top entities, each share a part of all entity mentions.
    assert set(per_period[_col("entity")]) == set(totals[_col("entity")])
    assert per_period[_col("period")].str.match(r"^2020-\d\d-\d\d$").all()
    by_period = per_period.groupby(_col("period"))[_col("share_of_voice")].sum()
    assert (by_period <= 1 + 1e-6).all() and (by_period < 1 - 1e-3).any()  # the rest is other entities
    # The stacked share chart: the top entities plus the other entities reach 1 in every period.
    share = _chart(at, "posts.chart.entity_share_title")
    assert [tr["name"] for tr in share["data"]][-1] == t("posts.chart.other_entities", LANG)
    assert len(share["data"]) == TOP_ENTITIES + 1
    assert _stacked_sums(share).to_numpy() == pytest.approx(1.0, abs=1e-9)
    nev = _chart(at, "posts.chart.entity_nev_title")
    assert len(nev["data"]) == TOP_ENTITIES
    assert all(v is None or -1 <= v <= 1 for trace in nev["data"] for v in trace["y"])


def test_competitor_set_recomputes_share_of_voice(page: AppTest) -> None:
    at = page
    _, top = _tables(at)
    at.multiselect(key="posts_entities_set").set_value(SET).run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("posts.entities.set_caption", LANG, n=len(SET)) in [c.value for c in at.caption]
    totals, per_period = _tables(at)
    shown = [default_table().display(n, LANG) for n in SET]
    assert set(totals[_col("entity")]) == set(shown) == set(per_period[_col("entity")])
    assert totals[_col("share_of_voice")].sum() == pytest.approx(1, abs=1e-3)
    by_period = per_period.groupby(_col("period"))[_col("share_of_voice")].sum()
    assert by_period.to_numpy() == pytest.approx(1, abs=1e-6)  # recomputed within the set
    # Mentions and NEV of an entity do not depend on the set; its share does.
    china = default_table().display("中国", LANG)
    keys = [_col("period"), _col("entity")]
    joined = per_period.merge(top, on=keys, suffixes=("", "_top"))
    assert (joined[_col("entity")] == china).any()
    assert (joined[_col("mentions")] == joined[_col("mentions") + "_top"]).all()
    assert joined[_col("nev")].equals(joined[_col("nev") + "_top"])
    assert (joined[_col("share_of_voice")] > joined[_col("share_of_voice") + "_top"]).all()
    share = _chart(at, "posts.chart.entity_share_title")
    assert [tr["name"] for tr in share["data"]] == shown  # no "other entities" within a set
    assert _stacked_sums(share).to_numpy() == pytest.approx(1.0, abs=1e-9)
    # Mentions instead of shares, then weekly periods: the set stays and still sums to 1.
    at.segmented_control(key="posts_entities_measure").set_value("mentions").run()
    mentions = _chart(at, "posts.chart.entity_mentions_title")
    assert sum(v or 0 for trace in mentions["data"] for v in trace["y"]) == per_period[_col("mentions")].sum()
    at.segmented_control(key="posts_freq").set_value("W").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="posts_entities_set").value == SET
    _, weekly = _tables(at)
    assert weekly.groupby(_col("period"))[_col("share_of_voice")].sum().to_numpy() == pytest.approx(
        1, abs=1e-6
    )
    assert weekly[_col("mentions")].sum() == per_period[_col("mentions")].sum()  # same posts, coarser periods
    # Clearing the set goes back to the top entities.
    at.multiselect(key="posts_entities_set").set_value([]).run()
    assert len(_tables(at)[0]) == TOP_ENTITIES


def test_long_table_shows_whole_periods(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import pages.ui.posts_entities

    monkeypatch.setattr(pages.ui.posts_entities, "TABLE_ROWS", 100)
    page.multiselect(key="posts_entities_set").set_value(SET).run()
    _, table = _tables(page)
    assert 90 <= len(table) <= 100  # cut before the period that would cross 100 rows
    assert table.groupby(_col("period"))[_col("share_of_voice")].sum().to_numpy() == pytest.approx(
        1, abs=1e-6
    )
    capped = re.escape(t("posts.entities.table_capped", LANG, shown=len(table), total=999_999))
    assert any(re.fullmatch(capped.replace("999999", r"\d+"), c.value) for c in page.caption)


def test_totals_show_each_entity_s_emotions(page: AppTest) -> None:
    """Issue 18: the whole-corpus table gives each entity's dominant emotion and its mix (the fast
    tier over the posts naming it), beside its sentiment; the per-period table the dominant one."""
    totals, per_period = _tables(page)
    emotion, mix = t("ent.col.emotion", LANG), t("ent.col.emotions", LANG)
    assert {emotion, mix} <= set(totals.columns) and emotion in per_period.columns
    names = {emotion_name(e, LANG) for e in EMOTIONS}
    assert set(totals[emotion]) <= (names - {"neutral"}) | {"—"}
    for text, mentions in zip(totals[mix], totals[_col("mentions")], strict=True):
        parts = [p.rsplit(" ", 1) for p in text.split(" · ")] if text != "—" else []
        assert all(name in names for name, _ in parts)
        assert sum(int(n) for _, n in parts) <= mentions
    assert t("ent.emotion_caption", LANG, unit=t("ent.emotion_unit.posts", LANG)) in [
        c.value for c in page.caption
    ]


def test_entity_views_count_emotions(monkeypatch: pytest.MonkeyPatch) -> None:
    """CorpusAnalysis's entity views with the fast tier (a stand-in here): counts add up to the
    mentions, totals sum the periods, the shown table names the dominant emotion in the UI language."""
    import analysis.emotion

    class Reader:
        def __init__(self, tier: str = "fast", **_: object) -> None:
            assert tier == "fast"

        def labels(self, texts: list[str], langs: list[str] | None = None) -> list[str | None]:
            return ["anger" if "降价" in t else "joy" for t in texts]

    monkeypatch.setattr(analysis.emotion, "EmotionReader", Reader)
    posts = pd.DataFrame(
        {
            "text": ["小米销量大涨", "特斯拉降价了", "小米和特斯拉都在降价", "今天天气不错"],
            "time": ["2025-10-01 09:00", "2025-10-01 10:00", "2025-10-02 11:00", "2025-10-02 12:00"],
        }
    )
    corpus = CorpusAnalysis.run(
        posts, CorpusOptions(ColumnMapping(text="text", time="time"), model="snownlp")
    )
    table = corpus.entities("D")
    assert tuple(table.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS
    assert (table[list(EMOTION_COUNT_COLUMNS)].sum(axis=1) == table["mentions"]).all()
    totals = corpus.entity_totals("D").set_index("entity")
    assert (totals.loc["小米", "emotion_joy"], totals.loc["小米", "emotion_anger"]) == (1, 1)
    assert totals.loc["特斯拉", "emotion"] == "anger"
    shown = corpus.entity_table("D", "zh")
    assert set(shown[t("ent.col.emotion", "zh")]) <= {"喜", "怒"}
    assert not set(EMOTION_COUNT_COLUMNS) & set(shown.columns)  # the counts stay in the download
    csv = pd.read_csv(io.BytesIO(corpus.entities_csv("D")), encoding="utf-8-sig")
    assert tuple(csv.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS


# -- the views under the page (a small corpus, the SnowNLP baseline) -----------------------------------


@pytest.fixture(scope="module")
def small() -> CorpusAnalysis:
    posts = pd.DataFrame(
        {
            "text": [
                "小米销量大涨，非常好",
                "特斯拉降价了",
                "小米和特斯拉都在降价",
                "华为发布新机",
                "今天天气不错",
                "Xiaomi is doing great",
            ],
            "time": [
                "2025-10-01 09:00",
                "2025-10-01 10:00",
                "2025-10-01 11:00",
                "2025-10-02 09:00",
                "2025-10-02 10:00",
                "2025-10-02 11:00",
            ],
        }
    )
    options = CorpusOptions(ColumnMapping(text="text", time="time"), model="snownlp")
    return CorpusAnalysis.run(posts, options)


def test_views_of_a_small_corpus(small: CorpusAnalysis) -> None:
    table = small.entities("D")
    assert tuple(table.columns)[: len(POSTS_COLUMNS)] == POSTS_COLUMNS
    day1 = table[table["period"] == pd.Timestamp("2025-10-01")].set_index("entity")
    assert day1["mentions"].to_dict() == {"小米": 2, "特斯拉": 2}
    assert day1["share_of_voice"].tolist() == [0.5, 0.5]
    assert small.top_entities("D")[0] == "小米"  # 3 posts (Xiaomi is 小米)
    assert small.entities("D") is table  # memoised
    view = small.entity_view("D", ["华为", "小米"])
    assert view.competitors and view.names == ("华为", "小米") and view.others.empty
    day2 = view.rows[view.rows["period"] == pd.Timestamp("2025-10-02")]
    assert sorted(day2["share_of_voice"]) == [0.5, 0.5]
    csv = pd.read_csv(io.BytesIO(small.entities_csv("D", ["华为", "小米"])), encoding="utf-8-sig")
    assert tuple(csv.columns)[: len(POSTS_COLUMNS)] == POSTS_COLUMNS and set(csv["entity"]) == {
        "华为",
        "小米",
    }
    assert csv.groupby("period")["share_of_voice"].sum().to_numpy() == pytest.approx(1)
    weekly = entities_csv_frame(small.entities("W"), "W")
    assert set(weekly["period"]) == {"2025-09-29"}  # weekly periods start on Monday
    assert weekly.set_index("entity")["mentions"].to_dict() == {"小米": 3, "特斯拉": 2, "华为": 1}


def test_no_entity_named() -> None:
    posts = pd.DataFrame({"text": ["今天天气不错", "吃饭了吗"], "time": ["2025-10-01", "2025-10-02"]})
    corpus = CorpusAnalysis.run(
        posts, CorpusOptions(ColumnMapping(text="text", time="time"), model="snownlp")
    )
    assert corpus.entities("D").empty and corpus.entity_totals("D").empty
    assert corpus.top_entities("D") == ()
    assert len(corpus.figure("entity_share", "zh", "D").data) == 0


def test_the_librarys_user_aliases_count_too(small: CorpusAnalysis) -> None:
    before = small.entities("D")
    assert "天气" not in set(before["entity"])
    small.use_entity_aliases([("天气", "天气公司", "company")])  # an alias a user stored in the library
    after = small.entities("D")
    assert after is not before and after.set_index("entity").loc["天气公司", "mentions"] == 1
    assert "天气公司" in small.entity_names("zh")
    small.use_entity_aliases([])
    assert small.entities("D") is before  # back to the shipped table: the memoised view again


def test_nev_points_need_enough_mentions(small: CorpusAnalysis) -> None:
    from analysis.corpus.charts import MIN_ENTITY_MENTIONS

    fig = small.figure("entity_nev", "en", "D")
    assert MIN_ENTITY_MENTIONS > 3  # the small corpus names each entity at most 3 times a day
    assert fig.data and all(v is None for trace in fig.data for v in trace.y)  # gaps, not ±1 swings
