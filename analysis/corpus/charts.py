"""Plotly figures for the posts timeline: pure functions of the aggregated frames (tests assert
on them). Labels come from the i18n catalogue in the requested UI language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.corpus.aggregate import WEIGHT_FORMULA, emotion_shares, period_label
from analysis.corpus.spikes import Spike
from analysis.emotion.labels import EMOTION_COLORS, emotion_name
from analysis.format import LABEL_COLORS
from analysis.i18n import UiLang, t
from analysis.records import EMOTIONS

# One colour per shown entity, in the order shown (plotly's default qualitative palette), the same
# entity the same colour in every entity chart; the other entities' share in grey.
ENTITY_PALETTE = (
    "#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a",
    "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52",
)  # fmt: skip
OTHER_ENTITIES_COLOR = "#bdbdbd"
MIN_ENTITY_MENTIONS = 5  # fewer posts naming an entity in a period: no NEV point drawn for it


def volume_figure(
    timeline: pd.DataFrame, freq: str, lang: UiLang = "zh", spikes: Sequence[Spike] = ()
) -> go.Figure:
    """Posts per period stacked by label; one bar per period (x = period label, selectable)."""
    x = period_label(timeline["period"], freq).tolist()
    fig = go.Figure()
    for label in ("negative", "neutral", "positive", "unscored"):
        if label == "unscored" and not timeline.get("unscored", pd.Series([0])).any():
            continue
        fig.add_bar(
            x=x,
            y=timeline[label].tolist(),
            name=t(f"label.{label}", lang),
            marker_color=LABEL_COLORS[label],
            customdata=np.stack([timeline["n"], timeline["nev"].round(3)], axis=-1),
            hovertemplate="%{x}<br>%{fullData.name}: %{y}<br>n = %{customdata[0]}"
            "<br>nev = %{customdata[1]}<extra></extra>",
        )
    volume_spikes = [s for s in spikes if s.kind == "volume"]
    if volume_spikes:
        labels = period_label(pd.Series([s.period for s in volume_spikes]), freq).tolist()
        fig.add_scatter(
            x=labels,
            y=[s.value * 1.05 + 1 for s in volume_spikes],  # above the bar: every post of the period
            mode="markers",
            marker={"symbol": "triangle-down", "size": 12, "color": "#ff6f00"},
            name=t("posts.chart.spike", lang),
            hovertemplate="%{x}<br>" + t("posts.chart.spike", lang) + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=t("posts.chart.volume_title", lang),
        xaxis_title=t("posts.chart.period", lang),
        yaxis_title=t("posts.chart.posts", lang),
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 50, "b": 40},
        clickmode="event+select",
        dragmode="select",
    )
    fig.update_xaxes(type="category")
    return fig


def nev_figure(
    timeline: pd.DataFrame,
    freq: str,
    lang: UiLang = "zh",
    spikes: Sequence[Spike] = (),
    weighted: bool = False,
) -> go.Figure:
    """nev and nev_polar per period, counts on hover; weighted variants when asked."""
    x = period_label(timeline["period"], freq).tolist()
    custom = np.stack(
        [timeline["n"], timeline["positive"], timeline["neutral"], timeline["negative"]], axis=-1
    )
    hover = (
        "%{x}<br>%{fullData.name} = %{y:.3f}<br>n = %{customdata[0]} · P = %{customdata[1]}"
        " · U = %{customdata[2]} · N = %{customdata[3]}<extra></extra>"
    )
    fig = go.Figure()
    series = [("nev", "posts.chart.nev", "solid"), ("nev_polar", "posts.chart.nev_polar", "dot")]
    if weighted:
        series += [
            ("nev_weighted", "posts.chart.nev_weighted", "solid"),
            ("nev_polar_weighted", "posts.chart.nev_polar_weighted", "dot"),
        ]
    palette = {
        "nev": "#1565c0",
        "nev_polar": "#6a1b9a",
        "nev_weighted": "#ef6c00",
        "nev_polar_weighted": "#8d6e63",
    }
    for col, key, dash in series:
        fig.add_scatter(
            x=x,
            y=timeline[col].round(4).tolist(),
            mode="lines+markers",
            name=t(key, lang),
            line={"dash": dash, "color": palette[col]},
            marker={"size": 4},
            customdata=custom,
            hovertemplate=hover,
            connectgaps=False,
        )
    turns = [s for s in spikes if s.kind == "turn"]
    if turns:
        fig.add_scatter(
            x=period_label(pd.Series([s.period for s in turns]), freq).tolist(),
            y=[s.nev for s in turns],
            mode="markers",
            marker={"symbol": "star", "size": 14, "color": "#ff6f00"},
            name=t("posts.chart.turn", lang),
            hovertemplate="%{x}<br>" + t("posts.chart.turn", lang) + "<extra></extra>",
        )
    fig.add_hline(y=0, line_color="#bdbdbd", line_width=1)
    fig.update_layout(
        title=t("posts.chart.nev_title", lang),
        xaxis_title=t("posts.chart.period", lang),
        yaxis={"range": [-1.05, 1.05], "title": "NEV"},
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 50, "b": 40},
    )
    fig.update_xaxes(type="category")
    if weighted:
        fig.add_annotation(
            text=WEIGHT_FORMULA, xref="paper", yref="paper", x=0, y=1.02, showarrow=False, font={"size": 10}
        )
    return fig


def emotion_figure(timeline: pd.DataFrame, freq: str, lang: UiLang = "zh") -> go.Figure:
    """Each emotion's share of the period's posts with a reading, stacked (one bar per period,
    names in the UI language: 喜怒哀惧惊恶无); counts, posts with a reading and unread on hover.
    A period without a reading has no bar. Needs the timeline's EMOTION_COLUMNS."""
    x = period_label(timeline["period"], freq).tolist()
    shares = emotion_shares(timeline)
    unread = timeline["emotion_unread"].astype(int).tolist()
    hover = (
        "%{x} · %{fullData.name}<br>"
        + t("posts.emotions.share", lang)
        + " = %{y:.1%} (%{customdata[0]} / %{customdata[1]} "
        + t("posts.emotions.read", lang)
        + ")<br>"
        + t("posts.emotions.unread", lang)
        + " = %{customdata[2]}<extra></extra>"
    )
    fig = go.Figure()
    for emotion in EMOTIONS:
        counts = timeline[f"emotion_{emotion}"].astype(int).tolist()
        fig.add_bar(
            x=x,
            y=_plain(shares[emotion], 4),
            name=emotion_name(emotion, lang),
            marker_color=EMOTION_COLORS[emotion],
            customdata=[[c, r, u] for c, r, u in zip(counts, shares["read"].tolist(), unread, strict=True)],
            hovertemplate=hover,
        )
    fig.update_layout(
        barmode="stack",
        title=t("posts.emotions.title", lang),
        xaxis_title=t("posts.chart.period", lang),
        yaxis={"title": t("posts.emotions.share", lang), "range": [0, 1.0001], "tickformat": ".0%"},
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": 1,
            "xanchor": "right",
            "y": 1.0,
            "yanchor": "bottom",
        },
        margin={"t": 50, "b": 40},
    )
    fig.update_xaxes(type="category")
    return fig


