"""Decoding: bytes to text, and the one encoding sniffer (articles and tables of posts alike).

    UTF-8 (with or without BOM), GB18030 (a superset of GBK and GB2312) and UTF-16 (with BOM, or
BOM-less little/big-endian detected from where the NUL bytes of its ASCII characters fall; a
BOM-less UTF-16 text without a single ASCII character is not guessed). Each candidate must
decode strictly *and* look like text (almost no control or private-use characters); Latin-1 is
never guessed, because it decodes any byte sequence and would turn Chinese bytes into mojibake
silently. An HTML page that none of these decode is tried once more with the charset its
`<meta>` declares. `ReadResult.encoding` names what worked: "utf-8", "utf-8-sig", "gb18030",
"utf-16" (with BOM), "utf-16-le"/"utf-16-be" (BOM-less), or a declared HTML charset.
A PDF or ZIP named .txt/.md/.html is reported as binary with a hint about the extension.
"""

from __future__ import annotations

import codecs
import re

from analysis.errors import ReaderError
from analysis.text.normalize import INVISIBLE

# Bytes that never occur in real text in any of our encodings (tab, LF, VT, FF, CR and ESC allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_BINARY_CONTROL_RATIO = 0.05  # more control bytes than this: a binary file, not text
# Decoded characters that real text (almost) never contains: controls, C1, private use, non-characters.
_IMPLAUSIBLE_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff]"
)
_MAX_IMPLAUSIBLE_RATIO = 0.02
# Scripts we expect: ASCII, Latin-1, Greek/Cyrillic, punctuation and symbols, CJK and kana, full-width
# forms, emoji. Hangul syllables are left out on purpose: byte-swapped UTF-16 often lands there.
_EXPECTED_CHARS = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u0370-\u04ff\u2000-\u27bf\u2e80-\u2fdf\u3000-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U0001f000-\U0001faff]"
)
_MIN_EXPECTED_RATIO_BOMLESS_UTF16 = 0.9


def _ratio(pattern: re.Pattern[str], text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for _ in pattern.finditer(text)) / len(text)


def looks_textual(text: str) -> bool:
    return _ratio(_IMPLAUSIBLE_CHARS, text) <= _MAX_IMPLAUSIBLE_RATIO


def _looks_strongly_textual(text: str) -> bool:
    """For BOM-less UTF-16, where the guess needs support: nearly all characters of expected scripts."""
    return looks_textual(text) and _ratio(_EXPECTED_CHARS, text) >= _MIN_EXPECTED_RATIO_BOMLESS_UTF16


def strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_bomless_order(data: bytes) -> list[str]:
    """BOM-less UTF-16 byte orders worth trying, most likely first, judged by where NULs fall."""
    if len(data) % 2:
        return []
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    # ASCII in UTF-16-LE is "x\0", so NULs sit at odd offsets; in BE at even ones.
    return ["utf-16-le", "utf-16-be"] if nul_odd >= nul_even else ["utf-16-be", "utf-16-le"]


def is_blank(text: str) -> bool:
    return not INVISIBLE.sub("", text).strip()


def looks_like_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def binary_kind_hint(data: bytes) -> str:
    """A hint naming what binary data looks like, for error messages."""
    if looks_like_pdf(data):
        return " (it looks like a PDF; is the file extension wrong?)"
    if data.startswith(b"PK\x03\x04"):
        return " (it looks like a ZIP archive, e.g. a .docx; is the file extension wrong?)"
    return ""


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes as UTF-8(-sig), GB18030 or UTF-16; return (text, encoding name).

    The text is returned as decoded (BOM removed, nothing else changed). Raises `ReaderError`:
    "empty" for nothing but whitespace/BOM, "binary" for binary data, "undecodable" for text in
    none of the supported encodings.
    """
    if not data:
        raise ReaderError("empty", "the file is empty (0 bytes)")
    candidates: list[tuple[str, bool]]  # (encoding, needs strong evidence)
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", False)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", False)]
    elif b"\x00" in data:
        # NULs never occur in UTF-8/GB18030 text; only UTF-16 explains them (if the text then looks real).
        candidates = [(enc, True) for enc in _utf16_bomless_order(data)]
        if not candidates:
            raise ReaderError(
                "binary",
                "the file contains NUL bytes: it is binary data, not text" + binary_kind_hint(data),
            )
    else:
        # BOM-less UTF-16 without a single NUL (no space, digit or newline) is not guessed: Latin-1
        # text such as "café au lait" would decode to plausible-looking CJK.
        candidates = [("utf-8", False), ("gb18030", False)]

    for encoding, needs_strong_evidence in candidates:
        text = strict_decode(data, encoding)
        if text is None:
            continue
        if encoding == "utf-16":
            text = text.removeprefix("\ufeff")
        plausible = _looks_strongly_textual(text) if needs_strong_evidence else looks_textual(text)
        if not plausible:
            continue
        if is_blank(text):
            raise ReaderError("empty", "the file contains only whitespace")
        return text, encoding

    hint = binary_kind_hint(data)
    if b"\x00" in data:
        raise ReaderError("binary", "the file contains NUL bytes: it is binary data, not text" + hint)
    if hint:
        raise ReaderError("binary", "the file is binary data, not text" + hint)
    control_ratio = len(data.translate(None, _NOT_CONTROL_BYTES)) / len(data)
    if control_ratio > _BINARY_CONTROL_RATIO:
        raise ReaderError(
            "binary",
            f"the file is binary data, not text ({control_ratio:.0%} of its bytes are control characters)",
        )
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReaderError(
            "undecodable",
            "the file starts with a Unicode byte-order mark but its bytes are not valid in that encoding",
        )
    raise ReaderError(
        "undecodable",
        "the text could not be decoded as UTF-8, GB18030/GBK or UTF-16; save it as UTF-8 and try again",
    )


def sniff_encoding(head: bytes, *, truncated: bool = False) -> str:
    """The encoding `decode_text` would pick, from a file's first bytes (`truncated`: the file goes
    on, so the head is cut back to a whole line, or to whole UTF-16 code units, before the test).
    Raises `ReaderError` as `decode_text` does."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    data = head
    if truncated:
        if b"\x00" in head:
            data = head[: len(head) - len(head) % 2]
        else:
            data = head[: head.rfind(b"\n") + 1 or len(head)]
    return decode_text(data)[1]
