"""Metadata lines: title, source and date from date lines, front matter, header blocks and datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from analysis.structure.lines import (
    _CN_HEADING,
    _MD_HEADING,
    _ends_like_sentence,
    _is_short_heading,
    _strip_heading_marks,
)
from analysis.structure.sources import _KNOWN_SOURCES, _alias_key
from analysis.text.dates import find_date


def parse_published_at(text: str) -> datetime | None:
    """The first date (and time) in `text`, timezone-aware.

    Without an explicit zone the time is read as China time (Asia/Shanghai, +08:00), the zone of
    the Chinese sources this tool is made for. Formats: `2016年10月14日07:17`, `2025-10-27 20:11`,
    `2025/10/27`, `Oct 27, 2025`, `October 27, 2025 8:11 PM`, ISO 8601 with `Z` or `+hh:mm`.
    """
    found = find_date(text[:10_000])
    return found[0] if found else None


# Date, source, byline and editor lines (in a summary's preamble and at an article's top and end)

_SOURCE_LINE = re.compile(
    r"^[（(【\[]?\s*(?:来源于|来源|来自|出处|稿源|Source|Sources|From)\s*[:：]\s*(?P<src>[^)）】\]\n]{1,60})[)）】\]]?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+(?P<who>[^\n]{1,120})$", re.IGNORECASE)
_EDITOR_LINE = re.compile(
    r"^[（(]?\s*(?:责任编辑|编辑|校对|审核|记者|作者|撰文|Editor|Edited by|Reporting by)\s*[:：].{0,60}$"
)
_END_MARK = re.compile(r"^[（(]\s*完\s*[)）]$")
_SEPARATORS = " ·•|/,，、-–—:：\u3000"


@dataclass
class _Meta:
    title: str | None = None
    source: str | None = None
    published_at: datetime | None = None


# Labels that end a source value on its line: "来源：证券时报网 作者：李在山", "Source: Reuters | By …".
_NEXT_LABEL = re.compile(
    r"\s*(?:作者|记者|编辑|责任编辑|责编|原标题|摄影|通讯员|Author|Editor|By)\s*[:：]|\s+By\s|\s{2,}|\s*[|｜]\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|星期[一二三四五六日天]|周[一二三四五六日天])\.?$",
    re.IGNORECASE,
)


def _cut_at_next_label(value: str) -> str:
    """A source value without what follows the next label on its line (作者：…, By …)."""
    return _NEXT_LABEL.split(value, maxsplit=1)[0].strip(_SEPARATORS + "()（）")


def _source_from_prefix(prefix: str) -> tuple[str | None, str]:
    """Split "小米汽车陷入困境? Xin Lang Cai Jing" into (source, rest before it)."""
    prefix = prefix.rstrip(_SEPARATORS)
    if not prefix:
        return None, ""
    if _WEEKDAY.match(prefix.strip()):  # "Friday, December 23, 2016": a weekday, not an outlet
        return None, ""
    squashed = _alias_key(prefix)
    for name in _KNOWN_SOURCES:
        key = _alias_key(name)
        if key and squashed.endswith(key):
            # find where the name starts in the unsquashed text (walk back over its characters)
            need, i = len(key), len(prefix)
            while i > 0 and need > 0:
                i -= 1
                if _alias_key(prefix[i]):
                    need -= 1
            return prefix[i:].strip(), prefix[:i].rstrip(_SEPARATORS)
    # pinyin or English outlet name: a trailing run of capitalised words
    m = re.search(r"(?:^|(?<=[\s?？!！。,，·]))((?:[A-Z0-9][A-Za-z0-9&'.]*\s?){1,8})$", prefix)
    if m and m.group(1).strip():
        rest = prefix[: m.start(1)].rstrip(_SEPARATORS)
        return m.group(1).strip(), rest
    if len(prefix) <= 30 and not _ends_like_sentence(prefix):
        return prefix.strip(), ""
    return None, prefix


def _read_meta_line(line: str, meta: _Meta) -> str | None:
    """Take source / date out of a metadata line; return what is left (title text) or None if
    the line was not metadata."""
    stripped = line.strip()
    m = _SOURCE_LINE.match(stripped)
    if m:
        src = _cut_at_next_label(m.group("src"))
        found = find_date(src)
        if found:
            meta.published_at = meta.published_at or found[0]
            src = (src[: found[1][0]] + src[found[1][1] :]).strip(_SEPARATORS)
        if src and meta.source is None:
            meta.source = src
        return ""
    m = _BYLINE.match(stripped)
    if m and len(stripped) <= 120:
        who = m.group("who")
        found = find_date(who)
        if found:
            meta.published_at = meta.published_at or found[0]
            who = who[: found[1][0]]
        parts = [p.strip() for p in re.split(r"[,|;]| and ", who) if p.strip()]
        if len(parts) >= 2 and meta.source is None:
            meta.source = parts[-1]
        return ""
    if _EDITOR_LINE.match(stripped) or _END_MARK.match(stripped):
        return ""
    found = find_date(stripped)
    if found is None or len(stripped) > 160:
        return None
    date, (start, end) = found
    after = stripped[end:].strip(_SEPARATORS)
    before = stripped[:start]
    if len(after) > 40 or (_ends_like_sentence(stripped) and len(stripped) > 60):
        return None  # a sentence that mentions a date, not a date line
    if _ends_like_sentence(stripped) and re.search(r"[，,；;]\s*\S", after):
        return None  # "2019年2月27日下午，调研组一行……调研。": a sentence that opens with a date
    if meta.published_at is None:
        meta.published_at = date
    labeled = _SOURCE_LINE.match(before.strip(_SEPARATORS)) or _SOURCE_LINE.match(after)
    if labeled:  # "来源：新华社 2016年10月14日" / "2016年10月14日07:17 来源：新华社 作者：…"
        source, rest = _cut_at_next_label(labeled.group("src")) or None, ""
    else:
        source, rest = _source_from_prefix(before)
    if source is None and after and len(after) <= 30:
        source = after.strip()
    if source and meta.source is None:
        meta.source = source
    return rest


# A key-value header block, as scrapers and exports write it ("标题: … / 日期: … / 来源: … /
# 链接: …"; "Title: … / Published: … / Source: … / URL: …"). Its values beat anything in the body.
_HEADER_KEYS = {
    "title": ("标题", "题目", "新闻标题", "文章标题", "title", "headline"),
    "date": ("日期", "时间", "发布时间", "发表时间", "发布日期", "发文时间", "date", "published",
             "publish date", "published at", "publication date", "time"),
    "source": ("来源", "来源于", "来自", "出处", "媒体", "稿源", "source", "publisher", "outlet"),
    "author": ("作者", "记者", "撰文", "author", "authors", "by"),
    "url": ("链接", "原文链接", "网址", "原文地址", "url", "link", "original link"),
}  # fmt: skip
_HEADER_ROLE = {k.lower(): role for role, keys in _HEADER_KEYS.items() for k in keys}
_HEADER_LINE = re.compile(
    r"^\s*[【\[]?\s*(?P<key>"
    + "|".join(sorted((re.escape(k) for k in _HEADER_ROLE), key=len, reverse=True))
    + r")\s*[】\]]?\s*[:：]\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)


# Front matter, as Markdown exports, static-site posts and web clippers write it: a block fenced by
# "---" (YAML, "key: value") or "+++" (TOML, "key = value") at the very top. Keys this parser does not
# know (layout, tags, categories...) are skipped inside the fence.
_FRONT_MATTER_FENCE = re.compile(r"^\s*(---|\+\+\+)\s*$")
_FRONT_MATTER_LINE = re.compile(
    r"^\s*(?P<key>[A-Za-z_\u4e00-\u9fff][\w \-\u4e00-\u9fff]{0,30}?)\s*[:=：]\s*(?P<value>.*?)\s*$"
)
_FRONT_MATTER_MAX_LINES = 60


def _header_value(meta: _Meta, role: str, value: str) -> None:
    """Store one header value in `meta` (header values replace whatever was there)."""
    if role == "title":
        meta.title = _strip_heading_marks(value) or meta.title
    elif role == "date":
        date = find_date(value)
        if date is not None:
            meta.published_at = date[0]
    elif role == "source":
        date = find_date(value)
        if date is not None:  # "来源: 新华社 2016-10-14"
            meta.published_at = meta.published_at or date[0]
            value = (value[: date[1][0]] + value[date[1][1] :]).strip(_SEPARATORS)
        meta.source = _cut_at_next_label(value) or meta.source


def _front_matter(lines: list[str], meta: _Meta) -> int:
    """Read a fenced front matter block at the top into `meta`; return the line after its closing
    fence (0 when the text does not open with one)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return 0
    opening = _FRONT_MATTER_FENCE.match(lines[first])
    if opening is None:
        return 0
    fence = opening.group(1)
    for end in range(first + 1, min(len(lines), first + _FRONT_MATTER_MAX_LINES)):
        closing = _FRONT_MATTER_FENCE.match(lines[end])
        if closing is not None and closing.group(1) == fence:
            break
    else:
        return 0
    for line in lines[first + 1 : end]:
        m = _FRONT_MATTER_LINE.match(line)
        if m is None:
            continue
        role = _HEADER_ROLE.get(m.group("key").strip().lower())
        value = m.group("value").strip().strip("\"'").strip()
        if role and value:
            _header_value(meta, role, value)
    return end + 1


