"""Reading the emotion of texts: one reading per text, a mix over many, evidence on demand.

`EmotionReader(tier)` picks the model of each text's language. The accurate tier shares the e5
embedder (and its cache) with the accurate sentiment tier, so an article's sentences are embedded
once for both; where the encoder cannot be loaded it falls back to the fast tier and says so in
`note`. Readings of the accurate tier go through the same score store as sentiment (one stored
probability per emotion, under the model's key), so a stored article is not embedded again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

import numpy as np

from analysis.emotion.models import TIERS, EmotionModel, Tier, get_emotion_model
from analysis.records import EMOTIONS, EmotionMix, EmotionReading, Evidence, ModelInfo
from analysis.sentiment import Scorer, ScoreStore
from analysis.sentiment.default_models import has_content
from analysis.text.lang import detect_lang
from analysis.text.normalize import content_hash

SECOND_RATIO = 0.6  # a runner-up at least this fraction of the top probability is shown beside it
SECOND_MIN = 0.2  # ... and at least this probable
LOW_CONFIDENCE_BELOW = 0.45  # top probability below this: flagged, like a sentiment band edge
EVIDENCE_MIN = 0.02  # a span whose removal moves the emotion's probability less is not evidence


def reading_from(probabilities: np.ndarray, decision: np.ndarray) -> EmotionReading:
    """One text's reading from its calibrated probabilities and decision values (both (K,))."""
    order = np.argsort(-decision, kind="stable")
    top, runner = int(order[0]), int(order[1])
    p_top, p_runner = float(probabilities[top]), float(probabilities[runner])
    close = p_runner >= SECOND_MIN and p_runner >= SECOND_RATIO * p_top
    return EmotionReading(
        label=EMOTIONS[top],
        score=round(p_top, 4),
        second=EMOTIONS[runner] if close else None,
        low_confidence=p_top < LOW_CONFIDENCE_BELOW,
    )


