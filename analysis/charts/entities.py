"""Entity charts: the most-mentioned entities' NEV, entities by viewpoint group, and entities
compared across articles (every number with its counts on hover)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from analysis.charts.groups import group_heatmap
from analysis.charts.labels import unique_labels
from analysis.charts.summary import nev_heatmap, summary_hover
from analysis.format import (
    LABEL_COLORS,
    nev_percent,
    nev_zone,
    percent_points,
)
from analysis.i18n import t
from analysis.metrics import NEV_FORMULA
from analysis.records import ArticleAnalysis

if TYPE_CHECKING:  # the entities package loads the alias table; the figures need only its types
    from analysis.entities import EntitySummary


def entity_label(e: EntitySummary, lang: str = "zh", *, limit: int = 24) -> str:
    """An entity's name for a chart (escaped: detected names come from the article's text), in
    the UI language, marked when detected rather than found in the alias table."""
    name = e.display(lang)
    name = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
    if e.kind == "detected":
        name = f"{name} ({t('ent.kind_short.detected', lang)})"
    return html.escape(name)


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
    names = unique_labels([f"{entity_label(e, lang)} · {e.mentions}" for e in shown])
    fig = go.Figure(
        go.Bar(
            x=[percent_points(e.sentiment.nev) for e in shown],
            y=names,
            orientation="h",
            marker={
                "color": [LABEL_COLORS.get(nev_zone(e.sentiment.nev) or "neutral") for e in shown],
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
    labels = unique_labels([entity_label(e, lang) for e in shown])
    rows = [
        (label, [(group_of[s.position], s.label) for s in e.sentences if s.position in group_of])
        for label, e in zip(labels, shown, strict=True)
    ]
    meta = {"formula": NEV_FORMULA, "entities": [e.name for e in shown]}
    return group_heatmap(analysis, rows, lang, meta)


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
    x = unique_labels([html.escape(name) for name, _ in items])
    y = unique_labels([entity_label(first[n], lang) for n in rows])
    fig = nev_heatmap(x, y, z, text, hover)
    fig.update_layout(meta={"formula": NEV_FORMULA, "entities": rows})
    return fig
