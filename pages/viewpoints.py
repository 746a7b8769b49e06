"""Viewpoints: the core viewpoint and each viewpoint group, down to every sentence and the words
that moved its score."""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from analysis.charts import highlight_evidence, share_strip
from analysis.format import evidence_string, label_colour, label_text_colour, nev_percent
from analysis.model import LABELS, Bullet, Evidence, Sentence, SentimentSummary
from analysis.themes import dominant_themes
from pages.common import (
    active_article,
    band_caption,
    current_model,
    label_name,
    md_escape,
    sentence_evidence,
    sentence_table,
    theme_labels,
    tr,
    ui_lang,
)
from pages.frame import page_shell

page_shell()

record, analysis = active_article()
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


only_uncertain = st.toggle(tr("vp.filter_uncertain"), key="vp_uncertain")

# Evidence the scoring model gives for free (the fast tier) is on every sentence; the accurate
# tier's comes from occlusion, one encoder pass per word, so only for the sentences opened here.
on_demand = [s for s in analysis.sentences if s.score is not None and not s.evidence]
opened: dict[int, tuple[Evidence, ...]] = {}
if on_demand:
    st.caption(tr("vp.evidence_on_demand"))
    picked = st.multiselect(
        tr("vp.explain_pick"),
        options=[s.position for s in on_demand],
        format_func={s.position: f"#{s.position} {s.text[:70]}…" for s in on_demand}.__getitem__,
        key="vp_explain",
    )
    by_position = {s.position: s for s in on_demand}
    with st.spinner(tr("vp.explain_running")):
        opened = {p: sentence_evidence(by_position[p].text, current_model()) for p in picked}
    for p in picked:
        terms = evidence_string(opened[p], " · ")
        st.markdown(f"**#{p}** {md_escape(terms) if terms else tr('vp.explain_none')}")


def with_evidence(s: Sentence) -> Sentence:
    return replace(s, evidence=opened[s.position]) if s.position in opened else s


def keep(s: Sentence) -> bool:
    label_ok = (s.label or "unscored") in chosen_labels
    theme_ok = not chosen_themes or any(x in chosen_themes for x in s.themes)
    return label_ok and theme_ok and (not only_uncertain or bool(s.uncertain))


def ordered(sentences: list[Sentence]) -> list[Sentence]:
    if sort == "order":
        return sentences
    # Unscored sentences go last whichever way the scores are sorted.
    scored = sorted(
        (s for s in sentences if s.score is not None), key=lambda s: s.score, reverse=sort == "score_desc"
    )
    return scored + [s for s in sentences if s.score is None]


def sentence_html(s: Sentence) -> str:
    score = "—" if s.score is None else f"{s.score:+.2f}"
    badge = (
        f'<span style="background:{label_colour(s.label)};color:{label_text_colour(s.label)};'
        f"border-radius:4px;padding:0 6px;"
        f'font-size:0.8em;white-space:nowrap">{html.escape(label_name(s.label))} {score}</span>'
    )
    meta = html.escape(
        f" #{s.position} · {s.lang}"
        + (f" · {', '.join(names.get(x, x) for x in s.themes)}" if s.themes else "")
        + (f" · ⚠ {'; '.join(s.uncertain)}" if s.uncertain else "")
    )
    # highlight_evidence escapes every character of the article's text; nothing else is raw. One
    # line, so Markdown treats the whole list as an HTML block and parses nothing inside it.
    text = highlight_evidence(" ".join(s.text.split()), s.evidence)
    return f'{badge} {text} <span style="color:#888;font-size:0.8em">{meta}</span>'


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
sentence_table(analysis, rows, key="sentence_table")
