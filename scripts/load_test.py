"""Load test: many concurrent browser sessions touring the dashboard and uploading articles.

    python scripts/load_test.py [--sessions 10] [--duration 120] [--db-url URL]

Starts `streamlit run dashboard.py` on a free port with a fresh temporary library (SQLite unless
`--db-url` names another database, e.g. PostgreSQL), launches ONE Chromium and opens one browser
context (= one Streamlit session) per simulated user. Every session, until the time is up:

1. visits every page of the sidebar in turn, timing each switch from the click until the page's
   script run has finished, in the page's own clock (as tests/browser/server.py's go_to_page);
2. every few rounds (`--upload-every`), on the Library page, uploads a small text article unique to
   that session and round and saves it;
3. once (in round `--corpus-round`), on the Posts page, loads the sample corpus.

Errors are Streamlit exception elements on a page, timeouts, and uploads that were not saved. A
background task samples the server's resident memory (itself and its children) every second.

`--cold` measures a fresh server instead (issue 20): no warm-up visit, all N contexts opened at the
same moment, each touring every page twice (`--tours`, default 2: every other page, then back to
the Overview) and nothing else (no uploads, no corpus). The first loads are reported apart (wall
clock, median and max). The report adds p50, p95 and max per page and per tour; the targets become
p95 page switch <= 3 s over both tours and max <= 6 s (`--max-target`). Server and Chromium CPU are
reported side by side: on one 2-core machine the N browsers drawing the pages share the cores
with the server.

Prints a Markdown report, then checks in the library database that every article a session saved is
there. Exit status 0 only when there were no errors, every write is present, the p95 page switch is
within `--p95-target` (3 s) and the peak RSS within `--rss-target` (1024 MB); otherwise 1, with one
line on stderr naming the failed targets.

Playwright's sync API cannot share one browser across threads, so the sessions are asyncio tasks on
the async API. The helpers of tests/browser/server.py are sync; the ones that drive a page are
ported here one for one, reusing that module's selectors and injected scripts, so the two wait for a
finished run the same way. Needs Chromium at /usr/bin/chromium (or OPINION_LENS_CHROMIUM) and the
test extras (playwright, psutil).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from flows import POSTS_PATH  # noqa: E402
from server import (  # noqa: E402 -- the shared helpers live beside the browser tests
    _ANY_RESPONSE_SINCE,
    _CURRENT_NAV_PATH,
    _NAV_CURRENT_IS,
    _RUN_FINISHED_SINCE,
    APP_CONNECTED,
    APP_IDLE,
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    EXCEPTION,
    NAV_LINK,
    PAGE_DRAWN,
    SCRIPT_STATE_RECORDER,
    VIEWPORT,
    StreamlitServer,
    current_path,
    start_server,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser, Locator, Page

LIBRARY_PATH = "library"
P95_TARGET_S = 3.0
RSS_TARGET_MB = 1024.0
STAGGER_S = 0.5  # between session starts, so the first loads do not all land in one instant


# --- async ports of the page helpers in tests/browser/server.py and flows.py -------------------------


async def new_page(browser: Browser, timeout_ms: float) -> Page:
    """A fresh context (= a fresh Streamlit session) with the test viewport and the state recorder."""
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    await context.add_init_script(SCRIPT_STATE_RECORDER)
    context.set_default_timeout(timeout_ms)
    return await context.new_page()


def widget(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key}")


async def page_time(page: Page) -> float:
    return float(await page.evaluate("performance.now()"))


async def wait_for_idle(page: Page, timeout_ms: float) -> None:
    await page.locator(APP_CONNECTED).wait_for(state="attached", timeout=timeout_ms)
    await page.locator(APP_IDLE).wait_for(state="attached", timeout=timeout_ms)
    await page.locator("[data-testid='stSkeleton']").first.wait_for(state="detached", timeout=timeout_ms)


async def wait_for_run_since(page: Page, mark: float, timeout_ms: float) -> float:
    handle = await page.wait_for_function(_RUN_FINISHED_SINCE, arg=mark, timeout=timeout_ms, polling=20)
    finished = float(await handle.json_value())
    await wait_for_idle(page, timeout_ms)
    return finished


async def open_app(page: Page, url: str, timeout_ms: float) -> None:
    await page.goto(url, timeout=timeout_ms)
    await page.locator("[data-testid='stAppViewContainer']").wait_for(state="attached", timeout=timeout_ms)
    await wait_for_run_since(page, 0.0, timeout_ms)


async def rerun_after(
    page: Page,
    action: Callable[[], Awaitable[object]],
    timeout_ms: float,
    *,
    retry_unnoticed_ms: float | None = None,
) -> float:
    """Do `action`, which makes the script rerun, and wait until that run has finished; returns ms
    from just before the (last) action to the end of the run, in the page's clock."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    mark = await page_time(page)
    await action()
    if retry_unnoticed_ms is not None:
        try:
            await page.wait_for_function(
                _ANY_RESPONSE_SINCE, arg=mark, timeout=retry_unnoticed_ms, polling=50
            )
        except PlaywrightTimeout:  # the click landed on an element React was replacing
            mark = await page_time(page)
            await action()
    return await wait_for_run_since(page, mark, timeout_ms) - mark


