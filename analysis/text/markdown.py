"""Markdown to plain text that keeps the block structure: headings stay `#` lines, list items `- `
or `1. ` lines, paragraphs are separated by blank lines; emphasis, links, images, code marks and
HTML are rendered to their text, so no sentence shows Markdown syntax.

Parsing is markdown-it-py's CommonMark parser (links inside images inside links, autolinks,
escapes and HTML blocks are its job, not a regular expression's). What a clipper or a WeChat
export leaves unbalanced (`**作者 | …****编辑**| …**`) is literal text to CommonMark; those
leftover marks are removed afterwards. A paragraph that is one bold run (`**价格战之下**`) becomes a
`##` heading, as WeChat writers use bold lines for section titles.

`render_markdown` also reports, per output line, how many characters were link text: the
furniture detector (analysis.text.furniture) reads navigation and link lists by that density.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

# Signals that a text is Markdown rather than plain prose (any one is enough).
_MARKDOWN_SIGNAL = re.compile(
    r"\*\*\S|__\S|!\[[^\]\n]*\]\(|\]\((?:https?:|/|#|\.)|^\s{0,3}#{1,6}\s+\S|^\s*```|"
    r"<(?:p|br|div|span|img|a|strong|b|em|section)\b[^>\n]*>",
    re.M | re.I,
)
# Emphasis and link marks CommonMark left as literal text, and tags left in the text.
_LEFTOVER_EMPHASIS = re.compile(r"\*{2,}|(?<![\w])_{2,}|_{2,}(?![\w])")
_LEFTOVER_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)?|!\[\]")
_LEFTOVER_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,500})?/?>")
_RUN_OF_MARKS = re.compile(r"\*{3,}")
_SPACES = re.compile(r"[ \t]{2,}")

# Where an image stood (object replacement character: no letter, so never a sentence).
IMAGE_MARK = "\ufffc"
BOLD_HEADING_CHARS = 30

_parser_lock = threading.Lock()
_parser: Any = None


def looks_like_markdown(text: str) -> bool:
    return _MARKDOWN_SIGNAL.search(text) is not None


def _markdown_parser() -> Any:
    """One shared parser (building it compiles its rules; parsing is re-entrant)."""
    global _parser
    with _parser_lock:
        if _parser is None:
            from markdown_it import MarkdownIt

            _parser = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
        return _parser


@dataclass(frozen=True)
class RenderedText:
    text: str
    link_chars: tuple[int, ...]  # per line of `text`: characters that were link text


def clean_leftovers(text: str) -> str:
    """Remove Markdown and HTML marks that survived parsing (unbalanced or malformed)."""
    text = _LEFTOVER_IMAGE.sub("", text)
    text = _LEFTOVER_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _RUN_OF_MARKS.sub(" ", text)  # "张三****编辑": two bold runs met; keep them apart
    text = _LEFTOVER_EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _inline(children: list[Any]) -> tuple[list[str], list[int], bool]:
    """Render inline tokens: lines, link characters per line, and whether the whole run was one
    strong (bold) span."""
    lines = [""]
    links = [0]
    in_link = 0
    strong_depth = 0
    outside_strong = ""  # text outside any bold span (is the paragraph one bold run?)
    for tok in children:
        kind = tok.type
        if kind in ("softbreak", "hardbreak"):
            lines.append("")
            links.append(0)
            continue
        if kind == "link_open":
            in_link += 1
            continue
        if kind == "link_close":
            in_link = max(0, in_link - 1)
            continue
        if kind == "strong_open":
            strong_depth += 1
            continue
        if kind == "strong_close":
            strong_depth = max(0, strong_depth - 1)
            continue
        if kind == "image":
            # An image carries no text of the article (its alt is usually a file name); the mark
            # lets the furniture detector read the caption that follows it as a caption.
            lines[-1] += IMAGE_MARK
            continue
        if kind in ("text", "code_inline"):
            content = tok.content
        elif kind == "html_inline":
            content = ""
        else:
            continue
        lines[-1] += content
        if in_link:
            links[-1] += len(content.strip())
        if not strong_depth:
            outside_strong += content
    had_bold = any(t.type == "strong_open" for t in children)
    one_bold_run = had_bold and not outside_strong.strip()
    return lines, links, one_bold_run


def _html_text(html: str) -> str:
    text = re.sub(r"<(?:br|/p|/div|/li|/h[1-6]|/section)\b[^>]*>", "\n", html, flags=re.I)
    text = _TAG.sub("", text)
    import html as html_lib

    return html_lib.unescape(text)


_FRONT_MATTER = re.compile(r"\A\s*(---|\+\+\+)[ \t]*\n(?:.*\n){0,60}?\1[ \t]*(?:\n|\Z)")


def render_markdown(text: str) -> RenderedText:
    """Markdown → plain text with block markers kept (see the module docstring). A front matter
    block at the top is kept verbatim: it is metadata for the structure parser, not Markdown."""
    front = _FRONT_MATTER.match(text)
    head = front.group(0).rstrip("\n").split("\n") if front else []
    if front:
        text = text[front.end() :]
    tokens = _markdown_parser().parse(text)
    out: list[str] = list(head) + ([""] if head else [])
    links: list[int] = [0] * len(out)
    list_stack: list[list[Any]] = []  # [ordered, next number]
    pending_prefix = ""
    heading_level = 0
    in_table_row: list[str] | None = None

    def emit(line: str, link_chars: int = 0) -> None:
        out.append(line)
        links.append(link_chars)

    def blank() -> None:
        if out and out[-1] != "":
            emit("")

    for tok in tokens:
        kind = tok.type
        if kind == "heading_open":
            blank()
            heading_level = int(tok.tag[1])
        elif kind == "heading_close":
            heading_level = 0
            blank()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            list_stack.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if list_stack:
                list_stack.pop()
            if not list_stack:
                blank()
        elif kind == "list_item_open":
            if list_stack and list_stack[-1][0]:
                pending_prefix = f"{list_stack[-1][1]}. "
                list_stack[-1][1] += 1
            else:
                pending_prefix = "- "
        elif kind == "paragraph_close" and not list_stack:
            blank()
        elif kind == "tr_open":
            in_table_row = []
        elif kind == "tr_close":
            if in_table_row is not None:
                cells = [c for c in in_table_row if c]
                if cells:
                    emit("  ".join(cells))
            in_table_row = None
        elif kind == "table_close":
            blank()
        elif kind == "hr":
            blank()
            emit("———")  # kept as a boundary the furniture detector reads; it holds no text
            blank()
        elif kind in ("fence", "code_block"):
            blank()
            for line in tok.content.splitlines():
                emit(line.strip())
            blank()
        elif kind == "html_block":
            rendered = _html_text(tok.content)
            for line in rendered.splitlines():
                line = clean_leftovers(line)
                if line:
                    emit(line)
            blank()
        elif kind == "inline":
            lines, link_chars, one_bold_run = _inline(tok.children or [])
            if in_table_row is not None:
                in_table_row.append(clean_leftovers(" ".join(lines)))
                continue
            for i, (line, n_link) in enumerate(zip(lines, link_chars, strict=True)):
                line = clean_leftovers(line)
                if not line:
                    continue
                if heading_level:
                    line = "#" * heading_level + " " + line
                elif (
                    one_bold_run
                    and len(lines) == 1
                    and not pending_prefix
                    and not list_stack
                    and len(line) <= BOLD_HEADING_CHARS
                    and line[-1] not in "。！？!?；;…."
                ):
                    line = "## " + line  # a short bold-only paragraph is a section title
                if i == 0 and pending_prefix:
                    line = pending_prefix + line
                emit(line, n_link)
            pending_prefix = ""
    while out and out[-1] == "":
        out.pop()
        links.pop()
    return RenderedText("\n".join(out), tuple(links))
