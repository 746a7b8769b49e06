"""Opinion Lens default sentiment models: hashed linear models for Chinese and English.

Each model is a 3-class (negative / neutral / positive) logistic regression over hashed features
(analysis/sentiment/features.py), trained by scripts/train_sentiment.py on the shared labelled
sets and committed as analysis/sentiment/data/{zh,en}_default.npz plus a JSON of metadata (version,
training sets, the calibrated neutral band). Run time needs numpy only: scoring a batch is a few
array operations, so a million short posts take seconds, not hours.

score = P(pos) − P(neg) in [-1, 1]; the neutral band that turns it into a label is the one stored
in the artefact's metadata (`thresholds`), the single source of truth for every screen and export.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.lazy import once
from analysis.records import Evidence

from .base import SentimentError, Thresholds
from .features import en_features, load_vader_lexicon, zh_features, zh_linear

DATA_DIR = Path(__file__).resolve().parent / "data"
CHUNK = 16_384  # texts per vectorised block: big enough to amortise numpy calls, small for the cache
_CONTENT = re.compile(r"\w")  # any letter, digit or CJK character


def has_content(text: object) -> bool:
    """A letter, digit or Han character: anything less (empty, "，", "...", not a string) carries
    nothing to read, neither an opinion nor an emotion."""
    return isinstance(text, str) and bool(_CONTENT.search(text))


def blank_mask(texts: Sequence[object]) -> np.ndarray:
    """`not has_content` of every text, as one array (inlined: a million calls cost a second)."""
    return np.fromiter((not (isinstance(t, str) and _CONTENT.search(t)) for t in texts), bool, len(texts))


MAX_EVIDENCE_SPAN = 8  # characters; merged Chinese n-grams stop growing beyond this


def probabilities_to_score(logits: np.ndarray) -> np.ndarray:
    """(n, 2) logits of pos and neg relative to neu → P(pos) − P(neg), numerically stable."""
    z = np.concatenate([logits, np.zeros((len(logits), 1))], axis=1)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    return p[:, 0] - p[:, 1]


class HashedLinearModel:
    """One language's default model. `weights[:, 0]` / `[:, 1]` are the pos / neg logit weights
    relative to neutral, per hash bucket; `dense_weights` the same for the dense features (English
    VADER sums)."""

    def __init__(
        self,
        *,
        name: str,
        version: str,
        lang: str,
        weights: np.ndarray,
        bias: np.ndarray,
        thresholds: Thresholds,
        dense_weights: np.ndarray | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        n_buckets = weights.shape[0]
        if n_buckets & (n_buckets - 1) or weights.ndim != 2 or weights.shape[1] != 2:
            raise SentimentError(f"{name}: weights must be (2^k, 2), got {weights.shape}")
        self.name = name
        self.version = version
        self.lang = lang
        self.thresholds = thresholds
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.dense_weights = None if dense_weights is None else np.asarray(dense_weights, np.float64)
        self.metadata = metadata or {}
        self._lazy_lock = threading.Lock()
        self._logit_difference_value: np.ndarray | None = None

    @property
    def _lexicon(self) -> dict[str, float]:
        return _vader_lexicon()

    @property
    def _logit_difference(self) -> np.ndarray:
        """Per bucket: weight towards positive minus weight towards negative (what explain shows).
        Built on first use, once, also when sessions ask at the same moment."""
        if self._logit_difference_value is None:
            with self._lazy_lock:
                if self._logit_difference_value is None:
                    self._logit_difference_value = self.weights[:, 0].astype(np.float64) - self.weights[:, 1]
        return self._logit_difference_value

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 2) logits (pos, neg) relative to neutral."""
        out = np.empty((len(texts), 2), dtype=np.float64)
        for i in range(0, len(texts), CHUNK):
            block = [t if isinstance(t, str) else "" for t in texts[i : i + CHUNK]]
            out[i : i + len(block)] = self._linear(block)
        return out + self.bias

    def _linear(self, texts: list[str]) -> np.ndarray:
        if self.lang == "zh":
            return zh_linear(texts, self.weights)
        occ, dense = en_features(texts, self.weights.shape[0], self._lexicon)
        out = np.zeros((len(texts), 2), dtype=np.float64)
        w = self.weights[occ.bucket]
        for j in range(2):
            out[:, j] = np.bincount(occ.row, weights=occ.value * w[:, j], minlength=len(texts))
        if self.dense_weights is not None:
            out += dense @ self.dense_weights
        return out

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1]; empty, blank or punctuation-only texts → 0.0."""
        texts = list(texts)
        if not texts:
            return np.zeros(0, dtype=np.float64)
        return self.score_from_logits(texts, self.logits(texts))

    def score_from_logits(
        self, texts: Sequence[str], logits: np.ndarray, blank: np.ndarray | None = None
    ) -> np.ndarray:
        """`score` from logits already computed (`logits`, or a pass shared with another model:
        analysis.emotion.models.HashedEmotionModel.logits_with); `blank`: `blank_mask(texts)`, when
        the caller has it already."""
        scores = probabilities_to_score(logits)
        scores[blank_mask(texts) if blank is None else blank] = 0.0  # no opinion to read: 0.0
        return scores

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """The substrings whose features moved the pos-vs-neg logit difference most (signed)."""
        if not isinstance(text, str) or not text.strip() or top <= 0:
            return ()
        diff = self._logit_difference
        if self.lang == "zh":
            occ = zh_features([text], self.weights.shape[0], spans=True)
            contrib = occ.value * diff[occ.bucket]
            items = list(zip(occ.start.tolist(), occ.end.tolist(), contrib.tolist(), strict=True))
        else:
            occ, _ = en_features([text], self.weights.shape[0], self._lexicon)
            contrib = occ.value * diff[occ.bucket]
            items = list(zip(occ.start.tolist(), occ.end.tolist(), contrib.tolist(), strict=True))
            items += self._lexicon_items(text)
        return _merge_spans(text, items, top, merge=self.lang == "zh")

    def _lexicon_items(self, text: str) -> list[tuple[int, int, float]]:
        """The VADER-sum features' share per word (English only)."""
        if self.dense_weights is None:
            return []
        from .features import en_tokens

        toks = en_tokens(text)
        if not toks:
            return []
        w = 1.0 / np.sqrt(len(toks) + 1)
        dense_diff = self.dense_weights[:, 0] - self.dense_weights[:, 1]
        items = []
        for tok, s, e in toks:
            negated = tok.startswith("NOT_")
            val = self._lexicon.get(tok[4:] if negated else tok)
            if val is None:
                continue
            val = -0.74 * val if negated else val
            items.append((s, e, val / 4.0 * w * dense_diff[0 if val > 0 else 1]))
        return items


