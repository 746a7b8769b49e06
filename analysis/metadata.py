"""An article's metadata: title, source and date, decided once for the CLI and the library.

Each field takes the first of: what the caller gives, what the file format carried (the reader's
`ReadResult`), what the text itself says (the structure parse, e.g. "Xin Lang Cai Jing·2025-10-27
20:11" gives the source and the date). So `python -m analysis article` and the library agree on
what one file is called, where it is from and when it was published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.readers import ReadResult


@dataclass(frozen=True)
class ArticleMetadata:
    """Title, source and date of one article, as the CLI reports them and the library stores them."""

    title: str | None
    source: str | None  # the outlet by the name shown and stored: 新浪财经 for "Xin Lang Cai Jing"
    source_alias: str | None  # the Chinese name the text's pinyin source maps to (else None)
    published_at: datetime | None


def merge_metadata(
    read: ReadResult,
    *,
    title: str | None = None,
    source: str | None = None,
    published_at: datetime | None = None,
) -> ArticleMetadata:
    """Decide an article's metadata. Each field takes the first of: the value given here (None =
    not given), what the file format carried (`read`), what the text itself says (the structure
    parse, e.g. "Xin Lang Cai Jing·2025-10-27 20:11" gives the source and the date).

    A source found in the text is given by its Chinese name when it is a known pinyin alias
    (新浪财经, not "Xin Lang Cai Jing"): the name a reader expects and the library stores. A source
    given here or by the file format is kept as written. The text is parsed only when a field is
    still missing."""
    title = title if title is not None else read.title or None
    source = source if source is not None else read.source or None
    published_at = published_at if published_at is not None else read.published_at
    if title is not None and source is not None and published_at is not None:
        return ArticleMetadata(title, source, None, published_at)
    from analysis.structure import StructureError, parse_document  # late: the parser is large

    try:
        document = parse_document(read.text)
    except StructureError:
        return ArticleMetadata(title, source, None, published_at)
    alias = None
    if source is None:
        alias = document.source_alias
        source = alias or document.source
    return ArticleMetadata(
        title if title is not None else document.title,
        source,
        alias,
        published_at if published_at is not None else document.published_at,
    )
