"""Overview: the article's headline numbers, each with the counts and formula behind it.

Charts and counts show the labels the sidebar's switch selects (reviewed by default); the
`review_summary` box puts the model's and the reviewed NEV side by side with "k of n sentences
reviewed", and lists the stored reviews whose text is no longer in the article (`stale_reviews`).

The entity panel (issue 13, container `entity_panel`) shows the most-mentioned entities with their
NEV and counts, known and detected marked, for the labels on screen; every number is traced to
its sentences (`entity_pick`, `entity_sentences`) and `entity_open` opens Viewpoints filtered by
the picked entity. Editors (pages.ui.access.editing_allowed) add and remove the library's entity
aliases in the expander `entity_aliases`; read-only visitors see no alias controls.

The emotion section (issue 18) shows the article's dominant emotion, the negative sentences'
dominant emotion, and the emotion mix of the article, its negative sentences and each group
(`emotion_mix`), with counts in every hover; emotion never enters the NEV.

Widget keys: report_article_* (the Report button, pages/ui/report_panel.py), nev_gauge, label_shares, group_nev, emotion_mix, stated_table, review_summary, stale_reviews,
entity_panel, entity_nev, entity_table, entity_pick, entity_sentences, entity_open,
entity_aliases (expander), entity_alias_form (form), entity_alias, entity_alias_canonical,
entity_alias_type, entity_alias_add, entity_alias_table, entity_alias_pick, entity_alias_delete
(and dismiss_intro from the first-run note).
"""

from __future__ import annotations

import streamlit as st

from analysis.briefing import article_brief
from analysis.charts import (
    article_emotion_rows,
    emotion_mix_bars,
    entity_nev_bars,
    group_nev_bars,
    label_shares,
    nev_gauge,
)
from analysis.emotion import emotion_name
from analysis.emotion.labels import emotion_mix_text
from analysis.emotion.scorer import LOW_CONFIDENCE_BELOW
from analysis.entities import ENTITY_TYPES, EntitySummary, EntityTableError
from analysis.format import (
    date_text,
    display_source,
    display_title,
    md_escape,
    measure_percent,
    minute_text,
    nev_percent,
    percent_points,
    share_percent,
)
from analysis.library import LibraryError
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE, headline_measures, wilson_interval
from analysis.records import LABELS, SentimentSummary
from analysis.stated_numbers import stated_sentiment  # it owns what "stated" means
from pages.ui.access import editing_allowed, review_editor
from pages.ui.article import active_article_views, check_alias, entities_for, entity_name, shown_analysis
from pages.ui.cache import get_library
from pages.ui.frame import page_shell
from pages.ui.report_panel import report_panel
from pages.ui.state import ENTITY_FILTER_PENDING_KEY, label_name, label_view, tr, ui_lang, user_aliases
from pages.ui.widgets import band_caption, error_text, first_run_note, flash, show_flash

page_shell()


first_run_note()
record, model_analysis, review = active_article_views()
analysis = shown_analysis(model_analysis, review)  # the labels the sidebar's switch selects
lang = ui_lang()
doc = analysis.document
summary = analysis.sentiment

st.title(display_title(doc, fallback=tr("ov.untitled")), anchor=False)
report_panel(
    "report_article",
    lambda lang, _start, _end: article_brief(
        model_analysis,
        lang=lang,
        article_id=record.id,
        review=review if label_view() == "reviewed" else None,
        entities=entities_for(analysis),
    ),
    stem=f"A{record.id}",
)
meta = st.columns(4)
meta[0].metric(tr("ov.source"), display_source(doc))
meta[1].metric(
    tr("ov.published"),
    date_text(doc.published_at),
    help=doc.published_at.isoformat() if doc.published_at else None,
)
meta[2].metric(
    tr("ov.language"),
    tr(f"ov.lang.{analysis.language}")
    if analysis.language in ("zh", "en", "mixed", "other")
    else analysis.language,
)
meta[3].metric(tr("ov.sentences"), f"{summary.n}", help=tr("ov.sentences_help", unscored=summary.unscored))
left_out = [b for b in doc.furniture if not b.counted]
if doc.author or left_out:
    parts = [tr("ov.author", author=md_escape(doc.author))] if doc.author else []
    if left_out:
        parts.append(tr("ov.furniture_left_out", n=len(left_out)))
    st.caption(" · ".join(parts))

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("ov.nev_heading"), anchor=False)
    st.plotly_chart(
        nev_gauge(summary, lang), key="nev_gauge", width="stretch", config={"displayModeBar": False}
    )
    st.caption(tr("ov.gauge_zones"))
