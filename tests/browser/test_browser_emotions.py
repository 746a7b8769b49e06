"""Emotions on the article pages in a real browser (issue 18): the Overview's emotion chart, and the
Viewpoints emotion filter narrowing the sentences to one emotion, with screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from server import ARTIFACTS, add_to_multiselect, exceptions_on, go_to_page, screenshot, widget

from analysis.emotion import EMOTION_NAMES
from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANG = "zh"


def test_overview_emotion_chart(app: Page) -> None:
    chart = widget(app, "emotion_mix").locator(".js-plotly-plot")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible(timeout=30_000)
    # One bar per row: the whole article first; its legend names emotions in Chinese.
    expect(chart.locator(".ytick text").filter(has_text=t("emo.article", LANG))).to_have_count(1)
    legend = chart.locator(".legendtext")
    expect(legend.first).to_be_visible()
    assert set(legend.all_inner_texts()) <= set(EMOTION_NAMES[LANG].values())
    assert exceptions_on(app) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget(app, "emotion_mix").screenshot(path=str(ARTIFACTS / "emotions-overview.png"))


def test_viewpoints_emotion_filter(app: Page) -> None:
    go_to_page(app, "viewpoints")
    total = 11
    expect(app.get_by_text(t("vp.showing", LANG, shown=total, total=total))).to_be_visible(timeout=30_000)
    badges = app.locator(".emotion-badge")
    expect(badges.first).to_be_visible()
    first = badges.first.inner_text().split(" ")[0]  # the first sentence's emotion, e.g. 怒
    add_to_multiselect(app, "vp_emotions", first)
    shown = app.get_by_text(
        re.compile(t("vp.showing", LANG, shown=999, total=total).replace("999", r"(\d+)"))
    )
    expect(shown).to_be_visible()
    n = int(re.search(r"(\d+)", shown.inner_text()).group(1))
    assert 1 <= n <= total
    # Every badge left on the page is of the chosen emotion.
    texts = app.locator(".emotion-badge").all_inner_texts()
    assert texts and all(x.startswith(first) for x in texts)
    assert exceptions_on(app) == []
    screenshot(app, "emotions-viewpoints-filtered")
