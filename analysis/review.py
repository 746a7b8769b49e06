"""Analyst review: override any label, keep an append-only audit trail, and measure the model on
the analyst's own corrections.

Storage is the library's `reviews` table (SQLite or PostgreSQL). Every change is a new row, never
an update: setting a label, resetting it to the model's (a row whose `label` is None) and undoing
(rows that restore the labels before the last change). An item's current label is its latest row.

Reviews are keyed by the text's content hash, so a re-analysed article keeps them and a new model
version does not lose them; a review whose text is no longer in the article is reported as stale,
never applied to another sentence. The position is kept to show where the sentence stood.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from analysis.errors import OpinionLensError
from analysis.metrics import summarize_labels, wilson_interval
from analysis.model import LABELS, ArticleAnalysis, Bullet, Label, Sentence, SentimentSummary
from analysis.text.normalize import content_hash

if TYPE_CHECKING:
    from analysis.library import Library

MAX_NOTE_CHARS = 2000
MAX_BULK = 500  # items one change may touch (a bulk change over a filter), as Meltwater allows
MAX_EDITOR_CHARS = 320  # an email address at most
ItemKind = Literal["article", "corpus"]
_LABEL_OF: dict[str, Label] = {label: label for label in LABELS}


class ReviewError(OpinionLensError):
    """A review that cannot be recorded (unknown label or sentence, note too long, too many items)."""

    default_code = "review"


@dataclass(frozen=True)
class ReviewTarget:
    """One item to review, with what the model said about it."""

    item_kind: ItemKind
    item_id: int
    position: str  # sentence position ("12") or post key
    text: str
    model: str
    model_version: str
    model_score: float | None
    model_label: Label | None


@dataclass(frozen=True)
class ReviewEntry:
    """One row of the audit trail."""

    id: int
    item_kind: str
    item_id: int
    position: str
    text_sha256: str
    text: str  # what was reviewed (the audit shows it; reviewed items train the model)
    model: str
    model_version: str
    model_score: float | None
    model_label: Label | None
    label: Label | None  # None: back to the model's label
    note: str
    editor: str
    batch: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_kind": self.item_kind,
            "item_id": self.item_id,
            "position": self.position,
            "text_sha256": self.text_sha256,
            "text": self.text,
            "model": self.model,
            "model_version": self.model_version,
            "model_score": self.model_score,
            "model_label": self.model_label,
            "label": self.label,
            "note": self.note,
            "editor": self.editor,
            "batch": self.batch,
            "created_at": self.created_at.isoformat(),
        }


def _entry(row: Mapping[str, Any]) -> ReviewEntry:
    fields = {k: row[k] for k in ReviewEntry.__dataclass_fields__}
    fields["label"] = _LABEL_OF.get(row["label"] or "")
    fields["model_label"] = _LABEL_OF.get(row["model_label"] or "")
    return ReviewEntry(**fields)


# --- recording -----------------------------------------------------------------------------------


def check_label(label: str | None) -> Label | None:
    """`positive` / `neutral` / `negative`, or None for a reset; ReviewError otherwise."""
    if label is None:
        return None
    if label not in LABELS:
        raise ReviewError(f"unknown label {label!r}: use positive, neutral or negative", code="bad_label")
    return _LABEL_OF[label]


def check_change(n_items: int, label: str | None, note: str, editor: str | None) -> tuple[Label | None, str]:
    """A change's label and editor name, checked before anything is written; ReviewError if the
    label is unknown, nothing or more than MAX_BULK items are touched, the note is too long or
    nobody is named."""
    checked = check_label(label)
    if n_items < 1:
        raise ReviewError("nothing to review: no sentence or post was chosen", code="empty")
    if n_items > MAX_BULK:
        raise ReviewError(
            f"{n_items} items is more than one change may touch ({MAX_BULK}); narrow the filter",
            code="too_many",
            limit=MAX_BULK,
        )
    if len(note) > MAX_NOTE_CHARS:
        raise ReviewError(
            f"the note has {len(note)} characters; the limit is {MAX_NOTE_CHARS}",
            code="note_too_long",
            limit=MAX_NOTE_CHARS,
        )
    return checked, check_editor(editor)


def check_editor(editor: str | None) -> str:
    """The editor's name on one line; ReviewError when blank or too long."""
    name = " ".join((editor or "").split())
    if not name:
        raise ReviewError("say who is reviewing (a name or email) before changing labels", code="no_editor")
    if len(name) > MAX_EDITOR_CHARS:
        raise ReviewError(
            f"the editor name is longer than {MAX_EDITOR_CHARS} characters",
            code="bad_editor",
            limit=MAX_EDITOR_CHARS,
        )
    return name


