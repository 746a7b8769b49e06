"""Entities of an article: each one's mentions, clause-level counts and NEV, evidence, and the
sentences behind every number.

An entity's `mentions` are the sentences that name it; each sentence counts once per entity, with
the entity's attributed label, so NEV comes from `analysis.metrics` over exactly the sentences
listed in `sentences` (every number traceable to its sentence positions). Measured on a
hand-annotated set of 342 real sentences: `scripts/benchmark_entities.py`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from analysis.entities.clauses import ClauseScorer, attribute, clause_scorer
from analysis.entities.detect import find_mentions
from analysis.entities.table import EntityKind, EntityTable, EntityType, Mention, default_table
from analysis.metrics import summarize_labels
from analysis.records import (
    EMOTIONS,
    ArticleAnalysis,
    EmotionMix,
    Evidence,
    Label,
    SentimentSummary,
    emotion_mix_dict,
)

if TYPE_CHECKING:  # the sentiment package loads models lazily; only its type is needed here
    from analysis.sentiment import Scorer


@dataclass(frozen=True)
class EntitySentence:
    """One sentence behind an entity's numbers: its position, the entity's label there (None when
    unscored), the sentence's own label, the clause span the label came from, and the surfaces."""

    position: int
    label: Label | None
    sentence_label: Label | None
    span: str
    split: bool
    surfaces: tuple[str, ...]
    emotion: str | None = None  # the sentence's emotion (None: not read)


