"""Each social-text cleaning rule, switchable and counted; dedupe across chunks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.clean import (
    EMOTICONS,
    CleanOptions,
    CleanReport,
    Deduplicator,
    clean_texts,
    emoticon_labels,
    emoticon_net,
    emoticon_scores,
)

OFF = CleanOptions.none()


def _clean(texts: list[str | None], **on: bool) -> tuple[list[str], CleanReport]:
    frame, report = clean_texts(pd.Series(texts), replace(OFF, **on))
    return frame["text_clean"].tolist(), report


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        ("reply_prefix", "回复@贲晗:不隔离全国人都多的治不完", "不隔离全国人都多的治不完"),
        ("reply_prefix", "回复 @Ppoisoner： 不一定", "不一定"),
        ("repost_chain", "说得好//@张三:太差了//@李四:原文", "说得好"),
        ("repost_chain", "//@张三:太差了//@李四:原文", "太差了 原文"),
        ("truncation", "今天，北京市召开发布会...展开全文", "今天，北京市召开发布会"),
        ("truncation", "长微博正文…全文", "长微博正文"),
        ("truncation", "正文 展开全文c", "正文"),
        ("urls", "详情见 http://t.cn/A6abcd 官方", "详情见 官方"),
        ("urls", "see https://weibo.com/123?x=1 now", "see now"),
        ("emoticons", "医护人员辛苦了[泪][心]", "医护人员辛苦了 流泪 喜爱"),
        ("emoticons", "[哈哈]太好了", "哈哈 太好了"),
    ],
)
def test_each_rule(step: str, text: str, expected: str) -> None:
    cleaned, report = _clean([text, "无关的帖子"], **{step: True})
    assert cleaned == [expected, "无关的帖子"]
    assert report.counts[step] == 1
    assert sum(report.counts.values()) == 1


def test_rules_are_switchable() -> None:
    text = "回复@a:看//@b:原文 http://t.cn/x [怒]...展开全文"
    cleaned, report = _clean([text])
    assert cleaned == [text]
    assert sum(report.counts.values()) == 0


def test_all_rules_together() -> None:
    frame, report = clean_texts(pd.Series(["回复@a:太气人了[怒] http://t.cn/x//@b:原文...展开全文"]))
    assert frame["text_clean"].tolist() == ["太气人了 愤怒"]
    assert frame["emoticon_net"].tolist() == [-1]
    assert report.counts["reply_prefix"] == 1 and report.counts["repost_chain"] == 1


def test_unknown_emoticons_are_removed_and_counted() -> None:
    cleaned, report = _clean(["好的[不存在的表情]"], emoticons=True)
    assert cleaned == ["好的"]
    assert report.unknown_emoticons == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[话筒]//@央视新闻:【发布会】今天下午三点举行", "[话筒]"),  # a repost whose own words are a code
        ("[怒]//@a:太过分了//@b:原文", "[怒]"),
        ("回复@a:[赞]", "[赞]"),
        ("[泪][泪]。。。", "[泪][泪]"),  # punctuation around codes is not text
        ("[哈哈] ", "[哈哈]"),
        ("[不存在的表情]//@b:原文", "[不存在的表情]"),  # unknown: kept, for the scorer to leave unscored
    ],
)
def test_a_post_of_emoticons_only_keeps_its_codes(text: str, expected: str) -> None:
    """Before issue 17 these became empty (`[话筒]`, unknown codes) and the post left the counts."""
    frame, report = clean_texts(pd.Series([text]))
    assert frame["text_clean"].tolist() == [expected]
    assert report.counts["emoticons"] == 1


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("哈哈", "positive"), ("赞", "positive"), ("心", "positive"), ("鼓掌", "positive"),
        ("怒", "negative"), ("泪", "negative"), ("抓狂", "negative"),
        ("话筒", "neutral"), ("二哈", "neutral"), ("doge", "neutral"),
    ],
)  # fmt: skip
def test_common_weibo_emoticons_have_a_label(code: str, label: str) -> None:
    only, scores = emoticon_scores([f"[{code}]"])
    assert only.tolist() == [True]
    assert emoticon_labels(scores).tolist() == [label]


def test_emoticon_scores_of_texts() -> None:
    texts = ["[哈哈]", "[哈哈][泪]", "[哈哈][哈哈][泪]", "[不存在的表情]", "[哈哈][不存在的表情]", "😂[怒]！",
             "[哈哈]太好了", "太好了", "", "[2]3"]  # fmt: skip
    only, scores = emoticon_scores(texts)
    assert only.tolist() == [True] * 6 + [False] * 4
    assert scores[:3].tolist() == [1.0, 0.0, pytest.approx(1 / 3)]
    assert np.isnan(scores[3]) and scores[4] == 1.0 and scores[5] == -1.0  # unknown codes do not vote
    assert np.isnan(scores[6:]).all()
    assert emoticon_labels(scores).tolist() == [
        "positive", "neutral", "positive", None, "positive", "negative", None, None, None, None,
    ]  # fmt: skip


def test_every_emoticon_polarity_is_a_label() -> None:
    assert {polarity for _, polarity in EMOTICONS.values()} == {-1, 0, 1}


def test_emoticon_net_sign() -> None:
    got = emoticon_net(pd.Series(["[哈哈][赞]", "[泪]", "无", "[doge]"]))
    assert got.tolist() == [2, -1, 0, 0]


def test_exact_and_near_duplicates_across_chunks() -> None:
    dedupe = Deduplicator(exact=True, near=True)
    report = CleanReport()
    first = dedupe.keep_mask(pd.Series(["转发抽奖 @a @b", "真心好", "真心好"]), report)
    second = dedupe.keep_mask(pd.Series(["转发抽奖 @c @d 2", "真心好", "另一条", ""]), report)
    assert first.tolist() == [True, True, False]
    assert second.tolist() == [False, False, True, True]  # empty text is not a duplicate
    assert report.counts["dedupe_exact"] == 2
    assert report.counts["dedupe_near"] == 1


def test_dedupe_switches() -> None:
    report = CleanReport()
    keep = Deduplicator(exact=False, near=False).keep_mask(pd.Series(["a", "a"]), report)
    assert keep.tolist() == [True, True]
    report = CleanReport()
    keep = Deduplicator(exact=True, near=False).keep_mask(pd.Series(["好 @a", "好 @b", "好 @a"]), report)
    assert keep.tolist() == [True, True, False]
    assert report.counts == {**report.counts, "dedupe_exact": 1, "dedupe_near": 0}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=20))
def test_vectorised_near_keys_match_the_reference_rule(values: list[str]) -> None:
    from analysis.corpus.clean import _near_keys, near_key

    assert _near_keys(values) == [near_key(v).encode("utf-32-le") for v in values]
