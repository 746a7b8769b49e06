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

# Records every change of the app's script state with its page timestamp, and every script run's
# start and end as the server announces them on the WebSocket. The DOM attribute alone is not
# enough: it reads "notRunning" both before a click's rerun starts and after it ends, and when the
# browser is slower than the server (a loaded machine, a run of 0.1 s) React can commit "running"
# and "notRunning" in one render, so "running" never reaches the DOM and a wait for it times out
# although the page has long been drawn. The server's own messages cannot be missed: every run
# starts with a `new_session` ForwardMsg (field 4) and ends with `script_finished` (field 6, an
# enum). Only the top-level protobuf keys are walked; nothing of Streamlit is changed.
SCRIPT_STATE_RECORDER = """
(() => {
  window.__olStates = [];
  window.__olStarted = [];   // page time of every run start (new_session)
  window.__olFinished = [];  // [page time, ScriptFinishedStatus] of every run end
  const record = (el) => window.__olStates.push([performance.now(), el.dataset.testScriptState]);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.target.dataset && m.target.dataset.testid === 'stApp') record(m.target);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  const varint = (b, i) => {
    let value = 0, scale = 1;
    for (;;) {
      if (i >= b.length) throw new Error('truncated');
      const x = b[i++];
      value += (x & 0x7f) * scale;
      if (x < 0x80) return [value, i];
      scale *= 128;
    }
  };
  const runEvent = (buffer) => {  // 'started', ['finished', status] or null
    const b = new Uint8Array(buffer);
    let i = 0;
    try {
      while (i < b.length) {
        let key, value;
        [key, i] = varint(b, i);
        const fieldNo = Math.floor(key / 8), wire = key % 8;
        if (wire === 0) { [value, i] = varint(b, i); if (fieldNo === 6) return ['finished', value]; }
        else if (wire === 2) { [value, i] = varint(b, i); if (fieldNo === 4) return 'started'; i += value; }
        else if (wire === 1) i += 8;
        else if (wire === 5) i += 4;
        else return null;
      }
    } catch (e) { return null; }
    return null;
  };
  const NativeWebSocket = window.WebSocket;
  class RecordingWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const now = performance.now();
        const kind = runEvent(event.data);
        if (kind === 'started') window.__olStarted.push(now);
        else if (kind) window.__olFinished.push([now, kind[1]]);
      });
    }
  }
  window.WebSocket = RecordingWebSocket;
})();
"""

FINISHED_EARLY_FOR_RERUN = 2  # ScriptFinishedStatus: a rerun replaced this run; wait for that one

# True (the page time the run ended) once a run that started after `mark` has finished, no later
# run is under way, and the app shows itself idle. React gets a moment after `script_finished`
# to commit the deltas that arrived before it.
_RUN_FINISHED_SINCE = """
(mark) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector("[data-testid='stStatusWidget'] [data-testid='stStatusWidgetRunningIcon']")) return false;
  const now = performance.now();
  const finished = (window.__olFinished || []).filter(([t, s]) => t >= mark && s !== EARLY_FOR_RERUN);
  const started = (window.__olStarted || []).filter((t) => t >= mark);
  const states = window.__olStates || [];
  const sawRunning = states.some(([t, s]) => t >= mark && s === 'running');
  const idleSince = (states.filter(([t, s]) => s === 'notRunning').pop() || [0])[0];
  if (finished.length) {
    const end = finished[finished.length - 1][0];
    if (started.some((t) => t > end)) return false;  // another run began after that one ended
    if (now - end < 60) return false;
    return Math.max(end, idleSince >= mark ? idleSince : 0);
  }
  // Without a WebSocket record (the recorder could not hook it): the DOM's own transition.
  if (sawRunning && idleSince >= mark) return idleSince;
  return false;
}
""".replace("EARLY_FOR_RERUN", str(FINISHED_EARLY_FOR_RERUN))

# Anything at all from the server or the frontend since `mark`: the action was noticed.
_ANY_RESPONSE_SINCE = """
(mark) => (window.__olStarted || []).some((t) => t >= mark)
  || (window.__olFinished || []).some(([t]) => t >= mark)
  || (window.__olStates || []).some(([t]) => t >= mark)
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
    # A real server warms up as deployed (tests/conftest.py turns that off for in-process tests).
    env = {
        **os.environ,
        DB_ENV: db_url,
        "PYTHONUNBUFFERED": "1",
        "OPINION_LENS_WARM_UP": os.environ.get("OPINION_LENS_SERVER_WARM_UP", "1"),
        **(extra_env or {}),
    }
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
    wait_for_run_since(page, 0.0, timeout_ms)  # the first run starts after navigation (time origin 0)


def page_time(page: Page) -> float:
    """The page's own clock (performance.now(), ms since navigation start)."""
    return float(page.evaluate("performance.now()"))


