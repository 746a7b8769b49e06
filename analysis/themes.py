"""Themes: a bilingual theme taxonomy matched per sentence, and keyword extraction.

Themes. The taxonomy lives in `analysis/data/themes.json` (a data file an analyst can edit): top-level
themes, each with optional sub-themes, and match terms in Chinese and English.
- English terms match whole words after light stemming (recall = recalls = recalled = recalling);
  a trailing `*` matches any word that starts with the stem (`reliab*` = reliable, reliability);
  multi-word terms match consecutive words.
- Chinese terms (those containing Han characters) match as substrings of the text; Latin-only terms
  listed under Chinese (OTA, NOA) are matched as English words, so they are not counted twice.
- `^N` weights a term (default 1): diagnostic terms weigh more, common head words less.
- Where terms overlap, the longest match wins (危机公关 is crisis response, not marketing; "safety
  standards" is regulation, not safety); terms of equal length in different themes all count.
- A sentence carries a parent theme whenever it carries one of its sub-themes, so a parent's
  strength is its own terms plus its children's.

Keywords: `analysis.text.keywords` (re-exported here for the pipeline).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.errors import OpinionLensError
from analysis.lazy import once
from analysis.metrics import summarize_labels
from analysis.records import Sentence, ThemeScore
from analysis.text.keywords import EN_WORD
from analysis.text.scripts import HAN


class TaxonomyError(OpinionLensError):
    """The theme taxonomy data file is missing a field or is malformed."""

    default_code = "taxonomy"


@dataclass(frozen=True)
class Term:
    """One match term: `words` for English (the last may be a prefix), `text` for Chinese."""

    text: str  # as written in the taxonomy, without `*` / `^N`
    weight: float
    words: tuple[str, ...] = ()  # English: stemmed words (or the raw prefix when `prefix`)
    prefix: bool = False  # English: the last word is a prefix (`reliab*`)


@dataclass(frozen=True)
class Theme:
    id: str
    name_en: str
    name_zh: str
    terms_zh: tuple[str, ...]
    terms_en: tuple[str, ...]
    parent: str | None = None
    children: tuple[str, ...] = ()  # ids of sub-themes

    @property
    def level(self) -> int:
        return 0 if self.parent is None else 1


# --- taxonomy -----------------------------------------------------------------------------------

_DATA = Path(__file__).resolve().parent / "data"  # shipped as package data (pyproject.toml)


def _read_theme(raw: dict, parent: str | None) -> list[Theme]:
    try:
        theme_id = str(raw["id"])
        name_en, name_zh = str(raw["name_en"]), str(raw["name_zh"])
        terms_zh = tuple(str(t) for t in raw["terms_zh"])
        terms_en = tuple(str(t) for t in raw["terms_en"])
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(f"theme {raw.get('id', '?')!r} is missing field {exc}") from exc
    subs = [t for sub in raw.get("subthemes", []) for t in _read_theme(sub, theme_id)]
    children = tuple(t.id for t in subs if t.parent == theme_id)
    return [Theme(theme_id, name_en, name_zh, terms_zh, terms_en, parent, children), *subs]


@once
def _taxonomy() -> tuple[Theme, ...]:
    try:
        data = json.loads((_DATA / "themes.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TaxonomyError(f"cannot read the theme taxonomy: {exc}") from exc
    themes = tuple(t for raw in data.get("themes", []) for t in _read_theme(raw, None))
    ids = [t.id for t in themes]
    if not themes or len(set(ids)) != len(ids):
        raise TaxonomyError("the theme taxonomy is empty or has duplicate ids")
    return themes


def load_taxonomy() -> list[Theme]:
    """All themes, each top-level theme followed by its sub-themes (`parent` set on those)."""
    return list(_taxonomy())


@once
def _themes_by_id() -> dict[str, Theme]:
    return {t.id: t for t in _taxonomy()}


def theme_by_id(theme_id: str) -> Theme:
    """The theme with this id (KeyError if the taxonomy has none)."""
    return _themes_by_id()[theme_id]


# --- English words and stems --------------------------------------------------------------------

_DOUBLE_END = re.compile(r"([b-df-hj-km-np-rtv-z])\1$")  # stopp → stop; keeps ll, ss, zz
# -ing / -s forms that are nouns of their own and must not fold onto the verb (marketing ≠ market).
_KEEP_WHOLE = frozenset(
    {"marketing", "engineering", "funding", "pricing", "building", "earnings", "savings", "news", "series"}
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: folds plural, past and -ing forms onto one stem.

    recall/recalls/recalled/recalling → recall; update/updates/updated/updating → updat;
    company/companies → company. Deliberately conservative (no derivational suffixes): the
    taxonomy uses `prefix*` terms where it wants reliable/reliability together.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) <= 3 or w in _KEEP_WHOLE:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
        w = w[:-1] if _DOUBLE_END.search(w) else w
    elif w.endswith("ed") and len(w) >= 5:
        w = w[:-2]
        w = w[:-1] if _DOUBLE_END.search(w) else w
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _parse_term(raw: str) -> tuple[str, float, bool]:
    text, _, weight = raw.partition("^")
    try:
        value = float(weight) if weight else 1.0
    except ValueError as exc:
        raise TaxonomyError(f"bad term weight in {raw!r}") from exc
    text = text.strip()
    prefix = text.endswith("*")
    return text.rstrip("*").strip(), value, prefix


@dataclass(frozen=True)
class _Matcher:
    """Compiled taxonomy: English terms by first word, Chinese terms as one alternation regex."""

    en_exact: dict[str, list[tuple[Term, str]]]  # first stem -> [(term, theme id)]
    en_prefix: dict[str, list[tuple[Term, str]]]  # single-word prefix terms by their first 3 letters
    zh_regex: re.Pattern[str] | None
    zh_terms: dict[str, list[tuple[Term, str]]]


@once
def _matcher() -> _Matcher:
    en_exact: dict[str, list[tuple[Term, str]]] = defaultdict(list)
    en_prefix: dict[str, list[tuple[Term, str]]] = defaultdict(list)
    zh_terms: dict[str, list[tuple[Term, str]]] = defaultdict(list)

    def add_en(text: str, weight: float, prefix: bool, theme_id: str) -> None:
        words = [w.lower() for w in EN_WORD.findall(text)]
        if not words:
            return
        stems = tuple(stem(w) for w in words[:-1]) + ((words[-1],) if prefix else (stem(words[-1]),))
        term = Term(text, weight, stems, prefix)
        if prefix and len(stems[-1]) < 3:
            raise TaxonomyError(f"prefix term {text!r}* is too short (at least 3 letters)")
        if prefix and len(stems) == 1:
            en_prefix[stems[0][:3]].append((term, theme_id))
        else:
            en_exact[stems[0]].append((term, theme_id))

    for theme in _taxonomy():
        for raw in theme.terms_en:
            add_en(*_parse_term(raw), theme.id)
        for raw in theme.terms_zh:
            text, weight, prefix = _parse_term(raw)
            if HAN.search(text):
                zh_terms[text].append((Term(text, weight), theme.id))
            else:  # Latin-only entries (OTA, NOA) are matched as English words
                add_en(text, weight, prefix, theme.id)
    # Longest first so the regex alternation prefers 危机公关 over 公关 at the same start.
    alternation = "|".join(re.escape(t) for t in sorted(zh_terms, key=len, reverse=True))
    return _Matcher(
        dict(en_exact), dict(en_prefix), re.compile(alternation) if alternation else None, dict(zh_terms)
    )


@dataclass(frozen=True)
class _Match:
    start: int
    end: int  # English: token indexes; Chinese: character offsets (kept apart by `space`)
    space: str  # "en" or "zh"
    surface: str
    weight: float
    theme: str


def _find_matches(text: str) -> list[_Match]:
    m = _matcher()
    found: list[_Match] = []
    tokens = [(t.group(0), stem(t.group(0))) for t in EN_WORD.finditer(text)]
    lowered = [raw.lower() for raw, _ in tokens]
    for i, (_raw, st) in enumerate(tokens):
        for term, theme_id in m.en_exact.get(st, ()):
            n = len(term.words)
            if i + n > len(tokens):
                continue
            ok = all(tokens[i + k][1] == term.words[k] for k in range(n - 1))
            last = lowered[i + n - 1]
            ok = ok and (
                last.startswith(term.words[-1]) if term.prefix else tokens[i + n - 1][1] == term.words[-1]
            )
            if ok:
                surface = " ".join(tok for tok, _ in tokens[i : i + n])
                found.append(_Match(i, i + n, "en", surface, term.weight, theme_id))
        for term, theme_id in m.en_prefix.get(lowered[i][:3], ()):
            if lowered[i].startswith(term.words[0]):
                found.append(_Match(i, i + 1, "en", tokens[i][0], term.weight, theme_id))
    if m.zh_regex is not None and HAN.search(text):
        # Overlapping search: at every start, the longest term; shorter ones lose in _resolve.
        pos = 0
        while pos < len(text):
            hit = m.zh_regex.search(text, pos)
            if hit is None:
                break
            for term, theme_id in m.zh_terms[hit.group(0)]:
                found.append(_Match(hit.start(), hit.end(), "zh", hit.group(0), term.weight, theme_id))
            # also shorter terms starting inside the hit (e.g. 安全 inside 人身安全 is a new start)
            pos = hit.start() + 1
    return _resolve(found)


def _resolve(found: list[_Match]) -> list[_Match]:
    """Longest match wins where spans overlap; equal-length overlapping matches all count.

    Bookkeeping per position (not pairwise), so a long post with many matches stays linear.
    """
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    longest: dict[tuple[str, int], int] = {}  # (space, position) -> length of the match covering it
    themed: set[tuple[str, str, int]] = set()  # (space, theme, position) already counted
    kept: list[_Match] = []
    for cand in found:
        length = cand.end - cand.start
        span = range(cand.start, cand.end)
        if any(longest.get((cand.space, p), length) > length for p in span):
            continue  # inside a longer match
        if any((cand.space, cand.theme, p) in themed for p in span):
            continue  # one match per theme and span (a word matched by two terms of one theme)
        kept.append(cand)
        for p in span:
            longest.setdefault((cand.space, p), length)
            themed.add((cand.space, cand.theme, p))
    return kept


@lru_cache(maxsize=8192)
def _sentence_theme_strengths(text: str) -> tuple[tuple[str, float, tuple[str, ...]], ...]:
    """(theme id, strength, matched surface terms) per theme present, parents included."""
    strength: dict[str, float] = defaultdict(float)
    surfaces: dict[str, list[str]] = defaultdict(list)
    by_id = _themes_by_id()
    for match in _find_matches(text):
        theme_id: str | None = match.theme
        while theme_id is not None:  # a sub-theme's match also counts for its parent
            strength[theme_id] += match.weight
            if match.surface not in surfaces[theme_id]:
                surfaces[theme_id].append(match.surface)
            theme_id = by_id[theme_id].parent
    order = {t.id: i for i, t in enumerate(_taxonomy())}
    ranked = sorted(strength, key=lambda t: (-strength[t], by_id[t].level, order[t]))
    return tuple((t, round(strength[t], 6), tuple(surfaces[t])) for t in ranked)


def sentence_themes(text: str) -> tuple[str, ...]:
    """Theme ids of one sentence (Chinese, English or mixed), strongest first.

    Sub-theme ids (e.g. `safety.recalls`) come with their parent (`safety`), which is never weaker.
    """
    return tuple(t for t, _, _ in _sentence_theme_strengths(text))


def dominant_themes(sentences: Sequence[Sentence], top: int = 2, *, level: int | None = 0) -> list[str]:
    """The themes that dominate a set of sentences (e.g. a viewpoint group), strongest first.

    Each sentence gives one vote, split among its themes in proportion to their strength, so one
    long sentence full of terms cannot outweigh the rest. `level=0` (default) ranks top-level
    themes, `level=1` sub-themes, `None` both.
    """
    if top < 1:
        return []
    votes: dict[str, float] = defaultdict(float)
    raw: dict[str, float] = defaultdict(float)
    by_id = _themes_by_id()
    for s in sentences:
        items = [
            (t, w)
            for t, w, _ in _sentence_theme_strengths(s.text)
            if level is None or by_id[t].level == level
        ]
        total = sum(w for _, w in items)
        for t, w in items:
            votes[t] += w / total
            raw[t] += w
    order = {t.id: i for i, t in enumerate(_taxonomy())}
    ranked = sorted(votes, key=lambda t: (-round(votes[t], 9), -raw[t], order[t]))
    return ranked[:top]


def theme_scores(sentences: Sequence[Sentence]) -> tuple[ThemeScore, ...]:
    """Per theme (top-level and sub-themes): sentiment over the sentences that carry it.

    `terms` are the matched words as they appear in the text (for highlighting), in first-seen
    order. Themes no sentence carries are left out; ordered by number of sentences, then taxonomy
    order.
    """
    carriers: dict[str, list[Sentence]] = defaultdict(list)
    terms: dict[str, list[str]] = defaultdict(list)
    for s in sentences:
        for theme_id, _, surfaces in _sentence_theme_strengths(s.text):
            carriers[theme_id].append(s)
            terms[theme_id].extend(x for x in surfaces if x not in terms[theme_id])
    order = {t.id: i for i, t in enumerate(_taxonomy())}
    result = []
    for theme_id in sorted(carriers, key=lambda t: (-len(carriers[t]), order[t])):
        theme = theme_by_id(theme_id)
        result.append(
            ThemeScore(
                id=theme.id,
                name_en=theme.name_en,
                name_zh=theme.name_zh,
                sentiment=summarize_labels(s.label for s in carriers[theme_id]),
                sentence_positions=tuple(s.position for s in carriers[theme_id]),
                terms=tuple(terms[theme_id]),
            )
        )
    return tuple(result)