def theme_figure(theme_timeline: pd.DataFrame, freq: str, lang: UiLang = "zh") -> go.Figure:
    """Heatmap: themes × periods, colour = posts mentioning the theme, nev on hover."""
    fig = go.Figure()
    if theme_timeline.empty:
        fig.update_layout(title=t("posts.chart.themes_title", lang))
        return fig
    labels = period_label(theme_timeline["period"], freq)
    frame = theme_timeline.assign(period_label=labels.to_numpy())
    counts = frame.pivot_table(
        index="theme_name", columns="period_label", values="n", aggfunc="sum", fill_value=0
    )
    nev = frame.pivot_table(index="theme_name", columns="period_label", values="nev", aggfunc="first")
    nev = nev.reindex(index=counts.index, columns=counts.columns)
    fig.add_heatmap(
        z=counts.to_numpy().tolist(),
        x=list(counts.columns),
        y=list(counts.index),
        customdata=nev.round(3).to_numpy().tolist(),
        colorscale="Blues",
        hovertemplate="%{y} · %{x}<br>n = %{z}<br>nev = %{customdata}<extra></extra>",
        colorbar={"title": t("posts.chart.posts", lang)},
    )
    fig.update_layout(title=t("posts.chart.themes_title", lang), margin={"t": 50})
    fig.update_xaxes(type="category")
    return fig