def wait_for_run_since(page: Page, mark: float, timeout_ms: float = 30_000) -> float:
    """Wait until a script run that started after `mark` (page time) has finished and the app is
    idle; returns the page time the run ended."""
    handle = page.wait_for_function(_RUN_FINISHED_SINCE, arg=mark, timeout=timeout_ms, polling=20)
    finished = float(handle.json_value())
    wait_for_idle(page, timeout_ms)
    return finished


def rerun_after(
    page: Page,
    action: Callable[[], object],
    timeout_ms: float = 30_000,
    *,
    retry_unnoticed_ms: float | None = None,
) -> float:
    """Do `action` (a click, an upload...) that makes the script rerun, and wait until that rerun
    has finished and the app is idle. Only for actions that do rerun: an expander or a tab is
    client-side and never reruns; wait for its state with `expect` instead.

    `retry_unnoticed_ms`: for an idempotent action (a navigation click), repeat it when neither the
    server nor the frontend has reacted within that long: the click landed on an element React
    was replacing. Returns the ms from just before the (last) action to the end of the run, in
    the page's own clock.
    """
    mark = page_time(page)
    action()
    if retry_unnoticed_ms is not None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_function(_ANY_RESPONSE_SINCE, arg=mark, timeout=retry_unnoticed_ms, polling=50)
        except PlaywrightTimeout:
            mark = page_time(page)
            action()
    return wait_for_run_since(page, mark, timeout_ms) - mark


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

# The app draws its own navigation (pages/ui/frame.py: st.page_link in the sidebar container with
# key "app_nav"); Streamlit's menu is off (client.showSidebarNavigation = false, issue 22).
NAV_LINK = "[data-testid='stSidebar'] .st-key-app_nav [data-testid='stPageLink-NavLink']"
EXCEPTION = "[data-testid='stException']"

# The path of the highlighted navigation link, or null. Streamlit marks the link of the page on
# show by drawing its label bold (and shades it, as it shades a hovered link): no attribute says so.
_CURRENT_NAV_PATH = """
(selector) => {
  for (const a of document.querySelectorAll(selector)) {
    const label = a.querySelector("[data-testid='stMarkdownContainer'] p");
    if (label && Number(getComputedStyle(label).fontWeight) >= 600)
      return (a.getAttribute('href') || '').replace(/^\\/+|\\/+$/g, '');
  }
  return null;
}
"""
# True once the highlighted link is the one to `path`: arg [NAV_LINK, path].
_NAV_CURRENT_IS = f"([selector, path]) => ({_CURRENT_NAV_PATH})(selector) === path"


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
    """The URL path of every page in the sidebar navigation, in order."""
    hrefs = page.locator(NAV_LINK).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urllib.parse.urlparse(h).path.strip("/") for h in hrefs]


def nav_link(page: Page, url_path: str) -> Locator:
    """The sidebar navigation's link to `url_path` ("" = the default page)."""
    return page.locator(f"{NAV_LINK}[href='{url_path}']")


def current_nav_path(page: Page) -> str | None:
    """The URL path of the highlighted navigation link (the page on show), None if none is."""
    return page.evaluate(_CURRENT_NAV_PATH, NAV_LINK)


def wait_for_current_nav(page: Page, url_path: str, timeout_ms: float = 30_000) -> None:
    """Wait until the navigation highlights the link to `url_path`."""
    page.wait_for_function(
        _NAV_CURRENT_IS,
        arg=[NAV_LINK, url_path],
        timeout=timeout_ms,
        polling=50,
    )


# --- what the sidebar shows while a fresh server starts (issue 22) -----------------------------

# Installed before any of the app's code (a context init script): every 100 ms from the document's
# start, [page time, entries] where entries are the labels of the sidebar's navigation, Streamlit's
# own menu and the app's links alike (icons left out), or null while there is no sidebar at all.
SIDEBAR_SAMPLER = """
(() => {
  window.__olSidebar = [];
  const entries = () => {
    const sidebar = document.querySelector("[data-testid='stSidebar']");
    if (!sidebar) return null;
    const links = sidebar.querySelectorAll(
      "[data-testid='stSidebarNavLink'], [data-testid='stPageLink-NavLink']");
    return [...links].map((a) => {
      const label = a.cloneNode(true);
      label.querySelectorAll("[data-testid='stIconMaterial']").forEach((icon) => icon.remove());
      return label.textContent.trim();
    });
  };
  const sample = () => window.__olSidebar.push([performance.now(), entries()]);
  sample();
  setInterval(sample, 100);
})();
"""


def folder_listing_labels() -> set[str]:
    """The entries of Streamlit's automatic listing of pages/ (its legacy multipage mode): the entry
    point and every file of the folder, by file name ("posts_entities.py" -> "posts entities")."""
    files = [p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith((".", "__init__"))]
    return {"dashboard", *(p.stem.replace("_", " ") for p in files)}


def real_nav_labels() -> set[str]:
    """Every label of the app's own navigation links, in both UI languages."""
    from analysis.i18n import UI_LANGS, catalog, t

    keys = [k for k in catalog() if k.startswith("nav.") and not k.startswith("nav.section.")]
    return {t(k, lang) for k in keys for lang in UI_LANGS}


