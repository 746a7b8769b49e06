"""Numbers an article states: percentages, counts, durations, money and dates, in zh and en.

(The module was `figures.py`; the records still call one stated number a `Figure`.)

Each figure keeps the text as written, a normalised value (0.96 for 96%, 200000 for 二十万辆,
1.101e11 for 1101亿港元), its unit, the sentence it stands in and, when the words around it say what
it is, a `meaning` ("negative sentiment share", "net emotional value", ...). Ranges ("five to seven
years", 五到七年, 20-30万辆) keep the low end in `value` and the high end in `value_high`.

How: one regular expression per kind finds candidates; where candidates overlap the longest wins
(so "5个月" is a duration, not a count of 个; "2025年10月27日" is one date, not a year). Numbers
inside words (SU7, Q3), group and section numbers ("Group 1", 第1组) and citation markers ([1]) are
never figures. A bare four-digit number is a year only when it is plausible (1900–2100) and the
words around it make it one ("by 2024", "in 2024", 2024年, "2024-2025").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.model import Figure, Sentence
from analysis.text.dates import MONTH_PATTERN, MONTHS
from analysis.text.scripts import HAN

# --- numbers ------------------------------------------------------------------------------------

# Same-length translation, so offsets in the normalised text are offsets in the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．－−–，", "0123456789%.---，")

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG_UNITS = (("亿", 100_000_000), ("万", 10_000))
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # 200,000 / 1101 / 52.99
_ARABIC_RE = re.compile(_ARABIC)


def _arabic(text: str) -> float:
    return float(text.replace(",", ""))


def parse_zh_number(text: str) -> float | None:
    """A Chinese (or mixed Arabic/Chinese) numeral as a number; None if it is not one.

    二十万 → 200000, 一百零五 → 105, 两千 → 2000, 1101亿 → 110100000000, 52.99万 → 529900,
    二〇二四 → 2024 (digit by digit), 十二 → 12.
    """
    text = text.strip()
    if not text:
        return None
    if _ARABIC_RE.fullmatch(text):
        return _arabic(text)
    if len(text) >= 2 and all(ch in _ZH_DIGITS for ch in text):  # 二〇二四: digit by digit
        return float("".join(str(_ZH_DIGITS[ch]) for ch in text))
    for unit, factor in _ZH_BIG_UNITS:
        if unit in text:
            left, _, right = text.partition(unit)
            high = parse_zh_number(left) if left else 1.0
            low = parse_zh_number(right) if right else 0.0
            if high is None or low is None:
                return None
            return high * factor + low
    # below 万: digits with 十 / 百 / 千 (and Arabic digits before a unit, e.g. 3千)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千])", text)
    if m:
        return float(m.group(1)) * _ZH_SMALL_UNITS[m.group(2)]
    total, current = 0.0, 0.0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in _ZH_SMALL_UNITS:
            total += (current or 1) * _ZH_SMALL_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_EN_ONES = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}


def parse_en_number(text: str) -> float | None:
    """Digits or English number words: "200,000" → 200000, "twenty-five" → 25, "two hundred" → 200."""
    text = text.strip().lower()
    if _ARABIC_RE.fullmatch(text):
        return _arabic(text)
    total = 0.0
    for word in re.split(r"[\s-]+", text):
        if word in _EN_ONES:
            total += _EN_ONES[word]
        elif word in _EN_TENS:
            total += _EN_TENS[word]
        elif word == "hundred":
            total = (total or 1) * 100
        elif word == "and":
            continue
        else:
            return None
    return total


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
        rf"(?P<sign>{_SIGN})(?<![A-Za-z])(?P<cur>{_alt(_CURRENCY_PREFIX)})\s?(?P<low>{_ARABIC})"
        rf"(?P<scale>{_EN_SCALE}|[kKmM]\b)?(?:{_RANGE_EN}(?:{_alt(_CURRENCY_PREFIX)})?\s?"
        rf"(?P<high>{_ARABIC})(?P<scale2>{_EN_SCALE}|[kKmM]\b)?)?",
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


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str
    value: float | None
    unit: str | None
    value_high: float | None = None
    meaning: str | None = None


def _scale(text: str | None) -> float:
    if not text:
        return 1.0
    t = text.strip().lower()
    return _EN_SCALES.get(t, {"k": 1e3, "m": 1e6}.get(t, 1.0))


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


def _candidates(text: str) -> list[_Candidate]:
    norm = text.translate(_FULLWIDTH)
    out: list[_Candidate] = []

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
        out.append(_Candidate(start, end, kind, value, unit, high, meaning))

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
            _arabic(m.group("low")),
            _arabic(m.group("high")) if m.group("high") else None,
            _scale(m.group("scale")),
            _scale(m.group("scale2")),
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
        low, high = _range(low_v, high_v, _scale(m.group("scale")), _scale(m.group("scale2")))
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
        low, high = _range(low_v, high_v, _scale(m.group("scale")), _scale(m.group("scale2")))
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
            add(m, "number", (-1.0 if m.group("sign") == "-" else 1.0) * low * _scale(m.group("scale")), None)
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
            out.append(_Candidate(start, m.end(), "number", value, None, None, "net emotional value"))
    return _resolve(out)


def _valid_date(year: int | None, month: int, day: int | None) -> bool:
    return (year is None or 1900 <= year <= 2100) and 1 <= month <= 12 and (day is None or 1 <= day <= 31)


_LOOKBACK = 24  # characters before a figure read for "Group", "[", "by", "in" (bounded: linear time)

_KIND_PRIORITY = {"date": 0, "money": 1, "percent": 2, "duration": 3, "count": 4, "number": 5}


def _resolve(cands: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest of overlapping candidates (ties: the more specific kind), in text order."""
    cands.sort(key=lambda c: (-(c.end - c.start), _KIND_PRIORITY[c.kind], c.start))
    kept: list[_Candidate] = []
    taken: set[int] = set()  # character offsets already covered: linear, not quadratic, in figures
    for c in cands:
        span = range(c.start, c.end)
        if taken.isdisjoint(span):
            kept.append(c)
            taken.update(span)
    return sorted(kept, key=lambda c: c.start)


