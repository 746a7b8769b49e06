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