with right:
    st.subheader(tr("ov.shares_heading"), anchor=False)
    st.plotly_chart(
        label_shares(summary, lang), key="label_shares", width="stretch", config={"displayModeBar": False}
    )

counts = tr("chart.counts", p=summary.positive, u=summary.neutral, n=summary.negative, total=summary.n)
m = st.columns(5)
m[0].metric(
    tr("ov.nev"),
    nev_percent(summary.nev),
    help=f"{NEV_FORMULA}\n\n{counts}\n\n{tr('ov.nev_help')}",
)
m[1].metric(
    tr("ov.nev_polar"),
    nev_percent(summary.nev_polar),
    help=f"{NEV_POLAR_FORMULA}\n\n{counts}\n\n{tr('ov.nev_polar_help')}",
)
for col, label in zip(m[2:], LABELS, strict=True):
    count = getattr(summary, label)
    col.metric(
        label_name(label),
        f"{count}",
        share_percent(summary.share(label)),
        delta_color="off",
        delta_arrow="off",
    )
st.caption(f"{NEV_FORMULA} · {NEV_POLAR_FORMULA} · {counts}")
st.caption(band_caption(analysis))


def review_box() -> None:
    """The model's and the reviewed NEV side by side, how many sentences an analyst labelled, and
    the stored reviews that no longer apply because their text changed."""
    model_s = model_analysis.sentiment
    reviewed_s = review.view.analysis.sentiment if review else model_s
    k = review.view.reviewed if review else 0
    n = len(model_analysis.sentences)

    def counts_of(x: SentimentSummary) -> str:
        return tr("chart.counts", p=x.positive, u=x.neutral, n=x.negative, total=x.n)

    c = st.columns([1, 1, 2])
    c[0].metric(tr("rv.nev_model"), nev_percent(model_s.nev), help=f"{NEV_FORMULA}\n\n{counts_of(model_s)}")
    moved = None
    if model_s.nev is not None and reviewed_s.nev is not None and reviewed_s.nev != model_s.nev:
        moved = tr("rv.nev_moved", points=f"{percent_points(reviewed_s.nev - model_s.nev):+.1f}")
    c[1].metric(
        tr("rv.nev_reviewed"),
        nev_percent(reviewed_s.nev),
        moved,
        delta_color="off",
        help=f"{NEV_FORMULA}\n\n{counts_of(reviewed_s)}",
    )
    with c[2]:
        st.markdown(f"**{tr('rv.k_of_n', k=k, n=n)}**")
        if review is not None and review.view.changed:
            st.caption(tr("rv.changed", changed=review.view.changed))
        st.caption(tr(f"rv.showing.{label_view()}"))
    stale = review.view.stale if review else ()
    if stale:
        st.warning(tr("rv.stale", count=len(stale)), icon=":material/history:")
        st.dataframe(
            [
                {
                    tr("rv.col.position_was"): e.position,
                    tr("rv.col.label"): label_name(e.label),
                    tr("rv.col.model_label"): label_name(e.model_label),
                    tr("rv.col.editor"): e.editor,
                    tr("rv.col.when"): minute_text(e.created_at),
                    tr("rv.col.note"): e.note,  # user text: plain data, never interpreted
                }
                for e in stale
            ],
            hide_index=True,
            key="stale_reviews",
            width="stretch",
        )


with st.container(border=True, key="review_summary"):
    review_box()

if summary.n < SMALL_SAMPLE:
    interval = wilson_interval(summary.negative, summary.n)
    if interval is None:
        st.warning(tr("ov.no_scored"))
    else:
        st.warning(
            tr(
                "ov.small_sample",
                n=summary.n,
                min=SMALL_SAMPLE,
                lo=share_percent(interval[0], digits=0),
                hi=share_percent(interval[1], digits=0),
            ),
            icon=":material/warning:",
        )

st.subheader(tr("ov.groups_heading"), anchor=False)
if doc.groups or analysis.core_sentiment is not None:
    st.plotly_chart(
        group_nev_bars(analysis, lang), key="group_nev", width="stretch", config={"displayModeBar": False}
    )
    st.caption(tr("ov.groups_caption"))
