"""Benchmark both emotion tiers against baselines on the test rows, and measure their speed.

    python scripts/benchmark_emotion.py               # every table; writes analysis/emotion/data/model_card.json
    python scripts/benchmark_emotion.py --no-speed    # accuracy tables only

For every emotion set's test rows (the accurate tier on at most --accurate-cap rows per set, the
first by text key; every other model on the same rows, so the columns compare): accuracy and
macro-F1 (over the set's own labels; predictions never masked) of
- the majority class of the set's train rows,
- a keyword lexicon (analysis/emotion/baselines.py),
- a plain logistic regression on the same e5 vectors trained on 12,000 rows sampled from the
  language's train rows (no masks, no weights: the comparison the issue quotes),
- the fast tier and the accurate tier,
then per-class precision / recall / F1 and the confusion matrix of both tiers on each set, and
speed: a 60-sentence Chinese article with emotions from process launch, fast-tier posts per second
on one core, and the memory of both heads loaded. Vectors come from the e5 cache
(scripts/embed_sets.py --emotion) where present and are embedded live otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from embed_sets import load_cache  # noqa: E402
from train_emotion import LABEL_INDEX, fit_head  # noqa: E402

from analysis.emotion.baselines import keyword_labels  # noqa: E402
from analysis.emotion.datasets import EMOTION_SETS, load_emotion_set  # noqa: E402
from analysis.emotion.evaluate import measure  # noqa: E402
from analysis.emotion.labels import EMOTIONS  # noqa: E402
from analysis.emotion.models import DATA_DIR, K, get_emotion_model  # noqa: E402
from analysis.sentiment.embedding import get_embedder, prepare_text, text_key  # noqa: E402

CARD_JSON = DATA_DIR / "model_card.json"
CARD_MD = ROOT / "MODEL_CARD.md"
MARKERS = ("<!-- EMOTION BENCHMARK START -->", "<!-- EMOTION BENCHMARK END -->")
LR_ROWS = 12_000
LR_SEED = 12_000
# Published results on the same test sets, for scale (fine-tuned encoders ~100x our head's size).
PUBLISHED = {
    "zh_smp2020_ewect_usual": "bert-base-chinese fine-tuned: accuracy 0.772, macro-F1 0.739 "
    "(BrownSweater/BERT_SMP2020-EWECT README)",
    "en_goemotions_ekman": "BERT-base fine-tuned, Ekman level: macro-F1 0.64 (Demszky et al. 2020, GoEmotions, Table 6)",
}
TARGETS = {"zh_smp2020_ewect_usual": 0.55, "en_goemotions_ekman": 0.48}


def vectors_for(texts: list[str], cache: dict[str, np.ndarray]) -> np.ndarray:
    keys = [text_key(prepare_text(t)) for t in texts]
    missing = [t for t, k in zip(texts, keys, strict=True) if k not in cache]
    if missing:
        print(f"  embedding {len(missing)} texts live", flush=True)
        for t, v in zip(missing, get_embedder().embed(missing), strict=True):
            cache[text_key(prepare_text(t))] = v
    return np.stack([cache[k] for k in keys]).astype(np.float64)


def plain_logistic(lang: str, cache: dict[str, np.ndarray]):
    """The issue's comparison: logistic regression on e5 vectors, 12,000 train rows sampled
    uniformly (seeded) from the language's sets, every label equally free (no masks)."""
    import pandas as pd

    frames = [load_emotion_set(n) for n, s in EMOTION_SETS.items() if s.lang == lang]
    train = pd.concat([f[f["split"] == "train"] for f in frames], ignore_index=True)
    train = train[[text_key(prepare_text(t)) in cache for t in train["text"]]]
    train = train.sample(n=min(LR_ROWS, len(train)), random_state=LR_SEED)
    x = vectors_for(train["text"].tolist(), cache)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    y = train["label"].map(LABEL_INDEX).to_numpy()
    _, _, w, b = fit_head((x - mean) / scale, y, np.ones((len(y), K), bool), np.ones(len(y)), 0, 1.0)

    def predict(v: np.ndarray) -> list[str]:
        return [EMOTIONS[i] for i in np.argmax(((v - mean) / scale) @ w + b, axis=1)]

    return predict, len(train)


def accuracy_tables(cap: int) -> dict:
    cache = load_cache()
    out: dict = {"sets": [], "per_class": {}}
    lr = {}
    for name, info in EMOTION_SETS.items():
        df = load_emotion_set(name)
        majority = df[df["split"] == "train"]["label"].value_counts().idxmax()
        test = df[df["split"] == "test"].copy()
        test["key"] = [text_key(prepare_text(t)) for t in test["text"]]
        test = test.sort_values("key", kind="stable").head(cap)
        texts, gold = test["text"].tolist(), test["label"].tolist()
        v = vectors_for(texts, cache)
        if info.lang not in lr:
            lr[info.lang] = plain_logistic(info.lang, cache)
        accurate = get_emotion_model(info.lang, "accurate")
        fast = get_emotion_model(info.lang, "fast")
        p_acc = accurate.calibration.probabilities(accurate.logits_from(v, texts))
        pred_acc = [EMOTIONS[i] for i in np.argmax(accurate.calibration.decide(p_acc), axis=1)]
        p_fast = fast.probabilities(texts)
        pred_fast = [EMOTIONS[i] for i in np.argmax(fast.calibration.decide(p_fast), axis=1)]
        rows = {
            "majority": [majority] * len(texts),
            "keywords": keyword_labels(texts, info.lang),
            "plain LR (e5, 12k rows)": lr[info.lang][0](v),
            "fast": pred_fast,
            "accurate": pred_acc,
        }
        labels = info.labels
        row = {"set": name, "n": len(texts), "labels": list(labels)}
        for model, pred in rows.items():
            m = measure(gold, pred, labels)
            row[model] = {"accuracy": round(m.accuracy, 3), "macro_f1": round(m.macro_f1, 3)}
        out["sets"].append(row)
        for tier in ("fast", "accurate"):
            m = measure(gold, rows[tier], labels)
            out["per_class"][f"{name}/{tier}"] = {
                "per_class": {c: {k: round(v_, 3) for k, v_ in d.items()} for c, d in m.per_class.items()},
                "confusion": m.confusion,
            }
        print(_fmt_set(row), flush=True)
    out["lr_rows"] = {lang: n for lang, (_, n) in lr.items()}
    return out


def _fmt_set(row: dict) -> str:
    cells = [f"{row['set']:<26} n={row['n']:<5}"]
    for model in ("majority", "keywords", "plain LR (e5, 12k rows)", "fast", "accurate"):
        r = row[model]
        cells.append(f"{model.split(' ')[0]} {r['accuracy']:.3f}/{r['macro_f1']:.3f}")
    return "  ".join(cells)


# The child's own peak RSS (VmHWM). Not ru_maxrss: Linux carries the parent's resident size at the
# fork into the child's ru_maxrss across exec, so a child of a big benchmark process reported the
# parent's 442-520 MB as its own.
PEAK_MB = (
    "def peak_mb():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1]) // 1024\n"
)


def emotions_ab(rounds: int = 3) -> dict:
    """The same 60-sentence article from process launch with and without emotions, alternating in
    one run (what emotions add to an article, the load of the machine cancelling out)."""
    from benchmark_sentiment import _hash_order, load_set

    from analysis.sentences import split_sentences

    test = load_set("zh_bdci2019_news").query("split == 'test'")["text"].tolist()
    sentences: list[str] = []
    for text in (test[i] for i in _hash_order(test)):
        sentences += [
            x if x[-1] in "。！？!?" else x + "。" for x in split_sentences(text) if 8 <= len(x) <= 80
        ]
        if len(sentences) >= 60:
            break
    article = "\n\n".join("".join(sentences[i : i + 3]) for i in range(0, 60, 3))
    code = "import sys\nfrom analysis.pipeline import analyze_text\nanalyze_text(sys.stdin.read(), emotions={})\n"
    runs: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for name, flag in (("without", False), ("with", True)):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code.format(flag)], input=article, text=True, cwd=ROOT, check=True
            )
            runs[name].append(round(time.perf_counter() - t0, 2))
    return {k: {"runs_s": v, "median_s": float(np.median(v))} for k, v in runs.items()}


