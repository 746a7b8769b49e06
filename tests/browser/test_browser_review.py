"""Analyst review in a real browser (issue 12): override sentence #2 of the sample article on the
Viewpoints page, see the Overview's reviewed NEV change beside the model's, and download the CSV
with both labels. A server of its own, so the review does not reach the other browser tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from server import (
    GAUGE_NUMBER,
    StreamlitServer,
    choose_option,
    exceptions_on,
    go_to_page,
    metric_value,
    new_page,
    open_app,
    rerun_after,
    screenshot,
    widget,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANG = "zh"
LABELS = ("positive", "neutral", "negative")
NOTE = "<b>反讽</b>,不是赞扬"


def _percent(text: str) -> float:
    return float(text.replace("−", "-").strip().rstrip("%"))


def test_override_sentence_2_changes_the_reviewed_nev_and_the_csv_has_both_labels(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    page = new_page(chromium)
    try:
        open_app(page, fresh_server.url)
        model_nev = metric_value(page, t("rv.nev_model", LANG)).inner_text()
        expect(metric_value(page, t("rv.nev_reviewed", LANG))).to_have_text(model_nev)  # nothing reviewed yet

        go_to_page(page, "viewpoints")
        # Who is reviewing: asked once, before the first change.
        name = widget(page, "rv_editor_name").locator("input")
        name.scroll_into_view_if_needed()
        name.fill("浏览器测试")
        rerun_after(page, widget(page, "rv_editor_set").locator("button").click)
        expect(page.get_by_text("浏览器测试", exact=True).first).to_be_visible()

        page.get_by_role("tab", name=t("rv.tab.one", LANG)).click()  # client-side: no rerun
        choose_option(page, "rv_sentence", text="#2 ·")
        tab = widget(page, "review_panel").locator("[role='tabpanel']:visible")
        said = tab.get_by_text(t("rv.model_said", LANG, label="")).first.inner_text()
        model_label = next(
            x for x in LABELS if said.startswith(t("rv.model_said", LANG, label=t(f"label.{x}", LANG)))
        )
        new_label = next(x for x in LABELS if x != model_label)
        new_name = t(f"label.{new_label}", LANG)
        rerun_after(page, widget(page, "rv_label").get_by_role("radio", name=new_name).click)
        note = widget(page, "rv_note").locator("textarea")
        note.fill(NOTE)
        rerun_after(page, lambda: note.press("Control+Enter"))  # a text area sends on Ctrl+Enter
        rerun_after(page, widget(page, "rv_save").locator("button").click)
        expect(page.get_by_text(t("rv.saved", LANG, count=1, label=new_name))).to_be_visible()
        # The note is shown as written (plain text), not as HTML.
        expect(page.get_by_text(NOTE, exact=True).first).to_be_visible()
        expect(widget(page, "review_panel").locator("b", has_text="反讽")).to_have_count(0)
        assert exceptions_on(page) == []
        screenshot(page, "review-viewpoints")

        go_to_page(page, "")
        reviewed = metric_value(page, t("rv.nev_reviewed", LANG))
        expect(reviewed).not_to_have_text(model_nev)
        expect(metric_value(page, t("rv.nev_model", LANG))).to_have_text(model_nev)
        expect(page.get_by_text(t("rv.k_of_n", LANG, k=1, n=11)).first).to_be_visible()  # 11 sentences
        # The gauge shows the reviewed view (the sidebar's default).
        gauge = page.locator(GAUGE_NUMBER).first.text_content() or ""
        assert abs(_percent(gauge) - _percent(reviewed.inner_text())) < 0.051, (gauge, reviewed.inner_text())
        screenshot(page, "review-overview")

        button = widget(page, "download_csv").locator("button")
        with page.expect_download() as download_info:
            button.click()
        raw = Path(download_info.value.path()).read_bytes()
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        row = next(r for r in rows if r["position"] == "2")
        assert (row["model_label"], row["label"], row["reviewed"]) == (model_label, new_label, "True")
        others = [r for r in rows if r["position"] != "2"]
        assert all(r["model_label"] == r["label"] and r["reviewed"] == "False" for r in others)
        assert {r["labels_overridden"] for r in rows} == {"1"}
        assert exceptions_on(page) == []

        # The queue: the keyboard labels the first sentence (keys 1 / 2 / 3 = positive / neutral /
        # negative), and it leaves the queue.
        go_to_page(page, "viewpoints")
        page.get_by_role("tab", name=t("rv.tab.queue", LANG)).click()
        first = page.locator("[class*='st-key-rv_queue_row_']").first
        first.scroll_into_view_if_needed()
        row_class = first.get_attribute("class") or ""
        position = int(row_class.split("st-key-rv_queue_row_")[1].split()[0])
        assert position != 2  # the reviewed sentence is out of the queue
        screenshot(page, "review-queue")
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no field has focus
        rerun_after(page, lambda: page.keyboard.press("1"))
        expect(
            page.get_by_text(t("rv.saved", LANG, count=1, label=t("label.positive", LANG)))
        ).to_be_visible()
        expect(widget(page, f"rv_queue_row_{position}")).to_have_count(0)
        expect(page.get_by_text(t("rv.k_of_n", LANG, k=2, n=11)).first).to_be_visible()
        assert exceptions_on(page) == []

        # The Method page measures the model on these two corrections.
        go_to_page(page, "method")
        heading = page.get_by_role("heading", name=t("me.rv", LANG), exact=True)  # not the emotion one
        heading.scroll_into_view_if_needed()
        expect(metric_value(page, t("me.rv_n", LANG))).to_have_text("2")
        expect(widget(page, "review_training_csv").locator("button")).to_be_visible()
        assert exceptions_on(page) == []
        screenshot(page, "review-method")
    finally:
        page.context.close()