else:
    st.caption(tr("ov.no_groups"))
st.page_link("pages/viewpoints.py", label=tr("ov.trace_link"), icon=":material/manage_search:")


def emotion_section() -> None:
    """The article's emotion mix, its negative sentences' dominant emotion, each group's mix."""
    st.subheader(tr("emo.heading"), anchor=False)
    mix = analysis.emotions
    if mix is None:
        st.caption(tr("emo.not_read"))
        return
    cols = st.columns(2)
    for col, key, m in (
        (cols[0], "emo.dominant", mix),
        (cols[1], "emo.dominant_negative", analysis.negative_emotions),
    ):
        top = m.dominant() if m is not None else None
        n_felt = (m.n - m.counts.get("neutral", 0)) if m is not None else 0
        col.metric(
            tr(key),
            emotion_name(top, lang) if top else tr("emo.no_feeling"),
            help=tr("emo.count_help", k=m.counts[top], n=m.n, felt=n_felt) if m is not None and top else None,
        )
    rows = article_emotion_rows(analysis, lang)
    st.plotly_chart(
        emotion_mix_bars(rows, lang), key="emotion_mix", width="stretch", config={"displayModeBar": False}
    )
    models = ", ".join(analysis.model.emotion_components.values()) or "—"
    st.caption(
        tr(
            "emo.caption",
            model=models,
            low=mix.low_confidence,
            threshold=LOW_CONFIDENCE_BELOW,
            unread=mix.unread,
        )
        + (f" {md_escape(analysis.model.emotion_note)}" if analysis.model.emotion_note else "")
    )


emotion_section()

# Entities: who the coverage is about; every number traced to its sentences.
ENTITY_TOP = 10  # entities in the chart (the table lists them all)
ALIAS_MESSAGE_KEY = "_entity_alias_message"  # the last alias action's outcome, shown once (flash)
ALIAS_ERRORS = (
    "alias_empty",
    "alias_need_type",
    "alias_known",
    "alias_exists",
)  # each has an ent.<code> string


def entity_rows(entities: tuple[EntitySummary, ...]) -> list[dict[str, object]]:
    """One row per entity; the evidence column only when some entity has evidence terms (the
    accurate tier computes them on demand, so an article scored by it has none here)."""
    with_evidence = any(e.evidence for e in entities)
    with_emotions = any(e.emotions is not None for e in entities)  # off when emotions were not read
    return [
        {
            tr("ent.col.entity"): entity_name(e, lang),
            tr("ent.col.type"): tr(f"ent.type.{e.type}") if e.type else "—",
            tr("ent.col.kind"): tr(f"ent.kind.{e.kind}"),
            tr("ent.col.mentions"): e.mentions,
            tr("ent.col.nev"): percent_points(e.sentiment.nev),
            label_name("positive"): e.sentiment.positive,
            label_name("neutral"): e.sentiment.neutral,
            label_name("negative"): e.sentiment.negative,
            **(
                {
                    tr("ent.col.emotion"): emotion_name(e.emotions.dominant() if e.emotions else None, lang),
                    tr("ent.col.emotions"): emotion_mix_text(e.emotions, lang),
                }
                if with_emotions
                else {}
            ),
            tr("ent.col.sentences"): ", ".join(f"#{p}" for p in e.sentence_positions),
            **({tr("ent.col.evidence"): ", ".join(ev.term for ev in e.evidence)} if with_evidence else {}),
        }
        for e in entities
    ]


def open_in_viewpoints(name: str) -> None:
    st.session_state[ENTITY_FILTER_PENDING_KEY] = [name]
    st.switch_page("pages/viewpoints.py")


