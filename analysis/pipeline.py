"""Text in, ArticleAnalysis out: structure → sentiment → metrics → themes → figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from analysis.emotion.scorer import EmotionReader, summarize_emotions, tier_for, with_emotion_stamp
from analysis.metrics import summarize_labels
from analysis.records import ArticleAnalysis, Bullet, Document, Sentence
from analysis.sentiment import Progress, Scorer, Thresholds
from analysis.stated_numbers import extract_figures
from analysis.structure import parse_document
from analysis.text.keywords import extract_keywords
from analysis.text.lang import document_language
from analysis.text.normalize import content_hash
from analysis.themes import sentence_themes, theme_scores

# One content hash for the pipeline's stamp and the stored sentence scores.


def analyze_text(
    text: str,
    *,
    model: str = "default",
    band: Thresholds | None = None,
    title: str | None = None,
    source: str | None = None,
    published_at: datetime | None = None,
    scorer: Scorer | None = None,
    occlusion_evidence: bool = False,
    progress: Progress | None = None,
    count_in: Iterable[str] = (),
    emotions: bool = True,
) -> ArticleAnalysis:
    """Analyse one article's text. Metadata given here overrides what the parser finds.
    `count_in`: keys of page-furniture blocks an editor counted back in (analysis.text.furniture).

    The sentences are scored by `scorer`, or by a new `Scorer(model, band)` when none is given
    (giving both a scorer and a model or band is a mistake, and says so)."""
    if scorer is not None and (model != "default" or band is not None):
        raise TypeError("analyze_text: give a scorer, or a model and band, not both")
    document = parse_document(text, count_in)
    if title is not None or source is not None or published_at is not None:
        document = replace(
            document,
            title=title if title is not None else document.title,
            source=source if source is not None else document.source,
            published_at=published_at if published_at is not None else document.published_at,
        )
    scorer = scorer or Scorer(model, band)
    return analyze_document(
        document,
        scorer,
        input_sha256=content_hash(text),
        occlusion_evidence=occlusion_evidence,
        progress=progress,
        emotions=emotions,
    )


def analyze_document(
    document: Document,
    scorer: Scorer,
    *,
    input_sha256: str,
    occlusion_evidence: bool = False,
    progress: Progress | None = None,
    emotions: bool = True,
) -> ArticleAnalysis:
    """Score every sentence and read its emotion (the tier of the sentiment model: the accurate
    one shares its embeddings; `emotions=False` skips them); evidence that costs one encoder pass per word (the accurate tier's
    occlusion) only when `occlusion_evidence`, otherwise on demand (`Scorer.explain`)."""
    sentences = document.sentences
    scored = scorer.score(
        [s.text for s in sentences], occlusion_evidence=occlusion_evidence, progress=progress
    )
    reader = EmotionReader(tier_for(scorer), store=scorer.store) if emotions else None
    readings = (
        reader.read([s.text for s in sentences], [r.lang for r in scored])
        if reader
        else [None] * len(sentences)
    )
    annotated: dict[int, Sentence] = {}
    for s, r, e in zip(sentences, scored, readings, strict=True):
        annotated[s.position] = replace(
            s,
            lang=r.lang,
            score=None if r.score is None else round(r.score, 4),
            label=r.label,
            evidence=r.evidence,
            themes=sentence_themes(s.text),
            uncertain=r.uncertain,
            emotion=e,
        )

    def rebuild(b: Bullet) -> Bullet:
        return replace(b, sentences=tuple(annotated[s.position] for s in b.sentences))

    document = replace(
        document,
        core_viewpoint=rebuild(document.core_viewpoint) if document.core_viewpoint else None,
        groups=tuple(replace(g, bullets=tuple(rebuild(b) for b in g.bullets)) for g in document.groups),
    )
    all_sentences = document.sentences
    langs = [s.lang for s in all_sentences]
    used_langs = sorted({x for x in langs if x in ("zh", "en")}) or ["zh", "en"]
    model = scorer.info(used_langs)
    if reader is not None:
        model = with_emotion_stamp(model, reader, used_langs)
    return ArticleAnalysis(
        document=document,
        language=document_language(langs),
        sentiment=summarize_labels(s.label for s in all_sentences),
        group_sentiment=tuple(summarize_labels(s.label for s in g.sentences) for g in document.groups),
        core_sentiment=(
            summarize_labels(s.label for s in document.core_viewpoint.sentences)
            if document.core_viewpoint
            else None
        ),
        themes=theme_scores(all_sentences),
        keywords=tuple(extract_keywords([s.text for s in all_sentences])),
        figures=tuple(extract_figures(all_sentences, title=document.title)),
        model=model,
        input_sha256=input_sha256,
        emotions=summarize_emotions(s.emotion for s in all_sentences) if reader else None,
        group_emotions=(
            tuple(summarize_emotions(s.emotion for s in g.sentences) for g in document.groups)
            if reader
            else ()
        ),
        negative_emotions=(
            summarize_emotions(s.emotion for s in all_sentences if s.label == "negative") if reader else None
        ),
    )
