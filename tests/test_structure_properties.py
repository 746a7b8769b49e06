"""Property tests: parse_document never fails on arbitrary text and keeps its invariants."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.sentences import split_sentences
from analysis.structure import StructureError, extract_citations, parse_document

# Text built from the pieces that matter to the parser, plus arbitrary unicode.
PIECES = st.sampled_from(
    [
        "Group 1:",
        "Group 2: Title",
        " - ",
        "-",
        "Core Viewpoint - ",
        "核心观点：",
        "观点一：",
        "一、",
        "要点：",
        "1. ",
        "2、",
        "[1]",
        "[1,3]",
        "[2-4]",
        "［5］",
        "。",
        "！",
        "？",
        ".",
        "!",
        "?",
        ";",
        "；",
        "…",
        "……",
        "“",
        "”",
        '"',
        "（",
        "）",
        "\n",
        "\n\n",
        " ",
        "#",
        "## ",
        "* ",
        "小米汽车",
        "信任",
        "Xiaomi",
        "U.S.",
        "e.g.",
        "1.5%",
        "-96%",
        "2025-10-27 20:11",
        "2016年10月14日",
        "Oct 27, 2025",
        "Source: Reuters",
        "来源：新华社",
        "Xin Lang Cai Jing·",
        "By Jane Doe, Reuters",
        "Mr.",
        "No. 3",
        "word",
        "安全",
    ]
)
TEXTS = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join),
)


def _no_space(text: str) -> str:
    """Whitespace and invisible characters (zero-width, soft hyphen) removed, as the parser does."""
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+", "", text)


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    parse_document("Group 1 - 预热分词词典。")  # load jieba once so per-example deadlines are fair


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parse_never_fails_and_keeps_invariants(text: str) -> None:
    if not text.strip():
        with pytest.raises(StructureError):
            parse_document(text)
        return
    doc = parse_document(text)
    sentences = doc.sentences
    assert [s.position for s in sentences] == list(range(len(sentences)))
    haystack = _no_space(extract_citations(text)[0])
    for s in sentences:
        assert s.text.strip()
        assert _no_space(s.text) in haystack or _no_space(s.text) in _no_space(text)
        assert s.score is None and s.label is None
    for g in doc.groups:
        assert g.title
        for i, b in enumerate(g.bullets):
            assert all(s.group == g.index and s.bullet == i for s in b.sentences)
    if re.search(r"[^\W\d_]", text):
        assert sentences, text  # any letters or CJK: at least one sentence


@settings(max_examples=300, deadline=500)
@given(TEXTS)
def test_split_sentences_pieces_come_from_the_text(text: str) -> None:
    pieces = split_sentences(text)
    compact = _no_space(text)
    assert _no_space("".join(pieces)) == compact
    for p in pieces:
        assert p and p == p.strip()
        assert p in text


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("Group 1: Title - a [1]. - b - c. ", 200_000),
        ("[[[[[[[[[[1,1,1,1,", 200_000),
        ("“他说：“好。", 200_000),
        ("a" * 50 + " - ", 200_000),
        ("U.S. e.g. ... 1.5% ", 200_000),
        ("观点一：一、要点：1、", 200_000),
        pytest.param("小米汽车。\n", 1_000_000, marks=pytest.mark.slow),
        ("Para one. Still para one\nwrapped here.\n\n", 300_000),
        ("Core Viewpoint - x [1]. Group 1: T - y [2]. - z. ", 300_000),
    ],
)
def test_large_inputs_finish_in_linear_time(unit: str, size: int) -> None:
    text = unit * (size // len(unit))
    started = time.perf_counter()
    doc = parse_document(text)
    elapsed = time.perf_counter() - started
    # about 6 s per MB on one core for the worst case (one sentence per 6 characters)
    assert elapsed < 12 * size / 1_000_000 + 1, f"{elapsed:.1f}s for {size} chars of {unit!r}"
    assert doc.sentences
