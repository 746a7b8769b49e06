"""The text layer: one home each for scripts, dates, normalisation and hashing, decoding, keywords."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.ingest import sniff_encoding as corpus_sniff_encoding
from analysis.corpus.timeparse import parse_times
from analysis.library import Library
from analysis.pipeline import analyze_text
from analysis.readers import read_document
from analysis.text.dates import CHINA_TZ, assume_zone, find_date, parse_date
from analysis.text.decode import sniff_encoding
from analysis.text.normalize import content_hash, stored_text_form
from analysis.text.scripts import CJK, HAN, is_han

ROOT = Path(__file__).resolve().parents[1]


def test_script_ranges_agree() -> None:
    for ch in "小米㐀﨑":
        assert HAN.fullmatch(ch) and is_han(ch) and CJK.fullmatch(ch)
    for ch in "a1ア한":
        assert not HAN.fullmatch(ch) and not is_han(ch)
    assert CJK.fullmatch("，") and CJK.fullmatch("。") and not HAN.fullmatch("，")


# --- dates: one rule for zone-less times, one parser -------------------------------------------


def test_zone_less_times_are_china_time_everywhere() -> None:
    naive = datetime(2025, 10, 27, 20, 11)
    assert assume_zone(naive).utcoffset() == timedelta(hours=8)
    aware = datetime(2025, 10, 27, 20, 11, tzinfo=UTC)
    assert assume_zone(aware) is aware
    assert parse_date("2025-10-27 20:11") == datetime(2025, 10, 27, 20, 11, tzinfo=CHINA_TZ)
    assert parse_date(date(2025, 10, 27)) == datetime(2025, 10, 27, tzinfo=CHINA_TZ)
    assert parse_date(naive) == datetime(2025, 10, 27, 20, 11, tzinfo=CHINA_TZ)
    # the corpus uses the same rule (in the zone the user picks, China by default)
    parsed = parse_times(pd.Series(["2025-10-27 20:11"]))
    assert parsed.times.iloc[0] == pd.Timestamp("2025-10-27 12:11", tz="UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年10月14日07:17", datetime(2016, 10, 14, 7, 17, tzinfo=CHINA_TZ)),
        ("Oct 27, 2025 8:11 PM", datetime(2025, 10, 27, 20, 11, tzinfo=CHINA_TZ)),
        ("27 October 2025", datetime(2025, 10, 27, tzinfo=CHINA_TZ)),
        ("2025-10-27T12:00:00Z", datetime(2025, 10, 27, 12, tzinfo=UTC)),
        (
            "2025/10/27 20:11 +05:30",
            datetime(2025, 10, 27, 20, 11, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("发布时间：2025年10月27日", datetime(2025, 10, 27, tzinfo=CHINA_TZ)),
    ],
)
def test_parse_date_formats(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


def test_parse_date_refuses_a_sentence_that_mentions_a_date() -> None:
    assert parse_date("小米在2025年10月27日发布了三季度财报并宣布了新的交付计划") is None
    assert parse_date("not a date") is None
    assert parse_date("") is None and parse_date(None) is None
    assert find_date("见 2025年10月27日 的报道") is not None  # finding one inside text is find_date's job


def test_corpus_falls_back_to_the_text_parser() -> None:
    parsed = parse_times(pd.Series(["Oct 27, 2025 8:11 PM", "27 October 2025", "garbage"]))
    assert parsed.n_failed == 1
    assert parsed.formats.get("text") == 2
    assert parsed.times.iloc[0] == pd.Timestamp("2025-10-27 20:11", tz="Asia/Shanghai")


def test_reader_dates_follow_the_rule() -> None:
    page = b"<html><head><meta property='article:published_time' content='2025-10-27'></head><body><p>Body text here.</p></body></html>"
    result = read_document(page, "a.html")
    assert result.published_at is not None
    assert result.published_at.utcoffset() == timedelta(hours=8)


# --- one normaliser, one content hash --------------------------------------------------------------


def test_library_hash_equals_pipeline_hash(tmp_path: Path) -> None:
    text = "\ufeff小米汽车陷入困境。\r\n雷军回应质疑。\n"
    library = Library(f"sqlite:///{tmp_path / 'lib.db'}")
    record, _ = library.add_article(text, title="t")
    assert record.sha256 == content_hash(text) == content_hash(stored_text_form(text))
    analysis = analyze_text(library.get_article(record.id).text, model="fast")
    assert analysis.input_sha256 == record.sha256


# --- one encoding sniffer ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le", "utf-16-be"])
def test_one_sniffer_for_articles_and_tables(encoding: str) -> None:
    data = "时间,内容\n2025-10-27 20:11,小米汽车陷入困境\n".encode(encoding)
    expected = read_document(data, "a.txt").encoding
    assert sniff_encoding(data) == expected == corpus_sniff_encoding(data)


def test_truncated_head_is_cut_at_a_whole_line() -> None:
    data = ("内容\n" + "小米汽车陷入困境\n" * 10).encode("utf-8")
    assert sniff_encoding(data[:-2], truncated=True) == "utf-8"  # a cut character is not a wrong guess


# --- one keyword extractor, one jieba dictionary ------------------------------------------------


def test_title_derivation_leaves_jiebas_global_state_alone() -> None:
    code = (
        "import jieba\n"
        "from analysis.structure import derive_title\n"
        "title = derive_title('电池召回影响销量。电池安全问题引发关注。召回规模扩大。')\n"
        "assert '电池' in title, title\n"
        "assert not jieba.dt.initialized, 'the global jieba dictionary was loaded'\n"
        "assert not jieba.dt.user_word_tag_tab, 'the global jieba dictionary was changed'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def test_analyze_text_reports_progress_and_refuses_redundant_arguments() -> None:
    from analysis.sentiment import Scorer

    seen: list[tuple[int, int]] = []
    text = "小米汽车陷入困境。用户很失望。The recall was handled badly."
    analyze_text(text, model="accurate", progress=lambda done, total: seen.append((done, total)))
    assert sum(total for done, total in seen if done == total) == 3  # per language, each to its end
    with pytest.raises(TypeError, match="not both"):
        analyze_text("好。", model="fast", scorer=Scorer("fast"))
