"""Timeline: the article's emotional arc, and the library's articles by publication date."""

from __future__ import annotations

from datetime import time
from typing import Any

import streamlit as st

from analysis.charts import emotional_arc, library_timeline
from analysis.errors import OpinionLensError
from analysis.format import display_title, md_escape
from analysis.library import ArticleRecord, LibraryError
from analysis.metrics import summary_row
from analysis.records import SentimentSummary
from pages.ui.article import active_article, record_analysis
from pages.ui.cache import get_library
from pages.ui.frame import page_shell
from pages.ui.state import list_articles_or_last, tr, ui_lang
from pages.ui.widgets import band_caption, when_inputs, when_value

page_shell()

RECOMPUTE_LIMIT = 100  # above this many articles, plot the numbers stored at upload instead

record, analysis = active_article()
lang = ui_lang()
no_bar = {"displayModeBar": False}

st.title(tr("tl.title"), anchor=False)
st.caption(band_caption(analysis))

st.subheader(tr("tl.arc"), anchor=False)
window = st.slider(tr("tl.window"), min_value=1, max_value=9, value=3, step=1, key="arc_window")
st.plotly_chart(
    emotional_arc(analysis, lang, window=window), key="emotional_arc", width="stretch", config=no_bar
)
st.caption(tr("tl.arc_caption", window=window))

st.subheader(tr("tl.library"), anchor=False)
records, down = list_articles_or_last()  # while the database is down, the list last read (sidebar says why)


def point(r: ArticleRecord, s: SentimentSummary | None) -> dict[str, Any]:
    """One article on the library timeline: id, title, date and its summary's counts and NEVs."""
    return {
        "id": r.id,
        "title": display_title(r),
        "published_at": r.published_at,
        **(summary_row(s) if s else {}),
    }


if len(records) <= RECOMPUTE_LIMIT:
    # Same model and band as every other screen, so a point here matches the article's Overview.
    points = []
    failed = []
    for r in records:
        try:
            points.append(point(r, record_analysis(r).sentiment))
        except OpinionLensError:  # an article the current model cannot analyse stays off the chart
            failed.append(display_title(r))
    st.caption(tr("tl.library_caption_live"))
    if failed:
        st.warning(tr("tl.not_analysed", titles=", ".join(failed)))
else:
    points = [point(r, r.summary) for r in records]  # the numbers stored at upload
    st.caption(tr("tl.library_caption_stored", limit=RECOMPUTE_LIMIT))

dated = [p for p in points if p["published_at"] is not None]
undated = [p for p in points if p["published_at"] is None]
if dated:
    st.plotly_chart(library_timeline(dated, lang), key="library_timeline", width="stretch", config=no_bar)
    if len(dated) == 1:
        st.caption(tr("tl.one_dated"))
else:
    st.info(tr("tl.none_dated"))

if undated:
    st.subheader(tr("tl.undated", count=len(undated)), anchor=False)
    st.caption(tr("tl.undated_caption"))
    for p in undated:
        keys = (f"date_{p['id']}", f"time_{p['id']}", f"offset_{p['id']}")
        with st.form(key=f"date_form_{p['id']}", border=True):
            st.markdown(f"**{md_escape(p['title'])}**")
            *inputs, c4 = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
            when_inputs(inputs, keys, None, default_time=time(12, 0))
            if c4.form_submit_button(tr("tl.set_date"), key=f"set_date_{p['id']}", disabled=down is not None):
                if (published := when_value(keys)) is None:
                    st.error(tr("tl.date_missing"))
                else:
                    try:
                        get_library().update_article(p["id"], published_at=published)
                    except LibraryError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
