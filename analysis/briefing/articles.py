"""The article brief and the comparison brief: every section's data from stored analyses.

Charts come from `analysis.charts` (the figures the app draws); numbers from the analysis and
`analysis.metrics`; sentences carry `sentence_ref` ids. A review (`analysis.export.Review`) makes
the brief show the reviewed labels, with a section setting the model's figures beside them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from analysis.briefing.model import (
    QUOTES,
    Brief,
    Chart,
    Quote,
    Section,
    Table,
    evidence_text,
    gauge_intro,
    headline,
    label_name,
    method_rows,
    now_text,
    quotes_section,
    score_cell,
    sentence_ref,
    summary_cells,
    summary_columns,
)
from analysis.charts import (
    article_emotion_rows,
    compare_nev_bars,
    compare_shares,
    emotion_mix_bars,
    entity_nev_bars,
    group_nev_bars,
    label_shares,
    nev_gauge,
)
from analysis.charts.groups import group_names
from analysis.emotion.labels import emotion_name
from analysis.format import (
    article_label,
    date_text,
    display_source,
    display_title,
    emotion_text,
    measure_percent,
    nev_percent,
    prose_minus,
    share_percent,
)
from analysis.i18n import t
from analysis.metrics import headline_measures, summarize_counts
from analysis.records import EMOTIONS, ArticleAnalysis, EmotionMix, Sentence

if TYPE_CHECKING:
    from analysis.entities import EntitySummary
    from analysis.export import Review
    from analysis.library import ArticleRecord

ENTITY_ROWS = 12  # entities listed in a brief (the chart shows the first 10)
COMPARE_QUOTES = 5


# -- sentences -------------------------------------------------------------------------------------
def quote(s: Sentence, lang: str, *, article_id: int | None = None, where: str = "") -> Quote:
    return Quote(
        ref=sentence_ref(s.position, article_id),
        text=s.text,
        label=label_name(s.label, lang) + (" ✎" if s.reviewed else ""),
        label_key=s.label,
        score=score_cell(s.score),
        evidence=evidence_text(s.evidence),
        emotion=emotion_text(s.emotion, lang, missing="") if s.emotion else "",
        where=where,
    )


def strongest(sentences: Sequence[Sentence], label: str, k: int) -> list[Sentence]:
    """The `k` sentences of `label` with the most extreme score (most negative first for negative),
    ties in document order."""
    pool = [s for s in sentences if s.label == label and s.score is not None]
    sign = 1 if label == "negative" else -1
    return sorted(pool, key=lambda s: (sign * (s.score or 0.0), s.position))[:k]


def _where(a: ArticleAnalysis, lang: str) -> dict[int, str]:
    names = group_names(a, lang, escape=False)
    return {s.position: names.get(s.group, names[None]) for s in a.sentences}


def quote_section(
    key: str, label: str, items: Sequence[tuple[int | None, ArticleAnalysis]], lang: str, k: int
) -> Section:
    """The `k` most negative (or positive) sentences over one or more articles."""
    pool = [(s, aid, a) for aid, a in items for s in a.sentences if s.label == label and s.score is not None]
    sign = 1 if label == "negative" else -1
    pool.sort(key=lambda x: (sign * (x[0].score or 0.0), x[1] or 0, x[0].position))
    wheres = {id(a): _where(a, lang) for _, a in items}
    quotes = tuple(
        quote(s, lang, article_id=aid, where=wheres[id(a)].get(s.position, "")) for s, aid, a in pool[:k]
    )
    return quotes_section(key, label, quotes, len(pool), lang)


# -- sections of one article -------------------------------------------------------------------------
def gauge_section(a: ArticleAnalysis, lang: str) -> Section:
    s = a.sentiment
    return Section(
        "gauge",
        t("rep.sec.gauge", lang),
        gauge_intro(s, lang),
        charts=(
            Chart("gauge", nev_gauge(s, lang), prose_minus(nev_percent(s.nev)), half=True),
            Chart(
                "shares", label_shares(s, lang), f"P {s.positive} · U {s.neutral} · N {s.negative}", half=True
            ),
        ),
    )


def review_section(model: ArticleAnalysis, review: Review | None, lang: str) -> Section | None:
    if review is None or not review.view.reviewed:
        return None
    shown = review.view.analysis
    rows = (
        (t("rep.review.model", lang), *summary_cells(model.sentiment)),
        (t("rep.review.reviewed", lang), *summary_cells(shown.sentiment)),
    )
    intro = t(
        "rep.review_intro", lang, k=review.view.reviewed, n=len(model.sentences), changed=review.view.changed
    )
    changed = [s for s in shown.sentences if s.reviewed]
    return Section(
        "review",
        t("rep.sec.review", lang),
        intro,
        table=Table(("", *summary_columns(lang)), rows),
        quotes=tuple(quote(s, lang) for s in changed[:10]),
    )


def groups_section(a: ArticleAnalysis, lang: str, article_id: int | None) -> Section | None:
    doc = a.document
    if not doc.groups and a.core_sentiment is None:
        return None
    names = group_names(a, lang, escape=False)
    rows: list[tuple[str, ...]] = []
    ranked: list[tuple[str, float]] = []
    if a.core_sentiment is not None and doc.core_viewpoint is not None:
        refs = ", ".join(sentence_ref(s.position, article_id) for s in doc.core_viewpoint.sentences)
        rows.append((names[None], *summary_cells(a.core_sentiment), refs))
    for g, gs in zip(doc.groups, a.group_sentiment, strict=True):
        positions = [s.position for s in g.sentences]
        span = "–".join(sentence_ref(p, article_id) for p in positions[:1] + positions[1:][-1:])
        rows.append((names[g.index], *summary_cells(gs), span))
        if gs.nev is not None:
            ranked.append((names[g.index], gs.nev))
    intro = ""
    if len(ranked) >= 2:
        worst, best = min(ranked, key=lambda x: x[1]), max(ranked, key=lambda x: x[1])
        intro = t(
            "rep.groups_intro",
            lang,
            k=len(doc.groups),
            worst=worst[0],
            worst_nev=prose_minus(nev_percent(worst[1])),
            best=best[0],
            best_nev=prose_minus(nev_percent(best[1])),
        )
    return Section(
        "groups",
        t("rep.sec.groups", lang),
        intro,
        charts=(Chart("groups", group_nev_bars(a, lang), intro),),
        table=Table(
            (t("rep.col.name", lang), *summary_columns(lang), t("rep.col.sentences", lang)), tuple(rows)
        ),
    )


def entities_section(
    entities: Sequence[EntitySummary] | None, lang: str, article_id: int | None
) -> Section | None:
    if not entities:
        return None
    total = sum(e.mentions for e in entities)
    shown = list(entities)[:ENTITY_ROWS]
    rows = tuple(
        (
            e.display(lang),
            str(e.mentions),
            share_percent(e.mentions / total if total else None),
            prose_minus(nev_percent(e.sentiment.nev)),
            f"{e.sentiment.positive}/{e.sentiment.neutral}/{e.sentiment.negative}",
            ", ".join(sentence_ref(p, article_id) for p in e.sentence_positions[:8])
            + (" …" if len(e.sentence_positions) > 8 else ""),
        )
        for e in shown
    )
    top = shown[0]
    intro = t(
        "rep.entities_intro",
        lang,
        k=len(entities),
        total=total,
        top=top.display(lang),
        top_share=share_percent(top.mentions / total if total else None),
    )
    columns = (
        t("rep.col.name", lang),
        t("rep.col.mentions", lang),
        t("rep.col.share_of_voice", lang),
        t("rep.col.nev", lang),
        "P/U/N",
        t("rep.col.sentences", lang),
    )
    return Section(
        "entities",
        t("rep.sec.entities", lang),
        intro,
        charts=(Chart("entities", entity_nev_bars(list(entities), lang), intro),),
        table=Table(columns, rows),
    )


def emotion_table(rows: Sequence[tuple[str, EmotionMix]], lang: str) -> Table:
    """One row per mix: its name, n, then each emotion's count (share)."""
    columns = (t("rep.col.name", lang), "n", *(emotion_name(e, lang) for e in EMOTIONS))
    body = tuple(
        (
            name,
            str(mix.n),
            *(f"{mix.counts.get(e, 0)} ({share_percent(mix.share(e), digits=0)})" for e in EMOTIONS),
        )
        for name, mix in rows
    )
    return Table(columns, body)


