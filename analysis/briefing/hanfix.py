"""Han characters as themselves in the text of Chromium's PDFs.

CJK fonts (Noto Sans CJK among them) draw a Kangxi radical and its unified ideograph with one
glyph; Chromium's PDF then maps that glyph back to the radical (⼩ U+2F29 for 小 U+5C0F), so the
PDF looks right but its text does not search or copy as written. We map every such code point of
every ToUnicode table to its unified ideograph (NFKC: exactly that mapping for these blocks).

`fix_han_text` patches the PDF's bytes: the changed ToUnicode streams are appended as an
incremental update (a new xref section pointing at them; nothing before it is rewritten), which
takes milliseconds. A PDF laid out otherwise than Chromium's (an xref stream, an indirect stream
length) goes through `fix_han_text_rewrite`, which parses and rewrites the whole file with pypdf
(seconds for a report).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from typing import Any

_RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")


def _is_radical(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _RADICAL_BLOCKS)


def _decode_utf16(hexes: str) -> str:
    return bytes.fromhex(hexes).decode("utf-16-be", errors="surrogatepass")


def _encode_utf16(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


# The simplified radicals (CJK Radicals Supplement) have no NFKC mapping; the characters they are
# drawn as in Chinese fonts:
_SIMPLIFIED = dict(
    zip(
        "⺰⻅⻆⻈⻉⻋⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "纟见角讠贝车钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)


def _unified(text: str) -> str:
    return "".join(
        _SIMPLIFIED.get(ch) or unicodedata.normalize("NFKC", ch) if _is_radical(ch) else ch for ch in text
    )


def fix_cmap(cmap: str) -> str:
    """A ToUnicode CMap with radical and compatibility code points mapped to unified ideographs
    (ranges expanded to single mappings where they cover one); unchanged when it has none."""
    mappings: list[tuple[str, str]] = []  # (source code hex, destination text)
    changed = False
    for block in re.finditer(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        tokens = _HEX.findall(block.group(1))
        for src, dst in zip(tokens[::2], tokens[1::2], strict=False):
            mappings.append((src, _decode_utf16(dst)))
    for block in re.finditer(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.group(1).strip().splitlines():
            tokens = _HEX.findall(line)
            if len(tokens) < 3:
                continue
            lo, hi, width = int(tokens[0], 16), int(tokens[1], 16), len(tokens[0])
            if "[" in line:  # an array of destinations
                dests = [_decode_utf16(x) for x in tokens[2:]]
            else:
                start = _decode_utf16(tokens[2])
                dests = [start[:-1] + chr(ord(start[-1]) + i) for i in range(hi - lo + 1)]
            mappings += [(f"{lo + i:0{width}X}", d) for i, d in enumerate(dests)]
    fixed = [(src, _unified(dst)) for src, dst in mappings]
    changed = any(a[1] != b[1] for a, b in zip(mappings, fixed, strict=True))
    if not changed:
        return cmap
    body = re.sub(r"\d+\s+beginbfchar.*?endbfchar\s*", "", cmap, flags=re.S)
    body = re.sub(r"\d+\s+beginbfrange.*?endbfrange\s*", "", body, flags=re.S)
    blocks = []
    for i in range(0, len(fixed), 100):
        chunk = fixed[i : i + 100]
        lines = "\n".join(f"<{src}> <{_encode_utf16(dst)}>" for src, dst in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar\n")
    return body.replace("endcmap", "".join(blocks) + "endcmap", 1)


def _to_unicode_streams(obj: Any, seen: set[int], out: list[Any]) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(obj, IndirectObject):
        key = obj.idnum
        if key in seen:
            return
        seen.add(key)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for k, v in obj.items():
            if k == "/ToUnicode":
                out.append(v.get_object())
            elif k not in ("/Parent", "/P"):
                _to_unicode_streams(v, seen, out)
    elif isinstance(obj, ArrayObject):
        for v in obj:
            _to_unicode_streams(v, seen, out)


def fix_han_text_rewrite(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode table fixed by `fix_cmap` (pages, fonts and drawings),
    parsed and written again by pypdf: any PDF, but seconds for a report."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    streams: list[Any] = []
    for page in writer.pages:
        _to_unicode_streams(page.get("/Resources"), set(), streams)
    changed = False
    for stream in {id(s): s for s in streams}.values():
        old = stream.get_data().decode("latin-1")
        new = fix_cmap(old)
        if new != old:
            stream.set_data(new.encode("latin-1"))
            changed = True
    if not changed:
        return pdf
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- the fast path: an incremental update ----------------------------------------------------------
class _Unexpected(Exception):
    """The PDF is not laid out as the fast path expects."""


_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$", re.S)
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")


_OBJECT = re.compile(rb"(?:^|[\r\n])(\d+) 0 obj\b")
_STREAM_HEAD = re.compile(rb"\s*<<((?:(?!endobj).)*?)>>\s*stream\r?\n", re.S)


def _stream(pdf: bytes, start: int) -> bytes:
    """The decoded data of the stream object whose dictionary starts at `start` (a direct
    /Length; no filter or /FlateDecode)."""
    head = _STREAM_HEAD.match(pdf, start)
    if head is None:
        raise _Unexpected("not a stream")
    length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head.group(1))
    if length is None:
        raise _Unexpected("indirect length")
    data = pdf[head.end() : head.end() + int(length.group(1))]
    filters = re.search(rb"/Filter\s*(\S+)", head.group(1))
    if filters is None:
        return data
    if filters.group(1) != b"/FlateDecode":
        raise _Unexpected(f"filter {filters.group(1)!r}")
    return zlib.decompress(data)


def _patch(pdf: bytes) -> bytes:
    trailer = _TRAILER.search(pdf[-4096:])
    if trailer is None:
        raise _Unexpected("no classic trailer")
    fields = trailer.group(1)
    size = re.search(rb"/Size\s+(\d+)", fields)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", fields)
    info = re.search(rb"/Info\s+(\d+\s+\d+\s+R)", fields)
    if size is None or root is None:
        raise _Unexpected("trailer without /Size or /Root")
    objects = {int(m.group(1)): m.end() for m in _OBJECT.finditer(pdf)}  # the last of each wins
    changed: dict[int, bytes] = {}
    for number in sorted({int(n) for n in _TO_UNICODE.findall(pdf)}):
        if number not in objects:
            raise _Unexpected(f"object {number} not found")
        old = _stream(pdf, objects[number]).decode("latin-1")
        new = fix_cmap(old)
        if new != old:
            changed[number] = zlib.compress(new.encode("latin-1"), 6)
    if not changed:
        return pdf
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for number, data in changed.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n<</Filter /FlateDecode\n/Length %d>> stream\n" % (number, len(data)))
        out.write(data + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")  # the free list's head, as in the first section
    for number, offset in offsets.items():
        out.write(b"%d 1\n%010d 00000 n \n" % (number, offset))
    total = max(int(size.group(1)), max(changed) + 1)
    tail = b"/Size %d /Root %s" % (total, root.group(1))
    if info is not None:
        tail += b" /Info " + info.group(1)
    out.write(b"trailer\n<<%s /Prev %s>>\nstartxref\n%d\n%%%%EOF\n" % (tail, trailer.group(2), xref))
    return out.getvalue()


def fix_han_text(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode table fixed by `fix_cmap`: an incremental update of
    the changed tables (milliseconds), or `fix_han_text_rewrite` for a PDF laid out otherwise."""
    try:
        return _patch(pdf)
    except (_Unexpected, zlib.error, UnicodeDecodeError):
        return fix_han_text_rewrite(pdf)
