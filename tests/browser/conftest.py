"""Fixtures for the real-browser tests: one `streamlit run dashboard.py` and one Chromium per session.

Each test gets a fresh browser context, which is a fresh Streamlit session (its own session
state), against the shared server and its temporary library database.

Every test here is marked `browser` and `slow` (whatever its module says), and tests marked
`runs_last` run after all others in the session (the memory test, which must see a server that
has done everything).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from server import (
    CHROMIUM_PATH,
    StreamlitServer,
    launch_chromium,
    new_page,
    open_app,
    screenshot,
    start_server,
)


def _unavailable(reason: str) -> None:
    # Locally a machine without Chromium skips; in CI a skip would hide a broken set-up.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Called with the whole session's items, not only this folder's.
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
            # Under pytest-xdist's --dist loadgroup every browser test runs in one worker, in this
            # order, against one shared server (the memory test last sees a server that has done
            # everything); the other worker runs the rest of the suite meanwhile.
            item.add_marker(pytest.mark.xdist_group("browser"))
    last = [item for item in items if item.get_closest_marker("runs_last")]
    if last:
        items[:] = [item for item in items if not item.get_closest_marker("runs_last")] + last


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # Keep each phase's report on the item so fixtures can screenshot failures at teardown.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Generator[StreamlitServer]:
    """The dashboard on a free port, with an empty library of its own."""
    workdir: Path = tmp_path_factory.mktemp("streamlit-server")
    server = start_server(workdir, timeout_s=60)
    yield server
    server.stop()
    # The log is the first place to look when a page misbehaves; pytest shows it with -rA / -s.
    print(f"\n--- streamlit log ({server.log_path}) ---\n{server.log_tail(3000)}")


@pytest.fixture(scope="session")
def chromium() -> Generator[object]:
    if not CHROMIUM_PATH.exists():
        _unavailable(f"{CHROMIUM_PATH} not found (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test extra
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def app(chromium: object, streamlit_server: StreamlitServer, request: pytest.FixtureRequest) -> Iterator:
    """A new session with the app opened on its default page and its first run finished."""
    page = new_page(chromium)  # type: ignore[arg-type]
    open_app(page, streamlit_server.url)
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        try:
            screenshot(page, f"FAILED-{request.node.name}")
        except Exception as exc:  # a failed screenshot must not mask the test's own failure
            print(f"could not save failure screenshot: {exc}")
    page.context.close()


@pytest.fixture
def fresh_server(tmp_path: Path) -> Generator[StreamlitServer]:
    """A server of its own, for behaviour that only shows in the first session of a new process
    (costs a server start and the models loading, ~5 s)."""
    server = start_server(tmp_path, timeout_s=60)
    yield server
    server.stop()
