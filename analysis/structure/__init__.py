"""Text to Document: title, source, date, core viewpoint, viewpoint groups, bullets, sentences.

Two kinds of input are recognised.

*Summary* (kind "summary") — an AI-style digest such as the seed article::

    小米汽车陷入困境,问题出在哪?
    Xin Lang Cai Jing·2025-10-27 20:11
    Core Viewpoint - ... [1][3]. Group 1: Trust and Public Sentiment - ... [1]. - ... [1][3]. Group 2: ...

It may sit on one line or many, or be Markdown (`# 标题`, `## Group 1: Title`, `- bullet`). Mapping
of the headings this parser knows:

- `Core Viewpoint` / `Core View` / `Key Takeaway` / `核心观点` / `核心看法` → the core viewpoint (one
  Bullet; several bullets under it are joined).
- `Group N[: Title]`, `第N组`, `分组N`, `组N` → group N; without a title, one is derived from the
  bullets' keywords (`title_derived=True`).
- `观点一：…` / `观点1：…` and a line-initial `一、…` → one group each (Chinese numbered viewpoints are
  the group level); a short heading phrase before `：`/` - `/line end is its title, else derived.
- `Key Points` / `Main Points` / `Highlights` / `要点` / `主要观点` / `关键要点` → one group titled
  by the heading, each numbered item (`1. … 2. …`, `1、…`, `(1)…`) a bullet of it.
- Bullets inside a section: line-initial `- ` `* ` `• ` `1. ` `1、` `(1)` `①`; else on one line,
  ` - ` after a sentence end or citation, or a sequential `1. … 2. …` chain; else each paragraph.
- Text before the first heading: title, source and date lines; anything else becomes the core
  viewpoint when there is none. A short headline-like last line (no citation, no full stop) is
  the title when none was found at the top.

*Article* (kind "article") — anything else: title, source and date are taken from a key-value
header block or front matter at the top (`标题：/日期：/来源：…`, `Title:/Published:/Source:…`, a
`---`/`+++` fence), whose values win, then from the first lines (and source or labelled date lines
at the end; a wire dateline "LOS ANGELES (Reuters) -" / "新华社巴黎12月9日电" names the source when
nothing else does; a leading `【标题】` is the headline, or the outlet if known); sections start at headings (Markdown `#`, `一、…`, `**…**`,
short unpunctuated lines before a paragraph); otherwise blank-line blocks that hold several
paragraphs are sections; otherwise the whole body is one section. Each paragraph is a bullet.
Sections without a heading get a derived title.

Citations `[1][3]`, `[1,3]`, `［1］`, `[1-3]` are kept as `Bullet.citations` and removed from the text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from analysis.errors import OpinionLensError
from analysis.model import Bullet, Document, Group, Sentence
from analysis.sentences import split_sentences
from analysis.text.dates import find_date
from analysis.text.furniture import Separated, separate_furniture
from analysis.text.markdown import looks_like_markdown, render_markdown
from analysis.text.scripts import CJK, HAN

__all__ = [
    "SOURCE_ALIASES",
    "StructureError",
    "derive_title",
    "parse_document",
    "parse_published_at",
    "split_sentences",
]


class StructureError(OpinionLensError):
    """Text that cannot be parsed at all (empty or whitespace only)."""

    default_code = "empty_text"


# --------------------------------------------------------------------------------------------
# Data: pinyin names of Chinese outlets (as they appear in machine-translated digests) → Chinese.
SOURCE_ALIASES: dict[str, str] = {
    "Xin Lang Cai Jing": "新浪财经",
    "Xin Lang Ke Ji": "新浪科技",
    "Xin Lang Xin Wen": "新浪新闻",
    "Xin Lang": "新浪",
    "Teng Xun Xin Wen": "腾讯新闻",
    "Teng Xun Ke Ji": "腾讯科技",
    "Jie Mian Xin Wen": "界面新闻",
    "Cai Lian She": "财联社",
    "Di Yi Cai Jing": "第一财经",
    "Zhong Guo Ji Jin Bao": "中国基金报",
    "Zheng Quan Shi Bao": "证券时报",
    "Zhong Guo Zheng Quan Bao": "中国证券报",
    "Shang Hai Zheng Quan Bao": "上海证券报",
    "Zheng Quan Ri Bao": "证券日报",
    "Jing Ji Guan Cha Bao": "经济观察报",
    "Jing Ji Guan Cha Wang": "经济观察网",
    "21 Shi Ji Jing Ji Bao Dao": "21世纪经济报道",
    "Mei Ri Jing Ji Xin Wen": "每日经济新闻",
    "Hua Er Jie Jian Wen": "华尔街见闻",
    "Cai Xin": "财新",
    "Cai Xin Wang": "财新网",
    "Peng Pai Xin Wen": "澎湃新闻",
    "Xin Jing Bao": "新京报",
    "Xin Hua She": "新华社",
    "Xin Hua Wang": "新华网",
    "Ren Min Ri Bao": "人民日报",
    "Ren Min Wang": "人民网",
    "Yang Shi Xin Wen": "央视新闻",
    "Zhong Guo Xin Wen Wang": "中国新闻网",
    "Huan Qiu Shi Bao": "环球时报",
    "Sou Hu": "搜狐",
    "Sou Hu Cai Jing": "搜狐财经",
    "Wang Yi Cai Jing": "网易财经",
    "Wang Yi Xin Wen": "网易新闻",
    "Feng Huang Wang": "凤凰网",
    "Zhi Tong Cai Jing": "智通财经",
    "Ge Long Hui": "格隆汇",
    "36 Ke": "36氪",
    "Hu Xiu": "虎嗅",
    "Tai Mei Ti": "钛媒体",
    "Dong Fang Cai Fu Wang": "东方财富网",
    "Jin Rong Jie": "金融界",
    "Zhong Guo Qi Che Bao": "中国汽车报",
    "Dong Che Di": "懂车帝",
    "Qi Che Zhi Jia": "汽车之家",
}


def _alias_key(name: str) -> str:
    return re.sub(r"[\s\-_·.]+", "", name).lower()


_ALIAS_BY_KEY = {_alias_key(k): v for k, v in SOURCE_ALIASES.items()}
_KNOWN_SOURCES = sorted(
    {
        *SOURCE_ALIASES,
        *SOURCE_ALIASES.values(),
        "Reuters",
        "Bloomberg",
        "AP",
        "AFP",
        "Xinhua",
        "CNN",
        "BBC",
        "Caixin",
        "SCMP",
        "Financial Times",
        "The Wall Street Journal",
        "The New York Times",
    },
    key=len,
    reverse=True,
)

# --------------------------------------------------------------------------------------------
_KNOWN_SOURCE_KEYS = frozenset(_alias_key(n) for n in _KNOWN_SOURCES)

# Dates


def parse_published_at(text: str) -> datetime | None:
    """The first date (and time) in `text`, timezone-aware.

    Without an explicit zone the time is read as China time (Asia/Shanghai, +08:00), the zone of
    the Chinese sources this tool is made for. Formats: `2016年10月14日07:17`, `2025-10-27 20:11`,
    `2025/10/27`, `Oct 27, 2025`, `October 27, 2025 8:11 PM`, ISO 8601 with `Z` or `+hh:mm`.
    """
    found = find_date(text[:10_000])
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# Citations

_CITATION = re.compile(
    r"[ \t]*[\[［【]\^?[ \t]*(\d{1,4}(?:[ \t]*[,，、\-–~～][ \t]*\d{1,4}){0,20})[ \t]*[\]］】]"
)
_MAX_CITATION = 999
_MAX_RANGE = 50  # [1-1000] is not a citation range anyone means; cap the expansion


def _citation_numbers(inner: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"[ \t]*[,，、][ \t]*", inner):
        bounds = re.split(r"[ \t]*[\-–~～][ \t]*", part)
        if len(bounds) == 2:
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo <= hi and hi - lo < _MAX_RANGE:
                numbers.extend(range(lo, hi + 1))
            else:
                numbers.extend((lo, hi))
        else:
            numbers.extend(int(b) for b in bounds if b)
    return numbers


def extract_citations(text: str) -> tuple[str, tuple[int, ...]]:
    """Remove citation marks from `text`; return the cleaned text and the cited numbers in order."""
    cited: list[int] = []

    def drop(m: re.Match[str]) -> str:
        numbers = _citation_numbers(m.group(1))
        if not numbers or any(n < 1 or n > _MAX_CITATION for n in numbers):
            return m.group(0)  # [2025] or [0]: not a citation
        cited.extend(numbers)
        return ""

    cleaned = _CITATION.sub(drop, text)
    return cleaned, tuple(dict.fromkeys(cited))


# --------------------------------------------------------------------------------------------
# Text helpers

_WORD = re.compile(r"\w")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END_CHARS = "。！？!?.…;；"
_CLOSING = "”’」』）)】》\"'"


def _clean_input(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.replace("\u00a0", " ").replace("\t", " ")


def _join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space otherwise."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (CJK.match(out[-1]) and CJK.match(line[0])):
            out += " "
        out += line
    return out


def _squash_spaces(text: str) -> str:
    return re.sub(r"[ \u3000]{2,}", " ", text).strip()


def _has_content(text: str) -> bool:
    return bool(_WORD.search(text))


def _ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING + " ")
    return bool(stripped) and stripped[-1] in "。！？!?.…;；"


def _is_short_heading(line: str, *, allow_question: bool = False) -> bool:
    """Short, unpunctuated at the end, no citation: looks like a title rather than prose.
    Headlines may end with ? or ! (`问题出在哪?`); `allow_question` accepts those."""
    line = line.strip()
    if not line or _CITATION.search(line):
        return False
    exclaims = allow_question and line.rstrip(_CLOSING + " ")[-1:] in ("?", "？", "!", "！")
    if _ends_like_sentence(line) and not exclaims:
        return False
    han = len(HAN.findall(line))
    words = len(re.findall(r"[A-Za-z]+", line))
    return (han + words) > 0 and han <= 40 and words <= 16 and len(line) <= 120


# --------------------------------------------------------------------------------------------
# Derived titles

# Words that make poor title terms though they are fine keywords elsewhere.
_ZH_TITLE_STOPWORDS = frozenset(
    {"文章", "指出", "表示", "认为", "我们", "他们", "一个", "没有", "已经", "这个", "公司"}
)
_EN_TITLE_STOPWORDS = frozenset({"article", "discusses", "highlights", "highlighting", "indicating"})


def _title_terms(text: str, k: int, lang: str) -> list[str]:
    """The top `k` keywords of `text` by the one keyword extractor, fit for a title."""
    from analysis.text.keywords import extract_keywords  # lazy: loads jieba

    terms = [kw.term for kw in extract_keywords([text], top=k * 4)]
    if lang == "zh":
        picked = [t for t in terms if HAN.search(t) and len(t) >= 2 and t not in _ZH_TITLE_STOPWORDS]
    else:
        picked = [t for t in terms if not HAN.search(t) and t.lower() not in _EN_TITLE_STOPWORDS]
        # A title names what the text keeps coming back to: among the key phrases, those whose
        # words recur most come first (RAKE alone favours long one-off phrases).
        counts = Counter(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", text))
        picked.sort(key=lambda t: -sum(counts[w.lower()] for w in t.split()) / len(t.split()))
        seen: set[str] = set()
        unique = []
        for term in picked:  # "Plant" adds nothing after "Battery plant"
            words = {w.lower() for w in term.split()}
            if not words <= seen:
                unique.append(term)
                seen |= words
        picked = unique
    return picked[:k]


def derive_title(text: str, max_terms: int = 3) -> str:
    """A readable title from a section's content: its top keywords.

    Keywords by `analysis.text.keywords` (TF-IDF for Chinese, RAKE phrases for English). Chinese
    terms are joined with 、 (e.g. "信任、舆情、小米"); English ones capitalised and joined with ", "
    (e.g. "Battery recall, Safety").
    """
    sample = text[:5000]  # keywords of the opening are enough and keep this fast on huge input
    han = len(HAN.findall(sample))
    latin = len(re.findall(r"[A-Za-z]+", sample))
    terms: list[str] = []
    if han >= latin and han:
        terms = _title_terms(sample, max_terms, "zh")
        if terms:
            return "、".join(terms)
    terms = _title_terms(sample, max_terms, "en")
    if terms:
        return ", ".join(t[:1].upper() + t[1:] for t in terms)
    fallback = _squash_spaces(sample.replace("\n", " "))
    return (fallback[:24] + "…") if len(fallback) > 24 else fallback


# --------------------------------------------------------------------------------------------
# Metadata (title, source, date)

_SOURCE_LINE = re.compile(
    r"^[（(【\[]?\s*(?:来源于|来源|来自|出处|稿源|Source|Sources|From)\s*[:：]\s*(?P<src>[^)）】\]\n]{1,60})[)）】\]]?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+(?P<who>[^\n]{1,120})$", re.IGNORECASE)
_EDITOR_LINE = re.compile(
    r"^[（(]?\s*(?:责任编辑|编辑|校对|审核|记者|作者|撰文|Editor|Edited by|Reporting by)\s*[:：].{0,60}$"
)
_END_MARK = re.compile(r"^[（(]\s*完\s*[)）]$")
_SEPARATORS = " ·•|/,，、-–—:：\u3000"


@dataclass
class _Meta:
    title: str | None = None
    source: str | None = None
    published_at: datetime | None = None


# Labels that end a source value on its line: "来源：证券时报网 作者：李在山", "Source: Reuters | By …".
_NEXT_LABEL = re.compile(
    r"\s*(?:作者|记者|编辑|责任编辑|责编|原标题|摄影|通讯员|Author|Editor|By)\s*[:：]|\s+By\s|\s{2,}|\s*[|｜]\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|星期[一二三四五六日天]|周[一二三四五六日天])\.?$",
    re.IGNORECASE,
)


def _cut_at_next_label(value: str) -> str:
    """A source value without what follows the next label on its line (作者：…, By …)."""
    return _NEXT_LABEL.split(value, maxsplit=1)[0].strip(_SEPARATORS + "()（）")


def _source_from_prefix(prefix: str) -> tuple[str | None, str]:
    """Split "小米汽车陷入困境? Xin Lang Cai Jing" into (source, rest before it)."""
    prefix = prefix.rstrip(_SEPARATORS)
    if not prefix:
        return None, ""
    if _WEEKDAY.match(prefix.strip()):  # "Friday, December 23, 2016": a weekday, not an outlet
        return None, ""
    squashed = _alias_key(prefix)
    for name in _KNOWN_SOURCES:
        key = _alias_key(name)
        if key and squashed.endswith(key):
            # find where the name starts in the unsquashed text (walk back over its characters)
            need, i = len(key), len(prefix)
            while i > 0 and need > 0:
                i -= 1
                if _alias_key(prefix[i]):
                    need -= 1
            return prefix[i:].strip(), prefix[:i].rstrip(_SEPARATORS)
    # pinyin or English outlet name: a trailing run of capitalised words
    m = re.search(r"(?:^|(?<=[\s?？!！。,，·]))((?:[A-Z0-9][A-Za-z0-9&'.]*\s?){1,8})$", prefix)
    if m and m.group(1).strip():
        rest = prefix[: m.start(1)].rstrip(_SEPARATORS)
        return m.group(1).strip(), rest
    if len(prefix) <= 30 and not _ends_like_sentence(prefix):
        return prefix.strip(), ""
    return None, prefix


def _source_alias(source: str | None) -> str | None:
    if not source:
        return None
    return _ALIAS_BY_KEY.get(_alias_key(source))


def _read_meta_line(line: str, meta: _Meta) -> str | None:
    """Take source / date out of a metadata line; return what is left (title text) or None if
    the line was not metadata."""
    stripped = line.strip()
    m = _SOURCE_LINE.match(stripped)
    if m:
        src = _cut_at_next_label(m.group("src"))
        found = find_date(src)
        if found:
            meta.published_at = meta.published_at or found[0]
            src = (src[: found[1][0]] + src[found[1][1] :]).strip(_SEPARATORS)
        if src and meta.source is None:
            meta.source = src
        return ""
    m = _BYLINE.match(stripped)
    if m and len(stripped) <= 120:
        who = m.group("who")
        found = find_date(who)
        if found:
            meta.published_at = meta.published_at or found[0]
            who = who[: found[1][0]]
        parts = [p.strip() for p in re.split(r"[,|;]| and ", who) if p.strip()]
        if len(parts) >= 2 and meta.source is None:
            meta.source = parts[-1]
        return ""
    if _EDITOR_LINE.match(stripped) or _END_MARK.match(stripped):
        return ""
    found = find_date(stripped)
    if found is None or len(stripped) > 160:
        return None
    date, (start, end) = found
    after = stripped[end:].strip(_SEPARATORS)
    before = stripped[:start]
    if len(after) > 40 or (_ends_like_sentence(stripped) and len(stripped) > 60):
        return None  # a sentence that mentions a date, not a date line
    if _ends_like_sentence(stripped) and re.search(r"[，,；;]\s*\S", after):
        return None  # "2019年2月27日下午，调研组一行……调研。": a sentence that opens with a date
    if meta.published_at is None:
        meta.published_at = date
    labelled = _SOURCE_LINE.match(before.strip(_SEPARATORS)) or _SOURCE_LINE.match(after)
    if labelled:  # "来源：新华社 2016年10月14日" / "2016年10月14日07:17 来源：新华社 作者：…"
        source, rest = _cut_at_next_label(labelled.group("src")) or None, ""
    else:
        source, rest = _source_from_prefix(before)
    if source is None and after and len(after) <= 30:
        source = after.strip()
    if source and meta.source is None:
        meta.source = source
    return rest


def _strip_heading_marks(line: str) -> str:
    line = line.strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    line = re.sub(r"^[*_]{2}(.*?)[*_]{2}$", r"\1", line)
    line = re.sub(r"^(?:标题|Title|Headline)\s*[:：]\s*", "", line, flags=re.IGNORECASE)
    return line.strip()


# --------------------------------------------------------------------------------------------
# Building the Document


@dataclass
class _RawGroup:
    title: str | None
    bullets: list[str] = field(default_factory=list)


_SPACE_RUNS = re.compile(r"[ \u3000]*\n\s*|[ \u3000]{2,}")


@dataclass(frozen=True)
class _Cleaned:
    """A bullet's text without citations, and its sentences, before positions are assigned."""

    text: str
    citations: tuple[int, ...]
    sentences: tuple[str, ...]


