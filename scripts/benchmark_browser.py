"""Browser speed and memory of the dashboard, measured in a real Chromium.

    python scripts/benchmark_browser.py [--switch-rounds 3] [--warm-loads 3]
    python scripts/benchmark_browser.py --first-run [--starts 20] [--click-delays 0.5,1,3]

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

`--first-run` measures a fresh server's first run instead (issue 22). For every click delay, N fresh
starts (`--starts`, default 20): a new server process and a new visitor, the sidebar sampled every
100 ms from the document's start (tests/browser/server.py SIDEBAR_SAMPLER); as soon as the app's
navigation shows, wait the delay and click Posts once. Counts the starts whose sidebar ever showed
Streamlit's automatic listing of pages/ (dashboard, common, frame, ...) or any entry that is not
the app's navigation, and the clicks that reached the Posts page. Targets: the listing in none,
every click reaching Posts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from flows import load_sample_corpus  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from server import (  # noqa: E402 -- the shared helpers live beside the browser tests
    PAGE_TITLE,
    SIDEBAR_SAMPLER,
    current_path,
    exceptions_on,
    folder_listing_labels,
    foreign_sidebar_entries,
    go_to_page,
    launch_chromium,
    nav_link,
    nav_paths,
    new_page,
    open_app,
    page_time,
    sidebar_samples,
    start_server,
    time_first_load,
    wait_for_run_since,
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


FIRST_RUN_TIMEOUT_MS = 120_000  # a click that has not reached Posts by then counts as lost
_POSTS_TITLE_SHOWN = """
([selector, title]) => {
  const h = document.querySelector(selector);
  return !!h && h.innerText.trim() === title;
}
"""


@dataclass
class FreshStart:
    """One fresh server and its first visitor. Times in ms of the page's clock from navigation start."""

    nav_ms: float  # the app's navigation (its Posts link) visible
    first_sidebar_ms: float  # the first sample that found a sidebar
    click_ms: float
    during_first_run: bool  # clicked before the server's first run had finished
    reached: bool  # the Posts page drawn and its run finished, at /posts
    posts_ms: float  # the Posts page's run finished (nan if not reached)
    listing: bool  # a sample held an entry of the automatic listing of pages/
    foreign: bool  # a sample held any entry that is not one of the app's links
    samples: int
    errors: list[str]


