"""Readers: from the bytes of an uploaded file to normalised text plus metadata.

`read_document(data, filename)` accepts plain text (.txt), Markdown (.md), HTML (.html/.htm),
Word (.docx) and PDF (.pdf) and returns a `ReadResult`. Any bad input ends in a `ReaderError`
(a `ValueError`) whose `code` says what kind of problem it is and whose message names it in plain
English; no other exception escapes `read_document`, whatever the bytes.

Format
    From the file name's extension when there is one; otherwise sniffed from the bytes: `%PDF-`
    at the start -> pdf; a ZIP holding `word/document.xml` -> docx; text that starts like an HTML
    page (`<!doctype html`, `<html`, `<head`, `<body`), or a fragment that starts with a tag and
    closes a common one (`</p>`, `</div>`...) -> html; anything else -> txt.

Decoding and normalisation
    `analysis.text.decode` and `analysis.text.normalize` (their module docstrings state the policy).

Format details
    * Markdown: lines are kept (headings and list markers help the structure parser); `**bold**`,
      `__bold__`, links `[text](url)` and images `![alt](url)` are reduced to their text; table
      separator rows (`|---|---|`) are dropped.
    * HTML: the article body is extracted with trafilatura (offline: it is only given the string),
      as Markdown-like text (headings `#`, list items `- `, blank lines between paragraphs); when it
      finds nothing, the visible text via lxml without script/style/nav/header/footer/aside/form.
      Title, site name and publication date come from the page metadata (`og:*`, `<title>`,
      JSON-LD, `article:published_time`, ...). Nothing is ever rendered or fetched. (A page that is
      nothing but navigation may still give its navigation text: there is nothing else to take.)
    * DOCX: body paragraphs and table cells in document order, one per paragraph with blank lines
      between; paragraphs styled as headings get `#` markers and list paragraphs `- `, as in
      Markdown. Title and `created` date from the core properties. Before parsing, the ZIP is checked
      for decompression bombs: more than `MAX_ZIP_MEMBERS` members, a total uncompressed size over
      `MAX_ZIP_UNCOMPRESSED_BYTES`, or a member over `ZIP_RATIO_FLOOR_BYTES` with a compression ratio
      over `MAX_ZIP_COMPRESSION_RATIO` is rejected; every member is then inflated once in chunks
      to report damage early (zipfile never inflates past a member's declared size).
    * PDF: pypdf text extraction page by page (pages separated by blank lines); title and creation
      date from the document information. At most `MAX_PDF_PAGES` pages, and extraction stops with
      an error after `PDF_TIME_BUDGET_S` seconds (checked between pages).

Dates: every `published_at` is timezone-aware, by `analysis.text.dates.parse_date`: a time given
without a zone is China time and a date without a time midnight China time (DOCX core properties
excepted: the standard writes them in UTC).
"""

from __future__ import annotations

import codecs
import functools
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal

from analysis.errors import ReaderError
from analysis.text.dates import parse_date
from analysis.text.decode import (
    binary_kind_hint,
    decode_text,
    is_blank,
    looks_like_pdf,
    looks_textual,
    strict_decode,
)
from analysis.text.normalize import INVISIBLE, normalize_text

logger = logging.getLogger(__name__)

MAX_BYTES: int = 20 * 1024 * 1024
"""Upload size limit (20 MiB): large enough for any article, small enough for a 1 GB cloud box."""

# Decompression-bomb limits for DOCX (a real .docx is a few MB unpacked and compresses about 3-20x).
MAX_ZIP_UNCOMPRESSED_BYTES: int = 200 * 1000 * 1000
MAX_ZIP_COMPRESSION_RATIO: float = 100.0
ZIP_RATIO_FLOOR_BYTES: int = 1024 * 1024  # below this a member cannot hurt, whatever its ratio
MAX_ZIP_MEMBERS: int = 10_000

MAX_PDF_PAGES: int = 500
PDF_TIME_BUDGET_S: float = 60.0

Format = Literal["txt", "md", "html", "docx", "pdf"]

SUPPORTED_EXTENSIONS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


@dataclass(frozen=True)
class ReadResult:
    """Normalised text of one document with whatever metadata its format carried."""

    text: str
    format: Format
    encoding: str | None  # text formats only: "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"...
    title: str | None
    source: str | None
    published_at: datetime | None
    filename: str | None


def _one_line(value: object) -> str | None:
    """A metadata string as one normalised line, or None when blank."""
    if not isinstance(value, str):
        return None
    line = " ".join(normalize_text(value).split())
    return line or None


# --------------------------------------------------------------------------------------------------
# Entry point


