"""Plotly figure builders for the dashboard: pure functions of the data model, no Streamlit.

Every builder takes the UI language (`lang`, "zh" or "en") for its labels and returns a
`go.Figure`, so tests assert on figures directly. Hover texts carry the counts and the formula
behind each number (ARCHITECTURE.md: a net emotional value is never shown without them).

Colour conventions, the same on every chart (analysis.format owns them):
- labels: negative red, neutral grey, positive green (`LABEL_COLOURS`);
- net emotional value: a diverging red-grey-green scale fixed to [-1, 1] (`NEV_COLOURSCALE`), so
  the same colour means the same value on every chart and every article;
- the gauge's zones at ±20 (`NEV_ZONE_NEGATIVE`, `NEV_ZONE_POSITIVE`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from analysis.format import (
    LABEL_COLOURS,
    NEV_COLOURSCALE,
    NEV_ZONE_NEGATIVE,
    NEV_ZONE_POSITIVE,
    display_title,
    nev_percent,
    nev_zone,
    percent_points,
    theme_name,
)
from analysis.i18n import t
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summarize_labels
from analysis.model import LABELS, ArticleAnalysis, Evidence, SentimentSummary

if TYPE_CHECKING:  # the entities module loads the alias table; the figures need only its types
    from analysis.entities import EntitySummary

_ZONE_FILLS = {"negative": "#f6c9c7", "neutral": "#ececec", "positive": "#c8e8d1"}
_MARK_FILLS = {"negative": "#f8c4c1", "positive": "#bfe6c9", "neutral": "#fff3b0"}


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
                    {"range": [-100, NEV_ZONE_NEGATIVE], "color": _ZONE_FILLS["negative"]},
                    {"range": [NEV_ZONE_NEGATIVE, NEV_ZONE_POSITIVE], "color": _ZONE_FILLS["neutral"]},
                    {"range": [NEV_ZONE_POSITIVE, 100], "color": _ZONE_FILLS["positive"]},
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
            marker={"colors": [LABEL_COLOURS[x] for x in LABELS]},
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


def _bar_rows(
    items: Sequence[tuple[str, SentimentSummary]], lang: str, *, orientation: str = "h"
) -> go.Figure:
    names = [name for name, _ in items]
    values = [percent_points(s.nev) for _, s in items]
    colours = [LABEL_COLOURS.get(nev_zone(s.nev) or "neutral") for _, s in items]
    hover = [summary_hover(s, lang) for _, s in items]
    bar = go.Bar(
        x=values if orientation == "h" else names,
        y=names if orientation == "h" else values,
        orientation=orientation,
        marker={"color": colours},
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
    return _bar_rows(items, lang)


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
                marker={"color": LABEL_COLOURS[label], "size": 9},
                customdata=[[names.get(s.group, ""), _short(s.text)] for s in chosen],
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


def _short(text: str, limit: int = 80) -> str:
    # Hover labels interpret a few tags, so escape the article's text before Plotly sees it.
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(text)


def keyword_bars(analysis: ArticleAnalysis, lang: str = "zh", *, top: int = 20) -> go.Figure:
    """The top keywords by weight, heaviest at the top."""
    kws = list(analysis.keywords)[:top]
    fig = go.Figure(
        go.Bar(
            x=[k.weight for k in kws],
            y=[_short(k.term, 40) for k in kws],
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


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def theme_treemap(
    analysis: ArticleAnalysis, lang: str = "zh", *, taxonomy: Iterable[Any] | None = None
) -> go.Figure:
    """Themes sized by how many sentences carry them and coloured by their net emotional value
    (fixed [-1, 1] scale). With a taxonomy whose entries have a `parent`, themes nest under their
    parent theme; a parent's colour is the NEV of its children's sentences taken together."""
    parents: dict[str, str | None] = {}
    names: dict[str, str] = {th.id: theme_name(th, lang) for th in analysis.themes}
    for entry in taxonomy or ():
        tid = _field(entry, "id")
        parents[tid] = _field(entry, "parent")
        names.setdefault(tid, theme_name(entry, lang))
    root = "__article__"
    ids, labels, parent_of, values, colours, hover = [], [], [], [], [], []
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
        colours.append(th.sentiment.nev if th.sentiment.nev is not None else 0.0)
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
        colours.append(summary.nev if summary.nev is not None else 0.0)
        hover.append(summary_hover(summary, lang))
    ids.append(root)
    labels.append(t("chart.all_themes", lang))
    parent_of.append("")
    values.append(0)
    colours.append(analysis.sentiment.nev if analysis.sentiment.nev is not None else 0.0)
    hover.append(summary_hover(analysis.sentiment, lang))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parent_of,
            values=values,
            branchvalues="remainder",
            marker={
                "colors": colours,
                "colorscale": NEV_COLOURSCALE,
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


def _group_heatmap(
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
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[short[c] for c in columns],
            y=[name for name, _ in rows],
            text=text,
            texttemplate="%{text}",
            customdata=[[f"{names[c]}<br>{h}" for c, h in zip(columns, row, strict=True)] for row in hover],
            hovertemplate="%{y} × %{customdata}<extra></extra>",
            colorscale=NEV_COLOURSCALE,
            zmin=-1,
            zmax=1,
            zmid=0,
            colorbar={"title": {"text": "nev"}},
        )
    )
    fig.update_layout(
        height=max(240, 80 + 30 * len(rows)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    if meta is not None:
        fig.update_layout(meta={**meta, "columns": columns})
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
    return _group_heatmap(analysis, rows, lang)


def _rec(record: Any, name: str) -> Any:
    return _field(record, name)


def library_timeline(records: Iterable[Any], lang: str = "zh") -> go.Figure:
    """Each dated library article at its published_at with its NEV; counts and formula on hover.
    Records need title, published_at, n, positive, neutral, negative, nev, nev_polar (ArticleRecord
    or mappings). Undated records are left out here; the page lists them apart."""
    dated = sorted(
        (r for r in records if isinstance(_rec(r, "published_at"), datetime)),
        key=lambda r: _rec(r, "published_at"),
    )
    summaries = [
        SentimentSummary(
            n=_rec(r, "n") or 0,
            positive=_rec(r, "positive") or 0,
            neutral=_rec(r, "neutral") or 0,
            negative=_rec(r, "negative") or 0,
            nev=_rec(r, "nev"),
            nev_polar=_rec(r, "nev_polar"),
        )
        for r in dated
    ]
    fig = go.Figure(
        go.Scatter(
            x=[_rec(r, "published_at") for r in dated],
            y=[percent_points(s.nev) for s in summaries],
            mode="lines+markers",
            marker={
                "size": 12,
                "color": [s.nev if s.nev is not None else 0 for s in summaries],
                "colorscale": NEV_COLOURSCALE,
                "cmin": -1,
                "cmax": 1,
                "line": {"width": 1, "color": "#333"},
            },
            line={"color": "#888888"},
            customdata=[
                [_short(display_title(r), 60), summary_hover(s, lang)]
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
    return _bar_rows([(html.escape(name), a.sentiment) for name, a in items], lang)


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
                marker={"color": LABEL_COLOURS[label]},
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
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[html.escape(name) for name, _ in items],
            y=[theme_labels[x] for x in theme_ids],
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y} × %{x}<br>%{customdata}<extra></extra>",
            colorscale=NEV_COLOURSCALE,
            zmin=-1,
            zmax=1,
            zmid=0,
        )
    )
    fig.update_layout(
        height=max(240, 80 + 28 * len(theme_ids)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def highlight_evidence(text: str, evidence: Iterable[Evidence]) -> str:
    """The sentence as safe HTML: every character of `text` escaped, each evidence term wrapped in
    <mark> coloured by the sign of its weight. Terms are found in the *raw* text (case-insensitive)
    and each segment is escaped on its own, so a term containing `&` or `<` still matches and no
    markup from the article can get through."""
    spans: list[tuple[int, int, float]] = []
    terms = sorted(
        {e.term: e.weight for e in evidence if e.term and e.term.strip()}.items(), key=lambda x: -len(x[0])
    )
    taken = [False] * len(text)
    for term, weight in terms:
        ascii_word = term.isascii() and term[:1].isalnum()
        pattern = re.escape(term)
        if ascii_word:  # whole words only for English, so "bad" does not mark "badge"
            pattern = r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            spans.append((m.start(), m.end(), weight))
    spans.sort()
    out: list[str] = []
    cursor = 0
    for start, end, weight in spans:
        out.append(html.escape(text[cursor:start]))
        sign = "positive" if weight > 0 else "negative" if weight < 0 else "neutral"
        out.append(
            f'<mark style="background:{_MARK_FILLS[sign]};padding:0 2px;border-radius:3px" '
            f'title="{weight:+.2f}">{html.escape(text[start:end])}</mark>'
        )
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


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
                marker={"color": LABEL_COLOURS[label]},
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


# --- entities (issue 13) ------------------------------------------------------------------------


def entity_label(e: EntitySummary, lang: str = "zh", *, limit: int = 24) -> str:
    """An entity's name for a chart (escaped: detected names come from the article's text), in
    the UI language, marked when detected rather than found in the alias table."""
    name = e.display(lang)
    name = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
    if e.kind == "detected":
        name = f"{name} ({t('ent.kind_short.detected', lang)})"
    return html.escape(name)


def _unique(names: Sequence[str]) -> list[str]:
    """Category labels made distinct (Plotly merges equal labels into one bar or row)."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out


