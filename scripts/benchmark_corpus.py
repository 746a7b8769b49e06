"""Benchmark the corpus path: `python -m analysis timeline` on N posts of ~50 Chinese characters.

    python scripts/benchmark_corpus.py [--rows 1000000] [--model default] [--stages-only]
                                       [--no-entities | --entities-only]

1. Builds N posts (default 1,000,000) by recombining real sentences of the shared Chinese sentiment
   sets (Weibo, food delivery, stock forum) into ~50-character posts with random times over five
   months and random engagement; writes them as CSV (reused from a cache folder when present).
2. Times each of our own stages on the file without the sentiment model (read, time parsing,
   cleaning, de-duplication, language detection, aggregation), to show they are not the bottleneck.
3. Runs the real CLI in a child process pinned to one core (`taskset -c 0`), measuring wall time
   and peak RSS (the child's own, `os.wait4`).
4. Scores the same 1,000-post sample with SnowNLP and with the chosen model in this process, and
   prints the speed ratio.
   Emotions (issue 18): the CLI runs twice in the same run, `timeline` and `timeline --emotions`
   (every post also read by the fast emotion tier, one count column per emotion), each pinned to
   one core; both are printed with their ratio, and the target applies with emotions.
5. The entity pass (issue 13): the same posts with aliases of the entity table put into 30% of
   them (scripts/benchmark_entities.py builds that file), through `python -m analysis timeline`
   and `python -m analysis entities` (the same chunk loop plus `EntityAccumulator`), each pinned to
   one core in this run; prints the CPU seconds of both and their ratio.
Targets (issue 5): 1,000,000 posts scored and aggregated by day in <= 60 s, peak memory <= 1.5 GB
(issue 18: with emotions).
Target (issue 13): entity extraction adds <= 15% to the timeline on one core.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's analysis package, whatever is installed
SHARED = Path(os.environ.get("OPINION_LENS_SHARED", ROOT.parent / "shared")) / "data" / "sentiment"
SOURCES = ("zh_cluemotion_weibo.csv", "zh_waimai10k.csv", "zh_finfe_stockforum.csv")


def _fragments() -> list[str]:
    pieces: list[str] = []
    for name in SOURCES:
        path = SHARED / name
        if not path.exists():
            continue
        for text in pd.read_csv(path, dtype=str)["text"].dropna():
            pieces += [p for p in re.split(r"(?<=[。！？!?，,；;])", text) if 4 <= len(p) <= 40]
    if not pieces:
        raise SystemExit(f"no Chinese sentiment sets found under {SHARED}")
    return pieces


def build_corpus(path: Path, rows: int, seed: int = 5) -> None:
    """~50-character posts from recombined real fragments; times over 2020-01-01 .. 2020-05-31."""
    rng = np.random.default_rng(seed)
    pieces = np.array(_fragments(), dtype=object)
    lengths = np.array([len(p) for p in pieces])
    texts: list[str] = []
    batch = 100_000
    for start in range(0, rows, batch):
        size = min(batch, rows - start)
        picks = rng.integers(0, len(pieces), size=(size, 6))
        cum = np.cumsum(lengths[picks], axis=1)
        take = np.minimum((cum < 50).sum(axis=1) + 1, 6)  # fragments until ~50 characters
        for row, k in zip(picks, take, strict=True):
            texts.append("".join(pieces[row[:k]]))
    span = int(pd.Timedelta(days=152).total_seconds())
    seconds = rng.integers(0, span, size=rows)
    times = (pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")).strftime("%Y-%m-%d %H:%M:%S")
    frame = pd.DataFrame(
        {
            "text": texts,
            "time": times,
            "likes": rng.zipf(2.0, size=rows).clip(max=10**6) - 1,
            "reposts": rng.zipf(2.5, size=rows).clip(max=10**6) - 1,
        }
    )
    frame.to_csv(path, index=False)


def stage_profile(path: Path, chunk_size: int = 50_000) -> dict[str, float]:
    """Seconds per stage of our own code over the whole file (no sentiment model)."""
    from analysis.corpus.aggregate import TimelineAccumulator, engagement_weight, period_start
    from analysis.corpus.clean import CleanReport, Deduplicator, clean_texts
    from analysis.corpus.ingest import open_table, parse_counts
    from analysis.corpus.scoring import detect_langs
    from analysis.corpus.timeparse import parse_times

    stages = dict.fromkeys(("read", "time_parse", "clean", "dedupe", "lang_detect", "aggregate"), 0.0)
    dedupe = Deduplicator()
    acc = TimelineAccumulator("D")
    t = time.perf_counter()
    table = open_table(path)
    chunks = table.iter_chunks(chunk_size)
    while True:
        chunk = next(chunks, None)
        stages["read"] += time.perf_counter() - t
        if chunk is None:
            break
        t = time.perf_counter()
        times = parse_times(chunk["time"]).times
        stages["time_parse"] += time.perf_counter() - t
        t = time.perf_counter()
        cleaned, _ = clean_texts(chunk["text"])
        stages["clean"] += time.perf_counter() - t
        t = time.perf_counter()
        keep = dedupe.keep_mask(cleaned["text_clean"], CleanReport())
        stages["dedupe"] += time.perf_counter() - t
        t = time.perf_counter()
        langs = detect_langs(cleaned["text_clean"][keep])
        stages["lang_detect"] += time.perf_counter() - t
        t = time.perf_counter()
        # Stand-in labels (the model is timed separately): what matters here is the groupby cost.
        labels = pd.Series(np.where(langs.to_numpy() == "zh", "neutral", None), index=langs.index)
        weights = engagement_weight(
            parse_counts(chunk["likes"][keep]), None, parse_counts(chunk["reposts"][keep]), langs.index
        )
        acc.add(period_start(times[keep], "D"), labels, weights)
        stages["aggregate"] += time.perf_counter() - t
        t = time.perf_counter()
    acc.result()
    return stages


def model_ratio(path: Path, model: str, sample: int = 1000) -> tuple[float, float]:
    """Posts per second of SnowNLP and of `model` on the same sample."""
    from analysis.sentiment import Scorer

    texts = pd.read_csv(path, nrows=sample, dtype=str)["text"].tolist()
    rates = []
    for name in ("snownlp", model):
        scorer_model = Scorer(name, workload="corpus").model_for("zh")
        scorer_model.score(texts[:5])  # load and warm up outside the timing
        t = time.perf_counter()
        scorer_model.score(texts)
        rates.append(len(texts) / (time.perf_counter() - t))
    return rates[0], rates[1]


def emotion_rate(path: Path, sample: int = 10_000) -> float:
    """Posts per second of the fast emotion tier alone (EmotionReader("fast").labels); in the
    timeline it shares the sentiment model's feature pass, so it costs less there."""
    from analysis.emotion import EmotionReader

    texts = pd.read_csv(path, nrows=sample, dtype=str)["text"].fillna("").tolist()
    reader = EmotionReader("fast")
    reader.labels(texts[:5], ["zh"] * 5)  # load outside the timing
    t = time.perf_counter()
    reader.labels(texts, ["zh"] * len(texts))
    return len(texts) / (time.perf_counter() - t)


