"""PDF: pypdf's text page by page within a page and time budget; title, date and source from page 1.

Pages are separated by blank lines. Title from the document information unless it is junk
("Microsoft Word - x.docx", "untitled", a file name, digits), else page 1's first heading (by
type size); date from a dateline on page 1, else the creation date unless a browser printed the
file; source from page 1's source line (`_pdf_metadata`). At most `MAX_PDF_PAGES` pages, and
extraction stops with an error after `PDF_TIME_BUDGET_S` seconds (checked between pages).
"""

from __future__ import annotations

import io
import logging
import re
import time
from datetime import datetime
from typing import Any

from analysis.errors import ReaderError
from analysis.lazy import import_once
from analysis.readers.page_meta import (
    _DATE_LABEL_START,
    _SENTENCE_END,
    _agrees,
    _dateline,
    _has_letters,
    _labeled_source,
    _norm_line,
    _window_around,
)
from analysis.readers.result import _one_line, _Parsed
from analysis.text.dates import parse_date
from analysis.text.normalize import normalize_text

logger = logging.getLogger(__name__)

MAX_PDF_PAGES: int = 500
PDF_TIME_BUDGET_S: float = 60.0


def _quiet_library_logger(name: str) -> None:
    """Give a library logger a NullHandler (once), as libraries should have themselves.

    Without any handler, Python prints a library's warnings about damaged files ("EOF marker not
    found") straight to stderr, which would garble the CLI's one-line errors. An application that
    configures logging still receives them through propagation.
    """
    library_logger = logging.getLogger(name)
    if not any(isinstance(h, logging.NullHandler) for h in library_logger.handlers):
        library_logger.addHandler(logging.NullHandler())


def _read_pdf(data: bytes) -> _Parsed:
    pypdf = import_once("pypdf")
    PasswordType = pypdf.PasswordType

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
    title, source, published_at = _pdf_metadata(reader, reader.pages[0], pages[0], text)
    return text, "pdf", None, title, source, published_at


# Document-information titles that name nothing: a Word export's "Microsoft Word - x.docx",
# "untitled", a file name, a path, a slug or digits.
_JUNK_PDF_TITLE = re.compile(
    r"^(?:microsoft\s*(?:word|powerpoint|excel|office)?\s*-\s*.*|untitled\b.*|无标题.*|未命名.*|無題.*|"
    r"(?:new\s+)?document\s*\d*|文档\s*\d*|新建.*文档.*|title|slide\s*\d+|print(?:ing)?)$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(
    r"\.(?:docx?|pdf|pptx?|xlsx?|rtf|odt|txt|html?|shtml|php|aspx?|indd|pages|tex|ps|eps|wps|md)$", re.I
)
# Producers whose /CreationDate is the moment a page was printed, not when the article appeared.
_PRINTED_BY = re.compile(
    r"Skia/PDF|HeadlessChrome|Chrom(?:e|ium)|Mozilla|Firefox|Microsoft: Print To PDF|wkhtmltopdf", re.I
)
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])"
)

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|第)\s*)?\d{1,4}(?:\s*(?:/|of|／)\s*\d{1,4})?\s*(?:页)?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)


def _junk_pdf_title(title: str) -> bool:
    title = title.strip()
    if len(title) < 2 or not _has_letters(title):  # "", "3969073602705017876"
        return True
    if _JUNK_PDF_TITLE.match(title) or _FILE_NAME.search(title):
        return True
    # a path, or a slug such as "us-awards-sag-idUSKBN1ZI0EH"
    return " " not in title and bool(
        re.search(r"[\\/]", title)
        or (re.fullmatch(r"[A-Za-z0-9_.\-]+", title) and re.search(r"[\d_]", title))
    )


def _pdf_line(text: str) -> str:
    """A PDF text line for matching: normalised (Kangxi radicals folded), no spaces next to CJK."""
    return _CJK_SPACE.sub("", _norm_line(text))


def _title_like(line: str) -> bool:
    """Could be a headline: letters, not too long, not a sentence, a date, a URL or a page number."""
    if not (2 <= len(line) <= 150) or not _has_letters(line):
        return False
    if _URL.match(line) or _PAGE_NUMBER.match(line) or _dateline(line) is not None:
        return False
    end = line.rstrip("”’」』）)】》\"' ")[-1:]
    return not (end in "。.;；…,，:：" and len(line) > 20)


def _pdf_sized_lines(page: Any) -> list[tuple[str, float]]:
    """Page 1's text lines from the top with the font size each is set in (by pypdf's visitor)."""
    runs: dict[int, list[tuple[float, str]]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text or not text.strip():
            return
        try:
            scale = (float(tm[2]) ** 2 + float(tm[3]) ** 2) ** 0.5 * (
                float(cm[2]) ** 2 + float(cm[3]) ** 2
            ) ** 0.5
            y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
            runs.setdefault(round(y), []).append((round(float(size) * (scale or 1.0), 1), text))
        except (TypeError, ValueError, IndexError):
            return

    page.extract_text(visitor_text=visit)
    lines: list[tuple[str, float]] = []
    for y in sorted(runs, reverse=True)[:80]:
        pieces = runs[y]
        text = ""
        for _size, piece in pieces:
            if (
                text
                and text[-1].isalnum()
                and piece[:1].isalnum()
                and text[-1].isascii()
                and piece[0].isascii()
            ):
                text += " "
            text += piece
        weights: dict[float, int] = {}
        for size, piece in pieces:
            weights[size] = weights.get(size, 0) + len(piece.strip())
        line = _pdf_line(text)
        if line:
            lines.append((line, max(weights, key=lambda k: weights[k])))
    return lines


def _pdf_heading(sized: list[tuple[str, float]]) -> str | None:
    """The first heading of page 1: the largest type that is headline-like, larger than the body's;
    a headline wrapped over consecutive lines of that size is joined."""
    if not sized:
        return None
    weights: dict[float, int] = {}
    for line, size in sized:
        weights[size] = weights.get(size, 0) + len(line)
    body = max(weights, key=lambda k: weights[k])
    first = None
    prose = 0  # body paragraphs above: a larger line below them is a section heading, not the title
    for i, (line, size) in enumerate(sized[:40]):
        if size >= body * 1.15 and _title_like(line):
            first = i
            break
        if len(line) > 40 and line.rstrip().endswith(_SENTENCE_END):
            prose += 1
            if prose > 2:
                return None
    if first is None:
        return None
    size = sized[first][1]
    parts = [sized[first][0]]
    for line, other in sized[first + 1 : first + 3]:
        if other != size or not _title_like(line):
            break
        parts.append(line)
    joined = parts[0]
    for part in parts[1:]:
        joined += ("" if _CJK_SPACE.search(joined[-1:] + " " + part[:1]) else " ") + part
    return joined


def _pdf_metadata(
    reader: Any, first_page: Any, first_text: str, text: str
) -> tuple[str | None, str | None, datetime | None]:
    """Title, source and publication time of a PDF.

    Title: the document information's, unless it is missing or junk (`_junk_pdf_title`); a title
    that is page 1's heading plus a site name (a browser's "<headline>-新华网") gives the heading.
    Otherwise page 1's first heading (`_pdf_heading`), else the headline-like line just above its
    dateline. Date: a dateline on page 1 (or a labelled 发布日期：/Published: line anywhere), else
    /CreationDate, except from a browser's print engine (that date is the print time). Source: the
    来源：/Source: label or the name on the dateline, else the masthead line above page 1's heading.
    """
    info_title = creation = None
    try:
        info = reader.metadata
        if info is not None:
            info_title = _one_line(info.title)
            producer = f"{info.get('/Producer', '')} {info.get('/Creator', '')}"
            try:
                creation = parse_date(info.creation_date)
            except Exception:  # an unparsable /CreationDate is common; the text is still good
                creation = None
            if _PRINTED_BY.search(producer):
                creation = None
    except Exception:
        logger.debug("pdf metadata unreadable", exc_info=True)
    lines = [line for line in (_pdf_line(raw) for raw in first_text.split("\n")) if line][:80]
    try:
        sized = _pdf_sized_lines(first_page)
    except Exception:  # font sizes are a refinement: a page pypdf cannot walk still has its text
        logger.debug("pdf font sizes unreadable", exc_info=True)
        sized = []
    heading = _pdf_heading(sized)
    dateline_index = next((i for i, line in enumerate(lines[:40]) if _dateline(line) is not None), None)
    title = None
    if info_title and not _junk_pdf_title(info_title):
        title = info_title
        keys = (_norm_line(info_title), _pdf_line(info_title))
        for line in lines[:40]:
            if _title_like(line) and any(_agrees(key, line) and len(line) >= 0.4 * len(key) for key in keys):
                title = line
                break
    else:
        title = heading
        if title is None and dateline_index and _title_like(lines[dateline_index - 1]):
            title = lines[dateline_index - 1]
    heading_index = next((i for i, line in enumerate(lines[:40]) if title and line == _pdf_line(title)), None)
    window = _window_around(lines, heading_index)
    published_at = None
    for index in window:
        found = _dateline(lines[index])
        if found is not None:
            published_at = found[0]
            break
    if published_at is None:
        for raw in text.split("\n")[:3000]:
            line = _pdf_line(raw)
            found = _dateline(line) if _DATE_LABEL_START.match(line) else None
            if found is not None:
                published_at = found[0]
                break
    source = _labeled_source(lines, window)
    if (
        source is None
        and heading_index
        and _title_like(lines[0])
        and len(lines[0]) <= 40
        and len(lines[0].split()) <= 5
    ):
        source = lines[0]  # the masthead above the headline ("Python Insider")
    return title, source, published_at or creation