# --- meaning ------------------------------------------------------------------------------------

_SENTIMENT_CONTEXT = re.compile(
    r"sentiment|emotion|opinion|comment|review|post|mention|feedback|reaction|attitude|view|"
    r"情绪|情感|舆情|舆论|评论|声量|评价|口碑|占比|比例|观点|态度|帖",
    re.IGNORECASE,
)
_CUES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # (cue, meaning, needs sentiment context in the sentence)
    (
        re.compile(
            r"net\s+(?:emotional|sentiment|emotion)(?:\s+(?:value|score|index))?|净情感(?:值|指数)?|\bNEV\b|净好感度?",
            re.IGNORECASE,
        ),
        "net emotional value",
        False,
    ),
    (re.compile(r"\bnegative\b|负面|消极|差评|不满", re.IGNORECASE), "negative sentiment share", True),
    (re.compile(r"\bpositive\b|正面|积极|好评|点赞", re.IGNORECASE), "positive sentiment share", True),
    (re.compile(r"\bneutral\b|中性|中立", re.IGNORECASE), "neutral sentiment share", True),
    (re.compile(r"market\s+share|市场份额|市占率", re.IGNORECASE), "market share", False),
    (re.compile(r"gross\s+margin|毛利率", re.IGNORECASE), "gross margin", False),
    (re.compile(r"year[-\s]on[-\s]year|\byoy\b|同比", re.IGNORECASE), "year-on-year change", False),
    (re.compile(r"month[-\s]on[-\s]month|\bmom\b|环比", re.IGNORECASE), "month-on-month change", False),
)
_OTHER_CUES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "count": (
        (re.compile(r"deliver|交付|交车", re.IGNORECASE), "deliveries"),
        (re.compile(r"\bsales\b|\bsold\b|\bsell|销量|销售|卖出", re.IGNORECASE), "sales volume"),
        (re.compile(r"produc|manufactur|生产|产量|产能|下线", re.IGNORECASE), "production"),
        (re.compile(r"\borders?\b|订单|锁单|大定|小定", re.IGNORECASE), "orders"),
        (re.compile(r"recall|召回", re.IGNORECASE), "recalled units"),
    ),
    "duration": (
        (re.compile(r"development|研发|开发", re.IGNORECASE), "development cycle"),
        (re.compile(r"\bwait|等车|提车|交付周期", re.IGNORECASE), "waiting time"),
        (re.compile(r"warranty|质保|保修", re.IGNORECASE), "warranty"),
    ),
    "money": (
        (re.compile(r"revenue|营收|收入", re.IGNORECASE), "revenue"),
        (re.compile(r"\bsales\b|销售额|销售收入", re.IGNORECASE), "sales"),
        (re.compile(r"market\s+(?:value|cap)|市值", re.IGNORECASE), "market value"),
        (re.compile(r"\bloss|亏损", re.IGNORECASE), "loss"),
        (re.compile(r"profit|利润|净利", re.IGNORECASE), "profit"),
        (re.compile(r"\brais|fund|invest|融资|募资|投资", re.IGNORECASE), "funding"),
        (re.compile(r"price|\bcosts?\b|售价|定价|价格|起售", re.IGNORECASE), "price"),
    ),
}
_AFTER_WINDOW = 30  # characters after a figure searched for what it is ("96% of comments were negative")
_NEAR_WINDOW = 30  # characters before a count / duration / money figure searched for what it is
_NEAR_WINDOW_ZH = 12  # the same in Chinese, where one character carries about as much as a word
_CLAUSE_END = re.compile(r"[;；。！？!?]")
_PHRASE_END = re.compile(r"[,，;；。！？!?]")


