"""Overview page and the shared frame (sidebar, language switch, downloads) through AppTest."""

from __future__ import annotations

from analysis.i18n import t
from analysis.library import Library
from tests.dashboard_fixtures import add_article, chart_keys, open_app

SAMPLE_TITLE = "小米汽车陷入困境,问题出在哪?"


def test_first_run_opens_on_the_sample_with_gauge_shares_and_groups(app_env: str) -> None:
    at = open_app()
    assert at.title[0].value == SAMPLE_TITLE
    assert {"nev_gauge", "label_shares", "group_nev"} <= set(chart_keys(at))
    # The sample is stored in the library and is the active article.
    records = Library(app_env).list_articles()
    assert [r.title for r in records] == [SAMPLE_TITLE]
    assert at.session_state["article_id"] == records[0].id
    labels = [m.label for m in at.metric]
    assert t("ov.nev", "zh") in labels and t("ov.nev_polar", "zh") in labels
    # Both formulas with their counts are written out, and the neutral band with the model.
    captions = " ".join(c.value for c in at.caption)
    assert "nev = (P - N) / (P + U + N)" in captions and "nev_polar = (P - N) / (P + N)" in captions
    assert "P=" in captions and "U=" in captions and "N=" in captions
    assert "模型" in captions and "中性区间" in captions
    # A way from the numbers to the sentences behind them.
    assert [link.proto.page for link in at.main.get("page_link")] == ["viewpoints"]


def test_counts_shown_match_the_sentences(app_env: str) -> None:
    at = open_app(lang="en")
    by_label = {m.label: m.value for m in at.metric}
    n = int(by_label["Scored sentences"])
    p, u, neg = (int(by_label[x]) for x in ("Positive", "Neutral", "Negative"))
    assert p + u + neg == n
    nev = float(by_label["nev (neutral counted)"].rstrip("%"))
    assert abs(nev - (p - neg) / n * 100) < 0.06
    # The sample has fewer than 30 scored sentences: the small-sample warning shows.
    assert n < 30
    assert any("Small sample" in w.value for w in at.warning)


def test_stated_vs_computed_table(app_env: str) -> None:
    at = open_app(lang="en")
    table = next(df for df in at.dataframe if "Stated" in df.value.columns)
    rows = table.value.set_index("Measure")
    assert rows.loc["Negative share", "Stated"] == "96.0%"
    assert rows.loc["Net emotional value", "Stated"] == "-96.0%"
    assert rows.loc["Net emotional value", "Computed"].endswith("%")
    assert any("Why they can differ" in c.value for c in at.caption)


def test_language_switch_changes_every_label(app_env: str) -> None:
    at = open_app()
    assert at.subheader[0].value == t("ov.nev_heading", "zh")
    at.button_group(key="ui_lang").set_value("en").run()
    assert not at.exception
    assert at.subheader[0].value == "Net emotional value"
    assert at.sidebar.selectbox(key="article_id").label == "Active article"
    assert {b.label for b in at.get("download_button")} == {
        t("dash.download_csv", "en"),
        t("dash.download_xlsx", "en"),
        t("dash.download_json", "en"),
    }
    at.button_group(key="ui_lang").set_value("zh").run()
    assert at.subheader[0].value == "净情感值"


def test_downloads_are_offered(app_env: str) -> None:
    at = open_app(lang="en")
    buttons = at.get("download_button")
    assert {b.key for b in buttons} == {"download_csv", "download_xlsx", "download_json"}
    # Files are made on click (deferred), from the analysis on screen (contents: test_export.py).
    assert all(b.proto.deferred_file_id for b in buttons)
    # Available on every article page, not only the overview.
    at.switch_page("pages/themes.py").run()
    assert {b.key for b in at.get("download_button")} == {"download_csv", "download_xlsx", "download_json"}


def test_first_run_note_can_be_dismissed(app_env: str) -> None:
    at = open_app(lang="en")
    assert any("Opinion Lens" in m.value for m in at.markdown)
    at.button(key="dismiss_intro").click().run()
    assert not at.exception
    assert not any("Opinion Lens** scores" in m.value for m in at.markdown)
    at.run()
    assert not any(b.key == "dismiss_intro" for b in at.button)


