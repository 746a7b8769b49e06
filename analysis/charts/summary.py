"""NEV at a glance: one summary (the gauge, the label shares, a one-line strip), and many side by
side as NEV bars or a NEV heatmap; counts and both formulas in every hover."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from analysis.format import (
    GAUGE_ZONE_FILLS,
    LABEL_COLORS,
    NEV_COLORSCALE,
    NEV_ZONE_NEGATIVE,
    NEV_ZONE_POSITIVE,
    nev_percent,
    nev_zone,
    percent_points,
)
from analysis.i18n import t
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA
from analysis.records import LABELS, SentimentSummary


def summary_hover(summary: SentimentSummary, lang: str = "zh") -> str:
    """Counts and both formulas for one summary, as plain text with <br> line breaks (Plotly
    hover labels accept only a tiny safe subset of HTML; all values here are numbers)."""
    return "<br>".join(
        [
            t(
                "chart.counts",
                lang,
                p=summary.positive,
                u=summary.neutral,
                n=summary.negative,
                total=summary.n,
            ),
            f"nev = {nev_percent(summary.nev)} · {NEV_FORMULA}",
            f"nev_polar = {nev_percent(summary.nev_polar)} · {NEV_POLAR_FORMULA}",
        ]
    )


def nev_gauge(
    summary: SentimentSummary,
    lang: str = "zh",
    *,
    polar: bool = False,
    title: str | None = None,
    height: int = 260,
) -> go.Figure:
    """A gauge on [-100, +100] with negative / neutral / positive zones and the value marked by a
    threshold line. The gauge bar is made invisible: Plotly's bar fills from the axis minimum,
    which would make -96 look like "a little" and +20 look like "more than half"."""
    value = summary.nev_polar if polar else summary.nev
    formula = NEV_POLAR_FORMULA if polar else NEV_FORMULA
    shown = percent_points(value)
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=shown,
            number={"suffix": "%", "valueformat": "+.1f"},
            title={"text": title if title is not None else t("chart.nev_title", lang)},
            gauge={
                "axis": {
                    "range": [-100, 100],
                    "tickvals": [-100, -50, NEV_ZONE_NEGATIVE, 0, NEV_ZONE_POSITIVE, 50, 100],
                },
                "bar": {"color": "rgba(0,0,0,0)", "thickness": 0},
                "steps": [
                    {"range": [-100, NEV_ZONE_NEGATIVE], "color": GAUGE_ZONE_FILLS["negative"]},
                    {"range": [NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE], "color": GAUGE_ZONE_FILLS["neutral"]},
                    {"range": [NEV_ZONE_POSITIVE, 100], "color": GAUGE_ZONE_FILLS["positive"]},
                ],
                "threshold": {
                    "line": {"color": "#1f1f1f", "width": 5},
                    "thickness": 0.9,
                    "value": shown if shown is not None else 0,
                },
            },
        )
    )
    fig.update_layout(
        height=height,
        margin={"l": 25, "r": 25, "t": 60, "b": 10},
        meta={
            "formula": formula,
            "counts": {"P": summary.positive, "U": summary.neutral, "N": summary.negative},
            "zone": nev_zone(value),
        },
    )
    if value is None:
        fig.add_annotation(text=t("chart.no_value", lang), showarrow=False, x=0.5, y=0.1)
    return fig


def label_shares(summary: SentimentSummary, lang: str = "zh", *, height: int = 260) -> go.Figure:
    """Donut of the positive / neutral / negative counts with their shares."""
    names = [t(f"label.{x}", lang) for x in LABELS]
    counts = [getattr(summary, x) for x in LABELS]
    fig = go.Figure(
        go.Pie(
            labels=names,
            values=counts,
            hole=0.55,
            sort=False,
            direction="clockwise",
            marker={"colors": [LABEL_COLORS[x] for x in LABELS]},
            textinfo="label+percent",
            customdata=[[c, summary.n] for c in counts],
            hovertemplate="%{label}: %{customdata[0]} / %{customdata[1]} (%{percent})<extra></extra>",
        )
    )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=False,
        annotations=[{"text": f"n = {summary.n}", "showarrow": False, "font": {"size": 16}}],
    )
    return fig


def share_strip(summary: SentimentSummary, lang: str = "zh", *, height: int = 36) -> go.Figure:
    """A compact one-line stacked bar of the positive / neutral / negative shares (for a group),
    counts on hover; the NEV is in the hover too, with its formula."""
    fig = go.Figure()
    for label in LABELS:
        count = getattr(summary, label)
        fig.add_trace(
            go.Bar(
                x=[count / summary.n * 100 if summary.n else 0],
                y=[""],
                orientation="h",
                name=t(f"label.{label}", lang),
                marker={"color": LABEL_COLORS[label]},
                text=[f"{count}" if count else ""],
                textposition="inside",
                customdata=[[count, summary.n, summary_hover(summary, lang)]],
                hovertemplate=t(f"label.{label}", lang)
                + ": %{customdata[0]} / %{customdata[1]} (%{x:.1f}%)<br>%{customdata[2]}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=height,
        showlegend=False,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"range": [0, 100], "visible": False},
        yaxis={"visible": False},
    )
    return fig


def nev_bars(
    items: Sequence[tuple[str, SentimentSummary]], lang: str, *, orientation: str = "h"
) -> go.Figure:
    names = [name for name, _ in items]
    values = [percent_points(s.nev) for _, s in items]
    colors = [LABEL_COLORS.get(nev_zone(s.nev) or "neutral") for _, s in items]
    hover = [summary_hover(s, lang) for _, s in items]
    bar = go.Bar(
        x=values if orientation == "h" else names,
        y=names if orientation == "h" else values,
        orientation=orientation,
        marker={"color": colors},
        text=[nev_percent(s.nev) for _, s in items],
        # Inside long bars, outside short ones: an outside label of a ±100% bar would be clipped.
        textposition="auto",
        cliponaxis=False,
        customdata=hover,
        hovertemplate="<b>%{"
        + ("y" if orientation == "h" else "x")
        + "}</b><br>%{customdata}<extra></extra>",
    )
    fig = go.Figure(bar)
    axis = {"range": [-110, 110], "title": t("chart.nev_axis", lang), "zeroline": True}
    if orientation == "h":
        fig.update_layout(xaxis=axis, yaxis={"autorange": "reversed", "automargin": True})
    else:
        fig.update_layout(yaxis=axis)
    fig.update_layout(
        height=max(220, 60 + 42 * len(items)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        meta={"formula": NEV_FORMULA},
    )
    return fig


def nev_heatmap(
    x: Sequence[str],
    y: Sequence[str],
    z: Sequence[Sequence[float | None]],
    text: Sequence[Sequence[str]],
    hover: Sequence[Sequence[str]],
    *,
    hovertemplate: str = "%{y} × %{x}<br>%{customdata}<extra></extra>",
    colorbar: bool = True,
    row_height: int = 30,
) -> go.Figure:
    """Rows `y` × columns `x` coloured by NEV on the scale fixed to [-1, 1] (None: a blank cell),
    each cell's `text` (a count) in it and its `hover` on it."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(x),
            y=list(y),
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate=hovertemplate,
            colorscale=NEV_COLORSCALE,
            zmin=-1,
            zmax=1,
            zmid=0,
            **({"colorbar": {"title": {"text": "nev"}}} if colorbar else {}),
        )
    )
    fig.update_layout(
        height=max(240, 80 + row_height * len(y)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig
