"""Title, date and source of an HTML page, from its head, its JSON-LD and the lines by its headline.

Title: the headline that og:title / twitter:title / JSON-LD / a visible heading and the <title>
agree on, else the <title> less the segments naming the site. Date: the page's meta fields
(article:published_time, weibo: article:create_at, publishdate, JSON-LD ...), else the dateline
near the headline, else a labelled date (发布日期：…) anywhere. Source: the outlet credited near the
headline (来源：…), else the publisher, the site name in the <title>, og:site_name
(`_html_metadata`). Nothing is ever rendered or fetched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.lazy import import_once
from analysis.readers.html_body import _BLOCK_TAGS
from analysis.readers.page_meta import (
    _DATE_LABEL_START,
    _DOMAIN,
    _TITLE_SEPARATOR,
    _agrees,
    _brand,
    _dateline,
    _has_letters,
    _labeled_source,
    _norm_line,
    _segments,
    _site_like,
    _window_around,
)
from analysis.readers.result import _one_line
from analysis.text.dates import parse_date
from analysis.text.normalize import normalize_text
from analysis.text.scripts import HAN

logger = logging.getLogger(__name__)

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

_NOISE_SOURCE = re.compile(r"版权所有|copyright|©|all rights reserved", re.I)


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
        _labeled_source(lines, window)
        or page.publisher
        or site_from_title
        or _plausible_site_name(page.meta_first("og:site_name", "application-name", "sitename"))
        or _plausible_site_name(fallback_site)
    )
    return title, source, published_at


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


def _site_from_rest(rest: str, *, suffix: bool) -> str | None:
    """The site name in what a <title> adds around the headline: its last segment after the
    headline ("…｜公园_新浪新闻" -> 新浪新闻), or the segment before it ("Python Insider: …")."""
    parts = [p for p in _segments(rest.strip(" -–—|_·•»:/")) if _has_letters(p)]
    if not parts:
        return None
    name = parts[-1] if suffix else parts[0]
    return name if len(name) <= 40 else None


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


def _dateline_window(lines: list[str], title: str | None) -> range:
    """The dateline window of a page whose headline is `title` (see `_window_around`)."""
    if title:
        key = _norm_line(title)
        for index, line in enumerate(lines[:400]):
            if line == key or (len(key) >= 8 and line.startswith(key) and len(line) <= len(key) + 30):
                return _window_around(lines, index)
    return _window_around(lines, None)


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
