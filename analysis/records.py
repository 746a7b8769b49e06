"""The one data model that flows through Opinion Lens.

Every stage returns these frozen dataclasses; `ArticleAnalysis.to_dict()` is the JSON contract in
ARCHITECTURE.md (keys: title, source, published_at, language, core_viewpoint, groups, sentiment,
themes, keywords, figures, model).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Label = Literal["positive", "neutral", "negative"]
Lang = Literal["zh", "en", "other"]
LABELS: tuple[Label, ...] = ("positive", "neutral", "negative")
# Ekman's six plus neutral (喜怒哀惧惊恶, 无); the order fixes every emotion model's columns.
EMOTIONS: tuple[str, ...] = ("joy", "anger", "sadness", "fear", "surprise", "disgust", "neutral")


@dataclass(frozen=True)
class FurnitureBlock:
    """Page furniture (analysis.text.furniture): a run of lines kept out of the counts, with why.
    `key` is stable (the text's hash), so an editor's choice to count it back in survives
    re-analysis."""

    key: str
    text: str
    reason: str
    line: int  # first line, 0-based, in the text given to separate_furniture
    counted: bool = False  # an editor counted it back in


@dataclass(frozen=True)
class Evidence:
    """A term that moved a sentence's score; `weight` is signed (negative pulls towards negative)."""

    term: str
    weight: float


@dataclass(frozen=True)
class EmotionReading:
    """The emotion of one text (analysis.emotion): the label, its calibrated probability, a
    runner-up when it is nearly as likely, and whether the label is too unsure to trust alone."""

    label: str  # joy, anger, sadness, fear, surprise, disgust or neutral
    score: float  # calibrated probability of `label`
    second: str | None = None
    low_confidence: bool = False
    reviewed: bool = False  # True when an analyst set `label`
    model_label: str | None = None  # the model's label, set in a reviewed view


@dataclass(frozen=True)
class Sentence:
    """One sentence with its place in the document and, once scored, its sentiment.

    `group` is the 1-based viewpoint-group index (None for the core viewpoint or free text),
    `bullet` the 0-based bullet index inside that group (or core viewpoint), `position` the 0-based
    order of the sentence in the whole document. Unscored sentences (language neither zh nor en,
    or empty) keep `score` and `label` None and are left out of every count.
    """

    text: str
    position: int
    group: int | None = None
    bullet: int | None = None
    lang: Lang = "other"
    score: float | None = None
    label: Label | None = None
    evidence: tuple[Evidence, ...] = ()
    themes: tuple[str, ...] = ()
    uncertain: tuple[str, ...] = ()  # reasons to doubt the label (tiers disagree, band edge)
    model_label: Label | None = None  # the model's label, set in a reviewed view (analysis.review)
    reviewed: bool = False  # True when an analyst set `label`
    emotion: EmotionReading | None = None  # None: not read (no content, another language, or off)


@dataclass(frozen=True)
class Bullet:
    """A bullet (or paragraph) with its `[n]` citations kept as data and stripped from `text`."""

    text: str
    citations: tuple[int, ...] = ()
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Group:
    """A viewpoint group (`Group 1: Title - ...`) or, for ordinary articles, a section."""

    index: int
    title: str
    bullets: tuple[Bullet, ...] = ()
    title_derived: bool = False  # True when the source gave no title and we derived one

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for b in self.bullets for s in b.sentences)


@dataclass(frozen=True)
class Document:
    """The structure of one article, before scoring."""

    title: str | None
    source: str | None
    published_at: datetime | None
    core_viewpoint: Bullet | None
    groups: tuple[Group, ...]
    kind: Literal["summary", "article"] = "article"
    source_alias: str | None = None  # e.g. 新浪财经 for "Xin Lang Cai Jing"
    author: str | None = None  # from a byline ("作者 | …")
    # Page furniture set apart from the counts (bylines, promos, navigation …), each with its reason;
    # a block an editor counted back in is in the text and marked `counted`.
    furniture: tuple[FurnitureBlock, ...] = ()

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        core = self.core_viewpoint.sentences if self.core_viewpoint else ()
        return core + tuple(s for g in self.groups for s in g.sentences)


@dataclass(frozen=True)
class SentimentSummary:
    """Counts and both net-emotional-value formulas over a set of scored sentences or posts.

    nev       = (P - N) / (P + U + N)   neutral counted (净情感值, the default)
    nev_polar = (P - N) / (P + N)       neutral excluded (NSR); None when P + N = 0
    """

    n: int
    positive: int
    neutral: int
    negative: int
    nev: float | None
    nev_polar: float | None
    unscored: int = 0

    def share(self, label: Label) -> float | None:
        return getattr(self, label) / self.n if self.n else None


@dataclass(frozen=True)
class EmotionMix:
    """How many texts show each emotion (every one of EMOTIONS, in order); `unread` texts have no
    reading (no content, or a language without a model) and `low_confidence` of the counted ones
    were flagged. Sentiment and emotion are separate numbers: nothing here enters the NEV."""

    counts: dict[str, int]
    unread: int = 0
    low_confidence: int = 0

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def share(self, emotion: str) -> float | None:
        return self.counts.get(emotion, 0) / self.n if self.n else None

    def dominant(self, *, feelings_only: bool = True) -> str | None:
        """The most frequent emotion (ties: EMOTIONS order), neutral left out unless asked."""
        pool = [e for e in EMOTIONS if not (feelings_only and e == "neutral") and self.counts.get(e, 0)]
        return max(pool, key=lambda e: self.counts[e]) if pool else None