def _format_from_name(filename: str | None) -> Format | None:
    if not filename:
        return None
    suffix = PurePath(filename).suffix.lower()
    if not suffix:
        return None
    if suffix not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise ReaderError("unsupported", f"unsupported file type {suffix!r}; supported: {supported}")
    return SUPPORTED_EXTENSIONS[suffix]


_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


_HTML_FRAGMENT_CLOSE = re.compile(r"</(?:p|div|span|article|section|a|table|ul|ol|li|h[1-6])>", re.I)


def _looks_like_html(text: str) -> bool:
    """A page (`<!doctype html>`, `<html>`...) or a fragment starting with a tag and closing common ones."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_FRAGMENT_CLOSE.findall(head)) >= 1


def _sniff_format(data: bytes) -> Format | None:
    """PDF or DOCX from their magic bytes; None for text (HTML is told apart after decoding)."""
    if looks_like_pdf(data):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception:
            raise ReaderError("malformed", "the file looks like a ZIP archive but it is damaged") from None
        if "word/document.xml" in names:
            return "docx"
        raise ReaderError("unsupported", "the file is a ZIP archive but not a Word (.docx) document")
    return None


def read_document(data: bytes, filename: str | None = None) -> ReadResult:
    """Read one document's bytes into normalised text plus metadata; see the module docstring.

    Raises `ReaderError` (and nothing else) for anything it cannot read.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ReaderError("malformed", f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ReaderError(
            "too_large",
            f"the file is {len(data) / 2**20:.1f} MiB; the limit is {MAX_BYTES // 2**20} MiB",
        )
    fmt = _format_from_name(filename)
    if not data:
        raise ReaderError("empty", "the file is empty (0 bytes)")
    try:
        if fmt is None:
            fmt = _sniff_format(data)
        if fmt == "pdf":
            result = _read_pdf(data)
        elif fmt == "docx":
            result = _read_docx(data)
        else:
            result = _read_text_format(data, fmt)
    except ReaderError:
        raise
    except Exception as exc:  # a library failing on hostile bytes must still give a clear error
        logger.debug("unexpected reader failure", exc_info=True)
        raise ReaderError(
            "malformed", f"the {fmt or 'file'} could not be read: {type(exc).__name__}: {exc}"
        ) from None
    text, fmt, encoding, title, source, published_at = result
    if not any(ch.isalpha() for ch in text):
        raise ReaderError("no_text", "the file contains no words (no letters or Chinese characters)")
    return ReadResult(
        text=text,
        format=fmt,
        encoding=encoding,
        title=title,
        source=source,
        published_at=published_at,
        filename=filename,
    )


_Parsed = tuple[str, Format, str | None, str | None, str | None, datetime | None]


def _read_text_format(data: bytes, fmt: Format | None) -> _Parsed:
    container_hint = binary_kind_hint(data)
    if container_hint:  # a PDF or ZIP named .txt/.md/.html: its bytes may even decode, as garbage
        raise ReaderError("binary", "the file is binary data, not text" + container_hint)
    try:
        raw, encoding = decode_text(data)
    except ReaderError as exc:
        if exc.code != "undecodable" or fmt not in (None, "html"):
            raise
        raw, encoding = _decode_declared_html_charset(data, exc)
    if fmt is None:  # sniffed as text: HTML or plain text
        fmt = "html" if _looks_like_html(raw) else "txt"
    if fmt == "html":
        return _read_html(raw, encoding)
    text = normalize_text(raw)
    if fmt == "md":
        text = normalize_text(_strip_markdown_inline(text))
    if not text:
        raise ReaderError("empty", "the file contains only whitespace")
    return text, fmt, encoding, None, None, None


# --------------------------------------------------------------------------------------------------
# Markdown

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


# --------------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BOILERPLATE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "figcaption",
        "address",
        "hr",
        "title",
    ]
)


def _decode_declared_html_charset(data: bytes, original: ReaderError) -> tuple[str, str]:
    """An HTML page in a legacy charset it declares itself (e.g. windows-1252): trust the declaration."""
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "replace")
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            encoding = None
        if encoding:
            text = strict_decode(data, encoding)
            if text is not None and looks_textual(text) and not is_blank(text):
                return text, encoding
    raise original


def _read_html(raw: str, encoding: str) -> _Parsed:
    # lxml refuses str input that carries an encoding declaration, and XML-incompatible characters.
    html = INVISIBLE.sub("", _XML_DECLARATION.sub("", raw, count=1))
    if not html.strip():
        raise ReaderError("empty", "the HTML file contains only whitespace")
    text = _html_article_text(html) or _html_visible_text(html)
    text = normalize_text(_strip_markdown_inline(normalize_text(text)))
    if not text:
        raise ReaderError("no_text", "the HTML page has no visible text")
    title, source, published_at = _html_metadata(html)
    return text, "html", encoding, title, source, published_at


