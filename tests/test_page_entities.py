"""Entities on the article pages (issue 13) through AppTest: the Overview's entity panel and its
trace to the sentences, the Viewpoints filter with clause-level labels, the Themes matrix, Compare,
and the library's user aliases (editors add and remove them; read-only visitors see no controls)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from analysis.emotion.labels import emotion_name
from analysis.i18n import t
from analysis.library import Library
from analysis.records import EMOTIONS
from tests.dashboard_fixtures import add_article, chart_keys, open_app

CST = timezone(timedelta(hours=8))
# A second article: 小米SU7 and 特斯拉 in one contrast sentence ("…，而特斯拉…"), 雷军 twice.
CONTRAST_TEXT = (
    "小米SU7交付创新高\n\n"
    "雷军表示，小米SU7的交付量再创新高，用户评价非常好。\n"
    "小米SU7的销量大涨，口碑很好，而特斯拉的销量大幅下滑，车主投诉不断。\n"
    "特斯拉Model Y降价促销，但市场反应冷淡。\n"
    "业内人士认为，雷军的营销策略非常成功。\n"
)


def entity_table(at) -> pd.DataFrame:
    """The panel's table (AppTest exposes no dataframe keys: found by its columns)."""
    lang = at.session_state["ui_lang"]
    col = t("ent.col.mentions", lang)
    return next(df.value for df in at.dataframe if col in df.value.columns)


def trace_table(at) -> pd.DataFrame:
    col = t("ent.col.entity_label", at.session_state["ui_lang"])
    return next(df.value for df in at.dataframe if col in df.value.columns)


def sentences_table(at) -> pd.DataFrame:
    """Viewpoints' sentence table (the last table of the page)."""
    return at.dataframe[-1].value


def plotly_spec(at, key: str) -> dict:
    return json.loads(next(el for el in at.get("plotly_chart") if el.key == key).proto.spec)


def open_contrast_article(app_env: str, at, page: str | None = None):
    article_id = add_article(
        app_env,
        CONTRAST_TEXT,
        title="小米SU7交付创新高",
        published_at=datetime(2025, 11, 2, 9, 0, tzinfo=CST),
    )
    at.run()  # the sidebar lists it
    at.sidebar.selectbox(key="article_id").set_value(article_id).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# -- Overview ------------------------------------------------------------------------------------


def test_panel_on_the_sample_shows_xiaomi_and_lei_jun_with_nev_and_counts(app_env: str) -> None:
    at = open_app(lang="en")
    assert "entity_nev" in chart_keys(at)
    table = entity_table(at).set_index("Entity")
    assert {"Xiaomi", "Lei Jun"} <= set(table.index)
    assert table.index[0] == "Xiaomi"  # most mentioned first
    for name in ("Xiaomi", "Lei Jun"):
        row = table.loc[name]
        assert row["Found as"] == "Known"
        p, u, n = int(row["Positive"]), int(row["Neutral"]), int(row["Negative"])
        assert p + u + n == int(row["Mentions"])  # every sentence of the sample is scored
        assert row["NEV %"] == pytest.approx(round((p - n) / (p + u + n) * 100, 1))
    assert table.loc["Lei Jun", "Sentences"] == "#8"
    # The chart shows the same entities with the same values (and says so in its hover).
    spec = plotly_spec(at, "entity_nev")
    bar = spec["data"][0]
    assert bar["y"][0].startswith("Xiaomi") and any(y.startswith("Lei Jun") for y in bar["y"])
    assert bar["x"][0] == pytest.approx(table.loc["Xiaomi", "NEV %"])
    assert "nev = (P - N) / (P + U + N)" in bar["customdata"][0]
    # Traceable: the picked entity's sentences, each with its label and the sentence's.
    assert at.selectbox(key="entity_pick").value == "小米"
    rows = trace_table(at)
    assert list(rows["#"]) == [int(x.strip("#")) for x in table.loc["Xiaomi", "Sentences"].split(", ")]
    assert all("Xiaomi" in text for text in rows["Sentence"])
    at.selectbox(key="entity_pick").set_value("雷军").run()
    rows = trace_table(at)
    assert list(rows["#"]) == [8] and "Lei Jun" in rows["Sentence"][0]


def test_panel_speaks_chinese(app_env: str) -> None:
    at = open_app(lang="zh")
    table = entity_table(at)
    assert {"小米", "雷军"} <= set(table[t("ent.col.entity", "zh")])
    assert t("ent.heading", "zh") in [s.value for s in at.subheader]


