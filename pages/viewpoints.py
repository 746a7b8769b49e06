"""Viewpoints: the core viewpoint and each viewpoint group, down to every sentence and the words
that moved its score; and the analyst's review of the labels (issue 12).

Labels follow the sidebar's switch (pages.common.label_view: reviewed by default); a sentence an
analyst labelled carries ✎ and the model's label beside it.

Reading, widget keys: vp_labels, vp_themes, vp_sort, vp_search (keyword), vp_entities (entity
filter, issue 13: the sentences naming any chosen entity; the Overview's entity_open sets it),
vp_emotions (emotion filter, issue 18; each sentence shows its emotion badge, and a sentence
opened in vp_explain shows the words behind its emotion, by occlusion),
vp_uncertain, vp_explain, core_viewpoint, group_<n>, strip_core, strip_g<n>, sentence_table (the
last table of the page).

With entities chosen, a sentence where a chosen entity's clause-level label differs from the
sentence's shows the entity's label after it (the clause in its tooltip), and the sentence table
gains a column with each chosen entity's label in the sentence.

Review, only when pages.common.editing_allowed() (in the container `review_panel`):
- who: the signed-in email, else a name asked once per session: rv_editor_name, rv_editor_set
  (form rv_editor_form), rv_editor_change;
- rv_undo: undo the last change (its caption says what it undoes);
- rv_tabs, tab "queue": the sentences that most need a human (analysis.review.review_queue), 20 at a time,
  one click per label: rv_queue_<position>_<label> (the first row's buttons answer the keys 1, 2, 3);
- tab "one sentence": rv_sentence, rv_label, rv_note, rv_save, rv_reset (back to the model's label);
  the sentence's emotion (pages.ui.review_panel.emotion_control): rv_emotion, rv_emotion_save,
  rv_emotion_reset;
- tab "bulk": one label on every sentence of the current filter (label, theme, keyword,
  uncertain), at most analysis.review.MAX_BULK: rv_bulk_label, rv_bulk_note, rv_bulk_preview, then
  rv_bulk_confirm / rv_bulk_cancel;
- tab "history": the latest entries of the audit trail (notes as plain text, never HTML).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from analysis import review as rv
from analysis.charts import highlight_evidence, share_strip
from analysis.emotion import EMOTION_COLORS, EMOTIONS, emotion_name
from analysis.errors import OpinionLensError
from analysis.format import (
    emotion_text,
    evidence_string,
    label_color,
    label_text_color,
    md_escape,
    minute_text,
    nev_percent,
    score_text,
)
from analysis.records import LABELS, ArticleAnalysis, Bullet, Evidence, Sentence, SentimentSummary
from analysis.text.normalize import content_hash
from analysis.themes import dominant_themes
from pages.ui.access import editing_allowed, review_editor
from pages.ui.article import (
    active_article_views,
    entities_for,
    entity_name,
    shown_analysis,
    theme_labels,
)
from pages.ui.cache import emotion_evidence, emotion_tier, get_library, sentence_evidence
from pages.ui.frame import page_shell
from pages.ui.furniture_panel import furniture_panel
from pages.ui.review_panel import (
    emotion_control,
    model_word,
    review_error,
    review_word,
    reviewer,
    say,
    show_outcome,
    undo_line,
)
from pages.ui.state import (
    ENTITY_FILTER_PENDING_KEY,
    current_model,
    label_name,
    tr,
    ui_lang,
    uncertain_text,
)
from pages.ui.widgets import band_caption, sentence_table

page_shell()

record, model_analysis, review = active_article_views()
analysis = shown_analysis(model_analysis, review)  # the labels the sidebar's switch selects
entries = list(review.audit) if review else []
lang = ui_lang()
names = theme_labels(analysis)

st.title(tr("vp.title"), anchor=False)
st.caption(band_caption(analysis))

# Filters apply to every sentence list on this page.
f1, f2, f3 = st.columns([2, 3, 2])
chosen_labels = f1.multiselect(
    tr("vp.filter_label"),
    options=[*LABELS, "unscored"],
    default=list(LABELS),
    # Names computed now: AppTest calls format_func outside the session, where tr() cannot see
    # the UI language.
    format_func={x: label_name(None if x == "unscored" else x) for x in [*LABELS, "unscored"]}.__getitem__,
    key="vp_labels",
)
theme_ids = [th.id for th in analysis.themes if th.sentence_positions]
chosen_themes = f2.multiselect(
    tr("vp.filter_theme"),
    options=theme_ids,
    format_func=lambda x: names.get(x, x),
    key="vp_themes",
    placeholder=tr("vp.filter_theme_all"),
)
sort = f3.selectbox(
    tr("vp.sort"),
    options=["order", "score_asc", "score_desc"],
    format_func={x: tr(f"vp.sort.{x}") for x in ("order", "score_asc", "score_desc")}.__getitem__,
    key="vp_sort",
)


s1, s2, s4, s3 = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
query = s1.text_input(tr("vp.search"), key="vp_search", placeholder=tr("vp.search_placeholder")).strip()
entities = entities_for(analysis)  # of the labels on screen, most mentioned first
entity_by_name = {e.name: e for e in entities}
pending = st.session_state.pop(ENTITY_FILTER_PENDING_KEY, None)  # from the Overview's entity panel
if pending is not None:
    st.session_state["vp_entities"] = [x for x in pending if x in entity_by_name]
elif "vp_entities" in st.session_state:  # another article: keep only its entities
    st.session_state["vp_entities"] = [x for x in st.session_state["vp_entities"] if x in entity_by_name]
chosen_entities = s2.multiselect(
    tr("ent.vp_filter"),
    options=list(entity_by_name),
    format_func={e.name: f"{entity_name(e, lang)} ({e.mentions})" for e in entities}.__getitem__,
    key="vp_entities",
    placeholder=tr("ent.vp_filter_all"),
)
emotion_options = [*EMOTIONS, "unread"]
chosen_emotions = s4.multiselect(
    tr("vp.filter_emotion"),
    options=emotion_options,
    format_func={e: emotion_name(None if e == "unread" else e, lang) for e in emotion_options}.__getitem__,
    key="vp_emotions",
    placeholder=tr("vp.filter_emotion_all"),
)
only_uncertain = s3.toggle(tr("vp.filter_uncertain"), key="vp_uncertain")
# position -> [(entity, its label there, the clause)] for the chosen entities
attributed: dict[int, list[tuple[str, str | None, str, bool]]] = {}
for name in chosen_entities:
    for es in entity_by_name[name].sentences:
        attributed.setdefault(es.position, []).append(
            (entity_name(entity_by_name[name], lang), es.label, es.span, es.split)
        )
if chosen_entities:
    st.caption(tr("ent.vp_caption"))

# Evidence the scoring model gives for free (the fast tier) is on every sentence; the accurate
# tier's comes from occlusion, one encoder pass per word, so only for the sentences opened here.
# Emotion evidence is always by occlusion, so it too is computed for the opened sentences only.
on_demand = [
    s for s in analysis.sentences if (s.score is not None and not s.evidence) or s.emotion is not None
]
opened: dict[int, tuple[Evidence, ...]] = {}
if on_demand:
    st.caption(tr("vp.evidence_on_demand"))
    picked = st.multiselect(
        tr("vp.explain_pick"),
        options=[s.position for s in on_demand],
        format_func={s.position: f"#{s.position} {s.text[:70]}…" for s in on_demand}.__getitem__,
        key="vp_explain",
        placeholder=tr("vp.explain_placeholder"),
    )
    by_position = {s.position: s for s in on_demand}
    with st.spinner(tr("vp.explain_running")):
        for p in picked:
            s = by_position[p]
            opened[p] = s.evidence or sentence_evidence(s.text, current_model())
            terms = evidence_string(opened[p], " · ")
            line = f"**#{p}** {md_escape(terms) if terms else tr('vp.explain_none')}"
            if s.emotion is not None:
                found = emotion_evidence(s.text, s.emotion.label, emotion_tier(analysis))
                words = evidence_string(found, " · ")
                line += f"  \n{tr('vp.emotion_evidence', emotion=emotion_name(s.emotion.label, lang))}: "
                line += md_escape(words) if words else tr("vp.explain_none")
            st.markdown(line)


def with_evidence(s: Sentence) -> Sentence:
    return replace(s, evidence=opened[s.position]) if s.position in opened else s


def keep(s: Sentence) -> bool:
    label_ok = (s.label or "unscored") in chosen_labels
    theme_ok = not chosen_themes or any(x in chosen_themes for x in s.themes)
    text_ok = not query or query.casefold() in s.text.casefold()
    entity_ok = not chosen_entities or s.position in attributed
    emotion_ok = not chosen_emotions or (s.emotion.label if s.emotion else "unread") in chosen_emotions
    return (
        label_ok
        and theme_ok
        and text_ok
        and entity_ok
        and emotion_ok
        and (not only_uncertain or bool(s.uncertain))
    )


def ordered(sentences: list[Sentence]) -> list[Sentence]:
    if sort == "order":
        return sentences
    # Unscored sentences go last whichever way the scores are sorted.
    scored = sorted(
        (s for s in sentences if s.score is not None), key=lambda s: s.score, reverse=sort == "score_desc"
    )
    return scored + [s for s in sentences if s.score is None]


def sentence_html(s: Sentence) -> str:
    score = score_text(s.score)
    mark = " ✎" if s.reviewed else ""  # an analyst set this label
    badge = (
        f'<span style="background:{label_color(s.label)};color:{label_text_color(s.label)};'
        f"border-radius:4px;padding:0 6px;"
        f'font-size:0.8em;white-space:nowrap">{html.escape(label_name(s.label))}{mark} {score}</span>'
    )
    if s.emotion is not None:
        color = EMOTION_COLORS[s.emotion.label]
        badge += (
            f' <span class="emotion-badge" style="border:1px solid {color};color:{color};border-radius:4px;'
            f'padding:0 5px;font-size:0.8em;white-space:nowrap">{html.escape(emotion_text(s.emotion, lang))}</span>'
        )
    meta = html.escape(
        f" #{s.position} · {s.lang}"
        + (f" · {tr('rv.model_said', label=label_name(s.model_label))}" if s.reviewed else "")
        + (f" · {', '.join(names.get(x, x) for x in s.themes)}" if s.themes else "")
        + (f" · ⚠ {uncertain_text(s.uncertain)}" if s.uncertain else "")
    )
    # highlight_evidence escapes every character of the article's text; nothing else is raw. One
    # line, so Markdown treats the whole list as an HTML block and parses nothing inside it.
    text = highlight_evidence(" ".join(s.text.split()), s.evidence)
    return f'{badge} {text} <span style="color:#888;font-size:0.8em">{meta}</span>{entity_badges(s)}'


def entity_badges(s: Sentence) -> str:
    """A chosen entity's clause-level label after the sentence, where it differs from the
    sentence's label (the clause it came from in the tooltip); escaped like the sentence."""
    out = []
    for name, label, span, split in attributed.get(s.position, ()):
        if label == s.label:
            continue
        said = html.escape(tr("ent.vp_said", entity=name, label=label_name(label)))
        clause = html.escape(tr("ent.vp_clause", span=" ".join(span.split())) if split else "", quote=True)
        out.append(
            f' <span class="entity-label" title="{clause}" style="border:1px solid {label_color(label)};'
            f'border-radius:4px;padding:0 5px;font-size:0.8em;white-space:nowrap">→ {said}</span>'
        )
    return "".join(out)


