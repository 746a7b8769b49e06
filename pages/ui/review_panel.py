"""The analyst's review controls, the same on every page that corrects labels (sentences on
Viewpoints, posts on the Posts page): who is reviewing, the outcome of the last change, undo, and
review errors in the UI language. The logic is `analysis.review`; this module only draws.

Widget keys, by the page's `prefix` (Viewpoints: `rv`, Posts: `posts_review`): `{prefix}_editor_form`,
`{prefix}_editor_name`, `{prefix}_editor_set` (the name asked once per session when nobody is
signed in), `{prefix}_editor_change`, `{prefix}_undo`; a sentence's emotion (`emotion_control`,
issue 18): `{prefix}_emotion` (the seven, named in the UI language), `{prefix}_emotion_save`,
`{prefix}_emotion_reset` (back to the model's emotion), with the note of `{prefix}_note`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from analysis.emotion.labels import emotion_name
from analysis.errors import OpinionLensError
from analysis.format import md_escape, minute_text
from analysis.records import EMOTIONS
from analysis.review import (
    MAX_EDITOR_CHARS,
    ItemKind,
    article_targets,
    current_by_hash,
    last_change,
    record_reviews,
    undo_last,
)
from analysis.text.normalize import content_hash
from pages.ui.access import editing_allowed, editor_identity, review_editor, set_review_editor
from pages.ui.cache import get_library
from pages.ui.state import REVIEW_EDITOR_KEY, label_name, tr, ui_lang
from pages.ui.widgets import error_text, flash, show_flash

if TYPE_CHECKING:
    from analysis.records import ArticleAnalysis, Sentence
    from analysis.review import ReviewEntry

# Review errors the UI can cause, each with an `rv.err.<code>` string; any other shows as written.
REVIEW_ERRORS = (
    "too_many",
    "note_too_long",
    "nothing_to_undo",
    "no_editor",
    "empty",
    "bad_emotion",
    "no_emotion",
)


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


def review_word(label: str | None, field: str = "sentiment") -> str:
    """A reviewed label (or, `field` "emotion", emotion) in the UI language; None is "back to the
    model's label" (or emotion)."""
    if field == "emotion":
        return tr("rv.emo.word", name=emotion_name(label, ui_lang())) if label else tr("rv.emo.back_to_model")
    return label_name(label) if label else tr("rv.back_to_model")


def model_word(entry: ReviewEntry) -> str:
    """What the model said of an audit entry's item, in the UI language ("model: …")."""
    if entry.field == "emotion":
        said = tr("rv.emo.word", name=emotion_name(entry.model_label, ui_lang()))
    else:
        said = label_name(entry.model_label)
    return tr("rv.model_said", label=said)


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
                label=review_word(first.label, first.field),
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


# -- a sentence's emotion (issue 18): corrected like its label, in the same audit trail -------------
def emotion_control(
    prefix: str, source: ArticleAnalysis, article_id: int, sentence: Sentence, entries: Sequence[ReviewEntry]
) -> None:
    """The sentence's emotion beside its sentiment label: the model's reading, the analyst's
    current emotion, a select of the seven (names in the UI language), Save and Back to the
    model's. `source` is the model's analysis (the targets record the model's emotion)."""
    st.markdown(f"**{tr('rv.emo.heading')}**")
    lang = ui_lang()
    reading = sentence.emotion
    if reading is None:
        st.caption(tr("rv.emo.none"))
        return
    st.caption(tr("rv.emo.model_said", name=emotion_name(reading.label, lang), score=f"{reading.score:.2f}"))
    current = current_by_hash(entries, "emotion").get(content_hash(sentence.text))
    if current is not None and current.label is not None:
        st.caption(
            tr(
                "rv.emo.current",
                name=emotion_name(current.label, lang),
                editor=md_escape(current.editor),
                when=minute_text(current.created_at),
            )
        )
    names = {e: emotion_name(e, lang) for e in EMOTIONS}  # now: AppTest formats outside the session
    choice = st.selectbox(
        tr("rv.emo.new"),
        list(EMOTIONS),
        index=None,
        format_func=names.__getitem__,
        key=f"{prefix}_emotion",
        placeholder=tr("rv.emo.placeholder"),
    )
    c1, c2 = st.columns(2)
    c1.button(
        tr("rv.emo.save"),
        key=f"{prefix}_emotion_save",
        on_click=_save_emotion,
        args=(prefix, source, article_id, sentence.position, False),
        type="primary",
        disabled=choice is None,
        icon=":material/mood:",
        width="stretch",
    )
    c2.button(
        tr("rv.emo.reset"),
        key=f"{prefix}_emotion_reset",
        on_click=_save_emotion,
        args=(prefix, source, article_id, sentence.position, True),
        disabled=current is None or current.label is None,
        icon=":material/restart_alt:",
        width="stretch",
    )
    st.caption(tr("rv.emo.separate"))


def _save_emotion(prefix: str, source: ArticleAnalysis, article_id: int, position: int, reset: bool) -> None:
    """Record the chosen emotion (None: back to the model's) as one change of the audit trail."""
    if not editing_allowed():  # the panel is drawn only for editors; a stale page is checked again
        say(prefix, "error", tr("rv.err.read_only"))
        return
    emotion = None if reset else st.session_state.get(f"{prefix}_emotion")
    if emotion is None and not reset:
        return
    note = str(st.session_state.get(f"{prefix}_note") or "")
    try:
        targets = article_targets(source, article_id, [position], "emotion")
        record_reviews(get_library(), targets, emotion, note=note, editor=review_editor() or "")
    except OpinionLensError as exc:  # ReviewError and LibraryError: nothing was written
        say(prefix, "error", review_error(exc))
        return
    if f"{prefix}_note" in st.session_state:
        st.session_state[f"{prefix}_note"] = ""
    say(prefix, "success", tr("rv.saved", count=len(targets), label=review_word(emotion, "emotion")))