async def exceptions_on(page: Page) -> list[str]:
    return [text[:500] for text in await page.locator(EXCEPTION).all_inner_texts()]


async def nav_paths(page: Page) -> list[str]:
    hrefs = await page.locator(NAV_LINK).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urllib.parse.urlparse(h).path.strip("/") for h in hrefs]


async def go_to_page(page: Page, url_path: str, timeout_ms: float) -> float:
    """Click the sidebar link to `url_path` and wait until that page has been drawn; ms from the
    click to the end of its run (0 if the page was already on show)."""
    await wait_for_idle(page, timeout_ms)
    paths = await nav_paths(page)
    if url_path not in paths:
        raise AssertionError(f"no sidebar link to {url_path!r}; links: {paths}")
    link = page.locator(NAV_LINK).nth(paths.index(url_path))
    drawn = page.locator(PAGE_DRAWN).first
    if current_path(page) == url_path and await page.evaluate(_CURRENT_NAV_PATH, NAV_LINK) == url_path:
        await drawn.wait_for(state="visible", timeout=timeout_ms)
        return 0.0
    await link.wait_for(state="visible", timeout=timeout_ms)
    elapsed = await rerun_after(page, link.click, timeout_ms, retry_unnoticed_ms=5_000)
    await page.wait_for_url(
        lambda url: urllib.parse.urlparse(url).path.strip("/") == url_path, timeout=timeout_ms
    )
    await page.wait_for_function(_NAV_CURRENT_IS, arg=[NAV_LINK, url_path], timeout=timeout_ms, polling=50)
    await drawn.wait_for(state="visible", timeout=timeout_ms)
    await wait_for_idle(page, timeout_ms)
    return elapsed


async def load_sample_corpus(page: Page, timeout_ms: float) -> float:
    """flows.load_sample_corpus: on the posts page, click the sample button and wait for the timeline."""
    from playwright.async_api import expect

    await go_to_page(page, POSTS_PATH, timeout_ms)
    button = widget(page, "posts_sample").locator("button")
    elapsed = await rerun_after(page, button.click, timeout_ms)
    errors = await exceptions_on(page)
    if errors:
        raise AssertionError(f"the posts page raised: {errors[0]}")
    chart = widget(page, "posts_volume_chart").locator(".js-plotly-plot")
    await expect(chart).to_be_visible(timeout=timeout_ms)
    return elapsed


