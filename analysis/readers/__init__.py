"""Readers: from the bytes of an uploaded file to normalised text plus metadata.

`read_document(data, filename)` accepts plain text (.txt), Markdown (.md), HTML (.html/.htm),
Word (.docx) and PDF (.pdf) and returns a `ReadResult`. Any bad input ends in a `ReaderError`
(a `ValueError`) whose `code` says what kind of problem it is and whose message names it in plain
English; no other exception escapes `read_document`, whatever the bytes.

Format
    From the file name's extension when there is one; otherwise sniffed from the bytes: `%PDF-`
    at the start -> pdf; a ZIP holding `word/document.xml` -> docx; text that starts like an HTML
    page (`<!doctype html`, `<html`, `<head`, `<body`), or a fragment that starts with a tag and
    closes a common one (`</p>`, `</div>`...) -> html; anything else -> txt.

Decoding and normalisation
    `analysis.text.decode` and `analysis.text.normalize` (their module docstrings state the policy).

Format details
    * Markdown: lines are kept (headings and list markers help the structure parser); `**bold**`,
      `__bold__`, links `[text](url)` and images `![alt](url)` are reduced to their text; table
      separator rows (`|---|---|`) are dropped.
    * HTML: the article body is extracted with trafilatura (offline: it is only given the string),
      as Markdown-like text (headings `#`, list items `- `, blank lines between paragraphs); when it
      finds nothing, the visible text via lxml without script/style/nav/header/footer/aside/form.
      Title: the headline that og:title / twitter:title / JSON-LD / a visible heading and the
      <title> agree on, else the <title> less the segments naming the site. Date: the page's meta
      fields (article:published_time, weibo: article:create_at, publishdate, JSON-LD ...), else
      the dateline near the headline, else a labelled date (发布日期：…) anywhere. Source: the
      outlet credited near the headline (来源：…), else the publisher, the site name in the <title>,
      og:site_name (`_html_metadata`). Nothing is ever rendered or fetched. (A page that is
      nothing but navigation may still give its navigation text: there is nothing else to take.)
    * DOCX: body paragraphs and table cells in document order, one per paragraph with blank lines
      between; paragraphs styled as headings get `#` markers and list paragraphs `- `, as in
      Markdown. Title and `created` date from the core properties. Before parsing, the ZIP is checked
      for decompression bombs: more than `MAX_ZIP_MEMBERS` members, a total uncompressed size over
      `MAX_ZIP_UNCOMPRESSED_BYTES`, or a member over `ZIP_RATIO_FLOOR_BYTES` with a compression ratio
      over `MAX_ZIP_COMPRESSION_RATIO` is rejected; every member is then inflated once in chunks
      to report damage early (zipfile never inflates past a member's declared size).
    * PDF: pypdf text extraction page by page (pages separated by blank lines). Title from the
      document information unless it is junk ("Microsoft Word - x.docx", "untitled", a file name,
      digits), else page 1's first heading (by type size); date from a dateline on page 1, else the
      creation date unless a browser printed the file; source from page 1's source line
      (`_pdf_metadata`). At most `MAX_PDF_PAGES` pages, and extraction stops with an error after
      `PDF_TIME_BUDGET_S` seconds (checked between pages).

Dates: every `published_at` is timezone-aware, by `analysis.text.dates.parse_date`: a time given
without a zone is China time and a date without a time midnight China time (DOCX core properties
excepted: the standard writes them in UTC).
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal

from analysis.errors import ReaderError
from analysis.lazy import import_once, once
from analysis.text.dates import find_date, parse_date
from analysis.text.decode import (
    binary_kind_hint,
    decode_text,
    is_blank,
    looks_like_pdf,
    looks_textual,
    strict_decode,
)
from analysis.text.normalize import INVISIBLE, normalize_text
from analysis.text.scripts import HAN, HAN_CLASS

logger = logging.getLogger(__name__)

MAX_BYTES: int = 20 * 1024 * 1024
"""Upload size limit (20 MiB): large enough for any article, small enough for a 1 GB cloud box."""

# Decompression-bomb limits for DOCX (a real .docx is a few MB unpacked and compresses about 3-20x).
MAX_ZIP_UNCOMPRESSED_BYTES: int = 200 * 1000 * 1000
MAX_ZIP_COMPRESSION_RATIO: float = 100.0
ZIP_RATIO_FLOOR_BYTES: int = 1024 * 1024  # below this a member cannot hurt, whatever its ratio
MAX_ZIP_MEMBERS: int = 10_000

MAX_PDF_PAGES: int = 500
PDF_TIME_BUDGET_S: float = 60.0

Format = Literal["txt", "md", "html", "docx", "pdf"]

SUPPORTED_EXTENSIONS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


@dataclass(frozen=True)
class ReadResult:
    """Normalised text of one document with whatever metadata its format carried."""

    text: str
    format: Format
    encoding: str | None  # text formats only: "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"...
    title: str | None
    source: str | None
    published_at: datetime | None
    filename: str | None


def _one_line(value: object) -> str | None:
    """A metadata string as one normalised line, or None when blank."""
    if not isinstance(value, str):
        return None
    line = " ".join(normalize_text(value).split())
    return line or None


# --------------------------------------------------------------------------------------------------
# Entry point


def _format_from_name(filename: str | None) -> Format | None:
    if not filename:
        return None
    suffix = PurePath(filename).suffix.lower()
    if not suffix:
        return None
    if suffix not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise ReaderError("unsupported", f"unsupported file type {suffix!r}; supported: {supported}")
    return SUPPORTED_EXTENSIONS[suffix]


_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


_HTML_FRAGMENT_CLOSE = re.compile(r"</(?:p|div|span|article|section|a|table|ul|ol|li|h[1-6])>", re.I)


def _looks_like_html(text: str) -> bool:
    """A page (`<!doctype html>`, `<html>`...) or a fragment starting with a tag and closing common ones."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_FRAGMENT_CLOSE.findall(head)) >= 1


