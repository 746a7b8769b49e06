"""Write the sample's ready scores and analysis (analysis/data/sample_ready_*).

    python scripts/build_ready_scores.py

Runs the accurate tier over the sample article as its first pages do (sentences, emotions, entity
clauses) and keeps every encoder output by model key and text hash. A fresh library stores them
before analysing the sample, so a fresh server's first visitor does not wait for the sample's
embedding (issue 20); the ready analysis spares it the pipeline's first run, used only while it
is exactly what the pipeline gives with the current models. Run it again whenever a model's version changes;
tests/test_ready_scores.py fails while the file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.intake import (  # noqa: E402
    READY_ANALYSIS_PATH,
    READY_SCORES_PATH,
    build_ready_analysis,
    build_ready_scores,
)

SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"


def main() -> int:
    ready = build_ready_scores(SAMPLE)
    READY_SCORES_PATH.write_text(json.dumps(ready, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    count = sum(len(v) for v in ready["scores"].values())  # type: ignore[union-attr]
    print(f"{READY_SCORES_PATH.relative_to(ROOT)}: {count} scores under {len(ready['scores'])} model keys")  # type: ignore[arg-type]
    READY_ANALYSIS_PATH.write_bytes(build_ready_analysis(SAMPLE))
    print(f"{READY_ANALYSIS_PATH.relative_to(ROOT)}: the sample's analysis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
