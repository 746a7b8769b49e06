"""Compare page through AppTest."""

from __future__ import annotations

from analysis.i18n import t
from tests.dashboard_fixtures import add_recovery_article, chart_keys, open_app

PAGE = "pages/compare.py"


def test_needs_two_articles(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    assert any(i.value == t("cmp.need_two", "en") for i in at.info)


def test_side_by_side(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    add_recovery_article(app_env)
    at.run()
    assert not at.exception
    assert len(at.multiselect(key="compare_ids").value) == 2
    table = at.main.dataframe[0].value
    assert len(table) == 2
    assert {"n", "nev", "nev_polar"} <= set(table.columns)
    assert (table["Positive"] + table["Neutral"] + table["Negative"] == table["n"]).all()
    assert {"compare_nev", "compare_shares", "compare_groups_0", "compare_groups_1"} <= set(chart_keys(at))
    # Down to one article: the page asks for a second.
    first = at.multiselect(key="compare_ids").value[0]
    at.multiselect(key="compare_ids").set_value([first]).run()
    assert any(i.value == t("cmp.pick_two", "en") for i in at.info)
