"""Posts timeline in a real browser: the sample corpus in one click, spikes, periods, uploads."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from flows import POSTS_PATH, load_sample_corpus
from playwright.sync_api import Page, expect
from server import (
    ARTIFACTS,
    EXCEPTION,
    ROOT,
    choose_option,
    exceptions_on,
    go_to_page,
    rerun_after,
    screenshot,
    selected_option,
    text_pattern,
    widget,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE_CORPUS = ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANALYZE_TIMEOUT_MS = 120_000


def _charts_drawn(page: Page) -> None:
    for key in ("posts_volume_chart", "posts_nev_chart"):
        expect(widget(page, key).locator(".js-plotly-plot")).to_be_visible(timeout=ANALYZE_TIMEOUT_MS)
    # The volume chart draws its periods as bars or points.
    expect(widget(page, "posts_volume_chart").locator(".trace .point").first).to_be_attached()


def test_sample_corpus_in_one_click_with_spikes_and_period_posts(app: Page) -> None:
    load_sample_corpus(app)
    _charts_drawn(app)
    # The sample's mapping is confirmed by the one click: no mapping form to fill in.
    expect(app.locator(".st-key-posts_confirm")).to_have_count(0)
    # Every post counts, so by day no period of the sample is an outlier (robust z 3.25 < 3.5);
    # by hour the evening of 2020-02-02 is. Switch to hours.
    expect(app.get_by_text(t("posts.no_spikes", "zh"))).to_be_visible()
    # By hour is a new timeline, its spikes and their explanations: a generous bound, since a
    # busy machine makes this run slow, not wrong.
    rerun_after(
        app,
        widget(app, "posts_freq").get_by_text(t("posts.freq.H", "zh"), exact=True).click,
        timeout_ms=120_000,
    )
    # A spike comes with its explanation: the first one is open with its keywords and top posts.
    spike = app.get_by_test_id("stExpander").locator("details[open]").first
    title = spike.locator("summary")
    expect(title).to_have_text(
        re.compile(
            text_pattern("posts.spike.volume", period=None, n=None, z=None, nev=None).pattern
            + "|"
            + text_pattern("posts.spike.turn", period=None, delta=None, z=None, nev=None, n=None).pattern
        )
    )
    explanation = spike.get_by_text(text_pattern("posts.spike.keywords", keywords=None))
    expect(explanation).to_be_visible()
    keywords = (explanation.text_content() or "").split("：", 1)[-1].strip()
    assert keywords, "a spike must be explained by keywords"
    # st.dataframe gets no `st-key-` class in Streamlit 1.67: the spike's top posts are in its expander.
    expect(spike.get_by_test_id("stDataFrame")).to_be_visible()

    # Choose another period: its posts are listed under its name.
    first = selected_option(app, "posts_period")
    other = choose_option(app, "posts_period", index=1)
    assert other and other != first, (first, other)
    assert selected_option(app, "posts_period") == other
    heading = app.get_by_text(text_pattern("posts.period_posts", period=other, n=None))
    expect(heading).to_be_visible()
    count = re.findall(r"\d+", (heading.text_content() or "").replace(other, ""))
    assert count and int(count[-1]) > 0, heading.text_content()
    # The period's posts follow their heading as a table.
    expect(heading.locator("xpath=following::*[@data-testid='stDataFrame'][1]")).to_be_visible()
    assert exceptions_on(app) == []
    screenshot(app, "posts-sample")


def _upload_and_confirm(page: Page, name: str, mime: str, data: bytes) -> None:
    go_to_page(page, POSTS_PATH)
    field = widget(page, "posts_upload").locator("input[type='file']")
    rerun_after(page, lambda: field.set_input_files([{"name": name, "mimeType": mime, "buffer": data}]))
    expect(page.get_by_text(t("posts.mapping_title", "zh"))).to_be_visible()
    # The detected mapping found the text and time columns.
    expect(widget(page, "posts_map_text").get_by_role("combobox")).to_have_value("text")
    expect(widget(page, "posts_map_time").get_by_role("combobox")).to_have_value("timestamp")
    confirm = widget(page, "posts_confirm").locator("button")
    rerun_after(page, confirm.click, timeout_ms=ANALYZE_TIMEOUT_MS)
    _charts_drawn(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_upload_sample_corpus_as_csv(app: Page) -> None:
    _upload_and_confirm(app, "cctv_posts.csv", "text/csv", SAMPLE_CORPUS.read_bytes())
    rows = len(pd.read_csv(SAMPLE_CORPUS))
    info = text_pattern(
        "posts.file_info", filename="cctv_posts.csv", format="CSV", rows=rows, columns=None, detail=None
    )
    expect(app.get_by_text(info)).to_be_visible()
    screenshot(app, "posts-upload-csv")


def test_upload_sample_corpus_as_xlsx(app: Page) -> None:
    frame = pd.read_csv(SAMPLE_CORPUS)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    _upload_and_confirm(app, "cctv_posts.xlsx", XLSX_MIME, buffer.getvalue())
    screenshot(app, "posts-upload-xlsx")


def test_sample_corpus_shows_emotion_shares_per_period(app: Page) -> None:
    """Issue 18: beside sentiment, each emotion's share of the period's posts (喜怒哀惧惊恶无 in
    the legend), with the caption that counts the posts without a reading."""
    load_sample_corpus(app)
    chart = widget(app, "posts_emotion_chart")
    expect(chart.locator(".js-plotly-plot")).to_be_visible(timeout=ANALYZE_TIMEOUT_MS)
    # One stacked bar per period and emotion, drawn; the legend names the seven in Chinese.
    expect(chart.locator(".trace.bars .point").first).to_be_attached()
    legend = chart.locator(".legend .legendtext")
    expect(legend).to_have_count(7)
    assert legend.all_text_contents() == list("喜怒哀惧惊恶无")
    expect(chart.locator(".gtitle")).to_have_text(t("posts.emotions.title", "zh"))
    expect(app.get_by_text(text_pattern("posts.emotions.caption", unread=None))).to_be_visible()
    assert exceptions_on(app) == []
    chart.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "posts-emotions-chart.png"))
    screenshot(app, "posts-emotions")