# Function words trimmed from the ends of English evidence runs ("the automotive industry" →
# "automotive industry"; a lone "with" is no evidence). Negators are deliberately absent.
_EN_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "it's",
        "they",
        "them",
        "their",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "onto",
        "to",
        "with",
        "within",
        "via",
        "than",
        "then",
        "so",
        "such",
        "and",
        "or",
        "but",
        "if",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "i",
        "we",
        "you",
        "he",
        "she",
        "his",
        "her",
        "our",
        "your",
        "my",
        "me",
        "us",
        "also",
        "just",
        "very",
        "s",  # the possessive after an apostrophe the run started on
    ]
)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _trim_function_words(text: str, s: int, e: int) -> tuple[int, int]:
    """Narrow [s, e) of `text` to whole words, neither starting nor ending with a function word."""
    words = [(m.start() + s, m.end() + s) for m in _EN_WORD.finditer(text[s:e])]
    # Drop a word the run cut through (the length cap can end a run mid-word).
    words = [
        (ws, we)
        for ws, we in words
        if not (ws == s and s > 0 and text[s - 1].isalnum())
        and not (we == e and e < len(text) and text[e].isalnum())
    ]
    while words and text[words[0][0] : words[0][1]].lower() in _EN_FUNCTION_WORDS:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower() in _EN_FUNCTION_WORDS:
        words.pop()
    if not words:
        return (s, s) if _EN_WORD.search(text[s:e]) else (s, e)
    return words[0][0], words[-1][1]


_BREAK = set(" \t\n，。,.!?！？、；;:：\"'“”‘’()（）[]【】《》")


def _merge_spans(
    text: str, items: list[tuple[int, int, float]], top: int, merge: bool
) -> tuple[Evidence, ...]:
    """Spread each feature's contribution evenly over its characters, then cut the text into runs
    of same-signed characters (broken at punctuation): each run is one evidence term whose weight
    is the sum of its characters' shares, so the weights add up to the features' total and a
    negated phrase (并不满意) shows as one negative term.
    English runs may span words ("huge loss") and are capped at 4 x MAX_EVIDENCE_SPAN characters."""
    n = len(text)
    if n == 0:
        return ()
    per_char = np.zeros(n, dtype=np.float64)
    for s, e, c in items:
        s, e = max(s, 0), min(e, n)
        if e > s:
            per_char[s:e] += c / (e - s)
    runs: list[tuple[int, int, float]] = []
    start = None
    limit = MAX_EVIDENCE_SPAN if merge else 4 * MAX_EVIDENCE_SPAN
    for i in range(n + 1):
        breaks = (
            i == n
            or (text[i] in _BREAK and (merge or text[i] != " "))
            or abs(per_char[i]) < 1e-9
            or (start is not None and (per_char[i] > 0) != (per_char[start] > 0))
            or (start is not None and i - start >= limit)
        )
        if breaks and start is not None:
            runs.append((start, i, float(per_char[start:i].sum())))
            start = None
        if i < n and start is None and text[i] not in _BREAK and abs(per_char[i]) >= 1e-9:
            start = i
    runs.sort(key=lambda r: -abs(r[2]))
    out = []
    for s, e, c in runs:
        if not merge:
            s, e = _trim_function_words(text, s, e)
        term = text[s:e].strip()
        if term and abs(c) >= 0.05:
            out.append(Evidence(term, round(c, 4)))
        if len(out) == top:
            break
    return tuple(out)


def load(lang: str, data_dir: Path = DATA_DIR) -> HashedLinearModel:
    """Load the committed artefact of one language (no network; raises SentimentError if missing)."""
    npz_path = data_dir / f"{lang}_default.npz"
    meta_path = data_dir / f"{lang}_default.json"
    if not npz_path.exists() or not meta_path.exists():
        raise SentimentError(f"default {lang} model artefact missing: {npz_path}")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(npz_path) as arrays:
        weights = arrays["weights"].astype(np.float32)
        bias = arrays["bias"].astype(np.float64)
        dense = arrays["dense_weights"].astype(np.float64) if "dense_weights" in arrays else None
    band = meta["thresholds"]
    return HashedLinearModel(
        name=meta["name"],
        version=meta["version"],
        lang=lang,
        weights=weights,
        bias=bias,
        dense_weights=dense,
        thresholds=Thresholds(band["negative_below"], band["positive_above"]),
        metadata=meta,
    )


@once
def _vader_lexicon() -> dict[str, float]:
    """VADER's lexicon, read once per process (the English model's features use it)."""
    return load_vader_lexicon()


def register(register_model: Callable[[str, Callable[[], HashedLinearModel]], None]) -> None:
    """Plugin hook called by analysis.sentiment.registry."""
    register_model("zh-default", lambda: load("zh"))
    register_model("en-default", lambda: load("en"))
