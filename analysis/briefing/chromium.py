"""One headless Chromium per process for the briefing's PDFs, kept warm between reports.

Playwright's sync objects belong to the thread that made them, so a `Chromium` owns one worker
thread and every job runs there, one after another: the browser is started lazily by the first
job (concurrent first callers queue behind that one launch: single flight), reused by the next,
and started again if it died or a job failed inside it. The page that draws charts keeps Plotly's
bundle loaded, so a report pays neither the launch nor the 4.8 MB script after the first.
`shared()` is the process's instance (the Streamlit server's, a CLI run's); `close()` (also run
at exit) stops the browser.

The browser: $OPINION_LENS_CHROMIUM, else the distribution's Chromium (/usr/bin/chromium, …),
else Playwright's own download (`playwright install chromium`). Every request a page makes is
refused: a brief is drawn from what it carries.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from analysis.briefing.output import BriefError

T = TypeVar("T")

CHROMIUM_ENV = "OPINION_LENS_CHROMIUM"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
INSTALL_HINT = (
    "pip install playwright, then `playwright install chromium` (or apt-get install chromium "
    "fonts-noto-cjk, or set $OPINION_LENS_CHROMIUM to a Chromium binary)"
)
JOB_TIMEOUT_S = 120.0  # one job (drawing a brief's charts, printing it) at most


def chromium_path() -> str | None:
    """A Chromium binary to drive, or None (then Playwright's own download may still exist)."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_unavailable() -> str | None:
    """Why no PDF can be made here (with how to fix it), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Playwright is not installed: {INSTALL_HINT}"
    if os.environ.get(CHROMIUM_ENV) and chromium_path() is None:
        return f"no Chromium at ${CHROMIUM_ENV} ({os.environ[CHROMIUM_ENV]}): {INSTALL_HINT}"
    if chromium_path() is None and not _playwright_chromium():
        return f"no Chromium found: {INSTALL_HINT}"
    return None


def _playwright_chromium() -> bool:
    home = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    return any(home.glob("chromium*")) if home.exists() else False


@dataclass
class Running:
    """A started browser, as the jobs see it. `pages` keeps what a job set up for the next ones
    (the chart page with Plotly loaded); `stop` closes the browser and its driver."""

    browser: Any  # playwright.sync_api.Browser
    stop: Callable[[], None]
    pages: dict[str, Any] = field(default_factory=dict)

    def alive(self) -> bool:
        connected = getattr(self.browser, "is_connected", None)
        return bool(connected()) if callable(connected) else True


def launch_playwright() -> Running:
    """Start Playwright's driver and a headless Chromium (in the calling thread, the worker)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        path = chromium_path()
        browser = (
            driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            if path
            else driver.chromium.launch(args=CHROMIUM_ARGS)
        )
    except BaseException:
        driver.stop()
        raise

    def stop() -> None:
        try:
            browser.close()
        finally:
            driver.stop()

    return Running(browser, stop)


def as_brief_error(exc: BaseException) -> BriefError:
    """A Playwright failure as one line for the user."""
    text = str(exc).strip()
    if "Executable doesn't exist" in text:
        return BriefError(f"no Chromium found: {INSTALL_HINT}", code="chromium_missing")
    first = text.splitlines()[0] if text else type(exc).__name__
    return BriefError(f"Chromium could not print the report: {first}", code="pdf_failed")


_Job = tuple[Callable[[Running], Any], "Future[Any]"]


class Chromium:
    """A headless Chromium driven from its own thread (see the module's docstring). `launches`
    counts browser starts (one for any number of reports while it stays healthy)."""

    def __init__(self, launch: Callable[[], Running] = launch_playwright) -> None:
        self._launch = launch
        self._lock = threading.Lock()  # guards starting the thread and closing
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._running: Running | None = None  # the worker thread's only
        self._closed = False
        self.launches = 0

    def submit(self, job: Callable[[Running], T]) -> Future[T]:
        """Queue `job` for the worker thread (started if need be); its future."""
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise BriefError("Chromium has been shut down", code="pdf_failed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="opinion-lens-chromium", daemon=True)
                self._thread.start()
            self._jobs.put((job, future))
        return future

    def call(self, job: Callable[[Running], T], timeout: float = JOB_TIMEOUT_S) -> T:
        """Run `job` with the running browser (started if need be) in the worker thread; its
        result, or its exception (Playwright's as `BriefError`)."""
        try:
            return self.submit(job).result(timeout)
        except TimeoutError:
            raise BriefError(f"Chromium took over {timeout:.0f} s", code="pdf_failed") from None

    def close(self, timeout: float = 10.0) -> None:
        """Stop the browser and the worker; later calls fail. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            self._jobs.put(None)
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job(self._browser()))
            except BaseException as exc:
                self._stop()  # whatever broke is not reused: the next job starts afresh
                future.set_exception(exc if isinstance(exc, BriefError) else _translated(exc))
        self._stop()

    def _browser(self) -> Running:
        if self._running is not None and not self._running.alive():
            self._stop()
        if self._running is None:
            self._running = self._launch()
            self.launches += 1
        return self._running

    def _stop(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            with contextlib.suppress(Exception):  # a dead browser's close may fail; it is gone anyway
                running.stop()


def _translated(exc: BaseException) -> BaseException:
    try:
        from playwright.sync_api import Error as PlaywrightError
    except ImportError:
        return exc
    return as_brief_error(exc) if isinstance(exc, PlaywrightError) else exc


_shared: Chromium | None = None
_shared_lock = threading.Lock()


def shared() -> Chromium:
    """The process's Chromium (made on first use, one however many threads ask at once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Chromium()
            atexit.register(_shared.close)
        return _shared
