"""Applying the trail: the reviewed view of an article (labels replaced by the analyst's,
every summary recomputed) and of a corpus of posts. A review whose text is no longer there is
reported as stale, never applied to another sentence or post."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from analysis.metrics import summarize_labels
from analysis.records import ArticleAnalysis, Bullet, Sentence, SentimentSummary
from analysis.text.normalize import content_hash

if TYPE_CHECKING:
    pass
from analysis.review.trail import (
    LABEL_OF,
    ReviewEntry,
    ReviewError,
    ReviewTarget,
    current_by_position,
    overrides,
)


@dataclass(frozen=True)
class ReviewedAnalysis:
    """The reviewed view of an article: labels replaced by the analyst's where they differ."""

    analysis: ArticleAnalysis  # sentiment summaries recomputed over the reviewed labels
    reviewed: int  # sentences whose label an analyst set (k of n)
    changed: int  # of those, how many differ from the model's label
    stale: tuple[ReviewEntry, ...]  # reviews of texts no longer in the article


def article_targets(
    analysis: ArticleAnalysis, article_id: int, positions: Iterable[int]
) -> list[ReviewTarget]:
    """Review targets for sentences of an article by position; ReviewError for an unknown one."""
    by_position = {s.position: s for s in analysis.sentences}
    targets = []
    for p in positions:
        s = by_position.get(int(p))
        if s is None:
            raise ReviewError(
                f"the article has no sentence {p} (sentences are numbered 0 to {len(by_position) - 1})",
                code="unknown_sentence",
            )
        component = analysis.model.components.get(s.lang, f"{analysis.model.name}@{analysis.model.version}")
        model, _, version = component.partition("@")
        targets.append(
            ReviewTarget(
                "article",
                article_id,
                str(s.position),
                s.text,
                model or analysis.model.name,
                version or analysis.model.version,
                s.score,
                s.label,
            )
        )
    return targets


def apply_reviews(analysis: ArticleAnalysis, entries: Iterable[ReviewEntry]) -> ReviewedAnalysis:
    """The analysis with every reviewed sentence's label set by the analyst (`Sentence.model_label`
    keeps the model's), and every summary recomputed from those labels."""
    current = overrides(entries)
    texts = {content_hash(s.text) for s in analysis.sentences}
    stale = tuple(e for h, e in current.items() if h not in texts)
    reviewed = changed = 0

    def relabel(s: Sentence) -> Sentence:
        nonlocal reviewed, changed
        e = current.get(content_hash(s.text))
        if e is None:
            return replace(s, model_label=s.label)
        reviewed += 1
        changed += e.label != s.label
        return replace(s, model_label=s.label, label=e.label, reviewed=True)

    def rebuild(b: Bullet) -> Bullet:
        return replace(b, sentences=tuple(relabel(s) for s in b.sentences))

    doc = analysis.document
    doc = replace(
        doc,
        core_viewpoint=rebuild(doc.core_viewpoint) if doc.core_viewpoint else None,
        groups=tuple(replace(g, bullets=tuple(rebuild(b) for b in g.bullets)) for g in doc.groups),
    )
    sentences = doc.sentences
    labels = {s.position: s.label for s in sentences}
    themes = tuple(
        replace(t, sentiment=summarize_labels(labels.get(p) for p in t.sentence_positions))
        for t in analysis.themes
    )
    reviewed_analysis = replace(
        analysis,
        document=doc,
        sentiment=summarize_labels(s.label for s in sentences),
        group_sentiment=tuple(summarize_labels(s.label for s in g.sentences) for g in doc.groups),
        core_sentiment=summarize_labels(s.label for s in doc.core_viewpoint.sentences)
        if doc.core_viewpoint
        else None,
        themes=themes,
    )
    return ReviewedAnalysis(reviewed_analysis, reviewed, changed, stale)


# --- posts of a corpus -------------------------------------------------------------------------------
#
# A post is reviewed by its row in the file (`position`), with its text hash: a review applies to
# the post at that row only while its text is the same (a corpus re-read with other rows reports
# it as stale). Copies of one text by other authors are separate posts, reviewed separately.


def post_targets(
    posts: pd.DataFrame, corpus_id: int, rows: Iterable[int], components: Mapping[str, str] | str
) -> list[ReviewTarget]:
    """Review targets for posts by their file row (`posts["row"]`); ReviewError for an unknown row.
    `components` maps a language to the `name@version` of the model that scored it, or is the
    name of that model (its components are looked up)."""
    if isinstance(components, str):
        from analysis.corpus.scoring import model_components  # late: it names the model's parts

        components = model_components(components)
    by_row = posts.set_index("row", drop=False)
    targets = []
    for r in rows:
        if int(r) not in by_row.index:
            raise ReviewError(f"the corpus has no post in row {r}", code="unknown_post")
        p = by_row.loc[int(r)]
        model, _, version = components.get(str(p["lang"]), "—@—").partition("@")
        score = None if pd.isna(p["score"]) else float(p["score"])
        label = LABEL_OF.get(str(p["label"])) if isinstance(p["label"], str) else None
        targets.append(
            ReviewTarget("corpus", corpus_id, str(int(r)), str(p["text"]), model, version, score, label)
        )
    return targets


@dataclass(frozen=True)
class ReviewedPosts:
    """The corpus with the analyst's labels: `labels` aligned with the posts, and both summaries."""

    labels: pd.Series
    model: SentimentSummary
    reviewed_summary: SentimentSummary
    reviewed: int  # posts whose label an analyst set
    changed: int  # of those, how many differ from the model's label
    stale: tuple[ReviewEntry, ...]  # reviews of rows whose text is no longer the same


def apply_post_reviews(posts: pd.DataFrame, entries: Iterable[ReviewEntry]) -> ReviewedPosts:
    """Every reviewed post's label set by the analyst; both summaries over the whole corpus."""
    labels = posts["label"].astype(object).where(posts["label"].notna(), None).copy()
    current = {k: e for k, e in current_by_position(entries).items() if e.label is not None}
    rows = {str(int(r)): i for i, r in zip(posts.index, posts["row"], strict=True)}
    reviewed = changed = 0
    stale = []
    for position, e in current.items():
        i = rows.get(position)
        if i is None or content_hash(str(posts.at[i, "text"])) != e.text_sha256:
            stale.append(e)
            continue
        reviewed += 1
        changed += labels.at[i] != e.label
        labels.at[i] = e.label
    return ReviewedPosts(
        labels,
        summarize_labels(posts["label"].where(posts["label"].notna(), None)),
        summarize_labels(labels),
        reviewed,
        changed,
        tuple(stale),
    )
