"""The persistent library (analysis/library/) against SQLite and a real PostgreSQL server.

PostgreSQL tests (marker `postgres`) use $OPINION_LENS_TEST_PG_URL (start one with
`source .ci/start_postgres.sh`); without it they skip locally and FAIL in CI (CI=true), so CI
cannot pass by silently skipping them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from analysis import library as library_module
from analysis.library import (
    DB_URL_ENV,
    UNSET,
    Library,
    LibraryError,
    default_db_url,
    is_ephemeral_url,
    masked_url,
)
from analysis.metrics import summarize_counts
from analysis.text.normalize import content_hash, stored_text_form

PG_URL_ENV = "OPINION_LENS_TEST_PG_URL"
CST = timezone(timedelta(hours=8))


def _postgres_url() -> str:
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_URL_ENV} is not set in CI: .ci/run must start PostgreSQL first")
        pytest.skip(f"{PG_URL_ENV} not set (source .ci/start_postgres.sh to run these)")
    return url


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        library_module._metadata.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.db'}"
        return
    url = _postgres_url()
    _reset_postgres(url)
    yield url
    _reset_postgres(url)


@pytest.fixture
def lib(db_url: str) -> Iterator[Library]:
    library = Library(db_url)
    yield library
    library.dispose()


# -- articles ---------------------------------------------------------------------------------------


def test_add_and_get_round_trip_keeps_metadata_summary_and_offset(lib: Library) -> None:
    published = datetime(2025, 10, 27, 20, 11, tzinfo=CST)
    summary = summarize_counts(positive=3, neutral=5, negative=12)
    record, created = lib.add_article(
        "小米汽车信任危机\n正文",
        title="  小米汽车信任危机 ",
        source="新浪财经",
        published_at=published,
        language="zh",
        filename="xiaomi.txt",
        summary=summary,
        model="default@1",
    )
    assert created is True
    again = lib.get_article(record.id)
    assert again == record
    assert again.title == "小米汽车信任危机"  # outer blanks trimmed
    assert again.source == "新浪财经"
    assert again.published_at == published
    assert again.published_at.utcoffset() == timedelta(hours=8)  # shown as published, not in UTC
    assert (again.n, again.positive, again.neutral, again.negative) == (20, 3, 5, 12)
    assert again.nev == pytest.approx(summary.nev)
    assert again.nev_polar == pytest.approx(summary.nev_polar)
    assert again.summary == summarize_counts(3, 5, 12)
    assert again.model == "default@1"
    assert again.language == "zh"
    assert again.filename == "xiaomi.txt"
    assert again.sha256 == content_hash("小米汽车信任危机\n正文")
    assert again.created_at.tzinfo is not None and again.updated_at.tzinfo is not None
    assert abs(again.created_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_same_text_is_not_stored_twice(lib: Library) -> None:
    first, created1 = lib.add_article("Same article.\nSecond line.", title="first")
    # Windows line ends, a BOM and a trailing newline are still the same article.
    second, created2 = lib.add_article("\ufeffSame article.\r\nSecond line.\r\n", title="second")
    assert (created1, created2) == (True, False)
    assert second == first
    assert second.title == "first"  # the duplicate changed nothing
    assert lib.count_articles() == 1


def test_undated_and_bare_articles(lib: Library) -> None:
    record, _ = lib.add_article("no metadata at all")
    assert record.title is None and record.source is None and record.published_at is None
    assert record.n is None and record.summary is None and record.model is None


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\ufeff"])
def test_empty_text_is_refused_and_stores_nothing(lib: Library, text: str) -> None:
    with pytest.raises(LibraryError, match="empty"):
        lib.add_article(text)
    assert lib.count_articles() == 0


def test_naive_datetime_is_refused_and_stores_nothing(lib: Library) -> None:
    with pytest.raises(LibraryError, match="time zone"):
        lib.add_article("text", published_at=datetime(2025, 10, 27, 20, 11))
    assert lib.count_articles() == 0


def test_list_is_newest_first_and_search_is_case_insensitive(lib: Library) -> None:
    a, _ = lib.add_article("Body about batteries", title="Battery Recall", source="Reuters")
    b, _ = lib.add_article("小米汽车 body", title="小米", source="新浪财经", filename="Xiaomi_Report.TXT")
    c, _ = lib.add_article("100% sure_thing", title="Percent")
    assert [r.id for r in lib.list_articles()] == [c.id, b.id, a.id]
    assert [r.id for r in lib.list_articles("battery")] == [a.id]  # title, other case
    assert [r.id for r in lib.list_articles("REUTERS")] == [a.id]  # source
    assert [r.id for r in lib.list_articles("xiaomi_report")] == [b.id]  # filename
    assert [r.id for r in lib.list_articles("汽车")] == [b.id]  # text
    assert [r.id for r in lib.list_articles("BODY")] == [b.id, a.id]
    # LIKE wildcards in the search are literal characters
    assert [r.id for r in lib.list_articles("100%")] == [c.id]
    assert [r.id for r in lib.list_articles("e_t")] == [c.id]
    assert lib.list_articles("%") == [c]
    assert lib.list_articles("nothing like this") == []
    assert len(lib.list_articles("  ")) == 3  # blank search = everything


def test_find_by_sha(lib: Library) -> None:
    record, _ = lib.add_article("find me")
    assert lib.find_by_sha(content_hash("find me")) == record
    assert lib.find_by_sha("0" * 64) is None


def test_update_changes_only_given_fields_and_none_clears(lib: Library) -> None:
    record, _ = lib.add_article(
        "text to edit",
        title="Old",
        source="Src",
        summary=summarize_counts(1, 1, 1),
        model="m@1",
    )
    assert record.published_at is None
    date = datetime(2024, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=-5)))
    updated = lib.update_article(record.id, published_at=date)
    assert updated.published_at == date and updated.published_at.utcoffset() == timedelta(hours=-5)
    assert (updated.title, updated.source, updated.n, updated.model) == ("Old", "Src", 3, "m@1")
    assert updated.updated_at >= record.updated_at
    assert updated.created_at == record.created_at

    cleared = lib.update_article(record.id, title=None, source="  ", published_at=None)
    assert (cleared.title, cleared.source, cleared.published_at) == (None, None, None)
    assert cleared.n == 3  # untouched

    rescored = lib.update_article(record.id, summary=summarize_counts(0, 0, 4), model="m@2")
    assert (rescored.negative, rescored.nev, rescored.model) == (4, -1.0, "m@2")
    unscored = lib.update_article(record.id, summary=None, model=None, title=UNSET)
    assert unscored.summary is None and unscored.model is None


def test_update_and_delete_of_missing_article_raise(lib: Library) -> None:
    with pytest.raises(LibraryError, match="no article with id 999"):
        lib.update_article(999, title="x")
    with pytest.raises(LibraryError, match="no article with id 999"):
        lib.delete_article(999)
    with pytest.raises(LibraryError, match="no article with id 999"):
        lib.get_article(999)
    record, _ = lib.add_article("still here")
    with pytest.raises(LibraryError, match="time zone"):
        lib.update_article(record.id, published_at=datetime(2025, 1, 1))
    assert lib.get_article(record.id).published_at is None


def test_delete(lib: Library) -> None:
    keep, _ = lib.add_article("keep")
    gone, _ = lib.add_article("gone")
    lib.delete_article(gone.id)
    assert [r.id for r in lib.list_articles()] == [keep.id]
    assert lib.count_articles() == 1
    # Deleted content can be stored again.
    _, created = lib.add_article("gone")
    assert created is True


def test_a_failed_transaction_leaves_the_library_unchanged(lib: Library) -> None:
    lib.add_article("before")
    with pytest.raises(RuntimeError), lib._write() as conn:
        conn.execute(
            library_module.articles_table.insert().values(
                sha256=content_hash("half-written"),
                text="half-written",
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            )
        )
        raise RuntimeError("failure after the insert, before the commit")
    assert [r.text for r in lib.list_articles()] == ["before"]


def test_library_survives_a_restart(db_url: str) -> None:
    first = Library(db_url)
    record, _ = first.add_article("persistent", title="P", published_at=datetime(2025, 1, 1, tzinfo=UTC))
    first.dispose()
    second = Library(db_url)  # tables exist already: opening again must not fail or wipe them
    try:
        assert second.get_article(record.id) == record
        assert second.count_articles() == 1
    finally:
        second.dispose()


# -- corpora ----------------------------------------------------------------------------------------


def test_corpora_round_trip_dedupe_and_delete(lib: Library) -> None:
    data = "text,time\n好,2025-01-01\nbad,2025-01-02\n".encode()
    mapping = {"text": "text", "time": "time", "source": None}
    corpus, created = lib.add_corpus("微博评论", data, "posts.csv", mapping, rows=2)
    assert created is True
    assert (corpus.name, corpus.filename, corpus.mapping, corpus.rows) == (
        "微博评论",
        "posts.csv",
        mapping,
        2,
    )
    assert corpus.data == data and corpus.size == len(data)
    again, created_again = lib.add_corpus("other name", data, "copy.csv", {"text": "x"})
    assert created_again is False and again.id == corpus.id and again.name == "微博评论"

    other, _ = lib.add_corpus("", b"\x00\x01binary-ish xlsx bytes", "book.xlsx", {"text": "A"})
    assert other.name == "book.xlsx"  # blank name falls back to the file name
    listed = lib.list_corpora()
    assert [c.id for c in listed] == [other.id, corpus.id]
    assert all(c.data is None for c in listed)  # listing does not load the data
    assert lib.get_corpus_data(other.id) == b"\x00\x01binary-ish xlsx bytes"

    lib.delete_corpus(corpus.id)
    assert [c.id for c in lib.list_corpora()] == [other.id]
    with pytest.raises(LibraryError, match="no corpus"):
        lib.get_corpus(corpus.id)
    with pytest.raises(LibraryError, match="no corpus"):
        lib.delete_corpus(corpus.id)


def test_corpus_errors_store_nothing(lib: Library) -> None:
    with pytest.raises(LibraryError, match="empty"):
        lib.add_corpus("x", b"", "x.csv", {})
    with pytest.raises(LibraryError, match="mapping"):
        lib.add_corpus("x", b"a,b\n", "x.csv", {"bad": object()})
    assert lib.list_corpora() == []


# -- concurrency ------------------------------------------------------------------------------------

THREADS = 8
PER_THREAD = 10


def test_concurrent_saves_of_distinct_articles_lose_nothing(lib: Library) -> None:
    start = threading.Barrier(THREADS)

    def save(worker: int) -> list[bool]:
        start.wait()  # all threads write at the same moment
        return [lib.add_article(f"worker {worker} article {i}")[1] for i in range(PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(save, range(THREADS)))
    assert all(all(r) for r in results)
    assert lib.count_articles() == THREADS * PER_THREAD
    texts = {r.text for r in lib.list_articles()}
    assert texts == {f"worker {w} article {i}" for w in range(THREADS) for i in range(PER_THREAD)}


def test_concurrent_saves_of_the_same_text_make_one_row(lib: Library) -> None:
    start = threading.Barrier(THREADS)

    def save(_worker: int) -> tuple[int, bool]:
        start.wait()
        record, created = lib.add_article("everyone saves this one", title="race")
        return record.id, created

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(save, range(THREADS)))
    assert lib.count_articles() == 1
    assert len({article_id for article_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1


def test_two_library_instances_on_one_database_lose_nothing(db_url: str) -> None:
    libraries = [Library(db_url), Library(db_url)]
    start = threading.Barrier(THREADS)

    def save(worker: int) -> None:
        lib = libraries[worker % 2]
        start.wait()
        for i in range(PER_THREAD):
            lib.add_article(f"instance {worker % 2} worker {worker} item {i}")
            lib.add_article("shared by all workers")

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(save, range(THREADS)))
        assert libraries[0].count_articles() == THREADS * PER_THREAD + 1
        assert libraries[1].count_articles() == THREADS * PER_THREAD + 1
    finally:
        for lib in libraries:
            lib.dispose()


# -- URLs and paths (no database needed) --------------------------------------------------------------


def test_default_db_url_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DB_URL_ENV, "postgresql+psycopg://team@db.example/opinions")
    assert default_db_url() == "postgresql+psycopg://team@db.example/opinions"


def test_default_db_url_is_sqlite_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = default_db_url()
    assert url == f"sqlite:///{tmp_path / 'xdg' / 'opinion-lens' / 'library.db'}"
    assert (tmp_path / "xdg" / "opinion-lens").is_dir()  # created for us

    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert (
        default_db_url()
        == f"sqlite:///{tmp_path / 'home' / '.local' / 'share' / 'opinion-lens' / 'library.db'}"
    )


def test_library_with_default_url_creates_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    lib = Library()
    try:
        lib.add_article("hello")
        assert (tmp_path / "opinion-lens" / "library.db").is_file()
    finally:
        lib.dispose()


def test_masked_url_hides_the_password() -> None:
    shown = masked_url("postgresql+psycopg://analyst:s3cret@db.example:5432/opinions")
    assert "s3cret" not in shown and "analyst" in shown and "db.example" in shown
    assert masked_url("sqlite:////home/a/library.db") == "sqlite:////home/a/library.db"
    assert masked_url("not a url") == "<invalid database URL>"


def test_ephemeral_hint() -> None:
    local = {"HOME": "/home/analyst"}
    assert is_ephemeral_url("sqlite:///:memory:", env=local, cwd="/home/analyst")
    assert is_ephemeral_url("sqlite:////tmp/x/library.db", env=local, cwd="/home/analyst")
    assert not is_ephemeral_url("sqlite:////home/analyst/.local/share/x.db", env=local, cwd="/home/analyst")
    # Streamlit Community Cloud: the checkout is under /mount/src and the whole disk is ephemeral.
    assert is_ephemeral_url(
        "sqlite:////home/appuser/.local/share/x.db", env={"HOME": "/home/appuser"}, cwd="/mount/src/app"
    )
    # A database server outlives the app.
    assert not is_ephemeral_url(
        "postgresql+psycopg://u@h/db", env={"HOME": "/home/appuser"}, cwd="/mount/src"
    )


def test_invalid_url_is_a_library_error() -> None:
    with pytest.raises(LibraryError, match="invalid database URL"):
        Library("definitely not a url")
    with pytest.raises(LibraryError, match="cannot open the library"):
        Library("sqlite:////proc/no/such/dir/library.db")


def test_normalize_text() -> None:
    assert stored_text_form("\ufeff a\r\nb\rc \n") == "a\nb\nc"
    assert content_hash("a\r\nb\n") == content_hash("a\nb")


def test_a_database_that_goes_away_is_a_library_error(tmp_path: Path) -> None:
    lib = Library(f"sqlite:///{tmp_path / 'library.db'}")
    lib.add_article("stored")
    with lib._write() as conn:  # simulate a broken database: the table disappears
        conn.exec_driver_sql("DROP TABLE articles")
    try:
        with pytest.raises(LibraryError, match=r"library database .* failed: no such table"):
            lib.list_articles()
        with pytest.raises(LibraryError, match="failed"):
            lib.add_article("new")
    finally:
        lib.dispose()


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalized_text_is_stable(text: str) -> None:
    once = stored_text_form(text)
    assert stored_text_form(once) == once  # storing what was stored changes nothing
    assert content_hash(once) == content_hash(text)
    assert content_hash(once.replace("\n", "\r\n")) == content_hash(once)


def test_normalizing_is_idempotent_with_byte_order_marks_inside_the_blanks() -> None:
    assert stored_text_form(" \ufeff a \ufeff\n") == "a"
    assert stored_text_form("\r\n\r\n") == ""


def test_delete_moves_to_the_trash_and_restore_brings_it_back(lib: Library) -> None:
    kept, _ = lib.add_article("a kept article")
    gone, _ = lib.add_article("an article deleted by mistake", title="Mistake")
    lib.delete_article(gone.id)
    assert [r.id for r in lib.list_articles()] == [kept.id]
    [(trash_id, deleted_at, record)] = lib.list_trash()
    assert record.title == "Mistake" and record.text == gone.text
    assert deleted_at.tzinfo is not None
    restored = lib.restore_article(trash_id)
    assert (restored.id, restored.title, restored.created_at) == (gone.id, "Mistake", gone.created_at)
    assert lib.list_trash() == [] and lib.count_articles() == 2
    with pytest.raises(LibraryError, match="no article"):
        lib.restore_article(trash_id)


def test_restore_refuses_when_the_text_was_stored_again(lib: Library) -> None:
    first, _ = lib.add_article("stored twice over time")
    lib.delete_article(first.id)
    _, created = lib.add_article("stored twice over time")
    assert created
    trash_id = lib.list_trash()[0][0]
    with pytest.raises(LibraryError, match="in the library again"):
        lib.restore_article(trash_id)
    assert lib.count_articles() == 1 and len(lib.list_trash()) == 1  # nothing changed


def test_purge_is_explicit_by_id_or_age(lib: Library) -> None:
    for text in ("one to purge", "two to keep in the trash"):
        record, _ = lib.add_article(text)
        lib.delete_article(record.id)
    trash = lib.list_trash()
    assert lib.purge_trash(older_than_days=30) == 0  # nothing is that old
    with pytest.raises(LibraryError):
        lib.purge_trash()
    assert lib.purge_trash([trash[-1][0]]) == 1
    assert [r.text for _, _, r in lib.list_trash()] == ["two to keep in the trash"]
    assert lib.purge_trash(older_than_days=0) == 1 and lib.list_trash() == []


def _pg_ctl(action: str, data: Path, port: int) -> None:
    """Stop or start the test cluster that .ci/start_postgres.sh made (as its owner when root)."""
    import glob
    import shutil
    import subprocess

    bindir = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"))), None)
    pg_ctl = f"{bindir}/pg_ctl" if bindir else shutil.which("pg_ctl")
    cmd = [pg_ctl, "-D", str(data / "pgdata"), "-w", "-t", "60"]
    if action == "stop":
        cmd += ["-m", "fast", "stop"]
    else:
        cmd += [
            "-l",
            str(data / "server.log"),
            "-o",
            f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off",
            "start",
        ]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=90)


def _stoppable_postgres() -> tuple[str, Path, int]:
    """(url, data folder, port) of the test cluster .ci/start_postgres.sh made, emptied; skips
    when the URL does not name a cluster this test run may stop and start."""
    url = _postgres_url()
    data = Path(os.environ.get("OPINION_LENS_TEST_PG_DATA", ""))
    if not (data / "pgdata").is_dir():
        pytest.skip("OPINION_LENS_TEST_PG_DATA does not name the test cluster")
    _reset_postgres(url)
    port = sa.engine.make_url(url).port
    assert port is not None
    return url, data, port


@contextmanager
def postgres_stopped(data: Path, port: int) -> Iterator[None]:
    """The test cluster stopped for the block, started again however the block ends."""
    _pg_ctl("stop", data, port)
    try:
        yield
    finally:
        _pg_ctl("start", data, port)


@pytest.mark.postgres
def test_postgres_outage_gives_a_clear_error_and_recovers_by_itself() -> None:
    """Stop the real server mid-session: saves fail with one clear line, nothing half-written;
    start it again: the same Library object works without being recreated."""
    url, data, port = _stoppable_postgres()
    lib = Library(url)
    try:
        before, _ = lib.add_article("stored before the outage")
        with postgres_stopped(data, port):
            with pytest.raises(LibraryError) as err:
                lib.add_article("written during the outage")
            message = str(err.value)
            assert "\n" not in message and "postgresql" in message and "Traceback" not in message
            with pytest.raises(LibraryError):
                lib.list_articles()
        # Back: the pool's pre-ping replaces the dead connections; nothing was half-written.
        assert [r.id for r in lib.list_articles()] == [before.id]
        _, created = lib.add_article("written after the outage")
        assert created and lib.count_articles() == 2
    finally:
        lib.dispose()
        _reset_postgres(url)


# -- entity aliases (issue 13) ----------------------------------------------------------------------


def test_entity_aliases_add_list_delete(lib: Library) -> None:
    first = lib.add_entity_alias("  小米汽车工厂 ", "小米汽车", "company", editor="ana@example.org")
    assert (first.alias, first.canonical, first.type, first.editor) == (
        "小米汽车工厂",
        "小米汽车",
        "company",
        "ana@example.org",
    )
    assert first.created_at.tzinfo is not None
    second = lib.add_entity_alias("Lei  Jun Jr", "雷军", "person")
    assert [a.as_alias() for a in lib.list_entity_aliases()] == [
        ("小米汽车工厂", "小米汽车", "company"),
        ("Lei Jun Jr", "雷军", "person"),
    ]
    removed = lib.delete_entity_alias(first.id)
    assert removed.alias == "小米汽车工厂"
    assert [a.id for a in lib.list_entity_aliases()] == [second.id]
    with pytest.raises(LibraryError) as missing:
        lib.delete_entity_alias(first.id)
    assert missing.value.code == "alias_missing"


def test_an_alias_is_unique_in_any_case_or_width(lib: Library) -> None:
    lib.add_entity_alias("Xiaomi EV Unit", "小米汽车", "company")
    for again in ("xiaomi ev unit", "ＸＩＡＯＭＩ EV UNIT", " Xiaomi  EV Unit "):
        with pytest.raises(LibraryError) as taken:
            lib.add_entity_alias(again, "特斯拉", "company")
        assert taken.value.code == "alias_exists"
        assert "小米汽车" in str(taken.value)
    assert len(lib.list_entity_aliases()) == 1


@pytest.mark.parametrize(
    ("alias", "canonical", "type_"),
    [("", "小米", "company"), ("米厂", " ", "company"), ("米厂", "小米", ""), ("x" * 201, "小米", "company")],
)
def test_an_incomplete_alias_is_refused_and_stores_nothing(
    lib: Library, alias: str, canonical: str, type_: str
) -> None:
    with pytest.raises(LibraryError) as bad:
        lib.add_entity_alias(alias, canonical, type_)
    assert bad.value.code == "alias_invalid"
    assert lib.list_entity_aliases() == []


def test_aliases_survive_a_restart(db_url: str) -> None:
    first = Library(db_url)
    try:
        first.add_entity_alias("米厂", "小米", "company", editor="ana")
    finally:
        first.dispose()
    again = Library(db_url)
    try:
        assert [a.as_alias() for a in again.list_entity_aliases()] == [("米厂", "小米", "company")]
    finally:
        again.dispose()


def test_article_sources_without_the_texts(lib: Library) -> None:
    a, _ = lib.add_article("第一篇文章的正文。", source="新浪财经")
    b, _ = lib.add_article("Second article body.")
    assert lib.article_sources() == {a.id: "新浪财经", b.id: None}


# -- page furniture counted back in (issue 17) ------------------------------------------------------
KEY_A, KEY_B = "0123456789ab", "ba9876543210"


def test_furniture_choices_latest_wins_per_block_and_article(lib: Library) -> None:
    article, _ = lib.add_article("一篇带页面杂项的文章。")
    other, _ = lib.add_article("另一篇文章。")
    assert lib.furniture_counted(article.id) == frozenset()
    lib.set_furniture_counted(article.id, KEY_A, True, "ana")
    lib.set_furniture_counted(article.id, KEY_B, True, "ana")
    assert lib.furniture_counted(article.id) == {KEY_A, KEY_B}
    lib.set_furniture_counted(article.id, KEY_A, False, "bo")  # left out again
    assert lib.furniture_counted(article.id) == {KEY_B}
    lib.set_furniture_counted(article.id, KEY_A, True, "cy")  # and back in: the latest row wins
    assert lib.furniture_counted(article.id) == {KEY_A, KEY_B}
    for _ in range(2):  # the same choice twice is the same as once
        lib.set_furniture_counted(article.id, KEY_B, False, "cy")
    assert lib.furniture_counted(article.id) == {KEY_A}
    # Choices belong to their article.
    assert lib.furniture_counted(other.id) == frozenset()
    lib.set_furniture_counted(other.id, KEY_A, False, "ana")
    lib.set_furniture_counted(other.id, KEY_B, True, "ana")
    assert lib.furniture_counted(article.id) == {KEY_A}
    assert lib.furniture_counted(other.id) == {KEY_B}


@pytest.mark.parametrize("key", ["", "k" * 65])
def test_a_bad_furniture_key_is_refused_and_stores_nothing(lib: Library, key: str) -> None:
    article, _ = lib.add_article("一篇文章。")
    with pytest.raises(LibraryError):
        lib.set_furniture_counted(article.id, key, True, "ana")
    assert lib.furniture_history(article.id) == [] and lib.furniture_counted(article.id) == frozenset()


def test_furniture_history_lists_who_when_which_block_and_in_or_out(lib: Library) -> None:
    article, _ = lib.add_article("一篇文章。")
    other, _ = lib.add_article("另一篇文章。")
    before = datetime.now(UTC)
    lib.set_furniture_counted(article.id, KEY_A, True, "ana@example.com")
    lib.set_furniture_counted(other.id, KEY_A, True, "bo")
    lib.set_furniture_counted(article.id, KEY_A, False, "编辑小王")
    after = datetime.now(UTC)
    history = lib.furniture_history(article.id)
    assert [(h["block_key"], h["counted"], h["editor"]) for h in history] == [
        (KEY_A, True, "ana@example.com"),
        (KEY_A, False, "编辑小王"),
    ]  # oldest first, this article's only
    assert all(h["article_id"] == article.id for h in history)
    for h in history:
        assert h["created_at"].tzinfo is not None
        assert before - timedelta(seconds=1) <= h["created_at"] <= after + timedelta(seconds=1)
    assert history[0]["created_at"] <= history[1]["created_at"]
    assert history[0]["id"] < history[1]["id"]


def test_furniture_choices_survive_reopening_the_database(db_url: str) -> None:
    first = Library(db_url)
    try:
        article, _ = first.add_article("一篇文章。")
        first.set_furniture_counted(article.id, KEY_A, True, "ana")
        first.set_furniture_counted(article.id, KEY_B, True, "ana")
        first.set_furniture_counted(article.id, KEY_B, False, "bo")
        history = first.furniture_history(article.id)
    finally:
        first.dispose()
    again = Library(db_url)  # a new process on the same file
    try:
        assert again.furniture_counted(article.id) == {KEY_A}
        assert again.furniture_history(article.id) == history
        again.set_furniture_counted(article.id, KEY_A, False, "cy")
    finally:
        again.dispose()
    third = Library(db_url)
    try:
        assert third.furniture_counted(article.id) == frozenset()
        assert [h["editor"] for h in third.furniture_history(article.id)] == ["ana", "ana", "bo", "cy"]
    finally:
        third.dispose()


def test_a_stored_choice_counts_the_block_back_in_when_the_article_is_parsed_again(db_url: str) -> None:
    from analysis.structure import parse_document

    fixture = (
        Path(__file__).resolve().parent / "fixtures" / "furniture" / "wechat_modelled_cctvnews_2020-02-29.txt"
    )
    text = fixture.read_text(encoding="utf-8")
    promo = next(b for b in parse_document(text).furniture if b.text.startswith("直播预告"))
    first = Library(db_url)
    try:
        article, _ = first.add_article(text)
        first.set_furniture_counted(article.id, promo.key, True, "ana")
    finally:
        first.dispose()
    again = Library(db_url)
    try:
        count_in = again.furniture_counted(article.id)
        stored = again.get_article(article.id).text
    finally:
        again.dispose()
    doc = parse_document(stored, count_in=count_in)
    assert [b.counted for b in doc.furniture if b.key == promo.key] == [True]
    assert "直播中还将解答读者最关心的出行和防护问题，干货满满，精彩不容错过！" in [
        s.text for s in doc.sentences
    ]


def test_purging_an_article_removes_its_furniture_choices_not_a_trashed_ones(lib: Library) -> None:
    purged, _ = lib.add_article("an article to purge for good")
    trashed, _ = lib.add_article("an article that stays in the trash")
    for record in (purged, trashed):
        lib.set_furniture_counted(record.id, KEY_A, True, "ana")
        lib.delete_article(record.id)
    by_text = {r.text: trash_id for trash_id, _, r in lib.list_trash()}
    assert lib.purge_trash([by_text["an article to purge for good"]]) == 1
    # a purged article's id may be given again: its choices must not attach to the newcomer
    assert lib.furniture_history(purged.id) == []
    assert lib.furniture_counted(trashed.id) == frozenset({KEY_A})


def test_the_configured_library_is_the_environment_then_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.library import DB_URL_ENV, configured_db_url

    secrets = {"database": {"url": " sqlite:////srv/secret.db "}}
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    assert configured_db_url(secrets) == "sqlite:////srv/secret.db"
    assert configured_db_url(None) is None and configured_db_url({"database": "x"}) is None
    assert configured_db_url({"other": {}}) is None
    monkeypatch.setenv(DB_URL_ENV, "sqlite:////srv/env.db")
    assert configured_db_url(secrets) == "sqlite:////srv/env.db"  # the app and the CLI: one rule
