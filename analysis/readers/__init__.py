"""Readers: from the bytes of an uploaded file to normalised text plus metadata.

`read_document(data, filename)` accepts plain text (.txt), Markdown (.md), HTML (.html/.htm),
Word (.docx) and PDF (.pdf) and returns a `ReadResult`. Any bad input ends in a `ReaderError`
(an `OpinionLensError`) whose `code` says what kind of problem it is and whose message names it in
plain English; no other exception escapes `read_document`, whatever the bytes.

- `result`: what a reader returns (`ReadResult`), the formats it accepts, the upload limit.
- `document`: `read_document`; the format from the file name or sniffed from the bytes, decoding,
  and the text formats (plain text, Markdown, HTML).
- `markdown`: Markdown links, images and bold reduced to their text.
- `html_body`: an HTML page's article body (trafilatura), else its visible text.
- `html_meta`: an HTML page's title, date and source.
- `page_meta`: what HTML pages and PDF page 1 share: site names in titles, datelines, source lines.
- `docx`: Word documents, checked for decompression bombs first.
- `pdf`: PDF text within a page and time budget, and page 1's title, date and source.
"""

from analysis.errors import ReaderError
from analysis.readers.document import read_document
from analysis.readers.docx import (
    MAX_ZIP_COMPRESSION_RATIO,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_UNCOMPRESSED_BYTES,
    ZIP_RATIO_FLOOR_BYTES,
)
from analysis.readers.html_body import _html_visible_text as _html_visible_text  # for tests
from analysis.readers.html_body import _trafilatura_config as _trafilatura_config  # for tests
from analysis.readers.pdf import MAX_PDF_PAGES, PDF_TIME_BUDGET_S
from analysis.readers.result import MAX_BYTES, SUPPORTED_EXTENSIONS, Format, ReadResult
from analysis.text.decode import decode_text
from analysis.text.normalize import normalize_text

__all__ = [
    "MAX_BYTES",
    "MAX_PDF_PAGES",
    "MAX_ZIP_COMPRESSION_RATIO",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_UNCOMPRESSED_BYTES",
    "PDF_TIME_BUDGET_S",
    "SUPPORTED_EXTENSIONS",
    "ZIP_RATIO_FLOOR_BYTES",
    "Format",
    "ReadResult",
    "ReaderError",
    "decode_text",
    "normalize_text",
    "read_document",
]
