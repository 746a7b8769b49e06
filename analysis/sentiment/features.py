"""Hashed features shared by training (scripts/train_sentiment.py) and run time (default_models.py).

One function per language turns a batch of texts into a flat list of feature occurrences
`(row, bucket, value, start, end)`; the model's score is a weighted sum per row. Because training
and inference call the very same function, the two cannot drift apart.

Chinese is featurised without any per-text Python loop: the batch is joined into one string,
decoded to an int array of code points, and every step below is numpy arithmetic over that array:
- character n-grams n = 1..4 (with start/end-of-text markers, so "…吗？" at the end is a feature);
- negation scope: n-grams starting up to 3 characters after 不/没/无/未/别/莫/勿 in the same clause
  count with flipped sign (so 高兴 in 不高兴 is negative evidence, 问题 in 没有问题 positive),
  and their unigrams/bigrams get a second, "negated" copy so the model can learn exceptions;
- contrast: after 但/却/可是/不过/然而/只是 every n-gram counts 1.5 times and the unigrams/bigrams
  get an "after contrast" copy; between 虽然/尽管/虽说 and the contrast n-grams count half, so the
  second half of 虽然…但是… decides;
- degree: n-grams starting within 2 characters after 很/非常/太/特别/十分/极/超/最/挺/相当/格外/
  更 count 1.5 times;
- rhetorical questions: inside a clause opened by 难道/岂/何尝/怎么能/怎能/凭什么 (up to ？/吗/。)
  the sign of the features between marker and question end is flipped, so "难道这不好吗" reads
  like "这好".
English uses lower-cased word uni/bigrams with negation marking (not good → NOT_good) and two
VADER-lexicon sums; it is tokenised per text (English volume is small; ~10 µs per text).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_CHARS = 512  # longer texts are cut: sentiment of posts and sentences lives in the first part
ZH_NGRAMS = (1, 2, 3, 4)
DEGREE_BOOST = 1.5
CONCESSION_WEIGHT = 0.5  # 虽然 X，但是 Y: X matters less ...
CONTRAST_WEIGHT = 1.5  # ... and Y more

# Salts keep the feature families apart in the one hash space.
_SALT_NGRAM = 0
_SALT_NEG = 101
_SALT_CONTRAST = 211

_START, _END = "\x02", "\x03"

_NEGATORS = "不没无未别莫勿"
# Words that start with a negator character but do not negate what follows.
_NOT_NEGATION = ("不错", "不过", "不仅", "不断", "不管", "不少", "无论", "未来", "别人", "别的", "不得")
_CONCESSIVE = ("虽然", "尽管", "虽说")
_CONTRAST_1 = "但却"
_CONTRAST_2 = ("可是", "不过", "然而", "只是")
_DEGREE_1 = "很太极超最挺更"
_DEGREE_2 = ("非常", "特别", "十分", "相当", "格外", "尤其", "极其", "超级")
_RHETORICAL_1 = "岂"
_RHETORICAL_2 = ("难道", "何尝", "怎能", "何必")
_RHETORICAL_3 = ("怎么能", "凭什么", "怎么会")
# Clause boundaries (after full-width → half-width folding).
_CLAUSE_PUNCT = ",.!?;:。、~\n\t…" + _START + _END
_QUESTION_END = "?吗。!" + _START + _END


def _codes(chars: str) -> np.ndarray:
    return np.array([ord(c) for c in chars], dtype=np.int64)


_NEG_CODES = _codes(_NEGATORS)
_CONTRAST_CODES = _codes(_CONTRAST_1)
_DEGREE_CODES = _codes(_DEGREE_1)
_RQ_CODES = _codes(_RHETORICAL_1)
_CLAUSE_CODES = _codes(_CLAUSE_PUNCT)
_QEND_CODES = _codes(_QUESTION_END)
_START_CODE, _END_CODE = ord(_START), ord(_END)

# One byte of flags per code point, the marker sets a character belongs to: one gather replaces six
# np.isin over the batch (1.1 MB; the codes are code points, normalised downwards).
_CLAUSE_FLAG, _NEG_FLAG, _CONTRAST_FLAG, _DEGREE_FLAG, _RQ_FLAG, _QEND_FLAG = (
    np.uint8(1 << b) for b in range(6)
)
_MARKER_FLAGS = np.zeros(0x110000, dtype=np.uint8)
for _flag, _set in (
    (_CLAUSE_FLAG, _CLAUSE_CODES),
    (_NEG_FLAG, _NEG_CODES),
    (_CONTRAST_FLAG, _CONTRAST_CODES),
    (_DEGREE_FLAG, _DEGREE_CODES),
    (_RQ_FLAG, _RQ_CODES),
    (_QEND_FLAG, _QEND_CODES),
):
    _MARKER_FLAGS[_set] |= _flag
del _flag, _set


@dataclass(frozen=True)
class FeatureOccurrences:
    """Flat feature occurrences of a batch: occurrence k belongs to text `row[k]`, hits hash bucket
    `bucket[k]` with value `value[k]`; `start[k]:end[k]` are its character positions in that
    text (used by `explain` to map features back to readable substrings)."""

    row: np.ndarray  # int64
    bucket: np.ndarray  # int64
    value: np.ndarray  # float64
    start: np.ndarray  # int64, position inside the original text (0-based)
    end: np.ndarray  # int64, exclusive


def _mix(h: np.ndarray, n_buckets: int) -> np.ndarray:
    """Multiply-shift hashing (Fibonacci): the top bits of h * golden ratio pick the bucket."""
    bits = n_buckets.bit_length() - 1
    return ((h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)


_HASH_BASE = np.uint64(1_000_003)  # polynomial hash of an n-gram: h = h * base + code, per character


def _bucket(h: np.ndarray, k: int, salt: int, n_buckets: int) -> np.ndarray:
    """Bucket of k-gram hashes `h` in the feature family `salt` (n-gram, negated, after contrast)."""
    return _mix(h + np.uint64(k * 7919 + salt), n_buckets)


def _normalize_codes(c: np.ndarray) -> np.ndarray:
    """Fold full-width ASCII to half-width, upper to lower case, every digit to 0 (so numbers
    generalise), in place on the int array."""
    fw = (c >= 0xFF01) & (c <= 0xFF5E)
    c[fw] -= 0xFEE0
    c[c == 0x3000] = 0x20  # ideographic space
    upper = (c >= 0x41) & (c <= 0x5A)
    c[upper] += 32
    digit = (c >= 0x30) & (c <= 0x39)
    c[digit] = 0x30
    return c


def _pair_mask(c: np.ndarray, pairs: Sequence[str]) -> np.ndarray:
    """True at i where c[i:i+len(p)] equals one of the strings in `pairs` (same length each call).

    Only the positions holding one of the pairs' first characters are compared further (a few in
    a hundred): a full pass over the batch per character of every pair was 5% of a corpus's time."""
    out = np.zeros(c.shape, dtype=bool)
    if not pairs:
        return out
    k = len(pairs[0])
    head = c[: max(len(c) - k + 1, 0)]
    starts = np.zeros(len(head), dtype=bool)
    for first in {ord(p[0]) for p in pairs}:
        starts |= head == first
    at = np.flatnonzero(starts)
    if not len(at):
        return out
    window = np.stack([c[at + j] for j in range(k)], axis=1)  # (candidates, k): in bounds by the cut above
    for p in pairs:
        out[at[(window == np.array([ord(ch) for ch in p], dtype=np.int64)).all(axis=1)]] = True
    return out


