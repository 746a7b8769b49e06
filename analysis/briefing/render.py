"""A brief as HTML (one offline file) or Markdown, through the Jinja2 templates in
analysis/data/report_templates/ (a team changes the layout there, not here; README "Reports").

HTML: Plotly's JavaScript is inlined once for all charts, gzip-compressed and base64-encoded
(4.8 MB as is, 2 MB so), and unpacked by the browser (`DecompressionStream`) before the charts
are drawn; each chart's figure is JSON in its own `<script type="application/json">`. Autoescape
is on: article and post text is always escaped. Markdown leaves the charts out.

For print (`render_print_html`, analysis.briefing.pdf) the same template takes the charts
already drawn as SVG by Plotly and carries no script.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
from importlib import resources
from typing import Any

import jinja2
import markupsafe

from analysis.briefing.model import CJK_FONT_STACK, Brief, Chart
from analysis.i18n import t
from analysis.lazy import once

TEMPLATE_DIR = "report_templates"
DEFAULT_HEIGHT = 380  # px, for a figure that sets none
CHART_WIDTH = 680  # px: the A4 text width at 96 dpi (210 mm less two 15 mm margins)
CHART_GAP = 8  # px between two half-width charts (brief.css: .charts gap)


@once
def environment() -> jinja2.Environment:
    folder = resources.files("analysis") / "data" / TEMPLATE_DIR
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        # HTML escaped always; Markdown templates escape each value with the `md` filter instead.
        autoescape=lambda name: not (name or "").endswith(".md.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_cell
    return env


@once
def plotly_js_gzip_b64() -> str:
    """Plotly's JavaScript bundle, gzip-compressed and base64-encoded (built once per process)."""
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 6, mtime=0)).decode("ascii")


def figure_json(chart: Chart) -> dict[str, Any]:
    """The chart's figure as plain JSON, in the brief's fonts and the report's width."""
    fig = copy.deepcopy(chart.figure)
    fig.update_layout(
        font={"family": CJK_FONT_STACK},
        width=None,
        autosize=True,
        paper_bgcolor="white",
        plot_bgcolor="white" if fig.layout.plot_bgcolor is None else fig.layout.plot_bgcolor,
    )
    if fig.layout.height is None:  # the page's charts take their height from Streamlit's frame
        fig.update_layout(height=DEFAULT_HEIGHT)
    if chart.half:  # room for the gauge's end ticks at half width
        fig.update_layout(margin={"l": 40, "r": 40})
    return json.loads(fig.to_json())


def chart_size(chart: Chart) -> tuple[int, int]:
    """The chart's width and height in px on the printed page (half width beside a neighbour)."""
    height = chart.figure.layout.height or DEFAULT_HEIGHT
    return ((CHART_WIDTH - CHART_GAP) // 2 if chart.half else CHART_WIDTH), int(height)


def _strings(lang: str) -> dict[str, str]:
    keys = [
        "rep.headline",
        "rep.nev",
        "rep.nev_polar",
        "rep.generated",
        "rep.contents",
        "rep.trace_note",
        "rep.sec.method",
        "rep.method_intro",
        "rep.col.ref",
        "rep.col.text",
        "rep.col.score",
        "rep.col.label",
        "rep.col.evidence",
        "rep.col.emotion",
        "rep.col.where",
        "rep.charts_js_note",
    ]
    return {k.removeprefix("rep."): t(k, lang) for k in keys}


def _context(brief: Brief) -> dict[str, Any]:
    return {"brief": brief, "s": _strings(brief.lang), "font_stack": CJK_FONT_STACK}


def render_html(brief: Brief) -> str:
    """One self-contained HTML file: styles, figures and Plotly's JavaScript inline."""
    figures = {c.id: figure_json(c) for c in brief.charts}
    ids = [c.id for c in brief.charts]
    if len(set(ids)) != len(ids):
        raise ValueError(f"chart ids must be unique: {ids}")
    template = environment().get_template("brief.html.j2")
    return template.render(
        **_context(brief),
        figures=figures,
        plotly_js=plotly_js_gzip_b64() if figures else "",
        chart_width=CHART_WIDTH,
        images={},
    )


def render_print_html(brief: Brief, svgs: dict[str, str]) -> str:
    """The brief's HTML for print: each chart the SVG document Plotly drew for it (chart id ->
    markup, from `Plotly.toImage`), no script. The SVG is the browser's own serialisation of the
    figure (its text escaped by the serialiser), and the page is printed with JavaScript off."""
    missing = [c.id for c in brief.charts if c.id not in svgs]
    if missing:
        raise ValueError(f"no SVG for charts {missing}")
    template = environment().get_template("brief.html.j2")
    return template.render(
        **_context(brief),
        figures={},
        plotly_js="",
        chart_width=CHART_WIDTH,
        images={k: markupsafe.Markup(v) for k, v in svgs.items()},
    )


def render_markdown(brief: Brief) -> str:
    """The brief for chat or a wiki: figures and sentences, no charts."""
    return environment().get_template("brief.md.j2").render(**_context(brief))


def md_cell(value: object) -> str:
    """Text in a Markdown table cell or line: pipes, backticks, brackets and line breaks escaped,
    so article text shows as written (and no link or HTML comes from it)."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text
