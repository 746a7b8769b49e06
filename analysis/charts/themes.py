"""An article's keywords and themes: keyword bars, the theme treemap coloured by NEV, and themes
by viewpoint group."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from analysis.charts.groups import group_heatmap
from analysis.charts.labels import short_label
from analysis.charts.summary import summary_hover
from analysis.format import (
    NEV_COLORSCALE,
    record_field,
    theme_name,
)
from analysis.i18n import t
from analysis.metrics import summarize_labels
from analysis.records import ArticleAnalysis


def keyword_bars(analysis: ArticleAnalysis, lang: str = "zh", *, top: int = 20) -> go.Figure:
    """The top keywords by weight, heaviest at the top."""
    kws = list(analysis.keywords)[:top]
    fig = go.Figure(
        go.Bar(
            x=[k.weight for k in kws],
            y=[short_label(k.term, 40) for k in kws],
            orientation="h",
            marker={"color": "#5b8def"},
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(220, 40 + 24 * len(kws)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": t("chart.weight", lang)},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def theme_treemap(
    analysis: ArticleAnalysis, lang: str = "zh", *, taxonomy: Iterable[Any] | None = None
) -> go.Figure:
    """Themes sized by how many sentences carry them and coloured by their net emotional value
    (fixed [-1, 1] scale). With a taxonomy whose entries have a `parent`, themes nest under their
    parent theme; a parent's colour is the NEV of its children's sentences taken together."""
    parents: dict[str, str | None] = {}
    names: dict[str, str] = {th.id: theme_name(th, lang) for th in analysis.themes}
    for entry in taxonomy or ():
        tid = record_field(entry, "id")
        parents[tid] = record_field(entry, "parent")
        names.setdefault(tid, theme_name(entry, lang))
    root = "__article__"
    ids, labels, parent_of, values, colors, hover = [], [], [], [], [], []
    positions_under: dict[str, set[int]] = {}
    scored_label = {s.position: s.label for s in analysis.sentences}
    for th in analysis.themes:
        if not th.sentence_positions:
            continue
        ids.append(th.id)
        labels.append(names[th.id])
        parent = parents.get(th.id)
        parent_of.append(parent if parent else root)
        values.append(len(th.sentence_positions))
        colors.append(th.sentiment.nev if th.sentiment.nev is not None else 0.0)
        hover.append(summary_hover(th.sentiment, lang))
        if parent:
            positions_under.setdefault(parent, set()).update(th.sentence_positions)
    for parent, positions in positions_under.items():
        if parent in ids:
            continue
        summary = summarize_labels(scored_label.get(p) for p in positions)
        ids.append(parent)
        labels.append(names.get(parent, parent))
        parent_of.append(root)
        values.append(0)  # branchvalues="remainder": the children carry the size
        colors.append(summary.nev if summary.nev is not None else 0.0)
        hover.append(summary_hover(summary, lang))
    ids.append(root)
    labels.append(t("chart.all_themes", lang))
    parent_of.append("")
    values.append(0)
    colors.append(analysis.sentiment.nev if analysis.sentiment.nev is not None else 0.0)
    hover.append(summary_hover(analysis.sentiment, lang))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parent_of,
            values=values,
            branchvalues="remainder",
            marker={
                "colors": colors,
                "colorscale": NEV_COLORSCALE,
                "cmin": -1,
                "cmax": 1,
                "cmid": 0,
                "showscale": True,
                "colorbar": {"title": {"text": "nev"}},
            },
            customdata=hover,
            hovertemplate="<b>%{label}</b><br>%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(height=420, margin={"l": 5, "r": 5, "t": 30, "b": 5})
    return fig


def theme_group_matrix(analysis: ArticleAnalysis, lang: str = "zh") -> go.Figure:
    """Heatmap: themes (rows) × core viewpoint and groups (columns), cell colour = NEV of the
    sentences carrying that theme in that group, cell text = their count. Empty cells stay blank."""
    by_pos = {s.position: s for s in analysis.sentences}
    rows = [
        (
            theme_name(th, lang),
            [(by_pos[p].group, by_pos[p].label) for p in th.sentence_positions if p in by_pos],
        )
        for th in analysis.themes
        if th.sentence_positions
    ]
    return group_heatmap(analysis, rows, lang)
