"""Derived titles: a section's title from its top keywords, when the text gives none."""

from __future__ import annotations

import re
from collections import Counter

from analysis.structure.lines import _squash_spaces
from analysis.text.scripts import HAN

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
