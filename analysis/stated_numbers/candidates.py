"""Where a text states a number: one pattern per kind, values and units, overlaps resolved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.stated_numbers.numbers import (
    ARABIC,
    parse_arabic,
    parse_en_number,
    parse_zh_number,
    scale_factor,
)
from analysis.text.dates import MONTH_PATTERN, MONTHS

# Same-length translation, so offsets in the normalised text are offsets in the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．－−–，", "0123456789%.---，")

# --- patterns -----------------------------------------------------------------------------------

_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?:\s+hundred)?"
)
# An Arabic or English-word number, not glued to a letter or digit before it (SU7, Q3, 1.5x).
_EN_NUM = rf"(?<![A-Za-z0-9.,])(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_NUM_WORD}\b)"
_EN_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|\s?(?:bn|mn)\b)"
_SIGN = r"(?:(?<![A-Za-z0-9.,%])[-+])?"
_RANGE_EN = r"\s*(?:to|-|~)\s*"
_RANGE_EN_WORDS = r"\s*(?:to|-|~|or)\s*"  # "two or three years"
_ZH_NUM = (
    r"(?<![A-Za-z0-9.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:[千百]?[万亿]+|[十百千](?=[万亿]))?[万亿]*"
    # written out: at least one digit character (万元 alone, 千万不要 are not numbers)
    # Only from the start of a run, possessive, the digit checked by a lazy look-ahead: linear time
    # even on a long run of numerals (a plain X*DX* backtracks cubically there).
    r"|(?<![零〇一二两三四五六七八九十百千万亿])(?=[百千万亿]*[零〇一二两三四五六七八九十])"
    r"[零〇一二两三四五六七八九十百千万亿]++"
)
_RANGE_ZH = r"\s*(?:到|至|-|~|～)\s*"

_COUNT_NOUNS = {
    # canonical unit for each counted noun (singular or plural as written)
    **{
        w: w + "s"
        for w in [
            "vehicle",
            "car",
            "unit",
            "user",
            "customer",
            "owner",
            "order",
            "delivery",
            "employee",
            "worker",
            "store",
            "post",
            "comment",
            "review",
            "complaint",
            "model",
            "share",
            "visit",
            "view",
            "fan",
            "follower",
            "vote",
            "accident",
            "recall",
            "incident",
            "case",
            "dealer",
            "factory",
            "plant",
            "city",
            "country",
            "buyer",
            "driver",
            "job",
        ]
    },
    "deliveries": "deliveries",
    "people": "people",
    "persons": "people",
    "person": "people",
    "cities": "cities",
    "countries": "countries",
    "factories": "factories",
    "times": "times",
}
# Normalise singular → plural canonical: "delivery" → "deliveries", "city" → "cities", "factory" → "factories".
for _sing, _plural in (
    ("delivery", "deliveries"),
    ("city", "cities"),
    ("country", "countries"),
    ("factory", "factories"),
):
    _COUNT_NOUNS[_sing] = _plural
_COUNT_NOUN_RE = "|".join(sorted({*_COUNT_NOUNS, *(v for v in _COUNT_NOUNS.values())}, key=len, reverse=True))

_ZH_COUNT_UNITS = {
    "辆": "vehicles",
    "台": "units",
    "人次": "person-times",
    "人": "people",
    "名": "people",
    "位": "people",
    "家": "companies",
    "条": "items",
    "单": "orders",
    "次": "times",
    "款": "models",
    "篇": "articles",
    "例": "cases",
}
_CURRENCY_PREFIX = {
    "us$": "USD",
    "hk$": "HKD",
    "$": "USD",
    "¥": "CNY",
    "￥": "CNY",
    "€": "EUR",
    "£": "GBP",
    "rmb": "CNY",
    "usd": "USD",
    "hkd": "HKD",
    "cny": "CNY",
    "eur": "EUR",
}
_CURRENCY_SUFFIX_EN = {
    "hkd": "HKD",
    "usd": "USD",
    "rmb": "CNY",
    "cny": "CNY",
    "eur": "EUR",
    "yuan": "CNY",
    "hong kong dollars": "HKD",
    "us dollars": "USD",
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
}
_CURRENCY_SUFFIX_ZH = {
    "港元": "HKD",
    "港币": "HKD",
    "美元": "USD",
    "人民币": "CNY",
    "元": "CNY",
    "块": "CNY",
    "欧元": "EUR",
    "英镑": "GBP",
}
_DURATION_EN = {
    "year": "years",
    "month": "months",
    "week": "weeks",
    "day": "days",
    "hour": "hours",
    "minute": "minutes",
    "decade": "decades",
}
_DURATION_ZH = {
    "个多月": "months",
    "个月": "months",
    "年": "years",
    "周": "weeks",
    "个星期": "weeks",
    "星期": "weeks",
    "天": "days",
    "个小时": "hours",
    "小时": "hours",
    "分钟": "minutes",
}
_MONTHS = MONTHS
_MONTH_RE = MONTH_PATTERN


def _alt(words: dict[str, str] | Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PATTERNS: dict[str, re.Pattern[str]] = {
    "percent_en": re.compile(
        rf"(?P<sign>{_SIGN})(?P<low>{_EN_NUM})(?:\s*%?(?:{_RANGE_EN})(?P<sign2>-?)(?P<high>{_EN_NUM}))?"
        r"\s*(?P<unit>%|percentage points?\b|per ?cent\b|pp\b)",
        re.IGNORECASE,
    ),
    "percent_zh": re.compile(
        rf"(?P<sign>负)?百分之(?P<low>{_ZH_NUM})(?:{_RANGE_ZH}(?:百分之)?(?P<high>{_ZH_NUM}))?"
        rf"|(?P<low2>{_ZH_NUM})(?:{_RANGE_ZH}(?P<high2>{_ZH_NUM}))?\s*(?P<unit>个百分点)"
    ),
    "money_prefix": re.compile(
        rf"(?P<sign>{_SIGN})(?<![A-Za-z])(?P<cur>{_alt(_CURRENCY_PREFIX)})\s?(?P<low>{ARABIC})"
        rf"(?P<scale>{_EN_SCALE}|[kKmM]\b)?(?:{_RANGE_EN}(?:{_alt(_CURRENCY_PREFIX)})?\s?"
        rf"(?P<high>{ARABIC})(?P<scale2>{_EN_SCALE}|[kKmM]\b)?)?",
        re.IGNORECASE,
    ),
    "money_en": re.compile(
        rf"(?P<sign>{_SIGN})(?P<low>{_EN_NUM})(?P<scale>{_EN_SCALE})?(?:{_RANGE_EN}(?P<high>{_EN_NUM})"
        rf"(?P<scale2>{_EN_SCALE})?)?\s*(?P<cur>{_alt(_CURRENCY_SUFFIX_EN)})\b",
        re.IGNORECASE,
    ),
    "money_zh": re.compile(
        rf"(?P<low>{_ZH_NUM})(?:{_RANGE_ZH}(?P<high>{_ZH_NUM}))?\s*(?P<cur>{_alt(_CURRENCY_SUFFIX_ZH)})"
    ),
    "count_en": re.compile(
        rf"(?P<low>{_EN_NUM})(?P<scale>{_EN_SCALE})?(?:{_RANGE_EN}(?P<high>{_EN_NUM})(?P<scale2>{_EN_SCALE})?)?"
        rf"\s+(?:(?P<adj>[a-z][a-z-]+)\s+)?(?P<unit>{_COUNT_NOUN_RE})\b",
        re.IGNORECASE,
    ),
    "count_zh": re.compile(
        rf"(?P<low>{_ZH_NUM})(?:{_RANGE_ZH}(?P<high>{_ZH_NUM}))?\s*(?P<unit>{_alt(_ZH_COUNT_UNITS)})"
    ),
    "scaled_en": re.compile(rf"(?P<sign>{_SIGN})(?P<low>{_EN_NUM})(?P<scale>{_EN_SCALE})", re.IGNORECASE),
    "scaled_zh": re.compile(
        r"(?<![A-Za-z0-9.零〇一二两三四五六七八九十百千万亿])"
        r"(?P<low>(?:\d++(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十百千]*+)[万亿]+)"
    ),
    "duration_en": re.compile(
        rf"(?P<low>{_EN_NUM})(?:{_RANGE_EN_WORDS}(?P<high>{_EN_NUM}))?[\s-]*(?P<unit>{_alt(_DURATION_EN)})s?\b",
        re.IGNORECASE,
    ),
    "duration_zh": re.compile(
        rf"(?P<low>{_ZH_NUM})(?:{_RANGE_ZH}(?P<high>{_ZH_NUM}))?\s*(?P<unit>{_alt(_DURATION_ZH)})"
    ),
    "date_zh": re.compile(
        r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"
        r"|(?<![\d年])(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]"
    ),
    "date_iso": re.compile(
        r"(?<![\w.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\w])"
    ),
    "date_en": re.compile(
        rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
        rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH_RE})\.?,?\s+(?P<y2>\d{{4}})\b"
        rf"|\b(?P<mon3>{_MONTH_RE})\.?\s+(?P<y3>\d{{4}})\b",
        re.IGNORECASE,
    ),
    "year_zh": re.compile(r"(?<!\d)(?P<y>\d{4}|[零〇一二三四五六七八九]{4})\s*年(?!\s*\d{1,2}\s*月)"),
    "year_en": re.compile(
        r"(?<![\w.,$¥€£-])(?P<y>\d{4})(?:\s*(?:-|to|through|and)\s*(?P<y2>\d{4}))?(?![\w%]|[,.]\d)"
    ),
    # a net emotional value stated as a bare number ("净情感值为-0.96", "net sentiment of -96")
    "nev_number": re.compile(
        r"(?:净情感(?:值|指数)?|net\s+(?:emotional|sentiment|emotion)\s*(?:value|score|index)?|\bNEV\b)"
        r"[^\d%。；;]{0,15}?(?P<sign>[-+])?(?P<low>\d+(?:\.\d+)?)(?![\d%]|\.\d)",
        re.IGNORECASE,
    ),
}

# The word before a bare year that makes it a year ("by 2024", "the end of 2024", "fiscal 2024").
_YEAR_LEAD = re.compile(
    r"(?:\b(?:in|by|since|until|till|before|after|from|to|through|during|of|for|between|fiscal|fy|year|"
    r"early|late|mid|end|spring|summer|autumn|fall|winter|q[1-4]|h[12])\s+|[(（]|mid-|FY)$",
    re.IGNORECASE,
)
# Labels whose number is an index, not a figure.
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:group|section|part|chapter|figure|fig|table|item|no|point|step)\.?\s*#?|第|#)$", re.IGNORECASE
)

# --- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One number found in a text: its span (offsets in the text), kind, value(s) and unit, and its
    meaning when the pattern itself says it (a net emotional value stated as a bare number)."""

    start: int
    end: int
    kind: str
    value: float | None
    unit: str | None
    value_high: float | None = None
    meaning: str | None = None


