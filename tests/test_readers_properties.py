"""Property-based tests for analysis.readers: whatever the bytes, only ReaderError, in bounded time."""

from __future__ import annotations

import string
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_readers_support import make_docx, minimal_pdf

from analysis.readers import (
    SUPPORTED_EXTENSIONS,
    ReaderError,
    ReadResult,
    decode_text,
    normalize_text,
    read_document,
)

# deadline: each single input must finish well inside 2 s; example counts keep this file under ~30 s.
BOUNDED = settings(deadline=2000, max_examples=250, suppress_health_check=[HealthCheck.too_slow])
FILENAMES = st.sampled_from([None, "upload", *(f"input{ext}" for ext in SUPPORTED_EXTENSIONS)])

VALID_DOCUMENTS = {
    "pdf": minimal_pdf(
        ["Xiaomi trust collapsed.", "Second page of text."], title="T", creation_date="D:20251027"
    ),
    "docx": make_docx(["小米汽车的负面舆情已经达到96%。"], heading="标题", table=[["a", "b"]], title="标题"),
    "html": (
        "<html><head><title>标题</title><meta property='og:site_name' content='站点'></head><body>"
        "<nav>导航</nav><article><p>正文第一段，内容足够长。</p><p>第二段。</p></article></body></html>"
    ).encode(),
    "md": "# 标题\n\n**粗体** 和 [链接](http://x)\n\n- 列表".encode(),
}


def check_outcome(data: bytes, filename: str | None) -> ReadResult | ReaderError:
    """Read, and check the contract: a well-formed ReadResult, or a ReaderError with a known code."""
    try:
        result = read_document(data, filename)
    except ReaderError as error:
        assert error.code in {
            "empty",
            "binary",
            "too_large",
            "no_text",
            "malformed",
            "undecodable",
            "unsupported",
        }
        assert str(error) and "\n" not in str(error)  # one specific line, fit for stderr or the UI
        return error
    assert result.text and result.text == result.text.strip()
    assert normalize_text(result.text) == result.text
    assert any(ch.isalpha() for ch in result.text)
    assert result.format in {"txt", "md", "html", "docx", "pdf"}
    assert result.filename == filename
    assert result.published_at is None or (
        isinstance(result.published_at, datetime) and result.published_at.tzinfo is not None
    )
    assert result.title is None or (result.title and "\n" not in result.title)
    return result


@BOUNDED
@given(data=st.binary(max_size=3000), filename=FILENAMES)
def test_arbitrary_bytes_only_ever_raise_reader_error(data: bytes, filename: str | None) -> None:
    check_outcome(data, filename)


@BOUNDED
@given(
    prefix=st.sampled_from(
        [b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<html><body>"]
    ),
    rest=st.binary(max_size=2000),
    filename=FILENAMES,
)
def test_bytes_with_magic_prefixes_only_ever_raise_reader_error(
    prefix: bytes, rest: bytes, filename: str | None
) -> None:
    check_outcome(prefix + rest, filename)


@settings(deadline=2000, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(VALID_DOCUMENTS)),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=12),
    keep=st.floats(0.05, 1.0),
    named=st.booleans(),
)
def test_damaged_real_documents_only_ever_raise_reader_error(
    kind: str, edits: list[tuple[float, int]], keep: float, named: bool
) -> None:
    data = bytearray(VALID_DOCUMENTS[kind])
    for where, value in edits:
        data[int(where * len(data))] = value
    damaged = bytes(data[: max(1, int(len(data) * keep))])
    check_outcome(damaged, f"damaged.{kind}" if named else None)


TEXT_ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


@BOUNDED
@given(text=st.text(max_size=300), encoding=st.sampled_from(TEXT_ENCODINGS), filename=FILENAMES)
def test_arbitrary_text_in_every_encoding_only_ever_raises_reader_error(
    text: str, encoding: str, filename: str | None
) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # e.g. emoji in GBK: not a file anyone could have
        return
    check_outcome(data, filename)


# Ordinary article characters: ASCII, common CJK, Chinese punctuation.
ARTICLE_ALPHABET = st.sampled_from(
    list(string.ascii_letters + string.digits + " .,;:!?%-\n")
    + list("小米汽车信任舆情负面净情感值用户，。！？；：“”、《》")
)
ARTICLE_TEXT = st.text(ARTICLE_ALPHABET, min_size=1, max_size=300).filter(lambda t: t.strip())


@BOUNDED
@given(text=ARTICLE_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_self_describing_encodings_round_trip_exactly(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == (text, encoding)


@BOUNDED
@given(text=ARTICLE_TEXT.filter(lambda t: any(ch.isascii() for ch in t)))
def test_bomless_utf16_le_with_ascii_round_trips(text: str) -> None:
    # BOM-less UTF-16 is recognised by the NULs of its ASCII characters (none of ARTICLE_ALPHABET's
    # CJK characters has a zero low byte, which would look like a big-endian NUL).
    assert decode_text(text.encode("utf-16-le")) == (text, "utf-16-le")


@BOUNDED
@given(text=st.text(max_size=400))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\ufeff" not in once and "\u200b" not in once
    assert "\n\n\n" not in once and "  " not in once


@pytest.mark.parametrize("filename", [None, "a.txt", "a.md", "a.html"])
@BOUNDED
@given(text=ARTICLE_TEXT.filter(lambda t: any(ch.isalpha() for ch in t)))
def test_plain_article_text_reads_as_its_normalized_self(filename: str | None, text: str) -> None:
    result = read_document(text.encode("utf-8"), filename)
    if result.format == "txt":
        assert result.text == normalize_text(text)
    else:
        assert result.text  # md/html strip markup; the content itself is covered above
