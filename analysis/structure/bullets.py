"""Bullets inside one section body: line markers, inline dashes and numbers, paragraphs."""

from __future__ import annotations

import itertools
import re

from analysis.structure.lines import _ends_like_sentence, _join_lines

_LINE_BULLET = re.compile(r"^\s*(?:[-*•·+]\s+|\d{1,2}\s*[.、)）]\s*(?!\d)|[（(]\d{1,2}[)）]\s*|[①-⑳]\s*)")
_INLINE_DASH = re.compile(r"(?<=[.。!！?？;；…\]］】)）”\"'])\s+[-–—•]\s+")
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s)|(?<=[。！？!?;；:：\]］】]))(\d{1,2})\s*[.、)）](?!\d)\s*")
_INLINE_CIRCLED = re.compile(r"[①-⑳]")


def _split_numbered_inline(text: str) -> list[str] | None:
    """Split "1. a 2. b 3. c" on a sequential chain of item numbers starting at 1."""
    chain: list[re.Match[str]] = []
    for m in _INLINE_NUMBER.finditer(text):
        if int(m.group(1)) == len(chain) + 1:
            chain.append(m)
    if len(chain) < 2:
        return None
    parts = [text[: chain[0].start()]]
    for a, b in zip(chain, [*chain[1:], None], strict=True):
        parts.append(text[a.end() : b.start() if b else len(text)])
    return [p.strip() for p in parts if p.strip()]


def _split_inline(chunk: str) -> list[str]:
    chunk = chunk.strip()
    chunk = re.sub(r"^[-–—•*]\s+", "", chunk)
    parts = [p for p in _INLINE_DASH.split(chunk) if p.strip()]
    if len(parts) > 1:
        return parts
    numbered = _split_numbered_inline(chunk)
    if numbered:
        return numbered
    if len(_INLINE_CIRCLED.findall(chunk)) >= 2:
        return [p for p in _INLINE_CIRCLED.split(chunk) if p.strip()]
    return [chunk] if chunk else []


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Text wrapped at a fixed width: some long line stops mid-sentence and the next line goes on."""
    for line, nxt in itertools.pairwise(lines):
        if len(line.strip()) >= 40 and nxt.strip() and not _ends_like_sentence(line):
            return True
    return False


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of a body. Hard-wrapped text: each blank-line block is one paragraph. Otherwise
    (one line per paragraph, common in Chinese news) a line ending like a sentence closes one."""
    wrapped = _is_hard_wrapped(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if not line.strip():
            if current:
                paragraphs.append(_join_lines(current))
                current = []
            continue
        current.append(line)
        if not wrapped and _ends_like_sentence(line):
            paragraphs.append(_join_lines(current))
            current = []
    return paragraphs


def _section_bullets(body: str, *, inline: bool) -> list[str]:
    lines = body.split("\n")
    bullets: list[str] = []
    # Line-initial markers only count when the body spans several lines: on one line, "1. a 2. b"
    # is an inline numbered list (split below).
    if sum(1 for line in lines if line.strip()) > 1 and any(_LINE_BULLET.match(line) for line in lines):
        current: list[str] = []
        for line in lines:
            m = _LINE_BULLET.match(line)
            if m:
                if current:
                    bullets.append(_join_lines(current))
                current = [line[m.end() :]]
            elif line.strip():
                current.append(line)
            elif current:
                bullets.append(_join_lines(current))
                current = []
        if current:
            bullets.append(_join_lines(current))
        return [b for b in bullets if b.strip()]
    for paragraph in _paragraphs(lines):
        bullets.extend(_split_inline(paragraph) if inline else [paragraph])
    return bullets
