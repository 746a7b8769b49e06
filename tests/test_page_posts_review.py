"""Review post labels on the Posts page (AppTest): one post, a whole period after confirming,
undo, read-only visitors, bad input; the corpus is stored only when a review is made."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.access import PASSPHRASE_ENV
from analysis.i18n import t
from analysis.library import Library
from analysis.review import list_reviews
from tests.dashboard_fixtures import open_posts_sample

LANG = "en"


def _sample() -> AppTest:
    return open_posts_sample(LANG)


def _metric(at: AppTest, key: str) -> str:
    return next(m.value for m in at.metric if m.label == t(key, LANG))


def test_one_post_then_a_whole_period_then_undo(temp_library: str) -> None:
    at = _sample()
    assert Library(temp_library).list_corpora() == []  # looking stores nothing
    assert _metric(at, "posts.review.posts_reviewed") == "0"
    model_nev = _metric(at, "posts.review.nev_model")
    at.text_input(key="posts_review_editor_name").input("ana")
    at.button(key="posts_review_editor_set").click().run()  # the review panel asks once per session
    post = at.selectbox(key="posts_review_post").value
    at.radio(key="posts_review_label").set_value("negative")
    at.text_input(key="posts_review_note").input("<script>x</script>")
    at.button(key="posts_review_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [corpus] = Library(temp_library).list_corpora()  # stored for the review
    [entry] = list_reviews(Library(temp_library), "corpus", corpus.id)
    assert (entry.position, entry.label, entry.editor, entry.note) == (
        str(post),
        "negative",
        "ana",
        "<script>x</script>",
    )
    assert _metric(at, "posts.review.posts_reviewed") == "1"
    assert _metric(at, "posts.review.nev_model") == model_nev  # the model's number never moves

    n = len(at.selectbox(key="posts_review_post").options)
    assert at.button(key="posts_review_bulk").disabled  # not before confirming
    at.radio(key="posts_review_label").set_value("positive")
    at.checkbox(key="posts_review_bulk_confirm").check().run()
    at.button(key="posts_review_bulk").click().run()
    assert not at.exception
    assert len(list_reviews(Library(temp_library), "corpus", corpus.id)) == 1 + n
    assert _metric(at, "posts.review.posts_reviewed") == f"{n:,}"
    assert _metric(at, "posts.review.nev_reviewed") != model_nev

    at.button(key="posts_review_undo").click().run()
    assert not at.exception
    assert _metric(at, "posts.review.posts_reviewed") == "1"  # back to the single override


def test_no_change_before_a_reviewer_is_named_and_errors_are_translated(temp_library: str) -> None:
    at = _sample()
    keys = {b.key for b in at.button}
    assert "posts_review_apply" not in keys and "posts_review_editor_set" in keys  # asked first
    at.button(key="posts_review_editor_set").click().run()  # a blank name
    assert [e.value for e in at.error] == [t("rv.err.no_editor", LANG)]  # as on Viewpoints
    assert Library(temp_library).list_corpora() == [] and list_reviews(Library(temp_library)) == []


def test_read_only_visitors_see_the_numbers_but_no_controls(
    temp_library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "a passphrase")
    from pages.ui.cache import unlock_throttle as _unlock_throttle

    _unlock_throttle.clear()
    at = _sample()
    assert _metric(at, "posts.review.posts_reviewed") == "0"
    keys = {getattr(w, "key", None) for kind in ("button", "selectbox", "radio") for w in at.get(kind)}
    assert not {k for k in keys if str(k).startswith("posts_review_")}
