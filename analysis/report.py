"""The plain-text report of one article (`python -m analysis article PATH --format text`).

Readable in a terminal or pasted into an e-mail: the headline numbers with their counts and both
formulas first, then every viewpoint with its sentences, scores and [n] citations, so each number
can be traced to the sentences behind it.
"""

from __future__ import annotations

import textwrap

import analysis
from analysis.format import (
    MISSING_TEXT,
    count_share,
    display_source,
    display_title,
    evidence_string,
    measure_percent,
    nev_percent,
    score_text,
    share_percent,
)
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE, headline_measures, wilson_interval
from analysis.records import ArticleAnalysis, Bullet, FurnitureBlock, Sentence, SentimentSummary

WIDTH = 100
_LABEL_MARK = {"positive": "+", "neutral": "·", "negative": "-", None: "?"}


def _pct(value: float | None) -> str:
    return nev_percent(value, missing=MISSING_TEXT)


def _share(part: int, n: int) -> str:
    return count_share(part, n, missing=MISSING_TEXT)


def summary_line(s: SentimentSummary) -> str:
    """`n=12  P=1 (8.3%)  U=2 (16.7%)  N=9 (75.0%)  nev=-66.7%  nev_polar=-80.0%`"""
    line = (
        f"n={s.n}  P={s.positive} ({_share(s.positive, s.n)})  U={s.neutral} ({_share(s.neutral, s.n)})  "
        f"N={s.negative} ({_share(s.negative, s.n)})  nev={_pct(s.nev)}  nev_polar={_pct(s.nev_polar)}"
    )
    if s.unscored:
        line += f"  unscored={s.unscored}"
    return line


def _sentence_line(s: Sentence) -> str:
    score = score_text(s.score, missing="  n/a")
    label = s.label or "unscored"
    evidence = evidence_string(s.evidence, ", ")
    head = f"[{s.position}] {_LABEL_MARK[s.label]} {score} {label:<8} {s.lang:<5} "
    body = s.text
    if s.themes:
        body += f"  {{themes: {', '.join(s.themes)}}}"
    if evidence:
        body += f"  {{evidence: {evidence}}}"
    return textwrap.fill(body, WIDTH, initial_indent="      " + head, subsequent_indent=" " * 30)


def _bullet_lines(b: Bullet) -> list[str]:
    cites = "".join(f"[{c}]" for c in b.citations)
    lines = [
        textwrap.fill(f"- {b.text} {cites}".rstrip(), WIDTH, initial_indent="  ", subsequent_indent="    ")
    ]
    lines += [_sentence_line(s) for s in b.sentences]
    return lines


def _stated_vs_computed(a: ArticleAnalysis) -> list[str]:
    from analysis.stated_numbers import stated_sentiment  # it owns what "stated" means

    stated = stated_sentiment(a.figures) or {}
    if not stated:
        return []
    computed = headline_measures(a.sentiment)
    lines = ["", "STATED BY THE ARTICLE vs COMPUTED ON ITS TEXT"]
    for key, value in stated.items():
        shown_stated = measure_percent(key, value, missing=MISSING_TEXT)
        shown_computed = measure_percent(key, computed[key], missing=MISSING_TEXT) if key in computed else "—"
        lines.append(f"  {key:<16} stated {shown_stated:>8}   computed {shown_computed:>8}")
    lines.append(
        "  Why they can differ: the article's figures describe the public reaction it reports on "
        "(posts and comments), while the computed ones score the article's own sentences."
    )
    return lines


def _section(title: str) -> list[str]:
    return ["", title, "-" * min(WIDTH, max(len(title), 20))]


def _furniture_lines(blocks: tuple[FurnitureBlock, ...]) -> list[str]:
    """What was left out as page furniture, with why (nothing is dropped silently)."""
    excluded = [b for b in blocks if not b.counted]
    if not blocks:
        return []
    lines = _section(f"NOT COUNTED (page furniture): {len(excluded)} of {len(blocks)} blocks")
    for b in blocks:
        first = b.text.split("\n")[0]
        more = len(b.text.split("\n")) - 1
        state = "counted back in" if b.counted else "not counted"
        text = first[:60] + ("…" if len(first) > 60 else "") + (f" (+{more} lines)" if more else "")
        lines.append(f"  [{b.reason}] {state}: {text}")
    return lines