async def upload_article(page: Page, filename: str, text: str, timeout_ms: float) -> None:
    """On the library page: upload one text file, save it, and wait for the "saved" notice (as
    tests/browser/test_browser_library.py does)."""
    from playwright.async_api import expect

    from analysis.i18n import t

    await go_to_page(page, LIBRARY_PATH, timeout_ms)
    uploader = widget(page, "library_upload")
    await expect(uploader).to_be_visible(timeout=timeout_ms)
    files = [{"name": filename, "mimeType": "text/plain", "buffer": text.encode("utf-8")}]
    field_ = uploader.locator("input[type='file']")
    await rerun_after(page, lambda: field_.set_input_files(files), timeout_ms)  # type: ignore[arg-type]
    errors = await exceptions_on(page)
    if errors:
        raise AssertionError(f"the library page raised after the upload: {errors[0]}")
    save = widget(page, "library_save").locator("button")
    await expect(save).to_be_enabled(timeout=timeout_ms)
    await rerun_after(page, save.click, timeout_ms)
    await expect(page.get_by_text(t("library.add.saved", "zh", name=filename))).to_be_visible(
        timeout=timeout_ms
    )


# --- the load ---------------------------------------------------------------------------------------


@dataclass
class Upload:
    session: int
    round: int
    filename: str
    marker: str  # a line only this article has
    saved: bool = False


@dataclass
class LoadResult:
    sessions: int
    duration_s: float  # the load window asked for
    elapsed_s: float  # from the first session's start until the last one stopped
    db_url: str
    port: int
    server_start_s: float
    switches: dict[str, list[float]] = field(default_factory=dict)  # page path -> seconds
    errors: list[str] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    corpus_loads: list[float] = field(default_factory=list)  # seconds, one per session that loaded it
    warm_up_s: float | None = None  # the visit before the window that loaded the models
    first_loads: list[float] = field(default_factory=list)  # seconds from goto until the first run ended
    rounds: list[int] = field(default_factory=list)  # full tours per session
    visits: list[tuple[int, str, float]] = field(default_factory=list)  # cold mode: (tour, page, s)
    max_target_s: float | None = None  # cold mode: the slowest visit allowed
    peak_rss_mb: float = 0.0
    peak_rss_at_s: float | None = None  # seconds into the window
    peak_rss_doing: str = ""  # what the sessions were doing at the peak
    final_rss_mb: float = 0.0
    server_cpu_s: float = 0.0  # CPU seconds the server (and its children) used in the window
    browser_cpu_s: float = 0.0  # CPU seconds Chromium used in the window (it shares the machine)
    writes_present: int = 0
    writes_expected: int = 0
    p95_target_s: float = P95_TARGET_S
    rss_target_mb: float = RSS_TARGET_MB

    @property
    def all_switches(self) -> list[float]:
        return [s for times in self.switches.values() for s in times]

    @property
    def uploads_saved(self) -> int:
        return sum(u.saved for u in self.uploads)

    def failures(self) -> list[str]:
        """The targets not met, in words (empty: all met)."""
        failed = []
        if self.errors:
            failed.append(f"{len(self.errors)} errors (target 0)")
        switches = self.all_switches
        if not switches:
            failed.append("no page switch completed")
        elif (p95 := percentile(switches, 95)) > self.p95_target_s:
            failed.append(f"p95 page switch {p95:.2f} s > {self.p95_target_s:g} s")
        if switches and self.max_target_s is not None and max(switches) > self.max_target_s:
            failed.append(f"slowest page visit {max(switches):.2f} s > {self.max_target_s:g} s")
        if self.peak_rss_mb > self.rss_target_mb:
            failed.append(f"peak server RSS {self.peak_rss_mb:.0f} MB > {self.rss_target_mb:g} MB")
        if self.writes_present != self.writes_expected:
            failed.append(f"writes present {self.writes_present}/{self.writes_expected}")
        return failed


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was actually measured)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300] if text else ''}"


def article_text(run_id: str, session: int, round_: int) -> tuple[str, str]:
    """(marker line, whole text) of the article a session uploads in a round."""
    marker = f"负载测试文章 session {session} round {round_} run {run_id}"
    body = (
        f"{marker}\n\n"
        f"第{session}位读者在第{round_}轮上传了这篇短文，用来检查并发写入是否都能保存。"
        "车主普遍认为新车型续航表现不错，但也有人抱怨充电排队时间太长。"
        "经销商表示下个月会增加充电桩，希望改善用户体验。\n"
    )
    return marker, body


