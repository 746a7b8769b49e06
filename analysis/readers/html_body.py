"""The body text of an HTML page: its article by trafilatura, else its visible text by lxml.

The article body is extracted with trafilatura (offline: it is only given the string), as
Markdown-like text (headings `#`, list items `- `, blank lines between paragraphs); when it finds
nothing, the visible text via lxml without script/style/nav/header/footer/aside/form. Nothing is
ever rendered or fetched. (A page that is nothing but navigation may still give its navigation
text: there is nothing else to take.)
"""

from __future__ import annotations

import logging
from typing import Any

from analysis.lazy import import_once, once
from analysis.readers.result import MAX_BYTES

logger = logging.getLogger(__name__)

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