def _range(
    low: float | None, high: float | None, low_scale: float, high_scale: float
) -> tuple[float | None, float | None]:
    """Apply scales; "1-2 million" / "20-30万" carry the high end's scale to the low end."""
    if low is None:
        return None, None
    if high is None:
        return low * low_scale, None
    if low_scale == 1.0 and high_scale != 1.0 and low <= high:
        low_scale = high_scale
    return low * low_scale, high * high_scale


def _zh_range(
    m: re.Match[str], low_key: str = "low", high_key: str = "high"
) -> tuple[float | None, float | None]:
    low = parse_zh_number(m.group(low_key))
    high_text = m.group(high_key)
    high = parse_zh_number(high_text) if high_text else None
    if low is not None and high is not None and high_text and high_text[-1] in "万亿" and low < high:
        # 20-30万: the unit written once applies to both ends
        factor = 1e8 if high_text.endswith("亿") else 1e4
        if low * factor <= high:
            low *= factor
    return low, high


def _is_written_out_small(text: str, value: float | None) -> bool:
    """一位 / 两家 / one user: numerals written out below 2 are language, not figures."""
    return value is not None and value < 2 and not re.search(r"\d", text)


def find_candidates(text: str) -> list[Candidate]:
    """Every number the text states, labels and citation markers skipped, the longest of
    overlapping ones kept, in text order."""
    norm = text.translate(_FULLWIDTH)
    out: list[Candidate] = []

    def add(
        m: re.Match[str],
        kind: str,
        value: float | None,
        unit: str | None,
        high: float | None = None,
        meaning: str | None = None,
    ) -> None:
        start, end = m.span()
        before = norm[max(0, start - _LOOKBACK) : start]
        if _LABEL_BEFORE.search(before) or (before.endswith("[") and norm[end : end + 1] == "]"):
            return
        out.append(Candidate(start, end, kind, value, unit, high, meaning))

    for m in _PATTERNS["percent_en"].finditer(norm):
        low, high = (
            parse_en_number(m.group("low")),
            (parse_en_number(m.group("high")) if m.group("high") else None),
        )
        if low is None:
            continue
        sign = -1.0 if m.group("sign") == "-" else 1.0
        unit = "percentage points" if m.group("unit").lower().startswith(("percentage", "pp")) else "%"
        high_sign = -1.0 if m.group("sign2") else sign
        add(m, "percent", sign * low / 100, unit, None if high is None else high_sign * high / 100)
    for m in _PATTERNS["percent_zh"].finditer(norm):
        if m.group("low") is not None:
            low, high = _zh_range(m)
            sign = -1.0 if m.group("sign") else 1.0
            unit = "%"
        else:
            low, high = _zh_range(m, "low2", "high2")
            sign, unit = 1.0, "percentage points"
        if low is not None:
            add(m, "percent", sign * low / 100, unit, None if high is None else sign * high / 100)
    for m in _PATTERNS["money_prefix"].finditer(norm):
        low, high = _range(
            parse_arabic(m.group("low")),
            parse_arabic(m.group("high")) if m.group("high") else None,
            scale_factor(m.group("scale")),
            scale_factor(m.group("scale2")),
        )
        sign = -1.0 if m.group("sign") == "-" else 1.0
        add(
            m,
            "money",
            None if low is None else sign * low,
            _CURRENCY_PREFIX[m.group("cur").lower()],
            None if high is None else sign * high,
        )
    for m in _PATTERNS["money_en"].finditer(norm):
        low_v = parse_en_number(m.group("low"))
        high_v = parse_en_number(m.group("high")) if m.group("high") else None
        low, high = _range(low_v, high_v, scale_factor(m.group("scale")), scale_factor(m.group("scale2")))
        sign = -1.0 if m.group("sign") == "-" else 1.0
        if low is not None:
            add(
                m,
                "money",
                sign * low,
                _CURRENCY_SUFFIX_EN[m.group("cur").lower()],
                None if high is None else sign * high,
            )
    for m in _PATTERNS["money_zh"].finditer(norm):
        low, high = _zh_range(m)
        if low is not None and not _is_written_out_small(m.group("low"), low):
            add(m, "money", low, _CURRENCY_SUFFIX_ZH[m.group("cur")], high)
    for m in _PATTERNS["count_en"].finditer(norm):
        low_v = parse_en_number(m.group("low"))
        high_v = parse_en_number(m.group("high")) if m.group("high") else None
        if m.group("adj") and m.group("adj").lower() in (
            "of",
            "and",
            "or",
            "to",
            "the",
            "per",
            "more",
            "than",
        ):
            continue
        low, high = _range(low_v, high_v, scale_factor(m.group("scale")), scale_factor(m.group("scale2")))
        if low is None or (_is_written_out_small(m.group("low"), low) and not m.group("scale")):
            continue
        add(m, "count", low, _COUNT_NOUNS.get(m.group("unit").lower(), m.group("unit").lower()), high)
    for m in _PATTERNS["count_zh"].finditer(norm):
        low, high = _zh_range(m)
        if low is None or _is_written_out_small(m.group("low"), low):
            continue
        add(m, "count", low, _ZH_COUNT_UNITS[m.group("unit")], high)
    for m in _PATTERNS["scaled_en"].finditer(norm):
        low = parse_en_number(m.group("low"))
        if low is not None:
            add(
                m,
                "number",
                (-1.0 if m.group("sign") == "-" else 1.0) * low * scale_factor(m.group("scale")),
                None,
            )
    for m in _PATTERNS["scaled_zh"].finditer(norm):
        low = parse_zh_number(m.group("low"))
        if low is not None:
            add(m, "number", low, None)
    for m in _PATTERNS["duration_en"].finditer(norm):
        low = parse_en_number(m.group("low"))
        high = parse_en_number(m.group("high")) if m.group("high") else None
        if low is None or (low >= 1900 and not m.group("high")):  # "2024 year" is not 2024 years
            continue
        if _is_written_out_small(m.group("low"), low) and low == 0:
            continue
        add(m, "duration", low, _DURATION_EN[m.group("unit").lower()], high)
    for m in _PATTERNS["duration_zh"].finditer(norm):
        low, high = _zh_range(m)
        if low is None:
            continue
        if m.group("unit") == "年" and (
            low >= 1000 or re.fullmatch(r"[零〇一二三四五六七八九]{4}", m.group("low"))
        ):
            continue  # 2024年 / 二〇二四年 are years, not durations
        add(m, "duration", low, _DURATION_ZH[m.group("unit")], high)
    for m in _PATTERNS["date_zh"].finditer(norm):
        y = m.group("y")
        month, day = (m.group("m"), m.group("d")) if y else (m.group("m2"), m.group("d2"))
        if _valid_date(int(y) if y else None, int(month), int(day) if day else None):
            add(m, "date", None, "date")
    for m in _PATTERNS["date_iso"].finditer(norm):
        if _valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))):
            add(m, "date", None, "date")
    for m in _PATTERNS["date_en"].finditer(norm):
        mon = m.group("mon") or m.group("mon2") or m.group("mon3")
        year = m.group("y") or m.group("y2") or m.group("y3")
        day = m.group("d") or m.group("d2")
        if mon.lower() == "may" and not day and not m.group(0)[0].isupper():
            continue  # "may 2024" lowercase is the verb more often than the month
        if _valid_date(int(year), _MONTHS[mon.lower()], int(day) if day else None):
            add(m, "date", None if day else float(year), "date" if day else "month")
    for m in _PATTERNS["year_zh"].finditer(norm):
        year = parse_zh_number(m.group("y"))
        if year is not None and 1900 <= year <= 2100:
            add(m, "date", year, "year")
    for m in _PATTERNS["year_en"].finditer(norm):
        year = int(m.group("y"))
        year2 = int(m.group("y2")) if m.group("y2") else None
        plausible = 1900 <= year <= 2100 and (year2 is None or year < year2 <= 2100)
        if plausible and (
            year2 is not None or _YEAR_LEAD.search(norm[max(0, m.start() - _LOOKBACK) : m.start()])
        ):
            add(m, "date", float(year), "year", None if year2 is None else float(year2))
    for m in _PATTERNS["nev_number"].finditer(norm):
        value = float(m.group("low")) * (-1.0 if m.group("sign") == "-" else 1.0)
        if abs(value) > 1:
            value /= 100  # stated on a percent scale (-96 → -0.96)
        if abs(value) <= 1:
            start = m.start("sign") if m.group("sign") else m.start("low")
            out.append(Candidate(start, m.end(), "number", value, None, None, "net emotional value"))
    return _resolve(out)


def _valid_date(year: int | None, month: int, day: int | None) -> bool:
    return (year is None or 1900 <= year <= 2100) and 1 <= month <= 12 and (day is None or 1 <= day <= 31)


_LOOKBACK = 24  # characters before a figure read for "Group", "[", "by", "in" (bounded: linear time)

_KIND_PRIORITY = {"date": 0, "money": 1, "percent": 2, "duration": 3, "count": 4, "number": 5}


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (ties: the more specific kind), in text order."""
    cands.sort(key=lambda c: (-(c.end - c.start), _KIND_PRIORITY[c.kind], c.start))
    kept: list[Candidate] = []
    taken: set[int] = set()  # character offsets already covered: linear, not quadratic, in figures
    for c in cands:
        span = range(c.start, c.end)
        if taken.isdisjoint(span):
            kept.append(c)
            taken.update(span)
    return sorted(kept, key=lambda c: c.start)
