"""Shared fixtures and markers for the whole suite.

Fixtures (defined in tests/dashboard_fixtures.py with the AppTest helpers, available everywhere):

- `library_template` (session): a SQLite library holding the analysed sample article, built once;
- `temp_library`: a copy of it for one test, OPINION_LENS_DB_URL pointing at the copy, empty caches;
- `app_env`: `temp_library` with Streamlit in the state a running server is in.

Page tests request `temp_library` or `app_env` by name (or `pytestmark =
pytest.mark.usefixtures("temp_library")`); nothing here is autouse, so unit tests pay nothing.

Markers: `python -m pytest -m "not browser and not slow"` is the quick local run; the README's
`python -m pytest` (and CI) runs everything.
"""

from __future__ import annotations

import os
import warnings

import pytest

from tests.dashboard_fixtures import app_env, library_template, temp_library

# The app's background warm-up (pages/ui/warm.py) stays off in-process: AppTest runs pages in this
# process, where a warm-up thread would load models into the middle of tests that count loads.
# tests/test_warm.py turns it on for its own tests; the browser tests' servers run it (server.py).
os.environ.setdefault("OPINION_LENS_WARM_UP", "0")

__all__ = ["app_env", "library_template", "temp_library"]

# Tests that take several seconds, in files whose own markers are kept by their owners; marked
# `slow` here so the quick run leaves them out. Node ids without parameters.
SLOW = frozenset(
    {
        "tests/test_corpus_cli.py::test_timeline_xlsx_and_stdin",
        "tests/test_corpus_cli.py::test_timeline_contract",
        "tests/test_corpus_properties.py::test_random_jsonl_raises_only_corpus_errors",
        "tests/test_structure_properties.py::test_time_grows_linearly_up_to_a_megabyte",
    }
)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    found = set()
    for item in items:
        node = item.nodeid.split("[", 1)[0]
        if node in SLOW:
            item.add_marker(pytest.mark.slow)
            found.add(node)
    # A renamed test would silently join the quick run: say so when its whole file was collected.
    if any("::" in arg for arg in config.args):
        return
    files = {item.nodeid.split("::", 1)[0] for item in items}
    for node in sorted(SLOW - found):
        if node.split("::", 1)[0] in files:
            warnings.warn(
                pytest.PytestWarning(f"tests/conftest.py SLOW names {node}, not collected"), stacklevel=1
            )
