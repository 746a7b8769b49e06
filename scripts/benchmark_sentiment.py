"""Benchmark the default sentiment models against the baselines on the fixed test split.

    python scripts/benchmark_sentiment.py              # print every table, write model_card.json
    python scripts/benchmark_sentiment.py --quick      # skip leave-one-domain-out retraining

Prints, for every shared set: n_test, always-guess accuracy, accuracy / macro-F1 / polar accuracy
of the default model and of the baseline (SnowNLP for Chinese, VADER for English); a
leave-one-domain-out table over the Chinese domains; accuracy vs neutral band; throughput of
default vs SnowNLP on the same 2,000 news and 2,000 Weibo texts in this run, with the ratio;
fresh-process first-sentence latency of both (in subprocesses); memory of the loaded models.
Writes analysis/sentiment/data/model_card.json (read by the model-card page) and refreshes the
generated tables in MODEL_CARD.md between its BENCHMARK markers.

Metrics: "accuracy" and "macro-F1" use the model's calibrated neutral band and each set's own
label scheme (a neutral prediction on a set without neutral is an error; on zh_finnsp_newsneg
positive counts as its "not negative"). "polar accuracy" is the sign of the score on the items
labelled pos or neg (what "positive-vs-negative" accuracy means in the issue).
SnowNLP is slow (~100 texts/s), so its accuracy is measured on at most --snownlp-cap test texts
per set (the first by text hash; the default model is also reported on that same subsample).
"""

from __future__ import annotations

import argparse
import hashlib
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

from train_sentiment import labels_for, set_metrics, train_language  # noqa: E402

from analysis.sentiment import get_model  # noqa: E402
from analysis.sentiment.datasets import SETS, load_set  # noqa: E402
from analysis.sentiment.default_models import DATA_DIR  # noqa: E402

CARD_JSON = DATA_DIR / "model_card.json"
CARD_MD = ROOT / "MODEL_CARD.md"
BAND_WIDTHS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
THROUGHPUT_N = 2000
# Leave-one-domain-out retrains 7 times: a lighter fit (fewer rows and iterations than the
# shipped model) keeps the benchmark under 10 minutes; its numbers are therefore conservative.
LODO_MAX_ROWS = 4000
LODO_MAX_ITER = 60
# The accuracy targets and the metric each is compared against. Sets with a neutral class
# use the 3-class macro-F1 with the calibrated band. zh_cluemotion_weibo has no neutral items: its
# 3-label accuracy counts every neutral prediction (a score inside the band) as an error although no
# item is neutral, so the target is compared with the polar accuracy (sign of the score on the
# pos / neg items), which is also what the independent evaluation measures on pos-vs-neg items;
# the 3-label accuracy is reported next to it, not hidden.
TARGETS = (
    ("zh_bdci2019_news", "macro_f1", 0.65),
    ("zh_finfe_stockforum", "macro_f1", 0.65),
    ("zh_cluemotion_weibo", "polar_accuracy", 0.85),
    ("en_fpb50", "macro_f1", 0.75),
)


def _hash_order(texts: list[str]) -> np.ndarray:
    return np.argsort([hashlib.md5(("bench" + t).encode("utf-8")).hexdigest() for t in texts], kind="stable")


def polar_accuracy(scores: np.ndarray, gold: np.ndarray) -> float:
    polar = gold != "neu"
    if not polar.any():
        return float("nan")
    return float(np.mean((scores[polar] > 0) == (gold[polar] == "pos")))


def evaluate(name: str, scores: np.ndarray, gold: np.ndarray, band) -> dict:
    acc, f1 = set_metrics(name, gold, labels_for(scores, band.negative_below, band.positive_above))
    return {
        "n": len(gold),
        "accuracy": round(acc, 4),
        "macro_f1": round(f1, 4),
        "polar_accuracy": round(polar_accuracy(scores, gold), 4),
    }


