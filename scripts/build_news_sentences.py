"""Build the reader-labelled Chinese news-sentence set (scripts/data/zh_news_sentences.csv).

    python scripts/build_news_sentences.py pool --out DIR      # sample the sentences, write batches
    python scripts/build_news_sentences.py assemble --work DIR # merge the readers' labels, agreement

The readers' label files and the pool are kept in scripts/data/zh_news_sentences_work/ (assemble --work
that folder reproduces the set and the agreement figures).

The guidelines the readers follow are docs/labelling/zh_news_sentences.md (which also says how the
set was made). `pool` splits public Chinese news texts into sentences with the product's own
splitter and writes a fixed-seed sample as batches for readers, plus an overlap sample that a
second reader labels blind (for agreement). `assemble` reads the readers' label files
(`id,label,confidence`), keeps the first reader's label, marks a sentence low-confidence where the
two readers disagree, and prints the agreement (raw and Cohen's kappa) on the overlap.

Sources (train-split documents only, so the shared sets' document-level test splits stay unseen):
zh_finnsp_newsneg and zh_bdci2019_news (shared/data/sentiment) and the @央视新闻 Weibo posts
(shared/data/corpora/weibo_cctvnews_2020, MIT).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.sentences import split_sentences  # noqa: E402
from analysis.sentiment.datasets import data_dir, load_set  # noqa: E402
from analysis.text.scripts import HAN  # noqa: E402

OUT_CSV = ROOT / "scripts" / "data" / "zh_news_sentences.csv"
CORPUS = (
    ROOT.parent / "shared" / "data" / "corpora" / "weibo_cctvnews_2020" / "cctvnews_weibo_posts_2020H1.csv"
)
SEED = 20261207
QUOTA = {"zh_finnsp_newsneg": 1500, "zh_bdci2019_news": 1100, "cctvnews_weibo": 1000}
BATCH = 600
OVERLAP_PER_BATCH = 50
MIN_CHARS, MAX_CHARS = 12, 150
_HAN_CHAR = HAN
_NOISE = re.compile(r"https?://|\?{3,}|#.*#|@\S|微博视频|网页链接|展开全文|\[超话\]")
LABELS = ("neg", "neu", "pos", "skip")


def _clean(sentence: str) -> str:
    sentence = re.sub(r"\{IMG:\d+\}", "", sentence)
    sentence = re.sub(r"^【[^】]{0,40}】", "", sentence.strip())
    return re.sub(r"\s+", " ", sentence).strip()


def _usable(sentence: str) -> bool:
    if not MIN_CHARS <= len(sentence) <= MAX_CHARS or _NOISE.search(sentence):
        return False
    return len(_HAN_CHAR.findall(sentence)) >= 0.6 * len(sentence.replace(" ", ""))


def candidate_sentences() -> dict[str, list[str]]:
    import pandas as pd

    out: dict[str, list[str]] = {}
    for name in ("zh_finnsp_newsneg", "zh_bdci2019_news"):
        df = load_set(name)
        texts = df.loc[df["split"] == "train", "text"].tolist()
        out[name] = [_clean(s) for t in texts for s in split_sentences(t)]
    posts = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)["text"].tolist()
    out["cctvnews_weibo"] = [_clean(s) for t in posts for s in split_sentences(t)]
    return {k: sorted({s for s in v if _usable(s)}) for k, v in out.items()}


def pool(out_dir: Path) -> int:
    rng = random.Random(SEED)
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, sentences in candidate_sentences().items():
        rng.shuffle(sentences)
        taken = [s for s in sentences if s not in seen][: QUOTA[name]]
        seen.update(taken)
        rows += [(name, s) for s in taken]
        print(f"{name}: {len(sentences)} usable sentences, {len(taken)} sampled")
    rng.shuffle(rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "pool.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "source", "text"])
        for i, (name, s) in enumerate(rows):
            w.writerow([i, name, s])
    batches = [list(range(i, min(i + BATCH, len(rows)))) for i in range(0, len(rows), BATCH)]
    for b, ids in enumerate(batches):
        # The second reader of batch b labels the first OVERLAP ids of batch b-1, blind.
        overlap = batches[b - 1][:OVERLAP_PER_BATCH] if len(batches) > 1 else []
        for kind, chosen in (("batch", ids), ("overlap", overlap)):
            with open(out_dir / f"{kind}_{b:02d}.csv", "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["id", "text"])
                for i in chosen:
                    w.writerow([i, rows[i][1]])
    print(f"{len(rows)} sentences in {len(batches)} batches of {BATCH} in {out_dir}")
    return 0


def _read_labels(path: Path) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label = row["label"].strip().lower()
            conf = (row.get("confidence") or "high").strip().lower()
            if label not in LABELS or conf not in ("high", "low"):
                raise SystemExit(f"{path}: bad row {row}")
            out[int(row["id"])] = (label, conf)
    return out


def cohen_kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def assemble(work: Path) -> int:
    with open(work / "pool.csv", encoding="utf-8") as f:
        pool_rows = {int(r["id"]): r for r in csv.DictReader(f)}
    first: dict[int, tuple[str, str]] = {}
    for path in sorted(work.glob("labels_batch_*.csv")):
        first.update(_read_labels(path))
    second: dict[int, tuple[str, str]] = {}
    for path in sorted(work.glob("labels_overlap_*.csv")):
        second.update(_read_labels(path))
    both = sorted(set(first) & set(second))
    if both:
        a = [first[i][0] for i in both]
        b = [second[i][0] for i in both]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(both)
        kept = [i for i in both if "skip" not in (first[i][0], second[i][0])]
        a3 = [first[i][0] for i in kept]
        b3 = [second[i][0] for i in kept]
        agree3 = sum(x == y for x, y in zip(a3, b3, strict=True)) / max(len(kept), 1)
        print(
            f"agreement on {len(both)} sentences labelled twice: {agree:.3f} (kappa {cohen_kappa(a, b):.3f}); "
            f"3-class on the {len(kept)} neither skipped: {agree3:.3f} (kappa {cohen_kappa(a3, b3):.3f})"
        )
        high = [i for i in kept if first[i][1] == "high"]
        if high:
            ah = sum(first[i][0] == second[i][0] for i in high) / len(high)
            print(f"  on the {len(high)} the first reader marked high-confidence: {ah:.3f}")
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    n = Counter()
    with open(OUT_CSV, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label", "confidence", "source", "double_labelled"])
        for i in sorted(first):
            label, conf = first[i]
            if label == "skip":
                n["skip"] += 1
                continue
            twice = i in second
            if twice and second[i][0] != label:
                conf = "low"
            w.writerow([pool_rows[i]["text"], label, conf, pool_rows[i]["source"], int(twice)])
            n[label] += 1
            n[conf] += 1
    print(f"wrote {OUT_CSV}: {dict(n)} (from {len(first)} labelled of {len(pool_rows)} in the pool)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pool")
    p.add_argument("--out", type=Path, required=True)
    a = sub.add_parser("assemble")
    a.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    if not data_dir().exists():
        print(f"shared sentiment data not found at {data_dir()}", file=sys.stderr)
        return 2
    return pool(args.out) if args.cmd == "pool" else assemble(args.work)


if __name__ == "__main__":
    raise SystemExit(main())
