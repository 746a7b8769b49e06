"""The briefing (舆情简报): one self-contained report an analyst can send, every number traceable.

Three kinds, each a `Brief` (analysis.briefing.model) built from stored analyses:

- `article_brief`: one article (headline figures with counts and the worked formula, the gauge,
  viewpoint groups, the most negative and positive sentences with evidence, entities and share
  of voice, the emotion mix, reviewed-versus-model figures, stated versus computed, the method).
- `comparison_brief`: chosen library articles, or all articles in a date range (a periodic brief).
- `posts_brief`: a corpus of posts over a period (timeline, spikes with their explanations,
  coordinated posting, most negative and positive posts, entities).

Formats (`analysis.briefing.render`, `analysis.briefing.pdf`): HTML (one offline file, Plotly's
JavaScript inlined once), PDF (headless Chromium, one per process and kept warm, charts as SVG,
A4, page numbers), Markdown (no charts). The
layout is Jinja2 templates in analysis/data/report_templates/. Text is template sentences filled
with computed figures (analysis/data/i18n/report.json); every quoted sentence carries its id
(`A3·#12`: article 3, sentence 12; posts by file row). `write_atomic` writes all or nothing.
"""

from __future__ import annotations

from typing import Literal

from analysis.briefing.articles import article_brief, comparison_brief
from analysis.briefing.model import Brief
from analysis.briefing.output import BriefError, write_atomic
from analysis.briefing.render import render_html, render_markdown

ReportFormat = Literal["html", "pdf", "md"]
FORMATS: tuple[ReportFormat, ...] = ("html", "pdf", "md")
MIME = {"html": "text/html", "pdf": "application/pdf", "md": "text/markdown"}


def render(brief: Brief, fmt: ReportFormat) -> bytes:
    """The brief in one format, as the bytes of the file."""
    if fmt == "md":
        return render_markdown(brief).encode("utf-8")
    if fmt == "html":
        return render_html(brief).encode("utf-8")
    from analysis.briefing.pdf import brief_to_pdf  # Playwright only when a PDF is asked for

    return brief_to_pdf(brief)


def report_filename(brief: Brief, fmt: ReportFormat, stem: str | None = None) -> str:
    """`opinion-lens_<kind>_<stem>.<ext>` (stem: an id, a hash prefix or a date range)."""
    tail = f"_{stem}" if stem else ""
    return f"opinion-lens_{brief.kind}{tail}.{fmt}"


__all__ = [
    "FORMATS",
    "MIME",
    "Brief",
    "BriefError",
    "ReportFormat",
    "article_brief",
    "comparison_brief",
    "render",
    "render_html",
    "render_markdown",
    "report_filename",
    "write_atomic",
]
