"""Charts across articles: the library's articles by publication date, and the Compare page's NEV
bars, label shares and themes side by side."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from analysis.charts.labels import short_label
from analysis.charts.summary import nev_bars, nev_heatmap, summary_hover
from analysis.format import (
    LABEL_COLORS,
    NEV_COLORSCALE,
    display_title,
    percent_points,
    record_field,
    theme_name,
)
from analysis.i18n import t
from analysis.records import LABELS, ArticleAnalysis, SentimentSummary


def library_timeline(records: Iterable[Any], lang: str = "zh") -> go.Figure:
    """Each dated library article at its published_at with its NEV; counts and formula on hover.
    Records need title, published_at, n, positive, neutral, negative, nev, nev_polar (ArticleRecord
    or mappings). Undated records are left out here; the page lists them apart."""
    dated = sorted(
        (r for r in records if isinstance(record_field(r, "published_at"), datetime)),
        key=lambda r: record_field(r, "published_at"),
    )
    summaries = [
        SentimentSummary(
            n=record_field(r, "n") or 0,
            positive=record_field(r, "positive") or 0,
            neutral=record_field(r, "neutral") or 0,
            negative=record_field(r, "negative") or 0,
            nev=record_field(r, "nev"),
            nev_polar=record_field(r, "nev_polar"),
        )
        for r in dated
    ]
    fig = go.Figure(
        go.Scatter(
            x=[record_field(r, "published_at") for r in dated],
            y=[percent_points(s.nev) for s in summaries],
            mode="lines+markers",
            marker={
                "size": 12,
                "color": [s.nev if s.nev is not None else 0 for s in summaries],
                "colorscale": NEV_COLORSCALE,
                "cmin": -1,
                "cmax": 1,
                "line": {"width": 1, "color": "#333"},
            },
            line={"color": "#888888"},
            customdata=[
                [short_label(display_title(r), 60), summary_hover(s, lang)]
                for r, s in zip(dated, summaries, strict=True)
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>%{x}<br>%{customdata[1]}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line_width=1, line_color="#999999")
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": t("chart.published_at", lang)},
        yaxis={"title": t("chart.nev_axis", lang), "range": [-110, 110]},
    )
    return fig


def compare_nev_bars(items: Sequence[tuple[str, ArticleAnalysis]], lang: str = "zh") -> go.Figure:
    """NEV of each compared article, counts and formula on hover."""
    return nev_bars([(html.escape(name), a.sentiment) for name, a in items], lang)


def compare_shares(items: Sequence[tuple[str, ArticleAnalysis]], lang: str = "zh") -> go.Figure:
    """Stacked 100% bars of the label shares of each compared article."""
    fig = go.Figure()
    names = [html.escape(name) for name, _ in items]
    for label in LABELS:
        counts = [getattr(a.sentiment, label) for _, a in items]
        totals = [a.sentiment.n for _, a in items]
        fig.add_trace(
            go.Bar(
                y=names,
                x=[c / n * 100 if n else 0 for c, n in zip(counts, totals, strict=True)],
                orientation="h",
                name=t(f"label.{label}", lang),
                marker={"color": LABEL_COLORS[label]},
                customdata=[[c, n] for c, n in zip(counts, totals, strict=True)],
                hovertemplate="%{y}: %{customdata[0]} / %{customdata[1]} (%{x:.1f}%)<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=max(220, 100 + 40 * len(items)),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": t("chart.share_axis", lang), "range": [0, 100]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
    )
    return fig


def compare_themes(items: Sequence[tuple[str, ArticleAnalysis]], lang: str = "zh") -> go.Figure:
    """Heatmap: themes × compared articles, NEV colour, sentence count as text."""
    theme_ids: list[str] = []
    theme_labels: dict[str, str] = {}
    for _, a in items:
        for th in a.themes:
            if th.sentence_positions and th.id not in theme_labels:
                theme_ids.append(th.id)
                theme_labels[th.id] = theme_name(th, lang)
    z, text, hover = [], [], []
    for tid in theme_ids:
        row_z, row_t, row_h = [], [], []
        for _, a in items:
            found = next((x for x in a.themes if x.id == tid and x.sentence_positions), None)
            row_z.append(found.sentiment.nev if found else None)
            row_t.append(str(len(found.sentence_positions)) if found else "")
            row_h.append(summary_hover(found.sentiment, lang) if found else "—")
        z.append(row_z)
        text.append(row_t)
        hover.append(row_h)
    x = [html.escape(name) for name, _ in items]
    y = [theme_labels[x] for x in theme_ids]
    return nev_heatmap(x, y, z, text, hover, colorbar=False, row_height=28)