def per_set_table(snownlp_cap: int) -> tuple[list[dict], dict]:
    rows = []
    sweep = {}
    for name, info in SETS.items():
        df = load_set(name)
        test = df[df["split"] == "test"].reset_index(drop=True)
        texts, gold = test["text"].tolist(), test["label"].to_numpy()
        default = get_model(f"{info.lang}-default")
        baseline = get_model("snownlp" if info.lang == "zh" else "vader")
        scores = default.score(texts)
        row = {
            "set": name,
            "lang": info.lang,
            "domain": info.domain,
            "labels": list(info.labels),
            "n_test": len(test),
            "always_guess_accuracy": round(float(test["label"].value_counts(normalize=True).iloc[0]), 4),
            "default": evaluate(name, scores, gold, default.thresholds),
        }
        sub = _hash_order(texts)[:snownlp_cap] if info.lang == "zh" else np.arange(len(texts))
        base_scores = baseline.score([texts[i] for i in sub])
        row["baseline_name"] = baseline.name
        row["baseline"] = evaluate(name, base_scores, gold[sub], baseline.thresholds)
        if len(sub) < len(texts):
            row["default_on_baseline_subsample"] = evaluate(name, scores[sub], gold[sub], default.thresholds)
        rows.append(row)
        sweep[name] = [
            dict(
                zip(
                    ("band", "accuracy", "macro_f1"),
                    (w, *map(lambda x: round(x, 4), set_metrics(name, gold, labels_for(scores, -w, w)))),
                    strict=True,
                )
            )
            for w in BAND_WIDTHS
        ]
        print(_fmt_set_row(row), flush=True)
    return rows, sweep


def _fmt_set_row(r: dict) -> str:
    d, b = r["default"], r["baseline"]
    return (
        f"| {r['set']} | {r['n_test']} | {r['always_guess_accuracy']:.3f} | {d['accuracy']:.3f} | "
        f"{d['macro_f1']:.3f} | {d['polar_accuracy']:.3f} | {r['baseline_name']} (n={b['n']}) | "
        f"{b['accuracy']:.3f} | {b['macro_f1']:.3f} | {b['polar_accuracy']:.3f} |"
    )


SET_HEADER = (
    "| set | n_test | always-guess acc | default acc | default macro-F1 | default polar acc | "
    "baseline | baseline acc | baseline macro-F1 | baseline polar acc |\n|---|---|---|---|---|---|---|---|---|---|"
)


# Hand-written sentences for the linguistic cases (expected label in the second column).
CASES = (
    ("不高兴", "negative", "negation"),
    ("我对这次的服务并不满意", "negative", "negation"),
    ("没有问题，一切正常", "positive", "negation"),
    ("这个产品一点也不好用", "negative", "negation"),
    ("非常满意，强烈推荐", "positive", "degree"),
    ("有点失望", "negative", "degree"),
    ("虽然价格有点贵，但是质量非常好", "positive", "contrast"),
    ("虽然包装很漂亮，可是东西太难用了", "negative", "contrast"),
    ("难道这不好吗？", "positive", "rhetorical question"),
    ("这样的服务难道值得推荐吗？", "negative", "rhetorical question"),
    ("公司今日发布第三季度财报", "neutral", "neutral news"),
)


def cases_table() -> list[dict]:
    default, snow = get_model("zh-default"), get_model("snownlp")
    texts = [c[0] for c in CASES]
    ds, ss = default.score(texts), snow.score(texts)
    rows = []
    for (text, expected, kind), d, sn in zip(CASES, ds, ss, strict=True):
        row = {
            "text": text,
            "case": kind,
            "expected": expected,
            "default_score": round(float(d), 3),
            "default_label": default.thresholds.label(float(d)),
            "snownlp_score": round(float(sn), 3),
            "snownlp_label": snow.thresholds.label(float(sn)),
        }
        rows.append(row)
        print(_fmt_case(row), flush=True)
    return rows


def _fmt_case(r: dict) -> str:
    ok = {True: "✓", False: "✗"}
    return (
        f"| {r['text']} | {r['case']} | {r['expected']} | {r['default_score']:+.3f} {r['default_label']} "
        f"{ok[r['default_label'] == r['expected']]} | {r['snownlp_score']:+.3f} {r['snownlp_label']} "
        f"{ok[r['snownlp_label'] == r['expected']]} |"
    )


CASE_HEADER = "| sentence | case | expected | zh-default | SnowNLP |\n|---|---|---|---|---|"


def lodo_table() -> list[dict]:
    """Leave one Chinese domain out: train on the others' train split, test on its test split."""
    out = []
    for name, info in SETS.items():
        if info.lang != "zh":
            continue
        model, _ = train_language(
            "zh", exclude=(name,), verbose=False, max_rows=LODO_MAX_ROWS, max_iter=LODO_MAX_ITER
        )
        test = load_set(name)
        test = test[test["split"] == "test"]
        scores = model.score(test["text"].tolist())
        res = evaluate(name, scores, test["label"].to_numpy(), model.thresholds)
        res["set"] = name
        res["band"] = model.thresholds.as_dict()
        out.append(res)
        print(
            f"| {name} | {res['n']} | {res['accuracy']:.3f} | {res['macro_f1']:.3f} | "
            f"{res['polar_accuracy']:.3f} |",
            flush=True,
        )
    return out


