"""Themes: keywords, the theme taxonomy coloured by net emotional value, theme × group, the
sentences behind a chosen theme, and entity × group (issue 13: the most-mentioned entities' NEV
and mentions per viewpoint group, from their clause-level labels).

Widget keys: keyword_bars, theme_treemap, theme_matrix, theme_pick, theme_sentences,
entity_matrix.
"""

from __future__ import annotations

import streamlit as st

from analysis.charts import entity_group_matrix, keyword_bars, theme_group_matrix, theme_treemap
from analysis.format import nev_percent
from analysis.themes import load_taxonomy
from pages.ui.article import active_article, entities_for, theme_labels
from pages.ui.frame import page_shell
from pages.ui.state import tr, ui_lang
from pages.ui.widgets import band_caption, sentence_table

page_shell()

record, analysis = active_article()
lang = ui_lang()
names = theme_labels(analysis)
no_bar = {"displayModeBar": False}

st.title(tr("th.title"), anchor=False)
st.caption(band_caption(analysis))

themed = [th for th in analysis.themes if th.sentence_positions]
left, right = st.columns([2, 3])
with left:
    st.subheader(tr("th.keywords"), anchor=False)
    if analysis.keywords:
        st.plotly_chart(keyword_bars(analysis, lang), key="keyword_bars", width="stretch", config=no_bar)
        st.caption(tr("th.keywords_caption"))
    else:
        st.caption(tr("th.no_keywords"))
with right:
    st.subheader(tr("th.taxonomy"), anchor=False)
    if themed:
        st.plotly_chart(
            theme_treemap(analysis, lang, taxonomy=load_taxonomy()),
            key="theme_treemap",
            width="stretch",
            config=no_bar,
        )
        st.caption(tr("th.treemap_caption"))
    else:
        st.info(tr("th.no_themes"))

if themed:
    st.subheader(tr("th.matrix"), anchor=False)
    st.plotly_chart(theme_group_matrix(analysis, lang), key="theme_matrix", width="stretch", config=no_bar)
    st.caption(tr("th.matrix_caption"))

    st.subheader(tr("th.sentences"), anchor=False)
    by_size = sorted(themed, key=lambda th: -len(th.sentence_positions))
    chosen = st.selectbox(
        tr("th.pick"),
        options=[th.id for th in by_size],
        format_func=lambda x: (
            f"{names.get(x, x)} ({len(next(t for t in themed if t.id == x).sentence_positions)})"
        ),
        key="theme_pick",
    )
    theme = next(th for th in themed if th.id == chosen)
    s = theme.sentiment
    st.caption(
        tr("th.theme_summary", nev=nev_percent(s.nev), p=s.positive, u=s.neutral, n=s.negative, total=s.n)
    )
    if theme.terms:
        st.caption(tr("th.terms", terms=", ".join(theme.terms)))
    positions = set(theme.sentence_positions)
    sentence_table(
        analysis, [x for x in analysis.sentences if x.position in positions], key="theme_sentences"
    )

ENTITY_TOP = 12  # rows of the entity matrix
st.subheader(tr("ent.matrix"), anchor=False)
entities = entities_for(analysis)
if not entities:
    st.caption(tr("ent.none"))
elif not (analysis.document.groups or analysis.document.core_viewpoint is not None):
    st.caption(tr("ov.no_groups"))
else:
    st.plotly_chart(
        entity_group_matrix(analysis, entities, lang, top=ENTITY_TOP),
        key="entity_matrix",
        width="stretch",
        config=no_bar,
    )
    st.caption(tr("ent.matrix_caption", top=min(ENTITY_TOP, len(entities))))