def _spread(mask: np.ndarray, width: int) -> np.ndarray:
    """Mark `width` positions starting at each True (multi-character markers cover all their chars)."""
    out = mask.copy()
    for j in range(1, width):
        out[j:] |= mask[:-j]
    return out


def _last_index(mask: np.ndarray) -> np.ndarray:
    """For each i, the largest j <= i with mask[j] (or -1)."""
    idx = np.where(mask, np.arange(len(mask)), -1)
    return np.maximum.accumulate(idx) if len(idx) else idx


def _zh_blocks(texts: Sequence[str], n_buckets: int, spans: bool):
    """Yield blocks (row, bucket, value, start, end) of Chinese feature occurrences; fully
    vectorised over the batch."""
    n = len(texts)
    if n == 0:
        return
    clipped = [t[:MAX_CHARS] if t else "" for t in texts]
    joined = _START + (_END + _START).join(clipped) + _END
    c = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    c = _normalize_codes(c)
    lens = np.fromiter((len(t) + 2 for t in clipped), dtype=np.int64, count=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    total = len(c)
    pos = np.arange(total, dtype=np.int64)
    row_of = np.repeat(np.arange(n, dtype=np.int64), lens)
    # Position inside the original text (the start marker sits at -1).
    in_text = pos - offsets[row_of] - 1

    is_start = c == _START_CODE
    last_start = _last_index(is_start)
    flags = _MARKER_FLAGS[c]
    clause = (flags & _CLAUSE_FLAG) != 0

    # Negation: negator characters ("不错" is praise, not negation).
    neg = (flags & _NEG_FLAG) != 0
    neg &= ~_pair_mask(c, _NOT_NEGATION)
    last_neg = _last_index(neg)
    last_clause = _last_index(clause)
    prev_neg = np.empty_like(last_neg)
    prev_neg[0], prev_neg[1:] = -1, last_neg[:-1]
    in_neg = (prev_neg >= 0) & (prev_neg > last_clause) & (pos - prev_neg <= 3) & ~neg

    # Contrast: everything after a contrast marker, to the end of the text.
    contrast = ((flags & _CONTRAST_FLAG) != 0) | _spread(_pair_mask(c, _CONTRAST_2), 2)
    after_contrast = _last_index(contrast) > last_start
    after_contrast &= ~contrast

    # Degree adverbs boost the next two characters.
    degree = ((flags & _DEGREE_FLAG) != 0) | _spread(_pair_mask(c, _DEGREE_2), 2)
    last_degree = _last_index(degree)
    boosted = (last_degree > last_start) & (pos - last_degree <= 2) & (pos - last_degree >= 1)

    # Rhetorical question: from the marker to the question's end, signs flip.
    rq_2 = _pair_mask(c, [p for p in _RHETORICAL_2 if len(p) == 2])
    rq_3 = _pair_mask(c, list(_RHETORICAL_3))
    rq = ((flags & _RQ_FLAG) != 0) | rq_2 | rq_3
    q_end = (flags & _QEND_FLAG) != 0
    in_rq = _last_index(rq) > _last_index(q_end)
    # The marker itself (难道) and the question's end (吗, ？) keep their own learned weights.
    in_rq &= ~(rq | _spread(rq_2, 2) | _spread(rq_3, 3) | q_end)

    # Concession / contrast: 虽然 X，但是 Y — X counts half, Y one and a half times.
    concessive = _pair_mask(c, _CONCESSIVE)
    last_concessive = _last_index(concessive)
    last_contrast = _last_index(contrast)
    in_concession = (last_concessive > last_start) & (last_concessive > last_contrast)

    # Negation flips the sign of n-grams that start inside its scope (高兴 in 不高兴 counts
    # as negative evidence), so a sentiment word's weight carries over to its negated uses; the
    # salted "negated" copies below let the model learn exceptions. A rhetorical question flips
    # again.
    in_neg &= ~q_end  # "不好吗": the question particle is not negated
    sign = np.where(in_rq, -1.0, 1.0) * np.where(in_neg, -1.0, 1.0) * np.where(boosted, DEGREE_BOOST, 1.0)
    sign *= np.where(in_concession, CONCESSION_WEIGHT, 1.0) * np.where(after_contrast, CONTRAST_WEIGHT, 1.0)
    norm = 1.0 / np.sqrt(lens.astype(np.float64))
    pos_value = sign * norm[row_of]

    cu = c.astype(np.uint64)
    h = np.zeros(total, dtype=np.uint64)
    for k in range(1, max(ZH_NGRAMS) + 1):
        # Polynomial hash of c[i : i + k]; an n-gram crossing into the next text gets value 0
        # (cheaper than dropping it: no gathers over the big arrays).
        m = total - k + 1
        if m <= 0:
            break
        h = h[:m] * _HASH_BASE + cu[k - 1 : k - 1 + m]
        if k not in ZH_NGRAMS:
            continue
        valid = row_of[:m] == row_of[k - 1 : k - 1 + m]
        v = np.where(valid, pos_value[:m], 0.0)
        yield (
            row_of[:m],
            _bucket(h, k, _SALT_NGRAM, n_buckets),
            v,
            in_text[:m] if spans else None,
            in_text[:m] + k if spans else None,
        )
        if k <= 2:
            for mask, salt in ((in_neg, _SALT_NEG), (after_contrast, _SALT_CONTRAST)):
                sel = mask[:m] & valid
                if k == 2:
                    sel &= mask[1 : m + 1]
                j = np.nonzero(sel)[0]
                st = en = None
                if spans:
                    st = in_text[j]
                    if salt == _SALT_NEG:  # negated features are shown with their negator (不 + 满意)
                        st = np.minimum(st, prev_neg[j] - offsets[row_of[j]] - 1)
                    en = in_text[j] + k
                yield (
                    row_of[j],
                    _bucket(h[j], k, salt, n_buckets),
                    pos_value[j],
                    st,
                    en,
                )


def zh_features(texts: Sequence[str], n_buckets: int, spans: bool = True) -> FeatureOccurrences:
    """Hashed Chinese features of a batch (see the module docstring), as flat occurrences."""
    blocks = list(_zh_blocks(texts, n_buckets, spans))
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return FeatureOccurrences(empty, empty, empty.astype(float), empty, empty)
    cols = list(zip(*blocks, strict=True))
    return FeatureOccurrences(
        *(np.concatenate(col) if col[0] is not None else np.zeros(0, dtype=np.int64) for col in cols)
    )


def zh_linear(texts: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """Per-text sums of feature value x weight row, shape (len(texts), weights.shape[1]); the
    run-time path (no occurrence list is materialised)."""
    return zh_linear_many(texts, (weights,))[0]


def zh_linear_many(texts: Sequence[str], tables: Sequence[np.ndarray]) -> list[np.ndarray]:
    """`zh_linear` of several weight tables (e.g. the fast sentiment and emotion models) over one
    feature pass, each result identical to `zh_linear(texts, table)`.

    The features are hashed once, into the largest table's bucket count; a smaller power-of-two
    table's bucket is the same hash's top bits (`_mix`), i.e. the large bucket shifted right. Per
    table and column the same products are summed in the same order as by `zh_linear`, so the
    sums are the same to the bit."""
    n = len(texts)
    outs = [np.zeros((n, w.shape[1]), dtype=np.float64) for w in tables]
    if not n or not tables:
        return outs
    big = max(w.shape[0] for w in tables)
    shifts = [big.bit_length() - w.shape[0].bit_length() for w in tables]
    # One bincount per column, as zh_linear always did (numpy only: scipy.sparse would cost the
    # server about 10 MB of its 600 MB budget).
    for row, bucket, value, _, _ in _zh_blocks(texts, big, spans=False):
        for w, shift, out in zip(tables, shifts, outs, strict=True):
            # np.take along axis 0, not w[idx]: the same rows, 3 to 5 times faster for 2-D tables.
            gathered = np.take(w, bucket >> shift if shift else bucket, axis=0)
            for j in range(w.shape[1]):
                out[:, j] += np.bincount(row, weights=value * gathered[:, j], minlength=n)
    return outs


def zh_ngram_buckets(words: Sequence[str], n_buckets: int) -> np.ndarray:
    """The bucket of each word's plain n-gram feature (the word as one n-gram, no negation or
    contrast salt), hashed exactly as _zh_blocks does; -1 for words whose length is not one of
    ZH_NGRAMS. Vectorised per word length."""
    out = np.full(len(words), -1, dtype=np.int64)
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    for k in ZH_NGRAMS:
        idx = np.nonzero(lengths == k)[0]
        if not len(idx):
            continue
        joined = "".join(words[int(i)] for i in idx)
        raw = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        codes = _normalize_codes(raw).astype(np.uint64).reshape(len(idx), k)
        h = np.zeros(len(idx), dtype=np.uint64)
        for j in range(k):
            h = h * _HASH_BASE + codes[:, j]
        out[idx] = _bucket(h, k, _SALT_NGRAM, n_buckets)
    return out


# ---------------------------------------------------------------- English

_EN_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?|[!?$%]|n't")
_EN_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "without",
        "hardly",
        "barely",
        "n't",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "cant",
        "couldnt",
        "shouldnt",
        "wouldnt",
    ]
)
_EN_CLAUSE = re.compile(r"[.,;:!?]|\bbut\b|\bhowever\b|\balthough\b")
EN_SKIP = 3  # skip-gram reach in tokens
EN_NEG_SCOPE = 3  # tokens after a negator that are marked NOT_
EN_DENSE = ("vader_pos", "vader_neg")  # dense features appended after the hashed buckets


