"""The sample article in a real browser: evidence drill-down, CSV export, English UI."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from server import (
    EXCEPTION,
    GAUGE_NUMBER,
    NAV_LINK,
    add_to_multiselect,
    exceptions_on,
    go_to_page,
    rerun_after,
    screenshot,
    set_expander,
    widget,
)

from analysis.export import SENTENCE_COLUMNS, STAMP_COLUMNS
from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIGNED_WEIGHT = re.compile(r"^[+-]\d+\.\d\d$")


def test_viewpoint_group_drill_down_highlights_evidence(app: Page) -> None:
    go_to_page(app, "viewpoints")
    group = widget(app, "group_1")
    expect(group).to_be_visible()
    # The accurate tier's evidence (occlusion) is computed for the sentences the user opens:
    # open sentence #2 ("...has not translated successfully into the automotive sector...").
    expect(group.locator("mark")).to_have_count(0)
    add_to_multiselect(app, "vp_explain", "#2 ")
    expect(group.locator("mark").first).to_be_visible()
    # Collapse the group, then open it again: its sentences come back with their evidence marked.
    # (Client-side: no rerun to wait for, but the expander's own open state.)
    set_expander(group, open_=False)
    expect(group.locator("mark").first).to_be_hidden()
    set_expander(group, open_=True)
    mark = group.locator("mark").first
    expect(mark).to_be_visible()
    term = (mark.text_content() or "").strip()
    assert term, "an evidence mark must wrap the words that moved the score"
    assert SIGNED_WEIGHT.match(mark.get_attribute("title") or ""), mark.get_attribute("title")
    # The mark sits inside the sentence it explains, not on its own.
    sentence = mark.locator("xpath=..")
    assert term in (sentence.text_content() or "")
    assert len(sentence.text_content() or "") > len(term)
    assert exceptions_on(app) == []
    screenshot(app, "viewpoints-group-1")


def test_csv_download_has_the_documented_columns_and_the_gauge_numbers(app: Page) -> None:
    gauge_text = app.locator(GAUGE_NUMBER).first.text_content() or ""
    gauge_nev = float(gauge_text.replace("−", "-").rstrip("%"))
    button = widget(app, "download_csv").locator("button")
    expect(button).to_be_visible()
    with app.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel opens the Chinese text"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows, "the export has one row per sentence"
    columns = list(rows[0])
    for column in [*SENTENCE_COLUMNS, *STAMP_COLUMNS]:
        assert column in columns, f"{column} missing from {columns}"
    assert {r["label"] for r in rows} <= {"positive", "neutral", "negative", ""}
    assert len({r["input_sha256"] for r in rows}) == 1
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0]["input_sha256"])
    assert any("Xiaomi" in r["text"] for r in rows), "the sample article's sentences are in the export"
    # The export holds the labels the gauge was computed from: nev = (P − N) / (P + U + N).
    counts = {
        label: sum(1 for r in rows if r["label"] == label) for label in ("positive", "neutral", "negative")
    }
    scored = sum(counts.values())
    assert scored > 0
    export_nev = (counts["positive"] - counts["negative"]) / scored * 100
    assert abs(export_nev - gauge_nev) < 0.051, (counts, gauge_text)


def test_switching_to_english_relabels_the_app(app: Page) -> None:
    overview_zh, overview_en = t("nav.overview", "zh"), t("nav.overview", "en")
    expect(app.locator(NAV_LINK).filter(has_text=overview_zh)).to_have_count(1)
    english = widget(app, "ui_lang").get_by_text("English", exact=True)
    rerun_after(app, english.click, retry_unnoticed_ms=5_000)
    expect(app.locator(NAV_LINK).filter(has_text=overview_en)).to_have_count(1)
    expect(app.locator(NAV_LINK).filter(has_text=t("nav.viewpoints", "en"))).to_have_count(1)
    title = app.locator(".st-key-nev_gauge .indicatorlayer text.title")
    expect(title).to_have_text(re.compile(re.escape(t("chart.nev_title", "en"))))
    expect(app.locator(GAUGE_NUMBER).first).not_to_be_empty()
    expect(app.get_by_text(t("ov.nev_heading", "en"), exact=True).first).to_be_visible()
    # The language holds across pages.
    go_to_page(app, "viewpoints")
    expect(app.get_by_role("heading", name=t("vp.title", "en"))).to_be_visible()
    expect(app.locator(EXCEPTION)).to_have_count(0)
    screenshot(app, "viewpoints-en")