class EmotionReader:
    """Reads emotions with one tier; `langs` given by the caller saves detecting them twice."""

    def __init__(self, tier: Tier = "accurate", *, store: ScoreStore | None = None) -> None:
        if tier not in TIERS:
            raise ValueError(f"unknown emotion tier {tier!r}; known: {', '.join(TIERS)}")
        self.requested: Tier = tier
        self.tier: Tier = tier
        self.note: str | None = None
        self.store = store
        if tier == "accurate":
            from analysis.sentiment import accurate_unavailable_reason

            reason = accurate_unavailable_reason()
            if reason is not None:
                self.tier, self.note = "fast", f"accurate emotion tier unavailable ({reason}); fast tier used"

    def model_for(self, lang: str) -> EmotionModel | None:
        return get_emotion_model(lang, self.tier) if lang in ("zh", "en") else None

    def components(self, langs: Iterable[str] = ("zh", "en")) -> dict[str, str]:
        """lang -> "name@version" of the models that read those languages (the model stamp)."""
        out = {}
        for lang in langs:
            model = self.model_for(lang)
            if model is not None:
                out[lang] = f"{model.name}@{model.version}"
        return out

    def probabilities(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
        """(n, K) calibrated probabilities; rows of texts without a reading are zero."""
        langs = (
            list(langs)
            if langs is not None
            else [detect_lang(t) if has_content(t) else "other" for t in texts]
        )
        out = np.zeros((len(texts), len(EMOTIONS)))
        for lang in ("zh", "en"):
            idx = [i for i, x in enumerate(langs) if x == lang and has_content(texts[i])]
            model = self.model_for(lang) if idx else None
            if model is not None:
                out[idx] = self._model_probabilities(model, [texts[i] for i in idx])
        return out

    def _model_probabilities(self, model: EmotionModel, texts: list[str]) -> np.ndarray:
        """Through the store for the accurate tier: one stored value per (text, emotion)."""
        if model.tier != "accurate" or self.store is None:
            return model.probabilities(texts)
        keys = [f"{model.name}@{model.version}#{e}" for e in EMOTIONS]
        hashes = [content_hash(t) for t in texts]
        try:
            known = [self.store.get_sentence_scores(k, hashes) for k in keys]
        except Exception:  # the store is a cache: an outage must not stop reading
            known = [{} for _ in keys]
        have = [all(h in col for col in known) for h in hashes]
        out = np.zeros((len(texts), len(EMOTIONS)))
        for i, h in enumerate(hashes):
            if have[i]:
                out[i] = [col[h] for col in known]
        todo = [i for i, ok in enumerate(have) if not ok]
        if todo:
            fresh = model.probabilities([texts[i] for i in todo])
            out[todo] = fresh
            with contextlib.suppress(Exception):  # not stored now: read again next time
                for j, key in enumerate(keys):
                    self.store.put_sentence_scores(
                        key, {hashes[i]: float(fresh[r, j]) for r, i in enumerate(todo)}
                    )
        return out

    def read(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[EmotionReading | None]:
        """One reading per text; None for a text with no content or in neither language."""
        langs = (
            list(langs)
            if langs is not None
            else [detect_lang(t) if has_content(t) else "other" for t in texts]
        )
        probs = self.probabilities(texts, langs)
        out: list[EmotionReading | None] = []
        for i, text in enumerate(texts):
            model = self.model_for(langs[i]) if has_content(text) else None
            if model is None or not probs[i].any():
                out.append(None)
                continue
            out.append(reading_from(probs[i], model.calibration.decide(probs[i : i + 1])[0]))
        return out

    def labels(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str | None]:
        """Just the labels (corpora: millions of posts, no reading objects)."""
        langs = (
            list(langs)
            if langs is not None
            else [detect_lang(t) if has_content(t) else "other" for t in texts]
        )
        probs = self.probabilities(texts, langs)
        out: list[str | None] = [None] * len(texts)
        for lang in ("zh", "en"):
            idx = np.flatnonzero([x == lang for x in langs])
            idx = idx[probs[idx].any(axis=1)] if len(idx) else idx
            model = self.model_for(lang) if len(idx) else None
            if model is not None:
                best = np.argmax(model.calibration.decide(probs[idx]), axis=1)
                for i, b in zip(idx, best, strict=True):
                    out[i] = EMOTIONS[b]
        return out

    def explain(self, text: str, emotion: str, top: int = 5) -> tuple[Evidence, ...]:
        """Evidence by occlusion: the spans whose removal lowers P(emotion) most (weight > 0: the
        span carries the emotion; < 0: it held it back). One model pass per candidate span."""
        from analysis.sentiment.encoder_models import occlusion_spans, pick_evidence

        if emotion not in EMOTIONS or not has_content(text) or top <= 0:
            return ()
        lang = detect_lang(text)
        model = self.model_for(lang)
        if model is None:
            return ()
        spans = occlusion_spans(text, lang)
        if not spans:
            return ()
        j = EMOTIONS.index(emotion)
        probs = model.probabilities([text, *(text[:s] + text[e:] for s, e in spans)])[:, j]
        deltas = probs[0] - probs[1:]
        return tuple(ev for ev in pick_evidence(text, spans, deltas, top) if abs(ev.weight) >= EVIDENCE_MIN)


def summarize_emotions(readings: Iterable[EmotionReading | None]) -> EmotionMix:
    """Counts of each emotion over readings (None counts as unread)."""
    counts = dict.fromkeys(EMOTIONS, 0)
    unread = low = 0
    for r in readings:
        if r is None:
            unread += 1
            continue
        counts[r.label] += 1
        low += r.low_confidence
    return EmotionMix(counts, unread, low)


def mix_from_labels(labels: Iterable[str | None]) -> EmotionMix:
    """Counts from plain labels (corpora)."""
    counts = dict.fromkeys(EMOTIONS, 0)
    unread = 0
    for label in labels:
        if label in counts:
            counts[label] += 1
        else:
            unread += 1
    return EmotionMix(counts, unread)


def tier_for(scorer: Scorer) -> Tier:
    """The emotion tier that goes with a sentiment scorer: the accurate one (it shares the
    sentences' embeddings), also where the accurate one was asked for but fell back, so the reader
    falls back too and says why (EmotionReader.note)."""
    return "accurate" if scorer.is_accurate or scorer.note else "fast"


def with_emotion_stamp(model: ModelInfo, reader: EmotionReader, langs: Sequence[str]) -> ModelInfo:
    """The sentiment model stamp with the emotion models that read those languages."""
    from dataclasses import replace

    return replace(model, emotion_components=reader.components(langs), emotion_note=reader.note)