def breakdown_figure(by_group: pd.DataFrame, group_label: str, lang: UiLang = "zh") -> go.Figure:
    """nev per source / region (whole corpus), bar width by posts on hover."""
    frame = by_group.sort_values("n", ascending=False).head(20)
    fig = go.Figure()
    fig.add_bar(
        x=frame["group"].astype(str).tolist(),
        y=frame["nev"].round(4).tolist(),
        marker_color=[
            LABEL_COLORS["negative" if (v or 0) < 0 else "positive"] for v in frame["nev"].fillna(0)
        ],
        customdata=np.stack([frame["n"], frame["positive"], frame["neutral"], frame["negative"]], axis=-1),
        hovertemplate="%{x}<br>nev = %{y:.3f}<br>n = %{customdata[0]} · P = %{customdata[1]}"
        " · U = %{customdata[2]} · N = %{customdata[3]}<extra></extra>",
        name="nev",
    )
    fig.update_layout(
        title=t("posts.chart.breakdown_title", lang, group=group_label),
        yaxis={"range": [-1.05, 1.05], "title": "NEV"},
        margin={"t": 50},
    )
    return fig


def _entity_grid(rows: pd.DataFrame, periods: pd.Series, names: Sequence[str], column: str) -> pd.DataFrame:
    """`column` of the entity rows as periods × `names` (every period of the timeline, NaN where
    an entity is not mentioned)."""
    wide = rows.pivot_table(index="period", columns="entity", values=column, aggfunc="first")
    return wide.reindex(index=pd.DatetimeIndex(periods), columns=list(names))


def _plain(values: pd.Series, digits: int | None = None) -> list[float | None]:
    """A column as JSON-ready numbers, None where missing (a gap in a line, no bar)."""
    return [
        None if pd.isna(v) else (round(float(v), digits) if digits is not None else float(v)) for v in values
    ]


