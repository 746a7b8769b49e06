"""What the posts page sends on each run with the 3,001-post sample: capped post tables with a note
and a download of the full list, and the same charts again on a rerun (they are cached per corpus)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.i18n import t

ROOT = Path(__file__).resolve().parents[1]
LANG = "zh"
# pages/posts.py PERIOD_TABLE_ROWS and TOP_TABLE_ROWS (importing a page module would run the page).
PERIOD_TABLE_ROWS = 100
TOP_TABLE_ROWS = 50

# slow: scores the whole sample once (~5 s); temp_library: tests/conftest.py
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("temp_library")]


def test_sample_top_table_is_capped_with_a_full_download_and_charts_are_stable() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=240)
    at.session_state["ui_lang"] = LANG
    at.run()
    at.switch_page("pages/posts.py").run()
    at.button(key="posts_sample").click().run()
    assert not at.exception, [e.value for e in at.exception]

    row_col = t("posts.col.row", LANG)
    lengths = sorted(len(d.value) for d in at.dataframe if row_col in d.value.columns)
    # The top table shows the first TOP_TABLE_ROWS of the 3,001 posts, with a note and a download
    # of them all; the busiest day's table (45 posts) is whole, so it has neither.
    assert max(lengths) == TOP_TABLE_ROWS, lengths
    assert all(n <= PERIOD_TABLE_ROWS for n in lengths)
    # The note names the rows shown and the posts in the corpus (3,001 less those cleaning dropped).
    template = t("posts.table_capped", LANG, shown=TOP_TABLE_ROWS, total=999_999)
    note = re.compile(re.escape(template).replace("999999", r"(\d+)"))
    notes = [m for c in at.caption if (m := note.fullmatch(c.value))]
    assert len(notes) == 1, [c.value for c in at.caption]
    total = int(notes[0].group(1))
    assert 2_900 <= total <= 3_001, total
    downloads = {b.key for b in at.get("download_button")}
    assert "posts_top_table_download" in downloads and "posts_period_table_download" not in downloads
    button = next(b for b in at.get("download_button") if b.key == "posts_top_table_download")
    assert button.label == t("posts.table_download", LANG, n=total)

    # A rerun (as on a page switch) takes the charts from the corpus's cache: they must be the
    # very charts the first run drew.
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [c.proto.spec for c in at.get("plotly_chart")] == specs
