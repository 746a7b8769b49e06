"""Markdown's inline marks reduced to their text: images, links and bold; table rules dropped.

Lines are kept (headings and list markers help the structure parser); `**bold**`, `__bold__`,
links `[text](url)` and images `![alt](url)` are reduced to their text; table separator rows
(`|---|---|`) are dropped. HTML bodies, which trafilatura writes as Markdown, get the same.
"""

from __future__ import annotations

import re

_MD_IMAGE = re.compile(r"!\[([^\[\]\n]{0,1000})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,1000})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_MD_TABLE_RULE = re.compile(r"^ *\|?(?: *:?-+:? *\|)+ *:?-*:? *(?:\n|$)", re.M)
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,1000}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,1000}?)(?<=\S)__")


def _strip_markdown_inline(text: str) -> str:
    """Reduce images, links and bold/strong emphasis to their text; keep headings, lists and tables.

    Table separator rows (`|---|:--|`) carry no text and are dropped.
    """
    text = _MD_TABLE_RULE.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