def record_reviews(
    library: Library, targets: Sequence[ReviewTarget], label: str | None, *, note: str = "", editor: str
) -> list[ReviewEntry]:
    """Set `label` (None: back to the model's) on every target, as one change (one batch, one
    transaction: all rows are written or none). Raises ReviewError for bad input, changing nothing."""
    checked, name = check_change(len(targets), label, note, editor)
    batch = uuid.uuid4().hex
    rows = [_row(t, checked, note, name, batch) for t in targets]
    ids = library.append_reviews(rows)
    return [e for e in list_reviews(library, targets[0].item_kind, targets[0].item_id) if e.id in set(ids)]


def _row(target: ReviewTarget, label: str | None, note: str, editor: str, batch: str) -> dict[str, Any]:
    return {
        "item_kind": target.item_kind,
        "item_id": target.item_id,
        "position": target.position,
        "text_sha256": content_hash(target.text),
        "text": target.text,
        "model": target.model,
        "model_version": target.model_version,
        "model_score": target.model_score,
        "model_label": target.model_label,
        "label": label,
        "note": note,
        "editor": editor,
        "batch": batch,
    }


def list_reviews(
    library: Library, item_kind: str | None = None, item_id: int | None = None
) -> list[ReviewEntry]:
    """The audit trail (oldest first), of one item or of the whole library."""
    return [_entry(r) for r in library.list_reviews(item_kind, item_id)]


def undo_last(library: Library, item_kind: ItemKind, item_id: int, *, editor: str) -> list[ReviewEntry]:
    """Undo the item's latest change that is not itself an undo: new rows give every text it
    touched the label it had before (None where that was the model's). Returns the new rows."""
    name = check_editor(editor)
    entries = list_reviews(library, item_kind, item_id)
    last = _undoable_batch(entries)
    if last is None:
        raise ReviewError("there is no change to undo on this item", code="nothing_to_undo")
    first_id = min(e.id for e in entries if e.batch == last)
    before = current_by_hash(e for e in entries if e.id < first_id)
    batch = uuid.uuid4().hex
    rows = []
    for e in entries:
        if e.batch != last:
            continue
        previous = before.get(e.text_sha256)
        rows.append(
            {
                "item_kind": e.item_kind,
                "item_id": e.item_id,
                "position": e.position,
                "text_sha256": e.text_sha256,
                "text": e.text,
                "model": e.model,
                "model_version": e.model_version,
                "model_score": e.model_score,
                "model_label": e.model_label,
                "label": previous.label if previous else None,
                "note": UNDO_PREFIX + last,
                "editor": name,
                "batch": batch,
            }
        )
    ids = set(library.append_reviews(rows))
    return [e for e in list_reviews(library, item_kind, item_id) if e.id in ids]


UNDO_PREFIX = "undo of change "


def _undoable_batch(entries: Sequence[ReviewEntry]) -> str | None:
    """The batch `undo_last` would undo: the latest change that is neither an undo nor undone."""
    undone = {e.note.removeprefix(UNDO_PREFIX) for e in entries if e.note.startswith(UNDO_PREFIX)}
    batches = [e.batch for e in entries if not e.note.startswith(UNDO_PREFIX) and e.batch not in undone]
    return batches[-1] if batches else None


def last_change(entries: Sequence[ReviewEntry]) -> tuple[ReviewEntry, ...]:
    """The entries of the change `undo_last` would undo (empty when there is none), to say what
    an Undo button will do before it is pressed."""
    last = _undoable_batch(entries)
    return tuple(e for e in entries if e.batch == last) if last is not None else ()


def current_by_hash(entries: Iterable[ReviewEntry]) -> dict[str, ReviewEntry]:
    """The latest entry per text (entries in id order); a reset's entry has label None."""
    latest: dict[str, ReviewEntry] = {}
    for e in sorted(entries, key=lambda e: e.id):
        latest[e.text_sha256] = e
    return latest


def overrides(entries: Iterable[ReviewEntry]) -> dict[str, ReviewEntry]:
    """The texts whose current label is an analyst's (resets left out)."""
    return {h: e for h, e in current_by_hash(entries).items() if e.label is not None}


