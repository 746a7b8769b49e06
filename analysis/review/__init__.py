"""Analyst review: override any label (a sentence's sentiment or its emotion), keep an
append-only audit trail, and measure the model on the analysts' own corrections.

- `trail`: recording a change, undoing it, and reading the trail (current label per text).
- `apply`: the reviewed view of an article or a corpus of posts.
- `queue`: what to review next, and what a bulk change would do.
- `agreement`: the model against the analysts' labels.
- `training`: reviewed items as training rows.
"""

from analysis.records import LABELS
from analysis.review.agreement import (
    FIELD_LABELS,
    Agreement,
    ReviewedPair,
    agreement,
    agreement_by,
    agreement_table,
    reviewed_pairs,
)
from analysis.review.apply import (
    ReviewedAnalysis,
    ReviewedPosts,
    apply_post_reviews,
    apply_reviews,
    article_targets,
    post_targets,
)
from analysis.review.queue import BulkPreview, bulk_preview, edge_distance, review_queue
from analysis.review.trail import (
    FIELDS,
    MAX_BULK,
    MAX_EDITOR_CHARS,
    MAX_NOTE_CHARS,
    UNDO_PREFIX,
    ItemKind,
    ReviewEntry,
    ReviewError,
    ReviewField,
    ReviewTarget,
    check_change,
    check_editor,
    check_emotion,
    check_label,
    check_value,
    current_by_hash,
    current_by_position,
    last_change,
    list_reviews,
    overrides,
    record_reviews,
    undo_last,
)
from analysis.review.training import training_csv, training_rows

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "LABELS",
    "MAX_BULK",
    "MAX_EDITOR_CHARS",
    "MAX_NOTE_CHARS",
    "UNDO_PREFIX",
    "Agreement",
    "BulkPreview",
    "ItemKind",
    "ReviewEntry",
    "ReviewError",
    "ReviewField",
    "ReviewTarget",
    "ReviewedAnalysis",
    "ReviewedPair",
    "ReviewedPosts",
    "agreement",
    "agreement_by",
    "agreement_table",
    "apply_post_reviews",
    "apply_reviews",
    "article_targets",
    "bulk_preview",
    "check_change",
    "check_editor",
    "check_emotion",
    "check_label",
    "check_value",
    "current_by_hash",
    "current_by_position",
    "edge_distance",
    "last_change",
    "list_reviews",
    "overrides",
    "post_targets",
    "record_reviews",
    "review_queue",
    "reviewed_pairs",
    "training_csv",
    "training_rows",
    "undo_last",
]
