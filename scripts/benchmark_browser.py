"""Browser speed and memory of the dashboard, measured in a real Chromium.

    python scripts/benchmark_browser.py [--switch-rounds 3] [--warm-loads 3]

Starts `streamlit run dashboard.py` on a free port with an empty temporary library (the same code
the browser tests use, tests/browser/server.py), then measures:

1. first load of the Overview: from navigation start until the NEV gauge is drawn and the script
   has finished (cold = the server's first session, models loading; warm = a new session later);
2. switching pages with the sidebar links: click until the new page's run has finished, for every
   page, median and max over the rounds;
3. the server's resident memory (itself and its children) after every page has been drawn.

Times are taken in the page's own clock (performance.now()), so they include the browser drawing.
Needs Chromium at /usr/bin/chromium (or OPINION_LENS_CHROMIUM) and the test extras (playwright,
psutil). Prints a Markdown table; targets from issue 5: first load <= 4 s, page switch < 1 s,
memory < 600 MB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from flows import load_sample_corpus  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from server import (  # noqa: E402 -- the shared helpers live beside the browser tests
    exceptions_on,
    go_to_page,
    launch_chromium,
    nav_paths,
    new_page,
    open_app,
    start_server,
    time_first_load,
)

FIRST_LOAD_TARGET_S = 4.0
SWITCH_TARGET_S = 1.0
RSS_TARGET_MB = 600.0


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def _first_load(page: Page, url: str) -> tuple[float, float]:
    """(ms until the gauge is drawn and the script idle, ms until the script finished), both from
    navigation start; the difference is the browser loading Plotly and drawing the charts."""
    gauge_ms = time_first_load(page, url)
    states = page.evaluate("window.__olStates")
    script_ms = max((t for t, state in states if state == "notRunning"), default=float("nan"))
    return gauge_ms, float(script_ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--switch-rounds", type=int, default=3, help="visits of every page (default 3)")
    parser.add_argument("--warm-loads", type=int, default=3, help="warm first loads (default 3)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="opinion-lens-bench-"))
    started = time.perf_counter()
    server = start_server(workdir)
    server_start_s = time.perf_counter() - started
    rows: list[tuple[str, str, str, str]] = []
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            # (gauge drawn, script finished) in ms from navigation start, per kind of first load.
            page = new_page(browser)
            cold = [_first_load(page, server.url)]
            page.context.close()
            fresh, revisit = [], []
            for _ in range(args.warm_loads):
                page = new_page(browser)  # a new visitor: empty browser cache, new Streamlit session
                fresh.append(_first_load(page, server.url))
                # The same visitor opening the app again: the frontend's scripts come from the cache.
                revisit.append(_first_load(page, server.url))
                page.context.close()
            for label, loads in (
                ("first load, cold server (models load)", cold),
                (f"first load, new visitor (median of {len(fresh)})", fresh),
                (f"first load, returning visitor (median of {len(revisit)})", revisit),
            ):
                gauge_ms = statistics.median(x[0] for x in loads)
                script_ms = statistics.median(x[1] for x in loads)
                rows.append(
                    (
                        label,
                        f"{gauge_ms / 1000:.2f} s (script done at {script_ms / 1000:.2f} s)",
                        "≤ 4 s",
                        _verdict(gauge_ms / 1000 <= FIRST_LOAD_TARGET_S),
                    )
                )

            page = new_page(browser)
            open_app(page, server.url)
            paths = nav_paths(page)
            # Load the sample corpus once so the posts page is measured with data, as a user sees it.
            corpus_ms = load_sample_corpus(page, paths)
            rows.append(
                ("sample corpus: click until its timeline is drawn", f"{corpus_ms / 1000:.2f} s", "—", "info")
            )
            per_page: dict[str, list[float]] = {p: [] for p in paths}
            for _ in range(args.switch_rounds):
                for path in [*paths[1:], paths[0]]:
                    per_page[path].append(go_to_page(page, path))
                    errors += [f"{path or '(default)'}: {e}" for e in exceptions_on(page)]
            rss_mb = server.rss_bytes() / 2**20
            all_switches = [ms for times in per_page.values() for ms in times]
            for path, times in per_page.items():
                worst = max(times)
                rows.append(
                    (
                        f"switch to /{path}" if path else "switch to / (overview)",
                        f"median {statistics.median(times):.0f} ms, max {worst:.0f} ms",
                        "< 1 s",
                        _verdict(worst / 1000 < SWITCH_TARGET_S),
                    )
                )
            rows.append(
                (
                    f"switch, all pages ({len(all_switches)} clicks)",
                    f"median {statistics.median(all_switches):.0f} ms, max {max(all_switches):.0f} ms",
                    "< 1 s",
                    _verdict(max(all_switches) / 1000 < SWITCH_TARGET_S),
                )
            )
            rows.append(
                (
                    "server RSS after every page drawn",
                    f"{rss_mb:.0f} MB",
                    "< 600 MB",
                    _verdict(rss_mb < RSS_TARGET_MB),
                )
            )
            page.context.close()
            browser.close()
    finally:
        server.stop()

    print(f"server healthy after {server_start_s:.1f} s (streamlit run dashboard.py, port {server.port})")
    print()
    print("| measure | result | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if errors:
        print("\nexceptions shown in the app:", *errors, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