def _sniff_format(data: bytes) -> Format | None:
    """PDF or DOCX from their magic bytes; None for text (HTML is told apart after decoding)."""
    if looks_like_pdf(data):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception:
            raise ReaderError("malformed", "the file looks like a ZIP archive but it is damaged") from None
        if "word/document.xml" in names:
            return "docx"
        raise ReaderError("unsupported", "the file is a ZIP archive but not a Word (.docx) document")
    return None


def read_document(data: bytes, filename: str | None = None) -> ReadResult:
    """Read one document's bytes into normalised text plus metadata; see the module docstring.

    Raises `ReaderError` (and nothing else) for anything it cannot read.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ReaderError("malformed", f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ReaderError(
            "too_large",
            f"the file is {len(data) / 2**20:.1f} MiB; the limit is {MAX_BYTES // 2**20} MiB",
        )
    fmt = _format_from_name(filename)
    if not data:
        raise ReaderError("empty", "the file is empty (0 bytes)")
    try:
        if fmt is None:
            fmt = _sniff_format(data)
        if fmt == "pdf":
            result = _read_pdf(data)
        elif fmt == "docx":
            result = _read_docx(data)
        else:
            result = _read_text_format(data, fmt)
    except ReaderError:
        raise
    except Exception as exc:  # a library failing on hostile bytes must still give a clear error
        logger.debug("unexpected reader failure", exc_info=True)
        raise ReaderError(
            "malformed", f"the {fmt or 'file'} could not be read: {type(exc).__name__}: {exc}"
        ) from None
    text, fmt, encoding, title, source, published_at = result
    if not any(ch.isalpha() for ch in text):
        raise ReaderError("no_text", "the file contains no words (no letters or Chinese characters)")
    return ReadResult(
        text=text,
        format=fmt,
        encoding=encoding,
        title=title,
        source=source,
        published_at=published_at,
        filename=filename,
    )


_Parsed = tuple[str, Format, str | None, str | None, str | None, datetime | None]


def _read_text_format(data: bytes, fmt: Format | None) -> _Parsed:
    container_hint = binary_kind_hint(data)
    if container_hint:  # a PDF or ZIP named .txt/.md/.html: its bytes may even decode, as garbage
        raise ReaderError("binary", "the file is binary data, not text" + container_hint)
    try:
        raw, encoding = decode_text(data)
    except ReaderError as exc:
        if exc.code != "undecodable" or fmt not in (None, "html"):
            raise
        raw, encoding = _decode_declared_html_charset(data, exc)
    if fmt is None:  # sniffed as text: HTML or plain text
        fmt = "html" if _looks_like_html(raw) else "txt"
    if fmt == "html":
        return _read_html(raw, encoding)
    text = normalize_text(raw)
    if fmt == "md":
        text = normalize_text(_strip_markdown_inline(text))
    if not text:
        raise ReaderError("empty", "the file contains only whitespace")
    return text, fmt, encoding, None, None, None


# --------------------------------------------------------------------------------------------------
# Markdown

_MD_IMAGE = re.compile(r"!\[([^\[\]\n]{0,1000})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,1000})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_MD_TABLE_RULE = re.compile(r"^ *\|?(?: *:?-+:? *\|)+ *:?-*:? *(?:\n|$)", re.M)
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,1000}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,1000}?)(?<=\S)__")


def _strip_markdown_inline(text: str) -> str:
    """Reduce images, links and bold/strong emphasis to their text; keep headings, lists and tables.

    Table separator rows (`|---|:--|`) carry no text and are dropped.
    """
    text = _MD_TABLE_RULE.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


# --------------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BOILERPLATE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "figcaption",
        "address",
        "hr",
        "title",
    ]
)


def _decode_declared_html_charset(data: bytes, original: ReaderError) -> tuple[str, str]:
    """An HTML page in a legacy charset it declares itself (e.g. windows-1252): trust the declaration."""
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "replace")
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            encoding = None
        if encoding:
            text = strict_decode(data, encoding)
            if text is not None and looks_textual(text) and not is_blank(text):
                return text, encoding
    raise original


def _read_html(raw: str, encoding: str) -> _Parsed:
    # lxml refuses str input that carries an encoding declaration, and XML-incompatible characters.
    html = INVISIBLE.sub("", _XML_DECLARATION.sub("", raw, count=1))
    if not html.strip():
        raise ReaderError("empty", "the HTML file contains only whitespace")
    text = _html_article_text(html) or _html_visible_text(html)
    text = normalize_text(_strip_markdown_inline(normalize_text(text)))
    if not text:
        raise ReaderError("no_text", "the HTML page has no visible text")
    title, source, published_at = _html_metadata(html)
    return text, "html", encoding, title, source, published_at


@once
def _trafilatura_config() -> Any:
    """trafilatura's defaults, except: never fall back to the whole-page baseline for short pages.

    By default a main text under 250 characters is "rescued" with a dump of the whole page, which puts
    the navigation back in ("首页 新闻 ... 短文"). Our own fallback (visible text without nav/header/
    footer) takes over when trafilatura finds nothing. The size cap is raised to our upload limit.
    """
    use_config = import_once("trafilatura.settings").use_config

    config = use_config()
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = "1"
    config["DEFAULT"]["MAX_FILE_SIZE"] = str(4 * MAX_BYTES)  # characters of decoded text, not bytes
    return config


def _html_article_text(html: str) -> str:
    """The article body as Markdown-like text by trafilatura ('' when it finds none)."""
    try:
        trafilatura = import_once("trafilatura")
    except ImportError:  # e.g. lxml without lxml_html_clean: fall back rather than fail the upload
        logger.warning("trafilatura unavailable; using plain visible-text extraction", exc_info=True)
        return ""
    extracted = trafilatura.extract(
        html,
        config=_trafilatura_config(),
        output_format="markdown",
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    return extracted or ""


def _html_visible_text(html: str) -> str:
    """Visible text of the page without scripts and page furniture; paragraphs on their own lines."""
    lxml_etree, lxml_html = import_once("lxml.etree"), import_once("lxml.html")

    try:
        root = lxml_html.fromstring(html)
    except (lxml_etree.ParserError, ValueError):
        return ""
    for element in root.xpath("|".join(f"//{tag}" for tag in _BOILERPLATE_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
    body = root.find("body") if root.tag == "html" else root
    return (body if body is not None else root).text_content()


def _html_metadata(html: str) -> tuple[str | None, str | None, datetime | None]:
    """Title, source and publication time of a page; see `_page_title`, `_page_date`, `_page_source`.

    trafilatura's own findings (its title heuristic, sitename and htmldate's date) are only the last
    fallback: its title cuts long titles that contain " - ", its sitename is often the host or a
    copyright line, and htmldate gives the day without the time.
    """
    fallback_title = fallback_site = fallback_date = None
    try:
        trafilatura = import_once("trafilatura")

        meta = trafilatura.extract_metadata(
            html,
            date_config={
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                "original_date": True,
                "extensive_search": False,
            },
        )
        if meta is not None:
            fallback_title, fallback_site = _one_line(meta.title), _one_line(meta.sitename)
            fallback_date = parse_date(meta.date)
    except Exception:  # metadata is optional: never fail a readable page because of it
        logger.debug("html metadata extraction failed", exc_info=True)
    try:
        page = _PageInfo.parse(html)
    except Exception:
        logger.debug("html page metadata unreadable", exc_info=True)
        return fallback_title, _plausible_site_name(fallback_site), fallback_date
    title, site_from_title = _page_title(page, fallback_title)
    lines = page.visible_lines
    window = _dateline_window(lines, title)
    published_at = _page_date(page, lines, window) or fallback_date
    source = (
        _labelled_source(lines, window)
        or page.publisher
        or site_from_title
        or _plausible_site_name(page.meta_first("og:site_name", "application-name", "sitename"))
        or _plausible_site_name(fallback_site)
    )
    return title, source, published_at


# --------------------------------------------------------------------------------------------------
# Page metadata: titles with site names, datelines and source lines (HTML pages and PDF page 1)

# What separates a headline from the site or section names around it in a <title>:
# "… - Reuters", "…_新浪财经_新浪网", "… | BBC News", "Python Insider: …", "…--文化--人民网".
_TITLE_SEPARATOR = re.compile(r"\s*(?:\s[-–—]\s|--|\||_|·|•|»|::|\s/\s)\s*|(?<=\S)[-–—](?=\S)|:\s")
_SEPARATOR_START = re.compile(r"^\s*(?:[-–—|_·•»:/]|$)")
# A segment naming a Chinese site: 新华网, 证券时报网, 新浪新闻, 中国载人航天官方网站, 央视网客户端.
_CJK_SITE = re.compile(
    rf"^[{HAN_CLASS}\w·]{{1,12}}?(?:网|网站|官网|报|新闻|在线|频道|客户端|电视台|广播电台)$"
)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.I)
_HOST_BRAND = re.compile(r"^(?:https?:)?//(?:www\.|m\.|news\.|en\.)?([^/:?#]+)", re.I)

# Meta fields that carry the publication time, best first (lower-cased keys: name, property, itemprop).
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "weibo: article:create_at",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish_date",
    "publication_date",
    "article.published",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "og:release_date",
    "dc.date",
    "date",
)

# A label before a publication date on the page: 发布时间：…, Published: …, Posted on …
_DATE_LABEL = re.compile(
    r"(?:发布时间|发布日期|发表时间|发表日期|发稿时间|首发时间|日期|时间|Published(?: on)?|Posted(?: on)?|"
    r"Publication date|Date)\s*[:：]?\s*$",
    re.I,
)
# A line that opens with a publication-date label: "发布日期：2019-03-06 责任编辑：龙慧".
_DATE_LABEL_START = re.compile(
    r"^\s*[（(【\[]?\s*(?:发布时间|发布日期|发表时间|发表日期|发稿时间|Published(?: on)?|Posted(?: on)?|"
    r"Publication date|First published)\s*[:：]?",
    re.I,
)
_SOURCE_LABEL = re.compile(r"(?:来源于|来源|稿源|出处|Source|From)\s*[:：]\s*", re.I)
# Labels that end a source value on the same line: 来源：证券时报网 作者：李在山
_NEXT_LABEL = re.compile(
    r"\s*(?:作者|记者|编辑|责任编辑|责编|原标题|摄影|通讯员|字号|分享到|分享|评论|阅读|Author|By|Editor|Share)\s*[:：]?"
    r"|\s{2,}|[|｜]",
    re.I,
)
_SENTENCE_END = tuple("。！？!?.;；…")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|第)\s*)?\d{1,4}(?:\s*(?:/|of|／)\s*\d{1,4})?\s*(?:页)?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)
# Words left on a dateline that are a byline or a page widget, not an outlet.
_BYLINE_OR_WIDGET = re.compile(
    r"^(?:by\b|作者|记者|编辑|责编|updated|update|更新|分享|评论|收藏|打印|举报|字号|阅读|浏览|"
    r"share|comments?|print|listen|read more|min read)",
    re.I,
)
_NOISE_SOURCE = re.compile(r"版权所有|copyright|©|all rights reserved", re.I)


def _norm_line(value: object) -> str:
    """One line of text, NFKC-normalised, for comparing titles found in different places."""
    return _one_line(value) or ""


@dataclass
class _PageInfo:
    """What an HTML page says about itself: head metadata, JSON-LD, headings, visible lines."""

    title_tag: str
    meta: dict[str, list[str]]
    headlines: list[str]  # JSON-LD headline / og:title / twitter:title ..., best first
    headings: list[str]  # visible h1-h3 and elements whose class or id names a title, in order
    h1s: list[str]
    publisher: str | None
    json_dates: list[str]
    element_dates: list[str]  # <time datetime>, <abbr class="published" title>, itemprop=datePublished
    host: str | None
    visible_lines: list[str]

    @classmethod
    def parse(cls, html: str) -> _PageInfo:
        lxml_html = import_once("lxml.html")

        root = lxml_html.fromstring(html)
        meta: dict[str, list[str]] = {}
        for element in root.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            value = element.get("content")
            if key and value and value.strip():
                meta.setdefault(key.strip().lower(), []).append(value.strip())
        titles = root.xpath("//head/title") or root.xpath("//title")
        title_tag = _norm_line(titles[0].text_content()) if titles else ""
        ld = _json_ld(root)
        headlines = [
            h
            for h in (
                *(_norm_line(x) for x in ld["headline"]),
                _norm_line((meta.get("og:title") or [""])[0]),
                _norm_line((meta.get("twitter:title") or [""])[0]),
                _norm_line((meta.get("articletitle") or [""])[0]),
            )
            if h
        ]
        h1s = [t for t in (_norm_line(e.text_content()) for e in root.xpath("//body//h1")) if t][:5]
        headings = []
        for element in root.xpath(
            "//body//*[self::h1 or self::h2 or self::h3 or contains(translate(@class, 'TITLE', 'title'), 'title')"
            " or contains(translate(@id, 'TITLE', 'title'), 'title')]"
        ):
            text = _norm_line(element.text_content())
            if 2 <= len(text) <= 200:
                headings.append(text)
            if len(headings) >= 60:
                break
        element_dates = [
            value
            for element in root.xpath(
                "//time[@datetime] | //*[@itemprop='datePublished'] | "
                "//*[contains(concat(' ', normalize-space(@class), ' '), ' published ')]"
            )
            for value in (element.get("datetime") or element.get("content") or element.get("title"),)
            if value
        ]
        host = None
        for href in (
            *meta.get("og:url", []),
            *(e.get("href") for e in root.xpath("//link[@rel='canonical']") if e.get("href")),
        ):
            match = _HOST_BRAND.match(href)
            if match:
                host = match.group(1).lower()
                break
        publisher = next((_norm_line(x) for x in ld["publisher"] if _norm_line(x)), None)
        return cls(
            title_tag=title_tag,
            meta=meta,
            headlines=list(dict.fromkeys(headlines)),
            headings=headings,
            h1s=h1s,
            publisher=_plausible_site_name(publisher),
            json_dates=ld["datePublished"],
            element_dates=element_dates,
            host=host,
            visible_lines=_visible_lines(root),
        )

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, []):
                line = _norm_line(value)
                if line:
                    return line
        return None


def _json_ld(root: Any) -> dict[str, list[str]]:
    """headline, datePublished and publisher names of the page's JSON-LD articles (any nesting)."""
    import json

    found: dict[str, list[str]] = {"headline": [], "datePublished": [], "publisher": []}

    def walk(node: Any, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node[:50]:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            for key in ("headline", "datePublished"):
                if isinstance(node.get(key), str):
                    found[key].append(node[key])
            publisher = node.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                found["publisher"].append(publisher["name"])
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in node:
                    walk(node[key], depth + 1)

    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            walk(json.loads(script.text_content(), strict=False))
        except (ValueError, TypeError):
            continue
    return found


_LINE_BREAK = "\ue000"  # marks block boundaries (private use); the page's own newlines are only whitespace
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _visible_lines(root: Any) -> list[str]:
    """The page's visible text as lines (one per block), page furniture such as nav and scripts
    removed but headers kept: article headers hold the dateline."""
    import copy

    tree = copy.deepcopy(root)
    drop = (
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "form",
        "iframe",
        "svg",
        "select",
        "button",
    )
    for element in tree.xpath("|".join(f"//{tag}" for tag in drop)):
        element.drop_tree()
    for element in tree.xpath("//*[@style]"):
        if _HIDDEN_STYLE.search(element.get("style", "")) and element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS or tag in ("br", "header", "center", "dd", "dt"):
            element.tail = _LINE_BREAK + (element.tail or "")
            element.text = _LINE_BREAK + (element.text or "")
    body = tree.find("body") if tree.tag == "html" else tree
    text = (body if body is not None else tree).text_content()
    lines = []
    for raw in text.split(_LINE_BREAK):
        line = " ".join(normalize_text(raw).split())
        if line:
            lines.append(line)
    return lines


_SEPARATOR_CHARS = "-–—|_·•»:/"


def _agrees(title_tag: str, candidate: str) -> str | None:
    """The rest of `title_tag` around `candidate` when the title is the candidate plus site or
    section names ("<candidate> - Reuters", "Python Insider: <candidate>"); else None.

    The rest must open (or, before the candidate, close) with a separator; a rest set off by a
    space alone must end with a site name ("<candidate> 东区办事处_中山网"), so that "Annual
    Report" does not agree with "Annual Report 2023"."""
    if not candidate or not title_tag:
        return None
    if title_tag == candidate:
        return ""
    if title_tag.startswith(candidate):
        rest = title_tag[len(candidate) :]
        if rest.lstrip()[:1] in tuple(_SEPARATOR_CHARS):
            return rest
        parts = _segments(rest)
        if rest[:1].isspace() and parts and _site_like(parts[-1], [], None, candidate):
            return rest
    if title_tag.endswith(candidate):
        rest = title_tag[: -len(candidate)]
        if rest.rstrip()[-1:] in tuple(_SEPARATOR_CHARS):
            return rest
    return None


def _segments(text: str) -> list[str]:
    return [part.strip() for part in _TITLE_SEPARATOR.split(text) if part and part.strip()]


def _site_from_rest(rest: str, *, suffix: bool) -> str | None:
    """The site name in what a <title> adds around the headline: its last segment after the
    headline ("…｜公园_新浪新闻" -> 新浪新闻), or the segment before it ("Python Insider: …")."""
    parts = [p for p in _segments(rest.strip(" -–—|_·•»:/")) if _has_letters(p)]
    if not parts:
        return None
    name = parts[-1] if suffix else parts[0]
    return name if len(name) <= 40 else None


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _brand(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


_GENERIC_LABELS = frozenset(
    {"www", "m", "news", "en", "com", "cn", "net", "org", "co", "uk", "gov", "edu", "info"}
)


def _site_like(segment: str, names: list[str], host: str | None, headline: str = "") -> bool:
    """Does a <title> segment name the site? A known site name (og:site_name, the publisher), the
    host's brand ("Reuters" for reuters.com, "BBC News" for bbc.com), a Chinese site name (新华网,
    新浪新闻), a domain (cjn.cn), or a Latin brand after a Chinese headline ("澎湃新闻-The Paper")."""
    key = _brand(segment)
    if not key:
        return True
    for name in names:
        other = _brand(name)
        if other and (
            key == other or (other in key and len(key) <= len(other) + 4) or (len(key) >= 3 and key in other)
        ):
            return True
    if host:
        for label in host.lower().split("."):
            if label in _GENERIC_LABELS or len(label) < 3:
                continue
            if key in (label, label + "news", label + "com", label + "online", "the" + label):
                return True
    if _CJK_SITE.match(segment) or _DOMAIN.match(segment):
        return True
    return bool(
        headline
        and HAN.search(headline)
        and re.fullmatch(r"[A-Za-z][A-Za-z .&'-]{1,30}", segment)
        and len(segment.split()) <= 4
    )


def _strip_site_segments(title: str, names: list[str], host: str | None) -> tuple[str, str | None]:
    """Drop the segments of a title that name the site, and the short section names left before
    them ("… | Books | The Guardian", "…_10%公司_澎湃新闻-The Paper"); return the title and the
    site name. Segments that do not name the site are kept: "Bitcoin - the next bubble?" stays whole."""
    pieces = [p.strip() for p in _TITLE_SEPARATOR.split(title)]
    seps = _TITLE_SEPARATOR.findall(title)
    if len(pieces) < 2:
        return title, None
    segments = list(pieces)
    headline = segments[0]
    site = None
    dropped: list[str] = []
    while len(segments) > 1 and _site_like(segments[-1], names, host, headline):
        dropped.append(segments[-1])
        segments, seps = segments[:-1], seps[:-1]
    if dropped:
        # the name nearest the headline, in the headline's script when there is one (新华网, not
        # cjn.cn; 澎湃新闻, not The Paper)
        cjk_headline = bool(HAN.search(headline))
        site = next(
            (
                name
                for name in reversed(dropped)
                if not _DOMAIN.match(name) and (not cjk_headline or HAN.search(name))
            ),
            dropped[0],
        )
        while (
            len(segments) > 1
            and seps[-1].strip() in ("|", "_", "--", "·")
            and len(segments[-1].split()) <= 2
            and len(segments[-1]) <= 12
            and not re.search(r"[?!？！。,，]", segments[-1])
        ):
            segments, seps = segments[:-1], seps[:-1]
    elif _site_like(segments[0], names, host) and seps[0].strip() in (":", "|", "-", "–", "—", "::", "»"):
        site = segments[0]
        segments, seps = segments[1:], seps[1:]
    rebuilt = segments[0]
    for sep, segment in zip(seps, segments[1:], strict=False):
        rebuilt += sep + segment
    return rebuilt.strip(), site


def _page_title(page: _PageInfo, fallback: str | None) -> tuple[str | None, str | None]:
    """The headline and the site name the <title> adds to it.

    A <title> usually carries the site's name ("… - Reuters", "…_新浪财经_新浪网"). The headline is
    the longest of og:title / twitter:title / JSON-LD headline / the page's visible headings that the
    <title> starts (or ends) with, the rest being separators and names; when none agrees, the first
    of those meta titles, else the <title>, loses only the segments that name the site (og:site_name,
    the publisher, the host's brand, a Chinese site name such as 新华网). A long title containing
    " - " itself is kept whole.
    """
    title_tag = page.title_tag
    names = [
        n for n in (page.publisher, page.meta_first("og:site_name"), page.meta_first("application-name")) if n
    ]
    best: tuple[str, str] | None = None
    for candidate in [*page.headlines, *page.headings]:
        rest = _agrees(title_tag, candidate)
        if rest is None or not _has_letters(candidate):
            continue
        if candidate not in page.headlines and len(candidate) < 0.4 * len(title_tag):
            continue
        if any(_brand(candidate) == _brand(n) for n in names):
            continue
        if rest == "":
            continue  # the same as the <title>: it may carry the site name too (og:title often does)
        if best is None or len(candidate) > len(best[0]):
            best = (candidate, rest)
    if best is not None:
        candidate, rest = best
        suffix = title_tag.startswith(candidate)
        site = _site_from_rest(rest, suffix=suffix) if rest else None
        return candidate, site
    base = page.headlines[0] if page.headlines else title_tag or fallback
    if not base:
        return None, None
    stripped, site = _strip_site_segments(base, names, page.host)
    h1 = next((h for h in page.h1s if _has_letters(h)), None)
    if h1 and (not stripped or _site_like(stripped, names, page.host)):
        return h1, site or stripped or None  # the <title> names only the site ("新浪首页")
    return stripped or base, site


def _plausible_site_name(name: str | None) -> str | None:
    """A site name worth showing: not a host name, a copyright line or an edition label ("U.S.")."""
    if not name:
        return None
    name = _norm_line(name)
    if not name or _DOMAIN.match(name) or _NOISE_SOURCE.search(name) or len(name) > 60:
        return None
    if not (re.search(r"[A-Za-z]{2}", name) or HAN.search(name)) or re.fullmatch(r"(?:[A-Z]\.){1,3}", name):
        return None
    return name


def _prose(line: str) -> bool:
    """A line of running text (a paragraph, or a wrapped line of one in a PDF)."""
    if len(line) < 40 or _dateline(line) is not None:
        return False
    return line.rstrip().endswith(_SENTENCE_END) or bool(re.search(r"[，,；;]", line))


def _window_around(lines: list[str], index: int | None) -> range:
    """Where a dateline is: from just above the headline (a blog's date header sits above the post
    title) down to the first paragraph of text; the top of the page, down to its second paragraph,
    when the headline is not shown. Dates further down belong to other stories (sidebars, lists)."""
    if index is None:
        start, stop, allowed = 0, min(len(lines), 40), 2
    else:
        start, stop, allowed = max(0, index - 3), min(len(lines), index + 13), 1
    seen = 0
    for i in range(index + 1 if index is not None else start, stop):
        if _prose(lines[i]):
            seen += 1
            if seen >= allowed:
                return range(start, i)
    return range(start, stop)


def _dateline_window(lines: list[str], title: str | None) -> range:
    """The dateline window of a page whose headline is `title` (see `_window_around`)."""
    if title:
        key = _norm_line(title)
        for index, line in enumerate(lines[:400]):
            if line == key or (len(key) >= 8 and line.startswith(key) and len(line) <= len(key) + 30):
                return _window_around(lines, index)
    return _window_around(lines, None)


def _dateline(line: str) -> tuple[datetime, str] | None:
    """A line that is a date with little else (a dateline: "2019-12-10 07:57:40 来源：新华网",
    "2019年11月25日 18:57 参考消息", "Friday, December 23, 2016"); its date and the rest of it."""
    if len(line) > 120:
        return None
    found = find_date(line)
    if found is None:
        return None
    date, (start, end) = found
    before, after = line[:start], line[end:]
    if _DATE_LABEL.search(before) is None and len(before.strip(" ,，|·")) > 24:
        return None
    rest = (before if _DATE_LABEL.search(before) is None else "") + " " + after
    rest = rest.strip()
    if len(rest) > 40 or (line.rstrip().endswith(_SENTENCE_END) and len(line) > 40):
        return None
    if len(rest) > 12 and re.search(r"[，,。]", rest) and not _SOURCE_LABEL.search(rest):
        return None  # "2019年2月27日下午，佛山…": a sentence that opens with a date
    if sum(ch.isdigit() for ch in rest) > sum(ch.isalpha() for ch in rest):
        return None  # a table row ("2019-01-01  100.5  200.3"), not a dateline
    return date, rest


def _source_in(text: str) -> str | None:
    """The outlet a line credits: after 来源：/Source:, up to the next label or wide gap."""
    match = _SOURCE_LABEL.search(text)
    if match is None:
        return None
    value = _NEXT_LABEL.split(text[match.end() :], maxsplit=1)[0].strip(" ：:,，;；|()（）")
    return value if value and len(value) <= 40 and _has_letters(value) else None


def _bare_source(rest: str) -> str | None:
    """A short unlabelled outlet name left on a dateline ("2019年11月25日 18:57 参考消息")."""
    rest = rest.strip(" ：:,，;；|·-–—()（）")
    if not rest or len(rest) > 20 or re.search(r"[\d:：/@]", rest) or not _has_letters(rest):
        return None
    if re.fullmatch(r"[A-Za-z]+day", rest, re.I) or re.fullmatch(r"(?:星期|周)[一二三四五六日天]", rest):
        return None
    if _BYLINE_OR_WIDGET.match(rest):
        return None
    return rest


def _has_time(raw: str) -> bool:
    return bool(re.search(r"\d\s*[:：]\s*\d", raw))


def _page_date(page: _PageInfo, lines: list[str], window: range) -> datetime | None:
    """Publication time, from the first of: the page's meta fields (article:published_time,
    weibo: article:create_at, publishdate, JSON-LD datePublished ...); its dateline near the
    headline; a <time datetime> / class="published" element; a labelled date (发布日期：…,
    Published: …) anywhere on the page. A date without a time gives way to a later one of the
    same day that has a time (publishdate "2019-06-15" and the dateline "2019年06月15日08:18")."""
    found: list[tuple[datetime, bool]] = []
    for raw in (*(v for key in _DATE_KEYS for v in page.meta.get(key, [])), *page.json_dates):
        parsed = parse_date(raw)
        if parsed is not None:
            found.append((parsed, _has_time(raw)))
            break
    for index in window:
        dateline = _dateline(lines[index])
        if dateline is not None:
            found.append((dateline[0], _has_time(lines[index])))
            break
    for raw in page.element_dates:
        parsed = parse_date(raw)
        if parsed is not None:
            found.append((parsed, _has_time(raw)))
            break
    for line in lines:
        dateline = _dateline(line) if _DATE_LABEL_START.match(line) else None
        if dateline is not None:
            found.append((dateline[0], _has_time(line)))
            break
    if not found:
        return None
    first, first_has_time = found[0]
    if not first_has_time:
        for other, has_time in found[1:]:
            if has_time and other.date() == first.date():
                return other
    return first


def _labelled_source(lines: list[str], window: range) -> str | None:
    """The outlet credited near the headline: a 来源：/Source: label, else the short name left on
    the dateline itself."""
    bare = None
    for index in window:
        line = lines[index]
        labelled = _source_in(line)
        if labelled:
            return labelled
        found = _dateline(line)
        if found is not None and bare is None:
            bare = _bare_source(found[1])
    return bare


def _quiet_library_logger(name: str) -> None:
    """Give a library logger a NullHandler (once), as libraries should have themselves.

    Without any handler, Python prints a library's warnings about damaged files ("EOF marker not
    found") straight to stderr, which would garble the CLI's one-line errors. An application that
    configures logging still receives them through propagation.
    """
    library_logger = logging.getLogger(name)
    if not any(isinstance(h, logging.NullHandler) for h in library_logger.handlers):
        library_logger.addHandler(logging.NullHandler())


# --------------------------------------------------------------------------------------------------
# DOCX

# python-docx's built-in template carries this creation time; it says nothing about the document.
_PYTHON_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def _bomb(detail: str) -> ReaderError:
    return ReaderError(
        "malformed", f"the .docx looks like a decompression bomb ({detail}); refusing to open it"
    )


def _check_zip(data: bytes) -> None:
    """Reject damaged ZIPs and decompression bombs before python-docx inflates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:
        raise ReaderError(
            "malformed", "the .docx is not a valid Word file (not a ZIP archive, or a damaged one)"
        ) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _bomb(f"{len(infos)} archive members; the limit is {MAX_ZIP_MEMBERS}")
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise _bomb(
            f"{total / 1e6:.0f} MB uncompressed; the limit is {MAX_ZIP_UNCOMPRESSED_BYTES / 1e6:.0f} MB"
        )
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR_BYTES:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > MAX_ZIP_COMPRESSION_RATIO:
                raise _bomb(
                    f"member {info.filename!r} expands {ratio:.0f}x; the limit is {MAX_ZIP_COMPRESSION_RATIO:.0f}x"
                )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ReaderError("malformed", "the .docx is not a Word document (word/document.xml is missing)")
    # Inflate every member once, in chunks, to report damage clearly before python-docx sees it. A header
    # that understates a member's size cannot make this (or python-docx) inflate more than declared:
    # zipfile stops at the declared size and then fails the CRC check.
    for info in infos:
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except Exception as exc:
            raise ReaderError(
                "malformed", f"the .docx is damaged: member {info.filename!r} cannot be read ({exc})"
            ) from None


def _docx_blocks(container: Any, style_names: dict[str, str]) -> list[str]:
    """Paragraph texts of a document body or table cell, in order, descending into tables.

    `style_names` maps style ids to names; looked up once per document because python-docx's
    `paragraph.style` scans every style for every paragraph (seconds on a long document).
    """
    Table = import_once("docx.table").Table
    Paragraph = import_once("docx.text.paragraph").Paragraph

    blocks: list[str] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                blocks.append(_docx_marker(style_names.get(item._p.style or "", "")) + text)
        elif isinstance(item, Table):
            # Merged cells come back once per grid column. Keep the elements themselves (not id()s,
            # which lxml may reuse once a proxy is freed) to recognise repeats.
            seen: set[Any] = set()
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    blocks.extend(_docx_blocks(cell, style_names))
    return blocks


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _docx_style_names(document: Any) -> dict[str, str]:
    """Style id -> style name (Chinese Word writes ids like "1" for the style named "heading 1")."""
    try:
        return {
            style.styleId: style.name_val or ""
            for style in document.styles.element.style_lst
            if style.styleId
        }
    except Exception:  # a document without a styles part still has text
        return {}


def _docx_marker(style_name: str) -> str:
    """Markdown-like prefix for headings and list paragraphs, which the structure parser understands."""
    name = style_name.strip()
    if name.lower() == "title":
        return "# "
    heading = _HEADING_STYLE.match(name)
    if heading:
        return "#" * min(int(heading.group(1)) or 1, 6) + " "
    if name.lower().startswith("list"):
        return "- "
    return ""


def _read_docx(data: bytes) -> _Parsed:
    _check_zip(data)
    docx = import_once("docx")

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document, _docx_style_names(document))
    except ReaderError:
        raise
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the .docx could not be parsed as a Word document ({type(exc).__name__}: {exc})"
        ) from None
    text = normalize_text("\n\n".join(blocks))
    if not text:
        raise ReaderError("no_text", "the Word document has no text")
    title: str | None = None
    published_at: datetime | None = None
    try:
        properties = document.core_properties
        title = _one_line(properties.title)
        # OOXML core properties are UTC by the standard; python-docx hands them over without a zone.
        created = parse_date(properties.created, UTC)
        if created is not None and created != _PYTHON_DOCX_TEMPLATE_CREATED:
            published_at = created
    except Exception:  # core properties are optional metadata
        logger.debug("docx core properties unreadable", exc_info=True)
    return text, "docx", None, title, None, published_at


# --------------------------------------------------------------------------------------------------
# PDF


def _read_pdf(data: bytes) -> _Parsed:
    pypdf = import_once("pypdf")
    PasswordType = pypdf.PasswordType

    _quiet_library_logger("pypdf")

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the PDF is damaged and cannot be opened ({type(exc).__name__}: {exc})"
        ) from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:
            opened = False
        if not opened:
            raise ReaderError("malformed", "the PDF is encrypted (password-protected) and cannot be opened")
    try:
        page_count = len(reader.pages)
    except Exception as exc:
        raise ReaderError(
            "malformed", f"the PDF is damaged: its pages cannot be read ({type(exc).__name__})"
        ) from None
    if page_count == 0:
        raise ReaderError("no_text", "the PDF has no pages")
    if page_count > MAX_PDF_PAGES:
        raise ReaderError("too_large", f"the PDF has {page_count} pages; the limit is {MAX_PDF_PAGES}")
    started = time.monotonic()
    pages: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > PDF_TIME_BUDGET_S:
            raise ReaderError(
                "too_large",
                f"reading the PDF took longer than {PDF_TIME_BUDGET_S:.0f} s (stopped at page {number} of {page_count})",
            )
        try:
            pages.append(page.extract_text() or "")
        except Exception as exc:
            raise ReaderError(
                "malformed", f"the PDF is damaged: page {number} cannot be read ({type(exc).__name__})"
            ) from None
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise ReaderError("no_text", "the PDF has no extractable text (is it a scanned image?)")
    title, source, published_at = _pdf_metadata(reader, reader.pages[0], pages[0], text)
    return text, "pdf", None, title, source, published_at


# Document-information titles that name nothing: a Word export's "Microsoft Word - x.docx",
# "untitled", a file name, a path, a slug or digits.
_JUNK_PDF_TITLE = re.compile(
    r"^(?:microsoft\s*(?:word|powerpoint|excel|office)?\s*-\s*.*|untitled\b.*|无标题.*|未命名.*|無題.*|"
    r"(?:new\s+)?document\s*\d*|文档\s*\d*|新建.*文档.*|title|slide\s*\d+|print(?:ing)?)$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(
    r"\.(?:docx?|pdf|pptx?|xlsx?|rtf|odt|txt|html?|shtml|php|aspx?|indd|pages|tex|ps|eps|wps|md)$", re.I
)
# Producers whose /CreationDate is the moment a page was printed, not when the article appeared.
_PRINTED_BY = re.compile(
    r"Skia/PDF|HeadlessChrome|Chrom(?:e|ium)|Mozilla|Firefox|Microsoft: Print To PDF|wkhtmltopdf", re.I
)
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])"
)


def _junk_pdf_title(title: str) -> bool:
    title = title.strip()
    if len(title) < 2 or not _has_letters(title):  # "", "3969073602705017876"
        return True
    if _JUNK_PDF_TITLE.match(title) or _FILE_NAME.search(title):
        return True
    # a path, or a slug such as "us-awards-sag-idUSKBN1ZI0EH"
    return " " not in title and bool(
        re.search(r"[\\/]", title)
        or (re.fullmatch(r"[A-Za-z0-9_.\-]+", title) and re.search(r"[\d_]", title))
    )


def _pdf_line(text: str) -> str:
    """A PDF text line for matching: normalised (Kangxi radicals folded), no spaces next to CJK."""
    return _CJK_SPACE.sub("", _norm_line(text))


def _title_like(line: str) -> bool:
    """Could be a headline: letters, not too long, not a sentence, a date, a URL or a page number."""
    if not (2 <= len(line) <= 150) or not _has_letters(line):
        return False
    if _URL.match(line) or _PAGE_NUMBER.match(line) or _dateline(line) is not None:
        return False
    end = line.rstrip("”’」』）)】》\"' ")[-1:]
    return not (end in "。.;；…,，:：" and len(line) > 20)


def _pdf_sized_lines(page: Any) -> list[tuple[str, float]]:
    """Page 1's text lines from the top with the font size each is set in (by pypdf's visitor)."""
    runs: dict[int, list[tuple[float, str]]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text or not text.strip():
            return
        try:
            scale = (float(tm[2]) ** 2 + float(tm[3]) ** 2) ** 0.5 * (
                float(cm[2]) ** 2 + float(cm[3]) ** 2
            ) ** 0.5
            y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
            runs.setdefault(round(y), []).append((round(float(size) * (scale or 1.0), 1), text))
        except (TypeError, ValueError, IndexError):
            return

    page.extract_text(visitor_text=visit)
    lines: list[tuple[str, float]] = []
    for y in sorted(runs, reverse=True)[:80]:
        pieces = runs[y]
        text = ""
        for _size, piece in pieces:
            if (
                text
                and text[-1].isalnum()
                and piece[:1].isalnum()
                and text[-1].isascii()
                and piece[0].isascii()
            ):
                text += " "
            text += piece
        weights: dict[float, int] = {}
        for size, piece in pieces:
            weights[size] = weights.get(size, 0) + len(piece.strip())
        line = _pdf_line(text)
        if line:
            lines.append((line, max(weights, key=lambda k: weights[k])))
    return lines


def _pdf_heading(sized: list[tuple[str, float]]) -> str | None:
    """The first heading of page 1: the largest type that is headline-like, larger than the body's;
    a headline wrapped over consecutive lines of that size is joined."""
    if not sized:
        return None
    weights: dict[float, int] = {}
    for line, size in sized:
        weights[size] = weights.get(size, 0) + len(line)
    body = max(weights, key=lambda k: weights[k])
    first = None
    prose = 0  # body paragraphs above: a larger line below them is a section heading, not the title
    for i, (line, size) in enumerate(sized[:40]):
        if size >= body * 1.15 and _title_like(line):
            first = i
            break
        if len(line) > 40 and line.rstrip().endswith(_SENTENCE_END):
            prose += 1
            if prose > 2:
                return None
    if first is None:
        return None
    size = sized[first][1]
    parts = [sized[first][0]]
    for line, other in sized[first + 1 : first + 3]:
        if other != size or not _title_like(line):
            break
        parts.append(line)
    joined = parts[0]
    for part in parts[1:]:
        joined += ("" if _CJK_SPACE.search(joined[-1:] + " " + part[:1]) else " ") + part
    return joined


def _pdf_metadata(
    reader: Any, first_page: Any, first_text: str, text: str
) -> tuple[str | None, str | None, datetime | None]:
    """Title, source and publication time of a PDF.

    Title: the document information's, unless it is missing or junk (`_junk_pdf_title`); a title
    that is page 1's heading plus a site name (a browser's "<headline>-新华网") gives the heading.
    Otherwise page 1's first heading (`_pdf_heading`), else the headline-like line just above its
    dateline. Date: a dateline on page 1 (or a labelled 发布日期：/Published: line anywhere), else
    /CreationDate, except from a browser's print engine (that date is the print time). Source: the
    来源：/Source: label or the name on the dateline, else the masthead line above page 1's heading.
    """
    info_title = creation = None
    try:
        info = reader.metadata
        if info is not None:
            info_title = _one_line(info.title)
            producer = f"{info.get('/Producer', '')} {info.get('/Creator', '')}"
            try:
                creation = parse_date(info.creation_date)
            except Exception:  # an unparsable /CreationDate is common; the text is still good
                creation = None
            if _PRINTED_BY.search(producer):
                creation = None
    except Exception:
        logger.debug("pdf metadata unreadable", exc_info=True)
    lines = [line for line in (_pdf_line(raw) for raw in first_text.split("\n")) if line][:80]
    try:
        sized = _pdf_sized_lines(first_page)
    except Exception:  # font sizes are a refinement: a page pypdf cannot walk still has its text
        logger.debug("pdf font sizes unreadable", exc_info=True)
        sized = []
    heading = _pdf_heading(sized)
    dateline_index = next((i for i, line in enumerate(lines[:40]) if _dateline(line) is not None), None)
    title = None
    if info_title and not _junk_pdf_title(info_title):
        title = info_title
        keys = (_norm_line(info_title), _pdf_line(info_title))
        for line in lines[:40]:
            if _title_like(line) and any(_agrees(key, line) and len(line) >= 0.4 * len(key) for key in keys):
                title = line
                break
    else:
        title = heading
        if title is None and dateline_index and _title_like(lines[dateline_index - 1]):
            title = lines[dateline_index - 1]
    heading_index = next((i for i, line in enumerate(lines[:40]) if title and line == _pdf_line(title)), None)
    window = _window_around(lines, heading_index)
    published_at = None
    for index in window:
        found = _dateline(lines[index])
        if found is not None:
            published_at = found[0]
            break
    if published_at is None:
        for raw in text.split("\n")[:3000]:
            line = _pdf_line(raw)
            found = _dateline(line) if _DATE_LABEL_START.match(line) else None
            if found is not None:
                published_at = found[0]
                break
    source = _labelled_source(lines, window)
    if (
        source is None
        and heading_index
        and _title_like(lines[0])
        and len(lines[0]) <= 40
        and len(lines[0].split()) <= 5
    ):
        source = lines[0]  # the masthead above the headline ("Python Insider")
    return title, source, published_at or creation
