"""Timeline page through AppTest: the emotional arc, the library by date, setting a date."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

from analysis.library import Library
from tests.dashboard_fixtures import add_article, chart_keys, open_app

PAGE = "pages/timeline.py"


def test_arc_and_library_timeline(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    assert at.title[0].value == "Timeline"
    assert {"emotional_arc", "library_timeline"} <= set(chart_keys(at))
    at.slider(key="arc_window").set_value(5).run()
    assert not at.exception
    assert any("last 5 sentences" in c.value for c in at.caption)
    assert any("Only one dated article" in c.value for c in at.caption)


def test_undated_article_is_listed_apart_and_can_be_dated(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    undated = add_article(
        app_env, "Follow-up\n\nThe company apologised and promised a fix.", title="Follow-up"
    )
    at.run()
    assert any(s.value == "Undated articles (1)" for s in at.subheader)
    at.date_input(key=f"date_{undated}").set_value(date(2025, 11, 3))
    at.time_input(key=f"time_{undated}").set_value(time(9, 30))
    at.selectbox(key=f"offset_{undated}").set_value(8 * 60)  # minutes east of UTC
    at.button(key=f"set_date_{undated}").click().run()
    assert not at.exception
    record = Library(app_env).get_article(undated)
    assert record.published_at is not None
    assert record.published_at.utcoffset() == timedelta(hours=8)
    assert (record.published_at.date(), record.published_at.time()) == (date(2025, 11, 3), time(9, 30))
    assert record.published_at.tzinfo is not None and record.published_at.astimezone(UTC).hour == 1
    assert not any(s.value.startswith("Undated articles") for s in at.subheader)
    assert not any("Only one dated article" in c.value for c in at.caption)
