"""Page furniture: the lines of a copied or clipped page that are not the article.

WeChat 公众号 pieces arrive with the account label ("原创", the account's name), bylines
("作者 | … 编辑 | …"), image credits ("头图来源：…"), reprint notices, "点赞 / 在看 / 分享"
prompts, QR-code lines, promos after the body ("直播预告 …") and "更多阅读" link lists; news portals
captured by a clipper bring navigation, login links, share bars, "相关阅读" and footers with licence
lines. None of it is opinion, and counted as sentences it pulls an article's NEV toward neutral.

`separate_furniture(text)` reads the text line by line and decides by structure and density, not
by one site's phrases:
- the *header zone* (before the first prose paragraph): short lines without sentence punctuation
  that are neither the headline nor a date or source line the structure parser reads;
- *credit lines* of the Chinese press ("KEY | value" / "KEY：value" with a credit key: 作者, 编辑,
  责编, 校对, 头图, 图片来源 …): bylines fill `author`;
- *notices*: reprint, copyright and licence lines; *calls to action* (short lines that ask to
  like, share, follow or scan);
- *link lists*: lines that are mostly link text (from the Markdown renderer), "相关阅读"-style
  headings with the short lines after them, menu lines of short items, login and app lines;
- *repeated blocks*: a short line the page prints more than once;
- *after the end*: once the body has been told (at least half of its prose), the first end mark,
  notice, call to action, link-list heading or promo heading ends the article; what follows is
  furniture, unless it holds a large share of the prose (then the mark was not the end).

Nothing is dropped silently: every excluded run of lines is a `FurnitureBlock` with its reason,
listed to the user, and a block whose key is in `count_in` is kept in the text (an editor counted
it back in).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from analysis.records import FurnitureBlock
from analysis.text.dates import find_date
from analysis.text.markdown import IMAGE_MARK
from analysis.text.scripts import HAN

# Reason codes (the UI translates them; analysis.i18n "furniture.<code>").
REASONS = (
    "page_header",
    "timestamp",
    "byline",
    "image_credit",
    "notice",
    "call_to_action",
    "link_list",
    "navigation",
    "repeated",
    "after_end",
)

_SENTENCE_END = "。！？!?…；;"
_DECOR = " \t\u3000▼▲▶►●◆◇■□★☆•·-—–_=~|｜【】[]<>《》「」『』()（）:：*#>"
# Credit keys of the Chinese and English press (who wrote, edited, laid out, photographed).
_CREDIT_KEYS = (
    "作者|原作者|文|撰文|撰稿|执笔|记者|实习记者|实习生|通讯员|特约记者|编辑|责编|责任编辑|主编|副主编|编审|校对|审校|"
    "审核|审稿|终审|复审|初审|排版|美编|美术编辑|视觉|设计|插画|制图|出品|出品人|监制|策划|统筹|运营|编译|翻译|口述|整理|"
    "采写|摄影|摄像|视频|剪辑|图|图文|主笔|Author|Authors|Editor|Edited by|Written by|Reporter|Photo|Photos"
)
_IMAGE_KEYS = "头图|题图|封面|封面图|图片|配图|首图|图源|头图来源|题图来源|封面来源|图片来源|图片来自|图源来自|图片提供|Image|Cover"
_KEY_VALUE = r"\s*(?:[|｜丨/／:：]|\s)\s*\S"
_CREDIT_LINE = re.compile(rf"^[（(【\[]?\s*(?:{_CREDIT_KEYS}){_KEY_VALUE}", re.I)
_IMAGE_CREDIT = re.compile(rf"^[（(【\[]?\s*(?:{_IMAGE_KEYS})\s*(?:来源|来自|提供)?{_KEY_VALUE}", re.I)
_CREDIT_PAIR = re.compile(
    rf"(?:^|\s|[|｜丨])(?P<key>{_CREDIT_KEYS})\s*[|｜丨/／:：]\s*(?P<value>[^|｜丨/／:：\s]+)", re.I
)
_AUTHOR_KEYS = frozenset(
    [
        "作者",
        "原作者",
        "文",
        "撰文",
        "撰稿",
        "执笔",
        "记者",
        "特约记者",
        "主笔",
        "采写",
        "author",
        "authors",
        "written",
        "by",
    ]
) | {"written by"}
_ORIGINAL_LABEL = re.compile(r"^原创(?:\s|$)")
# Notice phrases: a line holding one is a reprint, copyright or licence notice whatever its length.
_NOTICE = re.compile(
    r"版权所有|版权归|版权声明|如有侵权|(?:请勿|禁止|不得|谢绝|严禁)转载|转载(?:请|须|需|自|于|务必)|"
    r"未经.{0,8}(?:许可|授权|同意)|ICP备|公网安备|网安备|All rights reserved|Copyright|©|"
    r"本(?:文|篇|期)(?:为|系|来自|来源|经|首发|由|转自|转载|内容)[^。！？]{0,40}(?:原创|授权|公众号|转载|首发|出品|来源|观点)|"
    r"不代表.{0,12}(?:立场|观点)|仅供参考.{0,12}不构成.{0,6}建议|免责声明",
    re.I,
)
# Notice words: a notice only on a line that is not a sentence of prose ("版权 © 新华网", "转载
# 授权"); "这篇报道被大量转载，…。" is the article's.
_NOTICE_WORD = re.compile(r"转载|版权|著作权|侵权|许可证")
_CTA = re.compile(
    r"点击.{0,8}(?:关注|蓝字|阅读原文|上方|下方|右上角|订阅|名片|这里|此处)|(?:扫码|扫描|长按|识别).{0,12}(?:关注|二维码|识别|添加|加入|预约|报名|购买|下载|收听|观看)|"
    r"二维码|关注(?:我们|公众号|本号|我|账号|视频号)|欢迎(?:关注|订阅|留言|转发|分享|点赞)|(?:点赞|在看|转发|分享|星标|置顶|收藏)[、,，/和及与]|"
    r"一键三连|设为星标|后台回复|阅读原文|分享到|Share (?:this|on)|Follow us|Subscribe",
    re.I,
)
# A sentence of prose is a call to action only when it speaks to the reader ("喜欢的话，请点赞、在看、
# 分享给更多的朋友吧！"), not when it tells what others did ("不少网友点赞、转发了这段视频，…。").
_ASK = re.compile(r"请|欢迎|记得|别忘|一键|吧|哦|让更多|给(?:我们|小编)|please|don't forget", re.I)
# A paragraph that opens by asking the reader to scan, press or click is an ask, however long.
_CTA_OPENING = re.compile(r"^(?:请|欢迎)?(?:扫码|扫描|长按|识别|点击|关注|添加|加入|报名|预约)")
# One-word buttons of a page: 关注, 分享, 收藏 …
_BUTTON = re.compile(
    r"^(?:关注|分享|点赞|在看|收藏|评论|回复|举报|打赏|赞|转发|留言|听过|Like|Share|Reply|Follow)$", re.I
)
# "Edwards 发表于 2025年09月28日 20时29分": who posted when
_POSTED = re.compile(r"发表于|发布于|编辑于|更新于|posted (?:by|on)|published on", re.I)
# A reporter's credit in brackets closing a paragraph: （总台记者唐鑫） (记者 张三 通讯员 李四).
_TRAILING_CREDIT = re.compile(
    r"[（(]\s*(?:[\u4e00-\u9fff]{0,6})?(?:记者|通讯员|实习生|特约撰稿|责任编辑|责编|编辑|摄影|摄像|编译|整理|综合)"
    r"[^（）()\n。！？]{1,30}[）)]\s*$"
)
_LINK_LIST_HEADING = re.compile(
    r"^(?:更多|相关|推荐|延伸|往期|精彩|热门|热点|今日|猜你|近期|历史)(?:阅读|文章|回顾|推荐|精选|新闻|报道|内容|喜欢)|"
    r"^(?:Related|Read more|More from|Recommended|You may also like|Most read|Trending)",
    re.I,
)
_LOGIN = re.compile(
    r"登录|登陆|注册|退出|客户端|APP下载|下载APP|手机版|无障碍|网站地图|联系我们|关于我们|意见反馈|设为首页|"
    r"Sign in|Log in|Sign up|Register|Log out|Newsletter",
    re.I,
)
_END_MARK = re.compile(
    r"^(?:[-—–_=~*·\s]*(?:END|THE END|End|end|完|全文完|本文完|结束)[-—–_=~*·\s]*|[（(]\s*(?:完|全文完)\s*[)）]|[-—–_=~*·]{3,})$"
)
_PROMO_HEADING = re.compile(
    r"直播预告|活动预告|预告|报名|福利|广告|推广|招聘|课程|直播间|预约|抽奖|赠书|征集|限时|优惠|团购|社群|读者群|入群|"
    r"Sponsored|Advertisement|Promo",
    re.I,
)
# Structure the parser reads (summary headings, numbered viewpoints, ordinal sections): never furniture.
_STRUCTURE_MARK = re.compile(
    r"^(?:Core View|Key Takeaway|Key Points|Main Points|Highlights|Group\s*\d|核心观点|核心看法|要点|主要观点|关键要点|"
    r"观点[一二三四五六七八九十\d]|第[一二三四五六七八九十\d]{1,3}[组章节部分]|分组\s*\d|组\s*\d|[一二三四五六七八九十]{1,3}\s*[、.．]|"
    r"[（(][一二三四五六七八九十]{1,3}[)）]|Part\s*\d|0\d$|[1-9]\d?$)",
    re.I,
)
# A line that is only a section number: WeChat writers put the section's title on the next line.
_SECTION_NUMBER = re.compile(
    r"^(?:0\d|[1-9]\d?|Part\s*\d{1,2}|[（(]?[一二三四五六七八九十]{1,3}[)）、]?)$", re.I
)
_FENCE = re.compile(r"^\s*(?:---|\+\+\+)\s*$")
_MENU_SPLIT = re.compile(r"\s*[|｜丨/·•]\s*|\s{2,}")
_HAN_WORDS = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:\s+[\u4e00-\u9fff]{1,8})+$")  # 首页 新闻 财经 科技

PROSE_CHARS = 25  # a line this long that ends like a sentence is prose
SHORT = 30  # a line this short, without sentence punctuation, is not prose


@dataclass(frozen=True)
class Separated:
    body: str  # the text with furniture lines removed (counted-in blocks kept)
    blocks: tuple[FurnitureBlock, ...]
    author: str | None  # from a byline
    account: str | None  # the account name, from the header zone
    place: str | None = None  # the place after the header's date ("… 20:11 北京"), not a source


def block_key(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:12]


def _core(line: str) -> str:
    """The line without heading marks, list markers and decoration."""
    line = re.sub(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,2}[.、)]\s+)", "", line)
    return line.strip(_DECOR)


def _is_prose(line: str) -> bool:
    core = line.strip()
    if len(core) >= 60:
        return True
    return len(core) >= PROSE_CHARS and core.rstrip("”’」』）)】\"' ")[-1:] in _SENTENCE_END


def _is_notice(line: str, core: str) -> bool:
    if len(core) > 200:
        return False
    return _NOTICE.search(core) is not None or (_NOTICE_WORD.search(core) is not None and not _is_prose(line))


def _has_sentence_punct(line: str) -> bool:
    return any(ch in line for ch in "。！？!?；;，,")


def _is_menu(core: str) -> bool:
    """Several short items and nothing like a sentence: 首页 | 新闻 | 财经 | 科技."""
    if _has_sentence_punct(core) or len(core) > 80:
        return False
    items = [x for x in _MENU_SPLIT.split(core) if x]
    if len(items) < 4 and _HAN_WORDS.match(core):
        items = core.split()
    return len(items) >= 4 and all(len(x) <= 8 for x in items)


def _is_heading(line: str) -> bool:
    return re.match(r"^\s*#{1,6}\s+\S", line) is not None


def _is_meta_line(core: str) -> bool:
    """A date or a source line: the structure parser reads those (they are not counted)."""
    if re.match(
        r"^(?:来源|来源于|稿源|出处|发布时间|发布日期|时间|日期|Source|Published)\s*[:：]", core, re.I
    ):
        return True
    found = find_date(core)
    return found is not None and (found[1][1] - found[1][0]) >= 0.4 * len(core)


def _is_date_only(core: str) -> bool:
    found = find_date(core)
    return (
        found is not None and (found[1][1] - found[1][0]) >= 0.8 * len(core) and not _has_sentence_punct(core)
    )


def _headline_key(line: str) -> str:
    line = re.sub(r"^\s*(?:#{1,6}\s+|title\s*[:：]\s*|标题\s*[:：]\s*)", "", line.strip(), flags=re.I)
    return re.sub(r"\s+", "", line.strip(_DECOR + "\"'"))


def _headline_restart(
    lines: list[str], cores: list[str], nonempty: list[int], reason: list[str | None]
) -> int | None:
    """The line where a whole-page capture prints the headline again (None when it does not)."""
    first = nonempty[0]
    key = _headline_key(lines[first])
    # a front matter title names the headline when there is one
    for line in lines[: first + 1] if first else []:
        if re.match(r"^\s*(?:title|标题)\s*[:：=]", line, re.I):
            key = _headline_key(line)
    if len(key) < 6:
        return None
    prose_total = sum(len(cores[i]) for i in nonempty if _is_prose(lines[i]))
    restart = None
    before = 0
    for i in nonempty[1:]:
        if before > 0.25 * prose_total:
            break
        if _headline_key(lines[i]) == key:
            restart = i
        elif reason[i] is None and _is_prose(lines[i]):
            before += len(cores[i])
    return restart


# Credit keys that may follow a name with no separator once Markdown marks are gone ("曹思颀编辑| 郑玄").
_NEXT_CREDIT = re.compile(
    r"(?:编辑|责编|校对|审核|排版|美编|视觉|设计|出品|监制|策划|统筹|运营|编译|翻译|摄影|Editor)"
)


def _author_from(line: str) -> str | None:
    for m in _CREDIT_PAIR.finditer(line):
        if m.group("key").lower() in _AUTHOR_KEYS:
            value = _NEXT_CREDIT.split(m.group("value"))[0].strip(_DECOR)
            if value:
                return value
    return None


@dataclass
class _Page:
    """The lines of a text under examination, with a reason per line once one is found."""

    lines: list[str]
    cores: list[str]  # each line without marks and decoration ("" for blank or front matter)
    links: list[int]  # link characters per line
    after_image: list[bool]  # the line stands under an image (a caption)
    nonempty: list[int]
    reason: list[str | None]
    author: str | None = None
    account: str | None = None
    place: str | None = None

    def prose(self, i: int) -> bool:
        return _is_prose(self.lines[i])


def _read_page(text: str, link_chars: tuple[int, ...] | None) -> _Page:
    lines = text.split("\n")
    n = len(lines)
    # Where an image stood (analysis.text.markdown.IMAGE_MARK): the short line after it is a caption.
    after_image = [False] * n
    image_line = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(IMAGE_MARK) and stripped.replace(IMAGE_MARK, "").strip():
            after_image[i] = True  # "![](…)蔚来第二先进制造基地 | 蔚来": caption on the image's line
        elif stripped and not stripped.replace(IMAGE_MARK, "").strip():
            image_line = True
            lines[i] = ""
            continue
        elif stripped:
            after_image[i] = image_line
        if stripped:
            image_line = False
        lines[i] = line.replace(IMAGE_MARK, "")
    links = list(link_chars) if link_chars is not None and len(link_chars) == n else [0] * n
    cores = [_core(line) for line in lines]
    # A front matter block at the top is metadata the structure parser reads.
    first = next((i for i in range(n) if lines[i].strip()), None)
    if first is not None and _FENCE.match(lines[first]):
        close = next((j for j in range(first + 1, min(n, first + 60)) if _FENCE.match(lines[j])), None)
        if close is not None:
            for j in range(first, close + 1):
                cores[j] = ""
    nonempty = [i for i in range(n) if cores[i]]
    return _Page(lines, cores, links, after_image, nonempty, [None] * n)


def _mark_lines(page: _Page) -> None:
    """The per-line rules that hold anywhere on the page."""
    lines, cores, reason = page.lines, page.cores, page.reason
    counts: dict[str, int] = {}
    for i in page.nonempty:
        counts[cores[i]] = counts.get(cores[i], 0) + 1
    for i in page.nonempty:
        line, core = lines[i].strip(), cores[i]
        short = len(core) <= 80 and not _is_prose(line)
        if _ORIGINAL_LABEL.match(core) and short:  # "原创 张三 财经观察": the account label line
            reason[i] = "page_header"
            tokens = core.split()[1:]
            page.account = page.account or (tokens[-1] if tokens else None)
        elif _IMAGE_CREDIT.match(core) and len(core) <= 80:
            reason[i] = "image_credit"
        elif _CREDIT_LINE.match(core) and short:
            reason[i] = "byline"
            page.author = page.author or _author_from(core)
        elif _is_notice(line, core):
            reason[i] = "notice"
        elif (
            _CTA.search(core) and len(core) <= 60 and (not _is_prose(line) or _ASK.search(core))
        ) or _BUTTON.match(core):
            reason[i] = "call_to_action"
        elif _CTA.search(core) and _CTA_OPENING.match(core) and len(core) <= 200:
            reason[i] = "call_to_action"  # "识别二维码加入…社群，内有…": a promo paragraph
        elif _POSTED.search(core) and find_date(core) is not None and len(core) <= 80:
            reason[i] = "byline"
        elif page.links[i] and page.links[i] >= 0.5 * len(core) and not _is_prose(line):
            reason[i] = "link_list"
        elif (
            short
            and not _is_heading(line)
            and (_is_menu(core) or (_LOGIN.search(core) and len(core) <= SHORT))
        ):
            reason[i] = "navigation"
        elif page.after_image[i] and len(core) <= 40 and not _is_prose(line) and not _is_heading(line):
            reason[i] = "image_credit"  # a caption under an image
        elif (
            counts[core] >= 2 and len(core) <= 40 and not _is_heading(line) and not _has_sentence_punct(core)
        ):
            reason[i] = "repeated"
    # A line that is only a date or time, past the top lines the structure parser reads.
    for i in page.nonempty[6:]:
        if reason[i] is None and _is_date_only(cores[i]):
            reason[i] = "timestamp"


def _mark_site_header(page: _Page) -> int | None:
    """A whole-page capture prints the headline twice: once at the top and again where the article
    starts, after the site's header. Everything between the two is the site's, not the article's.
    Returns the line of the second headline (None when there is none)."""
    headline = page.nonempty[0]
    restart = _headline_restart(page.lines, page.cores, page.nonempty, page.reason)
    if restart is not None:
        for j in page.nonempty:
            if headline < j <= restart and page.reason[j] is None and not _is_meta_line(page.cores[j]):
                page.reason[j] = "repeated" if j == restart else "page_header"
    return restart


def _mark_header_zone(page: _Page, zone_start: int) -> None:
    """Before the first prose line (after `zone_start`), short unpunctuated lines are page
    furniture, except the headline (the first line) and the date / source lines the structure
    parser reads; the account name and the place after the date are noted. (No prose at all: a
    short text or a summary of short lines; then there is no header zone.)"""
    lines, cores, reason = page.lines, page.cores, page.reason
    headline = page.nonempty[0]
    first_prose = next(
        (
            i
            for i in page.nonempty
            if i > zone_start and _is_prose(lines[i]) and reason[i] is None and not _is_heading(lines[i])
        ),
        -1,
    )
    previous: int | None = None  # the nonempty line before i
    for i in page.nonempty:
        if i >= first_prose:
            break
        prior, previous = previous, i
        if i <= zone_start:
            continue
        core = cores[i]
        if reason[i] is not None or i == headline or _is_heading(lines[i]) or _STRUCTURE_MARK.match(core):
            continue
        if prior is not None and _SECTION_NUMBER.match(cores[prior]):
            continue  # "01" then "上午的消息": the first section's title, not the page's
        if _is_meta_line(core):
            _note_dateline(page, core)
            continue
        if len(core) <= SHORT and not _has_sentence_punct(core) and not re.search(r"[:：=]", core):
            reason[i] = "page_header"
            nxt = next((j for j in page.nonempty if j > i), None)
            if nxt is not None and _is_meta_line(cores[nxt]) and len(core) <= 20:
                page.account = page.account or core


def _note_dateline(page: _Page, core: str) -> None:
    """ "36氪 2025年10月27日 20:11 北京": the name before the date is the account, the place after
    it is where (not a source)."""
    found = find_date(core)
    tail = core[found[1][1] :].strip(_DECOR) if found else ""
    if 0 < len(tail) <= 6 and HAN.search(tail) and not _has_sentence_punct(tail):
        page.place = page.place or tail
    if found and found[1][0] > 0 and not re.match(r"^(?:来源|Source)", core, re.I):
        before = core[: found[1][0]].strip(_DECOR)
        if 0 < len(before) <= 20 and HAN.search(before):
            page.account = page.account or before.split()[-1]


def _mark_link_lists(page: _Page) -> None:
    """ "相关阅读" anywhere: the heading and the short lines after it."""
    cores, reason = page.cores, page.reason
    for i in page.nonempty:
        if _LINK_LIST_HEADING.match(cores[i]) and len(cores[i]) <= 20 and reason[i] is None:
            reason[i] = "link_list"
            for j in range(i + 1, len(cores)):
                if not cores[j]:
                    continue
                if page.prose(j) or reason[j] not in (None, "link_list"):
                    break
                reason[j] = "link_list"


def _mark_after_end(page: _Page) -> None:
    """After the end: the first end mark, notice, call to action, link-list heading or promo
    heading once at least half of the prose has been told, unless much prose follows it."""
    cores, reason = page.cores, page.reason
    prose_total = sum(len(cores[i]) for i in page.nonempty if reason[i] is None and page.prose(i))
    told = 0
    for i in page.nonempty:
        core = cores[i]
        is_anchor = (
            reason[i] in ("notice", "call_to_action", "link_list")
            or _END_MARK.match(page.lines[i].strip()) is not None
            or (_LINK_LIST_HEADING.match(core) is not None and len(core) <= 20)
            or (_PROMO_HEADING.search(core) is not None and len(core) <= 20 and not _has_sentence_punct(core))
        )
        if is_anchor and prose_total and told >= 0.5 * prose_total:
            rest = sum(len(cores[j]) for j in page.nonempty if j > i and reason[j] is None and page.prose(j))
            if rest <= 0.35 * prose_total:
                for j in page.nonempty:
                    if j >= i and reason[j] is None:
                        reason[j] = "after_end"
                break
        if reason[i] is None and page.prose(i):
            told += len(core)


def _blocks(page: _Page, count_in: frozenset[str]) -> tuple[list[str], list[FurnitureBlock]]:
    """Runs of lines with one reason as blocks (a blank line between two lines of a run joins
    it); the kept lines, with the blocks counted back in."""
    lines, cores, reason = page.lines, page.cores, page.reason
    n = len(lines)
    blocks: list[FurnitureBlock] = []
    kept: list[str] = []
    i = 0
    while i < n:
        if reason[i] is None:
            # A credit closing a paragraph ("…已增加到20人。（总台记者田晓春）") is not a sentence of
            # the article: listed like any other block, and kept when counted back in.
            credit = _TRAILING_CREDIT.search(lines[i])
            if credit and lines[i][: credit.start()].strip():
                span = credit.group(0).strip()
                key = block_key(span)
                counted = key in count_in
                blocks.append(FurnitureBlock(key, span, "byline", i, counted))
                kept.append(lines[i] if counted else lines[i][: credit.start()].rstrip())
            else:
                kept.append(lines[i])
            i += 1
            continue
        j, why = i, reason[i]
        block_lines = []
        while j < n and (reason[j] == why or (not cores[j] and j + 1 < n and reason[j + 1] == why)):
            if cores[j]:
                block_lines.append(lines[j].strip())
            j += 1
        block_text = "\n".join(block_lines)
        key = block_key(block_text)
        counted = key in count_in
        blocks.append(FurnitureBlock(key, block_text, why or "", i, counted))
        if counted:
            kept.extend(lines[i:j])
        i = j
    return kept, blocks


def separate_furniture(
    text: str,
    link_chars: tuple[int, ...] | None = None,
    count_in: frozenset[str] = frozenset(),
) -> Separated:
    """Split `text` into the article body and the furniture blocks (see the module docstring).
    `link_chars`: per line, characters that were link text (analysis.text.markdown). The passes
    run in this order because later ones skip lines an earlier one has explained."""
    page = _read_page(text, link_chars)
    if not page.nonempty:
        return Separated(text, (), None, None)
    _mark_lines(page)
    restart = _mark_site_header(page)
    _mark_header_zone(page, restart if restart is not None else -1)
    _mark_link_lists(page)
    _mark_after_end(page)
    kept, blocks = _blocks(page, count_in)
    return Separated("\n".join(kept), tuple(blocks), page.author, page.account, page.place)
