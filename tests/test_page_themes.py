"""Themes page through AppTest: keyword bars, taxonomy treemap, theme × group matrix, drill-down."""

from __future__ import annotations

from analysis.i18n import t
from tests.dashboard_fixtures import chart_keys, open_app

PAGE = "pages/themes.py"


def test_charts_and_theme_sentences(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    assert at.title[0].value == "Themes"
    assert {"keyword_bars", "theme_treemap", "theme_matrix"} <= set(chart_keys(at))
    pick = at.selectbox(key="theme_pick")
    assert len(pick.options) >= 2
    first = at.main.dataframe[-1].value
    # The option label carries the sentence count; the table lists exactly those sentences.
    count = int(pick.options[0].rsplit("(", 1)[1].rstrip(")"))
    assert len(first) == count
    name = pick.options[0].rsplit(" (", 1)[0]
    assert all(name in themes for themes in first["Themes"])
    pick.set_value(_theme_id(pick.options[1].rsplit(" (", 1)[0])).run()
    assert not at.exception
    second = at.main.dataframe[-1].value
    assert len(second) == int(pick.options[1].rsplit("(", 1)[1].rstrip(")"))
    assert list(second["#"]) != list(first["#"]) or len(second) != len(first)


def _theme_id(name: str) -> str:
    from analysis.themes import load_taxonomy

    return next(th.id for th in load_taxonomy() if name in (th.name_en, th.name_zh))


def test_chinese_titles(app_env: str) -> None:
    at = open_app(PAGE, lang="zh")
    assert at.title[0].value == t("th.title", "zh")
    assert [s.value for s in at.subheader][:2] == [t("th.keywords", "zh"), t("th.taxonomy", "zh")]
