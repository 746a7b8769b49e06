"""The article parser: headings, numbered section markers and paragraphs (kind "article").

Anything that is not a summary is an article: title, source and date are taken from a key-value
header block or front matter at the top (`标题：/日期：/来源：…`, `Title:/Published:/Source:…`, a
`---`/`+++` fence), whose values win, then from the first lines (and source or labelled date lines
at the end; a wire dateline "LOS ANGELES (Reuters) -" / "新华社巴黎12月9日电" names the source when
nothing else does; a leading `【标题】` is the headline, or the outlet if known): see
analysis.structure.meta. Sections start at headings (Markdown `#`, `一、…`, `**…**`, a section
number such as "01" on its own line before the title, short unpunctuated lines before a
paragraph); otherwise blank-line blocks that hold several paragraphs are sections; otherwise the
whole body is one section. Each paragraph is a bullet. Sections without a heading get a derived
title.
"""

from __future__ import annotations

import re

from analysis.records import Document
from analysis.structure.build import _build, _RawGroup
from analysis.structure.bullets import _is_hard_wrapped, _paragraphs, _section_bullets
from analysis.structure.lines import (
    _CN_HEADING,
    _CN_NUM,
    _MD_HEADING,
    _ends_like_sentence,
    _has_content,
    _is_short_heading,
    _strip_heading_marks,
)
from analysis.structure.meta import _article_meta, _Meta
from analysis.structure.sources import _KNOWN_SOURCE_KEYS, _alias_key

# A line that is only a section number ("01", "02", "Part 1", "（一）"): WeChat writers put the
# section's title on the next line.
_SECTION_NUMBER_LINE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:0\d|[1-9]\d?|Part\s*\d{1,2}|PART\s*\d{1,2}|[（(]?["
    + _CN_NUM
    + r"]{1,3}[)）、]?)\s*$"
)
_BOLD_HEADING = re.compile(r"^\s*[*_]{2}[^*_\n]{1,80}[*_]{2}\s*$")


def _next_nonempty(lines: list[str], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j if j < len(lines) else None


def _numbered_title(lines: list[str], i: int) -> int | None:
    """For a section-number line ("01"), the index of the short title line after it, if any."""
    if not _SECTION_NUMBER_LINE.match(lines[i]):
        return None
    j = _next_nonempty(lines, i)
    if j is None:
        return None
    title = _strip_heading_marks(lines[j])
    if title and len(title) <= 40 and not _ends_like_sentence(title):
        return j
    return None


def _is_article_heading(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _MD_HEADING.match(line) or _BOLD_HEADING.match(line) or _numbered_title(lines, i) is not None:
        return True
    stripped = line.strip()
    # the next non-empty line (an index walk: this runs once per line, so no slicing or islice)
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    nxt = lines[j].strip() if j < len(lines) else ""
    if not nxt:
        return False
    if _CN_HEADING.match(line) and len(stripped) <= 40 and not _ends_like_sentence(stripped):
        return True
    # a short unpunctuated line standing before a much longer paragraph
    return (
        _is_short_heading(stripped)
        and len(stripped) <= 40
        and len(nxt) >= 2 * len(stripped)
        and _ends_like_sentence(nxt)
    )


_SECTION_PREFIX = re.compile(
    r"^(?:["
    + _CN_NUM
    + r"]{1,3}\s*[、.．]|[（(]["
    + _CN_NUM
    + r"]{1,3}[)）]|Part\s*\d{1,2}\s*[:：.\-–—]?)\s*",
    re.I,
)
_BRACKET_HEADLINE = re.compile(r"^\s*【([^【】\n]{2,60})】")


def _parse_article(text: str) -> Document | None:
    meta = _Meta()
    # "【标题】正文…" (Chinese news and Weibo): the bracketed lead is the headline, or the outlet
    bracketed = _BRACKET_HEADLINE.match(text)
    if bracketed and _has_content(text[bracketed.end() :]):
        inner = bracketed.group(1).strip()
        if _alias_key(inner) in _KNOWN_SOURCE_KEYS:
            meta.source = inner
        else:
            meta.title = inner
        text = text[bracketed.end() :]
    lines = text.split("\n")
    start, end = _article_meta(lines, meta)
    body = lines[start:end]
    sections: list[_RawGroup] = []
    current = _RawGroup(None)
    current_lines: list[str] = []

    def flush() -> None:
        nonlocal current_lines
        current.bullets.extend(_section_bullets("\n".join(current_lines), inline=False))
        current_lines = []

    headed = False
    skip: int | None = None  # the title line of a numbered section, already used
    for i, line in enumerate(body):
        if i == skip:
            continue
        if line.strip() and _is_article_heading(body, i):
            flush()
            if current.bullets:
                sections.append(current)
            title_at = _numbered_title(body, i)
            if title_at is not None:
                skip, line = title_at, body[title_at]
            current = _RawGroup(_SECTION_PREFIX.sub("", _strip_heading_marks(line)) or None)
            headed = True
            continue
        current_lines.append(line)
    flush()
    sections.append(current)
    if not headed and not _is_hard_wrapped(body):
        blocks = _blank_line_blocks(body)
        paragraphs_per_block = [len(_paragraphs(b)) for b in blocks]
        if len(blocks) > 1 and any(n > 1 for n in paragraphs_per_block):
            sections = [_RawGroup(None, _paragraphs(b)) for b in blocks]
    return _build(meta, [], sections, "article")


def _blank_line_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]
