"""Sentence splitting: Chinese, English, mixed, NFKC-normalised punctuation."""

from __future__ import annotations

import unicodedata

import pytest

from analysis.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天很好。明天更好！后天呢？", ["今天很好。", "明天更好！", "后天呢？"]),
        ("第一句；第二句", ["第一句；", "第二句"]),
        ("他说：“好。”", ["他说：“好。”"]),
        ("他说：“好。我们走吧。”然后离开了。", ["他说：“好。我们走吧。”", "然后离开了。"]),
        ("“我……不知道。”他低声说。", ["“我……不知道。”他低声说。"]),
        ("“总的来看，经济向好。”他说。下一句。", ["“总的来看，经济向好。”他说。", "下一句。"]),
        ("“好。”然后他离开了会场。", ["“好。”", "然后他离开了会场。"]),
        ("房地产仍在调整……下一步要加力。", ["房地产仍在调整……", "下一步要加力。"]),
        ("真的吗？！太好了。", ["真的吗？！", "太好了。"]),
        ("（这是括号里的话。）下一句。", ["（这是括号里的话。）", "下一句。"]),
        ("小米SU7 Ultra的售价为52.99万元。", ["小米SU7 Ultra的售价为52.99万元。"]),
        ("增长1.5%，高于预期。", ["增长1.5%，高于预期。"]),
        ("一，二，三", ["一，二，三"]),
    ],
)
def test_chinese(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rose 1.5% in Q3. It fell later.", ["It rose 1.5% in Q3.", "It fell later."]),
        ("The U.S. market grew. Europe shrank.", ["The U.S. market grew.", "Europe shrank."]),
        (
            "Costs, e.g. rent, rose. Pay, i.e. wages, fell.",
            ["Costs, e.g. rent, rose.", "Pay, i.e. wages, fell."],
        ),
        ('"Wow!" he said. Then quiet.', ['"Wow!" he said.', "Then quiet."]),
        ("He ranked No. 3 in sales. Good.", ["He ranked No. 3 in sales.", "Good."]),
        ("Mr. Lei apologised. Sales fell.", ["Mr. Lei apologised.", "Sales fell."]),
        ("Xiaomi Inc. and Apple Inc. compete.", ["Xiaomi Inc. and Apple Inc. compete."]),
        ("Xiaomi vs. Tesla is close. Really?", ["Xiaomi vs. Tesla is close.", "Really?"]),
        ("Visit xiaomi.com now! Please.", ["Visit xiaomi.com now!", "Please."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("Wait... what happened? Nothing.", ["Wait... what happened?", "Nothing."]),
        ("It ended... Then silence.", ["It ended...", "Then silence."]),
        ("Prices (after tax.) rose.", ["Prices (after tax.) rose."]),
        ("No semicolon split; in English.", ["No semicolon split; in English."]),
        ("J. K. Rowling wrote it.", ["J. K. Rowling wrote it."]),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_nfkc_normalized_chinese_punctuation() -> None:
    text = unicodedata.normalize("NFKC", "价格太高！还会降吗？也许；谁知道，反正很贵。")
    assert text == "价格太高!还会降吗?也许;谁知道,反正很贵。"
    assert split_sentences(text) == ["价格太高!", "还会降吗?", "也许;", "谁知道,反正很贵。"]


def test_mixed_language_sentence_kept_whole() -> None:
    text = "小米SU7 Ultra的售价为52.99万元。Lei Jun said it is fair. 用户不认同！"
    assert split_sentences(text) == [
        "小米SU7 Ultra的售价为52.99万元。",
        "Lei Jun said it is fair.",
        "用户不认同！",
    ]


def test_blank_line_always_ends_a_sentence() -> None:
    assert split_sentences("标题没有标点\n\n正文第一句。") == ["标题没有标点", "正文第一句。"]


def test_punctuation_only_pieces_join_their_neighbour() -> None:
    assert split_sentences("好。。。！") == ["好。。。！"]
    assert split_sentences("…… 开始了。") == ["…… 开始了。"]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty(text: str) -> None:
    assert split_sentences(text) == []


def test_unbalanced_quote_does_not_swallow_the_text() -> None:
    text = "他说：“" + "这是一句话。" * 100
    sentences = split_sentences(text)
    assert len(sentences[0]) <= 420  # an open quotation is honoured for a bounded span only
    assert sentences[-1] == "这是一句话。"
    assert "".join(sentences) == text
