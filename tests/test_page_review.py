"""Analyst review in the app (issue 12) through AppTest: override one sentence, reset, undo, bulk
over the current filter (preview, confirm, over the limit), the review queue, read-only visitors,
notes shown literally, model vs reviewed on the Overview and in the sidebar, and the Method
page's figures on the corrections."""

from __future__ import annotations

import pytest

from analysis.i18n import t
from analysis.library import Library
from analysis.review import MAX_BULK, ReviewEntry, list_reviews, overrides
from tests.dashboard_fixtures import add_article, open_app

PAGE = "pages/viewpoints.py"
RAW = {"Positive": "positive", "Neutral": "neutral", "Negative": "negative"}
NOTE = "<b>sarcasm</b> & <script>alert(1)</script> *not bold*"


def _trail(url: str) -> list[ReviewEntry]:
    library = Library(url)
    try:
        return list_reviews(library, "article")
    finally:
        library.dispose()


def _reviewer(at, name: str = "ana") -> None:
    """Say who is reviewing (asked once per session, before the first change)."""
    assert at.button(key="rv_editor_set") is not None
    at.text_input(key="rv_editor_name").input(name)
    at.button(key="rv_editor_set").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _table(at):
    return at.main.dataframe[-1].value


def _model_label(at, position: int) -> str:
    table = _table(at)
    return RAW[table[table["#"] == position].iloc[0]["Label"]]


def _other(label: str) -> str:
    return next(x for x in ("positive", "neutral", "negative") if x != label)


