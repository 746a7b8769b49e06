"""What a figure is, from the cue words around it, and the sentiment figures an article states."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.records import Figure
from analysis.stated_numbers.candidates import Candidate
from analysis.text.scripts import HAN

_SENTIMENT_CONTEXT = re.compile(
    r"sentiment|emotion|opinion|comment|review|post|mention|feedback|reaction|attitude|view|"
    r"情绪|情感|舆情|舆论|评论|声量|评价|口碑|占比|比例|观点|态度|帖",
    re.IGNORECASE,
)
_CUES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # (cue, meaning, needs sentiment context in the sentence)
    (
        re.compile(
            r"net\s+(?:emotional|sentiment|emotion)(?:\s+(?:value|score|index))?|净情感(?:值|指数)?|\bNEV\b|净好感度?",
            re.IGNORECASE,
        ),
        "net emotional value",
        False,
    ),
    (re.compile(r"\bnegative\b|负面|消极|差评|不满", re.IGNORECASE), "negative sentiment share", True),
    (re.compile(r"\bpositive\b|正面|积极|好评|点赞", re.IGNORECASE), "positive sentiment share", True),
    (re.compile(r"\bneutral\b|中性|中立", re.IGNORECASE), "neutral sentiment share", True),
    (re.compile(r"market\s+share|市场份额|市占率", re.IGNORECASE), "market share", False),
    (re.compile(r"gross\s+margin|毛利率", re.IGNORECASE), "gross margin", False),
    (re.compile(r"year[-\s]on[-\s]year|\byoy\b|同比", re.IGNORECASE), "year-on-year change", False),
    (re.compile(r"month[-\s]on[-\s]month|\bmom\b|环比", re.IGNORECASE), "month-on-month change", False),
)
_OTHER_CUES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "count": (
        (re.compile(r"deliver|交付|交车", re.IGNORECASE), "deliveries"),
        (re.compile(r"\bsales\b|\bsold\b|\bsell|销量|销售|卖出", re.IGNORECASE), "sales volume"),
        (re.compile(r"produc|manufactur|生产|产量|产能|下线", re.IGNORECASE), "production"),
        (re.compile(r"\borders?\b|订单|锁单|大定|小定", re.IGNORECASE), "orders"),
        (re.compile(r"recall|召回", re.IGNORECASE), "recalled units"),
    ),
    "duration": (
        (re.compile(r"development|研发|开发", re.IGNORECASE), "development cycle"),
        (re.compile(r"\bwait|等车|提车|交付周期", re.IGNORECASE), "waiting time"),
        (re.compile(r"warranty|质保|保修", re.IGNORECASE), "warranty"),
    ),
    "money": (
        (re.compile(r"revenue|营收|收入", re.IGNORECASE), "revenue"),
        (re.compile(r"\bsales\b|销售额|销售收入", re.IGNORECASE), "sales"),
        (re.compile(r"market\s+(?:value|cap)|市值", re.IGNORECASE), "market value"),
        (re.compile(r"\bloss|亏损", re.IGNORECASE), "loss"),
        (re.compile(r"profit|利润|净利", re.IGNORECASE), "profit"),
        (re.compile(r"\brais|fund|invest|融资|募资|投资", re.IGNORECASE), "funding"),
        (re.compile(r"price|\bcosts?\b|售价|定价|价格|起售", re.IGNORECASE), "price"),
    ),
}
_AFTER_WINDOW = 30  # characters after a figure searched for what it is ("96% of comments were negative")
_NEAR_WINDOW = 30  # characters before a count / duration / money figure searched for what it is
_NEAR_WINDOW_ZH = 12  # the same in Chinese, where one character carries about as much as a word
_CLAUSE_END = re.compile(r"[;；。！？!?]")
_PHRASE_END = re.compile(r"[,，;；。！？!?]")


def _nearest_before(segment: str, cues: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, meaning in cues:
        for m in pattern.finditer(segment):
            if best is None or m.end() > best[0]:
                best = (m.end(), meaning)
    return best[1] if best else None


def _nearest_after(segment: str, cues: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, meaning in cues:
        m = pattern.search(segment)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), meaning)
    return best[1] if best else None


def meanings_of(text: str, cands: list[Candidate]) -> list[str | None]:
    """What each figure is, from the words between it and its neighbours in the same clause."""
    has_sentiment_context = bool(_SENTIMENT_CONTEXT.search(text))
    sentiment_cues = [(p, m) for p, m, needs in _CUES if has_sentiment_context or not needs]
    result: list[str | None] = []
    for i, c in enumerate(cands):
        if c.meaning:
            result.append(c.meaning)
            continue
        lo = cands[i - 1].end if i else 0
        clause_starts = [m.end() for m in _CLAUSE_END.finditer(text, lo, c.start)]
        before = text[max([lo, *clause_starts]) : c.start]
        hi = cands[i + 1].start if i + 1 < len(cands) else len(text)
        stop = _PHRASE_END.search(text, c.end, hi)
        # only the words right after the figure ("96% of comments were negative"), not the next clause
        tail = text[c.end : stop.start() if stop else hi]
        after = re.split(r"\s(?:and|but|while|whereas)\s|而|但", tail)[0][:_AFTER_WINDOW]
        meaning = None
        if c.kind in ("percent", "number"):
            meaning = _nearest_before(before, sentiment_cues) or _nearest_after(after, sentiment_cues)
        elif c.kind in _OTHER_CUES:
            # other meanings only from the words close by (生产 in 新疆生产建设兵团 says nothing about 12例)
            cues = _OTHER_CUES[c.kind]
            window = _NEAR_WINDOW_ZH if HAN.search(before[-4:]) else _NEAR_WINDOW
            meaning = _nearest_before(before[-window:], cues) or _nearest_after(after, cues)
        elif c.kind == "date" and c.unit == "year" and re.search(r"\bby\s+$|到$|至$", before, re.IGNORECASE):
            meaning = "target year"
        result.append(meaning)
    return result


_STATED_KEYS = {
    "negative sentiment share": "negative_share",
    "positive sentiment share": "positive_share",
    "neutral sentiment share": "neutral_share",
    "net emotional value": "nev",
}


def stated_sentiment(figures: Sequence[Figure]) -> dict[str, float]:
    """The sentiment figures the article itself states, to set beside the computed ones.

    Keys: `negative_share`, `positive_share`, `neutral_share` (in [0, 1]) and `nev` (in [-1, 1]);
    only those stated; the first statement of each wins.
    """
    stated: dict[str, float] = {}
    for f in figures:
        key = _STATED_KEYS.get(f.meaning or "")
        if key is None or f.value is None or key in stated:
            continue
        lo = -1.0 if key == "nev" else 0.0
        if lo <= f.value <= 1.0:
            stated[key] = f.value
    return stated
