"""Multi-step user flows shared by the browser tests and the browser benchmark."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from server import exceptions_on, go_to_page, rerun_after, widget

POSTS_PATH = "posts"


def load_sample_corpus(page: Page, paths: list[str] | None = None, timeout_ms: float = 120_000) -> float:
    """Open the posts page and load the sample corpus with its one button; returns the ms the
    click took until the timeline was drawn. The posts page stays open."""
    if paths is not None and POSTS_PATH not in paths:
        raise AssertionError(f"no posts page in the sidebar: {paths}")
    go_to_page(page, POSTS_PATH)
    button = widget(page, "posts_sample").locator("button")
    elapsed = rerun_after(page, button.click, timeout_ms)
    errors = exceptions_on(page)
    if errors:  # say what broke instead of waiting for a chart that will never come
        raise AssertionError(f"the posts page raised: {errors[0]}")
    expect(widget(page, "posts_volume_chart").locator(".js-plotly-plot")).to_be_visible(timeout=timeout_ms)
    return elapsed
