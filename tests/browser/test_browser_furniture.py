"""Page furniture in a real browser (issue 17): add the WeChat fixture through the Library page,
see its blocks listed as not counted on Viewpoints, count the 直播预告 promo back in as an editor,
see the sentence count and the article's NEV change, then restart the server on the same database
and see the block still counted. Servers of its own (the choice must not reach other tests).
Saves test-artifacts/furniture-panel.png (the section after the change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from server import (
    ARTIFACTS,
    StreamlitServer,
    choose_option,
    exceptions_on,
    go_to_page,
    metric_value,
    new_page,
    open_app,
    rerun_after,
    screenshot,
    start_server,
    widget,
)

from analysis.i18n import t
from analysis.library import Library
from analysis.structure import parse_document

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANG = "zh"
FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "furniture" / "wechat_modelled_cctvnews_2020-02-29.txt"
)
TEXT = FIXTURE.read_text(encoding="utf-8")
N = 15  # sentences of the article (the reporters' credits are bylines); the promo adds 3


def _overview_nev(page: Page, n: int) -> str:
    go_to_page(page, "")
    expect(metric_value(page, t("ov.sentences", LANG))).to_have_text(str(n))
    return metric_value(page, t("ov.nev", LANG)).inner_text()


def _stored(db_url: str) -> tuple[int, str, frozenset[str]]:
    """The article as the upload stored it (id, text, blocks counted in)."""
    library = Library(db_url)
    try:
        [article] = library.list_articles(search="环球疫情观察原创文章")
        return article.id, article.text, library.furniture_counted(article.id)
    finally:
        library.dispose()


def _block(page: Page, key: str) -> Locator:
    return widget(page, f"furniture_{key}")


def _add_through_the_library(page: Page) -> None:
    go_to_page(page, "library")
    field = widget(page, "library_upload").locator("input[type='file']")
    rerun_after(
        page,
        lambda: field.set_input_files(
            [{"name": FIXTURE.name, "mimeType": "text/plain", "buffer": TEXT.encode()}]
        ),
    )
    save = widget(page, "library_save").locator("button")
    expect(save).to_be_enabled()
    rerun_after(page, save.click, timeout_ms=90_000)
    expect(page.get_by_text(t("library.add.saved", LANG, name=FIXTURE.name))).to_be_visible()


def _name_the_editor(page: Page, name: str, key: str) -> None:
    field = widget(page, "rv_editor_name").locator("input")
    field.scroll_into_view_if_needed()
    field.fill(name)
    rerun_after(page, widget(page, "rv_editor_set").locator("button").click)
    expect(widget(page, f"vp_furniture_{key}")).to_be_visible()


def _toggle_state(page: Page, key: str) -> Locator:
    return widget(page, f"vp_furniture_{key}").locator("input[type='checkbox']")


def _panel_screenshot(page: Page, panel: Locator) -> None:
    """test-artifacts/furniture-panel.png: the whole section, below Streamlit's fixed header (a
    viewport tall enough for it, the section scrolled to the middle)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1400, "height": 1000}
    box = panel.bounding_box() or {"height": size["height"]}
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(box["height"]) + 400)})
    try:
        page.wait_for_timeout(300)
        panel.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        panel.screenshot(path=str(ARTIFACTS / "furniture-panel.png"))
    finally:
        page.set_viewport_size(size)


def test_count_a_block_back_in_and_it_stays_after_a_restart(chromium: Browser, tmp_path: Path) -> None:
    servers: list[StreamlitServer] = []
    page = new_page(chromium)
    try:
        servers.append(start_server(tmp_path / "first", timeout_s=60))
        open_app(page, servers[0].url)
        _add_through_the_library(page)  # the saved article becomes the active one
        # Keys as the page computes them, from the text as stored (the upload path normalises
        # blanks, so "林一  编辑" is stored as "林一 编辑").
        _, stored_text, counted = _stored(servers[0].db_url)
        doc = parse_document(stored_text)
        blocks = doc.furniture
        promo = next(b for b in blocks if b.text.startswith("直播预告"))
        assert len(doc.sentences) == N and len(blocks) == 15 and counted == frozenset()
        nev_before = _overview_nev(page, N)

        go_to_page(page, "viewpoints")
        panel = widget(page, "furniture_panel")
        panel.scroll_into_view_if_needed()
        expect(
            panel.get_by_role("heading", name=t("vp.furniture.title", LANG, n=len(blocks)))
        ).to_be_visible()
        for b in blocks:
            box = _block(page, b.key)
            expect(box).to_contain_text(t("furniture." + b.reason, LANG))
            expect(box).to_contain_text(t("vp.furniture.not_counted", LANG))
            expect(box).to_contain_text(b.text.split("\n")[0])
        expect(page.get_by_text(t("vp.showing", LANG, shown=N, total=N))).to_be_visible()
        expect(page.get_by_text(t("vp.furniture.name_first", LANG))).to_be_visible()

        _name_the_editor(page, "浏览器编辑", promo.key)
        expect(_toggle_state(page, promo.key)).not_to_be_checked()
        toggle = widget(page, f"vp_furniture_{promo.key}").locator("label")
        toggle.scroll_into_view_if_needed()
        rerun_after(page, toggle.click, timeout_ms=60_000)
        expect(_toggle_state(page, promo.key)).to_be_checked()
        expect(_block(page, promo.key)).to_contain_text(t("vp.furniture.counted", LANG))
        expect(
            panel.get_by_role("heading", name=t("vp.furniture.title", LANG, n=len(blocks) - 1))
        ).to_be_visible()
        expect(page.get_by_text(t("vp.showing", LANG, shown=N + 3, total=N + 3))).to_be_visible()
        expect(
            page.locator("[data-testid='stExpander'] summary").filter(has_text="3. 直播预告")
        ).to_have_count(1)
        assert exceptions_on(page) == []
        _panel_screenshot(page, panel)
        screenshot(page, "furniture-viewpoints")

        nev_after = _overview_nev(page, N + 3)
        assert nev_after != nev_before, (nev_before, nev_after)
        print(f"article NEV {nev_before} -> {nev_after}, n {N} -> {N + 3}")
        assert _stored(servers[0].db_url)[2] == {promo.key}

        # Restart: a new server process on the same database, a new browser session.
        page.context.close()
        servers[0].stop()
        servers.append(start_server(tmp_path / "second", db_url=servers[0].db_url, timeout_s=60))
        page = new_page(chromium)
        open_app(page, servers[1].url)
        choose_option(page, "article_id", text="海外疫情速览")
        assert _overview_nev(page, N + 3) == nev_after
        go_to_page(page, "viewpoints")
        expect(page.get_by_text(t("vp.showing", LANG, shown=N + 3, total=N + 3))).to_be_visible()
        _block(page, promo.key).scroll_into_view_if_needed()
        expect(_block(page, promo.key)).to_contain_text(t("vp.furniture.counted", LANG))
        _name_the_editor(page, "浏览器编辑", promo.key)
        expect(_toggle_state(page, promo.key)).to_be_checked()
        assert exceptions_on(page) == []
    finally:
        page.context.close()
        for server in servers:
            server.stop()