# --- applying reviews to an analysis ----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedAnalysis:
    """The reviewed view of an article: labels replaced by the analyst's where they differ."""

    analysis: ArticleAnalysis  # sentiment summaries recomputed over the reviewed labels
    reviewed: int  # sentences whose label an analyst set (k of n)
    changed: int  # of those, how many differ from the model's label
    stale: tuple[ReviewEntry, ...]  # reviews of texts no longer in the article


def article_targets(
    analysis: ArticleAnalysis, article_id: int, positions: Iterable[int]
) -> list[ReviewTarget]:
    """Review targets for sentences of an article by position; ReviewError for an unknown one."""
    by_position = {s.position: s for s in analysis.sentences}
    targets = []
    for p in positions:
        s = by_position.get(int(p))
        if s is None:
            raise ReviewError(
                f"the article has no sentence {p} (sentences are numbered 0 to {len(by_position) - 1})",
                code="unknown_sentence",
            )
        component = analysis.model.components.get(s.lang, f"{analysis.model.name}@{analysis.model.version}")
        model, _, version = component.partition("@")
        targets.append(
            ReviewTarget(
                "article",
                article_id,
                str(s.position),
                s.text,
                model or analysis.model.name,
                version or analysis.model.version,
                s.score,
                s.label,
            )
        )
    return targets


def apply_reviews(analysis: ArticleAnalysis, entries: Iterable[ReviewEntry]) -> ReviewedAnalysis:
    """The analysis with every reviewed sentence's label set by the analyst (`Sentence.model_label`
    keeps the model's), and every summary recomputed from those labels."""
    current = overrides(entries)
    texts = {content_hash(s.text) for s in analysis.sentences}
    stale = tuple(e for h, e in current.items() if h not in texts)
    reviewed = changed = 0

    def relabel(s: Sentence) -> Sentence:
        nonlocal reviewed, changed
        e = current.get(content_hash(s.text))
        if e is None:
            return replace(s, model_label=s.label)
        reviewed += 1
        changed += e.label != s.label
        return replace(s, model_label=s.label, label=e.label, reviewed=True)

    def rebuild(b: Bullet) -> Bullet:
        return replace(b, sentences=tuple(relabel(s) for s in b.sentences))

    doc = analysis.document
    doc = replace(
        doc,
        core_viewpoint=rebuild(doc.core_viewpoint) if doc.core_viewpoint else None,
        groups=tuple(replace(g, bullets=tuple(rebuild(b) for b in g.bullets)) for g in doc.groups),
    )
    sentences = doc.sentences
    labels = {s.position: s.label for s in sentences}
    themes = tuple(
        replace(t, sentiment=summarize_labels(labels.get(p) for p in t.sentence_positions))
        for t in analysis.themes
    )
    reviewed_analysis = replace(
        analysis,
        document=doc,
        sentiment=summarize_labels(s.label for s in sentences),
        group_sentiment=tuple(summarize_labels(s.label for s in g.sentences) for g in doc.groups),
        core_sentiment=summarize_labels(s.label for s in doc.core_viewpoint.sentences)
        if doc.core_viewpoint
        else None,
        themes=themes,
    )
    return ReviewedAnalysis(reviewed_analysis, reviewed, changed, stale)


# --- what to review next, and what a bulk change would do ----------------------------------------


def edge_distance(analysis: ArticleAnalysis, s: Sentence) -> float | None:
    """How far the sentence's score is from the nearest edge of its language's neutral band
    (None when unscored or the band is unknown): the closer, the less sure the label."""
    lo = analysis.model.thresholds.get(f"{s.lang}.negative_below")
    hi = analysis.model.thresholds.get(f"{s.lang}.positive_above")
    if s.score is None or lo is None or hi is None:
        return None
    return min(abs(s.score - lo), abs(s.score - hi))


def review_queue(analysis: ArticleAnalysis, entries: Iterable[ReviewEntry]) -> list[Sentence]:
    """The scored sentences no analyst has labelled yet (a reset counts as not labelled), those
    that most need a human first: flagged uncertain (more reasons first: the fast and accurate
    tiers disagree, the score is at a band edge), then the rest; within each, the score closest to
    a band edge first, then document order. `analysis` is the model's (not a reviewed view)."""
    done = overrides(entries)

    def rank(s: Sentence) -> tuple[int, int, float, int]:
        d = edge_distance(analysis, s)
        return (0 if s.uncertain else 1, -len(s.uncertain), d if d is not None else float("inf"), s.position)

    waiting = [s for s in analysis.sentences if s.label is not None and content_hash(s.text) not in done]
    return sorted(waiting, key=rank)