def _fresh_start(browser: Browser, delay_s: float) -> FreshStart:
    """A new server process and a new visitor, who clicks Posts `delay_s` after the navigation shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from analysis.i18n import t

    server = start_server(Path(tempfile.mkdtemp(prefix="opinion-lens-first-run-")))
    page = new_page(browser)
    page.context.add_init_script(SIDEBAR_SAMPLER)
    try:
        page.goto(server.url)
        link = nav_link(page, "posts")
        link.wait_for(state="visible", timeout=FIRST_RUN_TIMEOUT_MS)
        nav_ms = page_time(page)
        page.wait_for_function("(t) => performance.now() >= t", arg=nav_ms + delay_s * 1000, polling=10)
        during_first_run = not page.evaluate("(window.__olFinished || []).some(([t, s]) => s !== 2)")
        click_ms = page_time(page)
        link.click()  # once: a lost click must count as lost, not be repeated
        try:
            page.wait_for_function(
                _POSTS_TITLE_SHOWN,
                arg=[PAGE_TITLE, t("posts.title", "zh")],
                timeout=FIRST_RUN_TIMEOUT_MS,
                polling=50,
            )
            posts_ms = wait_for_run_since(page, click_ms, FIRST_RUN_TIMEOUT_MS)
            reached = current_path(page) == "posts"
        except PlaywrightTimeout:
            posts_ms, reached = float("nan"), False
        samples = sidebar_samples(page)
        listing = folder_listing_labels()
        return FreshStart(
            nav_ms=nav_ms,
            first_sidebar_ms=next((ms for ms, entries in samples if entries is not None), float("nan")),
            click_ms=click_ms,
            during_first_run=during_first_run,
            reached=reached,
            posts_ms=posts_ms,
            listing=any(entries and listing & set(entries) for _, entries in samples),
            foreign=bool(foreign_sidebar_entries(samples)),
            samples=len(samples),
            errors=exceptions_on(page),
        )
    finally:
        page.context.close()
        server.stop()


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s" if values else "—"


def first_run_benchmark(starts: int, delays: list[float]) -> int:
    """The --first-run mode (see the module's docstring)."""
    runs: dict[float, list[FreshStart]] = {d: [] for d in delays}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for delay in delays:
            for i in range(starts):
                run = _fresh_start(browser, delay)
                runs[delay].append(run)
                outcome = "reached Posts" if run.reached else "DID NOT REACH POSTS"
                when = "during" if run.during_first_run else "after"
                print(
                    f"click {delay:g} s, start {i + 1}/{starts}: navigation at {run.nav_ms / 1000:.2f} s, "
                    f"click {(run.click_ms - run.nav_ms) / 1000:.2f} s later ({when} the first run): "
                    f"{outcome}; automatic listing {'SHOWN' if run.listing else 'never shown'} "
                    f"in {run.samples} samples",
                    file=sys.stderr,
                    flush=True,
                )
        browser.close()

    every = [run for group in runs.values() for run in group]
    listing = sum(run.listing for run in every)
    foreign = sum(run.foreign for run in every)
    rows = [
        (
            "fresh starts whose sidebar showed the automatic listing of pages/ (sampled every 100 ms)",
            f"{listing} of {len(every)}",
            "0",
            _verdict(listing == 0),
        ),
        (
            "fresh starts whose sidebar showed any entry that is not the app's navigation",
            f"{foreign} of {len(every)}",
            "0",
            _verdict(foreign == 0),
        ),
        (
            "sidebar first drawn, from navigation start",
            _spread([r.first_sidebar_ms / 1000 for r in every]),
            "—",
            "info",
        ),
        (
            "app's navigation shown, from navigation start",
            _spread([r.nav_ms / 1000 for r in every]),
            "—",
            "info",
        ),
    ]
    for delay, group in runs.items():
        reached = sum(run.reached for run in group)
        during = sum(run.during_first_run for run in group)
        waited = statistics.median((r.click_ms - r.nav_ms) / 1000 for r in group)
        took = [(r.posts_ms - r.click_ms) / 1000 for r in group if r.reached]
        rows.append(
            (
                f"click on Posts {delay:g} s after the navigation shows (median {waited:.2f} s; "
                f"{during} of {len(group)} during the first run)",
                f"{reached} of {len(group)} reached Posts; click to Posts drawn {_spread(took)}",
                f"{len(group)} of {len(group)}",
                _verdict(reached == len(group)),
            )
        )
    errors = [f"click {d:g} s: {e}" for d, group in runs.items() for run in group for e in run.errors]
    delays_text = ", ".join(f"{d:g} s" for d in delays)
    print(f"first run of a fresh server: {starts} fresh starts per click delay ({delays_text})")
    print()
    _print_table(rows, errors)
    return 1 if errors or listing or foreign or not all(run.reached for run in every) else 0


def _print_table(rows: list[tuple[str, ...]], errors: list[str]) -> None:
    """The measures as a Markdown table, then any exception the app showed."""
    print("| measure | result | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if errors:
        print("\nexceptions shown in the app:", *errors, sep="\n  ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--switch-rounds", type=int, default=3, help="visits of every page (default 3)")
    parser.add_argument("--warm-loads", type=int, default=3, help="warm first loads (default 3)")
    parser.add_argument(
        "--first-run", action="store_true", help="a fresh server's first run instead (issue 22; see above)"
    )
    parser.add_argument("--starts", type=int, default=20, help="--first-run: fresh starts per click delay")
    parser.add_argument(
        "--click-delays",
        default="0.5,1,3",
        help="--first-run: seconds from the navigation showing to the click on Posts (default 0.5,1,3)",
    )
    args = parser.parse_args(argv)
    if args.first_run:
        return first_run_benchmark(args.starts, [float(d) for d in args.click_delays.split(",")])

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
    _print_table(rows, errors)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