def speed() -> dict:
    """A 60-sentence Chinese article with emotions, from process launch (benchmark_sentiment's
    article); fast-tier posts per second on one core; memory with both heads loaded."""
    from benchmark_sentiment import accurate_speed

    out = {"article": accurate_speed(), "article_ab": emotions_ab()}
    code = (
        PEAK_MB + "import os, time\n"
        "os.environ['OMP_NUM_THREADS'] = '1'\n"
        "from analysis.emotion.datasets import load_emotion_set\n"
        "from analysis.emotion import EmotionReader\n"
        "texts = load_emotion_set('zh_smp2020_ewect_usual')['text'].tolist()\n"
        "texts = (texts * 10)[:200000]\n"
        "r = EmotionReader('fast'); r.labels(texts[:10], ['zh'] * 10)\n"
        "t0 = time.perf_counter(); r.labels(texts, ['zh'] * len(texts)); dt = time.perf_counter() - t0\n"
        "print(round(len(texts) / dt), peak_mb())\n"
    )
    proc = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rate, peak = proc.stdout.split()
    out["fast_posts_per_s_one_core"] = int(rate)
    out["fast_peak_rss_mb"] = int(peak)
    code = (
        PEAK_MB + "from analysis.pipeline import analyze_text\n"
        "a = analyze_text(open('sample_data/xiaomi_auto_trust_sina_2025-10-27.txt', encoding='utf-8').read())\n"
        "from analysis.emotion import get_emotion_model\n"
        "[get_emotion_model(l, t) for l in ('zh', 'en') for t in ('accurate', 'fast')]\n"
        "print(peak_mb())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    out["process_peak_rss_mb_sample_with_all_heads"] = int(proc.stdout.split()[-1])
    print(json.dumps(out), flush=True)
    return out


def card_tables(card: dict) -> str:
    """The generated part of MODEL_CARD.md's emotion section (Markdown)."""
    models = ("majority", "keywords", "plain LR (e5, 12k rows)", "fast", "accurate")
    lines = [
        f"Generated by `python scripts/benchmark_emotion.py` on {card['generated']}.",
        "",
        "### Test rows: accuracy / macro-F1 (macro over the set's own labels; predictions unmasked)",
        "",
        "| set | n | " + " | ".join(models) + " |",
        "|---|---|" + "---|" * len(models),
    ]
    for row in card["sets"]:
        cells = [f"{row[m]['accuracy']:.3f} / {row[m]['macro_f1']:.3f}" for m in models]
        lines.append(f"| {row['set']} | {row['n']} | " + " | ".join(cells) + " |")
    lines += ["", "### Targets (test rows)", ""]
    for t in card["targets"]:
        lines.append(
            f"- {t['set']}: accurate macro-F1 **{t['accurate']:.3f}** (target ≥ {t['target_macro_f1']}: "
            + ("met" if t["met"] else "missed")
            + ")"
        )
    lines += ["", "Published, for scale:", ""] + [f"- {k}: {v}" for k, v in card["published"].items()]
    for key, value in card["per_class"].items():
        labels = list(value["per_class"])
        lines += [
            "",
            f"### {key}: per class",
            "",
            "| label | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for c in labels:
            d = value["per_class"][c]
            lines.append(
                f"| {c} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} | {int(d['support'])} |"
            )
        lines += [
            "",
            "Confusion (rows: gold; columns: predicted)",
            "",
            "| gold \\ predicted | " + " | ".join(EMOTIONS) + " |",
        ]
        lines.append("|---|" + "---|" * len(EMOTIONS))
        for g, row in value["confusion"].items():
            lines.append(f"| {g} | " + " | ".join(str(row[e]) for e in EMOTIONS) + " |")
    if "speed" in card:
        sp = card["speed"]
        lines += [
            "",
            "### Speed and memory (this machine, same run)",
            "",
            f"- 60-sentence Chinese article, sentiment and emotions, from process launch: "
            f"{sp['article']['fresh_process_s']} s ({sp['article']['import_to_result_s']} s import to result)",
            *(
                [
                    f"- the same article alternately with and without emotions (medians of "
                    f"{len(sp['article_ab']['with']['runs_s'])}): {sp['article_ab']['with']['median_s']} s with, "
                    f"{sp['article_ab']['without']['median_s']} s without"
                ]
                if "article_ab" in sp
                else []
            ),
            f"- fast emotion tier, one core: {sp['fast_posts_per_s_one_core']:,} posts/s "
            f"(peak {sp['fast_peak_rss_mb']} MB for 200,000 posts)",
            f"- a process with the sample analysed and all four emotion heads loaded: "
            f"{sp['process_peak_rss_mb_sample_with_all_heads']} MB peak",
        ]
    return "\n".join(lines)


def write_card_tables(card: dict) -> None:
    text = CARD_MD.read_text(encoding="utf-8")
    start, end = MARKERS
    if start not in text or end not in text:
        print(f"note: {CARD_MD.name} has no emotion benchmark markers; tables not written", file=sys.stderr)
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    CARD_MD.write_text(head + start + "\n" + card_tables(card) + "\n" + end + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accurate-cap", type=int, default=5000, help="test rows per set (first by key)")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    print("accuracy / macro-F1 on each set's test rows (majority, keywords, plain LR, fast, accurate):")
    card = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        **accuracy_tables(args.accurate_cap),
    }
    card["published"] = PUBLISHED
    card["targets"] = []
    for row in card["sets"]:
        if row["set"] in TARGETS:
            got = row["accurate"]["macro_f1"]
            t = {
                "set": row["set"],
                "target_macro_f1": TARGETS[row["set"]],
                "accurate": got,
                "met": got >= TARGETS[row["set"]],
            }
            card["targets"].append(t)
            print(
                f"target {row['set']}: macro-F1 {got:.3f} (≥ {TARGETS[row['set']]}) {'met' if t['met'] else 'MISSED'}"
            )
    if not args.no_speed:
        card["speed"] = speed()
    for lang in ("zh", "en"):
        for tier in ("accurate", "fast"):
            m = get_emotion_model(lang, tier)
            card.setdefault("models", {})[f"{lang}/{tier}"] = {
                "name": m.name,
                "version": m.version,
                "calibration": m.calibration.as_dict(),
            }
    CARD_JSON.write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_card_tables(card)
    print(f"wrote {CARD_JSON} and the tables in {CARD_MD.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