def sidebar_samples(page: Page) -> list[tuple[float, list[str] | None]]:
    """The sidebar samples SIDEBAR_SAMPLER took so far (install it with add_init_script first)."""
    return [(float(t), entries) for t, entries in page.evaluate("window.__olSidebar || []")]


def foreign_sidebar_entries(samples: list[tuple[float, list[str] | None]]) -> list[tuple[float, list[str]]]:
    """The samples whose navigation held anything but the app's own links: (page time, entries)."""
    real = real_nav_labels()
    return [(t, entries) for t, entries in samples if entries and not set(entries) <= real]


def current_path(page: Page) -> str:
    """The URL path of the page on show, without slashes ("" = the default page)."""
    return urllib.parse.urlparse(page.url).path.strip("/")


PAGE_TITLE = "[data-testid='stMain'] h1"
# What a finished page run shows first: its title, or the error that stopped it before the title
# (a traceback or st.error + st.stop), which the caller should see instead of a timeout.
PAGE_DRAWN = (
    f"{PAGE_TITLE}, [data-testid='stMain'] {EXCEPTION}, [data-testid='stMain'] [data-testid='stAlert']"
)


def go_to_page(page: Page, url_path: str, timeout_ms: float = 30_000) -> float:
    """Click the sidebar link to `url_path` ("" = the default page) and wait until that page has
    been drawn: its run finished, the URL and the highlighted link are the page's, its title (or
    the error that stopped it) is shown and the app is idle. Returns ms from the click to the end
    of the run (0 if the page was already on show: clicking its link need not rerun anything)."""
    wait_for_idle(page, timeout_ms)
    paths = nav_paths(page)
    if url_path not in paths:
        raise AssertionError(f"no sidebar link to {url_path!r}; links: {paths}")
    link = page.locator(NAV_LINK).nth(paths.index(url_path))
    if current_path(page) == url_path and current_nav_path(page) == url_path:
        page.locator(PAGE_DRAWN).first.wait_for(state="visible", timeout=timeout_ms)
        return 0.0
    link.wait_for(state="visible", timeout=timeout_ms)
    elapsed = rerun_after(page, link.click, timeout_ms, retry_unnoticed_ms=5_000)
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path.strip("/") == url_path, timeout=timeout_ms)
    wait_for_current_nav(page, url_path, timeout_ms)
    page.locator(PAGE_DRAWN).first.wait_for(state="visible", timeout=timeout_ms)
    wait_for_idle(page, timeout_ms)
    return elapsed


# Plotly draws an Indicator gauge as SVG: `g.angular` (the dial) and `text.number` (the value).
GAUGE_DIAL = ".js-plotly-plot .indicatorlayer g.angular"
GAUGE_NUMBER = ".js-plotly-plot .indicatorlayer text.number"

_FIRST_LOAD_DONE = """
([dial, value]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  const ran = (window.__olFinished || []).some(([t, s]) => s !== EARLY_FOR_RERUN)
    || (window.__olStates || []).some(([t, s]) => s === 'running');
  if (!ran) return false;
  if (!document.querySelector(dial)) return false;
  const number = document.querySelector(value);
  if (!number || !number.textContent.trim()) return false;
  return performance.now();
}
""".replace("EARLY_FOR_RERUN", str(FINISHED_EARLY_FOR_RERUN))


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
    if chosen == selected_option(page, key):  # the same value again: Streamlit does not rerun
        option.click()
        wait_for_idle(page)
        return chosen
    rerun_after(page, option.click)
    return chosen


def add_to_multiselect(page: Page, key: str, text: str) -> None:
    """Type `text` into the multiselect `key` and pick the first option it filters to (Enter),
    waiting for the rerun that follows."""
    box = widget(page, key)
    box.scroll_into_view_if_needed()
    field = box.locator("input").first
    field.click()
    field.fill(text)
    page.get_by_role("option").first.wait_for(state="visible", timeout=5_000)
    rerun_after(page, lambda: field.press("Enter"))
    page.keyboard.press("Escape")  # close the list so it does not cover the page


def set_expander(expander: Locator, *, open_: bool, timeout_ms: float = 10_000) -> None:
    """Open or close an st.expander by clicking its header, and wait until its <details> says so.

    An expander is client-side (no rerun), and its header ignores a click while it is still
    animating the previous toggle or while React replaces it: click again until the state holds.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    details = expander.locator("details").first
    header = details.locator("summary").first
    wanted = "true" if open_ else "false"
    opened = "(el) => String(el.open)"
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if details.evaluate(opened) == wanted:
            return
        header.click()
        try:
            details.page.wait_for_function(
                "([el, wanted]) => String(el.open) === wanted",
                arg=[details.element_handle(), wanted],
                timeout=1_500,
                polling=50,
            )
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def metric_value(page: Page, label: str) -> Locator:
    """The value of the st.metric whose label is `label`."""
    card = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return card.locator("[data-testid='stMetricValue']").first