def _override(at, position: int, label: str, note: str = "") -> None:
    at.selectbox(key="rv_sentence").set_value(position)
    at.button_group(key="rv_label").set_value(label)
    at.text_area(key="rv_note").set_value(note)
    at.run()
    at.button(key="rv_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _keys(at) -> set[str]:
    kinds = ("button", "text_input", "text_area", "selectbox", "button_group", "multiselect", "toggle")
    return {w.key for kind in kinds for w in at.get(kind) if getattr(w, "key", None)}


def test_override_shows_both_labels_and_the_overview_reviewed_nev(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    _reviewer(at)
    assert any(t("rv.reviewing_as", "en", editor="ana") == c.value for c in at.caption)
    model = _model_label(at, 2)
    new = _other(model)
    _override(at, 2, new, NOTE)
    assert [s.value for s in at.success] == [t("rv.saved", "en", count=1, label=new.title())]
    [entry] = _trail(app_env)
    assert (entry.position, entry.label, entry.model_label, entry.editor, entry.note) == (
        "2",
        new,
        model,
        "ana",
        NOTE,
    )
    assert at.text_area(key="rv_note").value == ""  # cleared for the next change
    # The table shows the reviewed label with the model's beside it; the badge is marked ✎.
    row = _table(at)[_table(at)["#"] == 2].iloc[0]
    assert (RAW[row["Label"]], RAW[row["Model label"]]) == (new, model)
    assert any(f"{new.title()} ✎" in m.value for m in at.markdown)
    # The note is user text: shown literally (st.text), never as Markdown or HTML.
    assert NOTE in [x.value for x in at.text]
    assert not any("<b>sarcasm" in m.value or "<script>alert(1)" in m.value for m in at.markdown)
    assert not any("<b>sarcasm" in c.value for c in at.caption)

    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    figures = _metrics(at)
    model_nev, reviewed_nev = figures[t("rv.nev_model", "en")], figures[t("rv.nev_reviewed", "en")]
    assert model_nev != reviewed_nev
    assert figures[t("ov.nev", "en")] == reviewed_nev  # the reviewed view by default
    n = int(figures[t("ov.sentences", "en")])
    assert any(m.value == f"**{t('rv.k_of_n', 'en', k=1, n=n)}**" for m in at.markdown)
    assert t("rv.k_of_n", "en", k=1, n=n) in [c.value for c in at.sidebar.caption]
    # The sidebar switch shows the model's labels on every page.
    at.button_group(key="label_view").set_value("model").run()
    assert _metrics(at)[t("ov.nev", "en")] == model_nev
    assert _metrics(at)[t("rv.nev_reviewed", "en")] == reviewed_nev  # both stay side by side
    at.switch_page(PAGE).run()
    row = _table(at)[_table(at)["#"] == 2].iloc[0]
    assert RAW[row["Label"]] == model and "Model label" not in _table(at).columns


def test_reset_and_undo(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    _reviewer(at)
    model = _model_label(at, 2)
    new = _other(model)
    _override(at, 2, new)
    assert at.button(key="rv_reset").disabled is False
    at.button(key="rv_reset").click().run()
    assert [s.value for s in at.success] == [t("rv.saved", "en", count=1, label=t("rv.back_to_model", "en"))]
    assert overrides(_trail(app_env)) == {}
    assert _model_label(at, 2) == model and at.button(key="rv_reset").disabled
    # Undo the reset: the analyst's label is back; undo again: the model's. Every step is a row.
    assert t("rv.back_to_model", "en") in " ".join(c.value for c in at.caption)  # what undo undoes
    at.button(key="rv_undo").click().run()
    assert [s.value for s in at.success] == [t("rv.undone", "en", count=1)]
    assert [e.label for e in overrides(_trail(app_env)).values()] == [new]
    at.button(key="rv_undo").click().run()
    assert overrides(_trail(app_env)) == {}
    assert len(_trail(app_env)) == 4  # set, reset, two undos: nothing updated or deleted
    assert "rv_undo" not in _keys(at)  # nothing left to undo


def test_bulk_over_the_current_filter_previews_then_confirms(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    _reviewer(at)
    full = _table(at)
    common = full["Label"].value_counts().index[0]
    n = int((full["Label"] == common).sum())
    at.multiselect(key="vp_labels").set_value([RAW[common]]).run()
    assert t("rv.bulk_scope", "en", n=n, total=len(full), limit=MAX_BULK) in [c.value for c in at.caption]
    new = _other(RAW[common])
    at.button_group(key="rv_bulk_label").set_value(new).run()
    at.text_input(key="rv_bulk_note").set_value("checked by hand")
    at.button(key="rv_bulk_preview").click().run()
    preview = t("rv.bulk_confirm_text", "en", label=new.title(), n=n, changes=n, reviewed=0)
    assert preview in [w.value for w in at.warning]
    assert _trail(app_env) == []  # a preview writes nothing
    # Cancel, then preview again and confirm.
    at.button(key="rv_bulk_cancel").click().run()
    assert "rv_bulk_confirm" not in _keys(at)
    at.button(key="rv_bulk_preview").click().run()
    at.button(key="rv_bulk_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    trail = _trail(app_env)
    assert len(trail) == n and len({e.batch for e in trail}) == 1  # one change
    assert {e.label for e in trail} == {new} and {e.note for e in trail} == {"checked by hand"}
    # The filter keeps its label: the sentences now carry the new one, so none match.
    assert len(_table(at)) == 0
    # One undo reverses the whole bulk change.
    at.button(key="rv_undo").click().run()
    assert overrides(_trail(app_env)) == {}


def test_bulk_over_the_limit_is_refused_with_a_clear_message(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    big = add_article(
        app_env,
        "Bulk limit\n\n"
        + "\n\n".join(f"Report {i}: delivery number {i} arrived late again." for i in range(MAX_BULK + 5)),
        title="Bulk limit",
    )
    at.session_state["model"] = "fast"  # the same page; the fast tier keeps this test quick
    at.run()
    at.sidebar.selectbox(key="article_id").set_value(big).run()
    assert not at.exception, [e.value for e in at.exception]
    _reviewer(at)
    shown = len(_table(at))
    assert shown > MAX_BULK
    at.button_group(key="rv_bulk_label").set_value("neutral").run()
    at.button(key="rv_bulk_preview").click().run()
    assert t("rv.err.bulk_too_many", "en", n=shown, limit=MAX_BULK) in [e.value for e in at.error]
    assert "rv_bulk_confirm" not in _keys(at)
    assert _trail(app_env) == []
    # A keyword narrows the filter under the limit: now it can be confirmed.
    at.text_input(key="vp_search").set_value("number 1").run()
    narrowed = len(_table(at))
    assert 0 < narrowed <= MAX_BULK
    at.button(key="rv_bulk_preview").click().run()
    at.button(key="rv_bulk_confirm").click().run()
    assert len(_trail(app_env)) == narrowed


def test_queue_labels_a_sentence_with_one_click(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    _reviewer(at)
    queued = [b.key for b in at.button if b.key and b.key.startswith("rv_queue_")]
    first = int(queued[0].split("_")[2])
    assert [
        at.button(key=f"rv_queue_{first}_{x}").proto.shortcut for x in ("positive", "neutral", "negative")
    ] == [
        "1",
        "2",
        "3",
    ]  # the keyboard labels the first sentence
    model = _model_label(at, first)
    at.button(key=f"rv_queue_{first}_{_other(model)}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [entry] = _trail(app_env)
    assert (entry.position, entry.label, entry.model_label) == (str(first), _other(model), model)
    after = [b.key for b in at.button if b.key and b.key.startswith("rv_queue_")]
    assert f"rv_queue_{first}_positive" not in after and len(after) == len(queued) - 3
    # Confirming the model's label is one click too (and counts as reviewed).
    second = int(after[0].split("_")[2])
    at.button(key=f"rv_queue_{second}_{_model_label(at, second)}").click().run()
    assert len(overrides(_trail(app_env))) == 2


def test_read_only_visitors_see_no_review_controls(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pages.ui.cache import unlock_throttle as _unlock_throttle
    from pages.ui.state import REVIEW_EDITOR_KEY

    monkeypatch.setenv("OPINION_LENS_EDIT_PASSPHRASE", "open sesame")
    _unlock_throttle.clear()
    at = open_app(PAGE, lang="en")
    assert not [k for k in _keys(at) if k.startswith("rv_")]
    assert t("rv.read_only", "en") in [c.value for c in at.caption]
    # Unlocked, the controls appear; the passphrase typed as a name is refused, never kept.
    at.sidebar.text_input(key="access_passphrase").input("open sesame")
    next(b for b in at.sidebar.button if b.label == t("access.unlock", "en")).click().run()
    at.text_input(key="rv_editor_name").input("open sesame")
    at.button(key="rv_editor_set").click().run()
    assert t("rv.name_is_passphrase", "en") in [e.value for e in at.error]
    assert REVIEW_EDITOR_KEY not in at.session_state
    assert "open sesame" not in [str(at.session_state[k]) for k in at.session_state]


def test_method_page_measures_the_model_on_the_corrections(app_env: str) -> None:
    at = open_app("pages/method.py", lang="en")
    assert t("me.rv_none", "en") in [i.value for i in at.info]
    at.switch_page(PAGE).run()
    _reviewer(at)
    # Three sentences from the queue: one confirmed, two corrected.
    labels = []
    for i in range(3):
        position = int(
            next(b.key for b in at.button if b.key and b.key.startswith("rv_queue_")).split("_")[2]
        )
        model = _model_label(at, position)
        label = model if i == 0 else _other(model)
        labels.append((model, label))
        at.button(key=f"rv_queue_{position}_{label}").click().run()
    at.switch_page("pages/method.py").run()
    assert not at.exception, [e.value for e in at.exception]
    figures = _metrics(at)
    assert figures[t("me.rv_n", "en")] == "3"
    assert figures[t("me.rv_accuracy", "en")] == "33.3%"
    assert t("me.rv_interval", "en", n=3, interval="6%–79%") in [
        c.value for c in at.caption
    ]  # Wilson, 1 of 3
    # AppTest does not expose a dataframe's key: the tables are told apart by their headers.
    frames = [d.value for d in at.main.dataframe]
    confusion = next(f for f in frames if f.index.name == t("me.rv_confusion_axes", "en"))
    assert int(confusion.values.sum()) == 3 and int(confusion.values.trace()) == 1
    for model, label in labels:
        assert confusion.loc[label.title(), model.title()] >= 1  # rows: analyst; columns: model
    by_lang = next(f for f in frames if t("me.rv_col.lang", "en") in f.columns)
    by_source = next(f for f in frames if t("me.rv_col.source", "en") in f.columns)
    assert list(by_lang["n"]) == [3] and list(by_lang[t("me.rv_col.lang", "en")]) == ["en"]  # the sample
    assert list(by_source["n"]) == [3] and list(by_source[t("me.rv_col.source", "en")]) == ["新浪财经"]
    assert "review_training_csv" in {b.key for b in at.get("download_button")}


def test_overview_says_which_stored_reviews_no_longer_apply(app_env: str) -> None:
    from analysis.review import ReviewTarget, record_reviews

    library = Library(app_env)
    try:
        (record,) = library.list_articles()
        # A review of a sentence whose text is no longer in the article (it was edited since).
        gone = ReviewTarget(
            "article", record.id, "4", "A sentence edited away.", "en-accurate", "1", -0.1, "neutral"
        )
        record_reviews(library, [gone], "negative", note="<i>was sarcastic</i>", editor="bo")
    finally:
        library.dispose()
    at = open_app(lang="en")
    assert t("rv.stale", "en", count=1) in [w.value for w in at.warning]
    stale = next(d.value for d in at.main.dataframe if t("rv.col.position_was", "en") in d.value.columns)
    row = stale.iloc[0]
    assert (row[t("rv.col.position_was", "en")], row[t("rv.col.note", "en")]) == ("4", "<i>was sarcastic</i>")
    figures = _metrics(at)
    assert figures[t("rv.nev_model", "en")] == figures[t("rv.nev_reviewed", "en")]  # applied to nothing
    n = int(figures[t("ov.sentences", "en")])
    assert any(m.value == f"**{t('rv.k_of_n', 'en', k=0, n=n)}**" for m in at.markdown)
