"""Keywords: the one keyword extractor (articles, spikes, posts and derived titles).

Chinese: TF-IDF with jieba's IDF table and jieba's own weighting (term frequency times IDF, the
median IDF for unknown words), over our own tokenizer (user dictionary loaded, so 小米汽车 / 雷军 /
SU7 stay whole); jieba's global tokenizer and dictionary are never touched, so only one dictionary
is ever in memory. `jieba.analyse` itself is not imported: importing it builds a default
extractor and imports jieba's POS tagger, a second more on the first article of a process. English: RAKE (Rose et al.
2010, "Automatic keyword extraction from individual documents"): candidate phrases are the runs
between stop words and punctuation, each word scored degree/frequency, a phrase by the sum of its
words. Mixed input is split by language per text; each language's weights are scaled by its share
of the text and the merged list is normalised so the top keyword weighs 1.
"""

from __future__ import annotations

import json
import logging
import marshal
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import jieba

from analysis.lazy import once
from analysis.records import Keyword
from analysis.text.lang import detect_lang
from analysis.text.scripts import HAN

_DATA = Path(__file__).resolve().parents[1] / "data"  # shipped as package data (pyproject.toml)
EN_WORD = re.compile(r"[A-Za-z0-9]+(?:[&'’\-][A-Za-z0-9]+)*")


