"""Markdown rendered to text (analysis.text.markdown) and section markers as viewpoint groups."""

from __future__ import annotations

import re
import threading

import pytest

from analysis.structure import parse_document
from analysis.text.markdown import IMAGE_MARK, clean_leftovers, looks_like_markdown, render_markdown

MARKDOWN_SYNTAX = re.compile(r"\*\*|__|!\[|\]\(|</?[a-z]+[^>]*>|^#{1,6}\s", re.M)


def lines_of(text: str) -> list[str]:
    text = render_markdown(text).text.replace(IMAGE_MARK, "")
    return [line for line in text.split("\n") if line]


def test_emphasis_links_images_and_html_render_to_their_text() -> None:
    rendered = lines_of(
        "小米汽车的**信任危机**，从一场*事故*开始。[点击这里](https://a.cn/x)看详情。\n\n"
        "![](https://mmbiz.qpic.cn/x/640?wx_fmt=png)\n\n"
        "[![logo](https://a.cn/l.png)](https://a.cn)\n\n"
        "<p>一段<b>HTML</b>文字</p>\n"
    )
    assert rendered == ["小米汽车的信任危机，从一场事故开始。点击这里看详情。", "一段HTML文字"]


def test_unbalanced_wechat_bold_runs_leave_no_marks() -> None:
    (line,) = lines_of("**作者 | 张三****编辑**| 李四**")
    assert "*" not in line
    assert line.startswith("作者 | 张三") and "编辑" in line and "李四" in line


def test_headings_and_lists_keep_their_markers() -> None:
    assert lines_of("# 标题\n\n## Group 1: 安全\n- 第一条 [1]\n* 第二条\n\n1. 一\n2. 二\n") == [
        "# 标题",
        "## Group 1: 安全",
        "- 第一条 [1]",
        "- 第二条",
        "1. 一",
        "2. 二",
    ]


def test_a_bold_only_paragraph_is_a_section_heading() -> None:
    assert lines_of("**价格战之下**\n\n正文第一句。") == ["## 价格战之下", "正文第一句。"]
    # bold inside a sentence is emphasis, not a heading
    assert lines_of("他说**很好**，然后离开。") == ["他说很好，然后离开。"]


def test_link_characters_are_counted_per_line() -> None:
    rendered = render_markdown("[首页](/) | [新闻](/n) | [登录](/login)\n\n正文没有链接。")
    lines = rendered.text.split("\n")
    links = dict(zip(lines, rendered.link_chars, strict=True))
    assert links["首页 | 新闻 | 登录"] == 6
    assert links["正文没有链接。"] == 0


def test_tables_become_rows_of_cells_without_pipes() -> None:
    assert lines_of("| 车型 | 销量 |\n|---|---|\n| SU7 | 1万 |\n") == ["车型  销量", "SU7  1万"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("纯文本，没有标记。", False),
        ("小米汽车陷入困境,问题出在哪?\nXin Lang Cai Jing·2025-10-27 20:11", False),
        ("# 标题\n正文", True),
        ("见 [链接](https://a.cn)", True),
        ("**粗体**", True),
        ("![](x.png)", True),
    ],
)
def test_markdown_is_recognized_by_its_signals(text: str, expected: bool) -> None:
    assert looks_like_markdown(text) is expected


def test_clean_leftovers_removes_marks_that_survived_parsing() -> None:
    assert clean_leftovers("**编辑**| 李四**") == "编辑| 李四"
    assert clean_leftovers("见![图](http://x/y.png)和[文字](http://x)") == "见和文字"


def test_no_parsed_sentence_shows_markdown_syntax() -> None:
    text = (
        "# 小米汽车陷入困境\n\n**作者 | 张三****编辑**| 李四**\n\n"
        "小米汽车的**信任危机**，从一场事故开始，订单取消的消息不断传出。\n\n"
        "**01 价格战之下**\n\n多家车企被迫降价，[利润空间](https://a.cn)被进一步压缩。\n"
    )
    doc = parse_document(text)
    assert doc.sentences
    for s in doc.sentences:
        assert not MARKDOWN_SYNTAX.search(s.text), s.text
    assert [g.title for g in doc.groups][-1] == "01 价格战之下"


@pytest.mark.parametrize(
    ("marker", "title"),
    [
        ("01", "价格战之下"),
        ("一、价格战之下", "价格战之下"),
        ("（一）价格战之下", "价格战之下"),
        ("Part 1", "价格战之下"),
    ],
)
def test_section_markers_become_viewpoint_groups_with_their_titles(marker: str, title: str) -> None:
    head = f"{marker}\n价格战之下" if marker in ("01", "Part 1") else marker
    text = (
        "小米汽车的信任危机，从一场高速事故开始，此后舆论迅速发酵，订单取消的消息不断传出。\n\n"
        f"{head}\n\n"
        "今年以来，新能源汽车市场的价格战愈演愈烈，多家车企被迫降价，利润空间被进一步压缩。\n"
    )
    doc = parse_document(text)
    assert [g.title for g in doc.groups][-1] == title
    assert all(marker not in s.text for s in doc.sentences)


def test_the_shared_parser_is_built_once_under_concurrent_first_use() -> None:
    import analysis.text.markdown as md

    md._parser = None
    built: list[object] = []
    barrier = threading.Barrier(8)

    def first_use() -> None:
        barrier.wait()
        built.append(md._markdown_parser())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(p) for p in built}) == 1
