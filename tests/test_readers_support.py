"""Builders for reader test inputs (PDF, DOCX, ZIP bombs), made in memory so no binaries are committed.

Imported by test_readers.py and test_readers_properties.py; holds no tests itself.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import datetime

import docx


def minimal_pdf(
    page_texts: Sequence[str | None],
    title: str | None = None,
    creation_date: str | None = None,
    to_unicode: dict[str, str] | None = None,
) -> bytes:
    """A valid PDF with one page per entry, drawn in Helvetica (ASCII only; `\\n` starts a new line).

    A `None` page has an empty content stream: a page with nothing to extract, like a scanned image.
    `to_unicode` maps ASCII characters to the text a ToUnicode CMap says they stand for, as CJK PDFs
    with subset fonts do (often to Kangxi radicals rather than the ideographs they look like).
    Written object by object with a correct cross-reference table, so pypdf reads it strictly.
    """
    font_id, first_page_id = 3, 4
    kids = " ".join(f"{first_page_id + 2 * i} 0 R" for i in range(len(page_texts)))
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    if to_unicode:
        font = font[:-2] + f"/ToUnicode {first_page_id + 2 * len(page_texts)} 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(page_texts)} >>".encode(),
        font.encode(),
    ]
    for i, text in enumerate(page_texts):
        content_id = first_page_id + 2 * i + 1
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        lines = [] if text is None else text.split("\n")
        operators = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
        stream = (operators if lines else "").encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if to_unicode:
        pairs = "\n".join(f"<{ord(code):02X}> <{ord(target):04X}>" for code, target in to_unicode.items())
        cmap = (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(to_unicode)} beginbfchar\n{pairs}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    info_id = None
    if title or creation_date:
        entries = ([f"/Title ({title})"] if title else []) + (
            [f"/CreationDate ({creation_date})"] if creation_date else []
        )
        objects.append(("<< " + " ".join(entries) + " >>").encode())
        info_id = len(objects)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = (
        f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info_id} 0 R" if info_id else "") + " >>"
    )
    out += b"trailer\n" + trailer.encode() + b"\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def make_docx(
    paragraphs: Sequence[str],
    *,
    heading: str | None = None,
    table: Sequence[Sequence[str]] | None = None,
    bullets: Sequence[str] = (),
    title: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """A real .docx written by python-docx: optional heading, paragraphs, bullets, then a table."""
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if title is not None:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_MINIMAL_DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>"
)


def docx_shaped_zip(extra_member: str, extra_size: int, chunk: int = 1 << 20) -> bytes:
    """A zip laid out like a .docx plus one member of `extra_size` zero bytes (streamed in, low memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", _MINIMAL_DOCUMENT_XML)
        with archive.open(extra_member, "w", force_zip64=True) as member:
            zeros = bytes(chunk)
            remaining = extra_size
            while remaining > 0:
                member.write(zeros[: min(chunk, remaining)])
                remaining -= chunk
    return buffer.getvalue()


def understate_member_size(zip_bytes: bytes, member: str, declared_size: int) -> bytes:
    """Rewrite the central-directory entry of `member` to claim a smaller uncompressed size (a lying header)."""
    data = bytearray(zip_bytes)
    name = member.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == name:
            struct.pack_into("<I", data, position + 24, declared_size)  # uncompressed size field
            return bytes(data)
        position = data.find(b"PK\x01\x02", position + 4)
    raise ValueError(f"{member} not in the central directory")
