"""Applying the trail: the reviewed view of an article (labels and emotions replaced by the
analyst's, every summary and emotion mix recomputed) and of a corpus of posts. A review whose text
is no longer there is reported as stale, never applied to another sentence or post."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from analysis.emotion.scorer import summarize_emotions
from analysis.metrics import summarize_labels
from analysis.records import ArticleAnalysis, Bullet, EmotionReading, Sentence, SentimentSummary
from analysis.text.normalize import content_hash

if TYPE_CHECKING:
    pass
from analysis.review.trail import (
    LABEL_OF,
    ReviewEntry,
    ReviewError,
    ReviewField,
    ReviewTarget,
    current_by_position,
    overrides,
)


@dataclass(frozen=True)
class ReviewedAnalysis:
    """The reviewed view of an article: labels and emotions replaced by the analyst's."""

    analysis: ArticleAnalysis  # sentiment summaries and emotion mixes recomputed over the reviews
    reviewed: int  # sentences whose label an analyst set (k of n)
    changed: int  # of those, how many differ from the model's label
    stale: tuple[ReviewEntry, ...]  # label reviews of texts no longer in the article
    emotions_reviewed: int = 0  # sentences whose emotion an analyst set
    emotions_changed: int = 0  # of those, how many differ from the model's emotion
    stale_emotions: tuple[ReviewEntry, ...] = ()  # emotion reviews of texts no longer in the article


def article_targets(
    analysis: ArticleAnalysis, article_id: int, positions: Iterable[int], field: ReviewField = "sentiment"
) -> list[ReviewTarget]:
    """Review targets for sentences of an article by position, of the sentiment label or (`field`
    "emotion") the emotion; ReviewError for an unknown sentence, or one without an emotion reading."""
    by_position = {s.position: s for s in analysis.sentences}
    targets = []
    for p in positions:
        s = by_position.get(int(p))
        if s is None:
            raise ReviewError(
                f"the article has no sentence {p} (sentences are numbered 0 to {len(by_position) - 1})",
                code="unknown_sentence",
            )
        if field == "emotion":
            targets.append(_emotion_target(analysis, article_id, s))
            continue
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


def _emotion_target(analysis: ArticleAnalysis, article_id: int, s: Sentence) -> ReviewTarget:
    """The target of a sentence's emotion: the emotion model of its language and its reading."""
    if s.emotion is None:
        raise ReviewError(
            f"sentence {s.position} has no emotion reading (no content, a language without an "
            "emotion model, or emotions were not read), so there is no emotion to correct",
            code="no_emotion",
        )
    component = analysis.model.emotion_components.get(s.lang, "")
    model, _, version = component.partition("@")
    reading = s.emotion
    return ReviewTarget(
        "article",
        article_id,
        str(s.position),
        s.text,
        model or "emotion",
        version or "—",
        reading.score,
        reading.model_label if reading.reviewed else reading.label,
        "emotion",
    )


def _reviewed_emotion(reading: EmotionReading, emotion: str) -> EmotionReading:
    """The analyst's emotion over the model's reading: the model's label kept in `model_label`
    and its score kept; no runner-up and no low-confidence flag (a person decided)."""
    model_label = reading.model_label if reading.reviewed else reading.label
    return replace(
        reading, label=emotion, second=None, low_confidence=False, reviewed=True, model_label=model_label
    )


def apply_reviews(analysis: ArticleAnalysis, entries: Iterable[ReviewEntry]) -> ReviewedAnalysis:
    """The analysis with every reviewed sentence's label set by the analyst (`Sentence.model_label`
    keeps the model's) and every reviewed emotion set too (`EmotionReading.model_label` keeps the
    model's), every summary and emotion mix recomputed from them."""
    entries = list(entries)
    current = overrides(entries)
    emotions = overrides(entries, "emotion")
    texts = {content_hash(s.text) for s in analysis.sentences}
    stale = tuple(e for h, e in current.items() if h not in texts)
    stale_emotions = tuple(e for h, e in emotions.items() if h not in texts)
    reviewed = changed = emotions_reviewed = emotions_changed = 0

    def relabel(s: Sentence) -> Sentence:
        nonlocal reviewed, changed, emotions_reviewed, emotions_changed
        key = content_hash(s.text)
        feeling = emotions.get(key)
        if feeling is not None and feeling.label is not None and s.emotion is not None:
            emotions_reviewed += 1
            emotions_changed += feeling.label != s.emotion.label
            s = replace(s, emotion=_reviewed_emotion(s.emotion, feeling.label))
        e = current.get(key)
        if e is None or e.label not in LABEL_OF:
            return replace(s, model_label=s.label)
        reviewed += 1
        changed += e.label != s.label
        return replace(s, model_label=s.label, label=LABEL_OF[e.label], reviewed=True)

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
    if analysis.emotions is not None:  # None: emotions were not read, so there is nothing to mix
        reviewed_analysis = replace(
            reviewed_analysis,
            emotions=summarize_emotions(s.emotion for s in sentences),
            group_emotions=tuple(summarize_emotions(s.emotion for s in g.sentences) for g in doc.groups),
            # the negative sentences by the reviewed labels: a sentence an analyst made negative joins
            negative_emotions=summarize_emotions(s.emotion for s in sentences if s.label == "negative"),
        )
    return ReviewedAnalysis(
        reviewed_analysis, reviewed, changed, stale, emotions_reviewed, emotions_changed, stale_emotions
    )


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