def _nearest_before(segment: str, cues: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, meaning in cues:
        for m in pattern.finditer(segment):
            if best is None or m.end() > best[0]:
                best = (m.end(), meaning)
    return best[1] if best else None


def _nearest_after(segment: str, cues: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, meaning in cues:
        m = pattern.search(segment)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), meaning)
    return best[1] if best else None


def _meanings(text: str, cands: list[_Candidate]) -> list[str | None]:
    """What each figure is, from the words between it and its neighbours in the same clause."""
    has_sentiment_context = bool(_SENTIMENT_CONTEXT.search(text))
    sentiment_cues = [(p, m) for p, m, needs in _CUES if has_sentiment_context or not needs]
    result: list[str | None] = []
    for i, c in enumerate(cands):
        if c.meaning:
            result.append(c.meaning)
            continue
        lo = cands[i - 1].end if i else 0
        clause_starts = [m.end() for m in _CLAUSE_END.finditer(text, lo, c.start)]
        before = text[max([lo, *clause_starts]) : c.start]
        hi = cands[i + 1].start if i + 1 < len(cands) else len(text)
        stop = _PHRASE_END.search(text, c.end, hi)
        # only the words right after the figure ("96% of comments were negative"), not the next clause
        tail = text[c.end : stop.start() if stop else hi]
        after = re.split(r"\s(?:and|but|while|whereas)\s|而|但", tail)[0][:_AFTER_WINDOW]
        meaning = None
        if c.kind in ("percent", "number"):
            meaning = _nearest_before(before, sentiment_cues) or _nearest_after(after, sentiment_cues)
        elif c.kind in _OTHER_CUES:
            # other meanings only from the words close by (生产 in 新疆生产建设兵团 says nothing about 12例)
            cues = _OTHER_CUES[c.kind]
            window = _NEAR_WINDOW_ZH if HAN.search(before[-4:]) else _NEAR_WINDOW
            meaning = _nearest_before(before[-window:], cues) or _nearest_after(after, cues)
        elif c.kind == "date" and c.unit == "year" and re.search(r"\bby\s+$|到$|至$", before, re.IGNORECASE):
            meaning = "target year"
        result.append(meaning)
    return result


# --- public API ---------------------------------------------------------------------------------


def figures_in_text(text: str, position: int | None = None) -> list[Figure]:
    """The figures stated in one sentence (or title), in text order."""
    if not text or not text.strip():
        return []
    cands = _candidates(text)
    figures = []
    for c, meaning in zip(cands, _meanings(text, cands), strict=True):
        if c.kind == "number" and meaning is None and c.value is not None and abs(c.value) < 10_000:
            continue  # a bare small number with no stated meaning is not worth reporting
        figures.append(
            Figure(
                kind=c.kind,  # type: ignore[arg-type]
                text=text[c.start : c.end].strip(),
                value=None if c.value is None else round(c.value, 10),
                unit=c.unit,
                context=text,
                position=position,
                meaning=meaning,
                value_high=None if c.value_high is None else round(c.value_high, 10),
            )
        )
    return figures


def extract_figures(sentences: Sequence[Sentence], title: str | None = None) -> list[Figure]:
    """Every figure the title and the sentences state: title first, then in sentence order."""
    figures = figures_in_text(title, None) if title else []
    for s in sentences:
        figures.extend(figures_in_text(s.text, s.position))
    return figures


_STATED_KEYS = {
    "negative sentiment share": "negative_share",
    "positive sentiment share": "positive_share",
    "neutral sentiment share": "neutral_share",
    "net emotional value": "nev",
}


def stated_sentiment(figures: Sequence[Figure]) -> dict[str, float]:
    """The sentiment figures the article itself states, to set beside the computed ones.

    Keys: `negative_share`, `positive_share`, `neutral_share` (in [0, 1]) and `nev` (in [-1, 1]);
    only those stated; the first statement of each wins.
    """
    stated: dict[str, float] = {}
    for f in figures:
        key = _STATED_KEYS.get(f.meaning or "")
        if key is None or f.value is None or key in stated:
            continue
        lo = -1.0 if key == "nev" else 0.0
        if lo <= f.value <= 1.0:
            stated[key] = f.value
    return stated