def _make_bullet(raw: str) -> _Cleaned | None:
    text, citations = extract_citations(raw) if ("[" in raw or "［" in raw or "【" in raw) else (raw, ())
    text = _SPACE_RUNS.sub(" ", text).strip()
    if not _has_content(text):
        return None
    return _Cleaned(text, citations, tuple(split_sentences(text)))


def _number(bullet: _Cleaned, group: int | None, index: int, start: int) -> tuple[Bullet, int]:
    numbered = tuple(
        Sentence(text=t, position=start + i, group=group, bullet=index)
        for i, t in enumerate(bullet.sentences)
    )
    return Bullet(text=bullet.text, citations=bullet.citations, sentences=numbered), start + len(numbered)


def _build(
    meta: _Meta,
    core_raw: list[str],
    groups_raw: list[_RawGroup],
    kind: str,
) -> Document | None:
    position = 0
    core: Bullet | None = None
    core_bullets = [b for b in (_make_bullet(r) for r in core_raw) if b]
    if core_bullets:
        merged = _Cleaned(
            text=" ".join(b.text for b in core_bullets),
            citations=tuple(dict.fromkeys(c for b in core_bullets for c in b.citations)),
            sentences=tuple(s for b in core_bullets for s in b.sentences),
        )
        core, position = _number(merged, None, 0, position)
    groups: list[Group] = []
    for raw in groups_raw:
        bullets = [b for b in (_make_bullet(r) for r in raw.bullets) if b]
        if not bullets:
            continue
        index = len(groups) + 1
        numbered: list[Bullet] = []
        for i, b in enumerate(bullets):
            nb, position = _number(b, index, i, position)
            numbered.append(nb)
        title = _squash_spaces(extract_citations(raw.title)[0]) if raw.title else ""
        derived = not title
        if derived:
            title = derive_title(" ".join(b.text for b in bullets))
        groups.append(Group(index=index, title=title, bullets=tuple(numbered), title_derived=derived))
    if position == 0:
        return None
    return Document(
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
        core_viewpoint=core,
        groups=tuple(groups),
        kind="summary" if kind == "summary" else "article",
        source_alias=_source_alias(meta.source),
    )


