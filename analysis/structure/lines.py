"""Line shapes the parsers share: cleaning input, joining wrapped lines, sentence ends, headings."""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.structure.citations import _CITATION
from analysis.text.scripts import CJK, HAN

_WORD = re.compile(r"\w")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CLOSING = "”’」』）)】》\"'"


def _clean_input(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.replace("\u00a0", " ").replace("\t", " ")


def _join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space otherwise."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (CJK.match(out[-1]) and CJK.match(line[0])):
            out += " "
        out += line
    return out


def _squash_spaces(text: str) -> str:
    return re.sub(r"[ \u3000]{2,}", " ", text).strip()


def _has_content(text: str) -> bool:
    return bool(_WORD.search(text))


def _ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING + " ")
    return bool(stripped) and stripped[-1] in "。！？!?.…;；"


def _is_short_heading(line: str, *, allow_question: bool = False) -> bool:
    """Short, unpunctuated at the end, no citation: looks like a title rather than prose.
    Headlines may end with ? or ! (`问题出在哪?`); `allow_question` accepts those."""
    line = line.strip()
    if not line or _CITATION.search(line):
        return False
    exclaims = allow_question and line.rstrip(_CLOSING + " ")[-1:] in ("?", "？", "!", "！")
    if _ends_like_sentence(line) and not exclaims:
        return False
    han = len(HAN.findall(line))
    words = len(re.findall(r"[A-Za-z]+", line))
    return (han + words) > 0 and han <= 40 and words <= 16 and len(line) <= 120


def _strip_heading_marks(line: str) -> str:
    line = line.strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    line = re.sub(r"^[*_]{2}(.*?)[*_]{2}$", r"\1", line)
    line = re.sub(r"^(?:标题|Title|Headline)\s*[:：]\s*", "", line, flags=re.IGNORECASE)
    return line.strip()


# Headings: Markdown `#`, and Chinese numbered ones (一、, 第一章, （一）, Part 1).
_CN_NUM = "一二三四五六七八九十"
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_CN_HEADING = re.compile(
    r"^\s*(?:["
    + _CN_NUM
    + r"]{1,3}\s*[、.．]|第["
    + _CN_NUM
    + r"\d]{1,3}[章节部分]|[（(]["
    + _CN_NUM
    + r"]{1,3}[)）]|Part\s*\d{1,2}\b)",
    re.IGNORECASE,
)
