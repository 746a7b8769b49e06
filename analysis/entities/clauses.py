"""Sentiment toward an entity, clause by clause: a sentence is split into clauses on contrast
markers (而、但、但是、却、然而、不过、可是; but, however, whereas, while, yet) and semicolons; a
concessive opening (虽然、尽管; although, though, while) ends at its comma. Each entity owns the
clauses it is named in plus the clauses after them that name no entity (the subject carries
over), and gets the label of that span, scored by the same scorer as the sentence; an entity
whose span is the whole sentence gets the sentence's label. In "小米销量大涨，而特斯拉下滑" 小米 owns
the first clause and 特斯拉 the second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.entities.table import Mention
from analysis.records import Label
from analysis.text.scripts import HAN

if TYPE_CHECKING:  # the sentiment package loads models lazily; only its type is needed here
    from analysis.sentiment import Scorer

ClauseScorer = Callable[[list[str]], list[Label | None]]  # texts -> labels (None: unscored)


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int


_SEGMENT_BREAK = re.compile(r"[，,；;]")
_SEMICOLON = frozenset("；;")
_ZH_CONTRAST_START = ("但是", "然而", "不过", "可是", "反观", "相比之下", "相较之下", "与此相反", "但", "而")
_ZH_NOT_CONTRAST = ("但凡", "但愿", "而且", "而已", "而言", "而来", "而去", "而是")
_ZH_QUE = re.compile(r"(?<![忘冷退推了])却(?!步)")
_EN_CONTRAST_START = re.compile(
    r"(?:but|however|whereas|while|yet|meanwhile|conversely|in contrast|by contrast|on the other hand)\b(?! also)",
    re.IGNORECASE,
)
_EN_INLINE = re.compile(r"\s(?:but|whereas|while)\s(?!also\b)", re.IGNORECASE)
_OPENER = re.compile(
    r"(?:虽然|尽管|虽|although|though|while|whereas|despite)\b|(?:虽然|尽管|虽)", re.IGNORECASE
)
_LEADING = " \t\"'“‘(（【[-—•"


def _is_contrast(segment: str) -> bool:
    s = segment.lstrip(_LEADING)
    if s.startswith(_ZH_CONTRAST_START) and not s.startswith(_ZH_NOT_CONTRAST):
        return True
    if _ZH_QUE.search(s):
        return True
    return bool(_EN_CONTRAST_START.match(s))


def split_clauses(text: str) -> list[Clause]:
    """Clauses of one sentence: a new clause starts at a semicolon, at a comma followed by a
    contrast marker (而、但、但是、然而、不过、可是; but, however, whereas, while, yet), at a
    comma before a segment with 却 in it, inside a segment at " but "/" whereas "/" while ", and
    after the comma that closes a concessive opening (虽然/尽管…, although/though/while…).
    Plain commas do not split (a list of facts about one subject stays one clause)."""
    # segments: (start, end, separator before)
    segments: list[tuple[int, int, str]] = []
    pos, sep = 0, ""
    for m in _SEGMENT_BREAK.finditer(text):
        segments.append((pos, m.start(), sep))
        pos, sep = m.end(), m.group()
    segments.append((pos, len(text), sep))
    starts: list[int] = [0]
    for i, (s, e, before) in enumerate(segments):
        body = text[s:e]
        if i > 0 and (before in _SEMICOLON or _is_contrast(body)):
            starts.append(s - len(before))  # the separator opens the new clause
        elif i == 1 and _OPENER.match(text[segments[0][0] : segments[0][1]].lstrip(_LEADING)):
            starts.append(s - len(before))
        for m in _EN_INLINE.finditer(body):
            starts.append(s + m.start() + 1)
    cuts = sorted(set(starts))
    clauses = []
    for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip(" ，,；;"))
        if chunk.strip(" ，,；;"):
            clauses.append(Clause(chunk[lead:].rstrip(), a + lead, a + lead + len(chunk[lead:].rstrip())))
    if not clauses:
        return [Clause(text, 0, len(text))]
    return clauses


@dataclass(frozen=True)
class Attribution:
    """The label an entity gets in one sentence and the text it came from (`span` is the sentence
    itself when `split` is False)."""

    label: Label | None
    span: str
    split: bool


def _owned_clauses(clauses: list[Clause], mentions: Sequence[Mention]) -> dict[str, list[int]]:
    direct: list[list[str]] = []
    for c in clauses:
        names = []
        for m in mentions:
            inside = c.start <= m.start < c.end or m.start < c.start < m.end
            if inside and m.name not in names:
                names.append(m.name)
        direct.append(names)
    owners: list[list[str]] = []
    last: list[str] = []
    for names in direct:
        last = names or last
        owners.append(last)
    first = next((names for names in direct if names), [])
    owners = [o or first for o in owners]
    spans: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(owners):
        for n in names:
            spans[n].append(i)
    return spans


def attribute(
    sentences: Sequence[tuple[str, Label | None, Sequence[Mention]]],
    score_clauses: ClauseScorer | None,
    *,
    keep: Sequence[bool] | None = None,
) -> list[dict[str, Attribution]]:
    """Each entity's label per sentence, at clause level.

    `sentences` are (text, sentence label, mentions in that text). An entity whose clauses are
    the whole sentence gets the sentence label; otherwise the text of its clauses is scored with
    `score_clauses` (one batched call for all sentences). Without a scorer, or where `keep[i]`
    is True (an analyst-reviewed sentence), every entity gets the sentence label. A clause the
    scorer leaves unscored falls back to the sentence label."""
    plans: list[dict[str, tuple[str, bool]]] = []
    todo: dict[str, None] = {}
    for i, (text, _label, mentions) in enumerate(sentences):
        plan: dict[str, tuple[str, bool]] = {}
        names = list(dict.fromkeys(m.name for m in mentions))
        clauses = split_clauses(text) if score_clauses is not None and len(names) > 0 else []
        fixed = keep is not None and keep[i]
        if len(clauses) < 2 or fixed:
            plan = {n: (text, False) for n in names}
        else:
            owned = _owned_clauses(clauses, mentions)
            for n in names:
                idx = owned.get(n, list(range(len(clauses))))
                if len(idx) == len(clauses):
                    plan[n] = (text, False)
                else:
                    joiner = "，" if HAN.search(text) else ", "
                    span = joiner.join(clauses[j].text.strip(" ，,；;") for j in idx)
                    plan[n] = (span, True)
                    todo[span] = None
        plans.append(plan)
    scored: dict[str, Label | None] = {}
    if todo and score_clauses is not None:
        texts = list(todo)
        scored = dict(zip(texts, score_clauses(texts), strict=True))
    out: list[dict[str, Attribution]] = []
    for (_text, label, _), plan in zip(sentences, plans, strict=True):
        row = {}
        for n, (span, split) in plan.items():
            got = scored.get(span) if split else label
            row[n] = Attribution(got if got is not None else label, span, split)
        out.append(row)
    return out


def clause_scorer(scorer: Scorer) -> ClauseScorer:
    """Adapt an `analysis.sentiment.Scorer` to score clauses (labels only, no evidence)."""

    def score(texts: list[str]) -> list[Label | None]:
        return [r.label for r in scorer.score(texts, evidence=False)]

    return score
