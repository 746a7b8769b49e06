"""A cold server, measured (issue 20): where a fresh process's first visit goes, how fast a fresh
server answers its first visitor and eight at once, and that nothing else got slower.

    python scripts/benchmark_cold.py [--servers 3] [--sessions 8] [--skip-load] [--skip-speed]

0. **The floor on this machine**: the same measures for a Streamlit app that draws one Plotly gauge
   and nothing else (FLOOR_APP): its cold first load (median of `--servers` fresh servers) and its
   first loads when `--sessions` new visitors open it at the same moment (as section 4's first
   loads: from navigation until the first run has ended, in one Chromium). What Streamlit, Plotly
   and Chromium cost before the app does anything; the targets cannot be under it.
1. **Top costs**: scripts/profile_first_visit.py --no-warm in a fresh process (every page's first
   run, two sessions, cProfile per script thread), its table and the Overview's costliest functions.
2. **Cold first load of the Overview**: `--servers` fresh servers (a new process, an empty library),
   each opened by one new visitor in Chromium: from navigation start until the gauge is drawn and
   the script has finished (benchmark_browser's measure), with the moment the first run finished
   and the script run's window as the browser saw it. Median against the target 3 s.
3. **Warm page switches and memory**: on the last server, after one tour of every page (its first
   visits, while the warm-up finishes), two rounds of every page by one visitor: the median against
   0.5 s, and the CPU each switch costs the server and the browser (what N visitors on one machine
   share); the server's RSS after every page drawn against 600 MB.
4. **Eight visitors at once on a fresh server**: scripts/load_test.py --cold (every session opens
   the app at the same moment, tours every page twice): p95 page switch over both tours against
   3 s, max against 6 s, errors, per tour, server and Chromium CPU.
5. **Nothing else slower**: the 60-sentence Chinese article from process launch (benchmark_sentiment's
   measure, target 4 s) and the CLI's first text (`python -m analysis score --model fast`, from
   process launch, target 1.5 s).

Needs Chromium (/usr/bin/chromium or OPINION_LENS_CHROMIUM), the test extras and ../shared/data
for section 5. Prints Markdown; exit status 0 only when every target is met.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from load_test import cpu_seconds  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from server import (  # noqa: E402
    exceptions_on,
    go_to_page,
    launch_chromium,
    nav_paths,
    new_page,
    start_server,
    time_first_load,
)

COLD_FIRST_LOAD_TARGET_S = 3.0
WARM_SWITCH_TARGET_S = 0.5
RSS_TARGET_MB = 600.0
ARTICLE_TARGET_S = 4.0
CLI_FIRST_TEXT_TARGET_S = 1.5


# The floor: Streamlit and Plotly's own cost of a first visit, with no work of the app's.
FLOOR_APP = """\
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
gauge = go.Indicator(mode="gauge+number", value=-96, number={"suffix": "%"}, gauge={"axis": {"range": [-100, 100]}})
st.plotly_chart(go.Figure(gauge))
"""


def floor_script() -> Path:
    path = Path(tempfile.mkdtemp(prefix="opinion-lens-floor-")) / "floor_app.py"
    path.write_text(FLOOR_APP, encoding="utf-8")
    return path


def floor_first_loads(servers: int) -> list[float]:
    """Seconds to the gauge drawn, for one new visitor on each of `servers` fresh floor apps."""
    script = floor_script()
    out = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(servers):
            server = start_server(script.parent, script=script)
            try:
                page = new_page(browser)
                out.append(time_first_load(page, server.url, 120_000) / 1000)
                page.context.close()
            finally:
                server.stop()
        browser.close()
    return out


def floor_at_once(sessions: int) -> list[float]:
    """Seconds from navigation until the first run ended, for `sessions` new visitors opening one
    fresh floor app at the same moment (one Chromium, one context each: load_test's first loads)."""
    import asyncio

    import load_test
    from playwright.async_api import async_playwright

    script = floor_script()
    server = start_server(script.parent, script=script)

    async def run() -> list[float]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(load_test.CHROMIUM_PATH), args=load_test.CHROMIUM_ARGS
            )
            pages = [await load_test.new_page(browser, 180_000) for _ in range(sessions)]

            async def first_load(page) -> float:
                began = time.monotonic()
                await load_test.open_app(page, server.url, 180_000)
                return time.monotonic() - began

            times = await asyncio.gather(*(first_load(page) for page in pages))
            await browser.close()
            return list(times)

    try:
        return asyncio.run(run())
    finally:
        server.stop()