class Session:
    """One simulated user: a browser context that tours the pages until the deadline."""

    def __init__(self, index: int, load: LoadTest) -> None:
        self.index = index
        self.load = load
        self.page: Page | None = None
        self.round = 0
        self.corpus_loaded = False

    def error(self, what: str, detail: str) -> None:
        self.load.result.errors.append(f"session {self.index} round {self.round} {what}: {detail}")

    async def _fresh_page(self) -> None:
        if self.page is not None:
            await self.page.context.close()
        self.page = await new_page(self.load.browser, self.load.timeout_ms)
        began = time.monotonic()
        await open_app(self.page, self.load.server.url, max(self.load.timeout_ms, 60_000))
        self.load.result.first_loads.append(time.monotonic() - began)

    async def _recover(self) -> bool:
        """After an error: reload the app, or start a new context; False when neither works."""
        assert self.page is not None
        try:
            await open_app(self.page, self.load.server.url, self.load.timeout_ms)
            return True
        except Exception as exc:
            self.error("reload after error", _one_line(exc))
        try:
            await self._fresh_page()
            return True
        except Exception as exc:
            self.error("new context after error", _one_line(exc))
            return False

    async def _step(self, what: str, action: Callable[[], Awaitable[object]]) -> bool:
        """Run one action and check the page for exceptions; errors are counted, not raised."""
        assert self.page is not None
        self.load.doing[self.index] = what.split(" /")[0]
        try:
            await action()
            shown = await exceptions_on(self.page)
        except Exception as exc:
            self.error(what, _one_line(exc))
            return False
        finally:
            self.load.doing.pop(self.index, None)
        for text in shown:
            self.error(what, "exception on the page: " + text.replace("\n", " ")[:300])
        return not shown

    async def run(self) -> None:
        try:
            await self._run()
        finally:
            self.load.result.rounds.append(self.round)

    async def _run(self) -> None:
        if self.load.args.cold:
            await self._run_cold()
            return
        await asyncio.sleep(self.index * STAGGER_S)
        load = self.load
        try:
            await self._fresh_page()
        except Exception as exc:
            self.error("first load", _one_line(exc))
            if not await self._recover():
                return
        assert self.page is not None
        paths = await nav_paths(self.page)
        tour = [*paths[1:], paths[0]]  # the app opens on paths[0]; end the tour back there
        while not self._done():
            for path in tour:
                if self._done():
                    break
                ok = await self._step(f"switch to /{path}", lambda path=path: self._switch(path))
                if ok and path == LIBRARY_PATH and self.round % load.args.upload_every == 0:
                    ok = await self._step("upload", self._upload)
                if ok and path == POSTS_PATH and self.round == load.args.corpus_round:
                    ok = await self._step("sample corpus", self._load_corpus)
                if not ok and not await self._recover():
                    return
            else:
                self.round += 1

    async def _run_cold(self) -> None:
        """Cold mode: open the app with the others at the same moment (its first load is reported
        apart), then tour every page `--tours` times, each tour ending back on the Overview."""
        await self.load.start_together.wait()
        try:
            await self._fresh_page()
        except Exception as exc:
            self.error("first load", _one_line(exc))
            return
        assert self.page is not None
        paths = await nav_paths(self.page)
        for tour in range(1, self.load.args.tours + 1):
            self.round = tour
            for path in [*paths[1:], paths[0]]:
                ok = await self._step(f"switch to /{path}", lambda path=path: self._switch(path))
                if ok:  # click until the page's run finished, in the page's clock (as every switch)
                    seconds = self.load.result.switches[path][-1]
                    self.load.result.visits.append((tour, path or "overview", seconds))
                elif not await self._recover():
                    return

    def _done(self) -> bool:
        """The window is over and this session has made the tours asked for (--min-tours): a busy
        machine makes the run longer, never a test that saw too little."""
        return self.load.time_up() and self.round >= self.load.args.min_tours

    async def _switch(self, path: str) -> None:
        assert self.page is not None
        ms = await go_to_page(self.page, path, self.load.timeout_ms)
        self.load.result.switches.setdefault(path, []).append(ms / 1000)

    async def _upload(self) -> None:
        assert self.page is not None
        marker, text = article_text(self.load.run_id, self.index, self.round)
        upload = Upload(
            self.index, self.round, f"load-{self.load.run_id}-s{self.index}-r{self.round}.txt", marker
        )
        self.load.result.uploads.append(upload)
        await upload_article(self.page, upload.filename, text, max(self.load.timeout_ms, 120_000))
        upload.saved = True

    async def _load_corpus(self) -> None:
        assert self.page is not None
        ms = await load_sample_corpus(self.page, max(self.load.timeout_ms, 120_000))
        self.corpus_loaded = True
        self.load.result.corpus_loads.append(ms / 1000)


