"""Page furniture on the Viewpoints page through AppTest (issue 17): the "not counted" section lists
every block of a WeChat article with its reason; an editor counts the 直播预告 promo back in, the
article's sentence count and NEV change on the page and on the Overview, the choice and the stored
summary are in the library, and a fresh app on the same database still counts the block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from analysis.i18n import t
from analysis.library import Library
from analysis.structure import parse_document
from tests.dashboard_fixtures import add_article, open_app

PAGE = "pages/viewpoints.py"
FIXTURE = (
    Path(__file__).resolve().parent / "fixtures" / "furniture" / "wechat_modelled_cctvnews_2020-02-29.txt"
)
TEXT = FIXTURE.read_text(encoding="utf-8")
BLOCKS = parse_document(TEXT).furniture
PROMO = next(b for b in BLOCKS if b.text.startswith("直播预告"))
LANG = "zh"


def _open(article_id: int) -> AppTest:
    at = open_app(PAGE, lang=LANG)
    at.sidebar.selectbox(key="article_id").set_value(article_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _reviewer(at, name: str = "ana") -> None:
    """Say who is editing (asked once per session, in the review panel), as the review tests do."""
    at.text_input(key="rv_editor_name").input(name)
    at.button(key="rv_editor_set").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _panel_blocks(at: AppTest) -> dict[str, Block]:
    """The bordered container of each listed block (key furniture_<block key>), by block key."""
    panel = at.main.get_by_key("furniture_panel")
    return {
        node.key.removeprefix("furniture_"): node
        for node in panel
        if isinstance(node, Block) and re.fullmatch(r"furniture_[0-9a-f]{12}", node.key or "")
    }


def _total_sentences(at) -> int:
    """n of the whole article, from the sentence table's caption ("显示 15 / 15 句")."""
    pattern = re.escape(t("vp.showing", LANG, shown="§", total="§")).replace("§", r"(\d+)")
    for caption in at.caption:
        m = re.fullmatch(pattern, caption.value)
        if m:
            return int(m.group(2))
    raise AssertionError("no sentence count on the page")


def _groups(at) -> dict[str, str]:
    """Group title -> its expander label (which carries the group's NEV and n)."""
    out = {}
    for e in at.main.expander:
        m = re.match(r"\*\*\d+\. (.+?)\*\* · (NEV .+)$", e.label)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def _overview(at) -> tuple[str, str]:
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    figures = metrics[t("ov.nev", LANG)], metrics[t("ov.sentences", LANG)]
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return figures


def _stored(url: str, article_id: int) -> tuple[frozenset[str], list[dict], int | None]:
    library = Library(url)
    try:
        summary = library.get_article(article_id).summary
        return (
            library.furniture_counted(article_id),
            library.furniture_history(article_id),
            summary.n if summary else None,
        )
    finally:
        library.dispose()


def _restart() -> None:
    """What a new server process starts with: no cached analyses, no open library."""
    from pages.ui.cache import _library_for, _sample_id_for

    st.cache_data.clear()
    _library_for.clear()
    _sample_id_for.clear()


