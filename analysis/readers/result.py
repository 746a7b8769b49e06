"""What reading a document gives: `ReadResult`, the formats a reader accepts, the upload limit.

Dates: every `published_at` is timezone-aware, by `analysis.text.dates.parse_date`: a time given
without a zone is China time and a date without a time midnight China time (DOCX core properties
excepted: the standard writes them in UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from analysis.text.normalize import normalize_text

MAX_BYTES: int = 20 * 1024 * 1024
"""Upload size limit (20 MiB): large enough for any article, small enough for a 1 GB cloud box."""

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


_Parsed = tuple[str, Format, str | None, str | None, str | None, datetime | None]


def _one_line(value: object) -> str | None:
    """A metadata string as one normalised line, or None when blank."""
    if not isinstance(value, str):
        return None
    line = " ".join(normalize_text(value).split())
    return line or None