def test_sidebar_picks_another_article_and_model_band_apply(app_env: str) -> None:
    at = open_app(lang="en")
    other = add_article(
        app_env,
        "Battery maker praised\n\nThe company delivered an excellent, reliable product. "
        "Customers were delighted with the quality.",
        title="Battery maker praised",
    )
    at.run()
    at.sidebar.selectbox(key="article_id").set_value(other).run()
    assert not at.exception
    assert at.title[0].value == "Battery maker praised"
    # A custom neutral band is applied and named as such on screen.
    at.slider(key="band").set_value((-1.0, 1.0)).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "set by you" in captions
    assert int({m.label: m.value for m in at.metric}["Neutral"]) == int(
        {m.label: m.value for m in at.metric}["Scored sentences"]
    )  # with the band at [-1, 1] every sentence is neutral
    at.button(key="band_reset").click().run()
    assert "calibrated" in " ".join(c.value for c in at.caption)


def test_page_opened_first_still_gets_the_frame(app_env: str, monkeypatch) -> None:
    """A fresh server whose first request is a page URL runs that page file alone (Streamlit's
    legacy pages/ mode); page_shell() then draws the whole app around it."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from tests.dashboard_fixtures import ROOT

    monkeypatch.undo()  # back to AppTest's own behaviour: legacy mode on every run
    monkeypatch.setenv("OPINION_LENS_DB_URL", app_env)
    PagesManager.uses_pages_directory = None
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/viewpoints.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("vp.title", "zh")
    assert [s.key for s in at.sidebar.selectbox] == ["article_id", "model"]
    assert len([e for e in at.main.expander]) == 5


def test_article_with_nothing_scorable_says_so(app_env: str) -> None:
    at = open_app(lang="en")
    other = add_article(app_env, "Новости\n\nКомпания объявила об отзыве автомобилей.", title="Новости")
    at.run()
    at.sidebar.selectbox(key="article_id").set_value(other).run()
    assert not at.exception
    assert any(w.value == t("ov.no_scored", "en") for w in at.warning)
    assert {m.label: m.value for m in at.metric}["nev (neutral counted)"] == "—"
    for page in ("pages/viewpoints.py", "pages/themes.py", "pages/timeline.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_the_byline_author_is_shown_as_text_not_markdown(app_env: str) -> None:
    at = open_app(lang="en")
    other = add_article(
        app_env,
        "小米汽车陷入困境\n\n作者 | 张*三*#1 编辑 | 李四\n\n"
        "小米汽车的信任危机从一场事故开始，订单取消的消息不断传出，舆论迅速发酵。",
        title="小米汽车陷入困境",
    )
    at.run()
    at.sidebar.selectbox(key="article_id").set_value(other).run()
    assert not at.exception
    (line,) = [c.value for c in at.caption if c.value.startswith("Author:")]
    # the byline's author, every Markdown character escaped: shown as written, not as emphasis
    assert line.split(" · ")[0] == "Author: 张\\*三\\*\\#1"


def test_markdown_escape_keeps_article_text_literal() -> None:
    from analysis.format import md_escape

    assert md_escape("**bold** [link](javascript:x) <b>") == (
        "\\*\\*bold\\*\\* \\[link\\]\\(javascript:x\\) \\<b\\>"
    )
    assert md_escape(None) == ""


def test_picking_the_snownlp_baseline_reanalyzes_and_names_it(app_env: str) -> None:
    at = open_app(lang="en")
    at.selectbox(key="model").set_value("snownlp").run()
    assert not at.exception
    assert any("Model snownlp" in c.value for c in at.caption)
    assert at.session_state["model"] == "snownlp"


def test_unopenable_database_is_a_clear_message(app_env: str, monkeypatch, tmp_path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    monkeypatch.setenv("OPINION_LENS_DB_URL", f"sqlite:///{not_a_dir}/library.db")
    from streamlit.testing.v1 import AppTest

    from tests.dashboard_fixtures import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("cannot open the library" in e.value for e in at.error)
