"""Emotion mixes: one stacked bar per row (the article, each viewpoint group, the negative
sentences), every emotion's count and share in the hover; the names in the UI language."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from analysis.charts.groups import group_names
from analysis.charts.labels import short_label
from analysis.emotion.labels import EMOTION_COLORS, emotion_name
from analysis.i18n import t
from analysis.records import EMOTIONS, ArticleAnalysis, EmotionMix


def emotion_mix_bars(
    rows: Sequence[tuple[str, EmotionMix]], lang: str = "zh", *, height: int | None = None
) -> go.Figure:
    """Horizontal 100% bars, one per (name, mix), top to bottom in the order given."""
    names = [short_label(name, 28) for name, _ in rows]
    fig = go.Figure()
    for emotion in EMOTIONS:
        counts = [mix.counts.get(emotion, 0) for _, mix in rows]
        shares = [c / mix.n if mix.n else 0.0 for c, (_, mix) in zip(counts, rows, strict=True)]
        fig.add_trace(
            go.Bar(
                y=names,
                x=shares,
                orientation="h",
                name=emotion_name(emotion, lang),
                marker_color=EMOTION_COLORS[emotion],
                customdata=[[c, mix.n] for c, (_, mix) in zip(counts, rows, strict=True)],
                hovertemplate="%{y}<br>"
                + emotion_name(emotion, lang)
                + ": %{customdata[0]} / %{customdata[1]} (%{x:.0%})<extra></extra>",
                text=[emotion_name(emotion, lang) if s >= 0.12 else "" for s in shares],
                textposition="inside",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=height or 90 + 34 * len(rows),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"tickformat": ".0%", "range": [0, 1], "title": t("emo.share_axis", lang)},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": 1.12, "x": 0, "traceorder": "normal"},
    )
    return fig


def article_emotion_rows(analysis: ArticleAnalysis, lang: str = "zh") -> list[tuple[str, EmotionMix]]:
    """The rows the Overview draws: the whole article, the negative sentences, then each
    viewpoint group (empty when emotions were not read). Names are plain text."""
    if analysis.emotions is None:
        return []
    rows = [(t("emo.article", lang), analysis.emotions)]
    if analysis.negative_emotions is not None and analysis.negative_emotions.n:
        rows.append((t("emo.negative_rows", lang), analysis.negative_emotions))
    names = group_names(analysis, lang, escape=False)
    for g, mix in zip(analysis.document.groups, analysis.group_emotions, strict=True):
        if mix.n:
            rows.append((names.get(g.index, str(g.index)), mix))
    return rows
