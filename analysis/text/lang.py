"""Language of a sentence: Chinese, English, or neither (then it is left unscored, not guessed)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.records import Lang
from analysis.text.scripts import HAN

# Scripts that are neither Chinese nor English: kana, hangul, cyrillic, arabic, greek, thai, devanagari.
_OTHER = re.compile(
    r"[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff\u0370-\u03ff\u0e00-\u0e7f\u0900-\u097f]"
)
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin-script text that is clearly not English (accented letters common in European languages).
_ACCENTED = re.compile(r"[à-öø-ÿĀ-ž]")


def detect_lang(text: str) -> Lang:
    """Decide per sentence. Mixed Chinese/English text goes to the language with more weight:
    one Han character counts as much as one English word (about 4.5 letters)."""
    han = len(HAN.findall(text))
    other = len(_OTHER.findall(text))
    latin_words = _LATIN_WORD.findall(text)
    if other > han and other > len(latin_words):
        return "other"
    if han == 0 and not latin_words:
        return "other"
    if han >= len(latin_words) or (han >= 4 and han * 1.0 >= len(latin_words) * 0.5):
        return "zh"
    if len(_ACCENTED.findall(text)) > max(2, len(latin_words) // 4):
        return "other"
    return "en"


def document_language(langs: Sequence[str]) -> str:
    """`zh`, `en`, `mixed` (each at least 20% of sentences) or `other`."""
    scored = [x for x in langs if x in ("zh", "en")]
    if not scored:
        return "other"
    zh = scored.count("zh") / len(scored)
    if 0.2 <= zh <= 0.8:
        return "mixed"
    return "zh" if zh > 0.5 else "en"