def _entity_hover(e: EntitySummary, lang: str) -> str:
    kind = t(f"ent.kind.{e.kind}", lang)
    kind_type = f"{kind} · {t(f'ent.type.{e.type}', lang)}" if e.type else kind
    return "<br>".join(
        [
            kind_type,
            t("ent.hover_mentions", lang, mentions=e.mentions, occurrences=e.occurrences),
            summary_hover(e.sentiment, lang),
        ]
    )


def entity_nev_bars(entities: Sequence[EntitySummary], lang: str = "zh", *, top: int = 10) -> go.Figure:
    """The `top` most-mentioned entities (in the order given: `article_entities` sorts by
    mentions), one bar each at its net emotional value; the label carries the mentions, the
    hover the counts and formulas. Detected entities are hatched and marked as such."""
    shown = list(entities)[:top]
    names = _unique([f"{entity_label(e, lang)} · {e.mentions}" for e in shown])
    fig = go.Figure(
        go.Bar(
            x=[percent_points(e.sentiment.nev) for e in shown],
            y=names,
            orientation="h",
            marker={
                "color": [LABEL_COLOURS.get(nev_zone(e.sentiment.nev) or "neutral") for e in shown],
                "pattern": {"shape": ["/" if e.kind == "detected" else "" for e in shown]},
            },
            text=[nev_percent(e.sentiment.nev) for e in shown],
            textposition="auto",
            cliponaxis=False,
            customdata=[_entity_hover(e, lang) for e in shown],
            hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(220, 60 + 34 * len(shown)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"range": [-110, 110], "title": t("chart.nev_axis", lang), "zeroline": True},
        yaxis={"autorange": "reversed", "automargin": True, "title": t("ent.axis", lang)},
        meta={"formula": NEV_FORMULA, "entities": [e.name for e in shown]},
    )
    return fig


def entity_group_matrix(
    analysis: ArticleAnalysis, entities: Sequence[EntitySummary], lang: str = "zh", *, top: int = 12
) -> go.Figure:
    """Heatmap: the `top` entities (rows) × core viewpoint and viewpoint groups (columns). A cell's
    colour is the NEV of the entity's labels in the sentences of that group that name it (its
    clause-level labels), its text the number of those sentences; empty cells stay blank."""
    group_of = {s.position: s.group for s in analysis.sentences}
    shown = list(entities)[:top]
    labels = _unique([entity_label(e, lang) for e in shown])
    rows = [
        (label, [(group_of[s.position], s.label) for s in e.sentences if s.position in group_of])
        for label, e in zip(labels, shown, strict=True)
    ]
    meta = {"formula": NEV_FORMULA, "entities": [e.name for e in shown]}
    return _group_heatmap(analysis, rows, lang, meta)


def top_compared_entities(
    items: Sequence[tuple[str, Sequence[EntitySummary]]], *, top: int = 10
) -> list[str]:
    """The entities most mentioned across the compared articles (sum of mentions; ties by the
    number of articles naming them, then by name): the rows of `compare_entities`."""
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for _, entities in items:
        for e in entities:
            mentions[e.name] += e.mentions
            articles[e.name] += 1
    return sorted(mentions, key=lambda n: (-mentions[n], -articles[n], n))[:top]


def compare_entities(
    items: Sequence[tuple[str, Sequence[EntitySummary]]], lang: str = "zh", *, top: int = 10
) -> go.Figure:
    """Heatmap: the entities most mentioned across the compared articles (rows) × articles
    (columns), colour = the entity's NEV in that article, text = its mentions there; blank where
    the article does not name it."""
    rows = top_compared_entities(items, top=top)
    first: dict[str, EntitySummary] = {}
    for _, entities in items:
        for e in entities:
            first.setdefault(e.name, e)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for name in rows:
        row_z, row_t, row_h = [], [], []
        for _, entities in items:
            found = next((e for e in entities if e.name == name), None)
            row_z.append(found.sentiment.nev if found else None)
            row_t.append(str(found.mentions) if found else "")
            row_h.append(_entity_hover(found, lang) if found else "—")
        z.append(row_z)
        text.append(row_t)
        hover.append(row_h)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=_unique([html.escape(name) for name, _ in items]),
            y=_unique([entity_label(first[n], lang) for n in rows]),
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y} × %{x}<br>%{customdata}<extra></extra>",
            colorscale=NEV_COLOURSCALE,
            zmin=-1,
            zmax=1,
            zmid=0,
            colorbar={"title": {"text": "nev"}},
        )
    )
    fig.update_layout(
        height=max(240, 80 + 30 * len(rows)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
        meta={"formula": NEV_FORMULA, "entities": rows},
    )
    return fig