def summary_line(s: SentimentSummary) -> str:
    nev, polar = nev_percent(s.nev), nev_percent(s.nev_polar)
    return tr("vp.summary", nev=nev, polar=polar, p=s.positive, u=s.neutral, n=s.negative, total=s.n)


def show_block(bullets: tuple[Bullet, ...], summary: SentimentSummary | None, key: str) -> None:
    sentences = [s for b in bullets for s in b.sentences]
    top = dominant_themes(sentences, 3)
    if top:
        st.markdown(f"**{tr('vp.dominant_themes')}:** " + " · ".join(md_escape(names.get(x, x)) for x in top))
    if summary is not None:
        c1, c2 = st.columns([1, 2])
        c1.caption(summary_line(summary))
        c2.plotly_chart(
            share_strip(summary, lang), key=f"strip_{key}", width="stretch", config={"displayModeBar": False}
        )
    # One list per block: each bullet's sentences (escaped, evidence marked) and its [n] citations.
    items = []
    for b in bullets:
        shown = ordered([with_evidence(s) for s in b.sentences if keep(s)])
        if not shown:
            continue
        cites = "".join(f"[{c}]" for c in b.citations)
        items.append(
            "<li style='margin-bottom:0.4em'>"
            + " ".join(sentence_html(s) for s in shown)
            + (f" <span style='color:#3b6fd8'>{html.escape(cites)}</span>" if cites else "")
            + "</li>"
        )
    if items:
        st.markdown("<ul>" + "".join(items) + "</ul>", unsafe_allow_html=True)
    else:
        st.caption(tr("vp.none_match"))


doc = analysis.document
if doc.core_viewpoint is not None:
    with st.container(border=True, key="core_viewpoint"):
        st.subheader(tr("vp.core"), anchor=False)
        show_block((doc.core_viewpoint,), analysis.core_sentiment, "core")

for g, gs in zip(doc.groups, analysis.group_sentiment, strict=True):
    nev = nev_percent(gs.nev)
    title = md_escape(g.title) + (f" ({tr('vp.title_derived')})" if g.title_derived else "")
    with st.expander(f"**{g.index}. {title}** · NEV {nev} · n={gs.n}", expanded=True, key=f"group_{g.index}"):
        show_block(g.bullets, gs, f"g{g.index}")

st.subheader(tr("vp.all_sentences"), anchor=False)
rows = ordered([with_evidence(s) for s in analysis.sentences if keep(s)])
st.caption(tr("vp.showing", shown=len(rows), total=len(analysis.sentences)))
entity_column = (
    {
        p: "; ".join(tr("ent.vp_said", entity=name, label=label_name(label)) for name, label, _, _ in found)
        for p, found in attributed.items()
    }
    if chosen_entities
    else None
)
sentence_table(analysis, rows, key="sentence_table", extra=entity_column)


with st.container(key="furniture_panel"):
    furniture_panel(record, doc, "rv")  # the review panel's prefix (PREFIX below)


