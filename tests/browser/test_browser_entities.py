"""Entities in a real browser (issue 13): the Overview's entity panel on the sample article (小米 and
雷军 with their net emotional value, a screenshot of the panel), its trace to Viewpoints, and the
CSV download naming the entities of each sentence (the entities are computed when the file is
asked for, outside the script run: only a real server runs that path)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from server import (
    ARTIFACTS,
    choose_option,
    current_path,
    exceptions_on,
    rerun_after,
    screenshot,
    widget,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANG = "zh"


def test_entity_panel_on_the_sample_with_a_screenshot(app: Page) -> None:
    panel = widget(app, "entity_panel")
    panel.scroll_into_view_if_needed()
    chart = widget(app, "entity_nev").locator(".js-plotly-plot")
    expect(chart).to_be_visible(timeout=30_000)
    # The chart's bars name 小米 and 雷军 with their mentions, and carry their NEV as text.
    expect(chart.locator(".ytick text").filter(has_text="小米 · 6")).to_have_count(1)
    expect(chart.locator(".ytick text").filter(has_text="雷军 · 1")).to_have_count(1)
    expect(chart.locator(".bartext").first).to_contain_text("%")
    expect(panel.get_by_text(t("ent.caption", LANG)[:12]).first).to_be_visible()
    assert exceptions_on(app) == []
    screenshot(app, "entities-overview")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "entities-panel.png"))

    # The download names the entities of every sentence.
    with app.expect_download() as download_info:
        widget(app, "download_csv").locator("button").click()
    raw = Path(download_info.value.path()).read_bytes()
    rows = {r["position"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    assert {p: r["entities"] for p, r in rows.items() if r["entities"]} == {
        **dict.fromkeys(("0", "1", "2", "4", "7", "10"), "小米"),
        "8": "雷军",
    }

    # Traced: 雷军's one sentence, then Viewpoints filtered by it.
    choose_option(app, "entity_pick", text="雷军")
    summary = t("ent.pick_summary", LANG, nev="-100.0%", p=0, u=0, n=1, total=1, surfaces="Lei Jun")
    expect(panel.get_by_text(summary)).to_be_visible()
    rerun_after(app, widget(app, "entity_open").locator("button").click, 30_000)
    expect(app.locator("[data-testid='stMain'] h1")).to_have_text(t("vp.title", LANG))
    assert current_path(app) == "viewpoints"
    expect(widget(app, "vp_entities").get_by_text("雷军 (1)")).to_be_visible()
    expect(app.get_by_text(t("vp.showing", LANG, shown=1, total=11))).to_be_visible()
    assert exceptions_on(app) == []
    screenshot(app, "entities-viewpoints")
