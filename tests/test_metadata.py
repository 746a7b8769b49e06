"""An article's metadata (analysis/metadata.py): one rule for title, source and date, shared by
the CLI and the library."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from analysis.metadata import ArticleMetadata, merge_metadata

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
CST = timezone(timedelta(hours=8))


def _read(
    text: str, title: str | None = None, source: str | None = None, published_at=None
) -> SimpleNamespace:
    return SimpleNamespace(text=text, title=title, source=source, published_at=published_at)


def test_a_pinyin_source_in_the_text_is_given_by_its_chinese_name() -> None:
    meta = merge_metadata(_read(SEED.read_text(encoding="utf-8")))
    assert meta == ArticleMetadata(
        title="小米汽车陷入困境,问题出在哪?",
        source="新浪财经",
        source_alias="新浪财经",
        published_at=datetime(2025, 10, 27, 20, 11, tzinfo=CST),
    )


def test_format_metadata_beats_the_text_and_given_values_beat_both() -> None:
    text = SEED.read_text(encoding="utf-8")
    when = datetime(2025, 1, 2, 3, 4, tzinfo=CST)
    meta = merge_metadata(_read(text, title="From <title>", source="Xin Lang Cai Jing"))
    assert (meta.title, meta.source, meta.source_alias) == ("From <title>", "Xin Lang Cai Jing", None)
    assert meta.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=CST)  # the text's, none in the file
    given = merge_metadata(_read(text, title="From <title>"), title="Mine", source="财新", published_at=when)
    assert given == ArticleMetadata("Mine", "财新", None, when)
    # Blank reader fields count as missing.
    assert merge_metadata(_read(text, title="", source="")).source == "新浪财经"


def test_nothing_to_parse_leaves_fields_empty() -> None:
    assert merge_metadata(_read("   ")) == ArticleMetadata(None, None, None, None)
    # Every field given: the text is not parsed at all (an empty text would fail to parse).
    when = datetime(2025, 1, 2, tzinfo=CST)
    assert merge_metadata(_read(""), title="T", source="S", published_at=when) == ArticleMetadata(
        "T", "S", None, when
    )