@dataclass(frozen=True)
class BulkPreview:
    """What setting one label on a set of sentences would do, before it is confirmed."""

    n: int  # sentences the change touches
    changes: int  # of those, how many would show another label than now
    reviewed_before: int  # of those, how many an analyst had already labelled
    too_many: bool  # over MAX_BULK: refused

    @property
    def limit(self) -> int:
        return MAX_BULK


def bulk_preview(
    analysis: ArticleAnalysis, entries: Iterable[ReviewEntry], positions: Iterable[int], label: str
) -> BulkPreview:
    """The preview count of a bulk change: `label` on the sentences at `positions` of the model's
    `analysis`, given the item's review entries. ReviewError for an unknown label."""
    checked = check_label(label)
    current = overrides(entries)
    by_position = {s.position: s for s in analysis.sentences}
    chosen = [by_position[p] for p in dict.fromkeys(positions) if p in by_position]
    changes = reviewed = 0
    for s in chosen:
        e = current.get(content_hash(s.text))
        reviewed += e is not None
        changes += (e.label if e is not None else s.label) != checked
    return BulkPreview(len(chosen), changes, reviewed, len(chosen) > MAX_BULK)


# --- the model measured on the analyst's corrections -----------------------------------------------------


@dataclass(frozen=True)
class ReviewedPair:
    model_label: str
    label: str
    lang: str
    source: str


def reviewed_pairs(library: Library) -> list[ReviewedPair]:
    """Every reviewed article sentence of the library with the model's label at review time, its
    language and the article's source (latest review per text and article; resets left out)."""
    by_item: dict[tuple[str, int], list[ReviewEntry]] = defaultdict(list)
    for e in list_reviews(library):
        by_item[(e.item_kind, e.item_id)].append(e)
    sources = {i: s or "—" for i, s in library.article_sources().items()}
    pairs = []
    for (kind, item_id), entries in sorted(by_item.items()):
        for e in overrides(entries).values():
            if e.model_label is None or e.label is None:
                continue
            pairs.append(
                ReviewedPair(
                    e.model_label,
                    e.label,
                    _lang_of(e.model),
                    sources.get(item_id, "—") if kind == "article" else f"corpus #{item_id}",
                )
            )
    return pairs


_BASELINE_LANG = {"snownlp": "zh", "vader": "en"}


def _lang_of(model: str) -> str:
    """The language of a single-language model: zh-accurate, en-default, snownlp (zh), vader (en)."""
    prefix = model.split("-", 1)[0]
    return prefix if prefix in ("zh", "en") else _BASELINE_LANG.get(model, "other")


@dataclass(frozen=True)
class Agreement:
    """The model against the analyst: accuracy with its 95% interval, macro-F1 and the confusion."""

    n: int
    accuracy: float | None
    accuracy_interval: tuple[float, float] | None
    macro_f1: float | None
    confusion: dict[str, dict[str, int]]  # reviewed label -> model label -> count


def agreement(pairs: Sequence[ReviewedPair]) -> Agreement:
    confusion: dict[str, dict[str, int]] = {a: dict.fromkeys(LABELS, 0) for a in LABELS}
    for p in pairs:
        if p.label in confusion and p.model_label in confusion[p.label]:
            confusion[p.label][p.model_label] += 1
    n = sum(sum(row.values()) for row in confusion.values())
    if n == 0:
        return Agreement(0, None, None, None, confusion)
    correct = sum(confusion[a][a] for a in LABELS)
    f1s = []
    for a in LABELS:
        tp = confusion[a][a]
        predicted = sum(confusion[b][a] for b in LABELS)
        actual = sum(confusion[a].values())
        if actual == 0 and predicted == 0:
            continue  # a class absent from both sides does not count (macro over present classes)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    macro = sum(f1s) / len(f1s) if f1s else None
    return Agreement(n, correct / n, wilson_interval(correct, n), macro, confusion)


