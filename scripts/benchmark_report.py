"""Time the briefing (issue 19) once the analysis is in hand: a 60-sentence article's brief as
HTML (cold: the first in a process, which compresses Plotly's bundle once; warm: the next),
as PDF (headless Chromium, the Han text fix included) and as Markdown; and the HTML's size.

    python scripts/benchmark_report.py            # targets: HTML <= 3 s, PDF <= 6 s, HTML <= 5 MB

The analysis itself (sentence scoring) is done before the clock starts, as when a stored
article's brief is made in the app.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
TARGET_SENTENCES = 60


def article_text() -> str:
    """The sample article, its body repeated as more groups until it has 60 sentences or more."""
    from analysis.structure import parse_document

    text = SAMPLE.read_text(encoding="utf-8")
    body = text
    while len(parse_document(body).sentences) < TARGET_SENTENCES:
        body += "\n\n" + text.split("\n", 1)[1]
    return body


def main() -> int:
    from analysis.briefing import article_brief, render
    from analysis.briefing.pdf import pdf_unavailable
    from analysis.emotion.models import EmotionModelError
    from analysis.pipeline import analyze_text

    text = article_text()
    try:
        analysis = analyze_text(text)
    except EmotionModelError:
        analysis = analyze_text(text, emotions=False)
    print(f"article: {len(analysis.sentences)} sentences, emotions {'on' if analysis.emotions else 'off'}")
    rows = []
    for label, fmt in (("html cold", "html"), ("html warm", "html"), ("markdown", "md"), ("pdf", "pdf")):
        if fmt == "pdf" and (why := pdf_unavailable()):
            rows.append((label, None, 0, why))
            continue
        began = time.perf_counter()
        data = render(article_brief(analysis, lang="zh", article_id=1), fmt)  # type: ignore[arg-type]
        rows.append((label, time.perf_counter() - began, len(data), ""))
    for label, seconds, size, note in rows:
        shown = f"{seconds:6.2f} s" if seconds is not None else "   n/a  "
        print(f"{label:<10} {shown}  {size / 1e6:6.2f} MB  {note}")
    html = next(r for r in rows if r[0] == "html warm")
    pdf = next(r for r in rows if r[0] == "pdf")
    print(
        f"targets: html <= 3 s: {'ok' if html[1] <= 3 else 'MISSED'}; "
        f"pdf <= 6 s: {'ok' if pdf[1] is not None and pdf[1] <= 6 else 'MISSED'}; "
        f"html <= 5 MB: {'ok' if html[2] <= 5_000_000 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