# -- review: correct any label, one sentence, the queue or the whole filter at once ------------------
QUEUE_SIZE = 20  # rows of the review queue on screen at once
QUEUE_KEYS = ("1", "2", "3")  # keyboard: the first queued sentence's buttons, in LABELS order
PREFIX = "rv"  # the review panel's widget keys on this page (pages.ui.review_panel)
BULK_KEY = "_rv_bulk_pending"  # the bulk change previewed and awaiting confirmation


def change_label(
    source: ArticleAnalysis,
    article_id: int,
    positions: Sequence[int],
    label: str | None,
    note: str = "",
    clear: tuple[str, ...] = (),
) -> bool:
    """Record one change (one batch) in the audit trail; says what happened on the next run."""
    try:
        targets = rv.article_targets(source, article_id, positions)
        rv.record_reviews(get_library(), targets, label, note=note, editor=review_editor() or "")
    except OpinionLensError as exc:  # ReviewError and LibraryError: nothing was written
        say(PREFIX, "error", review_error(exc))
        return False
    for key in clear:
        st.session_state[key] = ""
    what = review_word(label)
    say(PREFIX, "success", tr("rv.saved", count=len(targets), label=what))
    return True


def save_one(source: ArticleAnalysis, article_id: int) -> None:
    position = st.session_state.get("rv_sentence")
    label = st.session_state.get("rv_label")
    if position is None or label is None:
        return
    change_label(
        source, article_id, [position], label, str(st.session_state.get("rv_note") or ""), ("rv_note",)
    )