def test_count_the_promo_back_in_changes_n_and_nev_and_stays_after_a_restart(app_env: str) -> None:
    article_id = add_article(app_env, TEXT)
    at = _open(article_id)

    # Every block is listed with its reason and its text, none counted; no toggle before a name.
    assert t("vp.furniture.title", LANG, n=len(BLOCKS)) in [h.value for h in at.subheader]
    shown = _panel_blocks(at)
    assert list(shown) == [b.key for b in BLOCKS]
    for b in BLOCKS:
        box = shown[b.key]
        assert (
            box.markdown[0].value
            == f"**{t('furniture.' + b.reason, LANG)}** · {t('vp.furniture.not_counted', LANG)}"
        )
        assert box.text[0].value == b.text
    assert t("vp.furniture.name_first", LANG) in [c.value for c in at.caption]
    assert not [w for w in at.toggle if (w.key or "").startswith("vp_furniture_")]

    n_before = _total_sentences(at)
    groups_before = _groups(at)
    assert n_before == len(parse_document(TEXT).sentences) == 15  # the reporters' credits are bylines
    assert list(groups_before) == ["上午的消息", "傍晚的消息"]
    nev_before, overview_n_before = _overview(at)
    assert overview_n_before == str(n_before)
    _, _, stored_n_before = _stored(app_env, article_id)

    _reviewer(at)
    toggles = {w.key for w in at.toggle if (w.key or "").startswith("vp_furniture_")}
    assert toggles == {f"vp_furniture_{b.key}" for b in BLOCKS}
    assert at.toggle(key=f"vp_furniture_{PROMO.key}").value is False
    at.toggle(key=f"vp_furniture_{PROMO.key}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

    # The promo is counted now: three more sentences, in a group of its own.
    promo_box = _panel_blocks(at)[PROMO.key]
    # The title and the caption count what is still left out.
    assert t("vp.furniture.title", LANG, n=len(BLOCKS) - 1) in [h.value for h in at.subheader]
    left_out = [b for b in BLOCKS if b.key != PROMO.key]
    caption = t(
        "vp.furniture.caption",
        LANG,
        lines=sum(len(b.text.splitlines()) for b in left_out),
        blocks=len(left_out),
    )
    assert caption in [c.value for c in at.caption]
    assert t("vp.furniture.counted", LANG) in promo_box.markdown[0].value
    assert _total_sentences(at) == n_before + 3
    groups_after = _groups(at)
    assert list(groups_after) == ["上午的消息", "傍晚的消息", "直播预告"]
    assert groups_after["直播预告"].endswith("n=3")
    assert "干货满满，精彩不容错过！" in " ".join(m.value for m in at.markdown)
    # The other blocks stay out.
    assert all(
        t("vp.furniture.not_counted", LANG) in box.markdown[0].value
        for k, box in _panel_blocks(at).items()
        if k != PROMO.key
    )
    nev_after, overview_n_after = _overview(at)
    assert overview_n_after == str(n_before + 3)
    assert nev_after != nev_before, (nev_before, nev_after)
    print(f"article NEV {nev_before} -> {nev_after}, n {overview_n_before} -> {overview_n_after}")

    # Stored with the article: who chose it, and the summary the library table shows.
    counted, history, stored_n = _stored(app_env, article_id)
    assert counted == {PROMO.key}
    assert [(h["block_key"], h["counted"], h["editor"]) for h in history] == [(PROMO.key, True, "ana")]
    assert stored_n_before is None  # stored without a summary (the Library page stores one on intake)
    assert stored_n == n_before + 3  # the choice refreshed it

    # A new server process on the same database: the block is still counted.
    _restart()
    again = _open(article_id)
    assert _total_sentences(again) == n_before + 3
    assert "直播预告" in _groups(again)
    assert t("vp.furniture.counted", LANG) in _panel_blocks(again)[PROMO.key].markdown[0].value
    _reviewer(again, "bo")
    assert again.toggle(key=f"vp_furniture_{PROMO.key}").value is True
    # ... and can be left out again.
    again.toggle(key=f"vp_furniture_{PROMO.key}").set_value(False).run()
    assert not again.exception, [e.value for e in again.exception]
    assert _total_sentences(again) == n_before
    assert _stored(app_env, article_id)[0] == frozenset()


def test_an_article_without_furniture_says_so(app_env: str) -> None:
    at = open_app(PAGE, lang=LANG)  # the sample article
    assert t("vp.furniture.title", LANG, n=0) in [h.value for h in at.subheader]
    assert t("vp.furniture.none", LANG) in [c.value for c in at.caption]
    assert _panel_blocks(at) == {}


def test_read_only_visitors_see_the_blocks_but_no_toggle(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pages.ui.cache import unlock_throttle as _unlock_throttle

    article_id = add_article(app_env, TEXT)
    monkeypatch.setenv("OPINION_LENS_EDIT_PASSPHRASE", "open sesame")
    _unlock_throttle.clear()
    at = _open(article_id)
    assert list(_panel_blocks(at)) == [b.key for b in BLOCKS]
    assert not [w for w in at.toggle if (w.key or "").startswith("vp_furniture_")]
    assert t("vp.furniture.name_first", LANG) not in [c.value for c in at.caption]
    # Unlocked with the passphrase and named, the editor gets the toggles.
    at.sidebar.text_input(key="access_passphrase").input("open sesame")
    next(b for b in at.sidebar.button if b.label == t("access.unlock", LANG)).click().run()
    assert t("vp.furniture.name_first", LANG) in [c.value for c in at.caption]
    _reviewer(at)
    assert {w.key for w in at.toggle if (w.key or "").startswith("vp_furniture_")} == {
        f"vp_furniture_{b.key}" for b in BLOCKS
    }