def entity_volume_figure(
    rows: pd.DataFrame,
    periods: pd.Series,
    freq: str,
    names: Mapping[str, str],
    lang: UiLang = "zh",
    measure: Literal["share_of_voice", "mentions"] = "share_of_voice",
    others: pd.DataFrame | None = None,
) -> go.Figure:
    """Share of voice (or mentions) per period stacked by entity, one bar per period of the
    timeline. `rows` are an entity view's (analysis.entities.POSTS_COLUMNS), `names` the shown
    entities (name -> name as shown, in order); `others` (period, mentions, share_of_voice) adds
    the other entities' share in grey, so a period's bar reaches 1 (the top entities' view)."""
    x = period_label(periods, freq).tolist()
    mentions, share, nev = (
        _entity_grid(rows, periods, list(names), c) for c in ("mentions", "share_of_voice", "nev")
    )
    fig = go.Figure()
    hover = (
        "%{x} · %{fullData.name}<br>"
        + t("posts.chart.share_of_voice", lang)
        + " = %{customdata[1]:.1%}<br>"
        + t("posts.chart.mentions", lang)
        + " = %{customdata[0]}<br>nev = %{customdata[2]}<extra></extra>"
    )
    for i, (name, shown) in enumerate(names.items()):
        if mentions[name].isna().all():
            continue
        custom = [
            [int(m), float(s), v]
            for m, s, v in zip(
                mentions[name].fillna(0), share[name].fillna(0), _plain(nev[name], 3), strict=True
            )
        ]
        fig.add_bar(
            x=x,
            y=_plain((mentions if measure == "mentions" else share)[name]),
            name=shown,
            marker_color=ENTITY_PALETTE[i % len(ENTITY_PALETTE)],
            customdata=custom,
            hovertemplate=hover,
        )
    if others is not None and measure == "share_of_voice" and not others.empty:
        rest = others.set_index("period").reindex(pd.DatetimeIndex(periods))
        fig.add_bar(
            x=x,
            y=_plain(rest["share_of_voice"]),
            name=t("posts.chart.other_entities", lang),
            marker_color=OTHER_ENTITIES_COLOR,
            customdata=np.stack([rest["mentions"].fillna(0), rest["share_of_voice"].fillna(0)], -1).tolist(),
            hovertemplate="%{x} · %{fullData.name}<br>"
            + t("posts.chart.share_of_voice", lang)
            + " = %{customdata[1]:.1%}<br>"
            + t("posts.chart.mentions", lang)
            + " = %{customdata[0]}<extra></extra>",
        )
    share_axis = measure == "share_of_voice"
    fig.update_layout(
        barmode="stack",
        title=t(
            "posts.chart.entity_share_title" if share_axis else "posts.chart.entity_mentions_title", lang
        ),
        xaxis_title=t("posts.chart.period", lang),
        yaxis={
            "title": t("posts.chart.share_of_voice" if share_axis else "posts.chart.mentions", lang),
            **({"range": [0, 1.0001], "tickformat": ".0%"} if share_axis else {}),
        },
        legend={"orientation": "h", "y": -0.4},
        margin={"t": 50, "b": 40},
    )
    fig.update_xaxes(type="category")
    return fig


def entity_nev_figure(
    rows: pd.DataFrame, periods: pd.Series, freq: str, names: Mapping[str, str], lang: UiLang = "zh"
) -> go.Figure:
    """nev per period of each shown entity (over the posts naming it), gaps where it is named in
    fewer than MIN_ENTITY_MENTIONS posts (a share of two posts swings from −1 to +1 and would
    drown the trend) or none of its posts is scored; counts on hover. Colours as in the volume chart."""
    x = period_label(periods, freq).tolist()
    columns = ("nev", "mentions", "positive", "neutral", "negative")
    grids = {c: _entity_grid(rows, periods, list(names), c) for c in columns}
    hover = (
        "%{x} · %{fullData.name}<br>nev = %{y:.3f}<br>"
        + t("posts.chart.mentions", lang)
        + " = %{customdata[0]} · P = %{customdata[1]} · U = %{customdata[2]} · N = %{customdata[3]}"
        "<extra></extra>"
    )
    fig = go.Figure()
    for i, (name, shown) in enumerate(names.items()):
        if grids["mentions"][name].isna().all():
            continue
        custom = np.stack(
            [grids[c][name].fillna(0).astype(int) for c in ("mentions", "positive", "neutral", "negative")],
            -1,
        )
        enough = grids["mentions"][name].fillna(0) >= MIN_ENTITY_MENTIONS
        fig.add_scatter(
            x=x,
            y=_plain(grids["nev"][name].where(enough), 4),
            mode="lines+markers",
            name=shown,
            line={"color": ENTITY_PALETTE[i % len(ENTITY_PALETTE)]},
            marker={"size": 5},
            customdata=custom.tolist(),
            hovertemplate=hover,
            connectgaps=False,
        )
    fig.add_hline(y=0, line_color="#bdbdbd", line_width=1)
    fig.update_layout(
        title=t("posts.chart.entity_nev_title", lang, n=MIN_ENTITY_MENTIONS),
        xaxis_title=t("posts.chart.period", lang),
        yaxis={"range": [-1.05, 1.05], "title": "NEV"},
        legend={"orientation": "h", "y": -0.4},
        margin={"t": 50, "b": 40},
    )
    fig.update_xaxes(type="category")
    return fig