@dataclass(frozen=True)
class Keyword:
    term: str
    weight: float


@dataclass(frozen=True)
class ThemeScore:
    """A theme of the taxonomy with the sentences that carry it."""

    id: str
    name_en: str
    name_zh: str
    sentiment: SentimentSummary
    sentence_positions: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()  # the taxonomy terms matched in the article


@dataclass(frozen=True)
class Figure:
    """A figure the article states, with the sentence it stands in."""

    kind: Literal["percent", "count", "duration", "money", "date", "number"]
    text: str  # as written, e.g. "-96%" or "二十万辆"
    value: float | None  # normalised number (0.96 for 96%, 200000 for 二十万辆); None if not numeric
    unit: str | None  # "%", "vehicles", "years", "HKD", ...
    context: str  # the sentence it stands in
    position: int | None = None  # sentence position, when it is inside a scored sentence
    meaning: str | None = None  # e.g. "negative sentiment share", "net emotional value"
    value_high: float | None = None  # upper end of a stated range ("five to seven years": 5 and 7)


@dataclass(frozen=True)
class ModelInfo:
    """Which model and thresholds produced a result (reported with every result)."""

    name: str
    version: str
    thresholds: dict[str, float]
    components: dict[str, str] = field(default_factory=dict)  # lang -> "model@version"
    requested: str | None = None  # the name the user chose ("default" resolves by workload)
    note: str | None = None  # why the model that ran is not the one asked for (fallback)
    emotion_components: dict[str, str] = field(default_factory=dict)  # lang -> emotion "model@version"
    emotion_note: str | None = None  # why the emotion tier that ran is not the one asked for


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything every page reads about one article. Immutable and JSON-serialisable."""

    document: Document
    language: str
    sentiment: SentimentSummary
    group_sentiment: tuple[SentimentSummary, ...]
    themes: tuple[ThemeScore, ...]
    keywords: tuple[Keyword, ...]
    figures: tuple[Figure, ...]
    model: ModelInfo
    input_sha256: str
    core_sentiment: SentimentSummary | None = None
    emotions: EmotionMix | None = None  # None: emotions not read (a caller turned them off)
    group_emotions: tuple[EmotionMix, ...] = ()
    negative_emotions: EmotionMix | None = None  # the mix of the negative sentences only

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.document.sentences

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `python -m analysis article --format json`."""
        doc = self.document

        def bullet_dict(b: Bullet) -> dict[str, Any]:
            return {
                "text": b.text,
                "citations": list(b.citations),
                "sentences": [sentence_dict(s) for s in b.sentences],
            }

        return {
            "title": doc.title,
            "source": doc.source,
            "source_alias": doc.source_alias,
            "author": doc.author,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
            "language": self.language,
            "kind": doc.kind,
            "core_viewpoint": bullet_dict(doc.core_viewpoint) if doc.core_viewpoint else None,
            "core_sentiment": asdict(self.core_sentiment) if self.core_sentiment else None,
            "groups": [
                {
                    "index": g.index,
                    "title": g.title,
                    "title_derived": g.title_derived,
                    "sentiment": asdict(gs),
                    "bullets": [bullet_dict(b) for b in g.bullets],
                }
                for g, gs in zip(doc.groups, self.group_sentiment, strict=True)
            ],
            "sentiment": asdict(self.sentiment),
            "themes": [
                {
                    "id": t.id,
                    "name_en": t.name_en,
                    "name_zh": t.name_zh,
                    "sentiment": asdict(t.sentiment),
                    "sentence_positions": list(t.sentence_positions),
                    "terms": list(t.terms),
                }
                for t in self.themes
            ],
            "keywords": [{"term": k.term, "weight": k.weight} for k in self.keywords],
            "figures": [asdict(f) for f in self.figures],
            "model": asdict(self.model),
            "input_sha256": self.input_sha256,
            "furniture": [asdict(b) for b in doc.furniture],
            "emotions": emotion_mix_dict(self.emotions),
            "negative_emotions": emotion_mix_dict(self.negative_emotions),
            "group_emotions": [emotion_mix_dict(m) for m in self.group_emotions],
        }


def emotion_mix_dict(mix: EmotionMix | None) -> dict[str, Any] | None:
    """An emotion mix as in the JSON contract: counts, unread, low_confidence, dominant."""
    if mix is None:
        return None
    return {**asdict(mix), "n": mix.n, "dominant": mix.dominant()}


def sentence_dict(s: Sentence) -> dict[str, Any]:
    """A sentence as in the JSON contract (text, lang, score, label, evidence) plus its place."""
    return {
        "text": s.text,
        "lang": s.lang,
        "score": s.score,
        "label": s.label,
        "model_label": s.model_label if s.reviewed else s.label,
        "reviewed": s.reviewed,
        "evidence": [{"term": e.term, "weight": e.weight} for e in s.evidence],
        "themes": list(s.themes),
        "uncertain": list(s.uncertain),
        "emotion": s.emotion.label if s.emotion else None,
        "emotion_score": s.emotion.score if s.emotion else None,
        "emotion_second": s.emotion.second if s.emotion else None,
        "emotion_low_confidence": s.emotion.low_confidence if s.emotion else None,
        "emotion_reviewed": s.emotion.reviewed if s.emotion else False,
        "model_emotion": (s.emotion.model_label if s.emotion.reviewed else s.emotion.label)
        if s.emotion
        else None,
        "position": s.position,
        "group": s.group,
        "bullet": s.bullet,
    }
