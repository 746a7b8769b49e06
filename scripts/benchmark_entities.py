"""Benchmark entity extraction and entity-level sentiment (issue 13).

    python scripts/benchmark_entities.py [--models accurate fast] [--rows 1000000] [--skip-speed]
                                         [--timeline-cpu SECONDS]

1. Detection on the hand-annotated test set (tests/data/entities/entity_sentiment_gold.csv, see its
   README): precision and recall of *known* mentions (the alias table) and of *detected* ones
   (jieba POS tags, capitalised English spans), each sentence read as its own document. A
   prediction matches a gold entity by exact surface (case-insensitive, possessive dropped) or,
   in the lenient count, by overlapping it. Known recall is over the gold entities whose surface
   the table lists; detected recall over the others; overall recall over all of them.
2. Target sentiment: every gold entity gets (a) the sentence's label (the baseline) and (b) the
   clause-level label of `analysis.entities.attribute`, both from the same scorer in the same run,
   with the gold entity spans as mentions (so detection errors do not blur the comparison).
   Accuracy overall, on the contrast sentences (two entities of opposite gold sentiment) and on the
   mixed sentences (entities with different gold sentiment), with 95% Wilson intervals.
3. Speed of the posts path: N synthetic posts (the corpus benchmark's posts, 30% of them given one
   or two aliases of the table), `EntityAccumulator` over 50,000-post chunks, CPU seconds on one
   core, against the CPU seconds of `python -m analysis timeline` on the same file pinned to one
   core (`--timeline-cpu` reuses a measured figure instead). Target: entities add <= 15%.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from analysis.entities import (  # noqa: E402
    EntityAccumulator,
    Mention,
    attribute,
    clause_scorer,
    default_table,
    find_mentions,
)
from analysis.metrics import wilson_interval  # noqa: E402

GOLD = ROOT / "tests" / "data" / "entities" / "entity_sentiment_gold.csv"
SHORT = {"positive": "pos", "neutral": "neu", "negative": "neg"}


def _norm(surface: str) -> str:
    s = re.sub(r"\s+", " ", surface).strip().casefold()
    return re.sub(r"(?:'s|’s|'|’)$", "", s)


def load_gold() -> pd.DataFrame:
    frame = pd.read_csv(GOLD, dtype={"id": str, "text": str, "entities": str})
    frame["gold"] = frame["entities"].map(json.loads)
    return frame


def _spans(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(surface), text)]


# --- detection -------------------------------------------------------------------------------------


def detection(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    table = default_table()
    predicted = [find_mentions([t], table)[0] for t in frame["text"]]
    tally: Counter[str] = Counter()
    for text, gold, mentions in zip(frame["text"], frame["gold"], predicted, strict=True):
        gold_items = {_norm(g["text"]): g["text"] for g in gold}
        gold_spans = {k: _spans(text, v) for k, v in gold_items.items()}
        listed = {k for k, v in gold_items.items() if table.resolve(v) is not None}
        preds: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for m in mentions:
            preds.setdefault((m.kind, _norm(m.text)), []).append((m.start, m.end))
        found_exact: dict[str, set[str]] = {"known": set(), "detected": set()}
        found_overlap: dict[str, set[str]] = {"known": set(), "detected": set()}
        for (kind, key), spans in preds.items():
            tally[f"{kind}_pred"] += 1
            if key in gold_items:
                tally[f"{kind}_tp_exact"] += 1
                found_exact[kind].add(key)
            hit = [g for g, gs in gold_spans.items() if any(a < d and c < b for a, b in spans for c, d in gs)]
            if hit:
                tally[f"{kind}_tp_overlap"] += 1
                found_overlap[kind].update(hit)
        for key in gold_items:
            group = "listed" if key in listed else "unlisted"
            tally[f"{group}_gold"] += 1
            tally["all_gold"] += 1
            path = "known" if group == "listed" else "detected"
            tally[f"{group}_found_exact"] += key in found_exact[path]
            tally[f"{group}_found_overlap"] += key in found_overlap[path]
            tally["all_found_exact"] += key in found_exact["known"] | found_exact["detected"]
            tally["all_found_overlap"] += key in found_overlap["known"] | found_overlap["detected"]

    def ratio(a: str, b: str) -> float:
        return tally[a] / tally[b] if tally[b] else float("nan")

    return {
        "known": {
            "predictions": tally["known_pred"],
            "precision": ratio("known_tp_exact", "known_pred"),
            "precision_overlap": ratio("known_tp_overlap", "known_pred"),
            "gold": tally["listed_gold"],
            "recall": ratio("listed_found_exact", "listed_gold"),
            "recall_overlap": ratio("listed_found_overlap", "listed_gold"),
        },
        "detected": {
            "predictions": tally["detected_pred"],
            "precision": ratio("detected_tp_exact", "detected_pred"),
            "precision_overlap": ratio("detected_tp_overlap", "detected_pred"),
            "gold": tally["unlisted_gold"],
            "recall": ratio("unlisted_found_exact", "unlisted_gold"),
            "recall_overlap": ratio("unlisted_found_overlap", "unlisted_gold"),
        },
        "all": {
            "gold": tally["all_gold"],
            "recall": ratio("all_found_exact", "all_gold"),
            "recall_overlap": ratio("all_found_overlap", "all_gold"),
            "table_coverage": ratio("listed_gold", "all_gold"),
        },
    }


# --- target sentiment ------------------------------------------------------------------------------


def target_sentiment(frame: pd.DataFrame, model: str) -> dict[str, object]:
    from analysis.sentiment import Scorer

    scorer = Scorer(model)
    t = time.perf_counter()
    sentence_labels = [r.label for r in scorer.score(list(frame["text"]), evidence=False)]
    items = []
    for text, gold, label in zip(frame["text"], frame["gold"], sentence_labels, strict=True):
        mentions = []
        for g in gold:
            for a, b in _spans(text, g["text"])[:1]:
                mentions.append(Mention(g["text"], a, b, _norm(g["text"]), None, "known"))
        items.append((text, label, mentions))
    clause = attribute(items, clause_scorer(scorer))
    seconds = time.perf_counter() - t
    rows = []
    for (_text, label, _), att, gold, contrast in zip(
        items, clause, frame["gold"], frame["contrast"], strict=True
    ):
        golds = {_norm(g["text"]): g["sentiment"] for g in gold}
        mixed = len(set(golds.values())) > 1
        for key, want in golds.items():
            got = att.get(key)
            rows.append(
                {
                    "gold": want,
                    "baseline": label,
                    "clause": got.label if got else label,
                    "split": bool(got and got.split),
                    "contrast": bool(contrast),
                    "mixed": mixed,
                }
            )
    table = pd.DataFrame(rows)

    def acc(sub: pd.DataFrame, column: str) -> tuple[float, int, tuple[float, float] | None]:
        hits = int((sub[column] == sub["gold"]).sum())
        return (hits / len(sub) if len(sub) else float("nan"), len(sub), wilson_interval(hits, len(sub)))

    out: dict[str, object] = {"model": scorer.suite.name, "note": scorer.note, "seconds": seconds}
    for name, sub in (
        ("all", table),
        ("contrast", table[table["contrast"]]),
        ("mixed", table[table["mixed"]]),
        ("split", table[table["split"]]),
    ):
        out[name] = {"baseline": acc(sub, "baseline"), "clause": acc(sub, "clause")}
    out["split_share"] = float(table["split"].mean())
    return out


# --- posts speed -----------------------------------------------------------------------------------


def _posts_with_entities(source: Path, target: Path, share: float = 0.3, seed: int = 13) -> None:
    table = default_table()
    aliases = [a for e in table.entities.values() if e.type != "place" for a in e.aliases]
    aliases += [a for e in table.entities.values() if e.type == "place" for a in e.aliases[:1]]
    rng = np.random.default_rng(seed)
    frame = pd.read_csv(source, dtype=str)
    texts = frame["text"].fillna("").to_numpy(dtype=object)
    chosen = np.flatnonzero(rng.random(len(texts)) < share)
    picks = rng.integers(0, len(aliases), size=(len(chosen), 2))
    second = rng.random(len(chosen)) < 0.3
    for i, (a, b), two in zip(chosen, picks, second, strict=True):
        t = texts[i]
        cut = int(rng.integers(0, len(t) + 1))
        insert = aliases[a] + ("、" + aliases[b] if two else "")
        texts[i] = t[:cut] + insert + t[cut:]
    frame["text"] = texts
    frame.to_csv(target, index=False)


def entity_cpu(path: Path, chunk: int = 50_000) -> tuple[float, int, int]:
    """CPU seconds of the entity pass alone (texts already in memory, as in the timeline's loop)."""
    frame = pd.read_csv(path, dtype=str, usecols=["text", "time"])
    texts = frame["text"].fillna("")
    periods = pd.to_datetime(frame["time"]).dt.floor("D")
    rng = np.random.default_rng(1)
    labels = pd.Series(
        rng.choice(np.array(["positive", "neutral", "negative", None], dtype=object), len(frame))
    )
    default_table()  # loaded once per process, outside the timing
    acc = EntityAccumulator()
    t = time.process_time()
    for start in range(0, len(frame), chunk):
        sl = slice(start, start + chunk)
        acc.add(texts.iloc[sl], labels.iloc[sl], periods.iloc[sl])
    result = acc.result()
    return time.process_time() - t, len(result), int(result["mentions"].sum())


def timeline_cpu(path: Path, out: Path) -> tuple[float, float, int]:
    cmd = [sys.executable, "-m", "analysis", "timeline", str(path), "--time-column", "time", "--freq", "D"]
    cmd += ["--out", str(out)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        print("  timeline failed:", proc.stderr.strip().splitlines()[-1:] or proc.returncode)
    return cpu, wall, proc.returncode


# --- report ----------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "  n/a" if x != x else f"{100 * x:5.1f}%"


def _acc(a: tuple[float, int, tuple[float, float] | None]) -> str:
    value, n, ci = a
    band = f" [{100 * ci[0]:.0f}-{100 * ci[1]:.0f}]" if ci else ""
    return f"{_pct(value)}{band} (n={n})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["accurate", "fast"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--timeline-cpu", type=float, default=None, help="reuse a measured timeline CPU time")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "opinion_lens_bench"))
    args = parser.parse_args()

    frame = load_gold()
    n_ent = sum(len(g) for g in frame["gold"])
    print(
        f"test set: {len(frame)} sentences ({(frame['lang'] == 'zh').sum()} zh, {(frame['lang'] == 'en').sum()} en), "
        f"{n_ent} gold entities, {int(frame['contrast'].sum())} contrast sentences"
    )
    for lang in ("zh", "en", None):
        sub = frame if lang is None else frame[frame["lang"] == lang]
        d = detection(sub)
        print(f"\ndetection ({lang or 'all'}; exact surface, lenient overlap in brackets)")
        for kind in ("known", "detected"):
            r = d[kind]
            print(
                f"  {kind:8s} precision {_pct(r['precision'])} [{_pct(r['precision_overlap'])}] of {r['predictions']} "
                f"predictions; recall {_pct(r['recall'])} [{_pct(r['recall_overlap'])}] of {r['gold']} gold"
            )
        a = d["all"]
        print(
            f"  overall  recall {_pct(a['recall'])} [{_pct(a['recall_overlap'])}] of {a['gold']} gold; "
            f"the table lists {_pct(a['table_coverage'])} of the gold entities"
        )
    for model in args.models:
        r = target_sentiment(frame, model)
        note = f" ({r['note']})" if r["note"] else ""
        print(f"\ntarget sentiment, model {r['model']}{note}, {r['seconds']:.1f} s; accuracy [95% CI]")
        print(f"  entities whose span is a clause, not the sentence: {100 * r['split_share']:.0f}%")
        for name in ("all", "contrast", "mixed", "split"):
            m = r[name]
            print(f"  {name:9s} sentence baseline {_acc(m['baseline'])}   clause-level {_acc(m['clause'])}")

    if args.skip_speed:
        return
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    base = cache / f"posts_{args.rows}.csv"
    if not base.exists():
        from benchmark_corpus import build_corpus

        build_corpus(base, args.rows)
    path = cache / f"posts_entities_{args.rows}.csv"
    if not path.exists():
        _posts_with_entities(base, path)
    cpu, rows, mentions = entity_cpu(path)
    print(
        f"\nposts path: {args.rows:,} posts (30% given table aliases), entity pass {cpu:.1f} s CPU "
        f"({args.rows / cpu:,.0f} posts/s), {mentions:,} entity mentions in {rows:,} period-entity rows"
    )
    if args.timeline_cpu is not None:
        tl_cpu, wall, status = args.timeline_cpu, float("nan"), 0
        print(f"timeline without entities: {tl_cpu:.1f} s CPU (given)")
    else:
        tl_cpu, wall, status = timeline_cpu(path, cache / "timeline_entities.csv")
        print(f"timeline without entities (one core): {tl_cpu:.1f} s CPU, {wall:.1f} s wall, exit {status}")
    if status == 0 and tl_cpu > 0:
        share = cpu / tl_cpu
        verdict = "meets" if share <= 0.15 else "misses"
        print(f"entities add {100 * share:.1f}% to the timeline -> {verdict} the target (<= 15%)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
