"""Dates in text: calendar words, the default zone and the one date parser.

The zone rule, everywhere: a time written without a zone is a wall-clock time in China
(Asia/Shanghai, UTC+08:00), the zone of the Chinese sources this tool is made for; the corpus lets
the user name another zone. A date without a time is midnight in that zone.

Formats `find_date` knows: `2016年10月14日07:17`, `2025-10-27 20:11`, `2025/10/27`, `2025.10.27`,
ISO 8601 with `Z` or `+hh:mm`, `Oct 27, 2025`, `October 27, 2025 8:11 PM`, `27 October 2025`,
and zones written `UTC`, `GMT+8`, `Beijing Time`, `北京时间`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_UTC_OFFSET = timedelta(hours=8)  # China Standard Time (no daylight saving since 1991)

CHINA_TZ: tzinfo
try:
    from zoneinfo import ZoneInfo

    CHINA_TZ = ZoneInfo(DEFAULT_TZ)
except Exception:  # no tz database: China has had a fixed +08:00 offset since 1991
    CHINA_TZ = timezone(DEFAULT_UTC_OFFSET, "CST")

# English month names and abbreviations (lower case) → month number.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# A regex alternation of MONTHS, longest first so "september" wins over "sep".
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))


def assume_zone(value: datetime, tz: tzinfo = CHINA_TZ) -> datetime:
    """The zone rule: an aware time is kept; a naive one is a wall-clock time in `tz`."""
    return value if value.tzinfo is not None and value.utcoffset() is not None else value.replace(tzinfo=tz)


_TIME = r"(?:[T\s]*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2})(?:\.\d{1,6})?)?)?"
_AMPM = r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
_ZONE = r"(?:\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|UTC|GMT|Beijing Time|北京时间)(?P<zoff>[+-]\d{1,2})?)?"
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2016年10月14日07:17 / 2016年10月14日 07:17 / 2016年10月14日
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]" + _TIME),
    # ISO 8601 and 2025-10-27 20:11, 2025/10/27, 2025.10.27
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
        + _TIME
        + _AMPM
        + _ZONE
    ),
    # Oct 27, 2025 / October 27, 2025 8:11 PM
    re.compile(
        r"\b(?P<mon>"
        + MONTH_PATTERN
        + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + r"(?:,?\s*(?:at\s+)?"
        + _TIME.removeprefix("(?:[T\\s]*")
        + _AMPM
        + _ZONE,
        re.IGNORECASE,
    ),
    # 27 October 2025
    re.compile(
        r"\b(?P<d>\d{1,2})\s+(?P<mon>"
        + MONTH_PATTERN
        + r")\.?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + r"(?:,?\s*"
        + _TIME.removeprefix("(?:[T\\s]*")
        + _AMPM
        + _ZONE,
        re.IGNORECASE,
    ),
)


def _zone_of(zone: str | None, zoff: str | None, default: tzinfo) -> tzinfo:
    if not zone:
        return default
    if zone in ("Beijing Time", "北京时间"):
        return CHINA_TZ
    if zone in ("Z", "UTC", "GMT"):
        hours = int(zoff) if zoff else 0
        return timezone(timedelta(hours=hours)) if hours else UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _date_from_match(m: re.Match[str], default: tzinfo) -> datetime | None:
    g = m.groupdict()
    try:
        month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        hour = int(g["H"]) if g.get("H") else 0
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return datetime(
            int(g["y"]),
            month,
            int(g["d"]),
            hour,
            int(g["M"]) if g.get("M") else 0,
            int(g["S"]) if g.get("S") else 0,
            tzinfo=_zone_of(g.get("zone"), g.get("zoff"), default),
        )
    except (ValueError, KeyError, TypeError):
        return None  # 2025-13-45 and the like: not a date


def find_date(text: str, tz: tzinfo = CHINA_TZ) -> tuple[datetime, tuple[int, int]] | None:
    """The earliest date (with its time and zone, if written) in `text`, and where it stands."""
    best: tuple[datetime, tuple[int, int]] | None = None
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            found = _date_from_match(m, tz)
            if found is not None:
                if best is None or m.start() < best[1][0]:
                    best = (found, m.span())
                break
    return best


def parse_date(value: object, tz: tzinfo = CHINA_TZ) -> datetime | None:
    """A whole value as an aware datetime, or None when it is not one date.

    Takes a datetime (naive: read in `tz`), a date (midnight in `tz`) or a string: ISO 8601 first,
    then any format `find_date` knows, as long as the date is the whole string (a few words of
    decoration around it, such as `发布时间：` or `Published`, are allowed)."""
    if isinstance(value, datetime):
        return assume_zone(value, tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return assume_zone(parsed, tz)
    found = find_date(text, tz)
    if found is None:
        return None
    start, end = found[1]
    rest = (text[:start] + text[end:]).strip(" \t:：,，()（）[]【】")
    return found[0] if len(rest) <= 12 else None


# -- publication times as a form takes them: a date, a time and a UTC offset ---------------------
def combine_date_time(day: date | None, at: time | None, offset: timedelta) -> datetime | None:
    """A date picker plus a time picker plus a UTC offset as one aware datetime (None: undated).
    A date without a time means midnight."""
    if day is None:
        return None
    return datetime.combine(day, at or time(0, 0), tzinfo=timezone(offset))


def utc_offset_of(value: datetime | None) -> timedelta:
    """The offset a date was given in, or China Standard Time for undated articles."""
    if value is None or value.utcoffset() is None:
        return DEFAULT_UTC_OFFSET
    offset = value.utcoffset()
    assert offset is not None
    return offset


def format_utc_offset(offset: timedelta) -> str:
    """`UTC+08:00`, `UTC-05:30`, `UTC+00:00`."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def utc_offset_choices(extra: Iterable[timedelta] = ()) -> list[timedelta]:
    """Whole-hour offsets UTC-12 … UTC+14, plus any other offset the article already has (+05:30)."""
    offsets = {timedelta(hours=h) for h in range(-12, 15)} | set(extra)
    return sorted(offsets)
