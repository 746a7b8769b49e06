"""Timeline: the article's emotional arc, and the library's articles by publication date."""

from __future__ import annotations

from datetime import time

import streamlit as st

from analysis.charts import emotional_arc, library_timeline
from analysis.errors import OpinionLensError
from analysis.format import display_title
from analysis.intake import combine_date_time, format_utc_offset, utc_offset_choices
from analysis.library import LibraryError
from analysis.text.dates import DEFAULT_UTC_OFFSET
from pages.common import (
    active_article,
    band_caption,
    get_library,
    md_escape,
    record_analysis,
    tr,
    ui_lang,
)
from pages.frame import page_shell

page_shell()

RECOMPUTE_LIMIT = 100  # above this many articles, plot the numbers stored at upload instead
OFFSETS = utc_offset_choices()

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
library = get_library()
records = library.list_articles()
if len(records) <= RECOMPUTE_LIMIT:
    # Same model and band as every other screen, so a point here matches the article's Overview.
    points = []
    failed = []
    for r in records:
        try:
            a = record_analysis(r)
        except OpinionLensError:  # an article the current model cannot analyse stays off the chart
            failed.append(display_title(r))
            continue
        s = a.sentiment
        points.append(
            {
                "id": r.id,
                "title": display_title(r),
                "published_at": r.published_at,
                "n": s.n,
                "positive": s.positive,
                "neutral": s.neutral,
                "negative": s.negative,
                "nev": s.nev,
                "nev_polar": s.nev_polar,
            }
        )
    st.caption(tr("tl.library_caption_live"))
    if failed:
        st.warning(tr("tl.not_analysed", titles=", ".join(failed)))
else:
    points = [
        {"id": r.id, "title": display_title(r), "published_at": r.published_at, "n": r.n, "positive": r.positive,
         "neutral": r.neutral, "negative": r.negative, "nev": r.nev, "nev_polar": r.nev_polar}
        for r in records
    ]  # fmt: skip
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
        with st.form(key=f"date_form_{p['id']}", border=True):
            st.markdown(f"**{md_escape(p['title'])}**")
            c1, c2, c3, c4 = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
            day = c1.date_input(tr("tl.date"), value=None, key=f"date_{p['id']}")
            at = c2.time_input(tr("tl.time"), value=time(12, 0), key=f"time_{p['id']}")
            offset = c3.selectbox(
                tr("tl.offset"),
                OFFSETS,
                index=OFFSETS.index(DEFAULT_UTC_OFFSET),
                format_func=format_utc_offset,
                key=f"offset_{p['id']}",
            )
            if c4.form_submit_button(tr("tl.set_date"), key=f"set_date_{p['id']}"):
                if day is None:
                    st.error(tr("tl.date_missing"))
                else:
                    try:
                        library.update_article(p["id"], published_at=combine_date_time(day, at, offset))
                    except LibraryError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
