"""Numerals as numbers: Chinese (二十万, 二〇二四), English words (twenty-five) and digits."""

from __future__ import annotations

import re

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
ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # 200,000 / 1101 / 52.99
_ARABIC_RE = re.compile(ARABIC)


def parse_arabic(text: str) -> float:
    """Digits as written, with thousands separators: "200,000" → 200000."""
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
        return parse_arabic(text)
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
        return parse_arabic(text)
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


def scale_factor(text: str | None) -> float:
    """The factor a scale word stands for: "million" → 1e6, "bn" → 1e9, "k" → 1e3; 1 if none."""
    if not text:
        return 1.0
    t = text.strip().lower()
    return _EN_SCALES.get(t, {"k": 1e3, "m": 1e6}.get(t, 1.0))