class LoadTest:
    def __init__(self, args: argparse.Namespace, server: StreamlitServer, result: LoadResult) -> None:
        self.args = args
        self.server = server
        self.result = result
        self.timeout_ms = args.timeout * 1000
        self.run_id = uuid.uuid4().hex[:8]
        self.browser: Browser
        self.deadline = math.inf
        self.started = math.inf
        self.doing: dict[int, str] = {}  # session -> the step it is in
        self.start_together = asyncio.Event()  # cold mode: every session opens the app at once

    def time_up(self) -> bool:
        return time.monotonic() >= self.deadline

    async def _sample_rss(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                mb = await asyncio.to_thread(self.server.rss_bytes) / 2**20
            except Exception:  # the server gone: nothing to sample
                mb = 0.0
            if mb > self.result.peak_rss_mb:
                self.result.peak_rss_mb = mb
                self.result.peak_rss_at_s = max(0.0, time.monotonic() - self.started)
                counts = Counter(self.doing.values())
                self.result.peak_rss_doing = ", ".join(f"{n} {what}" for what, n in counts.most_common())
                if self.started == math.inf:
                    self.result.peak_rss_doing = "the warm-up visit"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)

    async def run(self) -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            self.browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS
            )
            stop = asyncio.Event()
            sampler = asyncio.create_task(self._sample_rss(stop))
            if self.args.warm_up:  # one visit loads the models, so the window measures a warm server
                began = time.monotonic()
                page = await new_page(self.browser, 120_000)
                await open_app(page, self.server.url, 120_000)
                await page.context.close()
                self.result.warm_up_s = time.monotonic() - began
            sessions = [Session(i, self) for i in range(self.args.sessions)]
            cpu_before = cpu_seconds(self.server.process.pid)
            started = self.started = time.monotonic()
            self.deadline = started + self.args.duration
            try:
                runs = [asyncio.create_task(s.run()) for s in sessions]
                await asyncio.sleep(0)  # every session waiting at the gate
                self.start_together.set()
                await asyncio.gather(*runs)
            finally:
                self.result.elapsed_s = time.monotonic() - started
                self.result.final_rss_mb = self.server.rss_bytes() / 2**20
                cpu_after = cpu_seconds(self.server.process.pid)
                self.result.server_cpu_s = cpu_after[0] - cpu_before[0]
                self.result.browser_cpu_s = cpu_after[1] - cpu_before[1]
                stop.set()
                await sampler
                await self.browser.close()


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """(server tree, Chromium) CPU seconds so far: where the machine's two cores went."""
    import psutil

    def used(proc: psutil.Process) -> float:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            return t.user + t.system
        return 0.0

    root = psutil.Process(server_pid)
    server = sum(used(p) for p in [root, *root.children(recursive=True)])
    browser = sum(used(p) for p in psutil.process_iter(["name"]) if "chrom" in (p.info["name"] or "").lower())
    return server, browser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (default 10)")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument(
        "--min-tours",
        type=int,
        default=0,
        help="each session goes on past the window until it has made this many full tours (default 0)",
    )
    parser.add_argument(
        "--db-url", default=None, help="library database (default: a fresh SQLite file in a temp dir)"
    )
    parser.add_argument(
        "--upload-every",
        type=int,
        default=3,
        help="upload an article every N rounds, from round 0 (default 3)",
    )
    parser.add_argument(
        "--corpus-round", type=int, default=1, help="the round in which each session loads the sample corpus"
    )
    parser.add_argument(
        "--warm-up",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="open the app once before the load window, so the models are loaded (default on)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="a fresh server: no warm-up, every session opens at once and tours --tours times, nothing else",
    )
    parser.add_argument("--tours", type=int, default=2, help="cold mode: tours of every page (default 2)")
    parser.add_argument(
        "--max-target", type=float, default=6.0, help="cold mode: slowest visit, s (default 6)"
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds before an action times out")
    parser.add_argument("--p95-target", type=float, default=P95_TARGET_S, help="seconds (default 3)")
    parser.add_argument("--rss-target", type=float, default=RSS_TARGET_MB, help="MB (default 1024)")
    args = parser.parse_args(argv)
    if args.cold:
        args.warm_up = False
    if (
        args.sessions < 1
        or args.tours < 1
        or args.duration <= 0
        or args.upload_every < 1
        or args.min_tours < 0
    ):
        parser.error("--sessions, --duration and --upload-every must be positive")
    return args


def run(argv: list[str] | None = None) -> LoadResult:
    """Start the server, drive the sessions, stop the server, count the writes in the library."""
    from analysis.library import Library

    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="opinion-lens-load-"))
    began = time.perf_counter()
    server = start_server(workdir, db_url=args.db_url)
    result = LoadResult(
        sessions=args.sessions,
        duration_s=args.duration,
        elapsed_s=0.0,
        db_url=server.db_url,
        port=server.port,
        server_start_s=time.perf_counter() - began,
        p95_target_s=args.p95_target,
        rss_target_mb=args.rss_target,
        max_target_s=args.max_target if args.cold else None,
    )
    try:
        asyncio.run(LoadTest(args, server, result).run())
    except Exception as exc:  # the browser or the driver itself broke: report what we have
        result.errors.append(f"load test aborted: {_one_line(exc)}")
    finally:
        server.stop()
        if any("Traceback" in line for line in server.log_tail(200_000).splitlines()):
            result.errors.append(f"the server log has a traceback: {server.log_path}")

    saved = [u for u in result.uploads if u.saved]
    stored = Library(server.db_url).list_articles()
    result.writes_expected = len(saved)
    result.writes_present = sum(
        any(r.filename == u.filename and u.marker in r.text for r in stored) for u in saved
    )
    return result


