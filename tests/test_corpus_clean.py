"""Each social-text cleaning rule, switchable and counted; dedupe across chunks."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.clean import CleanOptions, CleanReport, Deduplicator, clean_texts, emoticon_net

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
