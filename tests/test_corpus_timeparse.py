"""Every time format real exports use, zones, year assumptions and relative times."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.timeparse import TimeZoneError, looks_like_time, parse_times

SH = "Asia/Shanghai"


def _one(value: str, **kw: object) -> pd.Timestamp:
    result = parse_times(pd.Series([value]), **kw)
    assert result.n_failed == 0, (value, result.failed_examples)
    return result.times.iloc[0]


@pytest.mark.parametrize(
    ("value", "expected", "fmt"),
    [
        ("2020-03-29T16:50:00+08:00", "2020-03-29 16:50:00+08:00", "iso"),
        ("2020-03-29T08:50:00Z", "2020-03-29 16:50:00+08:00", "iso"),
        ("2020-03-29T16:50:00", "2020-03-29 16:50:00+08:00", "iso"),
        ("2020-03-29 10:50:00-0000", "2020-03-29 18:50:00+08:00", "iso"),
        ("2020-03-29T16:50:00.250+08:00", "2020-03-29 16:50:00.250+08:00", "iso"),
        ("2020/3/29 16:50", "2020-03-29 16:50:00+08:00", "iso"),
        ("2013-03-16 10:10:13", "2013-03-16 10:10:13+08:00", "iso"),
        ("2020-03-29", "2020-03-29 00:00:00+08:00", "iso"),
        ("Sun Mar 01 02:10:15 +0800 2020", "2020-03-01 02:10:15+08:00", "weibo_api"),
        ("Sat Feb 29 20:09:47 +0000 2020", "2020-03-01 04:09:47+08:00", "weibo_api"),
        ("1583000000", "2020-03-01 02:13:20+08:00", "unix_s"),
        ("1583000000123", "2020-03-01 02:13:20.123+08:00", "unix_ms"),
        ("2016年10月14日07:17", "2016-10-14 07:17:00+08:00", "chinese"),
        ("2016年10月14日 07:17", "2016-10-14 07:17:00+08:00", "chinese"),
    ],
)
def test_absolute_formats(value: str, expected: str, fmt: str) -> None:
    result = parse_times(pd.Series([value]))
    assert result.n_failed == 0
    assert result.times.iloc[0] == pd.Timestamp(expected)
    assert result.formats == {fmt: 1}
    assert str(result.times.dt.tz) == SH


def test_yearless_takes_the_users_year_without_an_assumption() -> None:
    result = parse_times(pd.Series(["5月31日 23:54", "03-29 16:50"]), year=2019)
    assert result.times.tolist() == [
        pd.Timestamp("2019-05-31 23:54", tz=SH),
        pd.Timestamp("2019-03-29 16:50", tz=SH),
    ]
    assert result.assumed_year is None and result.year_source == "user"


def test_yearless_year_is_inferred_from_the_column_and_reported() -> None:
    result = parse_times(
        pd.Series(["2020-01-01 08:55", "2020-02-01 08:55", "2019-12-31 23:00", "5月31日 23:54"])
    )
    assert result.times.iloc[3] == pd.Timestamp("2020-05-31 23:54", tz=SH)
    assert (result.assumed_year, result.year_source) == (2020, "column")


def test_yearless_year_from_export_time_never_lands_after_the_export() -> None:
    result = parse_times(pd.Series(["5月31日 23:54", "1月2日 10:00"]), export_time="2021-01-05 12:00")
    assert result.times.tolist() == [
        pd.Timestamp("2020-05-31 23:54", tz=SH),
        pd.Timestamp("2021-01-02 10:00", tz=SH),
    ]
    assert result.year_source == "export_time"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3分钟前", "2020-06-01 09:57"),
        ("45秒前", "2020-06-01 09:59:15"),
        ("2小时前", "2020-06-01 08:00"),
        ("2天前", "2020-05-30 10:00"),
        ("刚刚", "2020-06-01 10:00"),
        ("今天 08:30", "2020-06-01 08:30"),
        ("昨天 12:30", "2020-05-31 12:30"),
        ("前天 23:05", "2020-05-30 23:05"),
        ("5 minutes ago", "2020-06-01 09:55"),
    ],
)
def test_relative_forms_against_the_export_time(value: str, expected: str) -> None:
    assert _one(value, export_time="2020-06-01 10:00") == pd.Timestamp(expected, tz=SH)


def test_relative_forms_without_export_time_are_counted_not_guessed() -> None:
    result = parse_times(pd.Series(["3分钟前", "昨天 12:30", "2020-01-01"]))
    assert result.n_failed == 2
    assert result.relative_without_export_time == 2
    assert result.times.iloc[:2].isna().all()


def test_time_zone_is_configurable() -> None:
    naive = parse_times(pd.Series(["2020-03-29 16:50"]), tz="Europe/London").times.iloc[0]
    assert naive == pd.Timestamp("2020-03-29 16:50", tz="Europe/London")
    zoned = parse_times(pd.Series(["2020-03-29T16:50:00+08:00"]), tz="UTC").times.iloc[0]
    assert zoned == pd.Timestamp("2020-03-29 08:50", tz="UTC")
    with pytest.raises(TimeZoneError):
        parse_times(pd.Series(["2020-01-01"]), tz="Mars/Olympus")


def test_unparseable_values_are_counted_with_examples() -> None:
    result = parse_times(pd.Series(["not a date", "", None, "2020-13-45 10:00", "2020-01-01"]))
    assert result.n_failed == 4
    assert "not a date" in result.failed_examples
    assert result.times.iloc[4] == pd.Timestamp("2020-01-01", tz=SH)


def test_repeated_values_map_back_to_every_row() -> None:
    values = pd.Series(["2020-01-01 10:00", "x", "2020-01-01 10:00"] * 1000, index=range(5, 3005))
    result = parse_times(values)
    assert result.n_failed == 1000
    assert list(result.times.index) == list(values.index)
    assert result.formats == {"iso": 2000}


def test_looks_like_time_scores_columns() -> None:
    assert looks_like_time(pd.Series(["2020-01-01", "5月31日 23:54", "3分钟前"])) == 1.0
    assert looks_like_time(pd.Series(["你好", "世界", "12"])) == 0.0