def reset_one(source: ArticleAnalysis, article_id: int) -> None:
    position = st.session_state.get("rv_sentence")
    if position is not None:
        change_label(source, article_id, [position], None, clear=("rv_note",))


def preview_bulk(article_id: int, positions: list[int], label: str) -> None:
    st.session_state[BULK_KEY] = {"article": article_id, "positions": sorted(positions), "label": label}


def confirm_bulk(source: ArticleAnalysis, article_id: int, positions: list[int], label: str) -> None:
    note = str(st.session_state.get("rv_bulk_note") or "")
    if change_label(source, article_id, positions, label, note, ("rv_bulk_note",)):
        st.session_state.pop(BULK_KEY, None)


def cancel_bulk() -> None:
    st.session_state.pop(BULK_KEY, None)


def queue_tab() -> None:
    queue = rv.review_queue(model_analysis, entries)
    if not queue:
        st.success(tr("rv.queue_empty"), icon=":material/done_all:")
        return
    st.caption(tr("rv.queue_caption", waiting=len(queue), shown=min(QUEUE_SIZE, len(queue))))
    for i, s in enumerate(queue[:QUEUE_SIZE]):
        with st.container(key=f"rv_queue_row_{s.position}", border=True):
            text_col, *buttons = st.columns([6, 1, 1, 1], vertical_alignment="center")
            score = score_text(s.score)
            text_col.markdown(f"**#{s.position}** {md_escape(' '.join(s.text.split()))}")
            reasons = f" · ⚠ {uncertain_text(s.uncertain)}" if s.uncertain else ""
            text_col.caption(md_escape(tr("rv.model_said", label=label_name(s.label)) + f" {score}{reasons}"))
            for col, label, shortcut in zip(buttons, LABELS, QUEUE_KEYS, strict=True):
                col.button(
                    label_name(label),
                    key=f"rv_queue_{s.position}_{label}",
                    on_click=change_label,
                    args=(model_analysis, record.id, [s.position], label),
                    type="primary" if label == s.label else "secondary",
                    help=tr("rv.queue_confirm") if label == s.label else None,
                    shortcut=shortcut if i == 0 else None,
                    width="stretch",
                )


def one_sentence_tab() -> None:
    # Options name the sentence only: a label in them would change with every review, and the
    # browser keeps showing an option's old text.
    options = [s.position for s in model_analysis.sentences]
    names = {s.position: f"#{s.position} · {' '.join(s.text.split())[:70]}" for s in model_analysis.sentences}
    position = st.selectbox(tr("rv.sentence"), options, format_func=names.__getitem__, key="rv_sentence")
    if position is None:
        return
    s = next(x for x in model_analysis.sentences if x.position == position)
    score = score_text(s.score)
    st.caption(tr("rv.model_said", label=label_name(s.label)) + f" {score}")
    current = rv.current_by_hash(entries).get(content_hash(s.text))
    if current is not None and current.label is not None:
        st.caption(
            tr(
                "rv.current",
                label=label_name(current.label),
                editor=md_escape(current.editor),
                when=minute_text(current.created_at),
            )
        )
        if current.note:
            st.text(current.note)  # user text: shown literally, never as HTML or Markdown
    label = st.segmented_control(
        tr("rv.new_label"),
        options=list(LABELS),
        format_func={x: label_name(x) for x in LABELS}.__getitem__,
        key="rv_label",
        selection_mode="single",
    )
    st.text_area(
        tr("rv.note"),
        key="rv_note",
        max_chars=rv.MAX_NOTE_CHARS,
        height=80,
        placeholder=tr("rv.note_placeholder"),
    )
    c1, c2 = st.columns(2)
    c1.button(
        tr("rv.save"),
        key="rv_save",
        on_click=save_one,
        args=(model_analysis, record.id),
        type="primary",
        disabled=label is None,
        icon=":material/edit:",
        width="stretch",
    )
    c2.button(
        tr("rv.reset"),
        key="rv_reset",
        on_click=reset_one,
        args=(model_analysis, record.id),
        disabled=current is None or current.label is None,
        icon=":material/restart_alt:",
        width="stretch",
    )
    emotion_control(PREFIX, model_analysis, record.id, s, entries)  # beside the label, same trail


