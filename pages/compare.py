"""Compare: two or more library articles side by side (NEV, shares, themes, entities, groups).

Entities (issue 13): the entities most mentioned across the chosen articles, each one's NEV and
mentions per article (heatmap and table), from the labels the other comparisons use.

Widget keys: report_compare_* (the Report button, pages/ui/report_panel.py), compare_ids, compare_table, compare_nev, compare_shares, compare_themes,
compare_entities, compare_entity_table, compare_groups_<k>.
"""

from __future__ import annotations

import streamlit as st

from analysis.briefing import comparison_brief
from analysis.charts import (
    compare_entities,
    compare_nev_bars,
    compare_shares,
    compare_themes,
    group_nev_bars,
    top_compared_entities,
)
from analysis.entities import EntitySummary
from analysis.errors import OpinionLensError
from analysis.format import article_label, md_escape, nev_percent, percent_points
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA
from pages.ui.article import entities_for, entity_name, record_analysis
from pages.ui.frame import page_shell
from pages.ui.report_panel import report_panel
from pages.ui.state import ARTICLE_KEY, label_name, list_articles_or_last, tr, ui_lang
from pages.ui.widgets import band_caption

page_shell()

lang = ui_lang()
no_bar = {"displayModeBar": False}
st.title(tr("cmp.title"), anchor=False)

records, down = list_articles_or_last()  # while the database is down, the list last read
if down is not None and not records:
    st.error(down)
    st.stop()
by_id = {r.id: r for r in records}


def name_of(article_id: int) -> str:
    return article_label(by_id[article_id], max_chars=30)


if len(records) < 2:
    st.info(tr("cmp.need_two"))
    st.stop()

if "compare_ids" not in st.session_state or any(i not in by_id for i in st.session_state["compare_ids"]):
    active = st.session_state.get(ARTICLE_KEY)
    first = [active] if active in by_id else []
    st.session_state["compare_ids"] = (first + [r.id for r in records if r.id not in first])[:2]
chosen = st.multiselect(
    tr("cmp.pick"), options=list(by_id), format_func=name_of, key="compare_ids", max_selections=6
)
if len(chosen) < 2:
    st.info(tr("cmp.pick_two"))
    st.stop()

try:
    with st.spinner(tr("dash.analysing")):
        items = [(name_of(i), record_analysis(by_id[i])) for i in chosen]
except OpinionLensError as exc:  # analysis errors carry a clear message
    st.error(tr("dash.analysis_failed", error=str(exc)))
    st.stop()

st.caption(tr("rep.compare_scope", k=len(chosen)))
report_panel(
    "report_compare",
    lambda lang, _start, _end: comparison_brief(
        [(by_id[i], a) for i, (_, a) in zip(chosen, items, strict=True)],
        lang=lang,
        entities={i: entities_for(a) for i, (_, a) in zip(chosen, items, strict=True)},
    ),
    stem="-".join(f"A{i}" for i in chosen),
)

rows = []
for name, a in items:
    s = a.sentiment
    rows.append(
        {
            tr("cmp.col.article"): name,
            "n": s.n,
            label_name("positive"): s.positive,
            label_name("neutral"): s.neutral,
            label_name("negative"): s.negative,
            "nev": percent_points(s.nev),
            "nev_polar": percent_points(s.nev_polar),
            tr("cmp.col.groups"): len(a.document.groups),
            tr("cmp.col.model"): f"{a.model.name} {a.model.version}",
        }
    )
st.dataframe(rows, hide_index=True, key="compare_table", width="stretch")
st.caption(f"{NEV_FORMULA} · {NEV_POLAR_FORMULA} · {tr('cmp.percent_note')}")
# One model and band for all; each article states the languages it used (dict.fromkeys keeps order).
for line in dict.fromkeys(band_caption(a) for _, a in items):
    st.caption(line)

c1, c2 = st.columns(2)
with c1:
    st.subheader(tr("cmp.nev"), anchor=False)
    st.plotly_chart(compare_nev_bars(items, lang), key="compare_nev", width="stretch", config=no_bar)
with c2:
    st.subheader(tr("cmp.shares"), anchor=False)
    st.plotly_chart(compare_shares(items, lang), key="compare_shares", width="stretch", config=no_bar)

st.subheader(tr("cmp.themes"), anchor=False)
if any(th.sentence_positions for _, a in items for th in a.themes):
    st.plotly_chart(compare_themes(items, lang), key="compare_themes", width="stretch", config=no_bar)
else:
    st.caption(tr("th.no_themes"))

ENTITY_TOP = 10  # entities compared
st.subheader(tr("ent.cmp_heading"), anchor=False)
entity_items = [(name, entities_for(a, warn=k == 0)) for k, (name, a) in enumerate(items)]
top_names = top_compared_entities(entity_items, top=ENTITY_TOP)
if top_names:
    st.plotly_chart(
        compare_entities(entity_items, lang, top=ENTITY_TOP),
        key="compare_entities",
        width="stretch",
        config=no_bar,
    )
    first_seen: dict[str, EntitySummary] = {}
    for _, found in entity_items:
        for e in found:
            first_seen.setdefault(e.name, e)
    by_article = [{e.name: e for e in found} for _, found in entity_items]

    def cell(summary: EntitySummary | None) -> str:
        return f"{nev_percent(summary.sentiment.nev)} ({summary.mentions})" if summary else "—"

    st.dataframe(
        [
            {
                tr("ent.col.entity"): entity_name(first_seen[n], lang),
                **{
                    name: cell(found.get(n))
                    for (name, _), found in zip(entity_items, by_article, strict=True)
                },
            }
            for n in top_names
        ],
        hide_index=True,
        key="compare_entity_table",
        width="stretch",
    )
    st.caption(tr("ent.cmp_caption", top=len(top_names)))
else:
    st.caption(tr("ent.cmp_none"))

st.subheader(tr("cmp.groups"), anchor=False)
cols = st.columns(len(items))
for k, (col, (name, a)) in enumerate(zip(cols, items, strict=True)):
    with col:
        st.markdown(f"**{md_escape(name)}**")
        if a.document.groups or a.core_sentiment is not None:
            st.plotly_chart(
                group_nev_bars(a, lang), key=f"compare_groups_{k}", width="stretch", config=no_bar
            )
        else:
            st.caption(tr("ov.no_groups"))