def _header_block(lines: list[str], meta: _Meta) -> int:
    """Read front matter or a key-value header block at the top into `meta`; return the first line
    after it (0 when the text has none)."""
    fenced = _front_matter(lines, meta)
    if fenced:
        return fenced
    i, found = 0, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _HEADER_LINE.match(line)
        if m is None:
            break
        role, value = _HEADER_ROLE[m.group("key").lower()], m.group("value").strip()
        found += 1
        i += 1
        if value:
            _header_value(meta, role, value)
    return i if found else 0


# A labelled publication date closing an article: "发布日期：2019-03-06 责任编辑：龙慧", "Published: …".
_TRAILING_DATE = re.compile(
    r"^[（(]?\s*(?:发布日期|发布时间|发表时间|发表日期|发稿时间|Published(?: on)?|Posted(?: on)?|First published)\s*[:：]?\s*",
    re.IGNORECASE,
)
# A wire-service dateline opening the first paragraph: the agency is the source.
_WIRE_DATELINE = re.compile(
    r"^[A-Z]{2,}[A-Z .,'’/-]{0,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*\((?P<agency>[A-Z][A-Za-z.&]+(?:\s[A-Z][A-Za-z.&]+){0,2})\)\s*[-–—]"
)
_CN_WIRE_DATELINE = re.compile(
    r"^(?P<agency>新华社|中新社|中新网|法新社|路透社|美联社|共同社|塔斯社|韩联社)[\u4e00-\u9fff]{0,12}"
    r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*电"
)


