"""Read-only mode of a shared deployment in a real browser: with an editing passphrase set, the
Library page offers no upload and no delete; after unlocking in the sidebar, it does."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from server import (
    StreamlitServer,
    go_to_page,
    new_page,
    open_app,
    rerun_after,
    screenshot,
    start_server,
    widget,
)

from analysis.access import PASSPHRASE_ENV
from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSPHRASE = "correct horse battery"


@pytest.fixture
def locked_server(tmp_path: Path) -> Generator[StreamlitServer]:
    server = start_server(tmp_path, timeout_s=60, extra_env={PASSPHRASE_ENV: PASSPHRASE})
    yield server
    server.stop()


def test_library_read_only_until_unlocked(chromium: Browser, locked_server: StreamlitServer) -> None:
    page = new_page(chromium)
    try:
        open_app(page, locked_server.url)
        go_to_page(page, "library")
        expect(page.get_by_text(t("access.read_only_page", "zh"))).to_be_visible()
        expect(widget(page, "library_upload")).to_have_count(0)
        expect(page.locator("[class*='st-key-library_delete']")).to_have_count(0)
        screenshot(page, "library-read-only")
        # A wrong passphrase says so and unlocks nothing.
        field = widget(page, "access_passphrase").locator("input")
        submit = page.get_by_role("button", name=t("access.unlock", "zh"))
        field.fill("guess")
        rerun_after(page, submit.click)
        expect(page.get_by_text(t("access.wrong", "zh"))).to_be_visible()
        expect(widget(page, "library_upload")).to_have_count(0)
        # The right one does.
        field.fill(PASSPHRASE)
        rerun_after(page, submit.click)
        expect(widget(page, "library_upload")).to_be_visible()
        expect(page.locator("[class*='st-key-library_delete_']").first).to_be_visible()
        expect(page.get_by_text(t("access.unlocked", "zh"))).to_be_visible()
        screenshot(page, "library-unlocked")
    finally:
        page.context.close()
