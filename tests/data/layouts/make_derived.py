"""Rebuild the derived documents of the layout suite (text exports and PDFs) from its real pages.

Not run by the tests: its outputs are committed. It needs lxml and pypdf (project dependencies) and,
for the PDFs, a headless Chromium (`/usr/bin/chromium`, the browser tests' one):

    python tests/data/layouts/make_derived.py

Every derived file holds only text taken from one of the real pages beside it (its headline,
its dateline as printed on the page, its paragraphs); the layout around that text is one that
people really produce: a scraper's key-value export, text copied from the browser, a Markdown
clipping with front matter, a page printed to PDF by the browser. The PDFs' document information
is then set as real producers leave it (a browser's page title, a Word export's
"Microsoft Word - x.docx", nothing at all, "untitled", a file name, digits). README.md records
which is which.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pypdf

HERE = Path(__file__).resolve().parent


def paragraphs(page: str, xpath: str, limit: int = 4) -> list[str]:
    """The first `limit` non-empty paragraph texts of a page's article container."""
    root = lxml.html.fromstring((HERE / page).read_text(encoding="utf-8"))
    texts = []
    for element in root.xpath(xpath):
        text = (
            " ".join(element.text_content().split())
            if not _cjk(element.text_content())
            else "".join(element.text_content().split())
        )
        if text:
            texts.append(text)
        if len(texts) >= limit:
            break
    return texts


def _cjk(text: str) -> bool:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) > len(text) / 4


TEXT_EXPORTS: dict[str, tuple[str, str, str]] = {
    # name: (source page, article paragraphs xpath, header lines)
    "zh_xinhuanet_export.txt": (
        "zh_xinhuanet_world.html",
        "//div[@id='p-detail']/p",
        "标题：法国全国大罢工再次严重影响交通\n日期：2019-12-10 07:57:40\n来源：新华网\n"
        "链接：http://www.xinhuanet.com/world/2019-12/10/c_1125327450.htm\n",
    ),
    "zh_people_export.txt": (
        "zh_people_culture.html",
        "//div[@id='rwb_zw']/p",
        "题目：女儿出嫁，郑板桥画了几笔兰花当嫁妆\n发布时间：2019年06月15日08:18\n来源：人民网-文化频道\n"
        "原文链接：http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html\n",
    ),
    "en_reuters_export.txt": (
        "en_reuters_parasite.html",
        "//article//p[contains(@class, 'ArticleBody-para')]",
        "Title: 'Parasite' scores historic upset at SAG awards, boosting Oscar chances\n"
        "Author: Jill Serjeant\nPublished: 2020-01-19T12:25:36Z\nSource: Reuters\n"
        "URL: https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH\n",
    ),
    "en_bbc_export.md": (
        "en_bbc_obama.html",
        "//div[@property='articleBody']/p",
        "Title: Obama admits US gun laws are his 'biggest frustration'\nDate: 24 July 2015\n"
        "Source: BBC News\nURL: http://www.bbc.com/news/world-us-canada-33646704\n",
    ),
    "zh_sina_copied.txt": (
        "zh_sina_news.html",
        "//div[@id='article']/p",
        "中国人习以为常的地方 为何老外却说“了不得”？\n2019年11月25日 18:57 参考消息\n",
    ),
    "zh_gmw_copied.txt": (
        "zh_gmw_tech.html",
        "//div[@id='contentMain']/p",
        "宇航员在太空中喝酒会怎么样？后果很严重\n2017-03-10 09:58　来源：网易科学人\n",
    ),
    "zh_stcn_clipping.md": (
        "zh_stcn_kuaixun.html",
        "//div[@id='ctrlfscont']",
        "# 午间公告：天奇股份中标广汽丰田项目；运达股份中标7亿元项目\n\n2019-09-26 12:11 来源：证券时报网 作者：李在山\n",
    ),
    "en_python_insider_copied.txt": (
        "en_python_insider_blog.html",
        "//div[contains(@class, 'post-body')]",
        "Friday, December 23, 2016\nPython 3.6.0 is now available!\n",
    ),
    "zh_zsnews_frontmatter.md": (
        "zh_zsnews_district.html",
        "//td[@style]/p",
        "---\ntitle: 顺德区大良街道党工委委员潘卓辉一行到众创金融街开展调研工作\ndate: 2019-03-06\n"
        "source: 东区办事处\ntags: [东区新闻, 中山网]\n"
        "url: http://www.zsnews.cn/zsdongqu/index/lists/id/337.html\n---\n",
    ),
    "zh_people_copied.txt": (
        "zh_people_culture.html",
        "//div[@id='rwb_zw']/p",
        "女儿出嫁，郑板桥画了几笔兰花当嫁妆\n2019年06月15日08:18  来源：人民网-文化频道\n",
    ),
    "zh_xinhuanet_copied.txt": (
        "zh_xinhuanet_world.html",
        "//div[@id='p-detail']/p",
        "法国全国大罢工再次严重影响交通\n2019-12-10 07:57:40 来源： 新华网\n",
    ),
    "zh_zsnews_copied.txt": (
        "zh_zsnews_district.html",
        "//td[@style]/p",
        "顺德区大良街道党工委委员潘卓辉一行到众创金融街开展调研工作\n来源于：东区办事处\n",
    ),
    "en_python_insider_frontmatter.md": (
        "en_python_insider_blog.html",
        "//div[contains(@class, 'post-body')]",
        '---\nlayout: post\ntitle: "Python 3.6.0 is now available!"\ndate: 2016-12-23T05:11:00-05:00\n'
        "author: Ned Deily\npublisher: Python Insider\n---\n",
    ),
}

