"""Emotions on the article pages (issue 18) through AppTest: the Overview's emotion section and
the Viewpoints emotion badge, filter, column and evidence on demand."""

from __future__ import annotations

import json

from analysis.emotion import EMOTION_NAMES
from analysis.i18n import t
from tests.dashboard_fixtures import chart_keys, open_app


def _table(at):
    return at.main.dataframe[-1].value


def test_overview_shows_the_emotion_mix_and_dominant_emotions(app_env: str) -> None:
    at = open_app("pages/overview.py", lang="zh")
    assert "emotion_mix" in chart_keys(at)
    assert any(h.value == t("emo.heading", "zh") for h in at.subheader)
    labels = {m.label: m.value for m in at.metric}
    names = set(EMOTION_NAMES["zh"].values()) | {t("emo.no_feeling", "zh")}
    assert labels[t("emo.dominant", "zh")] in names
    assert labels[t("emo.dominant_negative", "zh")] in names
    # The caption names the model that read the emotions and keeps them apart from the NEV.
    assert any("emotion" in c.value and "净情感值不含情绪" in c.value for c in at.caption)


def test_emotion_chart_counts_every_sentence(app_env: str) -> None:
    at = open_app("pages/overview.py", lang="en")
    chart = next(c for c in at.get("plotly_chart") if "emotion_mix" in (c.proto.id or ""))
    figure = json.loads(chart.proto.spec)
    first_row_total = sum(trace["customdata"][0][0] for trace in figure["data"])
    n = figure["data"][0]["customdata"][0][1]
    assert first_row_total == n == 11  # every sentence of the sample has an emotion


def test_viewpoints_filters_by_emotion_and_shows_the_column(app_env: str) -> None:
    at = open_app("pages/viewpoints.py", lang="en")
    full = _table(at)
    column = t("vp.col.emotion", "en")
    assert column in full.columns and (full[column] != "").all()
    first = full[column].iloc[0].split(" ")[0]
    raw = {v: k for k, v in EMOTION_NAMES["en"].items()}[first]
    at.multiselect(key="vp_emotions").set_value([raw]).run()
    only = _table(at)
    assert 0 < len(only) <= len(full) and only[column].str.startswith(first).all()
    assert any('class="emotion-badge"' in m.value for m in at.markdown)
    at.multiselect(key="vp_emotions").set_value(["unread"]).run()
    assert len(_table(at)) == 0


def test_an_opened_sentence_shows_the_words_behind_its_emotion(app_env: str) -> None:
    at = open_app("pages/viewpoints.py", lang="en")
    at.multiselect(key="vp_explain").set_value([2]).run()
    assert not at.exception
    line = next(m.value for m in at.markdown if m.value.startswith("**#2**"))
    assert "Evidence for " in line
