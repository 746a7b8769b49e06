"""The audit trail: every change to a label is a new row, never an update.

Setting a label, resetting it to the model's (a row whose `label` is None) and undoing (rows that
restore the labels before the last change) all append. An item's current label is its latest
row. Reviews are keyed by the text's content hash, so a re-analysed article keeps them and a new
model version does not lose them. Storage is the library's `reviews` table (SQLite or PostgreSQL).

Each row corrects one `field`: the sentiment label (positive / neutral / negative; every row
written before emotions existed) or the emotion (analysis.emotion: joy … neutral). The two are
separate: an item's current sentiment label is its latest sentiment row, its emotion its latest
emotion row, and one change (a batch) sets one field. Undo takes back the latest change whatever
its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from analysis.errors import OpinionLensError
from analysis.records import EMOTIONS, LABELS, Label
from analysis.text.normalize import content_hash

if TYPE_CHECKING:
    from analysis.library import Library

MAX_NOTE_CHARS = 2000
MAX_BULK = 500  # items one change may touch (a bulk change over a filter), as Meltwater allows
MAX_EDITOR_CHARS = 320  # an email address at most
ItemKind = Literal["article", "corpus"]
ReviewField = Literal["sentiment", "emotion"]  # what a review row corrects
FIELDS: tuple[ReviewField, ...] = ("sentiment", "emotion")
LABEL_OF: dict[str, Label] = {label: label for label in LABELS}
# An emotion by its label or its Chinese character (喜怒哀惧惊恶无), as the UI names it.
_EMOTION_ZH = dict(zip("喜怒哀惧惊恶无", EMOTIONS, strict=True))
EMOTION_OF: dict[str, str] = {**{e: e for e in EMOTIONS}, **_EMOTION_ZH}


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
    model_label: str | None  # a sentiment label, or an emotion when `field` is "emotion"
    field: ReviewField = "sentiment"  # what the review corrects (the model fields are that field's)


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
    model_label: str | None  # the model's label (or emotion) at review time
    label: str | None  # the analyst's label (or emotion); None: back to the model's
    note: str
    editor: str
    batch: str
    created_at: datetime
    field: str = "sentiment"  # "sentiment" or "emotion" (rows from before emotions: sentiment)

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
            "field": self.field,
        }


def _entry(row: Mapping[str, Any]) -> ReviewEntry:
    fields = {k: row[k] for k in ReviewEntry.__dataclass_fields__ if k in row}
    field = fields["field"] = row.get("field") or "sentiment"
    known: Mapping[str, str] = EMOTION_OF if field == "emotion" else LABEL_OF
    fields["label"] = known.get(row["label"] or "")
    fields["model_label"] = known.get(row["model_label"] or "")
    return ReviewEntry(**fields)


def check_label(label: str | None) -> Label | None:
    """`positive` / `neutral` / `negative`, or None for a reset; ReviewError otherwise."""
    if label is None:
        return None
    if label not in LABELS:
        raise ReviewError(f"unknown label {label!r}: use positive, neutral or negative", code="bad_label")
    return LABEL_OF[label]


def check_emotion(emotion: str | None) -> str | None:
    """One of EMOTIONS (or its Chinese character, 喜怒哀惧惊恶无), or None for a reset; ReviewError
    otherwise."""
    if emotion is None:
        return None
    checked = EMOTION_OF.get(emotion.strip().lower())
    if checked is None:
        raise ReviewError(
            f"unknown emotion {emotion!r}: use {', '.join(EMOTIONS[:-1])} or {EMOTIONS[-1]}",
            code="bad_emotion",
        )
    return checked


def check_value(value: str | None, field: str = "sentiment") -> str | None:
    """`value` checked as the `field` it sets (`check_label` or `check_emotion`)."""
    if field == "emotion":
        return check_emotion(value)
    if field != "sentiment":
        raise ReviewError(f"unknown review field {field!r}: use sentiment or emotion", code="bad_field")
    return check_label(value)


def check_change(
    n_items: int, label: str | None, note: str, editor: str | None, field: str = "sentiment"
) -> tuple[str | None, str]:
    """A change's label (or emotion, by `field`) and editor name, checked before anything is
    written; ReviewError if the value is unknown, nothing or more than MAX_BULK items are
    touched, the note is too long or nobody is named."""
    checked = check_value(label, field)
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
    transaction: all rows are written or none). The targets say which field the change sets
    (`ReviewTarget.field`: a sentiment label, or an emotion); one change sets one field. Raises
    ReviewError for bad input, changing nothing."""
    fields = {t.field for t in targets}
    if len(fields) > 1:
        raise ReviewError("one change sets one field: sentiment or emotion, not both", code="mixed_fields")
    checked, name = check_change(len(targets), label, note, editor, fields.pop() if fields else "sentiment")
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
        "field": target.field,
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
    before = _latest((e for e in entries if e.id < first_id), lambda e: (e.field, e.text_sha256))
    batch = uuid.uuid4().hex
    rows = []
    for e in entries:
        if e.batch != last:
            continue
        previous = before.get((e.field, e.text_sha256))
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
                "field": e.field,
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


K = TypeVar("K", bound=Hashable)


def _latest(entries: Iterable[ReviewEntry], key: Callable[[ReviewEntry], K]) -> dict[K, ReviewEntry]:
    """The latest entry (by id) per key."""
    latest: dict[K, ReviewEntry] = {}
    for e in sorted(entries, key=lambda e: e.id):
        latest[key(e)] = e
    return latest


def current_by_hash(entries: Iterable[ReviewEntry], field: str = "sentiment") -> dict[str, ReviewEntry]:
    """The latest entry of `field` per text (entries in id order); a reset's entry has label None."""
    return _latest((e for e in entries if e.field == field), lambda e: e.text_sha256)


def overrides(entries: Iterable[ReviewEntry], field: str = "sentiment") -> dict[str, ReviewEntry]:
    """The texts whose current label (or emotion, by `field`) is an analyst's (resets left out)."""
    return {h: e for h, e in current_by_hash(entries, field).items() if e.label is not None}


def current_by_position(entries: Iterable[ReviewEntry], field: str = "sentiment") -> dict[str, ReviewEntry]:
    """The latest entry of `field` per position (entries in id order); a reset's entry has label None."""
    return _latest((e for e in entries if e.field == field), lambda e: e.position)
