"""An article by its viewpoint groups: their names, NEV bars, a group heatmap (themes or entities
by group), and the emotional arc over the sentences in order."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from analysis.charts.labels import short_label
from analysis.charts.summary import nev_bars, nev_heatmap, summary_hover
from analysis.format import (
    LABEL_COLORS,
)
from analysis.i18n import t
from analysis.metrics import summarize_labels
from analysis.records import LABELS, ArticleAnalysis, SentimentSummary


def group_names(analysis: ArticleAnalysis, lang: str = "zh", *, escape: bool = True) -> dict[int | None, str]:
    """Display name per group index; None is the core viewpoint. Escaped by default because
    Plotly interprets a few HTML tags in labels and the titles come from the article."""
    names: dict[int | None, str] = {None: t("chart.core_viewpoint", lang)}
    for g in analysis.document.groups:
        title = f"{g.index}. {g.title}"
        names[g.index] = html.escape(title) if escape else title
    return names


def short_group_names(analysis: ArticleAnalysis, lang: str = "zh", limit: int = 18) -> dict[int | None, str]:
    """Group names cut to `limit` characters for tight places (axis ticks, span labels)."""
    names = group_names(analysis, lang, escape=False)
    return {k: html.escape(v if len(v) <= limit else v[: limit - 1].rstrip() + "…") for k, v in names.items()}


def group_nev_bars(analysis: ArticleAnalysis, lang: str = "zh", *, include_core: bool = True) -> go.Figure:
    """Net emotional value of the core viewpoint and each viewpoint group, with counts on hover."""
    names = group_names(analysis, lang)
    items: list[tuple[str, SentimentSummary]] = []
    if include_core and analysis.core_sentiment is not None:
        items.append((names[None], analysis.core_sentiment))
    items += [
        (names[g.index], s) for g, s in zip(analysis.document.groups, analysis.group_sentiment, strict=True)
    ]
    return nev_bars(items, lang)


def group_heatmap(
    analysis: ArticleAnalysis,
    rows: Sequence[tuple[str, Sequence[tuple[int | None, str | None]]]],
    lang: str,
    meta: dict[str, Any] | None = None,
) -> go.Figure:
    """Heatmap: `rows` (a name and its members' (group, label)) × the core viewpoint and the
    viewpoint groups. A cell's colour is the NEV of its members' labels, its text their count;
    empty cells stay blank. `meta` (with the columns added) goes on the layout for tests."""
    names = group_names(analysis, lang)
    columns: list[int | None] = [None] if analysis.document.core_viewpoint is not None else []
    columns += [g.index for g in analysis.document.groups]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for _, members in rows:
        row_z, row_t, row_h = [], [], []
        for col in columns:
            labels = [label for group, label in members if group == col]
            summary = summarize_labels(labels)
            row_z.append(summary.nev)
            row_t.append(str(len(labels)) if labels else "")
            row_h.append(summary_hover(summary, lang) if labels else "—")
        z.append(row_z)
        text.append(row_t)
        hover.append(row_h)
    short = short_group_names(analysis, lang)
    fig = nev_heatmap(
        [short[c] for c in columns],
        [name for name, _ in rows],
        z,
        text,
        [[f"{names[c]}<br>{h}" for c, h in zip(columns, row, strict=True)] for row in hover],
        hovertemplate="%{y} × %{customdata}<extra></extra>",
    )
    if meta is not None:
        fig.update_layout(meta={**meta, "columns": columns})
    return fig


def rolling_mean(values: Sequence[float | None], window: int) -> list[float | None]:
    """Trailing mean over the last `window` scored values (None values are skipped, not zeros)."""
    out: list[float | None] = []
    for i in range(len(values)):
        chunk = [v for v in values[max(0, i - window + 1) : i + 1] if v is not None]
        out.append(sum(chunk) / len(chunk) if chunk else None)
    return out


def emotional_arc(analysis: ArticleAnalysis, lang: str = "zh", *, window: int = 3) -> go.Figure:
    """Sentence order on x, score on y, a rolling mean, and each viewpoint group shaded."""
    sentences = [s for s in analysis.sentences]
    fig = go.Figure()
    names = group_names(analysis, lang)
    short = short_group_names(analysis, lang)
    # Group spans first, so points are drawn above them.
    for k, g in enumerate(analysis.document.groups):
        positions = [s.position for s in g.sentences]
        if not positions:
            continue
        fig.add_vrect(
            x0=min(positions) - 0.5,
            x1=max(positions) + 0.5,
            fillcolor="#5b8def" if k % 2 == 0 else "#b38bd6",
            opacity=0.08,
            line_width=0,
            annotation_text=short[g.index],
            annotation_position="top left",
            annotation_textangle=-90 if len(analysis.document.groups) > 6 else 0,
            annotation_font_size=10,
        )
    for label in LABELS:
        chosen = [s for s in sentences if s.label == label]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[s.position for s in chosen],
                y=[s.score for s in chosen],
                mode="markers",
                name=t(f"label.{label}", lang),
                marker={"color": LABEL_COLORS[label], "size": 9},
                customdata=[[names.get(s.group, ""), short_label(s.text)] for s in chosen],
                hovertemplate="#%{x} · %{y:+.2f}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    scores = [s.score for s in sentences]
    fig.add_trace(
        go.Scatter(
            x=[s.position for s in sentences],
            y=rolling_mean(scores, window),
            mode="lines",
            name=t("chart.rolling_mean", lang, window=window),
            line={"color": "#333333", "width": 2},
            connectgaps=True,
            hovertemplate="#%{x} · %{y:+.2f}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line_width=1, line_color="#999999")
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": t("chart.sentence_order", lang)},
        yaxis={"title": t("chart.score", lang), "range": [-1.1, 1.1]},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig
