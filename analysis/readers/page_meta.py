"""What HTML pages and PDF page 1 share: site names around a headline, datelines, source lines.

A <title> or a PDF's document title is the headline plus site or section names (`_agrees`,
`_site_like`); the publication date and the outlet are looked for on the lines near the headline
(`_window_around`, `_dateline`, `_labeled_source`), not further down, where other stories are.
"""

from __future__ import annotations

import re
from datetime import datetime

from analysis.readers.result import _one_line
from analysis.text.dates import find_date
from analysis.text.scripts import HAN, HAN_CLASS

# What separates a headline from the site or section names around it in a <title>:
# "… - Reuters", "…_新浪财经_新浪网", "… | BBC News", "Python Insider: …", "…--文化--人民网".
_TITLE_SEPARATOR = re.compile(r"\s*(?:\s[-–—]\s|--|\||_|·|•|»|::|\s/\s)\s*|(?<=\S)[-–—](?=\S)|:\s")
_SEPARATOR_START = re.compile(r"^\s*(?:[-–—|_·•»:/]|$)")
# A segment naming a Chinese site: 新华网, 证券时报网, 新浪新闻, 中国载人航天官方网站, 央视网客户端.
_CJK_SITE = re.compile(
    rf"^[{HAN_CLASS}\w·]{{1,12}}?(?:网|网站|官网|报|新闻|在线|频道|客户端|电视台|广播电台)$"
)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.I)

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

# Words left on a dateline that are a byline or a page widget, not an outlet.
_BYLINE_OR_WIDGET = re.compile(
    r"^(?:by\b|作者|记者|编辑|责编|updated|update|更新|分享|评论|收藏|打印|举报|字号|阅读|浏览|"
    r"share|comments?|print|listen|read more|min read)",
    re.I,
)


def _norm_line(value: object) -> str:
    """One line of text, NFKC-normalised, for comparing titles found in different places."""
    return _one_line(value) or ""


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


def _labeled_source(lines: list[str], window: range) -> str | None:
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