def report(result: LoadResult) -> str:
    from analysis.library import masked_url

    switches = result.all_switches
    peak_when = ""
    if result.peak_rss_at_s is not None:
        peak_when = f", {result.peak_rss_at_s:.0f} s into the window, sessions in: {result.peak_rss_doing or 'nothing'}"

    def verdict(ok: bool) -> str:
        return "ok" if ok else "**FAILED**"

    title = (
        f"## Cold load test: {result.sessions} sessions opened at once on a fresh server, "
        f"{max(result.rounds, default=0)} tours each"
        if result.visits
        else f"## Load test: {result.sessions} sessions for {result.duration_s:g} s"
    )
    lines = [
        title,
        "",
        f"server healthy after {result.server_start_s:.1f} s (streamlit run dashboard.py, port {result.port}), "
        f"library {masked_url(result.db_url)}; one Chromium, one browser context per session"
        + (
            f"; a warm-up visit before the window took {result.warm_up_s:.1f} s"
            if result.warm_up_s is not None
            else ""
        ),
        "",
        "| measure | result | target | |",
        "|---|---|---|---|",
        f"| sessions | {result.sessions} | | |",
        f"| duration | {result.elapsed_s:.1f} s (load window {result.duration_s:g} s) | | |",
        f"| page switches | {len(switches)} (full tours per session: "
        f"{', '.join(map(str, sorted(result.rounds))) or '—'}) | | |",
        f"| errors | {len(result.errors)} | 0 | {verdict(not result.errors)} |",
        "| first load of the app per session (wall clock) | "
        + (
            f"median {statistics.median(result.first_loads):.1f} s, max {max(result.first_loads):.1f} s"
            if result.first_loads
            else "—"
        )
        + " | | |",
        f"| CPU in the window (2 cores × {result.elapsed_s:.0f} s = {2 * result.elapsed_s:.0f} s) | server "
        f"{result.server_cpu_s:.0f} s, Chromium (all {result.sessions} sessions' pages) {result.browser_cpu_s:.0f} s | | |",
    ]
    if switches:
        p50, p95 = percentile(switches, 50), percentile(switches, 95)
        lines += [
            f"| page switch p50 | {p50:.2f} s | | |",
            f"| page switch p95 | {p95:.2f} s | ≤ {result.p95_target_s:g} s | "
            f"{verdict(p95 <= result.p95_target_s)} |",
            f"| page switch max | {max(switches):.2f} s | "
            + (
                f"≤ {result.max_target_s:g} s | {verdict(max(switches) <= result.max_target_s)} |"
                if result.max_target_s is not None
                else "| |"
            ),
        ]
    else:
        lines.append(f"| page switch p95 | — | ≤ {result.p95_target_s:g} s | {verdict(False)} |")
    lines += [
        f"| peak server RSS (incl. children) | {result.peak_rss_mb:.0f} MB{peak_when} (at the end {result.final_rss_mb:.0f} MB)"
        f" | ≤ {result.rss_target_mb:g} MB | {verdict(result.peak_rss_mb <= result.rss_target_mb)} |",
        f"| uploads attempted / saved | {len(result.uploads)} / {result.uploads_saved} | | |",
        f"| sample corpus loaded | {len(result.corpus_loads)} of {result.sessions} sessions"
        + (f", median {statistics.median(result.corpus_loads):.1f} s" if result.corpus_loads else "")
        + " | | |",
        "",
        "| page | switches | p50 | p95 | max |",
        "|---|---|---|---|---|",
    ]
    for path, times in sorted(result.switches.items()):
        lines.append(
            f"| /{path} | {len(times)} | {percentile(times, 50):.2f} s | {percentile(times, 95):.2f} s "
            f"| {max(times):.2f} s |"
        )
    if result.visits:
        lines += ["", *cold_table(result.visits)]
    if result.errors:
        lines += ["", f"first errors (of {len(result.errors)}):", *(f"- {e}" for e in result.errors[:10])]
    lines += ["", f"writes present: {result.writes_present}/{result.writes_expected}"]
    return "\n".join(lines)


def cold_table(visits: list[tuple[int, str, float]]) -> list[str]:
    """Per page and tour: p50, p95 and max of the visits (cold mode), then per tour overall."""
    tours = sorted({t for t, _, _ in visits})
    pages = list(dict.fromkeys(p for _, p, _ in visits))
    head = " | ".join(f"tour {t} p50 | p95 | max" for t in tours)
    lines = [f"| page | {head} |", "|---|" + "---|---|---|" * len(tours)]

    def cells(times: list[float]) -> str:
        if not times:
            return "— | — | —"
        return f"{percentile(times, 50):.2f} s | {percentile(times, 95):.2f} s | {max(times):.2f} s"

    for page in [*pages, None]:
        row = [
            cells([s for t, p, s in visits if t == tour and (page is None or p == page)]) for tour in tours
        ]
        lines.append(f"| {'**all pages**' if page is None else '/' + page} | " + " | ".join(row) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    result = run(argv)
    print(report(result))
    failed = result.failures()
    if failed:
        print("load test failed: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