def test_panel_shows_each_entity_s_emotions_in_the_ui_language(app_env: str) -> None:
    """Issue 18: the dominant emotion and the mix of the sentences naming each entity (喜怒哀惧惊恶
    in Chinese), beside its sentiment, and every traced sentence's emotion."""
    at = open_app(lang="zh")
    table = entity_table(at).set_index(t("ent.col.entity", "zh"))
    names = {emotion_name(e, "zh") for e in EMOTIONS}
    for name in ("小米", "雷军"):
        row = table.loc[name]
        assert row[t("ent.col.emotion", "zh")] in names - {"无"} | {"—"}
        mix = row[t("ent.col.emotions", "zh")]
        parts = [part.rsplit(" ", 1) for part in mix.split(" · ")]
        assert all(label in names for label, _ in parts)
        assert sum(int(n) for _, n in parts) <= int(row[t("ent.col.mentions", "zh")])
    assert t("ent.emotion_caption", "zh", unit=t("ent.emotion_unit.sentences", "zh")) in [
        c.value for c in at.caption
    ]
    rows = trace_table(at)
    assert set(rows[t("ent.col.emotion", "zh")]) <= names | {"—"}
    # The trace's emotions are the mix's: the dominant one is among them.
    dominant = table.loc["小米", t("ent.col.emotion", "zh")]
    assert dominant == "—" or dominant in set(rows[t("ent.col.emotion", "zh")])
    at.session_state["ui_lang"] = "en"
    at.run()
    row = entity_table(at).set_index("Entity").loc["Xiaomi"]
    assert row["Emotion"] in set(EMOTIONS) - {"neutral"} | {"—"}


def test_su7_and_a_contrast_sentence_split_between_two_entities(app_env: str) -> None:
    at = open_contrast_article(app_env, open_app(lang="en"))
    table = entity_table(at).set_index("Entity")
    assert {"Xiaomi SU7", "Lei Jun", "Tesla"} <= set(table.index)
    assert table.loc["Xiaomi SU7", "Mentions"] == 2 and table.loc["Xiaomi SU7", "Type"] == "Product"
    at.selectbox(key="entity_pick").set_value("特斯拉").run()
    rows = trace_table(at)
    # 特斯拉 owns the clause after 而, not the whole sentence.
    assert list(rows["#"]) == [1]
    assert rows["Clause (blank = whole sentence)"][0].startswith("而特斯拉")
    at.selectbox(key="entity_pick").set_value("小米SU7").run()
    rows = trace_table(at).set_index("#")
    assert rows.loc[1, "Clause (blank = whole sentence)"].startswith("小米SU7的销量大涨")
    assert rows.loc[0, "Clause (blank = whole sentence)"] == ""


def test_open_in_viewpoints_filters_by_the_entity(app_env: str) -> None:
    at = open_app(lang="en")
    at.selectbox(key="entity_pick").set_value("雷军").run()
    at.button(key="entity_open").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="vp_entities").value == ["雷军"]
    assert list(sentences_table(at)["#"]) == [8]


# -- Viewpoints ----------------------------------------------------------------------------------


def test_viewpoints_entity_filter_keeps_the_sentences_naming_the_entities(app_env: str) -> None:
    at = open_app("pages/viewpoints.py", lang="en")
    entities = at.multiselect(key="vp_entities")
    assert entities.value == [] and {"Xiaomi (6)", "Lei Jun (1)"} <= set(entities.options)
    total = len(sentences_table(at))
    assert "Entities (attributed label)" not in sentences_table(at).columns
    entities.set_value(["雷军"]).run()
    assert list(sentences_table(at)["#"]) == [8]
    at.multiselect(key="vp_entities").set_value(["雷军", "小米"]).run()
    shown = sentences_table(at)
    assert 8 in list(shown["#"]) and 1 < len(shown) < total
    assert shown.set_index("#").loc[8, "Entities (attributed label)"].startswith("Lei Jun: ")
    at.multiselect(key="vp_entities").set_value([]).run()
    assert len(sentences_table(at)) == total


