"""What a brief holds, whatever its kind: the records the templates read, and the small helpers
every kind's builder shares (headline figures with their worked formula, quotes with trace ids,
the method stamp). Only computed figures and template sentences (analysis/data/i18n/report.json)
go in: nothing here writes prose of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import analysis
from analysis.format import (
    MISSING,
    count_share,
    evidence_string,
    nev_percent,
    nev_zone,
    prose_minus,
    score_text,
    share_percent,
)
from analysis.i18n import t
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, SMALL_SAMPLE, wilson_interval
from analysis.records import ModelInfo, SentimentSummary

BriefKind = Literal["article", "comparison", "posts"]
QUOTES = 3  # most negative / most positive sentences quoted in an article brief
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)  # CJK faces first: `system-ui` first makes Chromium's PDF drop Han glyphs


@dataclass(frozen=True)
class Quote:
    """One quoted sentence or post with the id that leads back to it (`A3·#12`, `#12`, `row 57`)."""

    ref: str
    text: str
    label: str  # the label's name in the brief's language
    label_key: str | None  # positive / neutral / negative (a CSS class)
    score: str
    evidence: str = ""
    emotion: str = ""
    where: str = ""


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, eq=False)
class Chart:
    """A Plotly figure (`analysis.charts` or `analysis.corpus.charts`) with the id it is drawn in."""

    id: str
    figure: Any  # plotly.graph_objects.Figure
    alt: str = ""  # what the chart shows, in words (the figures are in the section's table too)
    half: bool = False  # drawn at half the width, beside its neighbour


@dataclass(frozen=True, eq=False)
class Section:
    """One part of a brief. `key` is stable (templates and tests address sections by it)."""

    key: str
    title: str
    intro: str = ""
    charts: tuple[Chart, ...] = ()
    table: Table | None = None
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Headline:
    nev: str
    nev_polar: str
    nev_worked: str  # "nev = (P − N) / (P + U + N) = (1 − 3) / 5 = −40.0%"
    nev_polar_worked: str
    counts: str  # the template sentence with counts and shares
    zone: str | None
    warning: str = ""  # small sample


@dataclass(frozen=True, eq=False)
class Brief:
    kind: BriefKind
    lang: str
    title: str
    subtitle: str
    meta: tuple[tuple[str, str], ...]
    headline: Headline | None
    sections: tuple[Section, ...]
    method: tuple[tuple[str, str], ...]
    generated_at: str
    method_table: Table | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for s in self.sections for c in s.charts)


def now_text(when: datetime | None = None) -> str:
    return (when or datetime.now(UTC)).isoformat(timespec="seconds")


def label_name(label: str | None, lang: str) -> str:
    return t(f"label.{label or 'unscored'}", lang)


def sentence_ref(position: int, article_id: int | None = None) -> str:
    """The id of a sentence: `A3·#12` (article 3, sentence 12 as the app numbers it), or `#12`."""
    return f"A{article_id}·#{position}" if article_id is not None else f"#{position}"


def post_ref(row: int) -> str:
    return f"row {row}"


def worked(formula: str, p: int, u: int, n: int, value: float | None, *, polar: bool) -> str:
    """The formula with the counts put in: `nev = (P − N) / (P + U + N) = (1 − 3) / 5 = −40.0%`."""
    denominator = p + n if polar else p + u + n
    result = nev_percent(value)
    return prose_minus(f"{formula} = ({p} - {n}) / {denominator} = ") + prose_minus(result)


def headline(s: SentimentSummary, lang: str) -> Headline:
    warning = ""
    if s.n < SMALL_SAMPLE:
        warning = t("rep.small_sample", lang, n=s.n, min=SMALL_SAMPLE)
        interval = wilson_interval(s.negative, s.n)
        if interval:
            lo, hi = (share_percent(x, digits=0) for x in interval)
            warning += " " + t("rep.small_sample_interval", lang, lo=lo, hi=hi)
    counts = t(
        "rep.counts_line",
        lang,
        n=s.n,
        p=s.positive,
        u=s.neutral,
        neg=s.negative,
        unscored=s.unscored,
        p_share=count_share(s.positive, s.n),
        u_share=count_share(s.neutral, s.n),
        neg_share=count_share(s.negative, s.n),
    )
    return Headline(
        nev=prose_minus(nev_percent(s.nev)),
        nev_polar=prose_minus(nev_percent(s.nev_polar)),
        nev_worked=worked(NEV_FORMULA, s.positive, s.neutral, s.negative, s.nev, polar=False),
        nev_polar_worked=worked(
            NEV_POLAR_FORMULA, s.positive, s.neutral, s.negative, s.nev_polar, polar=True
        ),
        counts=counts,
        zone=nev_zone(s.nev),
        warning=warning,
    )


def gauge_intro(s: SentimentSummary, lang: str) -> str:
    zone = nev_zone(s.nev)
    return t(
        "rep.gauge_intro",
        lang,
        nev=prose_minus(nev_percent(s.nev)),
        zone=t(f"rep.zone.{zone or 'none'}", lang),
    )


def summary_cells(s: SentimentSummary) -> tuple[str, ...]:
    """n, P, U, N, NEV, NEV polar as table cells."""
    return (
        str(s.n),
        str(s.positive),
        str(s.neutral),
        str(s.negative),
        prose_minus(nev_percent(s.nev)),
        prose_minus(nev_percent(s.nev_polar)),
    )


def summary_columns(lang: str) -> tuple[str, ...]:
    return (
        t("rep.col.n", lang),
        label_name("positive", lang),
        label_name("neutral", lang),
        label_name("negative", lang),
        t("rep.col.nev", lang),
        t("rep.col.nev_polar", lang),
    )


def method_rows(model: ModelInfo, lang: str, *, sha256: str | None) -> list[tuple[str, str]]:
    """The reproducibility stamp of `analysis.export.stamp`, as label / value rows."""
    rows = [
        (t("rep.m.app", lang), f"Opinion Lens 舆情透镜 {analysis.__version__}"),
        (t("rep.m.model", lang), f"{model.name} {model.version}"),
    ]
    if model.components:
        rows.append(
            (t("rep.m.components", lang), ", ".join(f"{k}: {v}" for k, v in model.components.items()))
        )
    if model.emotion_components:
        rows.append(
            (t("rep.m.emotion", lang), ", ".join(f"{k}: {v}" for k, v in model.emotion_components.items()))
        )
    if model.thresholds:
        rows.append(
            (
                t("rep.m.band", lang),
                prose_minus(", ".join(f"{k} = {v:+.3g}" for k, v in model.thresholds.items())),
            )
        )
    rows.append((t("rep.m.formula", lang), prose_minus(f"{NEV_FORMULA}; {NEV_POLAR_FORMULA}")))
    if sha256:
        rows.append((t("rep.m.sha", lang), sha256))
    for note in (model.note, model.emotion_note):
        if note:
            rows.append((t("rep.m.note", lang), note))
    return rows


def quotes_section(
    key: str,
    label: str,
    quotes: tuple[Quote, ...],
    total: int,
    lang: str,
    *,
    intro_key: str = "rep.quotes_intro",
) -> Section:
    """The section of the most negative (or positive) quotes: `quotes` of `total` candidates."""
    name = label_name(label, lang).lower()
    intro = (
        t(intro_key, lang, k=len(quotes), total=total, label=name)
        if quotes
        else t("rep.no_quotes", lang, label=name)
    )
    return Section(key, t(f"rep.sec.{key}", lang), intro, quotes=quotes)


def evidence_text(evidence: Sequence[Any]) -> str:
    return prose_minus(evidence_string(evidence, ", ")) if evidence else ""


def score_cell(score: float | None) -> str:
    return prose_minus(score_text(score)) if score is not None else MISSING
