"""parse_document: Markdown rendering and page furniture, then the summary or the article parser."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from analysis.errors import OpinionLensError
from analysis.records import Document
from analysis.structure.article import _parse_article
from analysis.structure.build import _build, _RawGroup
from analysis.structure.lines import _clean_input, _has_content, _join_lines
from analysis.structure.meta import _Meta
from analysis.structure.summary import _parse_summary
from analysis.text.furniture import Separated, separate_furniture
from analysis.text.markdown import looks_like_markdown, render_markdown


class StructureError(OpinionLensError):
    """Text that cannot be parsed at all (empty or whitespace only)."""

    default_code = "empty_text"


def parse_document(text: str, count_in: Iterable[str] = ()) -> Document:
    """Parse an article or an AI-style summary into a Document (sentences unscored).

    Markdown is rendered to text first (analysis.text.markdown) and page furniture is set apart
    (analysis.text.furniture): it is listed in `Document.furniture`, not parsed into sentences,
    unless its block key is in `count_in` (an editor counted it back in). A byline fills
    `author`; the account name fills `source` when the text names none.

    Raises StructureError only for empty or whitespace-only text; any other text yields a
    Document, with at least one sentence when the text has a letter, digit or CJK character.
    """
    if text is None or not str(text).strip():
        raise StructureError("the text is empty: there is nothing to analyse")
    cleaned = _clean_input(str(text))
    links: tuple[int, ...] | None = None
    if looks_like_markdown(cleaned):
        rendered = render_markdown(cleaned)
        if _has_content(rendered.text):
            cleaned, links = rendered.text, rendered.link_chars
    separated = separate_furniture(cleaned, links, frozenset(count_in))
    document = _parse_structure(separated.body) if _has_content(separated.body) else None
    if document is None or (separated.blocks and not document.sentences):
        # All of it looked like furniture, or what was left holds no sentence ("[1]" under a
        # repeated heading): then the furniture is the text.
        separated = Separated(cleaned, (), separated.author, separated.account)
        document = _parse_structure(separated.body)
    source = document.source
    if separated.account and (source is None or source == separated.place):
        source = separated.account  # "2025年10月27日 20:11 北京": 北京 is where, not who
    return replace(
        document,
        source=source,
        author=separated.author,
        furniture=separated.blocks,
    )


def _parse_structure(cleaned: str) -> Document:
    document = _parse_summary(cleaned) or _parse_article(cleaned)
    if document is None:
        # Everything was read as metadata (e.g. a bare headline): analyse the text itself.
        meta = _Meta()
        document = _build(meta, [], [_RawGroup(None, [_join_lines(cleaned.split("\n"))])], "article")
    if document is None:
        # no letters, digits or CJK at all: an empty structure, but never a failure
        document = Document(title=None, source=None, published_at=None, core_viewpoint=None, groups=())
    return document