# --------------------------------------------------------------------------------------------
# Bullets inside one section body

_LINE_BULLET = re.compile(r"^\s*(?:[-*•·+]\s+|\d{1,2}\s*[.、)）]\s*(?!\d)|[（(]\d{1,2}[)）]\s*|[①-⑳]\s*)")
_INLINE_DASH = re.compile(r"(?<=[.。!！?？;；…\]］】)）”\"'])\s+[-–—•]\s+")
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s)|(?<=[。！？!?;；:：\]］】]))(\d{1,2})\s*[.、)）](?!\d)\s*")
_INLINE_CIRCLED = re.compile(r"[①-⑳]")


def _split_numbered_inline(text: str) -> list[str] | None:
    """Split "1. a 2. b 3. c" on a sequential chain of item numbers starting at 1."""
    chain: list[re.Match[str]] = []
    for m in _INLINE_NUMBER.finditer(text):
        if int(m.group(1)) == len(chain) + 1:
            chain.append(m)
    if len(chain) < 2:
        return None
    parts = [text[: chain[0].start()]]
    for a, b in zip(chain, [*chain[1:], None], strict=True):
        parts.append(text[a.end() : b.start() if b else len(text)])
    return [p.strip() for p in parts if p.strip()]


def _split_inline(chunk: str) -> list[str]:
    chunk = chunk.strip()
    chunk = re.sub(r"^[-–—•*]\s+", "", chunk)
    parts = [p for p in _INLINE_DASH.split(chunk) if p.strip()]
    if len(parts) > 1:
        return parts
    numbered = _split_numbered_inline(chunk)
    if numbered:
        return numbered
    if len(_INLINE_CIRCLED.findall(chunk)) >= 2:
        return [p for p in _INLINE_CIRCLED.split(chunk) if p.strip()]
    return [chunk] if chunk else []


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Text wrapped at a fixed width: some long line stops mid-sentence and the next line goes on."""
    for line, nxt in itertools.pairwise(lines):
        if len(line.strip()) >= 40 and nxt.strip() and not _ends_like_sentence(line):
            return True
    return False


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of a body. Hard-wrapped text: each blank-line block is one paragraph. Otherwise
    (one line per paragraph, common in Chinese news) a line ending like a sentence closes one."""
    wrapped = _is_hard_wrapped(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if not line.strip():
            if current:
                paragraphs.append(_join_lines(current))
                current = []
            continue
        current.append(line)
        if not wrapped and _ends_like_sentence(line):
            paragraphs.append(_join_lines(current))
            current = []
    return paragraphs


def _section_bullets(body: str, *, inline: bool) -> list[str]:
    lines = body.split("\n")
    bullets: list[str] = []
    # Line-initial markers only count when the body spans several lines: on one line, "1. a 2. b"
    # is an inline numbered list (split below).
    if sum(1 for line in lines if line.strip()) > 1 and any(_LINE_BULLET.match(line) for line in lines):
        current: list[str] = []
        for line in lines:
            m = _LINE_BULLET.match(line)
            if m:
                if current:
                    bullets.append(_join_lines(current))
                current = [line[m.end() :]]
            elif line.strip():
                current.append(line)
            elif current:
                bullets.append(_join_lines(current))
                current = []
        if current:
            bullets.append(_join_lines(current))
        return [b for b in bullets if b.strip()]
    for paragraph in _paragraphs(lines):
        bullets.extend(_split_inline(paragraph) if inline else [paragraph])
    return bullets


# --------------------------------------------------------------------------------------------
# Summary layout

_CN_NUM = "一二三四五六七八九十"
_HEAD_PREFIX = r"(?:^|(?<=[.。!！?？;；\]］】)）])|(?<=\s))[ ]*(?:#{1,6}[ ]*)?(?:[-*•][ ]+)?(?:[*_]{2}[ ]*)?"
_MARKER = re.compile(
    _HEAD_PREFIX
    + r"(?:(?P<core>Core\s+View(?:point)?s?|Key\s+Takeaways?|核心观点|核心看法|核心结论)"
    + r"|(?P<group>(?:Group|Viewpoint\s+Group)\s*(?P<gnum>\d{1,3})\b|(?:分组|组)\s*(?P<gnum2>\d{1,3})"
    + r"|第\s*(?P<gnum3>\d{1,3}|["
    + _CN_NUM
    + r"]{1,3})\s*(?:组|部分))"
    + r"|(?P<points>Key\s+Points?|Main\s+Points?|Highlights|关键要点|主要观点|要点)"
    + r"|(?P<view>观点\s*(?:\d{1,2}|["
    + _CN_NUM
    + r"]{1,3}))"
    + r"|(?m:^)[ ]*(?:#{1,6}[ ]*)?(?P<cnhead>["
    + _CN_NUM
    + r"]{1,3})\s*[、.．]"
    + r")",
    re.MULTILINE | re.IGNORECASE,
)
_TITLE_SEP = re.compile(r"\s[-–—]\s|\n|[*_]{2}|\s[-–—]$")


@dataclass
class _Marker:
    kind: str  # core | group | points | view | cnhead
    start: int
    end: int
    label: str


def _find_markers(text: str) -> list[_Marker]:
    markers: list[_Marker] = []
    for m in _MARKER.finditer(text):
        kind = next(k for k in ("core", "group", "points", "view", "cnhead") if m.group(k))
        # the heading keyword must be followed by a separator, a line end or a title
        after = text[m.end() : m.end() + 3]
        if kind in ("core", "points", "view") and not re.match(r"\s*(?:[:：\-–—]|\*\*|\n|$)", after):
            continue
        if kind == "group" and not re.match(r"\s*(?:[:：.、\-–—]|\*\*|\n|$|\s)", after):
            continue
        # Mid-sentence ("the Group 1 companies said") a keyword is prose, not a heading: there it
        # must be followed by a colon or a spaced dash.
        before = text[max(0, m.start(kind) - 12) : m.start(kind)].rstrip(" *#-•_")
        at_start = not before or before[-1] in "\n.。!！?？;；:：]］】)）"
        if not at_start and not re.match(r"[ ]*(?:[:：]|[-–—]\s)", text[m.end() : m.end() + 4]):
            continue
        markers.append(_Marker(kind, m.start(), m.end(), m.group(kind)))
    return markers


def _heading_tail(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """Parse what follows a heading keyword: an optional title, then the body start."""
    window_end = min(limit, pos + 200)
    i = pos
    while i < window_end and text[i] in " *_":
        i += 1
    if i < window_end and text[i] in ":：.、．":
        i += 1
    elif i < window_end and text[i] in "-–—" and (i + 1 >= len(text) or text[i + 1].isspace()):
        return None, i + 1  # "Group 1 - bullet": no title
    while i < window_end and text[i] in " *_":
        i += 1
    if i < len(text) and text[i] == "\n":
        return None, i
    window = text[i:window_end]
    sep = _TITLE_SEP.search(window)
    if sep:
        candidate = window[: sep.start()]
        if candidate.strip() and _is_title_like(candidate):
            body = i + sep.end()
            if sep.group().startswith("*"):  # **Group 1: Title** - body
                rest = re.match(r"[*_ ]*[:：]?[ ]*(?:[-–—][ ]+)?", text[body:window_end])
                body += rest.end() if rest else 0
            return candidate.strip(" *_"), body
    return None, i


def _is_title_like(candidate: str) -> bool:
    candidate = candidate.strip(" *_")
    if not candidate or _CITATION.search(candidate) or len(candidate) > 100:
        return False
    if re.search(r"[。！？!?]|\.(?:\s|$)", candidate):
        return False
    return len(HAN.findall(candidate)) <= 30 and len(candidate.split()) <= 14


def _short_title_in(body: str) -> tuple[str | None, str]:
    """For 观点一：/一、 headings: a short leading phrase ended by ：, ' - ' or a line end is the title."""
    m = re.match(r"\s*([^\n:：。！？!?]{1,30}?)\s*(?:[:：]|\s[-–—]\s|\n)", body)
    if m and _is_title_like(m.group(1)) and body[m.end() :].strip():
        return m.group(1).strip(), body[m.end() :]
    line_end = body.find("\n")
    if line_end == -1 and _is_short_heading(body) and len(body) <= 30:
        return body.strip(), ""
    return None, body


def _preamble_meta(preamble: str, meta: _Meta) -> str:
    """Read title/source/date from the text before the first heading; return leftover body text."""
    leftovers: list[str] = []
    for line in preamble.split("\n"):
        if not line.strip():
            continue
        rest = _read_meta_line(line, meta)
        if rest is None:
            rest = line
        rest = rest.strip()
        if not rest:
            continue
        clean = _strip_heading_marks(rest)
        if meta.title is None and _is_short_heading(clean, allow_question=True):
            meta.title = clean
        else:
            leftovers.append(rest)
    return "\n".join(leftovers)


def _trailing_headline(text: str) -> tuple[str | None, str]:
    """A short headline-like last line (after the body), e.g. a Chinese title placed at the end."""
    stripped = text.rstrip()
    cut = stripped.rfind("\n")
    last = stripped[cut + 1 :].strip()
    if cut > 0 and _is_short_heading(last, allow_question=True) and not _LINE_BULLET.match(last):
        return _strip_heading_marks(last), stripped[:cut]
    # one-line layout: a headline glued after the last cited bullet ("…[10]. 小米汽车陷入困境?")
    m = re.search(r"[\]］】][.。]?\s+([^\[\]［］【】\n]{2,60})$", stripped)
    if m and _is_short_heading(m.group(1), allow_question=True) and HAN.search(m.group(1)):
        return m.group(1).strip(), stripped[: m.start(1)]
    return None, text


def _parse_summary(text: str) -> Document | None:
    markers = _find_markers(text)
    has_structure = any(m.kind in ("core", "group", "points", "view") for m in markers)
    if not has_structure:
        return None
    meta = _Meta()
    leftover = _preamble_meta(text[: markers[0].start], meta)
    core_raw: list[str] = []
    groups: list[_RawGroup] = []
    last_points: _RawGroup | None = None
    for k, marker in enumerate(markers):
        limit = markers[k + 1].start if k + 1 < len(markers) else len(text)
        segment_end = limit
        if k + 1 == len(markers):
            headline, body_text = _trailing_headline(text[:limit])
            if headline and meta.title is None:
                meta.title = headline
                segment_end = len(body_text)
        title, body_start = _heading_tail(text, marker.end, segment_end)
        body = text[body_start:segment_end] if body_start < segment_end else ""
        if marker.kind == "core":
            core_raw.extend(_section_bullets(body, inline=True))
            last_points = None
        elif marker.kind == "points":
            last_points = _RawGroup(title or marker.label.strip())
            last_points.bullets.extend(_section_bullets(body, inline=True))
            groups.append(last_points)
        elif marker.kind == "cnhead" and last_points is not None and not title:
            # 一、 under a Key Points heading: items of that list
            last_points.bullets.extend(_section_bullets(body, inline=True))
        else:
            if title is None and marker.kind in ("view", "cnhead"):
                title, body = _short_title_in(body)
            groups.append(_RawGroup(title, _section_bullets(body, inline=True)))
            last_points = None
    if leftover.strip():
        leftover_bullets = _section_bullets(leftover, inline=False)
        if not core_raw:
            core_raw = leftover_bullets
        else:
            groups.insert(0, _RawGroup(None, leftover_bullets))
    return _build(meta, core_raw, groups, "summary")


# --------------------------------------------------------------------------------------------
# Article layout

_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_CN_HEADING = re.compile(
    r"^\s*(?:["
    + _CN_NUM
    + r"]{1,3}\s*[、.．]|第["
    + _CN_NUM
    + r"\d]{1,3}[章节部分]|[（(]["
    + _CN_NUM
    + r"]{1,3}[)）]|Part\s*\d{1,2}\b)",
    re.IGNORECASE,
)
# A line that is only a section number ("01", "02", "Part 1", "（一）"): WeChat writers put the
# section's title on the next line.
_SECTION_NUMBER_LINE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:0\d|[1-9]\d?|Part\s*\d{1,2}|PART\s*\d{1,2}|[（(]?["
    + _CN_NUM
    + r"]{1,3}[)）、]?)\s*$"
)
_BOLD_HEADING = re.compile(r"^\s*[*_]{2}[^*_\n]{1,80}[*_]{2}\s*$")


# A key-value header block, as scrapers and exports write it ("标题: … / 日期: … / 来源: … /
# 链接: …"; "Title: … / Published: … / Source: … / URL: …"). Its values beat anything in the body.
_HEADER_KEYS = {
    "title": ("标题", "题目", "新闻标题", "文章标题", "title", "headline"),
    "date": ("日期", "时间", "发布时间", "发表时间", "发布日期", "发文时间", "date", "published",
             "publish date", "published at", "publication date", "time"),
    "source": ("来源", "来源于", "来自", "出处", "媒体", "稿源", "source", "publisher", "outlet"),
    "author": ("作者", "记者", "撰文", "author", "authors", "by"),
    "url": ("链接", "原文链接", "网址", "原文地址", "url", "link", "original link"),
}  # fmt: skip
_HEADER_ROLE = {k.lower(): role for role, keys in _HEADER_KEYS.items() for k in keys}
_HEADER_LINE = re.compile(
    r"^\s*[【\[]?\s*(?P<key>"
    + "|".join(sorted((re.escape(k) for k in _HEADER_ROLE), key=len, reverse=True))
    + r")\s*[】\]]?\s*[:：]\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)


# Front matter, as Markdown exports, static-site posts and web clippers write it: a block fenced by
# "---" (YAML, "key: value") or "+++" (TOML, "key = value") at the very top. Keys this parser does not
# know (layout, tags, categories...) are skipped inside the fence.
_FRONT_MATTER_FENCE = re.compile(r"^\s*(---|\+\+\+)\s*$")
_FRONT_MATTER_LINE = re.compile(
    r"^\s*(?P<key>[A-Za-z_\u4e00-\u9fff][\w \-\u4e00-\u9fff]{0,30}?)\s*[:=：]\s*(?P<value>.*?)\s*$"
)
_FRONT_MATTER_MAX_LINES = 60


def _header_value(meta: _Meta, role: str, value: str) -> None:
    """Store one header value in `meta` (header values replace whatever was there)."""
    if role == "title":
        meta.title = _strip_heading_marks(value) or meta.title
    elif role == "date":
        date = find_date(value)
        if date is not None:
            meta.published_at = date[0]
    elif role == "source":
        date = find_date(value)
        if date is not None:  # "来源: 新华社 2016-10-14"
            meta.published_at = meta.published_at or date[0]
            value = (value[: date[1][0]] + value[date[1][1] :]).strip(_SEPARATORS)
        meta.source = _cut_at_next_label(value) or meta.source


def _front_matter(lines: list[str], meta: _Meta) -> int:
    """Read a fenced front matter block at the top into `meta`; return the line after its closing
    fence (0 when the text does not open with one)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return 0
    opening = _FRONT_MATTER_FENCE.match(lines[first])
    if opening is None:
        return 0
    fence = opening.group(1)
    for end in range(first + 1, min(len(lines), first + _FRONT_MATTER_MAX_LINES)):
        closing = _FRONT_MATTER_FENCE.match(lines[end])
        if closing is not None and closing.group(1) == fence:
            break
    else:
        return 0
    for line in lines[first + 1 : end]:
        m = _FRONT_MATTER_LINE.match(line)
        if m is None:
            continue
        role = _HEADER_ROLE.get(m.group("key").strip().lower())
        value = m.group("value").strip().strip("\"'").strip()
        if role and value:
            _header_value(meta, role, value)
    return end + 1


def _header_block(lines: list[str], meta: _Meta) -> int:
    """Read front matter or a key-value header block at the top into `meta`; return the first line
    after it (0 when the text has none)."""
    fenced = _front_matter(lines, meta)
    if fenced:
        return fenced
    i, found = 0, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _HEADER_LINE.match(line)
        if m is None:
            break
        role, value = _HEADER_ROLE[m.group("key").lower()], m.group("value").strip()
        found += 1
        i += 1
        if value:
            _header_value(meta, role, value)
    return i if found else 0


# A labelled publication date closing an article: "发布日期：2019-03-06 责任编辑：龙慧", "Published: …".
_TRAILING_DATE = re.compile(
    r"^[（(]?\s*(?:发布日期|发布时间|发表时间|发表日期|发稿时间|Published(?: on)?|Posted(?: on)?|First published)\s*[:：]?\s*",
    re.IGNORECASE,
)
# A wire-service dateline opening the first paragraph: the agency is the source.
_WIRE_DATELINE = re.compile(
    r"^[A-Z]{2,}[A-Z .,'’/-]{0,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*\((?P<agency>[A-Z][A-Za-z.&]+(?:\s[A-Z][A-Za-z.&]+){0,2})\)\s*[-–—]"
)
_CN_WIRE_DATELINE = re.compile(
    r"^(?P<agency>新华社|中新社|中新网|法新社|路透社|美联社|共同社|塔斯社|韩联社)[\u4e00-\u9fff]{0,12}"
    r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*电"
)


def _article_meta(lines: list[str], meta: _Meta) -> tuple[int, int]:
    """Consume a key-value header block, then title/source/date lines at the top (and source
    lines at the end). Returns the [start, end) line range of the body."""
    start, seen = _header_block(lines, meta), 0
    while start < len(lines) and seen < 6:
        line = lines[start]
        if not line.strip():
            start += 1
            continue
        seen += 1
        if _WIRE_DATELINE.match(line.strip()) or _CN_WIRE_DATELINE.match(line.strip()):
            break  # "LOS ANGELES (Reuters) - …" opens the body
        if meta.title is not None and _same_text(_strip_heading_marks(line), meta.title):
            start += 1  # the headline a header block named, printed again: the date lines follow
            continue
        rest = _read_meta_line(line, meta)
        if rest is not None:
            rest = _strip_heading_marks(rest)
            if rest and meta.title is None and _is_short_heading(rest, allow_question=True):
                meta.title = rest
            elif rest:
                break
            start += 1
            continue
        clean = _strip_heading_marks(line)
        later = any(x.strip() for x in lines[start + 1 :])
        if (
            meta.title is None
            and later
            and (_MD_HEADING.match(line) or _is_short_heading(clean, allow_question=True))
            and not _CN_HEADING.match(line)  # 一、… opens a section, it is not the headline
            and seen <= 2
        ):
            meta.title = clean
            start += 1
            continue
        break
    end = len(lines)
    while end > start:
        line = lines[end - 1]
        if not line.strip():
            end -= 1
            continue
        stripped = line.strip()
        if _SOURCE_LINE.match(stripped) or _EDITOR_LINE.match(stripped) or _END_MARK.match(stripped):
            _read_meta_line(stripped, meta)
            end -= 1
            continue
        dated = _TRAILING_DATE.match(stripped)
        found = find_date(stripped) if dated else None
        if (
            dated is not None and found is not None and found[1][0] == dated.end()
        ):  # "发布日期：2019-03-06 责任编辑：龙慧"
            meta.published_at = meta.published_at or found[0]
            end -= 1
            continue
        break
    if meta.source is None:
        first = next((line.strip() for line in lines[start:end] if line.strip()), "")
        wire = _WIRE_DATELINE.match(first) or _CN_WIRE_DATELINE.match(first)
        if wire:  # "LOS ANGELES (Reuters) - …", "新华社巴黎12月9日电（记者唐霁）…"
            meta.source = wire.group("agency")
    return start, end


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _next_nonempty(lines: list[str], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j if j < len(lines) else None


def _numbered_title(lines: list[str], i: int) -> int | None:
    """For a section-number line ("01"), the index of the short title line after it, if any."""
    if not _SECTION_NUMBER_LINE.match(lines[i]):
        return None
    j = _next_nonempty(lines, i)
    if j is None:
        return None
    title = _strip_heading_marks(lines[j])
    if title and len(title) <= 40 and not _ends_like_sentence(title):
        return j
    return None


def _is_article_heading(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _MD_HEADING.match(line) or _BOLD_HEADING.match(line) or _numbered_title(lines, i) is not None:
        return True
    stripped = line.strip()
    # the next non-empty line (an index walk: this runs once per line, so no slicing or islice)
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    nxt = lines[j].strip() if j < len(lines) else ""
    if not nxt:
        return False
    if _CN_HEADING.match(line) and len(stripped) <= 40 and not _ends_like_sentence(stripped):
        return True
    # a short unpunctuated line standing before a much longer paragraph
    return (
        _is_short_heading(stripped)
        and len(stripped) <= 40
        and len(nxt) >= 2 * len(stripped)
        and _ends_like_sentence(nxt)
    )


_SECTION_PREFIX = re.compile(
    r"^(?:["
    + _CN_NUM
    + r"]{1,3}\s*[、.．]|[（(]["
    + _CN_NUM
    + r"]{1,3}[)）]|Part\s*\d{1,2}\s*[:：.\-–—]?)\s*",
    re.I,
)
_BRACKET_HEADLINE = re.compile(r"^\s*【([^【】\n]{2,60})】")


def _parse_article(text: str) -> Document | None:
    meta = _Meta()
    # "【标题】正文…" (Chinese news and Weibo): the bracketed lead is the headline, or the outlet
    bracketed = _BRACKET_HEADLINE.match(text)
    if bracketed and _has_content(text[bracketed.end() :]):
        inner = bracketed.group(1).strip()
        if _alias_key(inner) in _KNOWN_SOURCE_KEYS:
            meta.source = inner
        else:
            meta.title = inner
        text = text[bracketed.end() :]
    lines = text.split("\n")
    start, end = _article_meta(lines, meta)
    body = lines[start:end]
    sections: list[_RawGroup] = []
    current = _RawGroup(None)
    current_lines: list[str] = []

    def flush() -> None:
        nonlocal current_lines
        current.bullets.extend(_section_bullets("\n".join(current_lines), inline=False))
        current_lines = []

    headed = False
    skip: int | None = None  # the title line of a numbered section, already used
    for i, line in enumerate(body):
        if i == skip:
            continue
        if line.strip() and _is_article_heading(body, i):
            flush()
            if current.bullets:
                sections.append(current)
            title_at = _numbered_title(body, i)
            if title_at is not None:
                skip, line = title_at, body[title_at]
            current = _RawGroup(_SECTION_PREFIX.sub("", _strip_heading_marks(line)) or None)
            headed = True
            continue
        current_lines.append(line)
    flush()
    sections.append(current)
    if not headed and not _is_hard_wrapped(body):
        blocks = _blank_line_blocks(body)
        paragraphs_per_block = [len(_paragraphs(b)) for b in blocks]
        if len(blocks) > 1 and any(n > 1 for n in paragraphs_per_block):
            sections = [_RawGroup(None, _paragraphs(b)) for b in blocks]
    return _build(meta, [], sections, "article")


def _blank_line_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


# --------------------------------------------------------------------------------------------


def parse_document(text: str, count_in: Iterable[str] = ()) -> Document:
    """Parse an article or an AI-style summary into a Document (sentences unscored).

    Markdown is rendered to text first (analysis.text.markdown) and page furniture is set apart
    (analysis.text.furniture): it is listed in `Document.furniture`, not parsed into sentences,
    unless its block key is in `count_in` (an editor counted it back in). A byline fills
    `author`; the account name fills `source` when the text names none.

    Raises StructureError only for empty or whitespace-only text; any other text yields a
    Document, with at least one sentence when the text has a letter, digit or CJK character.
    """
    if text is None or not str(text).strip():
        raise StructureError("the text is empty: there is nothing to analyse")
    cleaned = _clean_input(str(text))
    links: tuple[int, ...] | None = None
    if looks_like_markdown(cleaned):
        rendered = render_markdown(cleaned)
        if _has_content(rendered.text):
            cleaned, links = rendered.text, rendered.link_chars
    separated = separate_furniture(cleaned, links, frozenset(count_in))
    if not _has_content(separated.body):  # all of it looked like furniture: then it is the text
        separated = Separated(cleaned, (), separated.author, separated.account)
    document = _parse_structure(separated.body)
    source = document.source
    if separated.account and (source is None or source == separated.place):
        source = separated.account  # "2025年10月27日 20:11 北京": 北京 is where, not who
    return replace(
        document,
        source=source,
        author=separated.author,
        furniture=separated.blocks,
    )


def _parse_structure(cleaned: str) -> Document:
    document = _parse_summary(cleaned) or _parse_article(cleaned)
    if document is None:
        # Everything was read as metadata (e.g. a bare headline): analyse the text itself.
        meta = _Meta()
        document = _build(meta, [], [_RawGroup(None, [_join_lines(cleaned.split("\n"))])], "article")
    if document is None:
        # no letters, digits or CJK at all: an empty structure, but never a failure
        document = Document(title=None, source=None, published_at=None, core_viewpoint=None, groups=())
    return document
