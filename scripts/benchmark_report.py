"""Time the briefing (issue 19) once the analysis is stored: a 60-sentence article's brief as
HTML (cold: the first in a process, which compresses Plotly's bundle once; warm: the next), as
Markdown, and as PDF three ways, all in this one run:

- pdf one-shot: a fresh headless Chromium, as a CLI run (`python -m analysis report …`) pays it;
  split into launch, chart drawing (Plotly loaded into the chart page, SVGs drawn), print and
  the Han text fix;
- pdf warm: the browser already running, as in the app (one Chromium per server process);
  the median of three reports;
- pdf previous: the method before the shared browser (a fresh Chromium for the report, the
  interactive HTML printed once Plotly has drawn it in the page, pypdf rewriting the whole file
  for the text fix), for comparison.

    python scripts/benchmark_report.py                 # targets: HTML <= 3 s, PDF <= 6 s, HTML <= 5 MB
    python scripts/benchmark_report.py --no-previous   # skip the previous method (slow)

The analysis itself (sentence scoring, emotions) is done before any clock starts, as when a
stored article's brief is made in the app; every timed row builds the brief from it (its figures
included) and renders it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
TARGET_SENTENCES = 60
WARM_RUNS = 3


def article_text() -> str:
    """The sample article, its body repeated as more groups until it has 60 sentences or more."""
    from analysis.structure import parse_document

    text = SAMPLE.read_text(encoding="utf-8")
    body = text
    while len(parse_document(body).sentences) < TARGET_SENTENCES:
        body += "\n\n" + text.split("\n", 1)[1]
    return body


def _stages(stages: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in stages.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-previous", action="store_true", help="skip the previous PDF method")
    args = parser.parse_args(argv)

    from analysis.briefing import article_brief, render_html, render_markdown
    from analysis.briefing.chromium import Chromium
    from analysis.briefing.pdf import brief_to_pdf, fix_han_text_rewrite, html_to_pdf, pdf_unavailable
    from analysis.emotion.models import EmotionModelError
    from analysis.pipeline import analyze_text

    text = article_text()
    began = time.perf_counter()
    try:
        analysis = analyze_text(text)
    except EmotionModelError:
        analysis = analyze_text(text, emotions=False)
    print(
        f"article: {len(analysis.sentences)} sentences, emotions {'on' if analysis.emotions else 'off'}; "
        f"analysis stored before timing (its {time.perf_counter() - began:.1f} s excluded)"
    )
    rows: list[tuple[str, float | None, int, str]] = []

    def timed(label: str, make: Callable[[], bytes], note: str = "") -> bytes:
        start = time.perf_counter()
        data = make()
        rows.append((label, time.perf_counter() - start, len(data), note))
        return data

    brief = lambda: article_brief(analysis, lang="zh", article_id=1)  # noqa: E731
    timed("html cold", lambda: render_html(brief()).encode("utf-8"))
    timed("html warm", lambda: render_html(brief()).encode("utf-8"))
    timed("markdown", lambda: render_markdown(brief()).encode("utf-8"))
    if why := pdf_unavailable():
        rows.append(("pdf", None, 0, why))
    else:
        fresh = Chromium()
        try:
            start = time.perf_counter()
            fresh.call(lambda running: None)
            launch = time.perf_counter() - start
            stages: dict[str, float] = {}
            data = brief_to_pdf(brief(), chromium=fresh, stages=stages)
            total = time.perf_counter() - start
            rows.append(("pdf one-shot", total, len(data), f"launch {launch:.2f}, {_stages(stages)}"))
            warm: list[float] = []
            for _ in range(WARM_RUNS):
                stages = {}
                start = time.perf_counter()
                data = brief_to_pdf(brief(), chromium=fresh, stages=stages)
                warm.append(time.perf_counter() - start)
            note = f"median of {WARM_RUNS}: {', '.join(f'{w:.2f}' for w in warm)}; last: {_stages(stages)}"
            rows.append(("pdf warm", statistics.median(warm), len(data), note))
        finally:
            fresh.close()
        if not args.no_previous:
            old = Chromium()
            try:
                timed(
                    "pdf previous",
                    lambda: html_to_pdf(render_html(brief()), "zh", chromium=old, fix=fix_han_text_rewrite),
                    "fresh Chromium, Plotly drawn in the page, pypdf rewrite",
                )
            finally:
                old.close()
    for label, seconds, size, note in rows:
        shown = f"{seconds:6.2f} s" if seconds is not None else "   n/a  "
        print(f"{label:<13} {shown}  {size / 1e6:6.2f} MB  {note}")
    html = next(r for r in rows if r[0] == "html warm")
    pdfs = {r[0]: r[1] for r in rows if r[0].startswith("pdf")}
    ok = lambda s, limit: "ok" if s is not None and s <= limit else "MISSED"  # noqa: E731
    print(
        f"targets: html <= 3 s: {ok(html[1], 3)}; pdf <= 6 s: warm {ok(pdfs.get('pdf warm'), 6)}, "
        f"one-shot {ok(pdfs.get('pdf one-shot'), 6)}; html <= 5 MB: {ok(html[2], 5_000_000)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
