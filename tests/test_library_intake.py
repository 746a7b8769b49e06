"""Intake (analysis/intake.py): bytes or pasted text -> draft -> analysed, stored article.

A failed upload leaves the library unchanged; the same content twice is stored once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from analysis.intake import ensure_sample, prepare_paste, prepare_upload, save_draft, save_drafts
from analysis.library import Library, LibraryError
from analysis.readers import MAX_BYTES, ReaderError
from analysis.text.dates import (
    DEFAULT_UTC_OFFSET,
    combine_date_time,
    format_utc_offset,
    utc_offset_choices,
    utc_offset_of,
)
from analysis.text.normalize import content_hash

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
CST = timezone(timedelta(hours=8))

ENGLISH = (
    "Battery maker faces recall\n\n"
    "The company said the recall was a disappointing failure. "
    "Analysts praised the quick and honest response. Shares were unchanged."
)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(f"sqlite:///{tmp_path / 'library.db'}")
    yield library
    library.dispose()


# -- reading (no analysis) --------------------------------------------------------------------------


def test_sample_upload_draft_has_metadata_from_the_text() -> None:
    draft = prepare_upload(SAMPLE.read_bytes(), SAMPLE.name)
    assert draft.filename == SAMPLE.name and draft.format == "txt"
    assert draft.title and "小米" in draft.title
    assert draft.source == "新浪财经"  # "Xin Lang Cai Jing" in the text, shown by its Chinese name
    assert draft.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=CST)
    assert draft.sha256 == content_hash(draft.text)


def test_paste_and_upload_of_the_same_article_are_the_same_content() -> None:
    uploaded = prepare_upload(SAMPLE.read_bytes(), SAMPLE.name)
    pasted = prepare_paste("\n  " + SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n") + "\n\n")
    assert pasted.sha256 == uploaded.sha256
    assert pasted.filename is None


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.txt", "empty"),
        (bytes(range(256)) * 40, "image.txt", "binary"),
        (b"%PDF-1.4 truncated garbage", "broken.pdf", "malformed"),
        (b"12345 67890 --- !!!", "numbers.txt", "no_text"),
        (b"a" * (MAX_BYTES + 1), "huge.txt", "too_large"),
    ],
)
def test_unreadable_uploads_raise_reader_errors_with_a_code(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(ReaderError) as info:
        prepare_upload(data, filename)
    assert info.value.code == code
    assert str(info.value)  # a specific message, not an empty one


def test_blank_paste_is_an_empty_error() -> None:
    with pytest.raises(ReaderError) as info:
        prepare_paste("")
    assert info.value.code == "empty"


def test_date_helpers() -> None:
    assert combine_date_time(None, time(10, 0), DEFAULT_UTC_OFFSET) is None
    assert combine_date_time(date(2025, 10, 27), None, timedelta(0)) == datetime(2025, 10, 27, tzinfo=UTC)
    value = combine_date_time(date(2025, 10, 27), time(20, 11), timedelta(hours=8))
    assert value == datetime(2025, 10, 27, 12, 11, tzinfo=UTC)
    assert value is not None and value.utcoffset() == timedelta(hours=8)
    assert utc_offset_of(None) == timedelta(hours=8)
    assert utc_offset_of(datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=-5)))) == timedelta(hours=-5)
    assert format_utc_offset(timedelta(hours=8)) == "UTC+08:00"
    assert format_utc_offset(timedelta(hours=-5, minutes=-30)) == "UTC-05:30"
    assert format_utc_offset(timedelta(0)) == "UTC+00:00"
    choices = utc_offset_choices([timedelta(hours=5, minutes=30)])
    assert choices[0] == timedelta(hours=-12) and choices[-1] == timedelta(hours=14)
    assert timedelta(hours=5, minutes=30) in choices and len(choices) == 28
    assert choices == sorted(choices)


# -- saving (runs the real pipeline) ----------------------------------------------------------------


def test_save_draft_analyzes_and_stores_with_edited_metadata(lib: Library) -> None:
    draft = prepare_upload(ENGLISH.encode(), "recall.txt")
    when = datetime(2024, 5, 6, 7, 8, tzinfo=timezone(timedelta(hours=-4)))
    record, created = save_draft(lib, draft, title="Edited title", source="Reuters", published_at=when)
    assert created is True
    assert (record.title, record.source, record.published_at) == ("Edited title", "Reuters", when)
    assert record.filename == "recall.txt"
    assert record.language == "en"
    assert record.n is not None and record.n >= 3
    assert record.positive + record.neutral + record.negative == record.n
    assert record.negative >= 1 and record.positive >= 1  # "disappointing failure", "praised"
    assert record.nev == pytest.approx((record.positive - record.negative) / record.n)
    assert record.model and "@" in record.model

    from analysis.pipeline import analyze_text

    assert analyze_text(draft.text).input_sha256 == record.sha256  # one hash for one text everywhere


def test_save_draft_twice_does_not_duplicate(lib: Library) -> None:
    first, created1 = save_draft(lib, prepare_upload(ENGLISH.encode(), "a.txt"))
    second, created2 = save_draft(lib, prepare_paste(ENGLISH + "\n"), title="different title")
    assert (created1, created2) == (True, False)
    assert second.id == first.id and second.title == first.title
    assert lib.count_articles() == 1


def test_a_batch_stores_the_good_ones_and_reports_each_bad_one(lib: Library) -> None:
    before = lib.add_article("already stored text", title="old")[0]
    good = prepare_upload(ENGLISH.encode(), "good.txt")
    duplicate = prepare_paste("already stored text")
    naive_date = prepare_upload(b"Another article with a positive outlook.", "naive.txt")
    outcomes = save_drafts(
        lib,
        [
            (good, "Good", None, None),
            (duplicate, None, None, None),
            (naive_date, "Bad date", None, datetime(2025, 1, 1, 9, 0)),  # no time zone: refused
        ],
    )
    assert [o.status for o in outcomes] == ["saved", "duplicate", "failed"]
    assert outcomes[1].article_id == before.id
    assert outcomes[2].error and "time zone" in outcomes[2].error
    assert lib.count_articles() == 2  # the failed one stored nothing
    assert {r.title for r in lib.list_articles()} == {"Good", "old"}
    assert lib.find_by_sha(naive_date.sha256) is None


def test_a_failed_read_leaves_the_library_unchanged(lib: Library) -> None:
    save_draft(lib, prepare_upload(ENGLISH.encode(), "a.txt"))
    before = lib.list_articles()
    for data, name in [(b"", "e.txt"), (bytes(range(256)) * 40, "b.txt"), (b"PK\x03\x04junk", "w.docx")]:
        with pytest.raises(ReaderError):
            save_draft(lib, prepare_upload(data, name))
    assert lib.list_articles() == before


def test_ensure_sample_is_idempotent_and_matches_an_upload_of_the_sample(lib: Library) -> None:
    first = ensure_sample(lib, SAMPLE)
    second = ensure_sample(lib, SAMPLE)
    assert second == first and lib.count_articles() == 1
    assert first.source == "新浪财经"
    assert first.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=CST)
    assert first.n and first.n == (first.positive or 0) + (first.neutral or 0) + (first.negative or 0)
    assert first.model and first.language
    # Uploading the sample file later is recognised as the same article.
    _, created = save_draft(lib, prepare_upload(SAMPLE.read_bytes(), "copy.txt"))
    assert created is False and lib.count_articles() == 1


def test_ensure_sample_missing_file_is_an_os_error(lib: Library, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        ensure_sample(lib, tmp_path / "missing.txt")
    assert lib.count_articles() == 0


def test_library_error_is_not_a_reader_error() -> None:
    # The page tells the two apart: reader codes map to translated messages, library errors are shown as is.
    assert not issubclass(LibraryError, ReaderError)


def test_counting_a_furniture_block_in_stores_the_summary_it_makes(lib: Library) -> None:
    from analysis.intake import set_furniture_counted
    from analysis.sentiment import Scorer
    from analysis.structure import parse_document

    fixture = ROOT / "tests" / "fixtures" / "furniture" / "wechat_modelled_cctvnews_2020-02-29.txt"
    scorer = Scorer("fast", workload="article")
    record, _ = save_draft(lib, prepare_upload(fixture.read_bytes(), fixture.name), scorer=scorer)
    promo = next(b for b in parse_document(record.text).furniture if b.text.startswith("直播预告"))
    n_before = lib.get_article(record.id).summary.n
    counted = set_furniture_counted(lib, record, promo.key, True, "ana", scorer=scorer)
    stored = lib.get_article(record.id).summary
    assert stored.n == counted.sentiment.n == n_before + 3  # the promo's three sentences
    assert stored.nev == counted.sentiment.nev
    assert [b.counted for b in counted.document.furniture if b.key == promo.key] == [True]
    set_furniture_counted(lib, record, promo.key, False, "bo", scorer=scorer)  # and out again
    assert lib.get_article(record.id).summary.n == n_before
    assert [h["editor"] for h in lib.furniture_history(record.id)] == ["ana", "bo"]
