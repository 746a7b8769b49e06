"""`read_document`: a file's bytes to a `ReadResult`, in the format its name gives or its bytes show.

Any bad input ends in a `ReaderError` whose `code` says what kind of problem it is; no other
exception escapes `read_document`, whatever the bytes. Plain text, Markdown and HTML are read
here; HTML's body and metadata come from `html_body` and `html_meta`, Word from `docx`, PDF from
`pdf`.

Format
    From the file name's extension when there is one; otherwise sniffed from the bytes: `%PDF-`
    at the start -> pdf; a ZIP holding `word/document.xml` -> docx; text that starts like an HTML
    page (`<!doctype html`, `<html`, `<head`, `<body`), or a fragment that starts with a tag and
    closes a common one (`</p>`, `</div>`...) -> html; anything else -> txt.

Decoding and normalisation
    `analysis.text.decode` and `analysis.text.normalize` (their module docstrings state the policy).
    An HTML page that decodes as nothing else is read in the legacy charset it declares itself.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from pathlib import PurePath

from analysis.errors import ReaderError
from analysis.readers.docx import _read_docx
from analysis.readers.html_body import _html_article_text, _html_visible_text
from analysis.readers.html_meta import _html_metadata
from analysis.readers.markdown import _strip_markdown_inline
from analysis.readers.pdf import _read_pdf
from analysis.readers.result import MAX_BYTES, SUPPORTED_EXTENSIONS, Format, ReadResult, _Parsed
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


_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


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
