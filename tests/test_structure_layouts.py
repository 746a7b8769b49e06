"""Layouts other than the seed: grouped summaries in other shapes, key points, ordinary articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from analysis.records import Document
from analysis.structure import StructureError, derive_title, extract_citations, parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "structure"
CHINA = timezone(timedelta(hours=8))


def parse_fixture(name: str) -> Document:
    return parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def bullet_texts(doc: Document) -> list[list[str]]:
    return [[b.text for b in g.bullets] for g in doc.groups]


def assert_positions(doc: Document) -> None:
    sentences = doc.sentences
    assert [s.position for s in sentences] == list(range(len(sentences)))
    for g in doc.groups:
        for i, b in enumerate(g.bullets):
            assert all(s.group == g.index and s.bullet == i for s in b.sentences)


def test_group_without_title_gets_a_derived_chinese_title() -> None:
    doc = parse_fixture("zh_group_no_title.txt")
    assert doc.kind == "summary"
    assert doc.title == "比亚迪销量创新高，海外市场表现亮眼"
    assert doc.source == "财联社"
    assert doc.published_at == datetime(2025, 10, 20, tzinfo=CHINA)
    assert doc.core_viewpoint is not None and doc.core_viewpoint.citations == (1,)
    assert [len(g.bullets) for g in doc.groups] == [2, 2]
    assert all(g.title_derived for g in doc.groups)
    # the derived title names what the bullets are about
    assert "海外" in doc.groups[0].title
    assert "价格战" in doc.groups[1].title or "利润" in doc.groups[1].title
    assert [[b.citations for b in g.bullets] for g in doc.groups] == [[(1, 2), (2,)], [(3,), (3, 4)]]
    assert_positions(doc)


def test_english_group_without_title_is_derived_from_keywords() -> None:
    text = (
        "Core Viewpoint - Battery costs keep falling [1]. Group 1 - Battery prices fell 20% this year "
        "as lithium prices dropped [1]. - Cheaper battery packs make electric cars affordable [2]."
    )
    doc = parse_document(text)
    (group,) = doc.groups
    assert group.title_derived
    assert "Battery" in group.title
    assert [b.citations for b in group.bullets] == [(1,), (2,)]


def test_markdown_summary_with_star_and_dash_bullets() -> None:
    doc = parse_fixture("en_markdown.md")
    assert doc.kind == "summary"
    assert doc.title == "Battery maker recalls 50,000 packs after fire reports"
    assert doc.source == "Reuters"
    assert doc.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=CHINA)
    assert doc.core_viewpoint is not None
    assert doc.core_viewpoint.text == "The recall hurts confidence in the company's safety record."
    assert [g.title for g in doc.groups] == ["Safety", "Market Reaction"]
    assert [[b.citations for b in g.bullets] for g in doc.groups] == [[(1, 2), (2,)], [(3,), (3, 4, 5)]]
    # abbreviations and decimals do not break sentences
    assert [len(b.sentences) for g in doc.groups for b in g.bullets] == [1, 1, 1, 1]
    assert_positions(doc)


def test_chinese_summary_over_several_lines_with_numbered_bullets() -> None:
    doc = parse_fixture("zh_multiline.txt")
    assert doc.title == "小米汽车陷入困境，问题出在哪？"
    assert doc.source == "新浪财经"
    assert doc.published_at is not None and doc.published_at.isoformat() == "2025-10-27T20:11:00+08:00"
    assert doc.core_viewpoint is not None and doc.core_viewpoint.citations == (1, 3)
    assert [g.title for g in doc.groups] == ["信任与舆情", "危机处理"]
    assert bullet_texts(doc)[0] == [
        "负面舆情占比达到96%，净情感值跌至-96%。",
        "手机时代积累的口碑没有延续到汽车业务。",
    ]
    assert [[b.citations for b in g.bullets] for g in doc.groups] == [[(1,), (1, 3)], [(6, 8), (8,)]]


@pytest.mark.parametrize(
    ("name", "title"),
    [("en_key_points.txt", "Key Points"), ("zh_key_points.txt", "要点")],
)
def test_key_points_become_bullets_of_one_group(name: str, title: str) -> None:
    doc = parse_fixture(name)
    assert doc.kind == "summary"
    (group,) = doc.groups
    assert group.title == title and not group.title_derived
    assert [b.citations for b in group.bullets] == [(1,), (2,), (3,)]
    assert all(len(b.sentences) == 1 for b in group.bullets)
    assert not any(b.text[0].isdigit() for b in group.bullets)  # the item numbers are gone


def test_chinese_numbered_viewpoints_become_groups() -> None:
    doc = parse_fixture("zh_views.txt")
    assert doc.core_viewpoint is not None and doc.core_viewpoint.text == "造车不能照搬手机模式。"
    assert [g.title for g in doc.groups] == ["安全是底线", "危机公关失灵"]
    assert [len(g.sentences) for g in doc.groups] == [2, 2]
    assert [g.bullets[0].citations for g in doc.groups] == [(5,), (6, 8)]


def test_chinese_ordinal_headings_become_groups() -> None:
    doc = parse_fixture("zh_cn_ordinals.txt")
    assert doc.kind == "summary"
    assert [g.title for g in doc.groups] == ["研发周期被严重压缩", "消费者预期发生变化"]
    assert bullet_texts(doc) == [
        ["汽车研发通常需要五到七年，小米试图用手机的节奏造车。"],
        ["车主更看重安全与可靠，而不是新奇的功能。"],
    ]


def test_headline_at_the_end_and_no_date() -> None:
    doc = parse_fixture("zh_headline_at_end.txt")
    assert doc.title == "小米汽车陷入困境,问题出在哪?"
    assert doc.published_at is None
    assert doc.source is None
    assert [g.title for g in doc.groups] == ["信任与舆情", "行业标准"]
    assert doc.groups[-1].bullets[-1].text == "小米应从营销转向打造真正安全可靠的产品。"


def test_headline_glued_after_the_last_bullet_on_one_line() -> None:
    text = (FIXTURES / "zh_headline_at_end.txt").read_text(encoding="utf-8").replace("\n", " ")
    doc = parse_document(text)
    assert doc.title == "小米汽车陷入困境,问题出在哪?"
    assert doc.groups[-1].bullets[-1].citations == (10,)


def test_chinese_news_article() -> None:
    doc = parse_fixture("zh_news.txt")
    assert doc.kind == "article"
    assert doc.title == "国家统计局：前三季度国内生产总值同比增长5.2%"
    assert doc.source == "新华社"
    assert doc.published_at is not None and doc.published_at.isoformat() == "2016-10-14T07:17:00+08:00"
    assert doc.core_viewpoint is None
    # one line per paragraph, blank-line blocks as sections; editor line and （完） dropped
    assert [len(g.bullets) for g in doc.groups] == [2, 1]
    assert all(g.title_derived and g.title for g in doc.groups)
    texts = [s.text for s in doc.sentences]
    assert "房地产市场仍在调整之中……" in texts
    assert not any("责任编辑" in t or "（完）" in t for t in texts)
    assert_positions(doc)


def test_english_news_article_with_wrapped_lines() -> None:
    doc = parse_fixture("en_news.txt")
    assert doc.kind == "article"
    assert doc.title == "Xiaomi shares slide as EV recall widens"
    assert doc.source == "Reuters"
    assert doc.published_at == datetime(2025, 10, 27, tzinfo=CHINA)
    (section,) = doc.groups  # no headings, hard-wrapped: one section, each block a paragraph
    assert len(section.bullets) == 3
    assert section.bullets[0].text.startswith("Shares of Xiaomi Corp. fell 5.1% in Hong Kong")
    assert "recall more than 100,000" in section.bullets[0].text  # wrapped lines joined
    assert [len(b.sentences) for b in section.bullets] == [2, 2, 1]


def test_headline_less_short_article_is_one_section_with_derived_title() -> None:
    doc = parse_fixture("en_short_no_headline.txt")
    assert doc.kind == "article" and doc.title is None and doc.published_at is None
    (section,) = doc.groups
    assert section.title_derived
    assert section.title.split(", ")[0].split()[0] in {"Battery", "Plant"}  # what the text keeps naming
    assert len(section.sentences) == 3


def test_article_with_headings_starts_sections() -> None:
    text = (
        "# Xiaomi EV sales\n\nSource: Bloomberg\n2025-10-27T12:11:00Z\n\n"
        "## Sales\nDeliveries rose to 40,000 units in October. Orders remain strong.\n\n"
        "## Risks\nA recall could slow demand.\n"
    )
    doc = parse_document(text)
    assert doc.kind == "article"
    assert doc.title == "Xiaomi EV sales"
    assert doc.source == "Bloomberg"
    assert doc.published_at == datetime(2025, 10, 27, 12, 11, tzinfo=UTC)
    assert [g.title for g in doc.groups] == ["Sales", "Risks"]
    assert not any(g.title_derived for g in doc.groups)


def test_chinese_article_with_ordinal_section_headings() -> None:
    text = (
        "新浪财经 2025-10-27\n\n一、市场表现\n本月销量同比增长两成。\n\n二、风险提示\n价格战可能压缩利润。\n"
    )
    doc = parse_document(text)
    assert doc.source == "新浪财经"
    assert [g.title for g in doc.groups] == ["市场表现", "风险提示"]


@pytest.mark.parametrize(
    ("text", "citations", "clean"),
    [
        ("好[1][3]。", (1, 3), "好。"),
        ("好 [1,3].", (1, 3), "好."),
        ("好［1］。", (1,), "好。"),
        ("good [1-3].", (1, 2, 3), "good."),
        ("good [2, 2].", (2,), "good."),
        ("in [2025] it rose [0].", (), "in [2025] it rose [0]."),
        ("huge [1-900].", (1, 900), "huge."),
    ],
)
def test_citations(text: str, citations: tuple[int, ...], clean: str) -> None:
    assert extract_citations(text) == (clean, citations)


def test_source_alias_mapping() -> None:
    doc = parse_document("某个标题\nJie Mian Xin Wen·2025-10-27 09:00\n\nCore Viewpoint - 内容很好[1]。")
    assert (doc.source, doc.source_alias) == ("Jie Mian Xin Wen", "界面新闻")
    doc = parse_document(
        "Headline here\n21 Shi Ji Jing Ji Bao Dao · 2025/10/27\n\nCore Viewpoint - Fine [1]."
    )
    assert (doc.source, doc.source_alias) == ("21 Shi Ji Jing Ji Bao Dao", "21世纪经济报道")


def test_derive_title_is_readable() -> None:
    assert derive_title("Battery recall. The battery recall hurts sales. Battery safety matters.").startswith(
        "Battery"
    )
    zh = derive_title("电池召回影响销量。电池安全问题引发关注。召回规模扩大。")
    assert "、" in zh and "电池" in zh


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n", "\u3000"])
def test_empty_text_raises_structure_error(text: str) -> None:
    with pytest.raises(StructureError):
        parse_document(text)


@pytest.mark.parametrize(
    "text", ["小米汽车陷入困境", "Hello", "2025-10-27", "Source: Reuters", "[1]", "- - -"]
)
def test_degenerate_inputs_never_fail(text: str) -> None:
    doc = parse_document(text)
    if any(ch.isalnum() for ch in text.replace("[1]", "")):
        assert doc.sentences, text


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_nfkc_normalized_text_parses_to_the_same_shape(name: str) -> None:
    """The reader applies NFKC (full-width ：！？； become ASCII): the structure must not change."""
    import unicodedata

    def shape(doc: Document) -> tuple[object, ...]:
        return (
            doc.kind,
            doc.title is None,
            doc.source is None,
            doc.published_at,
            doc.core_viewpoint is None,
            [[(b.citations, len(b.sentences)) for b in g.bullets] for g in doc.groups],
            [g.title_derived for g in doc.groups],
        )

    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert shape(parse_document(unicodedata.normalize("NFKC", text))) == shape(parse_document(text))


def test_bracketed_lead_is_the_headline_or_the_outlet() -> None:
    doc = parse_document("【小米SU7召回超11万辆】小米汽车宣布召回部分车辆。原因是辅助驾驶存在隐患。")
    assert doc.title == "小米SU7召回超11万辆"
    assert [s.text for s in doc.sentences] == ["小米汽车宣布召回部分车辆。", "原因是辅助驾驶存在隐患。"]
    doc = parse_document("【新浪财经】小米汽车宣布召回部分车辆。")
    assert (doc.title, doc.source) == (None, "新浪财经")


# -- key-value header blocks (scraped articles, exports) ------------------------------------------


def test_chinese_header_block_gives_title_date_source_and_stays_out_of_the_body() -> None:
    doc = parse_document(
        "标题: 小米SU7事故引发热议\n日期: 2025-10-27\n来源: 新浪财经\n链接: https://finance.sina.com.cn/x.html\n\n"
        "小米汽车近日发生多起事故，引发消费者对其安全性的担忧。公司回应称将全力配合调查。"
    )
    assert (doc.title, doc.source) == ("小米SU7事故引发热议", "新浪财经")
    assert doc.published_at is not None and doc.published_at.date().isoformat() == "2025-10-27"
    texts = [s.text for s in doc.sentences]
    assert texts[0].startswith("小米汽车近日") and not any("链接" in t or "http" in t for t in texts)


def test_full_width_colons_time_and_author_lines() -> None:
    doc = parse_document(
        "题目：雷军回应小米汽车质疑\n发布时间：2016年10月14日07:17\n作者：张三\n来源：新华社\n原文链接：http://x.cn/1\n\n"
        "正文第一段，内容足够长，足够作为一句话。第二句话在这里。"
    )
    assert (doc.title, doc.source) == ("雷军回应小米汽车质疑", "新华社")
    assert doc.published_at is not None and (doc.published_at.hour, doc.published_at.minute) == (7, 17)
    assert doc.sentences[0].text.startswith("正文第一段")


def test_english_header_block() -> None:
    doc = parse_document(
        "Title: Xiaomi faces questions over SU7 safety\nPublished: 2025-10-27 20:11\nSource: Reuters\n"
        "URL: https://example.com/a\n\nXiaomi said on Monday it would cooperate with regulators. "
        "Shares fell 3% in Hong Kong."
    )
    assert (doc.title, doc.source) == ("Xiaomi faces questions over SU7 safety", "Reuters")
    assert doc.published_at is not None and doc.published_at.hour == 20
    assert len(doc.sentences) == 2


def test_header_values_beat_the_body() -> None:
    doc = parse_document(
        "标题: 真正的标题\n来源: 财新网\n日期: 2024-05-01\n\n"
        "另一个像标题的短行\n2023年1月1日 来源：别的媒体\n正文从这里开始，讲述了很长的一段故事。"
    )
    assert (doc.title, doc.source) == ("真正的标题", "财新网")
    assert doc.published_at is not None and doc.published_at.year == 2024


# -- front matter, labelled lines and wire datelines (issue 11 item 5) ---------------------------


def test_yaml_front_matter_is_a_header_block_and_unknown_keys_are_skipped() -> None:
    doc = parse_document(
        '---\nlayout: post\ntitle: "Python 3.6.0 is now available!"\ndate: 2016-12-23T05:11:00-05:00\n'
        "author: Ned Deily\npublisher: Python Insider\ntags: [release, python]\n---\n\n"
        "Python 3.6.0 is the newest major release of the Python language. It contains many new features."
    )
    assert (doc.title, doc.source) == ("Python 3.6.0 is now available!", "Python Insider")
    assert doc.published_at == datetime(2016, 12, 23, 5, 11, tzinfo=timezone(timedelta(hours=-5)))
    assert doc.sentences[0].text.startswith("Python 3.6.0 is the newest")
    assert not any("layout" in s.text or "---" in s.text for s in doc.sentences)


def test_toml_front_matter_and_chinese_keys() -> None:
    doc = parse_document(
        '+++\n标题 = "顺德区大良街道党工委委员一行到众创金融街开展调研工作"\n日期 = 2019-03-06\n来源于 = "东区办事处"\n+++\n'
        "2019年2月27日下午，调研组一行八人到众创金融街进行实地考察调研。"
    )
    assert (doc.title, doc.source) == ("顺德区大良街道党工委委员一行到众创金融街开展调研工作", "东区办事处")
    assert doc.published_at == datetime(2019, 3, 6, tzinfo=CHINA)


def test_unclosed_fence_is_not_front_matter() -> None:
    doc = parse_document("---\n小米汽车宣布召回部分车辆。\n原因是辅助驾驶存在隐患。")
    assert doc.title is None and len(doc.sentences) == 2


def test_source_stops_at_the_next_label_and_laiyuanyu_is_a_source_label() -> None:
    doc = parse_document(
        "# 午间公告：天奇股份中标广汽丰田项目\n\n2019-09-26 12:11 来源：证券时报网 作者：李在山\n\n"
        "证券时报e公司讯，当升科技竞得常州市工业用地。金陵药业获公司总裁助理增持。"
    )
    assert doc.source == "证券时报网"
    assert doc.published_at == datetime(2019, 9, 26, 12, 11, tzinfo=CHINA)
    doc = parse_document(
        "调研工作座谈会召开\n来源于：东区办事处\n\n会上，市、区领导分别介绍了众创金融街的发展情况。"
    )
    assert doc.source == "东区办事处"


def test_a_weekday_before_the_date_is_not_a_source() -> None:
    doc = parse_document(
        "Friday, December 23, 2016\nPython 3.6.0 is now available!\n\n"
        "Python 3.6.0 is the newest major release of the Python language. It contains many new features."
    )
    assert (doc.title, doc.source) == ("Python 3.6.0 is now available!", None)
    assert doc.published_at is not None and doc.published_at.date().isoformat() == "2016-12-23"


def test_labeled_publication_date_closing_the_article() -> None:
    doc = parse_document(
        "调研工作座谈会召开\n来源于：东区办事处\n\n2019年2月27日下午，调研组一行八人到众创金融街进行实地考察调研。\n\n"
        "发布日期：2019-03-06 责任编辑：龙慧"
    )
    assert doc.published_at == datetime(2019, 3, 6, tzinfo=CHINA)  # not the event date in the body
    assert not any("发布日期" in s.text for s in doc.sentences)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("LOS ANGELES (Reuters) - South Korean thriller Parasite won on Sunday. It was an upset.", "Reuters"),
        ("BEIJING, Oct 27 (Reuters) - China's exports rose in September. Imports fell.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday. The vote was close.", "AP"),
        ("新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国跨行业大罢工。巴黎交通几乎完全瘫痪。", "新华社"),
    ],
)
def test_wire_dateline_names_the_source(text: str, source: str) -> None:
    doc = parse_document(text)
    assert (doc.title, doc.source) == (None, source)


def test_header_source_beats_a_wire_dateline() -> None:
    doc = parse_document("来源：新华网\n\n新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国跨行业大罢工。")
    assert doc.source == "新华网"
