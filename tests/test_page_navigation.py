"""The app's own navigation (issue 22) through AppTest: Streamlit's menu is off, the sidebar's links
are the app's pages in menu order in the UI language, and a module of pages/ opened by URL on a
fresh server (Streamlit's legacy pages/ start runs that file) sends the visitor to the Overview.

The browser half (nothing but these links ever shows in the sidebar of a fresh server, a click
during the first run is honoured) is tests/browser/test_browser_first_run_nav.py.
"""

from __future__ import annotations

import tomllib

import pytest

from analysis.i18n import t
from analysis.library import Library
from tests.dashboard_fixtures import ROOT, open_app

# (URL path, label key) of every link, in menu order: the order of pages/ui/frame.py's _sections().
MENU = [
    ("", "nav.overview"),
    ("viewpoints", "nav.viewpoints"),
    ("themes", "nav.themes"),
    ("timeline", "nav.timeline"),
    ("posts", "nav.posts"),
    ("library", "nav.library"),
    ("compare", "nav.compare"),
    ("method", "nav.method"),
]
SECTIONS = ["nav.section.article", "nav.section.posts", "nav.section.library", "nav.section.method"]


def test_streamlit_menu_is_off() -> None:
    """With its menu on, Streamlit lists every file of pages/ on a fresh server's first run."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showSidebarNavigation"] is False


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sidebar_links_are_the_pages_in_menu_order(app_env: str, lang: str) -> None:
    at = open_app("pages/themes.py", lang=lang)
    links = [(link.proto.page, link.proto.label) for link in at.sidebar.get("page_link")]
    assert links == [(path, t(key, lang)) for path, key in MENU]
    captions = [c.value for c in at.sidebar.caption]
    headers = [t(key, lang) for key in SECTIONS]
    assert [c for c in captions if c in headers] == headers


@pytest.mark.parametrize("module", ["common"])  # the shared modules live in pages/ui now (not discovered)
def test_a_module_of_pages_opened_first_opens_the_overview(app_env: str, monkeypatch, module: str) -> None:
    """A fresh server whose first request names a module of pages/ that is not a page runs that
    file alone (legacy pages/ mode): it sends the visitor to the app, which opens the Overview."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    monkeypatch.undo()  # back to AppTest's own behaviour: legacy mode on every run
    monkeypatch.setenv("OPINION_LENS_DB_URL", app_env)
    PagesManager.uses_pages_directory = None
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page(f"pages/{module}.py").run()  # the session's first run, as a URL that names it
    assert not at.exception, [e.value for e in at.exception]
    (record,) = Library(app_env).list_articles()
    assert [x.value for x in at.main.title][:1] == [record.title]
    assert [link.proto.page for link in at.sidebar.get("page_link")] == [path for path, _ in MENU]