def trace(entities: tuple[EntitySummary, ...]) -> None:
    """One entity's numbers down to its sentences: the entity's label in each, the sentence's,
    and the clause the entity's label came from."""
    names = [e.name for e in entities]
    if st.session_state.get("entity_pick") not in names:  # a new article: start at the top
        st.session_state.pop("entity_pick", None)
    by_name = {e.name: e for e in entities}
    picked = st.selectbox(
        tr("ent.pick"),
        options=names,
        format_func={e.name: f"{entity_name(e, lang)} ({e.mentions})" for e in entities}.__getitem__,
        key="entity_pick",
    )
    e = by_name[picked]
    s = e.sentiment
    st.caption(
        tr(
            "ent.pick_summary",
            nev=nev_percent(s.nev),
            p=s.positive,
            u=s.neutral,
            n=s.negative,
            total=s.n,
            surfaces=md_escape(" / ".join(e.surfaces)),
        )
    )
    texts = {x.position: x.text for x in analysis.sentences}
    split = any(x.split for x in e.sentences)  # the clause column only when a sentence was split
    felt = e.emotions is not None  # the emotion column only when the article's emotions were read
    st.dataframe(
        [
            {
                "#": x.position,
                tr("ent.col.entity_label"): label_name(x.label),
                tr("ent.col.sentence_label"): label_name(x.sentence_label),
                **({tr("ent.col.emotion"): emotion_name(x.emotion, lang)} if felt else {}),
                **({tr("ent.col.clause"): x.span if x.split else ""} if split else {}),
                tr("ent.col.text"): texts.get(x.position, ""),  # plain text: never interpreted
            }
            for x in e.sentences
        ],
        hide_index=True,
        key="entity_sentences",
        width="stretch",
        column_config={
            "#": st.column_config.NumberColumn(width=48),
            tr("ent.col.entity_label"): st.column_config.TextColumn(width=90),
            tr("ent.col.sentence_label"): st.column_config.TextColumn(width=90),
            tr("ent.col.clause"): st.column_config.TextColumn(width=260),
            tr("ent.col.text"): st.column_config.TextColumn(width=400 if split else 660),
        },
    )
    if st.button(tr("ent.open_viewpoints"), key="entity_open", icon=":material/manage_search:"):
        open_in_viewpoints(e.name)


def entity_panel() -> None:
    entities = entities_for(analysis)
    if not entities:
        st.caption(tr("ent.none"))
        return
    left, right = st.columns([1, 2])
    with left:
        st.plotly_chart(
            entity_nev_bars(entities, lang, top=ENTITY_TOP),
            key="entity_nev",
            width="stretch",
            config={"displayModeBar": False},
        )
    with right:
        st.dataframe(
            entity_rows(entities),
            hide_index=True,
            key="entity_table",
            width="stretch",
            height=min(38 + 35 * len(entities), 400),
            # Pixel widths: every column fits beside the chart (names longer than that show on hover).
            column_config={
                tr("ent.col.entity"): st.column_config.TextColumn(width=110),
                tr("ent.col.type"): st.column_config.TextColumn(width=56),
                tr("ent.col.kind"): st.column_config.TextColumn(width=56),
                tr("ent.col.mentions"): st.column_config.NumberColumn(width=64),
                tr("ent.col.nev"): st.column_config.NumberColumn(format="%+.1f", width=80),
                **{label_name(x): st.column_config.NumberColumn(width=48) for x in LABELS},
                tr("ent.col.emotion"): st.column_config.TextColumn(width=56),
                tr("ent.col.emotions"): st.column_config.TextColumn(width=120),
                tr("ent.col.sentences"): st.column_config.TextColumn(width=110),
            },
        )
    st.caption(tr("ent.caption"))
    if any(e.emotions is not None for e in entities):
        st.caption(tr("ent.emotion_caption", unit=tr("ent.emotion_unit.sentences")))
    if len(entities) > ENTITY_TOP:
        st.caption(tr("ent.top_note", shown=ENTITY_TOP, total=len(entities)))
    trace(entities)


def add_alias() -> None:
    """Form callback: check the alias against the entity table, then store it."""
    alias = str(st.session_state.get("entity_alias") or "")
    canonical = str(st.session_state.get("entity_alias_canonical") or "")
    kind = st.session_state.get("entity_alias_type")
    try:
        item, previous = check_alias(alias, canonical, None if kind in (None, "auto") else str(kind))
        get_library().add_entity_alias(*item, editor=review_editor() or "")
    except (EntityTableError, LibraryError) as exc:  # a table conflict is said with the table's reason
        conflict = "alias_conflict" if isinstance(exc, EntityTableError) else None
        flash(
            ALIAS_MESSAGE_KEY,
            "error",
            error_text(exc, "ent", codes=ALIAS_ERRORS, fallback=conflict, canonical="?"),
        )
        return
    added = tr("ent.alias_added", alias=item[0], canonical=item[1], type=tr(f"ent.type.{item[2]}"))
    if previous is not None:
        added += " " + tr("ent.alias_moved", alias=item[0], previous=previous, canonical=item[1])
    flash(ALIAS_MESSAGE_KEY, "success", added)
    st.session_state["entity_alias"] = ""
    st.session_state["entity_alias_canonical"] = ""


