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


def test_every_file_of_pages_is_a_page_of_the_menu() -> None:
    """Streamlit's legacy pages/ start (a fresh server's first run) would run any file of pages/
    that a URL names: so pages/ holds the pages and nothing else (the shared glue is pages/ui/, a
    package, which that start does not list)."""
    files = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert files == {path or "overview" for path, _ in MENU}