def throughput() -> dict:
    """Texts per second of zh-default and SnowNLP on the same texts, in this process and run."""
    result = {}
    default, snow = get_model("zh-default"), get_model("snownlp")
    for name in ("zh_bdci2019_news", "zh_cluemotion_weibo"):
        df = load_set(name)
        texts = df["text"].tolist()
        texts = [texts[i] for i in _hash_order(texts)[:THROUGHPUT_N]]
        default.score(texts[:10])  # warm-up (first call allocates)
        t0 = time.perf_counter()
        default.score(texts)
        t_default = time.perf_counter() - t0
        t0 = time.perf_counter()
        snow.score(texts)
        t_snow = time.perf_counter() - t0
        result[name] = {
            "n": len(texts),
            "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
            "default_texts_per_s": round(len(texts) / t_default),
            "snownlp_texts_per_s": round(len(texts) / t_snow, 1),
            "ratio": round(t_snow / t_default, 1),
        }
    # The corpus case: a million-post pipeline needs short posts at tens of thousands per second.
    weibo = load_set("zh_cluemotion_weibo")["text"].tolist()
    big = [t[:50] for t in (weibo * (200_000 // len(weibo) + 1))[:200_000]]
    t0 = time.perf_counter()
    default.score(big)
    result["short_posts_200k"] = {
        "n": len(big),
        "default_texts_per_s": round(len(big) / (time.perf_counter() - t0)),
    }
    return result


_LATENCY_CODE = """
import time, sys
t0 = time.perf_counter()
from analysis.sentiment import get_model
m = get_model(sys.argv[1])
m.score(["这家公司的服务让人很不满意"])
m.explain("这家公司的服务让人很不满意")
print(time.perf_counter() - t0)
"""

_MEMORY_CODE = """
import gc
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import numpy, analysis.sentiment as s
before = rss()
for name in ("zh-default", "en-default"):
    s.get_model(name).score(["测试 test"])
gc.collect()
print(rss() - before)
"""


def latency_and_memory() -> dict:
    """First sentence in a fresh process (wall clock from process launch), and RSS of the models."""
    out = {}
    for name in ("zh-default", "snownlp"):
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", _LATENCY_CODE, name],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(time.perf_counter() - t0)
            in_process = float(proc.stdout.strip())
        out[name] = {"first_sentence_s": round(min(runs), 3), "import_to_score_s": round(in_process, 3)}
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_CODE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    out["default_models_rss_mb"] = round(float(proc.stdout.strip()), 1)
    return out


def target_rows(sets: list[dict]) -> list[dict]:
    """TARGETS against the default model's test-split figures."""
    by_set = {r["set"]: r["default"] for r in sets}
    out = []
    for name, metric, target in TARGETS:
        d = by_set[name]
        out.append(
            {
                "set": name,
                "metric": metric,
                "target": target,
                "measured": d[metric],
                "accuracy": d["accuracy"],
                "polar_accuracy": d["polar_accuracy"],
                "met": bool(d[metric] >= target),
            }
        )
    return out


def write_card_tables(card: dict) -> None:
    """Refresh MODEL_CARD.md between its BENCHMARK markers (the rest of the card is prose)."""
    if not CARD_MD.exists():
        return
    text = CARD_MD.read_text(encoding="utf-8")
    start, end = "<!-- BENCHMARK:START -->", "<!-- BENCHMARK:END -->"
    if start not in text or end not in text:
        return
    lines = [
        start,
        "",
        f"Generated by `python scripts/benchmark_sentiment.py` on {card['generated_at']}.",
        "",
    ]
    lines += [
        "### Fixed test split (20% by text hash; never seen in training or calibration)",
        "",
        SET_HEADER,
    ]
    lines += [_fmt_set_row(r) for r in card["sets"]]
    lines += [
        "",
        "### Issue targets (test split)",
        "",
        "Sets with a neutral class are compared on 3-class macro-F1 (calibrated band). A set without "
        "neutral items is compared on polar accuracy (sign of the score on its pos / neg items, as in "
        "the independent evaluation), because its 3-label accuracy counts every in-band score as an "
        "error although no item is neutral; both are shown.",
        "",
        "| set | target | compared on | measured | 3-label acc | polar acc | met |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {t['set']} | ≥ {t['target']} | {t['metric']} | {t['measured']:.3f} | {t['accuracy']:.3f} | "
        f"{t['polar_accuracy']:.3f} | {'yes' if t['met'] else '**no**'} |"
        for t in card.get("targets", [])
    ]
    cap = card["snownlp_cap"]
    lines += [
        "",
        f"SnowNLP is measured on at most {cap} test texts per set (first by text hash); the "
        "default model on the same subsample:",
        "",
        "| set | n | default acc | default macro-F1 | default polar acc |",
        "|---|---|---|---|---|",
    ]
    for r in card["sets"]:
        s = r.get("default_on_baseline_subsample")
        if s:
            lines.append(
                f"| {r['set']} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | "
                f"{s['polar_accuracy']:.3f} |"
            )
    lines += ["", "### Linguistic cases (hand-written sentences)", "", CASE_HEADER]
    lines += [_fmt_case(r) for r in card["cases"]]
    if card.get("lodo"):
        lines += [
            "",
            "### Leave one domain out (Chinese): trained without the domain, tested on it",
            "",
            f"Lighter fit than the shipped model (at most {LODO_MAX_ROWS} rows per set, "
            f"{LODO_MAX_ITER} L-BFGS iterations), band recalibrated without the held-out set.",
            "",
            "| held-out set | n | accuracy | macro-F1 | polar acc |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['set']} | {r['n']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | "
            f"{r['polar_accuracy']:.3f} |"
            for r in card["lodo"]
        ]
    lines += [
        "",
        "### Accuracy / macro-F1 vs a symmetric neutral band [-w, w]",
        "",
        "| set | " + " | ".join(f"w={w}" for w in BAND_WIDTHS) + " |",
        "|---|" + "---|" * len(BAND_WIDTHS),
    ]
    for name, rows in card["band_sweep"].items():
        lines.append(
            f"| {name} | " + " | ".join(f"{r['accuracy']:.3f} / {r['macro_f1']:.3f}" for r in rows) + " |"
        )
    sp = card["speed"]
    lines += [
        "",
        "### Speed and memory (this machine, same run)",
        "",
        "| texts | n | mean chars | default texts/s | SnowNLP texts/s | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("zh_bdci2019_news", "zh_cluemotion_weibo"):
        t = sp["throughput"][name]
        lines.append(
            f"| {name} | {t['n']} | {t['mean_chars']} | {t['default_texts_per_s']:,} | "
            f"{t['snownlp_texts_per_s']} | {t['ratio']}× |"
        )
    big = sp["throughput"]["short_posts_200k"]
    lat = sp["latency"]
    lines += [
        "",
        f"- 200,000 short posts (50 characters): {big['default_texts_per_s']:,} texts/s.",
        f"- Fresh process, first sentence scored and explained: zh-default "
        f"{lat['zh-default']['first_sentence_s']} s, SnowNLP {lat['snownlp']['first_sentence_s']} s "
        "(wall clock from process launch, best of 3).",
        f"- Memory of both default models loaded: {lat['default_models_rss_mb']} MB RSS.",
        "",
        end,
    ]
    new = text[: text.index(start)] + "\n".join(lines) + text[text.index(end) + len(end) :]
    CARD_MD.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the default sentiment models.")
    parser.add_argument("--quick", action="store_true", help="skip the leave-one-domain-out table")
    parser.add_argument("--snownlp-cap", type=int, default=1000, metavar="N")
    parser.add_argument(
        "--no-write", action="store_true", help="do not write model_card.json / MODEL_CARD.md"
    )
    args = parser.parse_args(argv)
    t0 = time.time()
    print("## Fixed test split\n" + SET_HEADER, flush=True)
    sets, sweep = per_set_table(args.snownlp_cap)
    print("\n## Linguistic cases\n" + CASE_HEADER, flush=True)
    cases = cases_table()
    lodo = []
    if not args.quick:
        print(
            "\n## Leave one domain out\n| held-out set | n | accuracy | macro-F1 | polar acc |\n|---|---|---|---|---|"
        )
        lodo = lodo_table()
    print("\n## Throughput (same texts, same run)")
    speed = {"throughput": throughput(), "latency": latency_and_memory()}
    print(json.dumps(speed, indent=2))
    models = {}
    for name in ("zh-default", "en-default", "snownlp", "vader"):
        m = get_model(name)
        models[name] = {"version": m.version, "lang": m.lang, "thresholds": m.thresholds.as_dict()}
    card = {
        "generated_by": "python scripts/benchmark_sentiment.py",
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "split": "md5(text) % 100 < 20 → test",
        "snownlp_cap": args.snownlp_cap,
        "models": models,
        "sets": sets,
        "targets": target_rows(sets),
        "cases": cases,
        "lodo": lodo,
        "band_sweep": sweep,
        "speed": speed,
        "seconds": round(time.time() - t0, 1),
    }
    if not args.no_write:
        CARD_JSON.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_card_tables(card)
        print(f"\nwrote {CARD_JSON.relative_to(ROOT)} and refreshed MODEL_CARD.md ({card['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