def agreement_by(pairs: Sequence[ReviewedPair], key: Literal["lang", "source"]) -> dict[str, Agreement]:
    groups: dict[str, list[ReviewedPair]] = defaultdict(list)
    for p in pairs:
        groups[getattr(p, key)].append(p)
    return {k: agreement(v) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def agreement_table(by: Mapping[str, Agreement]) -> list[dict[str, Any]]:
    """One row per group of `agreement_by`: group, n, accuracy, its 95% interval (low, high) and
    macro-F1 (None where there is nothing to measure), for a table on screen."""
    rows = []
    for group, a in by.items():
        lo, hi = a.accuracy_interval or (None, None)
        rows.append(
            {
                "group": group,
                "n": a.n,
                "accuracy": a.accuracy,
                "interval_low": lo,
                "interval_high": hi,
                "macro_f1": a.macro_f1,
            }
        )
    return rows


_TRAIN_LABEL = {"positive": "pos", "neutral": "neu", "negative": "neg"}


def training_rows(library: Library) -> list[tuple[str, str]]:
    """(text, label) of every reviewed sentence and post (the latest review of each text; resets
    left out), label as the training sets write it (pos / neu / neg), for
    `scripts/train_sentiment.py --extra`."""
    return [
        (e.text, _TRAIN_LABEL[e.label])
        for e in overrides(list_reviews(library)).values()
        if e.text and e.label in _TRAIN_LABEL
    ]


def training_csv(rows: Iterable[tuple[str, str]]) -> bytes:
    """`text,label` CSV (UTF-8, no BOM) of `training_rows`, as `scripts/train_sentiment.py --extra`
    reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# --- posts of a corpus -------------------------------------------------------------------------------
#
# A post is reviewed by its row in the file (`position`), with its text hash: a review applies to
# the post at that row only while its text is the same (a corpus re-read with other rows reports
# it as stale). Copies of one text by other authors are separate posts, reviewed separately.


def post_targets(
    posts: pd.DataFrame, corpus_id: int, rows: Iterable[int], components: Mapping[str, str] | str
) -> list[ReviewTarget]:
    """Review targets for posts by their file row (`posts["row"]`); ReviewError for an unknown row.
    `components` maps a language to the `name@version` of the model that scored it, or is the
    name of that model (its components are looked up)."""
    if isinstance(components, str):
        from analysis.corpus.scoring import model_components  # late: it names the model's parts

        components = model_components(components)
    by_row = posts.set_index("row", drop=False)
    targets = []
    for r in rows:
        if int(r) not in by_row.index:
            raise ReviewError(f"the corpus has no post in row {r}", code="unknown_post")
        p = by_row.loc[int(r)]
        model, _, version = components.get(str(p["lang"]), "—@—").partition("@")
        score = None if pd.isna(p["score"]) else float(p["score"])
        label = _LABEL_OF.get(str(p["label"])) if isinstance(p["label"], str) else None
        targets.append(
            ReviewTarget("corpus", corpus_id, str(int(r)), str(p["text"]), model, version, score, label)
        )
    return targets


def current_by_position(entries: Iterable[ReviewEntry]) -> dict[str, ReviewEntry]:
    """The latest entry per position (entries in id order); a reset's entry has label None."""
    latest: dict[str, ReviewEntry] = {}
    for e in sorted(entries, key=lambda e: e.id):
        latest[e.position] = e
    return latest


@dataclass(frozen=True)
class ReviewedPosts:
    """The corpus with the analyst's labels: `labels` aligned with the posts, and both summaries."""

    labels: pd.Series
    model: SentimentSummary
    reviewed_summary: SentimentSummary
    reviewed: int  # posts whose label an analyst set
    changed: int  # of those, how many differ from the model's label
    stale: tuple[ReviewEntry, ...]  # reviews of rows whose text is no longer the same


def apply_post_reviews(posts: pd.DataFrame, entries: Iterable[ReviewEntry]) -> ReviewedPosts:
    """Every reviewed post's label set by the analyst; both summaries over the whole corpus."""
    labels = posts["label"].astype(object).where(posts["label"].notna(), None).copy()
    current = {k: e for k, e in current_by_position(entries).items() if e.label is not None}
    rows = {str(int(r)): i for i, r in zip(posts.index, posts["row"], strict=True)}
    reviewed = changed = 0
    stale = []
    for position, e in current.items():
        i = rows.get(position)
        if i is None or content_hash(str(posts.at[i, "text"])) != e.text_sha256:
            stale.append(e)
            continue
        reviewed += 1
        changed += labels.at[i] != e.label
        labels.at[i] = e.label
    return ReviewedPosts(
        labels,
        summarize_labels(posts["label"].where(posts["label"].notna(), None)),
        summarize_labels(labels),
        reviewed,
        changed,
        tuple(stale),
    )