def _article_meta(lines: list[str], meta: _Meta) -> tuple[int, int]:
    """Consume a key-value header block, then title/source/date lines at the top (and source
    lines at the end). Returns the [start, end) line range of the body."""
    start, seen = _header_block(lines, meta), 0
    while start < len(lines) and seen < 6:
        line = lines[start]
        if not line.strip():
            start += 1
            continue
        seen += 1
        if _WIRE_DATELINE.match(line.strip()) or _CN_WIRE_DATELINE.match(line.strip()):
            break  # "LOS ANGELES (Reuters) - …" opens the body
        if meta.title is not None and _same_text(_strip_heading_marks(line), meta.title):
            start += 1  # the headline a header block named, printed again: the date lines follow
            continue
        rest = _read_meta_line(line, meta)
        if rest is not None:
            rest = _strip_heading_marks(rest)
            if rest and meta.title is None and _is_short_heading(rest, allow_question=True):
                meta.title = rest
            elif rest:
                break
            start += 1
            continue
        clean = _strip_heading_marks(line)
        later = any(x.strip() for x in lines[start + 1 :])
        if (
            meta.title is None
            and later
            and (_MD_HEADING.match(line) or _is_short_heading(clean, allow_question=True))
            and not _CN_HEADING.match(line)  # 一、… opens a section, it is not the headline
            and seen <= 2
        ):
            meta.title = clean
            start += 1
            continue
        break
    end = len(lines)
    while end > start:
        line = lines[end - 1]
        if not line.strip():
            end -= 1
            continue
        stripped = line.strip()
        if _SOURCE_LINE.match(stripped) or _EDITOR_LINE.match(stripped) or _END_MARK.match(stripped):
            _read_meta_line(stripped, meta)
            end -= 1
            continue
        dated = _TRAILING_DATE.match(stripped)
        found = find_date(stripped) if dated else None
        if (
            dated is not None and found is not None and found[1][0] == dated.end()
        ):  # "发布日期：2019-03-06 责任编辑：龙慧"
            meta.published_at = meta.published_at or found[0]
            end -= 1
            continue
        break
    if meta.source is None:
        first = next((line.strip() for line in lines[start:end] if line.strip()), "")
        wire = _WIRE_DATELINE.match(first) or _CN_WIRE_DATELINE.match(first)
        if wire:  # "LOS ANGELES (Reuters) - …", "新华社巴黎12月9日电（记者唐霁）…"
            meta.source = wire.group("agency")
    return start, end


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
