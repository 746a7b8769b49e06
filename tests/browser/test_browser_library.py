"""Library page in a real browser: upload DOCX and PDF files, and a binary file posing as text."""

from __future__ import annotations

import re

import pytest
from documents import make_binary_posing_as_text, make_docx, make_pdf
from playwright.sync_api import Page, expect
from server import EXCEPTION, exceptions_on, go_to_page, rerun_after, screenshot, text_pattern, widget

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCX_TITLE = "蔚来换电站扩张引发车主热议"
DOCX_NAME = "nio_swap_stations.docx"
PDF_TITLE = "Battery recall shakes buyer trust in Northwind Motors"
PDF_NAME = "northwind_recall.pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(page: Page, files: list[dict]) -> None:
    field = widget(page, "library_upload").locator("input[type='file']")
    rerun_after(page, lambda: field.set_input_files(files))


def _open_library(page: Page) -> None:
    go_to_page(page, "library")
    expect(widget(page, "library_upload")).to_be_visible()


def test_upload_docx_and_pdf_then_find_them_in_the_library(app: Page) -> None:
    _open_library(app)
    docx_bytes = make_docx(
        DOCX_TITLE,
        [
            "新浪财经·2025-10-28 09:30",
            "核心观点 - 车主对换电站扩张总体满意，但排队时间过长引发不满。",
            "第一组：用户体验 - 换电只需三分钟，很多车主表示非常方便。 - 部分站点排队超过一小时，车主抱怨体验很差。",
        ],
    )
    pdf_bytes = make_pdf(
        PDF_TITLE,
        [
            "Core Viewpoint - Buyers are angry about the recall and doubt the company's safety claims.",
            "Group 1: Trust - Owners say the recall letter was confusing. - Dealers report cancelled orders.",
            "Group 2: Response - The company apologised and promised free repairs within two weeks.",
        ],
    )
    _upload(
        app,
        [
            {"name": DOCX_NAME, "mimeType": DOCX_MIME, "buffer": docx_bytes},
            {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": pdf_bytes},
        ],
    )
    # Each readable file becomes a draft with its title pre-filled from the document.
    title_inputs = app.locator("[class*='st-key-library_draft_title_'] input")
    expect(title_inputs).to_have_count(2)
    assert sorted(title_inputs.evaluate_all("els => els.map(e => e.value)")) == sorted(
        [DOCX_TITLE, PDF_TITLE]
    )
    expect(app.locator(EXCEPTION)).to_have_count(0)

    save = widget(app, "library_save").locator("button")
    expect(save).to_be_enabled()
    rerun_after(app, save.click, timeout_ms=60_000)
    for name in (DOCX_NAME, PDF_NAME):
        expect(app.get_by_text(t("library.add.saved", "zh", name=name))).to_be_visible()

    # Both titles are in the library: searching for each leaves exactly that article to pick.
    search = widget(app, "library_search").locator("input")
    for title in (DOCX_TITLE, PDF_TITLE):
        rerun_after(app, lambda title=title: (search.fill(title), search.press("Enter")))
        picked = widget(app, "library_pick").get_by_role("combobox")
        expect(picked).to_have_value(re.compile(re.escape(title)))
        expect(app.get_by_text(text_pattern("library.list.shown", shown=1, total=None))).to_be_visible()
    assert exceptions_on(app) == []
    screenshot(app, "library-after-upload")


def test_binary_file_named_txt_gets_a_clear_error_and_no_traceback(app: Page) -> None:
    _open_library(app)
    name = "not_really_text.txt"
    _upload(app, [{"name": name, "mimeType": "text/plain", "buffer": make_binary_posing_as_text()}])
    expect(app.get_by_text(t("library.error.binary", "zh", name=name))).to_be_visible()
    expect(app.locator(EXCEPTION)).to_have_count(0)
    # Nothing readable was added, so there is nothing to save.
    expect(widget(app, "library_save").locator("button")).to_be_disabled()
    screenshot(app, "library-binary-upload")