# `python -m analysis ...` that writes its own peak RSS (VmHWM) last on stderr. Not the rusage of
# os.wait4: Linux carries the parent's resident size at the fork into the child's ru_maxrss across
# exec, and this process holds a million posts by then.
_CLI_WITH_PEAK = """
import runpy, sys
sys.argv[0] = "analysis"
try:
    runpy.run_module("analysis", run_name="__main__", alter_sys=True)
finally:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("\\npeak-rss-kb " + line.split()[1] + "\\n")
"""
_PEAK_LINE = re.compile(r"\n?peak-rss-kb (\d+)\n?$")


def run_cli(
    path: Path, model: str, out: Path, command: str = "timeline", extra: tuple[str, ...] = ()
) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + sys: what the run costs even when other processes share
    the core), peak RSS (MB) and exit status of a posts command (timeline, entities) pinned to
    core 0; CPU is that child's own (os.wait4), memory its own peak (VmHWM, _CLI_WITH_PEAK). `extra`:
    more arguments (--emotions)."""
    cmd = [sys.executable, "-c", _CLI_WITH_PEAK, command, str(path), "--time-column", "time", "--freq", "D"]
    cmd += ["--model", model, "--out", str(out), *extra]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read()
    found = _PEAK_LINE.search(message)
    peak_mb = int(found.group(1)) / 1024 if found else float("nan")
    message = _PEAK_LINE.sub("", message).strip()
    if proc.returncode != 0:
        print(message, file=sys.stderr)
    else:
        print(f"  {command}:", message)
    return wall, usage.ru_utime + usage.ru_stime, peak_mb, proc.returncode


def entity_overhead(base: Path, model: str, cache: Path) -> None:
    """Timeline and entities commands on the same posts (30% naming table entities), one core each."""
    from benchmark_entities import _posts_with_entities  # the entity benchmark's posts

    path = cache / f"posts_entities_{base.stem.split('_')[-1]}.csv"
    if not path.exists():
        _posts_with_entities(base, path)
    print(f"entity pass: {path.name} (30% of the posts given one or two aliases of the entity table)")
    runs = {c: run_cli(path, model, cache / f"{c}_entities.csv", c) for c in ("timeline", "entities")}
    for command, (wall, cpu, peak_mb, status) in runs.items():
        print(
            f"{command:9s} CLI on one core: {cpu:.1f} s CPU, {wall:.1f} s wall, peak RSS {peak_mb:,.0f} MB, exit {status}"
        )
    (_, tl_cpu, _, tl_status), (_, ent_cpu, _, ent_status) = runs["timeline"], runs["entities"]
    if tl_status == 0 and ent_status == 0 and tl_cpu > 0:
        ratio = ent_cpu / tl_cpu
        verdict = "meets" if ratio <= 1.15 else "misses"
        print(
            f"entities / timeline CPU ratio {ratio:.3f}: the entity pass adds {100 * (ratio - 1):+.1f}% "
            f"-> {verdict} the target (<= 15%)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "opinion_lens_bench"))
    parser.add_argument(
        "--stages-only", action="store_true", help="skip the CLI run (e.g. while the model is slow)"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-entities", action="store_true", help="skip the entity pass (step 5)")
    which.add_argument("--entities-only", action="store_true", help="only the entity pass (step 5)")
    args = parser.parse_args()

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"posts_{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        build_corpus(path, args.rows)
        print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
    mean_len = pd.read_csv(path, nrows=10_000, dtype=str)["text"].str.len().mean()
    print(f"corpus: {args.rows:,} posts, mean {mean_len:.1f} characters, {path.stat().st_size / 1e6:.0f} MB")
    if args.entities_only:
        entity_overhead(path, args.model, cache)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return

    stages = stage_profile(path)
    total = sum(stages.values())
    print(f"our stages without the model (this process, {total:.1f} s, {args.rows / total:,.0f} posts/s):")
    for name, secs in stages.items():
        print(f"  {name:12s} {secs:6.2f} s")

    snow, fast = model_ratio(path, args.model)
    print(
        f"model speed on 1,000 posts: snownlp {snow:,.0f} posts/s; {args.model} {fast:,.0f} posts/s; ratio {fast / snow:,.1f}x"
    )
    print(f"emotion speed on 10,000 posts (fast tier, alone): {emotion_rate(path):,.0f} posts/s")

    if args.stages_only:
        return
    runs = {
        "without emotions": run_cli(path, args.model, cache / "timeline.csv"),
        "with emotions": run_cli(path, args.model, cache / "timeline_emotions.csv", extra=("--emotions",)),
    }
    for name, (wall, cpu, peak_mb, status) in runs.items():
        verdict = "meets" if status == 0 and wall <= 60 and peak_mb <= 1536 else "misses"
        print(
            f"timeline CLI on one core, {name}: {wall:.1f} s wall ({cpu:.1f} s CPU), "
            f"{args.rows / wall:,.0f} posts/s, peak RSS {peak_mb:,.0f} MB, exit {status} -> {verdict} "
            f"the target (<= 60 s, <= 1.5 GB); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    (_, plain_cpu, _, plain_status), (_, emo_cpu, _, emo_status) = runs.values()
    if plain_status == 0 and emo_status == 0 and plain_cpu > 0:
        print(
            f"with / without emotions CPU ratio {emo_cpu / plain_cpu:.3f} ({emo_cpu - plain_cpu:+.1f} s CPU)"
        )
    if not args.no_entities:
        entity_overhead(path, args.model, cache)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