@once
def _stop_words(lang: str) -> frozenset[str]:
    text = (_DATA / f"stopwords_{lang}.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@once  # single flight: jieba's initialisation is not safe to run twice at once
def _build_tokenizer() -> jieba.Tokenizer:
    # jieba logs "Building prefix dict..." at DEBUG/INFO on first use; that is noise for our users.
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    _load_cached_prefix_dict(tok)
    tok.load_userdict(str(_DATA / "userdict.txt"))  # initialises the main dictionary if not yet
    for word, tag in _entity_words():  # names of the entity table stay whole too
        if not tok.FREQ.get(word):  # a word jieba knows keeps its own frequency and tag
            tok.add_word(word, ENTITY_WORD_FREQ, tag)
    return tok


ENTITY_WORD_FREQ = 2000


def _load_cached_prefix_dict(tok: jieba.Tokenizer) -> bool:
    """Load jieba's default prefix dictionary from jieba's own cache file, read whole first.

    jieba unmarshals the cache straight from the open file, which reads it object by object: 1.3 s
    for its 9 MB here, against 0.26 s for `marshal.loads` of the same bytes (a third of a
    60-sentence article's time from process launch). Same file, same check as jieba's (the default
    dictionary's cache is always valid); False (jieba builds and writes the cache itself, as before)
    when there is none yet or it does not read.
    """
    if tok.dictionary != jieba.DEFAULT_DICT:
        return False
    cache = Path(tok.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
    try:
        freq, total = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not isinstance(freq, dict) or not isinstance(total, int) or not freq:
        return False
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return True


def _entity_words() -> list[tuple[str, str]]:
    """(word, POS tag) of the entity table's Chinese aliases (analysis/data/entities.json).

    Read here rather than through analysis.entities, which imports this module; that module
    validates the file (a broken one is reported there, keywords still work) and its tests check
    that every alias it lists is in this tokenizer."""
    try:
        entries = json.loads((_DATA / "entities.json").read_text(encoding="utf-8"))["entities"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    tags = {"person": "nr", "place": "ns", "organisation": "nt", "company": "nt"}
    words = []
    for e in entries if isinstance(entries, list) else ():
        if not isinstance(e, dict):
            continue
        for w in [e.get("name"), *(e.get("aliases") or ()), *(e.get("case_sensitive") or ())]:
            if isinstance(w, str) and HAN.search(w) and not any(c.isspace() for c in w.strip()):
                words.append((w.strip(), tags.get(str(e.get("type")), "nz")))
    return words


def tokenizer() -> jieba.Tokenizer:
    """Our own jieba Tokenizer with the user dictionary loaded (built once, on first call).

    Not jieba's global one: other code may change that, and ours must keep brand and person names
    (小米汽车, 雷军, SU7, OTA, ...) whole.
    """
    return _build_tokenizer()


# jieba's IDF table, shipped inside the jieba package (read directly: see the module's docstring).
_IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"
# jieba's KeywordExtractor.STOP_WORDS, which its TF-IDF always leaves out (ours are added to them).
_JIEBA_STOP_WORDS = frozenset(
    [
        "the",
        "of",
        "is",
        "and",
        "to",
        "in",
        "that",
        "we",
        "for",
        "an",
        "are",
        "by",
        "be",
        "as",
        "on",
        "with",
        "can",
        "if",
        "from",
        "which",
        "you",
        "it",
        "this",
        "then",
        "at",
        "have",
        "all",
        "not",
        "one",
        "has",
        "or",
    ]
)


class _Tfidf:
    """jieba's TF-IDF keyword weighting (`jieba.analyse.TFIDF.extract_tags` with weights, no POS
    filter) over our tokenizer: weight = count / total * idf, for tokens of 2+ characters that are
    not stop words, the heaviest first."""

    def __init__(self) -> None:
        self.tokenizer = tokenizer()
        self.stop_words = _JIEBA_STOP_WORDS | _stop_words("zh") | _stop_words("en")
        idf: dict[str, float] = {}
        for line in _IDF_PATH.read_bytes().decode("utf-8").splitlines():
            word, value = line.strip().split(" ")
            idf[word] = float(value)
        self.idf = idf
        self.median_idf = sorted(idf.values())[len(idf) // 2]

    def extract_tags(self, text: str) -> list[tuple[str, float]]:
        freq: dict[str, float] = {}
        for w in self.tokenizer.cut(text):
            if len(w.strip()) < 2 or w.lower() in self.stop_words:
                continue
            freq[w] = freq.get(w, 0.0) + 1.0
        total = sum(freq.values())
        weights = {w: n * (self.idf.get(w, self.median_idf) / total) for w, n in freq.items()}
        return sorted(weights.items(), key=lambda kv: kv[1], reverse=True)


@once
def _tfidf() -> _Tfidf:
    return _Tfidf()


# Numbers, percentages, years, quantities with a counting unit: never keywords.
_NUMERIC = re.compile(
    r"^[\d０-９.,，%％+\-−~～/:]*[\d０-９]+[\d０-９.,，%％+\-−~～/:]*"
    r"[年月日号时分秒万亿千百十个辆台名位人次家条%％]*$"
    r"|^[零〇一二两三四五六七八九十百千万亿点几多余第到至]+[年月日号个辆台名位人次家条]?$"
    r"|^百分之"
)


def _is_noise(term: str) -> bool:
    t = term.strip()
    return not t or bool(_NUMERIC.match(t)) or not re.search(r"[A-Za-z\u4e00-\u9fff]", t)


def _zh_keywords(text: str) -> list[tuple[str, float]]:
    tags = _tfidf().extract_tags(text)
    return [(w, float(x)) for w, x in tags if not _is_noise(w) and not HAN.fullmatch(w)]


_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘…/|•·—–\n\t]|\s-\s|\s-$|^-\s")


def _en_keywords(text: str) -> list[tuple[str, float]]:
    """RAKE over one English text: phrases split at stop words and punctuation, up to 3 words."""
    stops = _stop_words("en")
    phrases: list[list[str]] = []
    for chunk in _PHRASE_BREAK.split(text):
        current: list[str] = []
        for match in EN_WORD.finditer(chunk):
            word = match.group(0)
            key = word.lower().replace("’", "'")
            key = key[:-2] if key.endswith("'s") else key
            # adverbs in -ly break phrases too (a common RAKE refinement: "genuinely safe" → "safe")
            if key in stops or len(key) < 2 or _is_noise(key) or (key.endswith("ly") and len(key) > 4):
                if current:
                    phrases.append(current)
                current = []
            elif word.lower().endswith(("'s", "’s")):
                # a possessive ends its phrase: "Xiaomi's ambitious goals" → "Xiaomi", "ambitious goals"
                current.append(word[:-2])
                phrases.append(current)
                current = []
            else:
                current.append(word)
        if current:
            phrases.append(current)
    phrases = [p for p in phrases if len(p) <= 3]
    freq: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for p in phrases:
        for w in p:
            freq[w.lower()] += 1
            degree[w.lower()] += len(p)
    scores: dict[str, float] = {}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for p in phrases:
        key = " ".join(w.lower() for w in p)
        # RAKE's phrase score, summed over occurrences so repeated phrases rank higher.
        scores[key] = scores.get(key, 0.0) + sum(degree[w.lower()] / freq[w.lower()] for w in p)
        forms[key][" ".join(p)] += 1

    def display(key: str) -> str:
        # the most frequent spelling; on a tie the one with fewer capitals (titles capitalise all)
        return min(forms[key].items(), key=lambda f: (-f[1], sum(c.isupper() for c in f[0])))[0]

    return [(display(k), v) for k, v in sorted(scores.items(), key=lambda kv: -kv[1])]


def _normalize(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    top = max((w for _, w in pairs), default=0.0)
    return [(t, w / top) for t, w in pairs if w > 0] if top > 0 else []


def extract_keywords(texts: Sequence[str], top: int = 20) -> list[Keyword]:
    """The `top` keywords of a set of texts (e.g. an article's sentences), weights in (0, 1].

    Texts are split by language (per text); Chinese goes to jieba TF-IDF, English to RAKE. Each
    language's weights are scaled by its share of the characters, so a stray English sentence in a
    Chinese article does not push its phrases to the top. Stop words and numbers never appear.
    """
    if top < 1:
        return []
    by_lang: dict[str, list[str]] = {"zh": [], "en": []}
    for text in texts:
        if text and text.strip():
            text_lang = detect_lang(text)
            if text_lang in by_lang:
                by_lang[text_lang].append(text)
    sizes = {lang: sum(len(t) for t in items) for lang, items in by_lang.items()}
    total = sum(sizes.values())
    if not total:
        return []
    merged: dict[str, tuple[str, float]] = {}
    for lang, items in by_lang.items():
        if not items:
            continue
        joined = "\n".join(items)
        pairs = _zh_keywords(joined) if lang == "zh" else _en_keywords(joined)
        share = sizes[lang] / total
        for term, weight in _normalize(pairs):
            key = term.lower()
            scaled = weight * share
            if key not in merged or merged[key][1] < scaled:
                merged[key] = (term, scaled)
    ranked = sorted(merged.values(), key=lambda tw: (-tw[1], tw[0]))[:top]
    return [Keyword(term, round(weight, 4)) for term, weight in _normalize(ranked)]


def sentence_keywords(text: str, top: int = 5) -> list[str]:
    """The `top` keywords of one sentence or post (for spike and post explanations)."""
    return [k.term for k in extract_keywords([text], top=top)]