@functools.cache
def _trafilatura_config() -> Any:
    """trafilatura's defaults, except: never fall back to the whole-page baseline for short pages.

    By default a main text under 250 characters is "rescued" with a dump of the whole page, which puts
    the navigation back in ("首页 新闻 ... 短文"). Our own fallback (visible text without nav/header/
    footer) takes over when trafilatura finds nothing. The size cap is raised to our upload limit.
    """
    from trafilatura.settings import use_config

    config = use_config()
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = "1"
    config["DEFAULT"]["MAX_FILE_SIZE"] = str(4 * MAX_BYTES)  # characters of decoded text, not bytes
    return config


def _html_article_text(html: str) -> str:
    """The article body as Markdown-like text by trafilatura ('' when it finds none)."""
    try:
        import trafilatura
    except ImportError:  # e.g. lxml without lxml_html_clean: fall back rather than fail the upload
        logger.warning("trafilatura unavailable; using plain visible-text extraction", exc_info=True)
        return ""
    extracted = trafilatura.extract(
        html,
        config=_trafilatura_config(),
        output_format="markdown",
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    return extracted or ""


def _html_visible_text(html: str) -> str:
    """Visible text of the page without scripts and page furniture; paragraphs on their own lines."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in root.xpath("|".join(f"//{tag}" for tag in _BOILERPLATE_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
    body = root.find("body") if root.tag == "html" else root
    return (body if body is not None else root).text_content()


def _html_metadata(html: str) -> tuple[str | None, str | None, datetime | None]:
    """Title, site name and publication time from the page's metadata; (None, None, None) if absent."""
    try:
        import trafilatura

        meta = trafilatura.extract_metadata(
            html,
            date_config={
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                "original_date": True,
                "extensive_search": False,
            },
        )
    except Exception:  # metadata is optional: never fail a readable page because of it
        logger.debug("html metadata extraction failed", exc_info=True)
        return None, None, None
    if meta is None:
        return None, None, None
    return _one_line(meta.title), _one_line(meta.sitename), parse_date(meta.date)


def _quiet_library_logger(name: str) -> None:
    """Give a library logger a NullHandler (once), as libraries should have themselves.

    Without any handler, Python prints a library's warnings about damaged files ("EOF marker not
    found") straight to stderr, which would garble the CLI's one-line errors. An application that
    configures logging still receives them through propagation.
    """
    library_logger = logging.getLogger(name)
    if not any(isinstance(h, logging.NullHandler) for h in library_logger.handlers):
        library_logger.addHandler(logging.NullHandler())


# --------------------------------------------------------------------------------------------------
# DOCX

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
    from docx.table import Table
    from docx.text.paragraph import Paragraph

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
    import docx

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


# --------------------------------------------------------------------------------------------------
# PDF


def _read_pdf(data: bytes) -> _Parsed:
    import pypdf
    from pypdf import PasswordType

    _quiet_library_logger("pypdf")

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the PDF is damaged and cannot be opened ({type(exc).__name__}: {exc})"
        ) from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:
            opened = False
        if not opened:
            raise ReaderError("malformed", "the PDF is encrypted (password-protected) and cannot be opened")
    try:
        page_count = len(reader.pages)
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the PDF is damaged: its pages cannot be read ({type(exc).__name__})"
        ) from None
    if page_count == 0:
        raise ReaderError("no_text", "the PDF has no pages")
    if page_count > MAX_PDF_PAGES:
        raise ReaderError("too_large", f"the PDF has {page_count} pages; the limit is {MAX_PDF_PAGES}")
    started = time.monotonic()
    pages: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > PDF_TIME_BUDGET_S:
            raise ReaderError(
                "too_large",
                f"reading the PDF took longer than {PDF_TIME_BUDGET_S:.0f} s (stopped at page {number} of {page_count})",
            )
        try:
            pages.append(page.extract_text() or "")
        except Exception as exc:
            raise ReaderError(
                "malformed", f"the PDF is damaged: page {number} cannot be read ({type(exc).__name__})"
            ) from None
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise ReaderError("no_text", "the PDF has no extractable text (is it a scanned image?)")
    title, published_at = _pdf_metadata(reader)
    return text, "pdf", None, title, None, published_at


def _pdf_metadata(reader: Any) -> tuple[str | None, datetime | None]:
    try:
        info = reader.metadata
        if info is None:
            return None, None
        title = _one_line(info.title)
        try:
            created = parse_date(info.creation_date)
        except Exception:  # an unparsable /CreationDate is common; the text is still good
            created = None
        return title, created
    except Exception:
        logger.debug("pdf metadata unreadable", exc_info=True)
        return None, None
