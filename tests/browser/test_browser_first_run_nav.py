"""A fresh server's first run: its sidebar shows the app's own navigation and nothing else, and a
click on that navigation while the first run is still under way is honoured (issue 22).

Every test here starts a server of its own (the `fresh_server` fixture): Streamlit's legacy listing
of `pages/` could only show during the first script run of a new process. They wait for states
(a run finished, a title drawn), never for a number of seconds; the timings are the benchmark's
(scripts/benchmark_browser.py --first-run).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from server import (
    EXCEPTION,
    NAV_LINK,
    PAGE_TITLE,
    SIDEBAR_SAMPLER,
    StreamlitServer,
    current_path,
    exceptions_on,
    folder_listing_labels,
    foreign_sidebar_entries,
    nav_link,
    new_page,
    open_app,
    page_time,
    sidebar_samples,
    wait_for_current_nav,
    wait_for_run_since,
    widget,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIRST_RUN_MS = 120_000  # a generous bound for a state to come: the first run loads the models
# The app's links in menu order (pages/ui/frame.py _sections()).
MENU = ("overview", "viewpoints", "themes", "timeline", "posts", "library", "compare", "method")
NAV_KEYS = [f"nav.{name}" for name in MENU]
# True once the latest sidebar sample holds `label` (a sample taken since that navigation showed).
LATEST_SAMPLE_HAS = """
(label) => {
  const samples = window.__olSidebar || [];
  const entries = samples.length ? samples[samples.length - 1][1] : null;
  return !!entries && entries.includes(label);
}
"""


def _sampled_page(chromium: Browser) -> Page:
    page = new_page(chromium)
    page.context.add_init_script(SIDEBAR_SAMPLER)
    return page


def _first_run_finished(page: Page) -> bool:
    """Has a script run of this page finished other than by being replaced by a rerun?"""
    return bool(page.evaluate("(window.__olFinished || []).some(([t, status]) => status !== 2)"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fresh_server_sidebar_shows_only_the_app_navigation(
    chromium: Browser, fresh_server: StreamlitServer, lang: str
) -> None:
    """Sampled every 100 ms from the first paint until the first page's content shows, the sidebar
    never lists the files of pages/ (dashboard, common, frame, posts entities, ...) and holds no
    entry but the app's own links. In English the visitor switches language as soon as the switch
    shows, which reruns the first run of the server."""
    page = _sampled_page(chromium)
    try:
        page.goto(fresh_server.url)
        if lang == "en":
            english = widget(page, "ui_lang").get_by_role("radio", name="English")
            english.click(timeout=FIRST_RUN_MS)
            expect(english).to_have_attribute("aria-checked", "true", timeout=FIRST_RUN_MS)
            expect(page.locator(NAV_LINK).filter(has_text=t("nav.overview", "en"))).to_have_count(
                1, timeout=FIRST_RUN_MS
            )
        wait_for_run_since(page, 0.0, FIRST_RUN_MS)
        page.locator(PAGE_TITLE).first.wait_for(state="visible", timeout=FIRST_RUN_MS)
        page.wait_for_function(LATEST_SAMPLE_HAS, arg=t("nav.overview", lang), timeout=FIRST_RUN_MS)
        samples = sidebar_samples(page)

        assert not exceptions_on(page)
        assert len(samples) >= 5, f"the sampler hardly ran: {samples}"
        assert any(entries for _, entries in samples), "no navigation was ever sampled in the sidebar"
        listing = folder_listing_labels()
        shown = [(round(ms), entries) for ms, entries in samples if entries and listing & set(entries)]
        assert not shown, f"the sidebar listed the files of pages/: first at {shown[0]}"
        foreign = foreign_sidebar_entries(samples)
        assert not foreign, f"entries that are not the app's navigation: first at {foreign[0]}"
        assert samples[-1][1] == [t(key, lang) for key in NAV_KEYS], samples[-1]
    finally:
        page.context.close()


def test_click_on_posts_while_the_first_run_is_under_way_opens_posts(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    """The visitor clicks Posts as soon as the navigation shows, while the first run is still
    building the sidebar (models, the sample's analysis): the app ends on the Posts page."""
    page = new_page(chromium)
    try:
        page.goto(fresh_server.url)
        link = nav_link(page, "posts")
        link.wait_for(state="visible", timeout=FIRST_RUN_MS)
        during_first_run = not _first_run_finished(page)
        mark = page_time(page)
        link.click()  # once: a click that is lost must fail this test, not be repeated
        if not during_first_run:
            pytest.skip("the first run had finished before the navigation could be clicked")

        expect(page.locator(PAGE_TITLE).first).to_have_text(t("posts.title", "zh"), timeout=FIRST_RUN_MS)
        wait_for_run_since(page, mark, FIRST_RUN_MS)
        assert current_path(page) == "posts"
        wait_for_current_nav(page, "posts", FIRST_RUN_MS)
        expect(page.locator(PAGE_TITLE).first).to_have_text(t("posts.title", "zh"))
        assert not exceptions_on(page)
    finally:
        page.context.close()


def test_a_module_of_pages_opened_by_url_opens_the_overview(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    """/common on a fresh server (Streamlit's legacy pages/ start runs that file) and /frame after it
    (a warm server: not a registered page) both end on the Overview, with the app's navigation and
    no traceback."""
    for path in ("common", "frame"):
        page = _sampled_page(chromium)
        try:
            open_app(page, f"{fresh_server.url}/{path}", FIRST_RUN_MS)
            page.locator(PAGE_TITLE).first.wait_for(state="visible", timeout=FIRST_RUN_MS)
            assert current_path(page) == "", f"/{path} stayed at {page.url}"
            wait_for_current_nav(page, "", FIRST_RUN_MS)
            assert page.locator(f"[data-testid='stMain'] {EXCEPTION}").count() == 0
            assert not foreign_sidebar_entries(sidebar_samples(page))
        finally:
            page.context.close()
