"""Review posts (Posts page section; layout and widgets only, the logic is analysis.review).

An analyst sets the label of any listed post of the chosen period, or one label for every post of
that period (up to analysis.review.MAX_BULK, after a confirmation), undoes the last change, and
sees the model's and the reviewed NEV side by side. Who is reviewing, the outcome messages, undo
and the errors (in the UI language) are the review panel's, as on Viewpoints. The corpus is kept
in the library (a review needs its id); the reviews are the library's append-only audit trail.

Widget keys: posts_review_post, posts_review_label, posts_review_note, posts_review_apply,
posts_review_bulk_confirm, posts_review_bulk; and the review panel's with the prefix
`posts_review` (posts_review_editor_name, posts_review_editor_set, posts_review_undo, ...).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.corpus.captions import nev_text
from analysis.corpus.view import CorpusAnalysis
from analysis.errors import OpinionLensError
from analysis.review import (
    LABELS,
    MAX_BULK,
    ReviewEntry,
    apply_post_reviews,
    check_change,
    list_reviews,
    post_targets,
    record_reviews,
)
from pages.ui.access import editing_allowed, review_editor
from pages.ui.cache import get_library
from pages.ui.review_panel import review_error, reviewer, say, show_outcome, undo_line
from pages.ui.state import label_name, tr, ui_lang

PREFIX = "posts_review"
CHOICES = (*LABELS, "model")


def corpus_id(source: dict[str, Any], corpus: CorpusAnalysis, *, create: bool) -> int | None:
    """The library id of the corpus on show; with `create`, one not stored yet (the sample) is
    stored first (a review needs it), else None."""
    origin = str(source.get("origin", ""))
    if origin.startswith("library:"):
        return int(origin.split(":", 1)[1])
    library = get_library()
    found = library.corpus_id_by_sha(source["sha"])
    if found is not None or not create:
        return found
    record, _ = library.add_corpus(
        source["filename"], source["data"], source["filename"], corpus.options.to_stored(),
        rows=corpus.report.rows_read,
    )  # fmt: skip
    return record.id


def review_trail(source: dict[str, Any], corpus: CorpusAnalysis) -> list[ReviewEntry]:
    """The corpus's review trail, for its brief (empty when it is not in the library or the
    library cannot be read: the brief then has no review section)."""
    try:
        cid = corpus_id(source, corpus, create=False)
        return list_reviews(get_library(), "corpus", cid) if cid is not None else []
    except OpinionLensError:
        return []


def section(source: dict[str, Any], corpus: CorpusAnalysis, freq: str, period: pd.Timestamp) -> None:
    """The review section for the posts of one period."""
    st.subheader(tr("posts.review.posts_title"), anchor=False)
    try:
        cid = corpus_id(source, corpus, create=False)
        trail = list_reviews(get_library(), "corpus", cid) if cid is not None else []
    except OpinionLensError as exc:
        st.warning(tr("posts.review.unavailable", error=str(exc)))
        return
    # The trail only grows, so its length and last id name it: the reviewed counts are built once
    # per change, not on every run (a pass over every post).
    state = (get_library().url, cid, len(trail), trail[-1].id if trail else 0)
    view = corpus.cached(("post_reviews", state), lambda: apply_post_reviews(corpus.posts, trail))
    m = st.columns(3)
    m[0].metric(
        tr("posts.review.posts_reviewed"),
        f"{view.reviewed:,}",
        help=tr("posts.review.changed", n=view.changed),
    )
    m[1].metric(tr("posts.review.nev_model"), nev_text(view.model.nev, ui_lang()))
    m[2].metric(tr("posts.review.nev_reviewed"), nev_text(view.reviewed_summary.nev, ui_lang()))
    if view.stale:
        st.caption(tr("posts.review.stale_posts", n=len(view.stale)))
    if not editing_allowed():
        return
    show_outcome(PREFIX)
    if reviewer(PREFIX) is None:
        return
    if cid is not None:
        undo_line(PREFIX, trail, ("corpus", cid), describe=False, after=lambda n: None)
    posts = corpus.period_posts(freq, period)
    if posts.empty:
        return
    labels = view.labels.loc[posts.index]
    names = {
        int(r): f"#{int(r)} · {label_name(lab)} · {str(t)[:60]}"
        for r, lab, t in zip(posts["row"], labels, posts["text"], strict=True)
    }
    c1, c2 = st.columns([3, 1])
    row = c1.selectbox(
        tr("posts.review.post"), list(names), key="posts_review_post", format_func=names.__getitem__
    )
    choices = {c: _choice_name(c) for c in CHOICES}  # named now: AppTest formats outside the session
    label = c2.radio(
        tr("posts.review.label"), CHOICES, key="posts_review_label", format_func=choices.__getitem__
    )
    st.text_input(tr("posts.review.note"), key="posts_review_note", max_chars=2000)
    b = st.columns(2)
    b[0].button(
        tr("posts.review.apply"),
        key="posts_review_apply",
        icon=":material/check:",
        on_click=_record,
        args=(source, corpus, [row]),
    )
    n = len(posts)
    confirm = b[1].checkbox(
        tr("posts.review.bulk_confirm", n=n, label=_choice_name(label)), key="posts_review_bulk_confirm"
    )
    b[1].button(
        tr("posts.review.bulk", n=n),
        key="posts_review_bulk",
        disabled=not confirm or n > MAX_BULK,
        on_click=_record,
        args=(source, corpus, [int(r) for r in posts["row"]]),
    )
    if n > MAX_BULK:
        b[1].caption(tr("posts.review.bulk_too_many", n=n, max=MAX_BULK))


def _choice_name(choice: str) -> str:
    return tr("posts.review.back_to_model") if choice == "model" else tr(f"label.{choice}")


def _record(source: dict[str, Any], corpus: CorpusAnalysis, rows: list[int]) -> None:
    """Button callback: the label and note on screen on `rows`, as one change (the corpus is
    stored first if it is not yet); a refusal is said in the UI language, nothing is written."""
    choice = st.session_state.get("posts_review_label") or "model"
    label = None if choice == "model" else str(choice)
    note = str(st.session_state.get("posts_review_note") or "")
    try:
        check_change(len(rows), label, note, review_editor())  # before anything is stored
        cid = corpus_id(source, corpus, create=True)
        assert cid is not None
        targets = post_targets(corpus.posts, cid, rows, corpus.options.model)
        record_reviews(get_library(), targets, label, note=note, editor=review_editor() or "")
    except OpinionLensError as exc:
        say(PREFIX, "error", review_error(exc))
