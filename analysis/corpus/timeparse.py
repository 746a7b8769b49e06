"""Post times as real exports write them, parsed vectorised into tz-aware timestamps.

Formats (each a regex over the unique strings of a column, so 1M rows cost one pass per format):
- ISO 8601 with or without zone (`2020-03-29T16:50:00+08:00`, `2020-03-29 16:50:00Z`),
  `2020/3/29 16:50`, `2013-03-16 10:10:13`, `2020.3.29`, date only;
- Weibo API / Twitter: `Sun Mar 01 02:10:15 +0800 2020`;
- Unix seconds (10 digits) and milliseconds (13 digits), optionally with a fraction;
- Chinese: `2016年10月14日07:17`, `2016年10月14日 07:17`, year-less `5月31日 23:54` and `03-29 16:50`;
- relative: `刚刚`, `3秒前`, `3分钟前`, `2小时前`, `2天前`, `今天 12:30`, `昨天 12:30`, `前天 12:30`,
  `3 minutes ago` — relative to a stated export time (without one they are reported unparsed).
Strings without a zone are wall-clock times in `tz` (Asia/Shanghai by default).
Year-less dates take the year the user gives; otherwise one is inferred (the most common year of
the column's full dates, else the export time's year, else the current year) and reported as an
assumption, never silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analysis.errors import OpinionLensError
from analysis.text.dates import DEFAULT_TZ, MONTHS, parse_date


class TimeZoneError(OpinionLensError):
    """An unknown time zone name."""

    default_code = "bad_tz"


def check_tz(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeZoneError(f"unknown time zone {tz!r} (use an IANA name such as Asia/Shanghai)") from None


@dataclass(frozen=True)
class TimeParseResult:
    """`times` is aligned with the input (tz-aware in the requested zone, NaT where unparsed)."""

    times: pd.Series
    n_failed: int
    formats: dict[str, int] = field(default_factory=dict)  # format name -> rows parsed with it
    assumed_year: int | None = None  # set when year-less dates got an inferred year
    year_source: str | None = None  # "user", "column", "export_time", "current"
    relative_without_export_time: int = 0  # relative times left unparsed for want of an anchor
    failed_examples: tuple[str, ...] = ()
    full_years: dict[int, int] = field(default_factory=dict)  # year -> rows written with a year

    @property
    def parse_rate(self) -> float:
        total = len(self.times)
        return (total - self.n_failed) / total if total else 0.0


_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)
_API = re.compile(
    r"^[A-Za-z]{3},? (?P<mon>[A-Za-z]{3}) (?P<d>\d{1,2}) (?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2}) "
    r"(?P<z>[+-]\d{4}) (?P<y>\d{4})$"
)
_CN = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?P<mo>\d{1,2})月(?P<d>\d{1,2})[日号]"
    r"\s*(?:(?P<h>\d{1,2})[:：时](?P<mi>\d{2})分?(?:[:：](?P<s>\d{2})秒?)?)?$"
)
_MD = re.compile(r"^(?P<mo>\d{1,2})-(?P<d>\d{1,2})\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?$")
_EPOCH = re.compile(r"^(?P<int>\d{9,13})(?:\.(?P<frac>\d+))?$")
_AGO = re.compile(
    r"^(?P<n>\d+)\s*(?P<unit>秒|秒钟|分|分钟|小时|个小时|天|周|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
    r"\s*(?:前|以前|ago)$",
    re.IGNORECASE,
)
_DAYWORD = re.compile(
    r"^(?P<w>今天|昨天|前天|today|yesterday)\s*(?P<h>\d{1,2})[:：](?P<mi>\d{2})$", re.IGNORECASE
)
_JUST_NOW = re.compile(r"^(刚刚|刚才|just now)$", re.IGNORECASE)

_MONTHS = MONTHS
# Distinct unparsed values handed to the text layer's slower, more lenient parser.
TEXT_FALLBACK_LIMIT = 5_000
_UNIT_SECONDS = {
    "秒": 1, "秒钟": 1, "second": 1, "seconds": 1, "sec": 1, "secs": 1,
    "分": 60, "分钟": 60, "minute": 60, "minutes": 60, "min": 60, "mins": 60,
    "小时": 3600, "个小时": 3600, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600,
    "天": 86400, "day": 86400, "days": 86400,
    "周": 604800, "week": 604800, "weeks": 604800,
}  # fmt: skip
_DAY_OFFSET = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1, "前天": 2}


def _num(frame: pd.DataFrame, col: str, default: int = 0) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").fillna(default).astype("int64")


def _assemble(frame: pd.DataFrame, year: pd.Series | int) -> pd.Series:
    """Naive wall-clock datetimes from extracted parts (invalid dates → NaT)."""
    parts = pd.DataFrame(
        {
            "year": year if isinstance(year, pd.Series) else pd.Series(year, index=frame.index),
            "month": _num(frame, "mo") if "mo" in frame else frame["mon_num"],
            "day": _num(frame, "d"),
            "hour": _num(frame, "h") if "h" in frame else 0,
            "minute": _num(frame, "mi") if "mi" in frame else 0,
            "second": _num(frame, "s") if "s" in frame else 0,
        },
        index=frame.index,
    )
    out = pd.to_datetime(parts, errors="coerce")
    if "frac" in frame:
        frac = frame["frac"].fillna("").str.ljust(9, "0").str[:9]
        ns = pd.to_numeric(frac, errors="coerce").fillna(0).astype("int64")
        out = out + pd.to_timedelta(ns, unit="ns")
    return out


def _offset_minutes(z: pd.Series) -> pd.Series:
    """`Z`, `+08:00`, `+0800`, `+08` → minutes east of UTC (NaN where no zone was written)."""
    z = z.fillna("")
    utc = z.isin(["Z", "UTC", "GMT"])
    m = z.str.extract(r"^(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2})?$")
    minutes = pd.to_numeric(m["hh"], errors="coerce") * 60 + pd.to_numeric(m["mm"], errors="coerce").fillna(0)
    minutes = minutes.where(m["sign"] != "-", -minutes)
    minutes[utc] = 0.0
    return minutes


def _localize(naive: pd.Series, offset_min: pd.Series | None, tz: str) -> pd.Series:
    """Naive + optional explicit offsets → UTC-aware series (then converted by the caller)."""
    out = pd.Series(pd.NaT, index=naive.index, dtype="datetime64[ns, UTC]")
    has_zone = offset_min.notna() if offset_min is not None else pd.Series(False, index=naive.index)
    if offset_min is not None and has_zone.any():
        utc = naive[has_zone] - pd.to_timedelta(offset_min[has_zone], unit="min")
        out[has_zone] = utc.dt.tz_localize("UTC")
    local = ~has_zone
    if local.any():
        out[local] = (
            naive[local]
            .dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            .dt.tz_convert("UTC")
            .astype("datetime64[ns, UTC]")
        )
    return out


def parse_times(
    values: pd.Series,
    tz: str = DEFAULT_TZ,
    *,
    year: int | None = None,
    export_time: datetime | str | None = None,
) -> TimeParseResult:
    """Parse a column of post times. Returns times in `tz`, NaT where a value did not parse."""
    check_tz(tz)
    values = pd.Series(values)
    anchor = _anchor(export_time, tz)
    strings = values.astype("string").str.strip()
    # Parse each distinct string once: exports repeat times at minute resolution.
    codes, uniques = pd.factorize(strings, use_na_sentinel=True)
    u = pd.Series(pd.Index(uniques).astype("string"), dtype="string")
    parsed = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns, UTC]")
    fmt = pd.Series("", index=u.index, dtype=object)
    todo = pd.Series(True, index=u.index)

    full_years: list[pd.Series] = []

    def take(mask: pd.Series, result: pd.Series, name: str) -> None:
        ok = mask & result.notna() & todo
        parsed[ok] = result[ok]
        fmt[ok] = name
        todo[ok] = False

    # Fast path for the commonest export form, zone-less `YYYY-MM-DD[ HH:MM[:SS[.fff]]]`: pandas'
    # C ISO parser does a million of these in well under a second. Anything it rejects (or with a
    # zone, or slashes) falls through to the regex formats below.
    def flag(series: pd.Series) -> np.ndarray:
        return series.fillna(False).to_numpy(dtype=bool)

    tail = u.str[10:]
    plain = pd.Series(
        flag(u.str.len() >= 10)
        & flag(u.str[4] == "-")
        & ~flag(tail.str.contains("+", regex=False))
        & ~flag(tail.str.contains("-", regex=False))
        & ~flag(u.str.endswith(("Z", "UTC", "GMT"))),
        index=u.index,
    )
    if plain.any():
        fast = pd.to_datetime(u.where(plain), format="ISO8601", errors="coerce")
        if getattr(fast.dt, "tz", None) is None:
            fast_ok = fast.notna() & plain
            if fast_ok.any():
                take(fast_ok, _localize(fast.astype("datetime64[ns]"), None, tz), "iso")
                full_fast = pd.Series(fast[fast_ok].dt.year.astype("int64"), index=u.index[fast_ok])
                full_years.append(full_fast)

    # Unix seconds / milliseconds.
    ep = _extract(u, todo, _EPOCH)
    is_ep = ep["int"].notna()
    if is_ep.any():
        digits = ep["int"].str.len()
        num = pd.to_numeric(u.where(is_ep), errors="coerce")
        ms = is_ep & (digits == 13)
        sec = is_ep & (digits <= 10)
        take(ms, pd.to_datetime(num.where(ms), unit="ms", utc=True, errors="coerce"), "unix_ms")
        take(sec, pd.to_datetime(num.where(sec), unit="s", utc=True, errors="coerce"), "unix_s")

    iso = _extract(u, todo, _ISO)
    is_iso = iso["y"].notna() & todo
    if is_iso.any():
        sub = iso[is_iso]
        naive = _assemble(sub, _num(sub, "y"))
        take(is_iso, _localize(naive, _offset_minutes(sub["z"]), tz).reindex(u.index), "iso")
        full_years.append(_num(sub, "y"))

    api = _extract(u, todo, _API)
    is_api = api["y"].notna() & todo
    if is_api.any():
        sub = api[is_api].copy()
        sub["mon_num"] = sub["mon"].str.lower().map(_MONTHS).fillna(0).astype("int64")
        naive = _assemble(sub, _num(sub, "y"))
        take(is_api, _localize(naive, _offset_minutes(sub["z"]), tz).reindex(u.index), "weibo_api")
        full_years.append(_num(sub, "y"))

    cn = _extract(u, todo, _CN)
    is_cn = cn["mo"].notna() & todo
    cn_full = is_cn & cn["y"].notna()
    if cn_full.any():
        sub = cn[cn_full]
        naive = _assemble(sub, _num(sub, "y"))
        take(cn_full, _localize(naive, None, tz).reindex(u.index), "chinese")
        full_years.append(_num(sub, "y"))

    # Year-less forms: `5月31日 23:54`, `03-29 16:50`.
    md = _extract(u, todo, _MD)
    yearless = pd.concat([cn[is_cn & cn["y"].isna()], md[md["mo"].notna() & todo]])
    yearless = yearless[~yearless.index.duplicated()]
    assumed_year: int | None = None
    year_source: str | None = None
    if len(yearless):
        counts = codes_count_by_unique(codes, len(u))
        if year is not None:
            assumed_year, year_source = int(year), "user"
        else:
            assumed_year, year_source = _infer_year(full_years, counts, anchor)
        naive = _assemble(yearless, assumed_year)
        if year_source == "export_time" and anchor is not None:
            # A post cannot be newer than its export: such dates belong to the year before.
            future = naive > anchor.tz_localize(None)
            if future.any():
                naive[future] = _assemble(yearless[future], assumed_year - 1)
        mask = pd.Series(False, index=u.index)
        mask[yearless.index] = True
        take(mask, _localize(naive, None, tz).reindex(u.index), "yearless")

    # Relative forms need the export time as anchor.
    relative_unanchored = 0
    ago = _extract(u, todo, _AGO)
    is_ago = ago["n"].notna() & todo
    dw = _extract(u, todo, _DAYWORD)
    is_dw = dw["w"].notna() & todo
    is_now = u.str.match(_JUST_NOW).fillna(False).astype(bool) & todo
    relative = is_ago | is_dw | is_now
    if relative.any():
        if anchor is None:
            counts = codes_count_by_unique(codes, len(u))
            relative_unanchored = int(counts[relative.to_numpy()].sum())
        else:
            anchor_utc = pd.Timestamp(anchor).tz_convert("UTC")
            secs = pd.to_numeric(ago["n"], errors="coerce") * ago["unit"].str.lower().map(_UNIT_SECONDS)
            take(is_ago, anchor_utc - pd.to_timedelta(secs.where(is_ago), unit="s"), "relative")
            take(is_now, pd.Series(anchor_utc, index=u.index), "relative")
            if is_dw.any():
                sub = dw[is_dw]
                local_anchor = pd.Timestamp(anchor).tz_convert(tz)
                day = local_anchor.normalize().tz_localize(None) - pd.to_timedelta(
                    sub["w"].str.lower().map(_DAY_OFFSET), unit="D"
                )
                naive = (
                    day
                    + pd.to_timedelta(_num(sub, "h"), unit="h")
                    + pd.to_timedelta(_num(sub, "mi"), unit="min")
                )
                take(is_dw, _localize(naive, None, tz).reindex(u.index), "relative")

    # Anything else goes to the text layer's date parser (English month names such as
    # `Oct 27, 2025 8:11 PM`, or a date with a few words around it), for a bounded number of
    # distinct values so that a column of non-dates stays fast.
    rest = u[todo].head(TEXT_FALLBACK_LIMIT)
    if len(rest):
        zone = check_tz(tz)
        found = {i: parse_date(v, zone) for i, v in rest.items()}
        hits = {i: pd.Timestamp(d).tz_convert("UTC") for i, d in found.items() if d is not None}
        if hits:
            mask = pd.Series(False, index=u.index)
            mask[list(hits)] = True
            take(mask, pd.Series(hits, dtype="datetime64[ns, UTC]").reindex(u.index), "text")
            full_years.append(pd.Series({i: ts.year for i, ts in hits.items()}, dtype="int64"))

    # Back to rows, in the requested zone.
    code_arr = np.asarray(codes)
    valid = code_arr >= 0
    naive_utc = pd.to_datetime(parsed, utc=True).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    row_values = np.full(len(code_arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    row_values[valid] = naive_utc[code_arr[valid]]
    times = pd.Series(row_values, index=values.index).dt.tz_localize("UTC").dt.tz_convert(tz)
    failed_mask = times.isna()
    n_failed = int(failed_mask.sum())
    fmt_rows = Counter(fmt.to_numpy()[code_arr[valid]].tolist())
    fmt_rows.pop("", None)
    examples = tuple(pd.unique(strings[failed_mask].dropna().astype(str))[:5].tolist())
    year_rows: Counter[int] = Counter()
    if full_years:
        years = pd.concat(full_years)
        for y, rows in zip(
            years.to_numpy(), codes_count_by_unique(codes, len(u))[years.index.to_numpy()], strict=True
        ):
            year_rows[int(y)] += int(rows)
    return TimeParseResult(
        times=times,
        n_failed=n_failed,
        formats=dict(fmt_rows),
        assumed_year=assumed_year if year_source != "user" else None,
        year_source=year_source,
        relative_without_export_time=relative_unanchored,
        failed_examples=examples,
        full_years=dict(year_rows),
    )


def _extract(u: pd.Series, todo: pd.Series, pattern: re.Pattern[str]) -> pd.DataFrame:
    """Regex groups for the values not yet parsed (others all-NaN): each format scans only the rest."""
    return u[todo].str.extract(pattern).reindex(u.index)


def codes_count_by_unique(codes: np.ndarray, n_unique: int) -> np.ndarray:
    """How many rows carry each distinct value."""
    c = np.asarray(codes)
    return np.bincount(c[c >= 0], minlength=n_unique)


def _infer_year(
    full_years: list[pd.Series], counts: np.ndarray, anchor: pd.Timestamp | None
) -> tuple[int, str]:
    if full_years:
        years = pd.concat(full_years)
        weights = pd.Series(counts[years.index.to_numpy()], index=years.index)
        by_year = weights.groupby(years.to_numpy()).sum()
        if len(by_year):
            return int(by_year.idxmax()), "column"
    if anchor is not None:
        return int(anchor.year), "export_time"
    return datetime.now().year, "current"


def _anchor(export_time: datetime | str | None, tz: str) -> pd.Timestamp | None:
    if export_time is None or export_time == "":
        return None
    if isinstance(export_time, str):
        parsed = parse_date(export_time, check_tz(tz))
        if parsed is None:
            raise ValueError(f"not a date-time: {export_time!r}")
        return pd.Timestamp(parsed).tz_convert(tz)
    ts = pd.Timestamp(export_time)
    if ts is pd.NaT:
        return None
    return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)


def looks_like_time(values: pd.Series, sample: int = 200) -> float:
    """Share of a column's first non-empty values that parse as times (for column detection)."""
    s = pd.Series(values).dropna().astype("string").str.strip()
    s = s[s != ""].head(sample)
    if s.empty:
        return 0.0
    # An anchor makes relative forms count; the year default keeps year-less ones.
    r = parse_times(s, export_time=pd.Timestamp("2000-01-01"), year=2000)
    return r.parse_rate
