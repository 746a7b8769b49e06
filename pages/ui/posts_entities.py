"""Entities in posts (Posts page section; layout and widgets only, the numbers are CorpusAnalysis's
entity views, analysis.entities underneath).

Mentions and NEV per period of the ten most-mentioned entities with their share of voice (share of
all entity mentions of the period, the rest in grey), or of a competitor set the analyst picks
(share of voice recomputed within the set): a stacked bar chart (share of voice or mentions), a
NEV line chart, the whole-corpus totals (with the emotion mix of each entity's posts, when an emotion
model is installed) and the per-period table, and the table as CSV (the `python -m analysis entities`
contract).

Widget keys: posts_entities_set (the competitor set: a multiselect of entity names, empty = the top
entities), posts_entities_measure (share_of_voice / mentions), posts_entities_volume_chart,
posts_entities_nev_chart, posts_entities_totals, posts_entities_table, posts_entities_download.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from analysis.corpus import view as ca
from analysis.corpus.captions import ENTITY_COLUMN_KEYS
from analysis.emotion.labels import emotion_mix_text, emotion_name
from analysis.entities import EMOTION_COUNT_COLUMNS, emotion_mix_of
from pages.ui.article import aliases_in_use
from pages.ui.state import tr, ui_lang

SET_KEY = "posts_entities_set"
TABLE_ROWS = 2_000  # per-period rows drawn (whole periods; hourly periods can make tens of thousands)


def section(corpus: ca.CorpusAnalysis, freq: str) -> None:
    """The entity section for the chosen frequency."""
    lang = ui_lang()
    st.subheader(tr("posts.entities.title"), anchor=False)
    st.caption(tr("posts.entities.help"))
    corpus.use_entity_aliases(aliases_in_use(warn=False))  # the library's, as on the articles
    totals = corpus.entity_totals(freq)
    if totals.empty:
        st.info(tr("posts.entities.none"))
        return
    names = corpus.entity_names(lang)
    options = list(totals["entity"])  # every entity mentioned, most mentioned first
    shown = {n: f"{names.get(n, n)} · {m:,}" for n, m in zip(options, totals["mentions"], strict=True)}
    if SET_KEY in st.session_state:  # a set picked on another corpus: keep the entities this one has
        st.session_state[SET_KEY] = [n for n in st.session_state[SET_KEY] if n in shown]
    chosen = st.multiselect(
        tr("posts.entities.set"), options, key=SET_KEY, format_func=shown.__getitem__,
        placeholder=tr("posts.entities.set_placeholder", n=ca.TOP_ENTITIES), help=tr("posts.entities.set_help"),
    )  # fmt: skip
    view = corpus.entity_view(freq, chosen)
    if view.competitors:
        st.caption(tr("posts.entities.set_caption", n=len(view.names)))
    else:
        st.caption(tr("posts.entities.top_caption", n=len(view.names)))
    measures = {
        "share_of_voice": tr("posts.entities.measure.share_of_voice"),
        "mentions": tr("posts.entities.measure.mentions"),
    }
    measure = st.segmented_control(
        tr("posts.entities.measure"), list(measures), format_func=measures.__getitem__,
        default="share_of_voice", key="posts_entities_measure",
    ) or "share_of_voice"  # fmt: skip
    kind: Literal["entity_mentions", "entity_share"] = (
        "entity_mentions" if measure == "mentions" else "entity_share"
    )
    st.plotly_chart(
        corpus.figure(kind, lang, freq, entities=chosen), key="posts_entities_volume_chart", width="stretch"
    )
    st.plotly_chart(
        corpus.figure("entity_nev", lang, freq, entities=chosen),
        key="posts_entities_nev_chart",
        width="stretch",
    )
    c1, c2 = st.columns([2, 3])
    c1.markdown(f"**{tr('posts.entities.totals')}**")
    summary = corpus.entity_totals(freq, chosen) if chosen else totals.head(ca.TOP_ENTITIES)
    percent = {tr("posts.entities.col.share_of_voice"): st.column_config.NumberColumn(format="percent")}
    c1.dataframe(
        _totals_table(summary, names), hide_index=True, key="posts_entities_totals", column_config=percent
    )
    if "emotion" in summary:
        c1.caption(tr("ent.emotion_caption", unit=tr("ent.emotion_unit.posts")))
    c2.markdown(f"**{tr('posts.entities.per_period')}**")
    table = corpus.entity_table(freq, lang, chosen)
    if len(table) > TABLE_ROWS:  # whole periods only, so each shown period still adds up
        periods = table[tr("posts.entities.col.period")]
        shown = table[(periods < periods.iloc[TABLE_ROWS]).to_numpy()]
        c2.caption(tr("posts.entities.table_capped", shown=len(shown), total=len(table)))
        table = shown
    c2.dataframe(table, hide_index=True, key="posts_entities_table", column_config=percent)
    st.download_button(
        tr("posts.entities.download"), lambda: corpus.entities_csv(freq, chosen), f"entities_{freq}.csv",
        "text/csv", key="posts_entities_download", icon=":material/download:",
    )  # fmt: skip


def _totals_table(summary: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Whole-corpus rows as shown: entity in the UI language, counts, NEV, share of voice, and
    with emotions the dominant one and the mix of the entity's posts (喜怒哀惧惊恶无 in Chinese)."""
    lang = ui_lang()
    table = summary.assign(
        entity=summary["entity"].map(lambda n: names.get(n, n)), nev=summary["nev"].round(4)
    )
    if "emotion" in table:
        mixes = [emotion_mix_text(emotion_mix_of(row), lang) for _, row in table.iterrows()]
        table = table.drop(columns=list(EMOTION_COUNT_COLUMNS)).assign(
            emotion=[emotion_name(e if isinstance(e, str) else None, lang) for e in table["emotion"]],
            emotions=mixes,
        )
    return table.rename(columns=lambda c: tr(ENTITY_COLUMN_KEYS.get(c, f"ent.col.{c}")))
