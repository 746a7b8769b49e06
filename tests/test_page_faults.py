"""Faults a shared deployment meets, seen from the pages: a corrupt or read-only SQLite file, and
the PostgreSQL server going away mid-session and coming back (the real server, stopped and
started). Each gives a clear message, never a traceback, and nothing stored is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from analysis.i18n import t
from analysis.intake import ensure_sample
from analysis.library import DB_URL_ENV, Library
from pages.ui.cache import SAMPLE_PATH
from tests.dashboard_fixtures import ROOT, legacy_pages_off
from tests.test_library_storage import _reset_postgres, _stoppable_postgres, postgres_stopped


def _fresh_caches() -> None:
    from pages.ui.cache import _library_for, _sample_id_for

    _library_for.clear()
    _sample_id_for.clear()
    st.cache_data.clear()


def _open(lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["ui_lang"] = lang
    at.run()
    return at


def _messages(at) -> list[str]:
    return [e.value for kind in ("error", "warning") for e in at.get(kind)]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch):
    legacy_pages_off(monkeypatch)
    _fresh_caches()
    yield
    _fresh_caches()


def test_corrupt_sqlite_file_is_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    db.write_bytes(b"not a database at all; a damaged copy " * 200)
    monkeypatch.setenv(DB_URL_ENV, f"sqlite:///{db}")
    at = _open()
    assert not at.exception, [e.value for e in at.exception]
    assert any("file is not a database" in m for m in _messages(at)), _messages(at)
    at.switch_page("pages/library.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert db.read_bytes().startswith(b"not a database")  # nothing overwritten


def test_read_only_sqlite_reads_and_refuses_a_save_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "library.db"
    writable = Library(f"sqlite:///{db}")
    ensure_sample(writable, SAMPLE_PATH)
    writable.dispose()
    monkeypatch.setenv(DB_URL_ENV, f"sqlite:///file:{db}?mode=ro&uri=true")
    at = _open()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, "the sample's Overview is drawn from the read-only file"
    at.switch_page("pages/library.py").run()
    at.text_area(key="library_paste").set_value("Read-only check\n\nThe recall was handled badly.")
    at.run()
    at.button(key="library_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(_messages(at))
    assert "readonly" in shown or "read-only" in shown, shown
    assert Library(f"sqlite:///{db}").count_articles() == 1  # the stored sample is still there


@pytest.mark.postgres
def test_postgres_outage_keeps_the_page_read_only_and_recovers_by_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, data, port = _stoppable_postgres()
    monkeypatch.setenv(DB_URL_ENV, url)
    try:
        at = _open()
        assert not at.exception, [e.value for e in at.exception]
        figures_before = [(m.label, m.value) for m in at.metric]
        assert figures_before
        with postgres_stopped(data, port):
            at.run()  # any interaction reruns the page
            assert not at.exception, [e.value for e in at.exception]
            down = t("dash.library_down", "en", error="§").split("§")[0]
            assert any(w.startswith(down) for w in _messages(at)), _messages(at)
            assert [
                (m.label, m.value) for m in at.metric
            ] == figures_before  # drawn from what the session has
            at.switch_page("pages/library.py").run()
            assert not at.exception, [e.value for e in at.exception]
            keys = {getattr(w, "key", None) for kind in ("file_uploader", "button") for w in at.get(kind)}
            assert "library_upload" not in keys  # nothing can be saved: no control pretends otherwise
        at.run()  # back: the next run reads the library again, editing returns by itself
        assert not at.exception, [e.value for e in at.exception]
        assert not any(w.startswith(down) for w in _messages(at))
        assert at.file_uploader(key="library_upload") is not None
        assert Library(url).count_articles() == 1  # the sample, stored before the outage
    finally:
        _reset_postgres(url)