def emotion_intro(mix: EmotionMix, lang: str) -> str:
    top = mix.dominant()
    return t(
        "rep.emotions_intro",
        lang,
        n=mix.n,
        dominant=emotion_name(top, lang) if top else t("rep.emotions_none", lang),
        k=mix.counts.get(top, 0) if top else 0,
        share=share_percent(mix.share(top)) if top else "—",
    )


def emotions_section(a: ArticleAnalysis, lang: str) -> Section | None:
    if a.emotions is None:
        return None
    rows = article_emotion_rows(a, lang)
    intro = emotion_intro(a.emotions, lang)
    return Section(
        "emotions",
        t("rep.sec.emotions", lang),
        intro,
        charts=(Chart("emotions", emotion_mix_bars(rows, lang), intro),) if rows else (),
        table=emotion_table(rows, lang),
    )


def stated_rows(a: ArticleAnalysis, lang: str, article_id: int | None) -> list[tuple[str, ...]]:
    """Measure, stated, computed and the sentence that states it, for each figure the article
    states about its own sentiment (`analysis.stated_numbers.stated_sentiment`)."""
    from analysis.stated_numbers import stated_sentiment  # it owns what "stated" means

    stated = stated_sentiment(a.figures) or {}
    computed = headline_measures(a.sentiment)
    rows: list[tuple[str, ...]] = []
    for key, value in stated.items():
        where = next((f.position for f in a.figures if f.value == value and f.meaning), None)
        rows.append(
            (
                key,
                prose_minus(measure_percent(key, value)),
                prose_minus(measure_percent(key, computed[key])) if key in computed else "—",
                sentence_ref(where, article_id) if where is not None else "—",
            )
        )
    return rows