def format_text_report(a: ArticleAnalysis, *, top_keywords: int = 15) -> str:
    """A readable plain-text report of one analysis (ends with a newline)."""
    doc = a.document
    s = a.sentiment
    lines: list[str] = []
    title = display_title(doc, fallback="(untitled)")
    lines += [title, "=" * min(WIDTH, max(20, len(title) * 2))]
    lines.append(f"Source:    {display_source(doc, missing='unknown')}")
    lines.append(f"Published: {doc.published_at.isoformat() if doc.published_at else 'unknown'}")
    if doc.author:
        lines.append(f"Author:    {doc.author}")
    lines.append(f"Language:  {a.language}")
    lines.append(
        f"Model:     {a.model.name} {a.model.version}  ({', '.join(f'{k}={v}' for k, v in a.model.components.items())})"
    )
    lines.append("Band:      " + ", ".join(f"{k}={v:+.3g}" for k, v in a.model.thresholds.items()))

    lines += _section("SENTIMENT (article)")
    lines.append("  " + summary_line(s))
    lines.append(f"  {NEV_FORMULA}  (neutral counted, default)")
    lines.append(f"  {NEV_POLAR_FORMULA}  (neutral excluded)")
    lines.append("  P, U, N = positive, neutral, negative sentences; unscored sentences are not counted.")
    if s.n < SMALL_SAMPLE:
        interval = wilson_interval(s.negative, s.n)
        extra = (
            f" The negative share's 95% interval is {share_percent(interval[0], digits=0)}"
            f"-{share_percent(interval[1], digits=0)}."
            if interval
            else ""
        )
        lines.append(
            textwrap.fill(
                f"  Small sample: only {s.n} scored sentences (under {SMALL_SAMPLE}); shares are unstable.{extra}",
                WIDTH,
                subsequent_indent="  ",
            )
        )
    lines += _stated_vs_computed(a)
    lines += _furniture_lines(doc.furniture)

    if doc.core_viewpoint is not None:
        lines += _section("CORE VIEWPOINT")
        if a.core_sentiment is not None:
            lines.append("  " + summary_line(a.core_sentiment))
        lines += _bullet_lines(doc.core_viewpoint)

    for g, gs in zip(doc.groups, a.group_sentiment, strict=True):
        lines += _section(f"GROUP {g.index}: {g.title}")
        lines.append("  " + summary_line(gs))
        for b in g.bullets:
            lines += _bullet_lines(b)

    themed = [th for th in a.themes if th.sentence_positions]
    if themed:
        lines += _section("THEMES")
        for th in sorted(themed, key=lambda x: -len(x.sentence_positions)):
            lines.append(f"  {th.name_en} / {th.name_zh} [{th.id}]: {summary_line(th.sentiment)}")
            lines.append(f"      sentences: {', '.join(str(p) for p in th.sentence_positions)}")
    if a.keywords:
        lines += _section("KEYWORDS")
        lines.append(
            textwrap.fill(
                ", ".join(f"{k.term} ({k.weight:.2f})" for k in a.keywords[:top_keywords]),
                WIDTH,
                initial_indent="  ",
                subsequent_indent="  ",
            )
        )
    if a.figures:
        lines += _section("FIGURES STATED IN THE ARTICLE")
        for f in a.figures:
            meaning = f" — {f.meaning}" if f.meaning else ""
            where = f" (sentence {f.position})" if f.position is not None else ""
            lines.append(f"  {f.text}{meaning}{where}")

    lines += _section("REPRODUCIBILITY")
    lines.append(f"  app_version: {analysis.__version__}")
    lines.append(f"  input_sha256: {a.input_sha256}")
    lines.append("  legend: + positive, · neutral, - negative, ? unscored; [k] = sentence position")
    return "\n".join(lines) + "\n"