# Text that closes a copied page after its paragraphs (the page's own footer line).
TRAILERS = {"zh_zsnews_copied.txt": "发布日期：2019-03-06 责任编辑：龙慧\n"}

# name: (source page, document information to set; None = remove the entry, "keep" = as printed)
PDFS: dict[str, tuple[str, dict[str, str | None]]] = {
    "zh_xinhuanet_printed.pdf": ("zh_xinhuanet_world.html", {}),  # as printed: the page's <title>
    "zh_gmw_word.pdf": ("zh_gmw_tech.html", {"/Title": "Microsoft Word - 探索者稿件0310.docx"}),
    "zh_stcn_titled.pdf": (
        "zh_stcn_kuaixun.html",
        {"/Title": "午间公告：天奇股份中标广汽丰田项目；运达股份中标7亿元项目"},
    ),
    "zh_zsnews_printed.pdf": ("zh_zsnews_district.html", {}),
    "en_bbc_no_info.pdf": ("en_bbc_obama.html", {"/Title": None, "/CreationDate": None, "/ModDate": None}),
    "en_reuters_filename.pdf": ("en_reuters_parasite.html", {"/Title": "us-awards-sag-idUSKBN1ZI0EH.pdf"}),
    "en_python_untitled.pdf": ("en_python_insider_blog.html", {"/Title": "untitled"}),
    "en_python_digits.pdf": ("en_python_insider_blog.html", {"/Title": "3969073602705017876"}),
}


def write_text_exports() -> None:
    for name, (page, xpath, header) in TEXT_EXPORTS.items():
        body = "\n\n".join(paragraphs(page, xpath))
        trailer = TRAILERS.get(name, "")
        text = header + "\n" + body + "\n" + ("\n" + trailer if trailer else "")
        (HERE / name).write_text(text, encoding="utf-8")


def print_pdf(page: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing is fetched
                f"--print-to-pdf={out}",
                "--no-pdf-header-footer",
                (HERE / page).as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return out.read_bytes()


def write_pdfs() -> None:
    for name, (page, info) in PDFS.items():
        reader = pypdf.PdfReader(io.BytesIO(print_pdf(page)))
        writer = pypdf.PdfWriter(clone_from=reader)
        metadata = dict(reader.metadata or {})
        for key, value in info.items():
            if value is None:
                metadata.pop(key, None)
            else:
                metadata[key] = value
        writer.metadata = None
        writer.add_metadata(metadata)
        writer.compress_identical_objects()
        buffer = io.BytesIO()
        writer.write(buffer)
        (HERE / name).write_bytes(buffer.getvalue())


if __name__ == "__main__":
    write_text_exports()
    write_pdfs()
