"""Every page in a real browser: the Overview's gauge on the sample, and a tour of the sidebar."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from server import (
    EXCEPTION,
    GAUGE_DIAL,
    GAUGE_NUMBER,
    exceptions_on,
    go_to_page,
    nav_paths,
    screenshot,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE_TITLE = "小米汽车陷入困境"


def test_overview_shows_the_sample_article_and_its_gauge(app: Page) -> None:
    expect(app.get_by_text(SAMPLE_TITLE).first).to_be_visible()
    expect(app.locator(GAUGE_DIAL).first).to_be_attached()
    number = app.locator(GAUGE_NUMBER).first.text_content() or ""
    # The gauge shows the net emotional value on −100…+100 (Plotly writes a real minus sign).
    value = float(number.replace("−", "-").replace("%", "").strip())
    assert -100 <= value <= 100, number
    # The gauge and the metric beside it show the same net emotional value.
    expect(app.get_by_test_id("stMetric").filter(has_text=t("ov.nev", "zh")).first).to_contain_text(
        number.replace("−", "-")
    )
    assert exceptions_on(app) == []
    screenshot(app, "overview")


def test_every_page_draws_without_an_exception(app: Page) -> None:
    paths = nav_paths(app)
    assert len(paths) >= 6, f"expected the dashboard's pages in the sidebar, found {paths}"
    screenshot(app, "page-" + (paths[0] or "overview"))
    for path in [*paths[1:], paths[0]]:
        go_to_page(app, path)
        assert app.url.rstrip("/").endswith(path), (path, app.url)
        expect(app.locator(EXCEPTION)).to_have_count(0)
        screenshot(app, "page-" + (path or "overview"))