def test_viewpoints_shows_the_entity_label_where_it_differs_from_the_sentence(app_env: str) -> None:
    at = open_contrast_article(app_env, open_app(lang="en"), "pages/viewpoints.py")
    at.multiselect(key="vp_entities").set_value(["小米SU7"]).run()
    shown = sentences_table(at).set_index("#")
    assert list(shown.index) == [0, 1]
    # Sentence 1 is negative as a whole; 小米SU7's clause is positive: both are on screen.
    assert shown.loc[1, "Label"] == "Negative"
    assert shown.loc[1, "Entities (attributed label)"] == "Xiaomi SU7: Positive"
    html = " ".join(m.value for m in at.markdown)
    assert "entity-label" in html and "→ Xiaomi SU7: Positive" in html
    assert "Clause: 小米SU7的销量大涨" in html  # the clause it came from, in the tooltip
    # Where the labels agree (sentence 0) no extra label is shown: one badge only.
    assert html.count("entity-label") == 1


def test_entity_sentiment_follows_the_labels_shown(app_env: str) -> None:
    """An analyst relabels 雷军's one sentence: the reviewed view (the default) gives 雷军 that
    label, the model's view the model's; Viewpoints' filter and table agree."""
    at = open_app("pages/viewpoints.py", lang="en")
    at.text_input(key="rv_editor_name").input("ana")
    at.button(key="rv_editor_set").click().run()
    at.selectbox(key="rv_sentence").set_value(8)
    at.button_group(key="rv_label").set_value("positive")
    at.run()
    at.button(key="rv_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.multiselect(key="vp_entities").set_value(["雷军"]).run()
    assert sentences_table(at).set_index("#").loc[8, "Entities (attributed label)"] == "Lei Jun: Positive"
    at.switch_page("pages/overview.py").run()
    row = entity_table(at).set_index("Entity").loc["Lei Jun"]
    assert (row["Positive"], row["Negative"], row["NEV %"]) == (1, 0, 100.0)
    at.sidebar.button_group(key="label_view").set_value("model").run()
    row = entity_table(at).set_index("Entity").loc["Lei Jun"]
    assert (row["Positive"], row["Negative"], row["NEV %"]) == (0, 1, -100.0)


# -- Themes and Compare --------------------------------------------------------------------------


def test_themes_entity_group_matrix(app_env: str) -> None:
    at = open_app("pages/themes.py", lang="en")
    assert "entity_matrix" in chart_keys(at)
    heat = plotly_spec(at, "entity_matrix")["data"][0]
    assert heat["y"][0] == "Xiaomi" and "Lei Jun" in heat["y"]
    # Lei Jun: one sentence, in group 4 ("4. Leadership and Crisis Management").
    row = heat["text"][heat["y"].index("Lei Jun")]
    assert [x for x in row if x] == ["1"]
    assert heat["x"][row.index("1")].startswith("4.")
    # Xiaomi's cells add up to its mentions (sentences 0, 1, 2, 4, 7 and 10 of the sample).
    assert sum(int(x) for x in heat["text"][0] if x) == 6


def test_compare_entity_nev_across_articles(app_env: str) -> None:
    at = open_app(lang="en")
    add_article(
        app_env,
        CONTRAST_TEXT,
        title="小米SU7交付创新高",
        published_at=datetime(2025, 11, 2, 9, 0, tzinfo=CST),
    )
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.multiselect(key="compare_ids").value) == 2
    assert "compare_entities" in chart_keys(at)
    table = next(df.value for df in at.dataframe if "Entity" in df.value.columns).set_index("Entity")
    assert {"Xiaomi", "Lei Jun", "Xiaomi SU7"} <= set(table.index)
    assert len(table.columns) == 2  # one column per article
    # Lei Jun is in both; Xiaomi SU7 only in the new article (— in the sample).
    assert all(cell.endswith(")") for cell in table.loc["Lei Jun"])
    assert sorted(cell == "—" for cell in table.loc["Xiaomi SU7"]) == [False, True]
    heat = plotly_spec(at, "compare_entities")["data"][0]
    assert len(heat["x"]) == 2 and "Lei Jun" in heat["y"]


# -- user aliases --------------------------------------------------------------------------------


