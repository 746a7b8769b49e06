"""Upload fixtures built at test time: a DOCX, a hand-written PDF and a binary file posing as text.

Built in code (not committed binaries) so the bytes the browser uploads are visible in review.
"""

from __future__ import annotations

import io
import random


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    """A Word document: the title as the first (heading) paragraph, then the body paragraphs."""
    import docx  # python-docx, a runtime dependency of the app

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_string(text: str) -> str:
    # PDF literal strings: backslash and parentheses must be escaped; Helvetica covers Latin-1 only.
    text.encode("latin-1")
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A minimal valid one-page PDF (Helvetica, English text) with a correct xref table.

    A CJK PDF would need an embedded CJK font; English text with a standard-14 font needs none.
    """
    lines = [title, "", *paragraphs]
    ops = ["BT", "/F1 16 Tf", "72 760 Td", "18 TL"]
    for i, line in enumerate(lines):
        if i == 1:
            ops.append("/F1 11 Tf")
        ops.append(f"{_pdf_string(line)} Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + _pdf_string(title).encode("latin-1") + b" >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref_at = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n".encode())
    out.write(b"0000000000 65535 f \n")
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_binary_posing_as_text(size: int = 4096) -> bytes:
    """A PNG signature, NULs and (seeded, so every run uploads the same bytes) noise."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + random.Random(20251027).randbytes(size)
