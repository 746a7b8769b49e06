"""The Library page through Streamlit's AppTest, driven from the real entry point (dashboard.py).

Each test gets its own SQLite library (`temp_library` from tests/conftest.py: a copy of the
session's template, the sample already in it) and fresh caches.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.i18n import t
from analysis.library import Library
from analysis.readers import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/library.py"
LANG = "zh"  # interactions run in Chinese, the app's default; the error messages in both languages

ENGLISH = (
    "Battery maker faces recall\n\n"
    "The company said the recall was a disappointing failure. "
    "Analysts praised the quick and honest response. Shares were unchanged."
)


def _library(url: str) -> Library:
    return Library(url)


def _open_page(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["ui_lang"] = lang
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def _pick(at: AppTest, article_id: int) -> None:
    """Pick an article by id (by option index: AppTest would run the page's format_func outside
    the app's session, in the wrong UI language)."""
    box = at.selectbox(key="library_pick")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"#{article_id} "))).run()


def _unescape(text: str) -> str:
    return text.replace("\\", "")  # file names are Markdown-escaped on the page


def test_page_says_where_the_library_lives_in_both_languages(temp_library: str) -> None:
    at = _open_page("en")
    assert at.title[0].value == "Library"
    captions = " ".join(_texts(at.caption))
    assert "library.db" in captions and "Stored at" in captions
    # tmp_path is under the temp folder: uploads there would not survive a restart.
    assert any("ephemeral" in w for w in _texts(at.warning))
    at_zh = _open_page("zh")
    assert at_zh.title[0].value == "文章库"
    assert any("临时" in w for w in _texts(at_zh.warning))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_uploads_show_specific_errors_and_store_nothing(temp_library: str, lang: str) -> None:
    at = _open_page(lang)
    before = _library(temp_library).list_articles()
    uploader = at.file_uploader(key="library_upload")
    uploader.upload("photo.txt", bytes(range(256)) * 40, "text/plain")
    uploader.upload("empty.txt", b"", "text/plain")
    uploader.upload("blank.txt", b"  \n\t\n", "text/plain")  # not 0 bytes: the message must not say so
    uploader.upload("broken.pdf", b"%PDF-1.4 nothing else", "application/pdf")
    uploader.upload("digits.txt", b"123 456 789", "text/plain")
    uploader.upload("huge.txt", b"a" * (MAX_BYTES + 1), "text/plain")
    at.run()
    assert not at.exception
    errors = [_unescape(e) for e in _texts(at.error)]
    assert t("library.error.binary", lang, name="photo.txt") in errors
    assert t("library.error.empty", lang, name="empty.txt") in errors
    assert t("library.error.empty", lang, name="blank.txt") in errors
    assert t("library.error.malformed", lang, name="broken.pdf") in errors
    assert t("library.error.no_text", lang, name="digits.txt") in errors
    too_large = t("library.error.too_large", lang, name="huge.txt", limit=MAX_BYTES // 2**20)
    assert too_large in errors and "20 MiB" in too_large  # the message states the limit
    assert at.button(key="library_save").disabled  # nothing readable, nothing to save
    assert _library(temp_library).list_articles() == before


def test_upload_edit_and_save_then_reupload_is_not_a_duplicate(temp_library: str) -> None:
    at = _open_page(LANG)
    count = _library(temp_library).count_articles()
    at.file_uploader(key="library_upload").upload("recall.txt", ENGLISH.encode(), "text/plain")
    at.file_uploader(key="library_upload").upload("photo.txt", bytes(range(256)) * 40, "text/plain")
    at.run()
    title_box = next(w for w in at.text_input if w.key.startswith("library_draft_title_"))
    assert title_box.value == "Battery maker faces recall"  # found in the text
    ident = title_box.key.removeprefix("library_draft_title_")
    title_box.set_value("Recall coverage")
    at.text_input(key=f"library_draft_source_{ident}").set_value("Reuters")
    at.date_input(key=f"library_draft_date_{ident}").set_value(date(2024, 5, 6))
    at.time_input(key=f"library_draft_time_{ident}").set_value(time(7, 8))
    at.selectbox(key=f"library_draft_tz_{ident}").set_value(-240)
    at.button(key="library_save").click()
    at.run()
    assert not at.exception
    assert any("recall.txt" in _unescape(s) for s in _texts(at.success))
    library = _library(temp_library)
    assert library.count_articles() == count + 1  # the bad file stored nothing
    saved = library.list_articles("Recall coverage")[0]
    assert (saved.title, saved.source, saved.filename) == ("Recall coverage", "Reuters", "recall.txt")
    assert saved.published_at == datetime(2024, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=-4)))
    assert saved.n and saved.language == "en"
    assert at.session_state["article_id"] == saved.id  # the sidebar now shows the saved article

    # The same content again (here pasted) says so and stores nothing new.
    at.text_area(key="library_paste").set_value(ENGLISH + "\n")
    at.run()
    infos = [_unescape(i) for i in _texts(at.info)]
    already = t("library.add.already", LANG, name="recall.txt", title="Recall coverage")
    assert already in infos
    assert at.button(key="library_save").disabled
    assert _library(temp_library).count_articles() == count + 1


