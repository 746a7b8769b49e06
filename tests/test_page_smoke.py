"""Smoke test: every page of the app, in both UI languages, opened on the sample article through
the real entry point, runs without an exception, shows its title and no error element.

The pages are read from the navigation (pages/ui/frame.py), so a new page is covered as soon as it is added
(and fails here until its title is listed below).
"""

from __future__ import annotations

import re

import pytest

from analysis.i18n import t
from analysis.library import Library
from tests.dashboard_fixtures import ROOT, open_app

# The title each page draws (st.title), by UI string key; None: the active article's title.
TITLES: dict[str, str | None] = {
    "overview": None,
    "viewpoints": "vp.title",
    "themes": "th.title",
    "timeline": "tl.title",
    "posts": "posts.title",
    "library": "library.title",
    "compare": "cmp.title",
    "method": "me.title",
}


def dashboard_pages() -> list[str]:
    """The pages the app's frame registers with st.navigation (`page("name", ...)`), in menu order."""
    source = (ROOT / "pages" / "ui" / "frame.py").read_text(encoding="utf-8")
    return [
        name for name in re.findall(r'\bpage\(\s*"(\w+)"', source) if (ROOT / "pages" / f"{name}.py").exists()
    ]


def test_the_page_list_is_read_from_the_navigation() -> None:
    pages = dashboard_pages()
    assert pages[0] == "overview" and "method" in pages and len(pages) == len(set(pages)) >= 7


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", dashboard_pages())
def test_page_draws_its_title_without_errors(app_env: str, page: str, lang: str) -> None:
    assert page in TITLES, f"pages/{page}.py is new: add the UI string key of its title to TITLES"
    at = open_app(f"pages/{page}.py", lang=lang)  # asserts no exception after each run
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    key = TITLES[page]
    if key is None:
        (record,) = Library(app_env).list_articles()  # the sample, opened on the first run
        expected = record.title
    else:
        expected = t(key, lang)
    assert [x.value for x in at.main.title][:1] == [expected]