def delete_alias() -> None:
    alias_id = st.session_state.get("entity_alias_pick")
    if alias_id is None:
        return
    try:
        removed = get_library().delete_entity_alias(int(alias_id))
    except LibraryError as exc:
        flash(ALIAS_MESSAGE_KEY, "error", str(exc))
        return
    flash(
        ALIAS_MESSAGE_KEY,
        "success",
        tr("ent.alias_deleted", alias=removed.alias, canonical=removed.canonical),
    )


def alias_section() -> None:
    """Editors: add and remove the library's entity aliases (used by every analysis)."""
    with st.expander(tr("ent.aliases_heading"), icon=":material/badge:", key="entity_aliases"):
        st.caption(tr("ent.aliases_help"))
        show_flash(ALIAS_MESSAGE_KEY)
        with st.form("entity_alias_form", border=False, enter_to_submit=True):
            c = st.columns([2, 2, 1], vertical_alignment="bottom")
            c[0].text_input(tr("ent.alias"), key="entity_alias", max_chars=200, placeholder="米厂")
            c[1].text_input(
                tr("ent.alias_canonical"), key="entity_alias_canonical", max_chars=200, placeholder="小米"
            )
            types = ["auto", *ENTITY_TYPES]
            c[2].selectbox(
                tr("ent.alias_type"),
                options=types,
                format_func={
                    x: tr("ent.alias_type_auto") if x == "auto" else tr(f"ent.type.{x}") for x in types
                }.__getitem__,
                key="entity_alias_type",
            )
            st.form_submit_button(
                tr("ent.alias_add"), key="entity_alias_add", on_click=add_alias, icon=":material/add:"
            )
        try:
            records = get_library().list_entity_aliases()
        except LibraryError as exc:
            st.error(str(exc))
            return
        if not records:
            return
        if st.session_state.get("entity_alias_pick") not in {r.id for r in records}:
            st.session_state.pop("entity_alias_pick", None)
        st.dataframe(
            [
                {
                    tr("ent.col.alias"): r.alias,
                    tr("ent.col.canonical"): r.canonical,
                    tr("ent.col.type"): tr(f"ent.type.{r.type}") if r.type in ENTITY_TYPES else r.type,
                    tr("ent.col.editor"): r.editor,
                    tr("ent.col.when"): minute_text(r.created_at),
                }
                for r in records
            ],
            hide_index=True,
            key="entity_alias_table",
            width="stretch",
        )
        c = st.columns([4, 1], vertical_alignment="bottom")
        c[0].selectbox(
            tr("ent.alias_pick"),
            options=[r.id for r in records],
            format_func={r.id: f"{r.alias} → {r.canonical}" for r in records}.__getitem__,
            key="entity_alias_pick",
        )
        c[1].button(
            tr("ent.alias_delete"),
            key="entity_alias_delete",
            on_click=delete_alias,
            icon=":material/delete:",
            width="stretch",
        )


st.subheader(tr("ent.heading"), anchor=False)
with st.container(border=True, key="entity_panel"):
    entity_panel()
if editing_allowed():
    alias_section()
elif aliases := user_aliases():
    st.caption(tr("ent.aliases_count", count=len(aliases)))

# Stated vs computed: the figures the article itself gives, beside ours.
st.subheader(tr("ov.stated_heading"), anchor=False)
stated = stated_sentiment(analysis.figures) or {}
computed = headline_measures(summary)
if stated:
    rows = [
        {
            tr("ov.measure"): tr(f"ov.measure.{key}") if key in computed else key,
            tr("ov.stated"): measure_percent(key, value),
            tr("ov.computed"): measure_percent(key, computed[key]) if key in computed else "—",
        }
        for key, value in stated.items()
    ]
    st.dataframe(rows, hide_index=True, key="stated_table", width="stretch")
    st.caption(tr("ov.stated_why"))
else:
    st.caption(tr("ov.stated_none"))
