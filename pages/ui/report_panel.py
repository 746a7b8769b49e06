"""The Report button (issue 19): a popover that makes the page's brief (analysis.briefing) in the
chosen language and format and offers it for download. Layout and widgets only: the brief, its
rendering and the PDF are analysis.briefing's.

Widget keys, for a panel `key`: <key>_lang, <key>_format, <key>_from, <key>_to, <key>_make,
<key>_download.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import streamlit as st

from analysis.briefing import MIME, Brief, ReportFormat, render, report_filename
from analysis.errors import OpinionLensError
from pages.ui.state import tr, ui_lang

Build = Callable[[str, date | None, date | None], Brief]  # (lang, from, to) -> the brief


def report_panel(key: str, build: Build, *, stem: str, span: tuple[date, date] | None = None) -> None:
    """The Report popover; `span` (first and last day) offers a period to cut (posts)."""
    with st.popover(tr("rep.button"), icon=":material/summarize:", help=tr("rep.button_help")):
        lang = st.segmented_control(
            tr("rep.language"), ["zh", "en"], default=ui_lang(), key=f"{key}_lang",
            format_func={"zh": "中文", "en": "English"}.__getitem__,
        ) or ui_lang()  # fmt: skip
        fmt: ReportFormat = st.segmented_control(
            tr("rep.format"), ["html", "pdf", "md"], default="html", key=f"{key}_format",
            format_func={"html": "HTML", "pdf": "PDF", "md": "Markdown"}.__getitem__,
        ) or "html"  # fmt: skip
        start = end = None
        if span is not None:
            c = st.columns(2)
            start = c[0].date_input(tr("rep.period_from"), span[0], span[0], span[1], key=f"{key}_from")
            end = c[1].date_input(tr("rep.period_to"), span[1], span[0], span[1], key=f"{key}_to")
        if fmt == "pdf":
            from analysis.briefing.pdf import pdf_unavailable, warm_up

            if (why := pdf_unavailable()) is not None:
                st.info(tr("rep.pdf_missing", how=why), icon=":material/picture_as_pdf:")
                return
            warm_up()  # the server's one Chromium, started while the analyst picks the rest
        made = f"_{key}_file"
        if st.button(tr("rep.make"), key=f"{key}_make", type="primary", icon=":material/description:"):
            began = time.monotonic()
            try:
                with st.spinner(tr("rep.make")):
                    brief = build(lang, start, end)
                    data = render(brief, fmt)
            except OpinionLensError as exc:  # unknown article, empty period, no Chromium …
                st.session_state.pop(made, None)
                st.error(tr("rep.failed", error=str(exc)))
                return
            name = report_filename(brief, fmt, stem)
            st.session_state[made] = (name, data, fmt, round(time.monotonic() - began, 1))
        if (file := st.session_state.get(made)) is not None:
            name, data, shown_fmt, seconds = file
            st.caption(tr("rep.made", size=f"{len(data) / 1e6:.1f} MB", seconds=seconds))
            st.download_button(
                tr("rep.download", name=name), data, name, MIME[shown_fmt], key=f"{key}_download",
                icon=":material/download:",
            )  # fmt: skip
