"""Benchmark both sentiment tiers against the baselines on the fixed test split.

    python scripts/benchmark_sentiment.py              # print every table, write model_card.json
    python scripts/benchmark_sentiment.py --quick      # skip leave-one-domain-out retraining

Prints, for every shared set: n_test, always-guess accuracy, accuracy / macro-F1 / polar accuracy
of the fast tier (the n-gram models, "default" in the card's JSON for continuity), of the accurate
tier (e5 + heads; on at most ACCURATE_CAP test texts per set, first by text hash) and of the
baseline (SnowNLP for Chinese, VADER for English); the sample article's 11 sentences against a
reader's labels (a test set: never used in training or calibration); the speed of the accurate
tier on a 60-sentence Chinese article; a
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

import train_encoder  # noqa: E402
from embed_sets import load_cache  # noqa: E402
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
TARGETS = (  # (tier, set, metric, target); tier "default" is the fast tier
    ("accurate", "en_fpb50", "macro_f1", 0.80),
    ("accurate", "zh_bdci2019_news", "macro_f1", 0.65),
    ("accurate", "zh_cluemotion_weibo", "polar_accuracy", 0.85),
    ("default", "zh_bdci2019_news", "macro_f1", 0.65),
    ("default", "zh_finfe_stockforum", "macro_f1", 0.65),
    ("default", "zh_cluemotion_weibo", "polar_accuracy", 0.85),
    ("default", "en_fpb50", "macro_f1", 0.75),
)
ACCURATE_CAP = 2000  # test texts per set for the accurate tier (about 40 s of embedding each)
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
# A reader's labels of the sample article's 11 sentences (issue 9). A test set only: nothing is
# trained, tuned or calibrated on these sentences.
SAMPLE_GOLD = (
    "negative",
    "negative",
    "negative",
    "negative",
    "negative",
    "neutral",
    "negative",
    "negative",
    "negative",
    "neutral",
    "neutral",
)
SAMPLE_TARGET = 9


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


def per_set_table(
    snownlp_cap: int, only: set[str] | None = None, accurate_cap: int = ACCURATE_CAP
) -> tuple[list[dict], dict]:
    rows = []
    sweep = {}
    for name, info in SETS.items():
        if only and name not in only:
            continue
        df = load_set(name)
        test = df[df["split"] == "test"].reset_index(drop=True)
        texts, gold = test["text"].tolist(), test["label"].to_numpy()
        default = get_model(f"{info.lang}-default")
        accurate = get_model(f"{info.lang}-accurate")
        baseline = get_model("snownlp" if info.lang == "zh" else "vader")
        scores = default.score(texts)
        acc_sub = _hash_order(texts)[:accurate_cap]
        acc_scores = accurate.score([texts[i] for i in acc_sub])
        row = {
            "set": name,
            "lang": info.lang,
            "domain": info.domain,
            "labels": list(info.labels),
            "n_test": len(test),
            "always_guess_accuracy": round(float(test["label"].value_counts(normalize=True).iloc[0]), 4),
            "default": evaluate(name, scores, gold, default.thresholds),
            "accurate": evaluate(name, acc_scores, gold[acc_sub], accurate.thresholds),
        }
        if len(acc_sub) < len(texts):
            row["default_on_accurate_subsample"] = evaluate(
                name, scores[acc_sub], gold[acc_sub], default.thresholds
            )
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


NEWS_SET = "zh_news_sentences"
NEWS_HEADER = (
    "| part | n | accurate acc / macro-F1 / polar | fast acc / macro-F1 / polar | SnowNLP acc / macro-F1 / polar |\n"
    "|---|---|---|---|---|"
)


def news_sentences_table() -> list[dict]:
    """The held-back part (test split) of the project's reader-labelled Chinese news sentences,
    all of it and the part the reader marked high-confidence; every tier on every sentence."""
    df = load_set(NEWS_SET)
    test = df[df["split"] == "test"].reset_index(drop=True)
    texts, gold = test["text"].tolist(), test["label"].to_numpy()
    high = (test["confidence"] == "high").to_numpy()
    models = {
        "accurate": get_model("zh-accurate"),
        "default": get_model("zh-default"),
        "baseline": get_model("snownlp"),
    }
    scores = {k: m.score(texts) for k, m in models.items()}
    rows = []
    for part, mask in (("all", np.ones(len(gold), dtype=bool)), ("high-confidence", high)):
        row = {"part": part, "n": int(mask.sum())}
        for k, m in models.items():
            row[k] = evaluate(NEWS_SET, scores[k][mask], gold[mask], m.thresholds)
        rows.append(row)
        a, d, b = row["accurate"], row["default"], row["baseline"]
        print(
            f"| {part} | {row['n']} | {a['accuracy']:.3f} / {a['macro_f1']:.3f} / {a['polar_accuracy']:.3f} | "
            f"{d['accuracy']:.3f} / {d['macro_f1']:.3f} / {d['polar_accuracy']:.3f} | "
            f"{b['accuracy']:.3f} / {b['macro_f1']:.3f} / {b['polar_accuracy']:.3f} |",
            flush=True,
        )
    return rows


def _fmt_set_row(r: dict) -> str:
    d, a, b = r["default"], r["accurate"], r["baseline"]
    return (
        f"| {r['set']} | {r['n_test']} | {r['always_guess_accuracy']:.3f} | "
        f"{a['accuracy']:.3f} / {a['macro_f1']:.3f} / {a['polar_accuracy']:.3f} (n={a['n']}) | "
        f"{d['accuracy']:.3f} / {d['macro_f1']:.3f} / {d['polar_accuracy']:.3f} | "
        f"{r['baseline_name']} (n={b['n']}) | "
        f"{b['accuracy']:.3f} / {b['macro_f1']:.3f} / {b['polar_accuracy']:.3f} |"
    )


SET_HEADER = (
    "| set | n_test | always-guess acc | accurate acc / macro-F1 / polar | fast acc / macro-F1 / polar | "
    "baseline | baseline acc / macro-F1 / polar |\n|---|---|---|---|---|---|---|"
)


def sample_table() -> dict:
    """The sample article's sentences: each tier and the baseline against a reader's labels."""
    from analysis.structure import parse_document

    sentences = [s.text for s in parse_document(SAMPLE.read_text(encoding="utf-8")).sentences]
    if len(sentences) != len(SAMPLE_GOLD):
        raise SystemExit(f"error: the sample has {len(sentences)} sentences, expected {len(SAMPLE_GOLD)}")
    out: dict = {"gold": list(SAMPLE_GOLD), "sentences": sentences, "models": {}}
    for tier, name in (("accurate", "en-accurate"), ("fast", "en-default"), ("baseline", "vader")):
        model = get_model(name)
        scores = model.score(sentences)
        labels = [model.thresholds.label(float(x)) for x in scores]
        agree = sum(a == b for a, b in zip(labels, SAMPLE_GOLD, strict=True))
        counts = {k: labels.count(k) for k in ("positive", "neutral", "negative")}
        nev = (counts["positive"] - counts["negative"]) / len(labels)
        out["models"][tier] = {
            "model": f"{model.name}@{model.version}",
            "scores": [round(float(x), 3) for x in scores],
            "labels": labels,
            "agree": agree,
            "nev": round(nev, 4),
        }
        print(f"| {tier} | {model.name} | {agree}/{len(labels)} | {nev * 100:+.1f}% |", flush=True)
    return out


def accurate_speed() -> dict:
    """A 60-sentence Chinese article (news sentences from the test split) analysed end to end by
    the accurate tier: in a fresh process (model load included) and again with a cold text cache."""
    from analysis.sentences import split_sentences
    from analysis.structure import parse_document

    df = load_set("zh_bdci2019_news")
    test = df[df["split"] == "test"]["text"].tolist()
    sentences: list[str] = []
    for t in (test[i] for i in _hash_order(test)):
        # Each ends with a full stop, so the article parser splits exactly there.
        sentences += [s if s[-1] in "。！？!?" else s + "。" for s in split_sentences(t) if 8 <= len(s) <= 80]
        if len(sentences) >= 60:
            break
    article = "\n\n".join("".join(sentences[i : i + 3]) for i in range(0, 60, 3))
    n_parsed = len(parse_document(article).sentences)
    if n_parsed != 60:
        raise SystemExit(f"error: the speed article parses into {n_parsed} sentences, not 60")
    code = (
        "import sys, time\n"
        "t0 = time.perf_counter()\n"
        "from analysis.pipeline import analyze_text\n"
        "a = analyze_text(sys.stdin.read())\n"
        "t1 = time.perf_counter()\n"
        "print(len(a.sentences), a.model.name, round(t1 - t0, 3))\n"
    )
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code], input=article, cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append((time.perf_counter() - t0, proc.stdout.split()))
    wall, (n, model, in_process) = min(runs, key=lambda r: r[0])
    out = {
        "sentences": int(n),
        "model": model,
        "fresh_process_s": round(wall, 2),
        "import_to_result_s": float(in_process),
    }
    weibo = load_set("zh_cluemotion_weibo")["text"].tolist()
    weibo = [weibo[i] for i in _hash_order(weibo)[:200]]
    model_ = get_model("zh-accurate")
    model_.score(["预热"])
    t0 = time.perf_counter()
    model_.score([w + " " for w in weibo])  # a space: not in the embedding cache
    out["weibo_posts_per_s"] = round(len(weibo) / (time.perf_counter() - t0), 1)
    print(json.dumps(out), flush=True)
    return out


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


def lodo_table(distill: bool) -> list[dict]:
    """Leave one Chinese domain out: train on the others' train split, test on its test split.
    With `distill`, the fast model also learns from a teacher (accurate tier, linear head) that was
    itself trained without the held-out domain, on a pool without that domain's texts."""
    out = []
    cache = load_cache() if distill else {}
    for name, info in SETS.items():
        if info.lang != "zh":
            continue
        teacher = None
        if distill:
            teacher, _ = train_encoder.train_language(
                "zh", cache, verbose=False, exclude=(name,), linear_only=True
            )
        model, _ = train_language(
            "zh",
            exclude=(name,),
            verbose=False,
            max_rows=LODO_MAX_ROWS,
            max_iter=LODO_MAX_ITER,
            distill=distill,
            teacher=teacher,
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


def lodo_mean(rows: list[dict]) -> float:
    """Mean leave-one-domain-out polar accuracy (the fast tier's generalisation target)."""
    return float(np.mean([r["polar_accuracy"] for r in rows])) if rows else float("nan")


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


def target_rows(
    sets: list[dict], sample: dict | None = None, speed: dict | None = None, lodo: list[dict] | None = None
) -> list[dict]:
    """TARGETS against each tier's test-split figures, plus the sample article and speed."""
    out = []
    for tier, name, metric, target in TARGETS:
        d = next(r[tier] for r in sets if r["set"] == name)
        out.append(
            {
                "tier": "fast" if tier == "default" else tier,
                "set": name,
                "metric": metric,
                "target": target,
                "measured": d[metric],
                "accuracy": d["accuracy"],
                "polar_accuracy": d["polar_accuracy"],
                "met": bool(d[metric] >= target),
            }
        )
    if sample is not None:
        agree = sample["models"]["accurate"]["agree"]
        out.append(_other_target("accurate", "sample article", "sentences agreeing", SAMPLE_TARGET, agree))
    if lodo:
        out.append(
            _other_target(
                "fast", "leave one domain out (zh)", "mean polar accuracy", 0.76, round(lodo_mean(lodo), 4)
            )
        )
    if speed is not None:
        acc = speed.get("accurate", {})
        if acc:
            t = acc["fresh_process_s"]
            out.append(
                _other_target("accurate", "60-sentence zh article", "seconds (fresh process)", 4.0, t, True)
            )
        thr = speed["throughput"]
        ratio = min(thr[n]["ratio"] for n in ("zh_bdci2019_news", "zh_cluemotion_weibo"))
        out.append(_other_target("fast", "speed vs SnowNLP", "ratio (same texts, same run)", 30.0, ratio))
        first = speed["latency"]["zh-default"]["first_sentence_s"]
        out.append(_other_target("fast", "fresh process", "seconds to first text", 1.5, first, True))
    return out


def _fmt_target(t: dict) -> str:
    sign = "≤" if t.get("at_most") else "≥"
    fmt = lambda v: "—" if v is None else (f"{v:.3f}" if isinstance(v, float) and v <= 1 else f"{v}")  # noqa: E731
    return (
        f"| {t.get('tier', 'fast')} | {t['set']} | {sign} {t['target']} | {t['metric']} | {fmt(t['measured'])} | "
        f"{fmt(t['accuracy'])} | {fmt(t['polar_accuracy'])} | {'yes' if t['met'] else '**no**'} |"
    )


def _other_target(
    tier: str, what: str, metric: str, target: float, value: float, at_most: bool = False
) -> dict:
    met = value <= target if at_most else value >= target
    return {
        "tier": tier,
        "set": what,
        "metric": metric,
        "target": target,
        "at_most": at_most,
        "measured": value,
        "accuracy": None,
        "polar_accuracy": None,
        "met": bool(met),
    }


def previous_fast(card: dict) -> dict | None:
    """The fast tier's test figures of the last benchmark run with another fast version (kept
    across runs), so the card can show what distillation changed."""
    try:
        old = json.loads(CARD_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    old_version = old.get("models", {}).get("zh-default", {}).get("version")
    if old_version and old_version != card["models"]["zh-default"]["version"]:
        return {
            "version": old_version,
            "generated_at": old.get("generated_at"),
            "sets": {r["set"]: r["default"] for r in old.get("sets", [])},
        }
    return old.get("previous_fast")


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
        "| tier | set | target | compared on | measured | 3-label acc | polar acc | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [_fmt_target(t) for t in card.get("targets", [])]
    sample = card.get("sample")
    if sample:
        lines += [
            "",
            "### The sample article against a reader's labels (a test set: never trained or tuned on)",
            "",
            "| # | reader | " + " | ".join(sample["models"]) + " |",
            "|---|---|" + "---|" * len(sample["models"]),
        ]
        for i, gold in enumerate(sample["gold"]):
            cells = []
            for m in sample["models"].values():
                mark = "✓" if m["labels"][i] == gold else "✗"
                cells.append(f"{m['scores'][i]:+.2f} {m['labels'][i]} {mark}")
            lines.append(f"| {i} | {gold} | " + " | ".join(cells) + " |")
        lines.append(
            "| agree | | "
            + " | ".join(
                f"**{m['agree']}/{len(sample['gold'])}** (NEV {m['nev'] * 100:+.0f}%)"
                for m in sample["models"].values()
            )
            + " |"
        )
        lines.append("")
        lines.append(
            "Models: " + ", ".join(f"{k} = `{m['model']}`" for k, m in sample["models"].items()) + "."
        )
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
        gold_only = {r["set"]: r for r in card.get("lodo_gold_only", [])}
        lines += [
            "",
            "### Leave one domain out (Chinese, fast tier): trained without the domain, tested on it",
            "",
            f"Lighter fit than the shipped model (at most {LODO_MAX_ROWS} gold rows per set, "
            f"{LODO_MAX_ITER} L-BFGS iterations), band recalibrated without the held-out set. "
            "Gold only is the 1.1.0 recipe; distilled adds the labels of a teacher (accurate tier, "
            "linear head) trained without the held-out domain, on a pool without its texts.",
            "",
            "| held-out set | n | gold only: acc / macro-F1 / polar | distilled: acc / macro-F1 / polar |",
            "|---|---|---|---|",
        ]
        for r in card["lodo"]:
            g = gold_only.get(r["set"])
            before = f"{g['accuracy']:.3f} / {g['macro_f1']:.3f} / {g['polar_accuracy']:.3f}" if g else "—"
            lines.append(
                f"| {r['set']} | {r['n']} | {before} | "
                f"{r['accuracy']:.3f} / {r['macro_f1']:.3f} / {r['polar_accuracy']:.3f} |"
            )
        mean_gold = lodo_mean(card.get("lodo_gold_only", []))
        lines.append(f"| **mean polar** | | **{mean_gold:.3f}** | **{lodo_mean(card['lodo']):.3f}** |")
    previous = card.get("previous_fast")
    if previous:
        lines += [
            "",
            f"### Fast tier before and after distillation (test split): {previous['version']} → "
            f"{card['models']['zh-default']['version']}",
            "",
            f"{previous['version']} as measured by the previous benchmark run ({previous['generated_at']}).",
            "",
            "| set | before: acc / macro-F1 / polar | after: acc / macro-F1 / polar | polar gain |",
            "|---|---|---|---|",
        ]
        for r in card["sets"]:
            b, a = previous["sets"].get(r["set"]), r["default"]
            if not b:
                continue
            lines.append(
                f"| {r['set']} | {b['accuracy']:.3f} / {b['macro_f1']:.3f} / {b['polar_accuracy']:.3f} | "
                f"{a['accuracy']:.3f} / {a['macro_f1']:.3f} / {a['polar_accuracy']:.3f} | "
                f"{a['polar_accuracy'] - b['polar_accuracy']:+.3f} |"
            )
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
    ]
    acc = sp.get("accurate")
    if acc:
        lines += [
            f"- Accurate tier: a {acc['sentences']}-sentence Chinese article analysed in "
            f"{acc['fresh_process_s']} s from process launch (model load included; "
            f"{acc['import_to_result_s']} s from import), Weibo posts at {acc['weibo_posts_per_s']}/s.",
        ]
    lines += [
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
    parser.add_argument(
        "--sets", default="", help="comma-separated set names: only these (implies --no-write)"
    )
    parser.add_argument(
        "--news-only", action="store_true", help="only the news-sentence table (implies --no-write)"
    )
    args = parser.parse_args(argv)
    t0 = time.time()
    print("## Reader-labelled Chinese news sentences, held-back part\n" + NEWS_HEADER, flush=True)
    news = news_sentences_table()
    if args.news_only:
        return 0
    only = {x.strip() for x in args.sets.split(",") if x.strip()} or None
    if only:
        args.no_write = True
    print("\n## Fixed test split\n" + SET_HEADER, flush=True)
    sets, sweep = per_set_table(args.snownlp_cap, only, args.accurate_cap)
    if only:
        return 0
    print(
        "\n## Sample article vs a reader's labels\n| tier | model | agree | NEV |\n|---|---|---|---|",
        flush=True,
    )
    sample = sample_table()
    print("\n## Linguistic cases\n" + CASE_HEADER, flush=True)
    cases = cases_table()
    lodo: list[dict] = []
    lodo_gold: list[dict] = []
    if not args.quick:
        print(
            "\n## Leave one domain out\n| held-out set | n | accuracy | macro-F1 | polar acc |\n|---|---|---|---|---|"
        )
        lodo_gold = lodo_table(distill=False)
        print(f"| mean (gold only, the 1.1.0 recipe) | | | | {lodo_mean(lodo_gold):.3f} |")
        lodo = lodo_table(distill=True)
        print(f"| mean (distilled, the 1.2.0 recipe) | | | | {lodo_mean(lodo):.3f} |")
    print("\n## Accurate tier: a 60-sentence Chinese article", flush=True)
    acc_speed = accurate_speed()
    print("\n## Throughput (same texts, same run)")
    speed = {"throughput": throughput(), "latency": latency_and_memory(), "accurate": acc_speed}
    print(json.dumps(speed, indent=2))
    targets = target_rows(sets, sample, speed, lodo)
    print("\n## Targets\n| tier | set | target | compared on | measured | 3-label acc | polar acc | met |")
    print("|---|---|---|---|---|---|---|---|")
    for t in targets:
        print(_fmt_target(t))
    models = {}
    for name in ("zh-accurate", "en-accurate", "zh-default", "en-default", "snownlp", "vader"):
        m = get_model(name)
        models[name] = {"version": m.version, "lang": m.lang, "thresholds": m.thresholds.as_dict()}
    card = {
        "generated_by": "python scripts/benchmark_sentiment.py",
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "split": "md5(text) % 100 < 20 → test",
        "snownlp_cap": args.snownlp_cap,
        "models": models,
        "sets": sets,
        "news_sentences": news,
        "targets": targets,
        "sample": sample,
        "cases": cases,
        "lodo": lodo,
        "lodo_gold_only": lodo_gold,
        "band_sweep": sweep,
        "speed": speed,
        "seconds": round(time.time() - t0, 1),
    }
    card["previous_fast"] = previous_fast(card)
    if not args.no_write:
        CARD_JSON.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_card_tables(card)
        print(f"\nwrote {CARD_JSON.relative_to(ROOT)} and refreshed MODEL_CARD.md ({card['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