def stated_section(a: ArticleAnalysis, lang: str, article_id: int | None) -> Section:
    return stated_table_section(stated_rows(a, lang, article_id), lang)


def stated_table_section(rows: Sequence[tuple[str, ...]], lang: str, *, by_article: bool = False) -> Section:
    """Stated versus computed, one row per figure (with the article's id first when `by_article`)."""
    keys = (*(("article",) if by_article else ()), "measure", "stated", "computed", "stated_at")
    columns = tuple(t(f"rep.col.{k}", lang) for k in keys)
    return Section(
        "stated",
        t("rep.sec.stated", lang),
        t("rep.stated_intro", lang) if rows else t("rep.stated_none", lang),
        table=Table(columns, tuple(rows)) if rows else None,
    )


def _drop_none(sections: Sequence[Section | None]) -> tuple[Section, ...]:
    return tuple(s for s in sections if s is not None)


def article_brief(
    analysis_: ArticleAnalysis,
    *,
    lang: str = "zh",
    article_id: int | None = None,
    review: Review | None = None,
    entities: Sequence[EntitySummary] | None = None,
    generated_at: datetime | None = None,
) -> Brief:
    """One article's brief. With a review, the reviewed labels (and a section comparing them with
    the model's); `entities` as `analysis.entities.article_entities` gives them (computed by the
    caller on the labels shown)."""
    a = review.view.analysis if review is not None else analysis_
    doc = a.document
    meta = [
        (t("rep.meta.source", lang), display_source(doc)),
        (t("rep.meta.published", lang), doc.published_at.isoformat() if doc.published_at else "—"),
        (t("rep.meta.language", lang), a.language),
    ]
    if doc.author:
        meta.append((t("rep.meta.author", lang), doc.author))
    if article_id is not None:
        meta.append((t("rep.meta.article", lang), f"A{article_id}"))
    sections = _drop_none(
        [
            gauge_section(a, lang),
            review_section(analysis_, review, lang),
            groups_section(a, lang, article_id),
            quote_section("negative", "negative", [(article_id, a)], lang, QUOTES),
            quote_section("positive", "positive", [(article_id, a)], lang, QUOTES),
            entities_section(entities, lang, article_id),
            emotions_section(a, lang),
            stated_section(a, lang, article_id),
        ]
    )
    return Brief(
        kind="article",
        lang=lang,
        title=display_title(doc, fallback="—"),
        subtitle=t("rep.kind.article", lang),
        meta=tuple(meta),
        headline=headline(a.sentiment, lang),
        sections=sections,
        method=tuple(method_rows(analysis_.model, lang, sha256=analysis_.input_sha256)),
        generated_at=now_text(generated_at),
    )


# -- a comparison ------------------------------------------------------------------------------------
def _pooled(items: Sequence[tuple[ArticleRecord, ArticleAnalysis]]) -> tuple[int, int, int, int]:
    p = sum(a.sentiment.positive for _, a in items)
    u = sum(a.sentiment.neutral for _, a in items)
    n = sum(a.sentiment.negative for _, a in items)
    return p, u, n, sum(a.sentiment.unscored for _, a in items)


