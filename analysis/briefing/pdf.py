"""A brief printed to PDF by headless Chromium (Playwright's `page.pdf`): A4, page numbers in the
footer, charts as vector SVG, text selectable and searchable in Chinese (the CJK font stack of
analysis.briefing.model; Han characters as themselves by analysis.briefing.hanfix). Where
Chromium or Playwright is missing, `BriefError` (code chromium_missing) says how to install them;
the HTML needs neither.

`brief_to_pdf`, the fast path, in the process's shared Chromium (analysis.briefing.chromium):
1. the brief's charts are drawn as SVG by Plotly in the chart page, which keeps Plotly loaded
   between reports (`Plotly.toImage`, awaited: no fixed sleeps, no "drawn yet?" polling);
2. the brief's HTML is rendered with those SVGs in place of the interactive charts and no
   script at all, and printed in a fresh context with JavaScript off and every request refused;
3. the text fix patches the PDF's font tables (an incremental update, milliseconds).

`html_to_pdf` prints any HTML, its scripts run (an interactive brief waits for its charts).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from analysis.briefing.chromium import (
    CHROMIUM_ENV,
    INSTALL_HINT,
    Chromium,
    Running,
    chromium_path,
    pdf_unavailable,
    shared,
)
from analysis.briefing.hanfix import fix_cmap, fix_han_text, fix_han_text_rewrite
from analysis.briefing.model import CJK_FONT_STACK, Brief
from analysis.briefing.output import BriefError
from analysis.briefing.render import CHART_WIDTH, chart_size, figure_json, render_print_html
from analysis.i18n import t

CHART_TIMEOUT_MS = 30_000
MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
CHART_PAGE = "charts"

Stages = dict[str, float]  # stage name -> seconds, filled in when asked for (the benchmark)


def _footer(lang: str) -> str:
    text = t(
        "rep.page", lang, page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>'
    )
    return (
        '<div style="width:100%;font-size:8px;color:#777;text-align:center;'
        f'font-family:Noto Sans CJK SC,sans-serif">{text}</div>'
    )


def _pdf_options(lang: str) -> dict[str, Any]:
    return {
        "format": "A4",
        "print_background": True,
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": _footer(lang),
        "margin": MARGIN,
    }


def _chart_page(running: Running) -> Any:
    """The page that draws charts: Plotly's bundle loaded once per browser, requests refused."""
    page = running.pages.get(CHART_PAGE)
    if page is None or page.is_closed():
        from plotly.offline import get_plotlyjs

        page = running.browser.new_context().new_page()
        page.route("**/*", lambda route: route.abort())
        page.set_content(
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<style>body {{ font-family: {CJK_FONT_STACK}; }}</style>"
            f"<script>{get_plotlyjs()}</script></head><body></body></html>",
            wait_until="load",
        )
        page.wait_for_function("typeof Plotly !== 'undefined'", timeout=CHART_TIMEOUT_MS)
        running.pages[CHART_PAGE] = page
    return page


_DRAW = """async (figures) => {
  const out = {};
  for (const [id, f] of Object.entries(figures)) {
    out[id] = await Plotly.toImage({data: f.figure.data, layout: f.figure.layout},
      {format: "svg", width: f.width, height: f.height, imageDataOnly: true});
  }
  return out;
}"""


def warm_up(chromium: Chromium | None = None) -> None:
    """Start the browser and load Plotly into the chart page now, without waiting, so that a PDF
    asked for next finds them ready (a CLI run starts them while it loads the analysis; the app
    when PDF is chosen). Nothing happens where no PDF can be made; a failure here is met again,
    and reported, by the PDF itself."""
    if pdf_unavailable() is None:
        (chromium or shared()).submit(_chart_page)


def draw_svgs(figures: dict[str, dict[str, Any]], chromium: Chromium | None = None) -> dict[str, str]:
    """Each figure (id -> {figure, width, height}) drawn as an SVG document by Plotly."""
    if not figures:
        return {}

    def job(running: Running) -> dict[str, str]:
        drawn: dict[str, str] = _chart_page(running).evaluate(_DRAW, figures)
        return drawn

    svgs = (chromium or shared()).call(job)
    for id_, svg in svgs.items():
        if not (isinstance(svg, str) and svg.startswith("<svg")):
            raise BriefError(f"chart {id_} was not drawn", code="pdf_failed")
    return svgs


def print_static(html: str, lang: str, chromium: Chromium | None = None) -> bytes:
    """Print HTML that needs no script (JavaScript off, every request refused); raw PDF bytes."""

    def job(running: Running) -> bytes:
        context = running.browser.new_context(
            java_script_enabled=False, viewport={"width": CHART_WIDTH, "height": 1000}
        )
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            data: bytes = page.pdf(**_pdf_options(lang))
            return data
        finally:
            context.close()

    return (chromium or shared()).call(job)


def brief_to_pdf(brief: Brief, *, chromium: Chromium | None = None, stages: Stages | None = None) -> bytes:
    """The brief as PDF bytes (the fast path in the module's docstring). `chromium`: another
    browser than the process's shared one; `stages`: filled with each stage's seconds."""
    why = pdf_unavailable()
    if why is not None:
        raise BriefError(why, code="chromium_missing")
    times: Stages = stages if stages is not None else {}
    began = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal began
        now = time.perf_counter()
        times[name] = now - began
        began = now

    figures = {
        c.id: {"figure": figure_json(c), "width": w, "height": h}
        for c in brief.charts
        for w, h in [chart_size(c)]
    }
    lap("figures")
    svgs = draw_svgs(figures, chromium)
    lap("charts")
    html = render_print_html(brief, svgs)
    lap("html")
    raw = print_static(html, brief.lang, chromium)
    lap("print")
    fixed = fix_han_text(raw)
    lap("text_fix")
    return fixed


def html_to_pdf(
    html: str,
    lang: str = "zh",
    *,
    chromium: Chromium | None = None,
    fix: Callable[[bytes], bytes] = fix_han_text,
) -> bytes:
    """Print any HTML to PDF bytes, its scripts run; an interactive brief (`render_html`) is
    printed once its charts are drawn (`data-charts` no longer `pending`). Slower than
    `brief_to_pdf`: the page loads Plotly's bundle itself. `fix`: the text fix applied."""
    why = pdf_unavailable()
    if why is not None:
        raise BriefError(why, code="chromium_missing")

    def job(running: Running) -> bytes:
        context = running.browser.new_context(viewport={"width": CHART_WIDTH, "height": 1000})
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.wait_for_function(
                "(document.documentElement.dataset.charts || 'none') !== 'pending'", timeout=CHART_TIMEOUT_MS
            )
            data: bytes = page.pdf(**_pdf_options(lang))
            return data
        finally:
            context.close()

    return fix((chromium or shared()).call(job))


__all__ = [
    "CHROMIUM_ENV",
    "INSTALL_HINT",
    "brief_to_pdf",
    "chromium_path",
    "draw_svgs",
    "fix_cmap",
    "fix_han_text",
    "fix_han_text_rewrite",
    "html_to_pdf",
    "pdf_unavailable",
    "print_static",
    "warm_up",
]
