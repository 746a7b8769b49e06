"""Sentence splitting for Chinese, English and mixed text.

Chinese ends a sentence at 。！？；… (and their ASCII forms, since the reader's NFKC normalisation
turns full-width ！？； into !?;), English at . ! ? — but a full stop inside `1.5%`, `U.S.`, `e.g.`,
`Mr. Lei`, `No. 3`, `Inc.` or a domain name is not an end. Closing quotes and brackets after the
terminator stay with the sentence (`他说：“好。”` is one sentence), and a terminator inside an open
quotation does not end the sentence unless the quotation closes right after it. A comma never ends
a sentence. Blank lines always do.

The splitter works on a single pass over the candidate terminators found by one regular
expression, so it is linear in the length of the text (no backtracking-prone patterns).
"""

from __future__ import annotations

import re

from analysis.text.scripts import CJK

# Runs of terminator characters are examined together ("?!", "……", "...").
_TERMINATOR_RUN = re.compile(r"[。！？!?；;…．.]+|\n[ \t\r\f\v]*\n")
# Closing quotes and brackets that belong to the sentence they follow.
_CLOSERS = frozenset("”’」』）)】》〉]\"'")
# A following character that shows the clause goes on (so the terminator did not end it).
_CONTINUERS = frozenset(",，、:：")
_WORD = re.compile(r"\w")
# Tokens before a full stop that make it an abbreviation, not an end (lower-cased, without dots).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc eg ie inc ltd co corp plc llc dept est approx fig figs vol
    vols ed eds rev gen gov sen rep col lt sgt capt cmdr adm jan feb mar apr jun jul aug sep sept
    oct nov dec am pm us uk eu un usa ph cf al""".split()  # noqa: SIM905 - a word list reads better as text
)
# "No. 3" / "no. 3" / "Art. 5": abbreviations only when a number follows.
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "art", "p", "pp", "sec", "ch", "para"})
_OPEN_QUOTES = "“「『《"
_CLOSE_QUOTES = "”」』》"
# A quotation that has not closed after this many characters is taken to be unbalanced.
_MAX_QUOTE_SPAN = 400


def _is_cjk(ch: str) -> bool:
    return bool(CJK.match(ch))


def _token_before(text: str, end: int) -> str:
    """The run of letters and dots that ends at `end` (e.g. "U.S" before the final dot)."""
    start = end
    while (
        start > 0
        and end - start < 20
        and (text[start - 1].isascii() and (text[start - 1].isalpha() or text[start - 1] == "."))
    ):
        start -= 1
    return text[start:end]


def _next_non_space(text: str, i: int) -> str:
    n = len(text)
    while i < n and text[i] in " \t\u00a0\u3000":
        i += 1
    return text[i] if i < n else ""


def _full_stop_ends(text: str, start: int, end: int) -> bool:
    """Decide whether the single "." at text[start] ends an English sentence."""
    following = text[end] if end < len(text) else ""
    if following and not (following.isspace() or following in _CLOSERS or _is_cjk(following)):
        return False  # 1.5%, U.S.A, xiaomi.com, e.g.,
    token = _token_before(text, start)
    bare = token.replace(".", "").lower()
    nxt = _next_non_space(text, end)
    if bare in _ABBREVIATIONS or (bare in _NUMBER_ABBREVIATIONS and nxt.isdigit()):
        return False
    if "." in token or (len(token) == 1 and token.isupper()):
        return False  # U.S. / e.g. / initials such as "J. Smith"
    return not (nxt.isalpha() and nxt.islower() and nxt.isascii())


def _run_ends(text: str, run: str, start: int, end: int) -> bool:
    """Whether a terminator run text[start:end] (closers not yet absorbed) ends a sentence."""
    if run in (".", "．"):
        return _full_stop_ends(text, start, end)
    following = text[end] if end < len(text) else ""
    if set(run) <= set(";；"):
        if "；" in run:
            return True
        # ASCII ";" ends a clause only in Chinese context (NFKC turned ； into ;).
        before = text[start - 1] if start > 0 else ""
        return _is_cjk(before) or _is_cjk(_next_non_space(text, end))
    if set(run) <= set(".…"):
        # An ellipsis: an end at the end of text, before CJK, or before a capitalised word.
        nxt = _next_non_space(text, end)
        if run.count(".") and not run.count("…") and len(run) < 3:
            return _full_stop_ends(text, end - 1, end)
        return nxt == "" or _is_cjk(nxt) or nxt.isupper() or nxt in _CLOSERS or following == "\n"
    # ! ? 。 and mixes: an ASCII terminator glued to a following Latin letter or digit is not an end
    # (URLs "?q=1", "Yahoo!Inc").
    return not (run[-1] in "!?." and following and following.isascii() and following.isalnum())


def _sentence_ends(text: str) -> list[int]:
    """Offsets where sentences end (exclusive), in order."""
    ends: list[int] = []
    depth = 0  # depth of open CJK quotations
    ascii_quote_open = False
    quote_opened_at = -1
    scanned = 0
    n = len(text)
    has_quotes = any(q in text for q in _OPEN_QUOTES + _CLOSE_QUOTES + '"')  # skip counting if none
    for m in _TERMINATOR_RUN.finditer(text):
        start, end = m.span()
        if start < scanned:
            continue  # already absorbed as part of a previous end
        segment = text[scanned:start] if has_quotes else ""
        opens = sum(segment.count(q) for q in _OPEN_QUOTES)
        closes = sum(segment.count(q) for q in _CLOSE_QUOTES)
        was_closed = depth == 0 and not ascii_quote_open
        depth = max(0, depth + opens - closes)
        if segment.count('"') % 2:
            ascii_quote_open = not ascii_quote_open
        if was_closed and (depth or ascii_quote_open):
            quote_opened_at = scanned
        scanned = end
        run = m.group()
        if run[0] == "\n":
            ends.append(start)
            depth, ascii_quote_open = 0, False
            continue
        # Absorb closing quotes / brackets (and further terminators after them: 。”！).
        stop = end
        while stop < n and (text[stop] in _CLOSERS or text[stop] in "。！？!?…"):
            ch = text[stop]
            if ch in _CLOSE_QUOTES and depth:
                depth -= 1
            elif ch == '"':
                if not ascii_quote_open:
                    break  # an opening quote of the next sentence
                ascii_quote_open = False
            elif ch in "'’" and stop + 1 < n and text[stop + 1].isalpha():
                break
            stop += 1
        absorbed_closer = stop > end
        scanned = stop
        if not _run_ends(text, run, start, end):
            continue
        if stop < n and text[stop] in _CONTINUERS:
            continue
        if absorbed_closer:
            # '(after tax.) rose' / '"Wow!" he said': a lower-case word goes on with the sentence
            nxt = _next_non_space(text, stop)
            if nxt.isascii() and nxt.isalpha() and nxt.islower():
                continue
        inside_quote = depth > 0 or ascii_quote_open
        if inside_quote and not absorbed_closer:
            if start - quote_opened_at <= _MAX_QUOTE_SPAN:
                continue
            depth, ascii_quote_open = 0, False  # unbalanced quotation: stop honouring it
        ends.append(stop)
    return ends


# "他说。" / "王先生表示。" after a closed quotation: the speaker belongs to the quote.
_ATTRIBUTION = re.compile(
    r"[^。！？!?\s]{0,8}(?:说|表示|称|指出|强调|介绍|透露|坦言|告诉记者|补充道|回应)[。.!！]?"
)


def _is_attribution_tail(text: str, previous: list[int], lo: int, hi: int) -> bool:
    if hi - lo > 12 or text[previous[1] - 1] not in "”」』":
        return False
    return _ATTRIBUTION.fullmatch(text, lo, hi) is not None


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; each is a stripped slice of `text`, never empty.

    Pieces without any letter, digit or CJK character (a stray "…" or "。") are joined to the
    sentence before them rather than returned on their own.
    """
    if not text or text.isspace():
        return []
    spans: list[list[int]] = []  # [start, end) of each sentence's stripped text
    begin = 0
    for end in [*_sentence_ends(text), len(text)]:
        lo, hi = begin, end
        begin = end
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if lo == hi:
            continue
        if spans and (not _WORD.search(text, lo, hi) or not _WORD.search(text, *spans[-1])):
            # a punctuation-only piece joins its neighbour (they are adjacent in the text)
            spans[-1][1] = hi
            continue
        if spans and _is_attribution_tail(text, spans[-1], lo, hi):
            spans[-1][1] = hi  # “……。”他说。 stays one sentence: the quote and who said it
            continue
        spans.append([lo, hi])
    pieces = [text[lo:hi] for lo, hi in spans]
    return pieces
