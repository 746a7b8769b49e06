"""Tests for analysis.readers: formats, encodings, normalisation, metadata and every error code."""

from __future__ import annotations

import io
import pickle
import socket
import time
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import docx
import pypdf
import pytest
from test_readers_support import (
    docx_shaped_zip,
    make_docx,
    minimal_pdf,
    understate_member_size,
)

from analysis import errors, readers
from analysis.errors import OpinionLensError
from analysis.readers import (
    MAX_BYTES,
    ReaderError,
    ReadResult,
    decode_text,
    normalize_text,
    read_document,
)

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"

CHINESE = (
    "小米汽车陷入困境，问题出在哪？\n\n负面舆情达到96%，净情感值跌至-96%。\n用户信任崩塌……五到七年才能重建！"
)

BEIJING = timezone(timedelta(hours=8))


def reader_error(data: bytes, filename: str | None = None) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        read_document(data, filename)
    return caught.value


# ---------------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize(
    ("codec", "expected_name"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
        ("utf-16", "utf-16"),  # with BOM
        ("utf-16-le", "utf-16-le"),  # BOM-less, found from the NUL pattern of its ASCII characters
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_chinese_text_decodes_in_every_supported_encoding(codec: str, expected_name: str) -> None:
    data = CHINESE.encode(codec)
    if codec == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    text, name = decode_text(data)
    assert text == CHINESE
    assert name == expected_name
    result = read_document(data, "article.txt")
    assert result.text == normalize_text(CHINESE)
    assert result.encoding == expected_name
    assert result.format == "txt"


def test_gb18030_is_not_mistaken_for_latin1() -> None:
    text, name = decode_text("舆情透镜：负面情绪".encode("gb18030"))
    assert (text, name) == ("舆情透镜：负面情绪", "gb18030")


def test_seed_article_reads_back_byte_identically() -> None:
    data = SEED.read_bytes()
    result = read_document(data, SEED.name)
    assert result.text.encode("utf-8") == data
    assert result.encoding == "utf-8"
    assert result.format == "txt"
    assert result.filename == SEED.name
    assert result.title is None  # the structure parser finds the title in the text


# ---------------------------------------------------------------------------------------------
# Normalisation


def test_nfkc_folds_kangxi_radicals_from_pdfs() -> None:
    assert normalize_text("⼩⽶汽⻋") == "小米汽车"


def test_nfkc_folds_full_width_digits_but_keeps_numbers_intact() -> None:
    assert normalize_text("增长１．５％，达到２００,０００辆") == "增长1.5%，达到200,000辆"


def test_chinese_sentence_punctuation_is_kept_as_written() -> None:
    text = "真的吗？是的！第一；第二：好（注）……结束。"
    assert normalize_text(text) == text
    assert normalize_text("3，5") == "3，5"  # never becomes the number "3,5"


def test_circled_numbers_are_not_merged_into_following_digits() -> None:
    assert normalize_text("⑩2025年") == "⑩2025年"


def test_whitespace_line_endings_and_invisible_characters() -> None:
    raw = (
        "\ufeff第一段\u200b文字\r\n  第二行\t\t带\u3000空格  \r\n\r\n\r\n\r\n第二段\u00a0end\x07\u2029第三段"
    )
    assert normalize_text(raw) == "第一段文字\n第二行 带 空格\n\n第二段 end\n\n第三段"


def test_normalize_is_idempotent_on_the_seed() -> None:
    once = normalize_text(SEED.read_text("utf-8"))
    assert normalize_text(once) == once


# ---------------------------------------------------------------------------------------------
# Markdown

MARKDOWN = """# 小米汽车的信任危机

**核心观点**：用户的[负面情绪](https://example.com/a "链接")已达到 __96%__。

- 第一点 ![图](img.png)
- 第二点

| 指标 | 数值 |
|------|-----:|
| 负面 | 96% |
"""


def test_markdown_keeps_headings_and_lists_and_strips_emphasis_and_links() -> None:
    result = read_document(MARKDOWN.encode(), "notes.md")
    assert result.format == "md"
    assert result.text == (
        "# 小米汽车的信任危机\n\n核心观点：用户的负面情绪已达到 96%。\n\n- 第一点 图\n- 第二点\n\n"
        "| 指标 | 数值 |\n| 负面 | 96% |"
    )


def test_plain_text_keeps_markdown_syntax_untouched() -> None:
    assert read_document(b"**not stripped** in .txt", "a.txt").text == "**not stripped** in .txt"


# ---------------------------------------------------------------------------------------------
# HTML

ARTICLE_HTML = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<title>小米汽车陷入困境,问题出在哪? - 新浪财经</title>
<meta property="og:title" content="小米汽车陷入困境,问题出在哪?">
<meta property="og:site_name" content="新浪财经">
<meta property="article:published_time" content="2025-10-27T20:11:00+08:00">
</head><body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/stock">股票导航频道</a></li></ul></nav>
<header><div class="banner">顶部广告横幅</div></header>
<article>
<h1>小米汽车陷入困境,问题出在哪?</h1>
<p>小米汽车的负面舆情已经达到96%，净情感值跌至-96%，用户的信任出现了严重的崩塌，这是近年来少见的情况。</p>
<p>雷军此前在手机业务上的成功经验，并不能直接复制到汽车制造领域，汽车的安全责任远高于手机。</p>
<ul><li>要点一：信任危机持续发酵</li><li>要点二：<b>舆论</b>强烈反弹</li></ul>
<p>分析人士认为，小米需要五到七年时间才能重建用户信任，期间需要持续投入质量管理。</p>
</article>
<footer><p>版权所有 页脚联系我们</p></footer>
<script>var tracking = "脚本里的文字";</script>
</body></html>
"""


def test_html_article_body_is_extracted_without_boilerplate() -> None:
    result = read_document(ARTICLE_HTML.encode("utf-8"), "article.html")
    assert result.format == "html"
    assert result.encoding == "utf-8"
    assert "净情感值跌至-96%" in result.text
    assert "五到七年" in result.text
    assert "- 要点二：舆论强烈反弹" in result.text  # list marker kept, bold stripped
    assert "\n\n" in result.text  # paragraphs stay separated for the structure parser
    for boilerplate in ("股票导航频道", "顶部广告横幅", "页脚联系我们", "脚本里的文字", "<p>"):
        assert boilerplate not in result.text


def test_html_reading_makes_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = ARTICLE_HTML.replace(
        "<head>", "<head><link rel='canonical' href='https://finance.sina.com.cn/x.html'>"
    )
    result = read_document(page.encode(), "article.html")
    assert "五到七年" in result.text
    assert result.source == "新浪财经"


def test_html_metadata_title_site_and_published_time() -> None:
    result = read_document(ARTICLE_HTML.encode("utf-8"), "article.html")
    assert result.title == "小米汽车陷入困境,问题出在哪?"
    assert result.source == "新浪财经"
    assert result.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=BEIJING)
    assert result.published_at is not None and result.published_at.tzinfo is not None


def test_html_is_sniffed_without_a_filename_and_in_gbk() -> None:
    result = read_document(ARTICLE_HTML.replace("utf-8", "gbk").encode("gbk"))
    assert result.format == "html"
    assert result.encoding == "gb18030"
    assert "五到七年" in result.text
    assert "股票导航频道" not in result.text


def test_html_fragment_is_sniffed_but_angle_brackets_in_text_are_not() -> None:
    fragment = read_document(b"<p>Hello <b>world</b></p><p>Two</p>")
    assert (fragment.format, fragment.text) == ("html", "Hello world\n\nTwo")
    assert read_document(b"<3 love this article").format == "txt"


def test_short_html_page_falls_back_to_visible_text_without_nav() -> None:
    page = b"<html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5 NavLink</nav><span>Only a span of text</span><footer>Foot</footer></body></html>"
    result = read_document(page, "short.htm")
    assert result.text == "Only a span of text"


def test_html_visible_text_fallback_skips_scripts_and_page_furniture() -> None:
    page = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<header>Site header</header><nav>Menu</nav><div>First block<br>second line</div>"
        "<p>Para two</p><script>alert('x')</script><aside>Ad</aside><footer>Footer</footer></body></html>"
    )
    text = normalize_text(readers._html_visible_text(page))
    assert text == "First block\nsecond line\n\nPara two"


def test_html_in_a_declared_legacy_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9 \u2013 all good.</p></body></html>'
    result = read_document(page.encode("cp1252"), "page.html")
    assert result.encoding == "cp1252"
    assert "Café crème, naïve résumé – all good." in result.text


def test_xhtml_with_xml_declaration() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>正文内容在这里</p></body></html>'
    result = read_document(page.encode(), "page.xhtml")
    assert result.text == "正文内容在这里"


def test_html_with_no_visible_text_is_no_text() -> None:
    page = b"<html><head><script>var a = 1;</script><style>p {}</style></head><body> <img src='x.png'> </body></html>"
    error = reader_error(page, "a.html")
    assert error.code == "no_text"
    assert str(error) == "the HTML page has no visible text"


# -- page titles, dates and sources (issue 11 item 5: article layouts) --------------------------------

_BODY = (
    "<p>法国9日再次爆发全国跨行业大罢工，反对政府进行退休制度改革，首都巴黎交通几乎完全瘫痪。</p>"
    "<p>工会号召10日继续举行全国跨行业大罢工及游行，预计交通、教育等多个行业都将受到影响。</p>"
)


def html_page(head: str, body: str = _BODY) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()
    )


@pytest.mark.parametrize(
    ("head", "title", "source"),
    [
        # og:title agrees with the start of <title>: the rest is section and site names
        (
            "<title>中国人习以为常的地方 为何老外却说“了不得”？|公园_新浪新闻</title>"
            "<meta property='og:title' content='中国人习以为常的地方 为何老外却说“了不得”？'>",
            "中国人习以为常的地方 为何老外却说“了不得”？",
            "新浪新闻",
        ),
        # og:title carries the suffix too: the JSON-LD headline agrees
        (
            "<title>Obama admits US gun laws are his 'biggest frustration' - BBC News</title>"
            "<meta property='og:title' content=\"Obama admits US gun laws are his 'biggest frustration' - BBC News\">"
            '<script type="application/ld+json">{"@type": "Article", "headline": '
            "\"Obama admits US gun laws are his 'biggest frustration'\", "
            '"publisher": {"@type": "Organization", "name": "BBC News"}}</script>',
            "Obama admits US gun laws are his 'biggest frustration'",
            "BBC News",
        ),
        # the site name before the headline
        (
            "<title>Python Insider: Python 3.6.0 is now available!</title>"
            "<meta property='og:title' content='Python 3.6.0 is now available!'>",
            "Python 3.6.0 is now available!",
            "Python Insider",
        ),
        # nothing agrees: only segments naming the site go, sections joined to them too
        (
            "<title>共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性_10%公司_澎湃新闻-The Paper</title>",
            "共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性",
            "澎湃新闻",
        ),
        (
            "<title>Angela Carter's 'carnival' London home receives blue plaque | Books | The Guardian</title>"
            "<meta property='og:site_name' content='the Guardian'>",
            "Angela Carter's 'carnival' London home receives blue plaque",
            "The Guardian",  # as the <title> writes it
        ),
    ],
)
def test_html_title_loses_the_site_name_and_gives_the_source(head: str, title: str, source: str) -> None:
    result = read_document(html_page(head), "page.html")
    assert (result.title, result.source) == (title, source)


@pytest.mark.parametrize(
    "title",
    [
        "Bitcoin - the next bubble?",
        "Why I left - and why I came back",
        "Brexit: what happens next",
        "Annual Report 2023",
    ],
)
def test_html_long_title_containing_a_dash_keeps_its_full_text(title: str) -> None:
    head = f"<title>{title} - Reuters</title><link rel='canonical' href='https://www.reuters.com/article/x'>"
    assert read_document(html_page(head), "page.html").title == title
    bare = read_document(html_page(f"<title>{title}</title><h1>Annual Report</h1>"), "page.html")
    assert bare.title == title  # a heading that is only the start of the title does not cut it


def test_html_chinese_meta_dates_and_a_same_day_dateline_adds_the_time() -> None:
    head = (
        "<title>法国全国大罢工再次严重影响交通-新华网</title><meta name='publishdate' content='2019-12-10'>"
    )
    body = (
        "<h1>法国全国大罢工再次严重影响交通</h1><div>2019-12-10 07:57:40 <span>来源：<em>新华网</em></span></div>"
        + _BODY
    )
    result = read_document(html_page(head, body), "page.html")
    assert result.title == "法国全国大罢工再次严重影响交通"
    assert result.published_at == datetime(2019, 12, 10, 7, 57, 40, tzinfo=BEIJING)
    assert result.source == "新华网"
    weibo = html_page("<title>x</title><meta name='weibo: article:create_at' content='2019-11-25 18:57:38'>")
    assert read_document(weibo, "page.html").published_at == datetime(
        2019, 11, 25, 18, 57, 38, tzinfo=BEIJING
    )


@pytest.mark.parametrize(
    ("body", "published", "source"),
    [
        # the dateline under the headline, an unlabelled outlet on it
        (
            "<h1>中国人习以为常的地方</h1><div class='date-source'><span>2019年11月25日 18:57</span>"
            "<a class='source'>参考消息</a></div>",
            datetime(2019, 11, 25, 18, 57, tzinfo=BEIJING),
            "参考消息",
        ),
        # "来源：… 作者：…" on one line: the source stops at the next label
        (
            "<h2>午间公告：天奇股份中标广汽丰田项目</h2><div>2019-09-26 12:11<span>来源：证券时报网</span>"
            "<span>作者：李在山</span></div>",
            datetime(2019, 9, 26, 12, 11, tzinfo=BEIJING),
            "证券时报网",
        ),
        # an event date opens the body; the labelled publication date is at the bottom
        (
            "<b>顺德区大良街道党工委委员到众创金融街开展调研工作</b><br><font>来源于：东区办事处</font>"
            "<p>2019年2月27日下午，佛山顺德区大良街道党工委委员一行八人到众创金融街进行实地考察调研。</p>"
            + _BODY
            + "<div>发布日期：2019-03-06 责任编辑：龙慧</div>",
            datetime(2019, 3, 6, tzinfo=BEIJING),
            "东区办事处",
        ),
    ],
)
def test_html_visible_dateline_and_source_when_the_head_has_none(
    body: str, published: datetime | None, source: str | None
) -> None:
    result = read_document(html_page("<title>新闻</title>", body), "page.html")
    assert (result.published_at, result.source) == (published, source)


def test_html_dates_in_a_sidebar_below_the_article_do_not_refine_its_date() -> None:
    head = "<title>法国全国大罢工再次严重影响交通</title><meta name='publishdate' content='2019-12-10'>"
    body = (
        "<h1>法国全国大罢工再次严重影响交通</h1>"
        + _BODY
        + "<ul><li>热帖<div>2019-12-10 08:58:39</div></li><li>热帖<div>2018-03-02 08:58:39</div></li></ul>"
    )
    assert read_document(html_page(head, body), "page.html").published_at == datetime(
        2019, 12, 10, tzinfo=BEIJING
    )


def test_html_site_names_that_are_hosts_or_copyright_lines_are_not_sources() -> None:
    head = "<title>女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网</title><meta name='copyright' content='人民网版权所有'>"
    result = read_document(html_page(head), "page.html")
    assert result.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    assert result.source == "人民网"
    edition = html_page("<title>Parasite wins</title><meta property='og:site_name' content='U.S.'>")
    assert read_document(edition, "page.html").source is None


# ---------------------------------------------------------------------------------------------
# DOCX


def test_docx_paragraphs_tables_and_core_properties() -> None:
    data = make_docx(
        ["小米汽车的负面舆情已经达到96%。", "用户信任崩塌，需要五到七年重建。"],
        heading="小米汽车陷入困境",
        bullets=["要点一：信任", "要点二：质量"],
        table=[["指标", "数值"], ["负面", "96%"]],
        title="小米汽车的信任危机",
        created=datetime(2025, 10, 27, 12, 11),
    )
    result = read_document(data, "report.docx")
    assert result.format == "docx"
    assert result.encoding is None
    assert result.text == (
        "# 小米汽车陷入困境\n\n小米汽车的负面舆情已经达到96%。\n\n用户信任崩塌，需要五到七年重建。\n\n"
        "- 要点一：信任\n\n- 要点二：质量\n\n指标\n\n数值\n\n负面\n\n96%"
    )
    assert result.title == "小米汽车的信任危机"
    assert result.published_at == datetime(2025, 10, 27, 12, 11, tzinfo=UTC)
    assert read_document(data).format == "docx"  # sniffed from the zip's word/document.xml


def test_docx_heading_styles_with_numeric_ids_as_chinese_word_writes_them() -> None:
    document = docx.Document()
    for level in (1, 2):  # Chinese Word names the style "heading 1" but gives it the id "1"
        document.styles[f"Heading {level}"].element.styleId = str(level)
    document.add_heading("第一部分", level=1)
    document.add_heading("小节", level=2)
    document.add_paragraph("正文。")
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_document(buffer.getvalue(), "zh.docx").text == "# 第一部分\n\n## 小节\n\n正文。"


def test_long_docx_reads_quickly() -> None:
    data = make_docx([f"第{i}段：小米汽车的负面舆情已经达到96%。" for i in range(3000)])
    started = time.perf_counter()
    result = read_document(data, "long.docx")
    assert result.text.count("\n\n") == 2999
    assert time.perf_counter() - started < 3.0  # per-paragraph style lookups used to take ~4 s here


def test_docx_without_properties_has_no_title_or_template_date() -> None:
    result = read_document(make_docx(["只有一段文字。"]), "plain.docx")
    assert result.text == "只有一段文字。"
    assert result.title is None
    assert result.published_at is None  # python-docx's template date (2013) is not a publication date


def test_docx_without_text_is_no_text() -> None:
    error = reader_error(make_docx(["", "   "]), "blank.docx")
    assert (error.code, str(error)) == ("no_text", "the Word document has no text")


def test_docx_that_is_not_a_zip_is_malformed() -> None:
    error = reader_error("这不是一个Word文件".encode(), "fake.docx")
    assert error.code == "malformed"
    assert str(error) == "the .docx is not a valid Word file (not a ZIP archive, or a damaged one)"


def test_zip_without_word_document_is_malformed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = reader_error(buffer.getvalue(), "x.docx")
    assert error.code == "malformed"
    assert "word/document.xml is missing" in str(error)
    sniffed = reader_error(buffer.getvalue())
    assert sniffed.code == "unsupported"
    assert str(sniffed) == "the file is a ZIP archive but not a Word (.docx) document"


def test_docx_with_broken_xml_is_malformed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    error = reader_error(buffer.getvalue(), "broken.docx")
    assert error.code == "malformed"
    assert str(error).startswith("the .docx could not be parsed as a Word document")


def test_docx_compression_ratio_bomb_is_rejected_before_parsing() -> None:
    bomb = docx_shaped_zip("word/media/zeros.bin", 16 * 1024 * 1024)  # 16 MiB of zeros, ~16 KB zipped
    assert len(bomb) < 100_000
    error = reader_error(bomb, "bomb.docx")
    assert error.code == "malformed"
    assert "decompression bomb" in str(error)
    assert "'word/media/zeros.bin' expands" in str(error)
    assert "the limit is 100x" in str(error)


def test_docx_total_size_bomb_is_rejected_before_parsing() -> None:
    bomb = docx_shaped_zip("word/media/zeros.bin", readers.MAX_ZIP_UNCOMPRESSED_BYTES + 1)
    error = reader_error(bomb, "bomb.docx")
    assert error.code == "malformed"
    assert "decompression bomb" in str(error)
    assert "the limit is 200 MB" in str(error)


def test_docx_member_lying_about_its_size_is_not_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/a.bin", bytes(900_000))  # under the ratio floor
    lying = understate_member_size(buffer.getvalue(), "word/media/a.bin", 1_000)
    error = reader_error(lying, "lying.docx")
    assert error.code == "malformed"
    assert str(error) == (
        "the .docx is damaged: member 'word/media/a.bin' cannot be read (Bad CRC-32 for file 'word/media/a.bin')"
    )


# ---------------------------------------------------------------------------------------------
# PDF


def test_pdf_text_and_metadata() -> None:
    data = minimal_pdf(
        ["Xiaomi trust collapsed.\nNegative sentiment reached 96%.", "Rebuilding takes five to seven years."],
        title="Trust Report",
        creation_date="D:20251027201100+08'00'",
    )
    result = read_document(data, "report.pdf")
    assert result.format == "pdf"
    assert result.text == (
        "Xiaomi trust collapsed.\nNegative sentiment reached 96%.\n\nRebuilding takes five to seven years."
    )
    assert result.title == "Trust Report"
    assert result.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=BEIJING)
    assert read_document(data).format == "pdf"  # sniffed from %PDF-


def pdf_with_heading(
    lines: list[tuple[int, str]],
    *,
    title: str | None = None,
    producer: str | None = None,
    creation_date: str | None = None,
) -> bytes:
    """A one-page PDF whose lines are set in the given sizes (pt), top down, with document info."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(["x"]))))
    page = writer.pages[0]
    y, operators = 740, []
    for size, text in lines:
        y -= int(size * 1.6)
        operators.append(f"BT /F1 {size} Tf 72 {y} Td ({text}) Tj ET")
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(" ".join(operators).encode("latin-1"))
    page[pypdf.generic.NameObject("/Contents")] = writer._add_object(stream)
    info = {"/Title": title, "/Producer": producer, "/CreationDate": creation_date}
    writer.add_metadata({key: value for key, value in info.items() if value is not None})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


_PDF_PAGE = [
    (12, "Python Insider"),
    (18, "Friday, December 23, 2016"),
    (24, "Python 3.6.0 is now available!"),
    (12, "Python 3.6.0 is the newest major release of the Python language."),
    (12, "It contains many new features and optimizations for everyone."),
    (16, "Related Links"),
]


@pytest.mark.parametrize(
    "junk",
    [
        "Microsoft Word - release notes.docx",
        "untitled",
        "Untitled-1",
        "release_2016.pdf",
        "3969073602705017876",
    ],
)
def test_pdf_junk_title_gives_way_to_the_first_heading_of_page_one(junk: str) -> None:
    result = read_document(pdf_with_heading(_PDF_PAGE, title=junk), "notes.pdf")
    assert result.title == "Python 3.6.0 is now available!"
    assert result.published_at == datetime(2016, 12, 23, tzinfo=BEIJING)  # the dateline on page 1
    assert result.source == "Python Insider"  # the masthead above the heading
    assert read_document(pdf_with_heading(_PDF_PAGE), "notes.pdf").title == "Python 3.6.0 is now available!"


def test_pdf_good_title_is_kept_and_a_site_suffix_gives_way_to_the_page_line() -> None:
    good = read_document(pdf_with_heading(_PDF_PAGE, title="Release notes, winter 2016"), "a.pdf")
    assert good.title == "Release notes, winter 2016"
    page = [
        (12, "Xinhua"),
        (12, "Strikes paralyse Paris transport"),
        (12, "2019-12-10 07:57:40 Source: Xinhua"),
    ]
    page += [(12, "Paris was at a standstill on Monday as unions walked out again over pensions.")]
    printed = read_document(
        pdf_with_heading(
            page,
            title="Strikes paralyse Paris transport - Xinhua",
            producer="Skia/PDF m156",
            creation_date="D:20261129183848+00'00'",
        ),
        "printed.pdf",
    )
    assert printed.title == "Strikes paralyse Paris transport"
    # a browser's /CreationDate is the print time; the dateline on the page is the article's
    assert printed.published_at == datetime(2019, 12, 10, 7, 57, 40, tzinfo=BEIJING)
    assert printed.source == "Xinhua"


def test_pdf_creation_date_stays_when_the_page_has_no_dateline_and_no_browser_printed_it() -> None:
    page = [(20, "Quarterly outlook"), (12, "Demand recovered in the second half of the year.")]
    result = read_document(
        pdf_with_heading(page, producer="Microsoft Word 2016", creation_date="D:20251027201100+08'00'"),
        "q.pdf",
    )
    assert result.title == "Quarterly outlook"
    assert result.published_at == datetime(2025, 10, 27, 20, 11, tzinfo=BEIJING)
    printed = read_document(
        pdf_with_heading(page, producer="Skia/PDF m156", creation_date="D:20251027201100+08'00'"), "q.pdf"
    )
    assert printed.published_at is None


def test_pdf_kangxi_radicals_from_a_cjk_font_come_out_as_ideographs() -> None:
    # The font's ToUnicode CMap maps A, B, x, C to ⼩ (U+2F29), ⽶ (U+2F76), 汽 and ⻋ (U+2ECB).
    data = minimal_pdf(["ABxC"], to_unicode={"A": "\u2f29", "B": "\u2f76", "x": "\u6c7d", "C": "\u2ecb"})
    raw = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert raw.strip() == "\u2f29\u2f76汽\u2ecb"  # what pypdf sees
    assert read_document(data, "cjk.pdf").text == "小米汽车"


def test_pdf_without_text_is_no_text() -> None:
    error = reader_error(minimal_pdf([None, None]), "scan.pdf")
    assert error.code == "no_text"
    assert str(error) == "the PDF has no extractable text (is it a scanned image?)"


def test_encrypted_pdf_is_malformed() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(["secret text"]))))
    writer.encrypt(user_password="s3cret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = reader_error(buffer.getvalue(), "locked.pdf")
    assert error.code == "malformed"
    assert str(error) == "the PDF is encrypted (password-protected) and cannot be opened"


def test_pdf_encrypted_with_empty_user_password_opens() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(["owner locked only"]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert read_document(buffer.getvalue(), "a.pdf").text == "owner locked only"


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_pdf_with_owner_password_only_opens(algorithm: str) -> None:
    """Many published PDFs are AES-encrypted with an empty user password (an owner password only,
    to restrict printing or copying): they must open. AES needs `cryptography` (pypdf[crypto])."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(["owner locked only"]))))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert pypdf.PdfReader(io.BytesIO(buffer.getvalue())).is_encrypted
    assert read_document(buffer.getvalue(), "aes.pdf").text == "owner locked only"


@pytest.mark.parametrize("cut", [60, 200, 400])
def test_truncated_pdf_is_malformed(cut: int, capfd: pytest.CaptureFixture[str]) -> None:
    data = minimal_pdf(["Some text on the page."])
    error = reader_error(data[:cut], "cut.pdf")
    assert error.code == "malformed"
    assert str(error).startswith("the PDF is damaged")
    assert capfd.readouterr().err == ""  # pypdf's warnings do not leak to stderr


def test_pdf_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.pdf, "MAX_PDF_PAGES", 2)
    error = reader_error(minimal_pdf(["a", "b", "c"]), "long.pdf")
    assert (error.code, str(error)) == ("too_large", "the PDF has 3 pages; the limit is 2")


def test_pdf_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.pdf, "PDF_TIME_BUDGET_S", -1.0)  # already over budget at the first page
    error = reader_error(minimal_pdf(["a"]), "slow.pdf")
    assert error.code == "too_large"
    assert str(error).startswith("reading the PDF took longer than")


# ---------------------------------------------------------------------------------------------
# One test per error code, with its message


def test_error_empty() -> None:
    for data in (b"", b"   \n\t ", b"\xef\xbb\xbf", b"\xff\xfe", "\u3000\n".encode("utf-16")):
        error = reader_error(data, "a.txt")
        assert error.code == "empty"
        assert str(error) in ("the file is empty (0 bytes)", "the file contains only whitespace")
    assert str(reader_error(b"")) == "the file is empty (0 bytes)"


def test_error_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
    error = reader_error(png, "image.txt")
    assert error.code == "binary"
    assert str(error) == "the file contains NUL bytes: it is binary data, not text"
    controls = reader_error(bytes(range(1, 32)) * 4)
    assert controls.code == "binary"
    assert "control characters" in str(controls)


def test_error_binary_names_a_pdf_with_the_wrong_extension() -> None:
    error = reader_error(minimal_pdf(["x"]), "report.txt")
    assert error.code == "binary"
    assert "it looks like a PDF; is the file extension wrong?" in str(error)


def test_error_too_large() -> None:
    error = reader_error(b"a" * (MAX_BYTES + 1), "big.txt")
    assert error.code == "too_large"
    assert str(error) == "the file is 20.0 MiB; the limit is 20 MiB"


def test_error_no_text() -> None:
    error = reader_error("12,345 — 67.8% !!! ？？ 2025-10-27".encode(), "numbers.txt")
    assert error.code == "no_text"
    assert str(error) == "the file contains no words (no letters or Chinese characters)"


def test_error_malformed() -> None:
    error = reader_error(b"%PDF-1.7\nthis is not really a pdf", "x.pdf")
    assert error.code == "malformed"
    assert str(error).startswith("the PDF is damaged and cannot be opened")


def test_error_undecodable() -> None:
    latin1 = "Café au lait, très bon: naïve résumé.".encode("latin-1")
    error = reader_error(latin1, "menu.txt")
    assert error.code == "undecodable"
    assert str(error) == (
        "the text could not be decoded as UTF-8, GB18030/GBK or UTF-16; save it as UTF-8 and try again"
    )
    bad_bom = reader_error(b"\xef\xbb\xbfabc\xff\xfe\xfd", "a.txt")
    assert bad_bom.code == "undecodable"
    assert "byte-order mark" in str(bad_bom)


@pytest.mark.parametrize("name", ["virus.exe", "photo.PNG", "old.doc", "table.csv"])
def test_error_unsupported(name: str) -> None:
    error = reader_error(b"anything", name)
    assert error.code == "unsupported"
    suffix = name[name.rindex(".") :].lower()
    assert str(error) == (
        f"unsupported file type {suffix!r}; supported: .txt, .text, .md, .markdown, .html, .htm, .xhtml, .docx, .pdf"
    )


def test_every_error_code_is_covered_here() -> None:
    import typing

    assert set(typing.get_args(errors.ErrorCode)) == {
        "empty",
        "binary",
        "too_large",
        "no_text",
        "malformed",
        "undecodable",
        "unsupported",
    }


# ---------------------------------------------------------------------------------------------
# API details


def test_reader_error_is_an_opinion_lens_error_and_pickles_with_its_code() -> None:
    error = ReaderError("no_text", "nothing to read")
    assert isinstance(error, OpinionLensError)
    assert not isinstance(error, ValueError)  # pages catch the family, never a bare ValueError
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.code, str(clone)) == ("no_text", "nothing to read")


def test_read_result_is_frozen() -> None:
    result = read_document(b"hello world", "a.txt")
    assert isinstance(result, ReadResult)
    with pytest.raises(AttributeError):
        result.text = "changed"  # type: ignore[misc]


def test_filename_without_extension_is_sniffed() -> None:
    assert read_document(b"just text", "README").format == "txt"
    assert read_document(b"just text", None).filename is None


def test_unexpected_library_failure_becomes_reader_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(data: bytes) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(readers.document, "_read_pdf", explode)
    error = reader_error(minimal_pdf(["x"]), "a.pdf")
    assert error.code == "malformed"
    assert str(error) == "the pdf could not be read: RecursionError: maximum recursion depth exceeded"
