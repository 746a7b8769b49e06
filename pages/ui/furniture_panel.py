"""Viewpoints' page-furniture panel: what is not counted, why, and an editor's choice to count a
block back in (stored by analysis.intake.set_furniture_counted, with the default model's summary)."""

from __future__ import annotations

import streamlit as st

from analysis import intake
from analysis.errors import OpinionLensError
from analysis.library import ArticleRecord
from analysis.records import Document
from pages.ui.access import editing_allowed, editor_identity, review_editor
from pages.ui.cache import get_library, get_scorer
from pages.ui.review_panel import say
from pages.ui.state import tr


def set_furniture_choice(record: ArticleRecord, block_key: str, widget_key: str, prefix: str) -> None:
    editor = review_editor() or editor_identity()
    if editor is None:
        return
    try:
        intake.set_furniture_counted(
            get_library(),
            record,
            block_key,
            bool(st.session_state.get(widget_key)),
            editor,
            scorer=get_scorer("default", None),
        )
    except OpinionLensError as exc:
        say(prefix, "error", tr("vp.furniture.failed", error=str(exc)))


def furniture_panel(record: ArticleRecord, doc: Document, prefix: str) -> None:
    """The blocks left out as page furniture, each with its reason; an editor counts one back in."""
    blocks = doc.furniture
    excluded = [b for b in blocks if not b.counted]  # the title counts what is left out
    st.subheader(tr("vp.furniture.title", n=len(excluded)), anchor=False)
    if not blocks:
        st.caption(tr("vp.furniture.none"))
        return
    st.caption(
        tr(
            "vp.furniture.caption",
            lines=sum(len(b.text.splitlines()) for b in excluded),
            blocks=len(excluded),
        )
    )
    can_edit = editing_allowed() and (review_editor() or editor_identity()) is not None
    if editing_allowed() and not can_edit:
        st.caption(tr("vp.furniture.name_first"))
    for b in blocks:
        with st.container(border=True, key=f"furniture_{b.key}"):
            c1, c2 = st.columns([5, 2], vertical_alignment="top")
            state = tr("vp.furniture.counted") if b.counted else tr("vp.furniture.not_counted")
            c1.markdown(f"**{tr('furniture.' + b.reason)}** · {state}")
            c1.text(b.text if len(b.text) <= 600 else b.text[:600] + " …")  # plain text, never HTML
            if can_edit:
                widget_key = f"vp_furniture_{b.key}"
                c2.toggle(
                    tr("vp.furniture.count_in"),
                    value=b.counted,
                    key=widget_key,
                    on_change=set_furniture_choice,
                    args=(record, b.key, widget_key, prefix),
                )
