"""parse_published_at: the date formats Chinese and English news use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from analysis.structure import parse_published_at

CHINA = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年10月14日07:17", datetime(2016, 10, 14, 7, 17, tzinfo=CHINA)),
        ("2016年10月14日 07:17 来源：新华社", datetime(2016, 10, 14, 7, 17, tzinfo=CHINA)),
        ("发布于2016年10月14日", datetime(2016, 10, 14, tzinfo=CHINA)),
        ("Xin Lang Cai Jing·2025-10-27 20:11", datetime(2025, 10, 27, 20, 11, tzinfo=CHINA)),
        ("2025/10/27", datetime(2025, 10, 27, tzinfo=CHINA)),
        ("2025.10.27 08:05:09", datetime(2025, 10, 27, 8, 5, 9, tzinfo=CHINA)),
        ("Oct 27, 2025", datetime(2025, 10, 27, tzinfo=CHINA)),
        ("Published October 27, 2025 8:11 PM", datetime(2025, 10, 27, 20, 11, tzinfo=CHINA)),
        ("October 27, 2025 12:30 AM", datetime(2025, 10, 27, 0, 30, tzinfo=CHINA)),
        ("27 October 2025", datetime(2025, 10, 27, tzinfo=CHINA)),
        ("2025-10-27T12:11:00Z", datetime(2025, 10, 27, 12, 11, tzinfo=UTC)),
        ("2025-10-27T20:11:00+08:00", datetime(2025, 10, 27, 20, 11, tzinfo=CHINA)),
        ("2025-10-27T08:11:00-0500", datetime(2025, 10, 27, 8, 11, tzinfo=timezone(timedelta(hours=-5)))),
        ("2025-10-27 20:11 UTC", datetime(2025, 10, 27, 20, 11, tzinfo=UTC)),
    ],
)
def test_formats(text: str, expected: datetime) -> None:
    found = parse_published_at(text)
    assert found == expected
    assert found is not None and found.utcoffset() == expected.utcoffset()


def test_default_zone_is_china_time() -> None:
    found = parse_published_at("2025-10-27 20:11")
    assert found is not None and found.isoformat() == "2025-10-27T20:11:00+08:00"


@pytest.mark.parametrize(
    "text", ["", "no date here", "2025-13-45", "增长了52.99万元", "1.5%", "2025年2月30日"]
)
def test_no_date(text: str) -> None:
    assert parse_published_at(text) is None


def test_first_date_wins() -> None:
    found = parse_published_at("更新于2025-10-28，首发于2025年10月27日")
    assert found == datetime(2025, 10, 28, tzinfo=CHINA)
