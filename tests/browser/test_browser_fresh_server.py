"""What the first visitor of a newly started server sees (Community Cloud wakes apps up this way)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from server import NAV_LINK, StreamlitServer, new_page, open_app, rerun_after, widget

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_first_session_switches_to_english_on_the_first_click(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    page = new_page(chromium)
    try:
        open_app(page, fresh_server.url)
        switch = widget(page, "ui_lang")
        rerun_after(page, switch.get_by_role("radio", name="English").click, retry_unnoticed_ms=5_000)
        expect(switch.get_by_role("radio", name="English")).to_have_attribute("aria-checked", "true")
        expect(page.locator(NAV_LINK).filter(has_text=t("nav.overview", "en"))).to_have_count(1)
    finally:
        page.context.close()


def test_first_pick_of_an_article_in_the_first_session_sticks(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    """The sidebar's article picker takes the first pick of a new server's first session (it used
    to drop it and take only the second, as the language switch did before it remembered clicks)."""
    from server import choose_option, selected_option

    from analysis.library import Library

    Library(fresh_server.db_url).add_article(
        "小米汽车发布新车型。\n\n用户反响热烈,订单大增。", title="第二篇文章", source="测试"
    )
    page = new_page(chromium)
    try:
        open_app(page, fresh_server.url)  # the server's first session; it stores the sample too
        chosen = choose_option(page, "article_id", text="第二篇文章")
        assert "第二篇文章" in chosen
        expect(page.get_by_role("heading", name="第二篇文章")).to_be_visible(timeout=30_000)
        assert "第二篇文章" in selected_option(page, "article_id")
    finally:
        page.context.close()