def bulk_tab(positions: list[int]) -> None:
    st.caption(tr("rv.bulk_scope", n=len(positions), total=len(analysis.sentences), limit=rv.MAX_BULK))
    label = st.segmented_control(
        tr("rv.new_label"),
        options=list(LABELS),
        format_func={x: label_name(x) for x in LABELS}.__getitem__,
        key="rv_bulk_label",
        selection_mode="single",
    )
    st.text_input(tr("rv.note"), key="rv_bulk_note", max_chars=rv.MAX_NOTE_CHARS)
    pending = st.session_state.get(BULK_KEY)
    wanted = {"article": record.id, "positions": sorted(positions), "label": label}
    if pending is not None and pending != wanted:  # the filter or the label changed: preview again
        st.session_state.pop(BULK_KEY, None)
        pending = None
    if pending is None or label is None:
        st.button(
            tr("rv.bulk_preview"),
            key="rv_bulk_preview",
            on_click=preview_bulk,
            args=(record.id, positions, label),
            disabled=not positions or label is None,
            icon=":material/preview:",
        )
        return
    preview = rv.bulk_preview(model_analysis, entries, positions, label)
    if preview.too_many:
        st.error(tr("rv.err.bulk_too_many", n=preview.n, limit=preview.limit), icon=":material/block:")
        st.button(tr("rv.bulk_cancel"), key="rv_bulk_cancel", on_click=cancel_bulk)
        return
    st.warning(
        tr(
            "rv.bulk_confirm_text",
            label=label_name(label),
            n=preview.n,
            changes=preview.changes,
            reviewed=preview.reviewed_before,
        ),
        icon=":material/warning:",
    )
    c1, c2 = st.columns(2)
    c1.button(
        tr("rv.bulk_confirm", n=preview.n),
        key="rv_bulk_confirm",
        on_click=confirm_bulk,
        args=(model_analysis, record.id, positions, label),
        type="primary",
        width="stretch",
    )
    c2.button(tr("rv.bulk_cancel"), key="rv_bulk_cancel", on_click=cancel_bulk, width="stretch")


def history_tab() -> None:
    if not entries:
        st.caption(tr("rv.history_none"))
        return
    st.caption(tr("rv.history_caption", n=len(entries)))
    for e in reversed(entries[-15:]):
        st.markdown(
            f"`{minute_text(e.created_at)}` **{md_escape(e.editor)}** · #{md_escape(e.position)} "
            f"→ {review_word(e.label, e.field)} ({model_word(e)})"
        )
        if e.note:
            st.text(e.note)  # user text: literal


def review_panel(filtered: list[int]) -> None:
    st.subheader(tr("rv.heading"), anchor=False)
    if not editing_allowed():
        st.caption(tr("rv.read_only"))
        return
    show_outcome(PREFIX)
    if reviewer(PREFIX) is None:
        return
    undo_line(PREFIX, entries, ("article", record.id))
    # Labels without counts: a tab whose label changes is a new element, and the browser would
    # jump back to the first tab after every change made in another.
    queue, one, bulk, history = st.tabs(
        [tr("rv.tab.queue"), tr("rv.tab.one"), tr("rv.tab.bulk"), tr("rv.tab.history")], key="rv_tabs"
    )
    with queue:
        queue_tab()
    with one:
        one_sentence_tab()
    with bulk:
        bulk_tab(filtered)
    with history:
        history_tab()


with st.container(key="review_panel"):
    review_panel([s.position for s in rows])
