"""A fresh server's first visitor (issue 20): the Overview's gauge and numbers are drawn within a
generous bound (the real target, 3 s, is measured by scripts/benchmark_cold.py, not here: a busy
CI machine must not fail this by chance), the chart prefetch leaves nothing behind, the sidebar
says what is still being prepared, and the warm-up then finishes with every page working.
Saves test-artifacts/cold-first-visit.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from server import (
    GAUGE_DIAL,
    StreamlitServer,
    exceptions_on,
    go_to_page,
    metric_value,
    nav_paths,
    new_page,
    screenshot,
    time_first_load,
)

from analysis.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GENEROUS_MS = 60_000  # a fresh process on a loaded 2-core CI machine; the target lives in the benchmark
PREPARING = t("warm.preparing", "zh", done=0, total=0, step="").split("(")[0]  # 正在准备示例文章和模型


def test_a_fresh_servers_first_visitor_sees_the_overview_and_the_warm_up_finishes(
    chromium: Browser, fresh_server: StreamlitServer
) -> None:
    page = new_page(chromium)
    try:
        ms = time_first_load(page, fresh_server.url, GENEROUS_MS)
        assert 0 < ms < GENEROUS_MS
        assert not exceptions_on(page)
        expect(metric_value(page, t("ov.sentences", "zh"))).to_have_text("11")
        # The one-pixel chart that fetched the chart code is gone: the Overview's own charts remain,
        # the gauge first.
        charts = page.locator("[data-testid='stPlotlyChart']")
        assert page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").count() == charts.count() >= 5
        assert charts.first.locator(GAUGE_DIAL).count() == 1
        sidebar = page.locator("[data-testid='stSidebar']")
        saw_note = sidebar.get_by_text(PREPARING).count() > 0
        screenshot(page, "cold-first-visit")
        # Every page works while and after the background steps run; then the note is gone.
        for path in [*nav_paths(page)[1:], ""]:
            go_to_page(page, path, 120_000)
            assert not exceptions_on(page), path
        expect(sidebar.get_by_text(PREPARING)).to_have_count(0, timeout=GENEROUS_MS)
        log = fresh_server.log_tail(200_000)
        assert "Traceback" not in log, log[-3000:]
        # The note is drawn at the end of a run while steps remain; the first run ends before the
        # models' steps start, so the first visitor saw it.
        assert saw_note
    finally:
        page.context.close()
