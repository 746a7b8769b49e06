"""Word (.docx): body paragraphs and table cells in document order, after a decompression-bomb check.

One block per paragraph with blank lines between; paragraphs styled as headings get `#` markers
and list paragraphs `- `, as in Markdown. Title and `created` date from the core properties.
Before parsing, the ZIP is checked for decompression bombs: more than `MAX_ZIP_MEMBERS` members,
a total uncompressed size over `MAX_ZIP_UNCOMPRESSED_BYTES`, or a member over
`ZIP_RATIO_FLOOR_BYTES` with a compression ratio over `MAX_ZIP_COMPRESSION_RATIO` is rejected;
every member is then inflated once in chunks to report damage early (zipfile never inflates past
a member's declared size).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from analysis.errors import ReaderError
from analysis.lazy import import_once
from analysis.readers.result import _one_line, _Parsed
from analysis.text.dates import parse_date
from analysis.text.normalize import normalize_text

logger = logging.getLogger(__name__)

# Decompression-bomb limits for DOCX (a real .docx is a few MB unpacked and compresses about 3-20x).
MAX_ZIP_UNCOMPRESSED_BYTES: int = 200 * 1000 * 1000
MAX_ZIP_COMPRESSION_RATIO: float = 100.0
ZIP_RATIO_FLOOR_BYTES: int = 1024 * 1024  # below this a member cannot hurt, whatever its ratio
MAX_ZIP_MEMBERS: int = 10_000

# python-docx's built-in template carries this creation time; it says nothing about the document.
_PYTHON_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def _bomb(detail: str) -> ReaderError:
    return ReaderError(
        "malformed", f"the .docx looks like a decompression bomb ({detail}); refusing to open it"
    )


def _check_zip(data: bytes) -> None:
    """Reject damaged ZIPs and decompression bombs before python-docx inflates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:
        raise ReaderError(
            "malformed", "the .docx is not a valid Word file (not a ZIP archive, or a damaged one)"
        ) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _bomb(f"{len(infos)} archive members; the limit is {MAX_ZIP_MEMBERS}")
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise _bomb(
            f"{total / 1e6:.0f} MB uncompressed; the limit is {MAX_ZIP_UNCOMPRESSED_BYTES / 1e6:.0f} MB"
        )
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR_BYTES:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > MAX_ZIP_COMPRESSION_RATIO:
                raise _bomb(
                    f"member {info.filename!r} expands {ratio:.0f}x; the limit is {MAX_ZIP_COMPRESSION_RATIO:.0f}x"
                )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ReaderError("malformed", "the .docx is not a Word document (word/document.xml is missing)")
    # Inflate every member once, in chunks, to report damage clearly before python-docx sees it. A header
    # that understates a member's size cannot make this (or python-docx) inflate more than declared:
    # zipfile stops at the declared size and then fails the CRC check.
    for info in infos:
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except Exception as exc:
            raise ReaderError(
                "malformed", f"the .docx is damaged: member {info.filename!r} cannot be read ({exc})"
            ) from None


def _docx_blocks(container: Any, style_names: dict[str, str]) -> list[str]:
    """Paragraph texts of a document body or table cell, in order, descending into tables.

    `style_names` maps style ids to names; looked up once per document because python-docx's
    `paragraph.style` scans every style for every paragraph (seconds on a long document).
    """
    Table = import_once("docx.table").Table
    Paragraph = import_once("docx.text.paragraph").Paragraph

    blocks: list[str] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                blocks.append(_docx_marker(style_names.get(item._p.style or "", "")) + text)
        elif isinstance(item, Table):
            # Merged cells come back once per grid column. Keep the elements themselves (not id()s,
            # which lxml may reuse once a proxy is freed) to recognise repeats.
            seen: set[Any] = set()
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    blocks.extend(_docx_blocks(cell, style_names))
    return blocks


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _docx_style_names(document: Any) -> dict[str, str]:
    """Style id -> style name (Chinese Word writes ids like "1" for the style named "heading 1")."""
    try:
        return {
            style.styleId: style.name_val or ""
            for style in document.styles.element.style_lst
            if style.styleId
        }
    except Exception:  # a document without a styles part still has text
        return {}


def _docx_marker(style_name: str) -> str:
    """Markdown-like prefix for headings and list paragraphs, which the structure parser understands."""
    name = style_name.strip()
    if name.lower() == "title":
        return "# "
    heading = _HEADING_STYLE.match(name)
    if heading:
        return "#" * min(int(heading.group(1)) or 1, 6) + " "
    if name.lower().startswith("list"):
        return "- "
    return ""


def _read_docx(data: bytes) -> _Parsed:
    _check_zip(data)
    docx = import_once("docx")

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document, _docx_style_names(document))
    except ReaderError:
        raise
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the .docx could not be parsed as a Word document ({type(exc).__name__}: {exc})"
        ) from None
    text = normalize_text("\n\n".join(blocks))
    if not text:
        raise ReaderError("no_text", "the Word document has no text")
    title: str | None = None
    published_at: datetime | None = None
    try:
        properties = document.core_properties
        title = _one_line(properties.title)
        # OOXML core properties are UTC by the standard; python-docx hands them over without a zone.
        created = parse_date(properties.created, UTC)
        if created is not None and created != _PYTHON_DOCX_TEMPLATE_CREATED:
            published_at = created
    except Exception:  # core properties are optional metadata
        logger.debug("docx core properties unreadable", exc_info=True)
    return text, "docx", None, title, None, published_at
