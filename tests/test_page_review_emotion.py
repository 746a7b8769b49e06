"""Emotion corrections in the app (issue 18) through AppTest: the shared review panel's emotion
select on Viewpoints (names in the UI language, the same audit trail and undo as the labels, the
same access control) and the Method page's emotion model measured on those corrections."""

from __future__ import annotations

import pytest

from analysis.emotion import EMOTIONS, emotion_name
from analysis.i18n import t
from analysis.library import Library
from analysis.review import ReviewEntry, list_reviews, overrides
from pages.ui.review_panel import REVIEW_ERRORS
from tests.dashboard_fixtures import open_app

PAGE = "pages/viewpoints.py"


def _trail(url: str) -> list[ReviewEntry]:
    library = Library(url)
    try:
        return list_reviews(library, "article")
    finally:
        library.dispose()


def _reviewer(at, name: str = "ana") -> None:
    at.text_input(key="rv_editor_name").input(name)
    at.button(key="rv_editor_set").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _set_emotion(at, position: int, emotion: str) -> None:
    at.selectbox(key="rv_sentence").set_value(position).run()
    at.selectbox(key="rv_emotion").set_value(emotion).run()
    at.button(key="rv_emotion_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _keys(at) -> set[str]:
    kinds = ("button", "selectbox", "button_group", "text_area")
    return {w.key for kind in kinds for w in at.get(kind) if getattr(w, "key", None)}


def test_an_editor_sets_a_sentence_emotion_beside_its_label_and_undoes_it(app_env: str) -> None:
    at = open_app(PAGE, lang="zh")
    _reviewer(at)
    at.selectbox(key="rv_sentence").set_value(2).run()
    select = at.selectbox(key="rv_emotion")
    assert list(select.options) == list("喜怒哀惧惊恶无")  # the names in the UI language
    assert at.button(key="rv_emotion_save").disabled and at.button(key="rv_emotion_reset").disabled
    at.text_area(key="rv_note").set_value("<b>反讽</b>")
    _set_emotion(at, 2, "anger")
    word = t("rv.emo.word", "zh", name="怒")
    assert [s.value for s in at.success] == [t("rv.saved", "zh", count=1, label=word)]
    [entry] = _trail(app_env)
    assert (entry.field, entry.position, entry.label, entry.editor, entry.note) == (
        "emotion",
        "2",
        "anger",
        "ana",
        "<b>反讽</b>",
    )
    assert entry.model_label in EMOTIONS and "emotion" in entry.model
    assert overrides(_trail(app_env)) == {}  # the sentiment label is untouched
    assert at.text_area(key="rv_note").value == ""
    # The reviewed view shows the analyst's emotion, marked ✎; the panel says whose it is.
    assert any("怒 ✎" in m.value for m in at.markdown)
    current = t("rv.emo.current", "zh", name="怒", editor="ana", when="\0").split("\0")[0]
    assert any(c.value.startswith(current) for c in at.caption)
    assert at.button(key="rv_emotion_reset").disabled is False
    # The history names the field; undo says what it undoes and takes the emotion back.
    assert any(word in m.value for m in at.markdown if m.value.startswith("`"))
    assert word in " ".join(c.value for c in at.caption)
    at.button(key="rv_undo").click().run()
    assert [s.value for s in at.success] == [t("rv.undone", "zh", count=1)]
    trail = _trail(app_env)
    assert [(e.field, e.label) for e in trail] == [("emotion", "anger"), ("emotion", None)]
    assert not any("怒 ✎" in m.value for m in at.markdown)


def test_reset_goes_back_to_the_model_emotion_in_english(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    _reviewer(at)
    at.selectbox(key="rv_sentence").set_value(3).run()
    assert list(at.selectbox(key="rv_emotion").options) == list(EMOTIONS)
    _set_emotion(at, 3, "surprise")
    at.button(key="rv_emotion_reset").click().run()
    assert [s.value for s in at.success] == [
        t("rv.saved", "en", count=1, label=t("rv.emo.back_to_model", "en"))
    ]
    assert [e.label for e in _trail(app_env)] == ["surprise", None]
    assert at.button(key="rv_emotion_reset").disabled


def test_read_only_visitors_cannot_set_an_emotion(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pages.ui.cache import unlock_throttle as _unlock_throttle

    monkeypatch.setenv("OPINION_LENS_EDIT_PASSPHRASE", "open sesame")
    _unlock_throttle.clear()
    at = open_app(PAGE, lang="zh")
    assert not {"rv_emotion", "rv_emotion_save", "rv_emotion_reset"} & _keys(at)
    assert t("rv.read_only", "zh") in [c.value for c in at.caption]


def test_the_review_errors_of_emotions_are_translated() -> None:
    assert {"bad_emotion", "no_emotion"} <= set(REVIEW_ERRORS)
    for lang in ("zh", "en"):
        for code in ("bad_emotion", "no_emotion"):
            assert t(f"rv.err.{code}", lang) != t(f"rv.err.{code}", "zh" if lang == "en" else "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_method_page_without_emotion_corrections_says_so(app_env: str, lang: str) -> None:
    at = open_app("pages/method.py", lang=lang)
    infos = [i.value for i in at.info]
    assert t("me.emo_none", lang) in infos and t("me.rv_none", lang) in infos
    assert t("me.emo", lang) in [h.value for h in at.subheader]
    assert not any(
        f.index.name == t("me.rv_confusion_axes", lang) for f in (d.value for d in at.main.dataframe)
    )


def test_method_page_measures_the_emotion_model_on_the_corrections(app_env: str) -> None:
    at = open_app(PAGE, lang="zh")
    _reviewer(at)
    for position, emotion in ((1, "anger"), (2, "joy"), (4, "neutral")):
        _set_emotion(at, position, emotion)
    trail = _trail(app_env)
    pairs = [(e.model_label, e.label) for e in trail]
    correct = sum(m == a for m, a in pairs)
    at.switch_page("pages/method.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("me.rv_none", "zh") in [i.value for i in at.info]  # no sentiment label was reviewed
    figures = {m.label: m.value for m in at.metric}
    assert figures[t("me.emo_n", "zh")] == "3"
    assert figures[t("me.rv_accuracy", "zh")] == f"{100 * correct / 3:.1f}%"
    assert "macro-F1" in figures
    interval = t("me.rv_interval", "zh", n=3, interval="\0").split("\0")[0]
    assert any(c.value.startswith(interval) for c in at.caption)
    [confusion] = [
        d.value for d in at.main.dataframe if d.value.index.name == t("me.rv_confusion_axes", "zh")
    ]
    assert list(confusion.columns) == list("喜怒哀惧惊恶无") and list(confusion.index) == list(
        "喜怒哀惧惊恶无"
    )
    assert int(confusion.values.sum()) == 3 and int(confusion.values.trace()) == correct
    for model, analyst in pairs:
        assert confusion.loc[emotion_name(analyst, "zh"), emotion_name(model, "zh")] >= 1
    by_lang = next(d.value for d in at.main.dataframe if t("me.rv_col.lang", "zh") in d.value.columns)
    assert list(by_lang["n"]) == [3]
