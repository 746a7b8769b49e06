"""Memory limit: the server stays under 600 MB after every page has been drawn with the samples.

Marked `runs_last` (tests/browser/conftest.py moves it after every other test), so the server also
carries whatever the other browser tests cached (uploaded articles, analysed corpora): the limit
must hold for a session that has done everything.
"""

from __future__ import annotations

import pytest
from flows import load_sample_corpus
from playwright.sync_api import Page, expect
from server import EXCEPTION, StreamlitServer, go_to_page, nav_paths

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.runs_last]

RSS_LIMIT_MB = 600  # issue 5; Community Cloud gives an app about 1-2.7 GB


def test_server_memory_after_every_page_with_the_samples(
    app: Page, streamlit_server: StreamlitServer
) -> None:
    paths = nav_paths(app)
    load_sample_corpus(app, paths)
    for path in [*paths[1:], paths[0]]:
        go_to_page(app, path)
        expect(app.locator(EXCEPTION)).to_have_count(0)
    rss_mb = streamlit_server.rss_bytes() / 2**20
    print(f"server RSS after every page: {rss_mb:.0f} MB")
    assert rss_mb < RSS_LIMIT_MB, f"server RSS {rss_mb:.0f} MB ≥ {RSS_LIMIT_MB} MB"
