"""Normalisation: the one policy for turning any text we read into the text we analyse and store.

* Unicode NFKC, so compatibility characters fold to their ordinary form: PDF Kangxi radicals
  `⼩⽶` -> `小米` (and, by a table, CJK Radicals Supplement look-alikes such as `⻋` -> `车`,
  which NFKC leaves alone), full-width digits and signs `１．５％` -> `1.5%`, ideographic/no-break
  spaces -> space, ligatures `ﬁ` -> `fi`.
* Except for the Chinese sentence and clause punctuation `，！？；：（）` and the ellipsis `…`,
  which are kept exactly as written. NFKC would turn them into `, ! ? ; : ( ) ...`; keeping
  them means Chinese text reads as the author wrote it, `3，5` never turns into the number
  `3,5`, and `…` stays one sentence-ending character. The sentence splitter downstream
  splits on both forms (`。！？；…` and `.!?;`), so mixed input still splits correctly.
  `。、「」` are untouched by NFKC anyway.
* Circled numbers `①`…`㊿` are kept too: NFKC would make `⑩2025年` into `102025年`, which the
  figure extractor would read as a number.
* Line endings -> `\\n` (also CR, NEL, U+2028; U+2029, form feed and vertical tab become line
  breaks); zero-width characters, soft hyphens, bidi marks and BOMs are removed, as are other
  control characters; runs of spaces and tabs collapse to one space; every line is stripped;
  three or more newlines collapse to one blank line. Blank lines are kept because the structure
  parser uses them as paragraph breaks.

The stored form of a text (`stored_text_form`: line ends and outer blanks only) and its content
hash (`content_hash`) are defined here too, so the library, the pipeline's input stamp and the
stored sentence scores all hash the same string the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Characters NFKC would fold but that we keep as written (see the module docstring).
_NFKC_KEEP = "，！？；：（）…\u2460-\u24ff\u3251-\u325f\u32b1-\u32bf"
_NFKC_RUN = re.compile(f"[^{_NFKC_KEEP}]+")
# CJK Radicals Supplement characters have no NFKC mapping, yet PDFs with subset CJK fonts often map
# whole simplified characters to them (⻋ for 车). Their equivalent unified ideographs, after Unicode's
# EquivalentUnifiedIdeograph.txt, for the radicals that are complete characters in running text.
_RADICAL_SUPPLEMENT_TO_IDEOGRAPH = str.maketrans(
    "⺦⺰⻅⻆⻈⻉⻋⻌⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻲⻘⻝⺠⻣⻄⻁⻗⺩⺾⺜⺝⻏⻖",
    "丬纟见角讠贝车辶钅长门韦页风飞饣马鱼鸟卤麦黄黾斉齐歯齿竜龙亀青食民骨西虎雨王艹日月阝阝",
)
_LINE_BREAKS = re.compile("\r\n|[\r\u0085\u2028\v]")
_PARAGRAPH_BREAKS = re.compile("[\u2029\f]")
# Zero-width and invisible formatting characters, BOM, soft hyphen, bidi controls; other C0/C1 controls.
INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\u2061-\u2064\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
_SPACE_RUN = re.compile(r"[ \t]+")
_EDGE_SPACE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise text for analysis; the policy is in the module docstring. Idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _PARAGRAPH_BREAKS.sub("\n\n", text)
    # Invisible characters go before NFKC: removing them afterwards could bring combining marks
    # together that NFKC would then reorder on a second pass (normalisation must be idempotent).
    text = INVISIBLE.sub("", text)
    text = text.translate(_RADICAL_SUPPLEMENT_TO_IDEOGRAPH)
    text = _NFKC_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SPACE_RUN.sub(" ", text)
    text = _EDGE_SPACE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


_OUTER_BLANKS = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")  # whitespace and byte-order marks at either end


def stored_text_form(text: str) -> str:
    """The form a text is stored and hashed in: Unix line ends, no outer whitespace, no BOM.
    Re-uploading the same article from Windows or with a trailing newline is still the same article."""
    return _OUTER_BLANKS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def content_hash(text: str) -> str:
    """SHA-256 of a text's stored form: the library's article hash, the pipeline's input stamp and
    the key of stored sentence scores (a sentence is already in its stored form, so nothing moves)."""
    return hashlib.sha256(stored_text_form(text).encode("utf-8")).hexdigest()


def alias_key(name: str) -> str:
    """The form a name is compared in, case aside: NFKC, case-folded, single spaces, no outer
    blanks ("Xiaomi " and "xiaomi" are one alias). The entity matcher and the library's unique
    user aliases both use it, so what the library refuses as a duplicate the matcher would merge."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