@dataclass(frozen=True)
class EntitySummary:
    """An entity in one article: counts and NEV over the sentences that name it (each sentence
    once, with the entity's clause-level label), evidence terms from those sentences and the
    sentences themselves. `mentions` counts sentences; `occurrences` every match."""

    name: str
    name_en: str | None
    type: EntityType | None
    kind: EntityKind
    mentions: int
    occurrences: int
    sentiment: SentimentSummary
    evidence: tuple[Evidence, ...]
    sentences: tuple[EntitySentence, ...]
    parent: str | None = None
    surfaces: tuple[str, ...] = field(default=())
    # The emotion mix of the sentences that name it (None: the article's emotions were not read).
    emotions: EmotionMix | None = None

    @property
    def sentence_positions(self) -> tuple[int, ...]:
        return tuple(s.position for s in self.sentences)

    def display(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


def _scorer_for(analysis: ArticleAnalysis) -> ClauseScorer | None:
    """A clause scorer matching the model and neutral band that scored the article."""
    from analysis.sentiment import SUITES, Scorer, SentimentError, Thresholds

    info = analysis.model
    if info.name not in SUITES:
        return None
    try:
        scorer = Scorer(info.name)
    except SentimentError:
        return None
    bands = {}
    for lang in ("zh", "en"):
        lo, hi = info.thresholds.get(f"{lang}.negative_below"), info.thresholds.get(f"{lang}.positive_above")
        if lo is not None and hi is not None:
            bands[lang] = Thresholds(lo, hi)
    defaults = {lang: scorer.thresholds_for(lang) for lang in bands}
    custom = [b for lang, b in bands.items() if b != defaults[lang]]
    if custom:  # the user set one band for every language
        scorer = Scorer(info.name, custom[0])
    return clause_scorer(scorer)


def article_entities(
    analysis: ArticleAnalysis,
    *,
    table: EntityTable | None = None,
    scorer: Scorer | ClauseScorer | None = None,
    detect: bool = True,
    rollup: bool = False,
    clause_level: bool = True,
    top_evidence: int = 5,
) -> tuple[EntitySummary, ...]:
    """Every entity of an article with its mentions, counts, NEV (`analysis.metrics`), top
    evidence and the sentence positions behind them, most-mentioned first.

    `scorer` scores clauses: a `Scorer` or any `ClauseScorer`; by default a scorer of the model
    and band in `analysis.model` (so clause labels use the band the sentences used).
    `clause_level=False` gives every entity its sentence's label (the baseline). `rollup` counts
    children under their top parent (小米SU7 and 小米汽车 as 小米). Analyst-reviewed sentences keep
    their reviewed label for every entity in them."""
    table = table or default_table()
    sentences = analysis.sentences
    mentions = find_mentions([s.text for s in sentences], table, detect=detect)
    if rollup:
        mentions = [[_rolled(m, table) for m in ms] for ms in mentions]
    score: ClauseScorer | None = None
    if clause_level:
        from analysis.sentiment import Scorer as ScorerClass  # loads no model

        if scorer is None:
            score = _scorer_for(analysis)
        elif isinstance(scorer, ScorerClass):
            score = clause_scorer(scorer)
        else:
            score = scorer
    attributions = attribute(
        [(s.text, s.label, ms) for s, ms in zip(sentences, mentions, strict=True)],
        score,
        keep=[s.reviewed for s in sentences],
    )
    per: dict[str, list[EntitySentence]] = defaultdict(list)
    info: dict[str, Mention] = {}
    occurrences: Counter[str] = Counter()
    surfaces: dict[str, dict[str, None]] = defaultdict(dict)
    evidence: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s, ms, row in zip(sentences, mentions, attributions, strict=True):
        for m in ms:
            occurrences[m.name] += 1
            surfaces[m.name][m.text] = None
            info.setdefault(m.name, m)
        for name, att in row.items():
            seen = tuple(dict.fromkeys(m.text for m in ms if m.name == name))
            label = att.label if s.label is not None else None
            emotion = s.emotion.label if s.emotion else None
            per[name].append(EntitySentence(s.position, label, s.label, att.span, att.split, seen, emotion))
            for item in s.evidence:
                if not att.split or item.term in att.span:
                    evidence[name][item.term] += item.weight
    read = analysis.emotions is not None
    by_position = {s.position: s.emotion for s in sentences}
    if read:
        from analysis.emotion.scorer import summarize_emotions  # only when emotions were read
    out = []
    for name, rows in per.items():
        m = info[name]
        entity = table.get(name) if m.kind == "known" else None
        ev = sorted(evidence[name].items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top_evidence]
        out.append(
            EntitySummary(
                name=name,
                name_en=entity.name_en if entity else None,
                type=m.type,
                kind=m.kind,
                mentions=len(rows),
                occurrences=occurrences[name],
                sentiment=summarize_labels(r.label for r in rows),
                evidence=tuple(Evidence(t, round(w, 4)) for t, w in ev if w != 0),
                sentences=tuple(rows),
                parent=entity.parent if entity else None,
                surfaces=tuple(surfaces[name]),
                emotions=summarize_emotions(by_position[r.position] for r in rows) if read else None,
            )
        )
    kind_rank = {"known": 0, "detected": 1}
    out.sort(key=lambda e: (-e.mentions, kind_rank[e.kind], -e.occurrences, e.name))
    return tuple(out)


def _rolled(m: Mention, table: EntityTable) -> Mention:
    if m.kind != "known":
        return m
    root = table.root(m.name)
    return m if root == m.name else Mention(m.text, m.start, m.end, root, table.type_of(root), "known")


def entity_dict(e: EntitySummary) -> dict[str, Any]:
    """An entity as JSON (the `entities` key of `article --format json`)."""
    return {
        "name": e.name,
        "name_en": e.name_en,
        "type": e.type,
        "kind": e.kind,
        "parent": e.parent,
        "mentions": e.mentions,
        "occurrences": e.occurrences,
        "sentiment": asdict(e.sentiment),
        "emotions": emotion_mix_dict(e.emotions),
        "evidence": [{"term": ev.term, "weight": ev.weight} for ev in e.evidence],
        "surfaces": list(e.surfaces),
        "sentence_positions": list(e.sentence_positions),
        "sentences": [
            {
                "position": s.position,
                "label": s.label,
                "sentence_label": s.sentence_label,
                "span": s.span,
                "split": s.split,
                "surfaces": list(s.surfaces),
                "emotion": s.emotion,
            }
            for s in e.sentences
        ],
    }


def entity_rows(entities: Iterable[EntitySummary], lang: str = "zh") -> list[dict[str, Any]]:
    """Flat rows for a table or an export sheet (one row per entity)."""
    return [
        {
            "entity": e.name,
            "display": e.display(lang),
            "type": e.type,
            "kind": e.kind,
            "mentions": e.mentions,
            "positive": e.sentiment.positive,
            "neutral": e.sentiment.neutral,
            "negative": e.sentiment.negative,
            "nev": e.sentiment.nev,
            "emotion": e.emotions.dominant() if e.emotions else None,
            **{f"emotion_{x}": e.emotions.counts.get(x, 0) if e.emotions else None for x in EMOTIONS},
            "evidence": "; ".join(ev.term for ev in e.evidence),
            "sentence_positions": ", ".join(str(p) for p in e.sentence_positions),
        }
        for e in entities
    ]