def test_paste_and_save(temp_library: str) -> None:
    at = _open_page("zh")
    count = _library(temp_library).count_articles()
    at.text_area(key="library_paste").set_value(
        "公司回应质疑\n\n用户非常失望，认为公司处理得很糟糕。也有人表示满意。"
    )
    at.run()
    at.button(key="library_save").click()
    at.run()
    assert not at.exception
    assert any(t("library.add.pasted_label", "zh") in s for s in _texts(at.success))
    library = _library(temp_library)
    assert library.count_articles() == count + 1
    record = library.list_articles("失望")[0]
    assert record.filename is None and record.language == "zh" and record.n


def test_search_lists_matching_articles(temp_library: str) -> None:
    library = _library(temp_library)
    library.add_article("Electric car sales fell sharply.", title="EV sales", source="Caixin")
    library.add_article("A bank raised its outlook.", title="Bank outlook", source="Reuters")
    at = _open_page(LANG)
    frame = at.dataframe[0].value
    assert {"EV sales", "Bank outlook"} <= set(frame["title"])
    at.text_input(key="library_search").set_value("reuters").run()
    frame = at.dataframe[0].value
    assert list(frame["title"]) == ["Bank outlook"]
    at.text_input(key="library_search").set_value("no such words anywhere").run()
    assert not at.dataframe
    assert any("no such words anywhere" in i for i in _texts(at.info))


def test_delete_needs_confirmation(temp_library: str) -> None:
    library = _library(temp_library)
    doomed, _ = library.add_article("Delete me please.", title="Doomed")
    at = _open_page(LANG)
    _pick(at, doomed.id)
    button = at.button(key=f"library_delete_{doomed.id}")
    assert button.disabled  # not before the box is ticked
    at.checkbox(key=f"library_delete_confirm_{doomed.id}").check().run()
    at.button(key=f"library_delete_{doomed.id}").click().run()
    assert not at.exception
    assert library.find_by_sha(doomed.sha256) is None
    assert any("Doomed" in s for s in _texts(at.success))
    assert "Doomed" not in set(at.dataframe[0].value["title"]) if at.dataframe else True
    # Nothing is lost: it waits in the trash, and one click restores it.
    [(trash_id, _, record)] = library.list_trash()
    assert record.title == "Doomed"
    at.button(key=f"library_restore_{trash_id}").click().run()
    assert not at.exception
    assert library.find_by_sha(doomed.sha256) is not None and library.list_trash() == []
    # Purging is a separate, confirmed action.
    library.delete_article(doomed.id)
    at.run()
    assert at.button(key="library_purge").disabled
    at.checkbox(key="library_purge_all_confirm").check().run()
    at.button(key="library_purge").click().run()
    assert not at.exception and library.list_trash() == []


def test_set_the_date_of_an_undated_article(temp_library: str) -> None:
    library = _library(temp_library)
    undated, _ = library.add_article("An article without any date.", title="Undated one")
    at = _open_page(LANG)
    assert t("library.list.undated_count", LANG, count=1) in _texts(at.caption)
    at.checkbox(key="library_only_undated").check().run()
    assert "Undated one" in set(at.dataframe[0].value["title"])
    assert all(d == t("library.undated", LANG) for d in at.dataframe[0].value["date"])
    _pick(at, undated.id)
    at.date_input(key=f"library_edit_date_{undated.id}").set_value(date(2025, 3, 1))
    at.time_input(key=f"library_edit_time_{undated.id}").set_value(time(9, 30))
    at.text_input(key=f"library_edit_source_{undated.id}").set_value("Weibo")
    at.button(key=f"library_edit_save_{undated.id}").click().run()
    assert not at.exception
    updated = library.get_article(undated.id)
    assert updated.published_at == datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert (updated.source, updated.title) == ("Weibo", "Undated one")
    assert any("Undated one" in s for s in _texts(at.success))


def test_open_makes_it_the_active_article(temp_library: str) -> None:
    library = _library(temp_library)
    record, _ = library.add_article("Open this article now.", title="To open")
    at = _open_page(LANG)
    _pick(at, record.id)
    at.button(key="library_open").click().run()
    assert not at.exception
    assert at.session_state["article_id"] == record.id


def test_saved_articles_survive_a_restart_of_the_app(temp_library: str) -> None:
    at = _open_page(LANG)
    at.text_area(key="library_paste").set_value("Restart check\n\nThe results were good and stable.")
    at.run()
    at.button(key="library_save").click().run()
    assert not at.exception
    # A restart: the process-wide caches (the Library object among them) are gone, a new session starts.
    from pages.ui.cache import _library_for

    _library_for.clear()
    st.cache_data.clear()
    again = _open_page(LANG)
    assert "Restart check" in set(again.dataframe[0].value["title"])
