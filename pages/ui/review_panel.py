"""The analyst's review controls, the same on every page that corrects labels (sentences on
Viewpoints, posts on the Posts page): who is reviewing, the outcome of the last change, undo, and
review errors in the UI language. The logic is `analysis.review`; this module only draws.

Widget keys, by the page's `prefix` (Viewpoints: `rv`, Posts: `posts_review`): `{prefix}_editor_form`,
`{prefix}_editor_name`, `{prefix}_editor_set` (the name asked once per session when nobody is
signed in), `{prefix}_editor_change`, `{prefix}_undo`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from analysis.errors import OpinionLensError
from analysis.format import md_escape, minute_text
from analysis.review import MAX_EDITOR_CHARS, ItemKind, last_change, undo_last
from pages.ui.access import editor_identity, review_editor, set_review_editor
from pages.ui.cache import get_library
from pages.ui.state import REVIEW_EDITOR_KEY, label_name, tr
from pages.ui.widgets import error_text, flash, show_flash

if TYPE_CHECKING:
    from analysis.review import ReviewEntry

# Review errors the UI can cause, each with an `rv.err.<code>` string; any other shows as written.
REVIEW_ERRORS = ("too_many", "note_too_long", "nothing_to_undo", "no_editor", "empty")


def review_error(exc: OpinionLensError) -> str:
    """A review error in the UI language where the UI can cause it; the store's message else."""
    return error_text(exc, "rv.err", codes=REVIEW_ERRORS)


def _outcome_key(prefix: str) -> str:
    return f"_{prefix}_message"


def say(prefix: str, kind: str, text: str) -> None:
    """The outcome of a review action (from a callback), shown once by `show_outcome`."""
    flash(_outcome_key(prefix), kind, text)


def show_outcome(prefix: str) -> None:
    show_flash(_outcome_key(prefix))


def review_word(label: str | None) -> str:
    """A reviewed label in the UI language; None is "back to the model's label"."""
    return label_name(label) if label else tr("rv.back_to_model")


def reviewer(prefix: str) -> str | None:
    """Who this session's changes are by: the signed-in email, else the name given once per
    session (asked here; a typed name can be changed). None while nobody is named: the page draws
    no review controls until then."""
    editor = review_editor()
    if editor is None:
        st.info(tr("rv.who"), icon=":material/badge:")
        with st.form(f"{prefix}_editor_form", border=False, enter_to_submit=True):
            st.text_input(tr("rv.editor_name"), key=f"{prefix}_editor_name", max_chars=MAX_EDITOR_CHARS)
            st.form_submit_button(
                tr("rv.editor_set"), key=f"{prefix}_editor_set", on_click=_set_editor, args=(prefix,)
            )
        return None
    line = st.columns([4, 1], vertical_alignment="center")
    line[0].caption(tr("rv.reviewing_as", editor=md_escape(editor)))
    if editor_identity() is None:  # a typed name can be changed; a sign-in cannot
        line[1].button(
            tr("rv.editor_change"), key=f"{prefix}_editor_change", on_click=_change_editor, type="tertiary"
        )
    return editor


def _set_editor(prefix: str) -> None:
    try:
        set_review_editor(st.session_state.get(f"{prefix}_editor_name"))
    except OpinionLensError as exc:
        say(prefix, "error", review_error(exc))
    st.session_state[f"{prefix}_editor_name"] = ""  # the name lives in REVIEW_EDITOR_KEY, not the field


def _change_editor() -> None:
    st.session_state.pop(REVIEW_EDITOR_KEY, None)


def undo_line(
    prefix: str,
    entries: Sequence[ReviewEntry],
    item: tuple[ItemKind, int],
    *,
    describe: bool = True,
    after: Callable[[int], str | None] | None = None,
) -> None:
    """The Undo button of an item's latest change (none when there is nothing to undo), with a
    caption naming what it undoes when `describe`. `after(n)` is the message once n items went
    back (default: `rv.undone`; None: no message)."""
    change = last_change(entries)
    if not change:
        return
    first = change[0]
    line = st.columns([4, 1], vertical_alignment="center")
    if describe:
        line[0].caption(
            tr(
                "rv.undo_what",
                label=review_word(first.label),
                count=len(change),
                editor=md_escape(first.editor),
                when=minute_text(first.created_at),
            )
        )
    line[1].button(
        tr("rv.undo"),
        key=f"{prefix}_undo",
        on_click=_undo,
        args=(prefix, item, after),
        icon=":material/undo:",
        width="stretch",
    )


def _undo(prefix: str, item: tuple[ItemKind, int], after: Callable[[int], str | None] | None) -> None:
    try:
        undone = undo_last(get_library(), *item, editor=review_editor() or "")
    except OpinionLensError as exc:
        say(prefix, "error", review_error(exc))
        return
    message = after(len(undone)) if after else tr("rv.undone", count=len(undone))
    if message:
        say(prefix, "success", message)
