"""Sentiment scoring: a small interface with named models, one place for thresholds.

A *model* scores texts of one language into [-1, 1] and can explain a score by its evidence terms.
A *suite* picks one model per language; it is what users select by name (`default`, `snownlp`,
`vader`). Models load lazily, on first use, so an unused optional model costs no memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from analysis.lang import detect_lang
from analysis.model import Evidence, Label, Lang, ModelInfo


class SentimentError(ValueError):
    """An unknown model name or a model that cannot be used here."""


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


# name -> factory; factories import heavy libraries only when called.
_MODEL_FACTORIES: dict[str, Callable[[], SentimentModel]] = {}


def register_model(name: str, factory: Callable[[], SentimentModel]) -> None:
    _MODEL_FACTORIES[name] = factory


@cache
def get_model(name: str) -> SentimentModel:
    """Load (once per process) the single-language model registered under `name`."""
    _register_builtin()
    try:
        factory = _MODEL_FACTORIES[name]
    except KeyError:
        raise SentimentError(
            f"unknown sentiment model {name!r}; known: {', '.join(sorted(_MODEL_FACTORIES))}"
        ) from None
    return factory()


@dataclass(frozen=True)
class Suite:
    """A user-selectable model: one single-language model per language."""

    name: str
    description: str
    models: dict[str, str]  # lang -> registered model name


SUITES: dict[str, Suite] = {
    "default": Suite(
        "default",
        "Opinion Lens default: the best measured model for each language",
        {"zh": "zh-default", "en": "en-default"},
    ),
    "snownlp": Suite(
        "snownlp",
        "Baseline: SnowNLP for Chinese (2p - 1), VADER for English",
        {"zh": "snownlp", "en": "vader"},
    ),
    "vader": Suite(
        "vader",
        "VADER for English (baseline), default model for Chinese",
        {"zh": "zh-default", "en": "vader"},
    ),
}


def suite_names() -> list[str]:
    return list(SUITES)


class Scorer:
    """Scores sentences in any language with a suite, labelling them with one neutral band per
    language (the calibrated default unless the user sets `band`)."""

    def __init__(self, suite: str = "default", band: Thresholds | None = None) -> None:
        if suite not in SUITES:
            raise SentimentError(f"unknown model {suite!r}; choose one of: {', '.join(SUITES)}")
        self.suite = SUITES[suite]
        self.band = band

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
        return ModelInfo(self.suite.name, version or "n/a", thresholds, components)

    def score(self, texts: Sequence[str], evidence: bool = True, top: int = 5) -> list[ScoredText]:
        """Score each text; language decided per text; neither-language text stays unscored."""
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
            scores = np.clip(model.score([texts[i] for i in idx]), -1.0, 1.0)
            for i, s in zip(idx, scores, strict=True):
                ev = model.explain(texts[i], top=top) if evidence else ()
                results[i] = ScoredText(lang, float(s), band.label(float(s)), ev)
        return [r if r is not None else ScoredText(langs[i], None, None) for i, r in enumerate(results)]


_BUILTIN_DONE = False


def _register_builtin() -> None:
    global _BUILTIN_DONE
    if _BUILTIN_DONE:
        return
    _BUILTIN_DONE = True
    from analysis.sentiment import baselines

    register_model("snownlp", baselines.SnowNLPModel)
    register_model("vader", baselines.VaderModel)
    try:
        from analysis.sentiment import default_models
    except ImportError:  # until the default models exist, the baselines stand in
        register_model("zh-default", baselines.SnowNLPModel)
        register_model("en-default", baselines.VaderModel)
    else:
        default_models.register(register_model)