def comparison_brief(
    items: Sequence[tuple[ArticleRecord, ArticleAnalysis]],
    *,
    lang: str = "zh",
    period: tuple[date, date] | None = None,
    left_out: int = 0,
    entities: Mapping[int, Sequence[EntitySummary]] | None = None,
    generated_at: datetime | None = None,
) -> Brief:
    """A set of library articles side by side (a periodic brief when `period` is given; `left_out`
    undated articles were not in it). Pooled figures sum the articles' counts."""
    pooled = summarize_counts(*_pooled(items))
    labelled = [(article_label(r, max_chars=30), a) for r, a in items]
    ranked = sorted(
        ((a.sentiment.nev, article_label(r, max_chars=30)) for r, a in items if a.sentiment.nev is not None)
    )
    intro = ""
    if ranked:
        intro = t(
            "rep.articles_intro",
            lang,
            k=len(items),
            n=pooled.n,
            nev=prose_minus(nev_percent(pooled.nev)),
            worst=ranked[0][1],
            worst_nev=prose_minus(nev_percent(ranked[0][0])),
            best=ranked[-1][1],
            best_nev=prose_minus(nev_percent(ranked[-1][0])),
        )
    rows = []
    for r, a in items:
        top = a.emotions.dominant() if a.emotions is not None else None
        rows.append(
            (
                f"A{r.id}",
                display_title(r),
                date_text(r.published_at),
                *summary_cells(a.sentiment),
                emotion_name(top, lang) if top else "—",
            )
        )
    columns = (
        t("rep.col.ref", lang),
        t("rep.col.title", lang),
        t("rep.col.date", lang),
        *summary_columns(lang),
        t("rep.col.dominant", lang),
    )
    articles = Section(
        "articles",
        t("rep.sec.articles", lang),
        intro,
        charts=(
            Chart("compare_nev", compare_nev_bars(labelled, lang), intro),
            Chart("compare_shares", compare_shares(labelled, lang)),
        ),
        table=Table(columns, tuple(rows)),
        notes=(t("rep.articles_left_out", lang, k=left_out),) if left_out else (),
    )
    pairs = [(r.id, a) for r, a in items]
    sections: list[Section | None] = [
        articles,
        quote_section("negative", "negative", pairs, lang, COMPARE_QUOTES),
        quote_section("positive", "positive", pairs, lang, COMPARE_QUOTES),
        _compare_entities(items, entities, lang),
        _compare_emotions(items, lang),
        _compare_stated(items, lang),
    ]
    meta = [(t("rep.meta.articles", lang), str(len(items)))]
    if period is not None:
        meta.append((t("rep.meta.period", lang), f"{period[0]:%Y-%m-%d} → {period[1]:%Y-%m-%d}"))
    models = {f"{a.model.name} {a.model.version}": a for _, a in items}
    first = next(iter(models.values()))
    method = method_rows(first.model, lang, sha256=None)
    sha_table = Table(
        (t("rep.col.ref", lang), t("rep.col.title", lang), t("rep.col.sha", lang)),
        tuple((f"A{r.id}", display_title(r), a.input_sha256) for r, a in items),
    )
    return Brief(
        kind="comparison",
        lang=lang,
        title=t("rep.kind.comparison", lang),
        subtitle=", ".join(f"A{r.id}" for r, _ in items),
        meta=tuple(meta),
        headline=headline(pooled, lang),
        sections=_drop_none(sections),
        method=tuple(method),
        method_table=sha_table,
        generated_at=now_text(generated_at),
    )


def _compare_entities(
    items: Sequence[tuple[ArticleRecord, ArticleAnalysis]],
    entities: Mapping[int, Sequence[EntitySummary]] | None,
    lang: str,
) -> Section | None:
    if not entities:
        return None
    mentions: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for r, _ in items:
        for e in entities.get(r.id, ()):
            mentions[e.name] += e.mentions
            where.setdefault(e.name, []).append(f"A{r.id}({e.mentions})")
            shown[e.name] = e.display(lang)
    if not mentions:
        return None
    total = sum(mentions.values())
    top = mentions.most_common(ENTITY_ROWS)
    rows = tuple((shown[name], str(k), share_percent(k / total), ", ".join(where[name])) for name, k in top)
    intro = t(
        "rep.entities_intro",
        lang,
        k=len(mentions),
        total=total,
        top=shown[top[0][0]],
        top_share=share_percent(top[0][1] / total),
    )
    columns = (
        t("rep.col.name", lang),
        t("rep.col.mentions", lang),
        t("rep.col.share_of_voice", lang),
        t("rep.col.article", lang),
    )
    return Section("entities", t("rep.sec.entities", lang), intro, table=Table(columns, rows))


def _compare_emotions(items: Sequence[tuple[ArticleRecord, ArticleAnalysis]], lang: str) -> Section | None:
    rows = [(f"A{r.id} {display_title(r)[:20]}", a.emotions) for r, a in items if a.emotions is not None]
    if not rows:
        return None
    pooled = EmotionMix({e: sum(m.counts.get(e, 0) for _, m in rows) for e in EMOTIONS})
    mixes = [(name, m) for name, m in rows]
    return Section(
        "emotions",
        t("rep.sec.emotions", lang),
        emotion_intro(pooled, lang),
        charts=(Chart("emotions", emotion_mix_bars(mixes, lang)),),
        table=emotion_table(mixes, lang),
    )


def _compare_stated(items: Sequence[tuple[ArticleRecord, ArticleAnalysis]], lang: str) -> Section:
    rows = [(f"A{r.id}", *row) for r, a in items for row in stated_rows(a, lang, r.id)]
    return stated_table_section(rows, lang, by_article=True)
