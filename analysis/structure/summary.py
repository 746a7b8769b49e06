"""The summary parser: an AI-style digest's core viewpoint, viewpoint groups and bullets (kind "summary").

An AI-style digest such as the seed article::

    小米汽车陷入困境,问题出在哪?
    Xin Lang Cai Jing·2025-10-27 20:11
    Core Viewpoint - ... [1][3]. Group 1: Trust and Public Sentiment - ... [1]. - ... [1][3]. Group 2: ...

It may sit on one line or many, or be Markdown (`# 标题`, `## Group 1: Title`, `- bullet`). Mapping
of the headings this parser knows:

- `Core Viewpoint` / `Core View` / `Key Takeaway` / `核心观点` / `核心看法` → the core viewpoint (one
  Bullet; several bullets under it are joined).
- `Group N[: Title]`, `第N组`, `分组N`, `组N` → group N; without a title, one is derived from the
  bullets' keywords (`title_derived=True`).
- `观点一：…` / `观点1：…` and a line-initial `一、…` → one group each (Chinese numbered viewpoints are
  the group level); a short heading phrase before `：`/` - `/line end is its title, else derived.
- `Key Points` / `Main Points` / `Highlights` / `要点` / `主要观点` / `关键要点` → one group titled
  by the heading, each numbered item (`1. … 2. …`, `1、…`, `(1)…`) a bullet of it.
- Bullets inside a section: line-initial `- ` `* ` `• ` `1. ` `1、` `(1)` `①`; else on one line,
  ` - ` after a sentence end or citation, or a sequential `1. … 2. …` chain; else each paragraph.
- Text before the first heading: title, source and date lines; anything else becomes the core
  viewpoint when there is none. A short headline-like last line (no citation, no full stop) is
  the title when none was found at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.records import Document
from analysis.structure.build import _build, _RawGroup
from analysis.structure.bullets import _LINE_BULLET, _section_bullets
from analysis.structure.citations import _CITATION
from analysis.structure.lines import _CN_NUM, _is_short_heading, _strip_heading_marks
from analysis.structure.meta import _Meta, _read_meta_line
from analysis.text.scripts import HAN

_HEAD_PREFIX = r"(?:^|(?<=[.。!！?？;；\]］】)）])|(?<=\s))[ ]*(?:#{1,6}[ ]*)?(?:[-*•][ ]+)?(?:[*_]{2}[ ]*)?"
_MARKER = re.compile(
    _HEAD_PREFIX
    + r"(?:(?P<core>Core\s+View(?:point)?s?|Key\s+Takeaways?|核心观点|核心看法|核心结论)"
    + r"|(?P<group>(?:Group|Viewpoint\s+Group)\s*(?P<gnum>\d{1,3})\b|(?:分组|组)\s*(?P<gnum2>\d{1,3})"
    + r"|第\s*(?P<gnum3>\d{1,3}|["
    + _CN_NUM
    + r"]{1,3})\s*(?:组|部分))"
    + r"|(?P<points>Key\s+Points?|Main\s+Points?|Highlights|关键要点|主要观点|要点)"
    + r"|(?P<view>观点\s*(?:\d{1,2}|["
    + _CN_NUM
    + r"]{1,3}))"
    + r"|(?m:^)[ ]*(?:#{1,6}[ ]*)?(?P<cnhead>["
    + _CN_NUM
    + r"]{1,3})\s*[、.．]"
    + r")",
    re.MULTILINE | re.IGNORECASE,
)
_TITLE_SEP = re.compile(r"\s[-–—]\s|\n|[*_]{2}|\s[-–—]$")


@dataclass
class _Marker:
    kind: str  # core | group | points | view | cnhead
    start: int
    end: int
    label: str


def _find_markers(text: str) -> list[_Marker]:
    markers: list[_Marker] = []
    for m in _MARKER.finditer(text):
        kind = next(k for k in ("core", "group", "points", "view", "cnhead") if m.group(k))
        # the heading keyword must be followed by a separator, a line end or a title
        after = text[m.end() : m.end() + 3]
        if kind in ("core", "points", "view") and not re.match(r"\s*(?:[:：\-–—]|\*\*|\n|$)", after):
            continue
        if kind == "group" and not re.match(r"\s*(?:[:：.、\-–—]|\*\*|\n|$|\s)", after):
            continue
        # Mid-sentence ("the Group 1 companies said") a keyword is prose, not a heading: there it
        # must be followed by a colon or a spaced dash.
        before = text[max(0, m.start(kind) - 12) : m.start(kind)].rstrip(" *#-•_")
        at_start = not before or before[-1] in "\n.。!！?？;；:：]］】)）"
        if not at_start and not re.match(r"[ ]*(?:[:：]|[-–—]\s)", text[m.end() : m.end() + 4]):
            continue
        markers.append(_Marker(kind, m.start(), m.end(), m.group(kind)))
    return markers


def _heading_tail(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """Parse what follows a heading keyword: an optional title, then the body start."""
    window_end = min(limit, pos + 200)
    i = pos
    while i < window_end and text[i] in " *_":
        i += 1
    if i < window_end and text[i] in ":：.、．":
        i += 1
    elif i < window_end and text[i] in "-–—" and (i + 1 >= len(text) or text[i + 1].isspace()):
        return None, i + 1  # "Group 1 - bullet": no title
    while i < window_end and text[i] in " *_":
        i += 1
    if i < len(text) and text[i] == "\n":
        return None, i
    window = text[i:window_end]
    sep = _TITLE_SEP.search(window)
    if sep:
        candidate = window[: sep.start()]
        if candidate.strip() and _is_title_like(candidate):
            body = i + sep.end()
            if sep.group().startswith("*"):  # **Group 1: Title** - body
                rest = re.match(r"[*_ ]*[:：]?[ ]*(?:[-–—][ ]+)?", text[body:window_end])
                body += rest.end() if rest else 0
            return candidate.strip(" *_"), body
    return None, i


def _is_title_like(candidate: str) -> bool:
    candidate = candidate.strip(" *_")
    if not candidate or _CITATION.search(candidate) or len(candidate) > 100:
        return False
    if re.search(r"[。！？!?]|\.(?:\s|$)", candidate):
        return False
    return len(HAN.findall(candidate)) <= 30 and len(candidate.split()) <= 14


def _short_title_in(body: str) -> tuple[str | None, str]:
    """For 观点一：/一、 headings: a short leading phrase ended by ：, ' - ' or a line end is the title."""
    m = re.match(r"\s*([^\n:：。！？!?]{1,30}?)\s*(?:[:：]|\s[-–—]\s|\n)", body)
    if m and _is_title_like(m.group(1)) and body[m.end() :].strip():
        return m.group(1).strip(), body[m.end() :]
    line_end = body.find("\n")
    if line_end == -1 and _is_short_heading(body) and len(body) <= 30:
        return body.strip(), ""
    return None, body


def _preamble_meta(preamble: str, meta: _Meta) -> str:
    """Read title/source/date from the text before the first heading; return leftover body text."""
    leftovers: list[str] = []
    for line in preamble.split("\n"):
        if not line.strip():
            continue
        rest = _read_meta_line(line, meta)
        if rest is None:
            rest = line
        rest = rest.strip()
        if not rest:
            continue
        clean = _strip_heading_marks(rest)
        if meta.title is None and _is_short_heading(clean, allow_question=True):
            meta.title = clean
        else:
            leftovers.append(rest)
    return "\n".join(leftovers)


def _trailing_headline(text: str) -> tuple[str | None, str]:
    """A short headline-like last line (after the body), e.g. a Chinese title placed at the end."""
    stripped = text.rstrip()
    cut = stripped.rfind("\n")
    last = stripped[cut + 1 :].strip()
    if cut > 0 and _is_short_heading(last, allow_question=True) and not _LINE_BULLET.match(last):
        return _strip_heading_marks(last), stripped[:cut]
    # one-line layout: a headline glued after the last cited bullet ("…[10]. 小米汽车陷入困境?")
    m = re.search(r"[\]］】][.。]?\s+([^\[\]［］【】\n]{2,60})$", stripped)
    if m and _is_short_heading(m.group(1), allow_question=True) and HAN.search(m.group(1)):
        return m.group(1).strip(), stripped[: m.start(1)]
    return None, text


def _parse_summary(text: str) -> Document | None:
    markers = _find_markers(text)
    has_structure = any(m.kind in ("core", "group", "points", "view") for m in markers)
    if not has_structure:
        return None
    meta = _Meta()
    leftover = _preamble_meta(text[: markers[0].start], meta)
    core_raw: list[str] = []
    groups: list[_RawGroup] = []
    last_points: _RawGroup | None = None
    for k, marker in enumerate(markers):
        limit = markers[k + 1].start if k + 1 < len(markers) else len(text)
        segment_end = limit
        if k + 1 == len(markers):
            headline, body_text = _trailing_headline(text[:limit])
            if headline and meta.title is None:
                meta.title = headline
                segment_end = len(body_text)
        title, body_start = _heading_tail(text, marker.end, segment_end)
        body = text[body_start:segment_end] if body_start < segment_end else ""
        if marker.kind == "core":
            core_raw.extend(_section_bullets(body, inline=True))
            last_points = None
        elif marker.kind == "points":
            last_points = _RawGroup(title or marker.label.strip())
            last_points.bullets.extend(_section_bullets(body, inline=True))
            groups.append(last_points)
        elif marker.kind == "cnhead" and last_points is not None and not title:
            # 一、 under a Key Points heading: items of that list
            last_points.bullets.extend(_section_bullets(body, inline=True))
        else:
            if title is None and marker.kind in ("view", "cnhead"):
                title, body = _short_title_in(body)
            groups.append(_RawGroup(title, _section_bullets(body, inline=True)))
            last_points = None
    if leftover.strip():
        leftover_bullets = _section_bullets(leftover, inline=False)
        if not core_raw:
            core_raw = leftover_bullets
        else:
            groups.insert(0, _RawGroup(None, leftover_bullets))
    return _build(meta, core_raw, groups, "summary")