def en_tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased tokens with character spans; numbers become <num>; NOT_ marks negation scope."""
    out: list[tuple[str, int, int]] = []
    low = (text or "")[: MAX_CHARS * 2].lower().replace("’", "'")
    for clause in _split_clauses(low):
        base, cl = clause
        scope = 0
        for m in _EN_TOKEN.finditer(cl):
            tok = m.group(0)
            if tok[0].isdigit():
                tok = "<num%>" if tok.endswith("%") else "<num>"
            if tok.endswith("n't") and tok != "n't":
                out.append((tok[:-3], base + m.start(), base + m.end() - 3))
                tok = "n't"
            if tok in _EN_NEGATORS:
                out.append((tok, base + m.start(), base + m.end()))
                scope = EN_NEG_SCOPE
                continue
            if scope > 0:
                scope -= 1
                tok = "NOT_" + tok
            out.append((tok, base + m.start(), base + m.end()))
    return out


def _split_clauses(text: str) -> list[tuple[int, str]]:
    parts: list[tuple[int, str]] = []
    last = 0
    for m in _EN_CLAUSE.finditer(text):
        parts.append((last, text[last : m.start()]))
        last = m.start()
    parts.append((last, text[last:]))
    return parts


_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


def _stem(tok: str) -> str:
    """Crude suffix stripping so rose/rises/rising and profits/profit share features."""
    if len(tok) <= 4 or tok.startswith("<"):
        return tok
    for suf in _SUFFIXES:
        if tok.endswith(suf) and len(tok) - len(suf) >= 3:
            return tok[: -len(suf)]
    return tok


def _en_bucket(term: str, n_buckets: int) -> int:
    return zlib.crc32(term.encode("utf-8")) & (n_buckets - 1)


def en_features(
    texts: Sequence[str], n_buckets: int, lexicon: dict[str, float]
) -> tuple[FeatureOccurrences, np.ndarray]:
    """Hashed English uni/bigrams (value 1/sqrt(tokens)) and dense VADER sums, shape (n, 2):
    [sum of positive valences, sum of negative valences] / 4 / sqrt(tokens), flipped under NOT_."""
    rows: list[int] = []
    buckets: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    values: list[float] = []
    dense = np.zeros((len(texts), len(EN_DENSE)), dtype=np.float64)
    for i, text in enumerate(texts):
        toks = en_tokens(text)
        if not toks:
            continue
        w = 1.0 / np.sqrt(len(toks) + 1)
        stems = [(_stem(tok), s) for tok, s, _ in toks]
        for k, (tok, s, e) in enumerate(toks):
            prev, prev_start = stems[k - 1] if k else ("<s>", s)
            terms = [(tok, s), ("2 " + prev + " " + stems[k][0], prev_start)]
            if stems[k][0] != tok:
                terms.append(("S " + stems[k][0], s))
            # Skip-grams: direction words and their objects often stand 2-3 words apart
            # ("profit rose", "sales of the unit fell").
            for back in range(2, EN_SKIP + 1):
                if k >= back:
                    terms.append(("K " + stems[k - back][0] + " " + stems[k][0], stems[k - back][1]))
            for term, ts in terms:
                rows.append(i)
                buckets.append(_en_bucket(term, n_buckets))
                values.append(w)
                starts.append(ts)
                ends.append(e)
            negated = tok.startswith("NOT_")
            val = lexicon.get(tok[4:] if negated else tok)
            if val is not None:
                val = -0.74 * val if negated else val  # VADER's own negation factor
                dense[i, 0 if val > 0 else 1] += val / 4.0 * w
    occ = FeatureOccurrences(
        np.asarray(rows, dtype=np.int64),
        np.asarray(buckets, dtype=np.int64),
        np.asarray(values, dtype=np.float64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
    )
    return occ, dense


def load_vader_lexicon() -> dict[str, float]:
    """VADER's word valences (in the installed vaderSentiment package; read as a file, no network)."""
    from importlib.resources import files

    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                lexicon[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return lexicon


def to_csr(occ: FeatureOccurrences, n_rows: int, n_buckets: int):  # -> scipy.sparse.csr_matrix
    """The occurrences as a sparse design matrix (duplicates summed), for training."""
    from scipy import sparse

    return sparse.csr_matrix((occ.value, (occ.row, occ.bucket)), shape=(n_rows, n_buckets))