def add_alias(at, alias: str, canonical: str, kind: str = "auto"):
    at.text_input(key="entity_alias").input(alias)
    at.text_input(key="entity_alias_canonical").input(canonical)
    at.selectbox(key="entity_alias_type").set_value(kind)
    at.button(key="entity_alias_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_editor_adds_an_alias_and_every_analysis_uses_it(app_env: str) -> None:
    at = open_app(lang="en")
    assert "OTA" not in set(entity_table(at)["Entity"])
    # A new entity needs a type; then the sample's "OTA updates" sentence names it.
    add_alias(at, "OTA updates", "OTA")
    assert at.error and "choose a type" in at.error[0].value
    assert Library(app_env).list_entity_aliases() == []
    add_alias(at, "OTA updates", "OTA", "product")
    assert at.success and at.success[0].value.startswith("Added: OTA updates → OTA")
    assert at.text_input(key="entity_alias").value == ""  # cleared for the next one
    stored = Library(app_env).list_entity_aliases()
    assert [a.as_alias() for a in stored] == [("OTA updates", "OTA", "product")]
    table = entity_table(at).set_index("Entity")
    assert table.loc["OTA", "Mentions"] == 1 and table.loc["OTA", "Sentences"] == "#6"
    # Any name of an entity finds it: "Lei Jun" is 雷军, whose type is taken along.
    add_alias(at, "the founder", "Lei Jun")
    assert Library(app_env).list_entity_aliases()[-1].as_alias() == ("the founder", "雷军", "person")
    assert entity_table(at).set_index("Entity").loc["Lei Jun", "Mentions"] == 1  # both in sentence 8
    # Other pages and the other articles use the aliases too.
    at.switch_page("pages/viewpoints.py").run()
    assert "OTA (1)" in at.multiselect(key="vp_entities").options


def test_a_conflicting_or_repeated_alias_is_refused_with_a_clear_message(app_env: str) -> None:
    at = open_app(lang="en")
    # 雷军 is a person in the table, not a company.
    add_alias(at, "Jun Fans", "雷军", "company")
    assert at.error[0].value.startswith(t("ent.alias_conflict", "en", error="").rstrip())
    assert "person" in at.error[0].value
    assert at.text_input(key="entity_alias").value == "Jun Fans"  # kept for correcting
    # A name the entity already has.
    add_alias(at, "xiaomi", "小米")
    assert at.error[0].value == t("ent.alias_known", "en", alias="xiaomi", canonical="小米")
    add_alias(at, "", "小米")
    assert at.error[0].value == t("ent.alias_empty", "en")
    assert Library(app_env).list_entity_aliases() == []
    # Stored once; the same alias again (any case) is refused by the library.
    add_alias(at, "Mi Auto", "小米汽车")
    assert at.success
    add_alias(at, "mi auto", "小米")
    assert at.error[0].value == t("ent.alias_exists", "en", alias="mi auto", canonical="小米汽车")
    assert len(Library(app_env).list_entity_aliases()) == 1


def test_an_editor_removes_an_alias(app_env: str) -> None:
    at = open_app(lang="en")
    add_alias(at, "OTA updates", "OTA", "product")
    assert "OTA" in set(entity_table(at)["Entity"])
    stored = Library(app_env).list_entity_aliases()
    at.selectbox(key="entity_alias_pick").set_value(stored[0].id)
    at.button(key="entity_alias_delete").click().run()
    assert not at.exception
    assert at.success[0].value == t("ent.alias_deleted", "en", alias="OTA updates", canonical="OTA")
    assert Library(app_env).list_entity_aliases() == []
    assert "OTA" not in set(entity_table(at)["Entity"])


def test_read_only_visitors_see_the_panel_but_no_alias_controls(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(app_env)
    library.add_entity_alias("OTA updates", "OTA", "product", editor="ana")
    library.dispose()
    monkeypatch.setenv("OPINION_LENS_EDIT_PASSPHRASE", "open sesame")
    at = open_app(lang="en")
    assert "OTA" in set(entity_table(at)["Entity"])  # the stored alias still applies
    keys = {w.key for w in at.text_input} | {w.key for w in at.button} | {w.key for w in at.selectbox}
    assert not {k for k in keys if k and k.startswith("entity_alias")}
    assert "entity_pick" in keys and "entity_open" in keys  # tracing is for everyone
    assert t("ent.aliases_count", "en", count=1) in [c.value for c in at.caption]


def test_a_stored_alias_the_table_refuses_is_skipped_with_a_warning(app_env: str) -> None:
    library = Library(app_env)  # stored without the page's check (say, before the table changed)
    library.add_entity_alias("Jun Fans", "雷军", "company", editor="old")
    library.add_entity_alias("OTA updates", "OTA", "product", editor="ana")
    library.dispose()
    at = open_app(lang="en")
    assert t("ent.aliases_skipped", "en", aliases="Jun Fans") in [w.value for w in at.warning]
    table = entity_table(at)
    assert "OTA" in set(table["Entity"]) and "Lei Jun" in set(table["Entity"])  # the rest applies