def verdict(ok: bool) -> str:
    return "ok" if ok else "**OVER TARGET**"


def top_costs() -> str:
    proc = subprocess.run(
        # Warm-up off: each page pays its own first-time costs, which is what this section names
        # (with it on, the background thread's work lands in whichever run is profiled then).
        [sys.executable, str(ROOT / "scripts" / "profile_first_visit.py"), "--top", "15", "--no-warm"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        return f"(profile failed: {proc.stderr.strip().splitlines()[-1:]})"
    text = proc.stdout
    # The per-page table and the Overview's first-session costs; the rest is in the script's output.
    head, _, rest = text.partition("### session 1, overview")
    overview = "### session 1, overview" + rest.split("\n### ", 1)[0]
    return head.strip() + "\n\n" + overview.strip()


def cold_first_loads(servers: int, rounds: int) -> tuple[list[tuple[float, float, float]], dict]:
    """[(gauge s, first run finished s, run window s)] per fresh server, and the last server's warm
    switches (times and CPU per page), RSS and errors."""
    loads: list[tuple[float, float, float]] = []
    warm: dict = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for i in range(servers):
            server = start_server(Path(tempfile.mkdtemp(prefix="opinion-lens-cold-")))
            try:
                page = new_page(browser)
                gauge_ms = time_first_load(page, server.url, 120_000)
                started = page.evaluate("window.__olStarted")
                finished = page.evaluate("window.__olFinished")
                first_end = min((t for t, s in finished if s != 2), default=float("nan"))
                loads.append((gauge_ms / 1000, first_end / 1000, (first_end - started[0]) / 1000))
                if i == servers - 1:  # warm switches and memory on this server
                    paths = nav_paths(page)
                    per_page: dict[str, list[float]] = {p: [] for p in paths}
                    cpu: dict[str, list[tuple[float, float]]] = {p: [] for p in paths}
                    errors: list[str] = []
                    # One tour first, not measured: every page's first visit, and the warm-up done.
                    for path in [*paths[1:], paths[0]]:
                        go_to_page(page, path)
                    for _ in range(rounds):
                        for path in [*paths[1:], paths[0]]:
                            before = cpu_seconds(server.process.pid)
                            per_page[path].append(go_to_page(page, path) / 1000)
                            time.sleep(0.3)  # the last frames drawn
                            after = cpu_seconds(server.process.pid)
                            cpu[path].append((after[0] - before[0], after[1] - before[1]))
                            errors += exceptions_on(page)
                    switches = [s for times in per_page.values() for s in times]
                    warm = {
                        "median": statistics.median(switches),
                        "max": max(switches),
                        "per_page": {p or "overview": statistics.median(t) for p, t in per_page.items()},
                        "cpu": {
                            p or "overview": (
                                statistics.median(c[0] for c in pairs),
                                statistics.median(c[1] for c in pairs),
                            )
                            for p, pairs in cpu.items()
                        },
                        "rss_mb": server.rss_bytes() / 2**20,
                        "errors": errors,
                    }
                page.context.close()
            finally:
                server.stop()
        browser.close()
    return loads, warm


def eight_at_once(sessions: int) -> tuple[str, list[str]]:
    import load_test

    result = load_test.run(["--cold", "--sessions", str(sessions)])
    return load_test.report(result), result.failures()


def article_and_cli() -> list[tuple[str, float, float]]:
    """(what, seconds, target) for the 60-sentence article and the CLI's first text."""
    from benchmark_sentiment import accurate_speed

    out = [
        (
            "60-sentence Chinese article, from process launch",
            accurate_speed()["fresh_process_s"],
            ARTICLE_TARGET_S,
        )
    ]
    one = Path(tempfile.mkdtemp(prefix="opinion-lens-cli-")) / "one.csv"
    one.write_text("text\n这家公司的服务让人很不满意\n", encoding="utf-8")
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "analysis", "score", "--model", "fast", str(one)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(time.perf_counter() - began)
    out.append(
        ("CLI's first text (score --model fast), from process launch", min(runs), CLI_FIRST_TEXT_TARGET_S)
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--servers", type=int, default=3, help="fresh servers for the cold first load (default 3)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="warm rounds of every page (default 2)")
    parser.add_argument(
        "--sessions", type=int, default=8, help="visitors at once on a fresh server (default 8)"
    )
    parser.add_argument("--skip-load", action="store_true", help="leave out the visitors-at-once test")
    parser.add_argument("--skip-speed", action="store_true", help="leave out the article and CLI timings")
    args = parser.parse_args(argv)
    failed: list[str] = []

    print("# Cold server benchmark (issue 20)\n")
    print("## 0. The floor: a Streamlit app that draws one Plotly gauge and nothing else\n")
    floor = floor_first_loads(args.servers)
    print(
        f"- cold first load, gauge drawn ({len(floor)} fresh servers): "
        + ", ".join(f"{t:.2f} s" for t in floor)
        + f"; median **{statistics.median(floor):.2f} s** (section 2's target: {COLD_FIRST_LOAD_TARGET_S:g} s)"
    )
    if not args.skip_load:
        at_once = floor_at_once(args.sessions)
        print(
            f"- {args.sessions} new visitors at once, first run ended: median **{statistics.median(at_once):.1f} s**, "
            f"max {max(at_once):.1f} s (section 4 reports the app's first loads the same way)"
        )
    print("\n## 1. Where a fresh process's first visit goes\n")
    print(top_costs())

    loads, warm = cold_first_loads(args.servers, args.rounds)
    gauge = statistics.median(g for g, _, _ in loads)
    print(f"\n## 2. Cold first load of the Overview ({len(loads)} fresh servers, one new visitor each)\n")
    print("| server | gauge drawn, script finished | first run finished | run window (browser's view) |")
    print("|---|---|---|---|")
    for i, (g, end, window) in enumerate(loads, 1):
        print(f"| {i} | {g:.2f} s | {end:.2f} s | {window:.2f} s |")
    print(
        f"\nmedian {gauge:.2f} s, target ≤ {COLD_FIRST_LOAD_TARGET_S:g} s: {verdict(gauge <= COLD_FIRST_LOAD_TARGET_S)}"
        f" (the floor of section 0: {statistics.median(floor):.2f} s; the app's own cost {gauge - statistics.median(floor):.2f} s)"
    )
    if gauge > COLD_FIRST_LOAD_TARGET_S:
        failed.append(f"cold first load {gauge:.2f} s")

    print(f"\n## 3. Warm page switches ({args.rounds} rounds of every page) and memory\n")
    print("| page | switch, median | CPU per switch: server | CPU per switch: Chromium |\n|---|---|---|---|")
    for page, median in warm["per_page"].items():
        server_cpu, browser_cpu = warm["cpu"][page]
        print(f"| /{page} | {median:.2f} s | {server_cpu:.2f} s | {browser_cpu:.2f} s |")
    ok_switch = warm["median"] <= WARM_SWITCH_TARGET_S
    ok_rss = warm["rss_mb"] <= RSS_TARGET_MB
    print(
        f"\nall pages: median {warm['median']:.2f} s (target ≤ {WARM_SWITCH_TARGET_S:g} s: {verdict(ok_switch)}), max {warm['max']:.2f} s"
    )
    print(
        f"server RSS after every page drawn: {warm['rss_mb']:.0f} MB (target ≤ {RSS_TARGET_MB:g} MB: {verdict(ok_rss)})"
    )
    if warm["errors"]:
        print("exceptions on the pages:", *warm["errors"], sep="\n- ")
        failed.append("exceptions on a page")
    failed += [] if ok_switch else [f"warm switch median {warm['median']:.2f} s"]
    failed += [] if ok_rss else [f"server RSS {warm['rss_mb']:.0f} MB"]

    if not args.skip_load:
        print(f"\n## 4. {args.sessions} visitors at once on a fresh server\n")
        text, load_failed = eight_at_once(args.sessions)
        print(text)
        failed += load_failed

    if not args.skip_speed:
        print("\n## 5. Nothing else slower\n")
        print("| measure | seconds | target | |\n|---|---|---|---|")
        for what, seconds, target in article_and_cli():
            print(f"| {what} | {seconds:.2f} | ≤ {target:g} | {verdict(seconds <= target)} |")
            if seconds > target:
                failed.append(f"{what} {seconds:.2f} s")

    if failed:
        print("\ntargets missed: " + "; ".join(failed))
        return 1
    print("\nevery target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
