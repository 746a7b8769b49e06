"""Start and stop `streamlit run dashboard.py` and drive it with Debian's Chromium.

Shared by the browser tests (tests/browser/conftest.py) and the browser benchmark
(scripts/benchmark_browser.py) so both measure the same server started the same way.
Approach adapted from Streamlit's own e2e_playwright/conftest.py: a free port, poll
`/_stcore/health`, then wait for `[data-testid='stApp'][data-test-script-state='notRunning']`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is a test extra; importing this module must not require it
    from playwright.sync_api import Browser, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_PATH = Path(os.environ.get("OPINION_LENS_CHROMIUM", "/usr/bin/chromium"))
# `playwright install` cannot download browsers here, so we drive the distribution's Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
DB_ENV = "OPINION_LENS_DB_URL"

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"

# Records every change of the app's script state with its page timestamp, so a test can tell a
# finished *new* run from the idle state left over from the previous one (the attribute reads
# "notRunning" both before a click's rerun starts and after it ends).
SCRIPT_STATE_RECORDER = """
(() => {
  window.__olStates = [];
  const record = (el) => window.__olStates.push([performance.now(), el.dataset.testScriptState]);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.target.dataset && m.target.dataset.testid === 'stApp') record(m.target);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""

_RUN_FINISHED_SINCE = """
(mark) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector("[data-testid='stStatusWidget'] [data-testid='stStatusWidgetRunningIcon']")) return false;
  const states = window.__olStates || [];
  const ran = states.some(([t, s]) => t >= mark && s === 'running');
  if (!ran) return false;
  const last = states.filter(([t, s]) => s === 'notRunning').pop();
  return last ? last[0] : performance.now();
}
"""


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A running `streamlit run dashboard.py` in its own process group."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    db_url: str
    _log_file: object = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def rss_bytes(self) -> int:
        """Resident memory of the server and every process it started."""
        import psutil  # only the memory figures need it

        root = psutil.Process(self.process.pid)
        total = 0
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_info().rss
        return total

    def stop(self, timeout_s: float = 10.0) -> None:
        """Terminate the whole process group (streamlit may have started helpers)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout_s)
        if self._log_file is not None:
            self._log_file.close()  # type: ignore[attr-defined]
            self._log_file = None


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    workdir: Path | None = None,
    *,
    db_url: str | None = None,
    timeout_s: float = 60.0,
    extra_env: dict[str, str] | None = None,
    script: Path | str = "dashboard.py",
) -> StreamlitServer:
    """Start the dashboard on a free port with its own library DB and wait until it is healthy.

    `workdir` holds the server log and (unless `db_url` is given) the SQLite library, so a test
    run never touches the user's real library.
    """
    workdir = Path(workdir or tempfile.mkdtemp(prefix="opinion-lens-browser-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{workdir / 'lib.db'}"
    port = free_port()
    log_path = workdir / "streamlit.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 -- closed in StreamlitServer.stop
    env = {**os.environ, DB_ENV: db_url, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    # A new session makes the server the leader of its own process group, so stop() can end it
    # and anything it spawned without touching other processes.
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = StreamlitServer(process, port, log_path, db_url, log_file)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
        if _healthy(port):
            return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"streamlit not healthy after {timeout_s:.0f} s:\n{server.log_tail()}")


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)


def new_page(browser: Browser) -> Page:
    """A fresh context (= a fresh Streamlit session) with the test viewport and the state recorder."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    context.add_init_script(SCRIPT_STATE_RECORDER)
    context.set_default_timeout(30_000)
    return context.new_page()


def wait_for_idle(page: Page, timeout_ms: float = 30_000) -> None:
    """The app is connected, its script has finished and nothing is still a loading skeleton."""
    page.locator(APP_CONNECTED).wait_for(state="attached", timeout=timeout_ms)
    page.locator(APP_IDLE).wait_for(state="attached", timeout=timeout_ms)
    page.locator("[data-testid='stSkeleton']").first.wait_for(state="detached", timeout=timeout_ms)


def open_app(page: Page, url: str, timeout_ms: float = 60_000) -> None:
    """Navigate to `url` and wait for the first script run to finish."""
    page.goto(url)
    page.locator("[data-testid='stAppViewContainer']").wait_for(state="attached", timeout=timeout_ms)
    mark = 0.0  # the first run happens after navigation start (time origin 0)
    page.wait_for_function(_RUN_FINISHED_SINCE, arg=mark, timeout=timeout_ms, polling=50)
    wait_for_idle(page, timeout_ms)


def rerun_after(page: Page, action: Callable[[], object], timeout_ms: float = 30_000) -> float:
    """Do `action` (a click, an upload...) and wait until the rerun it triggers has finished.

    Returns the time in ms from just before the action to the end of the run, measured in the
    page's own clock.
    """
    mark = float(page.evaluate("performance.now()"))
    action()
    handle = page.wait_for_function(_RUN_FINISHED_SINCE, arg=mark, timeout=timeout_ms, polling=20)
    finished = float(handle.json_value())
    wait_for_idle(page, timeout_ms)
    return finished - mark


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in test-artifacts/. Streamlit scrolls inside its main container, not the
    document, so the viewport is stretched to the content's height for the shot, then restored."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            "[data-testid='stMain'], [data-testid='stAppViewContainer'], [data-testid='stSidebarContent']"
        )].map(e => e.scrollHeight), document.documentElement.scrollHeight)"""
    )
    tall = min(int(height), 12_000)  # Chromium cannot capture unbounded heights
    try:
        if tall > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": tall})
            page.wait_for_timeout(400)  # let charts resize to the new layout
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


# --- finding things on a page ------------------------------------------------------------------

NAV_LINK = "[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']"
EXCEPTION = "[data-testid='stException']"


def widget(page: Page, key: str) -> Locator:
    """The element of the widget created with `key=` (Streamlit adds the class `st-key-<key>`)."""
    return page.locator(f".st-key-{key}")


def text_pattern(key: str, lang: str = "zh", **fields: object) -> re.Pattern[str]:
    """A UI string from the catalogue as a pattern; a field given as None matches any text."""
    from analysis.i18n import t

    sentinel = "\x00NUM\x00"
    text = t(key, lang, **{k: sentinel if v is None else v for k, v in fields.items()})  # type: ignore[arg-type]
    return re.compile(re.escape(text).replace(re.escape(sentinel), r".+?"))


def exceptions_on(page: Page) -> list[str]:
    """Texts of the tracebacks Streamlit shows in the page (there must be none)."""
    return [text[:500] for text in page.locator(EXCEPTION).all_inner_texts()]


def nav_paths(page: Page) -> list[str]:
    """The URL path of every page in the sidebar navigation, in order (expanding "view more")."""
    more = page.locator("[data-testid='stSidebarNavViewButton']")
    if more.count() and "more" in (more.inner_text() or "").lower():
        more.click()
    hrefs = page.locator(NAV_LINK).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urllib.parse.urlparse(h).path.strip("/") for h in hrefs]


def go_to_page(page: Page, url_path: str, timeout_ms: float = 30_000) -> float:
    """Click the sidebar link to `url_path` ("" = the default page) and wait until that page has
    been drawn. Returns the time it took in ms."""
    paths = nav_paths(page)
    if url_path not in paths:
        raise AssertionError(f"no sidebar link to {url_path!r}; links: {paths}")
    link = page.locator(NAV_LINK).nth(paths.index(url_path))
    return rerun_after(page, link.click, timeout_ms)


# Plotly draws an Indicator gauge as SVG: `g.angular` (the dial) and `text.number` (the value).
GAUGE_DIAL = ".js-plotly-plot .indicatorlayer g.angular"
GAUGE_NUMBER = ".js-plotly-plot .indicatorlayer text.number"

_FIRST_LOAD_DONE = """
([dial, value]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (!(window.__olStates || []).some(([t, s]) => s === 'running')) return false;
  if (!document.querySelector(dial)) return false;
  const number = document.querySelector(value);
  if (!number || !number.textContent.trim()) return false;
  return performance.now();
}
"""


def time_first_load(page: Page, url: str, timeout_ms: float = 60_000) -> float:
    """Open `url` and return ms from navigation start until the gauge is drawn and the script idle."""
    page.goto(url)
    handle = page.wait_for_function(
        _FIRST_LOAD_DONE, arg=[GAUGE_DIAL, GAUGE_NUMBER], timeout=timeout_ms, polling="raf"
    )
    elapsed = float(handle.json_value())
    wait_for_idle(page, timeout_ms)
    return elapsed


def selected_option(page: Page, key: str) -> str:
    """The option a selectbox shows (its combobox input holds the formatted value)."""
    return widget(page, key).get_by_role("combobox").input_value()


def choose_option(page: Page, key: str, *, index: int | None = None, text: str | None = None) -> str:
    """Open the selectbox `key`, pick an option by position among those listed or by its text, and
    wait for the rerun. Returns the option's text."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # react-aria closes the list when anything scrolls, and a long page may still be settling
    # (tables sizing themselves) right after Playwright scrolls the box into view: retry.
    box = widget(page, key)
    box.scroll_into_view_if_needed()
    options = page.get_by_role("option")
    for attempt in range(4):
        box.get_by_role("button", name="Open").click()
        try:
            options.first.wait_for(state="visible", timeout=2_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    option = options.filter(has_text=text).first if text is not None else options.nth(index or 0)
    chosen = (option.text_content() or "").strip()
    rerun_after(page, option.click)
    return chosen
