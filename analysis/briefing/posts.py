"""The posts brief: a corpus over a chosen period (timeline, spikes with their explanations,
coordinated posting, most negative and positive posts, entities, and the analysts' reviews:
reviewed against the model's figures), from `CorpusAnalysis` views and the corpus's review trail
(analysis.review: `list_reviews(library, "corpus", id)`, applied by `apply_post_reviews`).

A period is cut from the analysed corpus (its posts between two dates, ends included) and read
through a `CorpusAnalysis` of those posts, so every figure is the Posts page's own computation.
Posts are quoted by their file row (`row 57`: the first data row is 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import pandas as pd

from analysis.briefing.articles import emotion_intro, emotion_table
from analysis.briefing.model import (
    Brief,
    Chart,
    Quote,
    Section,
    Table,
    gauge_intro,
    headline,
    label_name,
    now_text,
    post_ref,
    quotes_section,
    score_cell,
    summary_cells,
    summary_columns,
)
from analysis.briefing.output import BriefError
from analysis.charts import emotion_mix_bars, label_shares, nev_gauge
from analysis.corpus.captions import SPIKE_RULE_FIELDS
from analysis.corpus.charts import emotion_figure
from analysis.corpus.scoring import EMOTION_COLUMN
from analysis.corpus.view import CorpusAnalysis
from analysis.emotion import mix_from_labels
from analysis.format import minute_text, nev_percent, prose_minus, share_percent
from analysis.i18n import UiLang, t
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summarize_counts
from analysis.review import ReviewEntry, apply_post_reviews

QUOTES = 5
SPIKES = 8
SPIKE_POSTS = 2  # most engaged posts quoted per spike
TIMELINE_ROWS = 20
COORDINATED_ROWS = 10
ENTITY_ROWS = 12


def ui(lang: str) -> UiLang:
    return "en" if lang == "en" else "zh"


def period_corpus(corpus: CorpusAnalysis, start: date | None, end: date | None) -> CorpusAnalysis:
    """The corpus's posts from `start` to `end` (whole days, in the corpus's time zone), as a
    corpus of their own; raises BriefError (no_time_column, empty_period)."""
    if not corpus.options.mapping.time:
        raise BriefError("the corpus has no time column: a posts brief needs one", code="no_time_column")
    posts = corpus.posts
    if start is not None or end is not None:
        times = posts["time"]
        keep = times.notna()
        tz = corpus.options.tz
        if start is not None:
            keep &= times >= pd.Timestamp(start).tz_localize(tz)
        if end is not None:
            keep &= times < pd.Timestamp(end + timedelta(days=1)).tz_localize(tz)
        posts = posts[keep].reset_index(drop=True)
    if posts.empty or posts["time"].isna().all():
        when = f"{start or '…'} → {end or '…'}"
        raise BriefError(f"no posts in the period {when}", code="empty_period")
    return CorpusAnalysis(posts, corpus.report, corpus.options)


def _post_quote(row: pd.Series, lang: str, where: str = "") -> Quote:
    label = row.get("label")
    label = label if isinstance(label, str) else None
    score = row.get("score")
    return Quote(
        ref=post_ref(int(row["row"])),
        text=str(row["text"]),
        label=label_name(label, lang),
        label_key=label,
        score=score_cell(None if pd.isna(score) else float(score)),
        where=where or minute_text(row["time"]),
    )


def _quotes(c: CorpusAnalysis, key: str, label: str, lang: str) -> Section:
    pool = c.posts[c.posts["label"] == label]
    ordered = pool.sort_values(["score", "row"], ascending=[label == "negative", True], kind="stable")
    chosen = ordered.head(QUOTES)
    evidence = c.explain_texts(chosen) if len(chosen) else ()
    quotes = tuple(
        Quote(**{**_post_quote(r, lang).__dict__, "evidence": prose_minus(ev)})
        for (_, r), ev in zip(chosen.iterrows(), evidence, strict=True)
    )
    return quotes_section(key, label, quotes, len(pool), lang, intro_key="rep.posts_quotes_intro")


def _timeline(c: CorpusAnalysis, freq: str, lang: str) -> Section:
    tl = c.timeline(freq)
    labels = c.period_labels(freq)
    busiest = int(tl["posts"].to_numpy().argmax())
    intro = t(
        "rep.timeline_intro",
        lang,
        periods=len(tl),
        freq=t(f"rep.freq.{freq}", lang),
        first=labels[0],
        last=labels[-1],
        busiest=labels[busiest],
        busiest_posts=int(tl["posts"].iloc[busiest]),
    )
    positions = list(range(len(tl)))
    notes: tuple[str, ...] = ()
    if len(tl) > TIMELINE_ROWS:
        positions = sorted(tl["posts"].to_numpy().argsort(kind="stable")[::-1][:TIMELINE_ROWS])
        notes = (t("rep.timeline_busiest", lang, k=TIMELINE_ROWS, total=len(tl)),)
    rows = []
    for i in positions:
        r = tl.iloc[i]
        s = summarize_counts(int(r["positive"]), int(r["neutral"]), int(r["negative"]), int(r["unscored"]))
        rows.append((labels[i], str(int(r["posts"])), *summary_cells(s)))
    columns = (t("rep.col.period", lang), t("rep.col.posts", lang), *summary_columns(lang))
    return Section(
        "timeline",
        t("rep.sec.timeline", lang),
        intro,
        charts=(
            Chart("volume", c.figure("volume", ui(lang), freq), intro),
            Chart("nev", c.figure("nev", ui(lang), freq)),
        ),
        table=Table(columns, tuple(rows)),
        notes=notes,
    )


def _spikes(c: CorpusAnalysis, freq: str, lang: str) -> Section:
    spikes = c.spikes(freq)[:SPIKES]
    if not spikes:
        return Section("spikes", t("rep.sec.spikes", lang), t("rep.spikes_none", lang))
    rows, quotes = [], []
    for sp in spikes:
        label = c.label_of(freq, sp.period)
        ex = c.explanation(freq, sp.period)
        keywords = "、".join(k.term for k in ex.keywords) or "—"
        top = ex.top_posts.head(SPIKE_POSTS)
        rows.append(
            (
                label,
                t(f"rep.spike.kind.{sp.kind}", lang),
                f"{sp.z:.1f}",
                str(sp.n),
                prose_minus(nev_percent(sp.nev)),
                keywords,
                ", ".join(post_ref(int(x)) for x in top["row"]),
            )
        )
        quotes += [_post_quote(r, lang, where=label) for _, r in top.iterrows()]
    columns = (
        t("rep.col.period", lang),
        t("rep.col.label", lang),
        "z",
        t("rep.col.n", lang),
        t("rep.col.nev", lang),
        t("rep.col.keywords", lang),
        t("rep.col.ref", lang),
    )
    intro = t("rep.spikes_intro", lang, k=len(c.spikes(freq)), z=SPIKE_RULE_FIELDS["z"])
    return Section(
        "spikes", t("rep.sec.spikes", lang), intro, table=Table(columns, tuple(rows)), quotes=tuple(quotes)
    )


def _coordinated(c: CorpusAnalysis, lang: str) -> Section:
    found = c.report.coordinated
    title = t("rep.sec.coordinated", lang)
    if found is None:
        return Section("coordinated", title, t("rep.coordinated_no_author", lang))
    times = c.posts["time"]
    if not found.empty:
        found = found[(found["last_time"] >= times.min()) & (found["first_time"] <= times.max())]
    if found.empty:
        return Section("coordinated", title, t("rep.coordinated_none", lang))
    rows = tuple(
        (
            post_ref(int(r["first_row"])),
            str(r["text"]),
            str(int(r["n_authors"])),
            str(int(r["n_posts"])),
            f"{minute_text(r['first_time'])} (+{r['span_minutes']:g} min)",
            str(r["authors"]),
        )
        for _, r in found.head(COORDINATED_ROWS).iterrows()
    )
    columns = (
        t("rep.col.first_row", lang),
        t("rep.col.text", lang),
        t("rep.col.n_authors", lang),
        t("rep.col.posts", lang),
        t("rep.col.window", lang),
        t("rep.col.authors", lang),
    )
    return Section(
        "coordinated", title, t("rep.coordinated_intro", lang, k=len(found)), table=Table(columns, rows)
    )


def _entities(c: CorpusAnalysis, freq: str, lang: str) -> Section | None:
    totals = c.entity_totals(freq)
    if totals.empty:
        return None
    names = c.entity_names(ui(lang))
    total = int(totals["mentions"].sum())
    head = totals.head(ENTITY_ROWS)
    rows = tuple(
        (
            names.get(r["entity"], r["entity"]),
            str(int(r["mentions"])),
            share_percent(float(r["share_of_voice"])),
            prose_minus(nev_percent(None if pd.isna(r["nev"]) else float(r["nev"]))),
            f"{int(r['positive'])}/{int(r['neutral'])}/{int(r['negative'])}",
        )
        for _, r in head.iterrows()
    )
    first = head.iloc[0]
    intro = t(
        "rep.entities_intro",
        lang,
        k=len(totals),
        total=total,
        top=names.get(first["entity"], first["entity"]),
        top_share=share_percent(float(first["share_of_voice"])),
    )
    columns = (
        t("rep.col.name", lang),
        t("rep.col.mentions", lang),
        t("rep.col.share_of_voice", lang),
        t("rep.col.nev", lang),
        "P/U/N",
    )
    return Section("entities", t("rep.sec.entities", lang), intro, table=Table(columns, rows))


def _emotions(c: CorpusAnalysis, freq: str, lang: str) -> Section | None:
    """The emotion mix of the period's posts (fast tier), with each emotion's share per period."""
    if not c.has_emotions():
        return None
    mix = mix_from_labels(c.posts[EMOTION_COLUMN])
    rows = [(t("rep.emotions_all_posts", lang), mix)]
    return Section(
        "emotions",
        t("rep.sec.emotions", lang),
        emotion_intro(mix, lang),
        charts=(
            Chart("emotions", emotion_mix_bars(rows, lang)),
            Chart("emotions_per_period", emotion_figure(c.timeline(freq), freq, ui(lang))),
        ),
        table=emotion_table(rows, lang),
    )


def _review(c: CorpusAnalysis, reviews: Iterable[ReviewEntry], lang: str) -> Section | None:
    """The period's posts as the analysts labelled them beside the model's (as on the Posts
    page, over the period's posts only); None when none of them was reviewed."""
    view = apply_post_reviews(c.posts, reviews)
    if not view.reviewed:
        return None
    rows = (
        (t("rep.review.model", lang), *summary_cells(view.model)),
        (t("rep.review.reviewed", lang), *summary_cells(view.reviewed_summary)),
    )
    intro = t("rep.review_intro_posts", lang, k=view.reviewed, n=len(c.posts), changed=view.changed)
    return Section(
        "review", t("rep.sec.review", lang), intro, table=Table(("", *summary_columns(lang)), rows)
    )


def posts_brief(
    corpus: CorpusAnalysis,
    *,
    name: str,
    sha256: str | None = None,
    lang: str = "zh",
    freq: str = "D",
    start: date | None = None,
    end: date | None = None,
    components: dict[str, str] | None = None,
    reviews: Iterable[ReviewEntry] = (),
    generated_at: datetime | None = None,
) -> Brief:
    """A corpus of posts over a period (`start`…`end`, whole days; None: open). `name` is the
    file's; `sha256` the file's bytes; `components` the models per language (for the method);
    `reviews` the corpus's review trail (a section sets the reviewed figures beside the model's)."""
    c = period_corpus(corpus, start, end)
    total = c.summary(freq)
    span = c.span()
    meta = [(t("rep.meta.file", lang), name), (t("rep.meta.posts", lang), f"{len(c.posts):,}")]
    if span is not None:
        meta.append(
            (
                t("rep.meta.period", lang),
                f"{minute_text(span.first)} → {minute_text(span.last)} ({span.days} d)",
            )
        )
    gauge = Section(
        "gauge",
        t("rep.sec.gauge", lang),
        gauge_intro(total, lang),
        charts=(
            Chart("gauge", nev_gauge(total, lang), half=True),
            Chart("shares", label_shares(total, lang), half=True),
        ),
    )
    sections: list[Section | None] = [
        gauge,
        _review(c, reviews, lang),
        _timeline(c, freq, lang),
        _spikes(c, freq, lang),
        _coordinated(c, lang),
        _quotes(c, "negative", "negative", lang),
        _quotes(c, "positive", "positive", lang),
        _emotions(c, freq, lang),
        _entities(c, freq, lang),
    ]
    options = c.options
    method = [
        (t("rep.m.model", lang), options.model),
        *(
            [(t("rep.m.components", lang), ", ".join(f"{k}: {v}" for k, v in components.items()))]
            if components
            else []
        ),
        (
            t("rep.m.band", lang),
            prose_minus(f"{options.band[0]:+.3g} … {options.band[1]:+.3g}") if options.band else "default",
        ),
        (t("rep.m.formula", lang), prose_minus(f"{NEV_FORMULA}; {NEV_POLAR_FORMULA}")),
        (t("rep.m.timezone", lang), options.tz),
        (t("rep.m.ingest", lang), c.report.summary_line()),
    ]
    if sha256:
        method.append((t("rep.m.sha", lang), sha256))
    return Brief(
        kind="posts",
        lang=lang,
        title=name,
        subtitle=t("rep.kind.posts", lang),
        meta=tuple(meta),
        headline=headline(total, lang),
        sections=tuple(s for s in sections if s is not None),
        method=tuple(method),
        generated_at=now_text(generated_at),
    )


def dates_in(values: Sequence[str | None]) -> tuple[date | None, ...]:
    """`YYYY-MM-DD` strings (or None) as dates; BriefError (bad_date) for anything else."""
    out: list[date | None] = []
    for v in values:
        if not v:
            out.append(None)
            continue
        try:
            out.append(date.fromisoformat(v))
        except ValueError:
            raise BriefError(f"not a date (YYYY-MM-DD): {v!r}", code="bad_date") from None
    return tuple(out)
