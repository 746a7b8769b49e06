"""Session state: the keys pages share, what this session chose (UI language, model, band, which
labels to show) and what it last read from the library (kept while the database is down).

Sticky widgets: on a fresh server the entry point's first run gets other widget IDs than later
runs (Streamlit's legacy pages/ start), so a widget's own state can be lost once. Each sidebar
widget therefore keeps its value under a second key too, written by its `on_change` callback
(`remember`), which still sees the click.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

from analysis.i18n import UI_LANGS, UiLang, t
from analysis.library import ArticleRecord, LibraryError
from pages.ui.cache import UserAliasTuple, get_library

# Session-state keys shared between the frame and the pages.
UI_LANG_KEY = "ui_lang"
LAST_UI_LANG_KEY = "_ui_lang_last"  # survives a widget-ID change of the switch (see above)
ARTICLE_KEY = "article_id"
MODEL_KEY = "model"
BAND_KEY = "band"
BAND_DEFAULT_KEY = "_band_default"  # the calibrated band the slider started from
PENDING_ARTICLE_KEY = "_pending_article_id"  # an article to make active, applied before the picker
INTRO_DISMISSED_KEY = "_intro_dismissed"
VIEW_KEY = "label_view"  # the sidebar switch: which labels the pages show, "reviewed" or "model"
LAST_VIEW_KEY = "_label_view_last"  # the switch's value, kept as the language's is
REVIEW_EDITOR_KEY = "_review_editor"  # the reviewer's name typed once per session (never a secret)
LAST_REVIEWS_KEY = "_reviews_last"  # article id -> its audit trail as this session last read it
LAST_ALIASES_KEY = "_entity_aliases_last"  # the user aliases this session last read
ENTITY_FILTER_PENDING_KEY = "_vp_entities_pending"  # entities for Viewpoints' filter, set elsewhere
LIBRARY_DOWN_KEY = "_library_down"  # why the last library read failed (absent while it works)
LAST_ARTICLES_KEY = "_library_last_articles"  # the article list this session last read
VIEWS = ("reviewed", "model")


# -- sticky widgets ----------------------------------------------------------------------------------
def remember(widget_key: str, last_key: str, allowed: Collection[object] | None = None) -> Callable[[], None]:
    """An `on_change` callback that copies the widget's value to `last_key` (only a value in
    `allowed`, when given). Call it once before drawing the widget to keep the current value too."""

    def keep() -> None:
        value = st.session_state.get(widget_key)
        if allowed is None or value in allowed:
            st.session_state[last_key] = value

    return keep


def _sticky(widget_key: str, last_key: str, allowed: Collection[str], default: str) -> str:
    """The widget's value, else the one its callback kept, else `default` (only values in `allowed`)."""
    for value in (st.session_state.get(widget_key), st.session_state.get(last_key)):
        if isinstance(value, str) and value in allowed:
            return value
    return default


# -- language ---------------------------------------------------------------------------------------
def ui_lang() -> UiLang:
    """The UI language chosen in the sidebar ("zh" by default)."""
    return "en" if _sticky(UI_LANG_KEY, LAST_UI_LANG_KEY, UI_LANGS, "zh") == "en" else "zh"


def tr(key: str, **fields: Any) -> str:
    """`t(key)` in the current UI language."""
    return t(key, ui_lang(), **fields)


def label_name(label: str | None) -> str:
    return tr(f"label.{label}") if label else tr("label.unscored")


_TIERS_DISAGREE = re.compile(r"^tiers disagree \(fast: (\w+)\)$")


def uncertain_text(reasons: Any) -> str:
    """A sentence's reasons for doubt (analysis.sentiment.uncertainty, written in English) in the
    UI language; an unknown reason is shown as written."""
    shown = []
    for reason in reasons:
        if m := _TIERS_DISAGREE.match(reason):
            shown.append(tr("uncertain.disagree", label=label_name(m.group(1))))
        elif reason == "near a band edge":
            shown.append(tr("uncertain.edge"))
        else:
            shown.append(reason)
    return "; ".join(shown)


# -- model, band and labels --------------------------------------------------------------------------
def current_model() -> str:
    return st.session_state.get(MODEL_KEY) or "default"


def current_band() -> tuple[float, float] | None:
    """The band the user set, or None when it is the model's calibrated one."""
    band = st.session_state.get(BAND_KEY)
    default = st.session_state.get(BAND_DEFAULT_KEY)
    if band is None or (default is not None and tuple(band) == tuple(default)):
        return None
    return (float(band[0]), float(band[1]))


def label_view() -> str:
    """Which labels the pages show: "reviewed" (the analyst's where set; the default) or "model"."""
    return _sticky(VIEW_KEY, LAST_VIEW_KEY, VIEWS, "reviewed")


# -- what this session last read (the library may be down) ------------------------------------------
def list_articles_or_last() -> tuple[list[ArticleRecord], str | None]:
    """The library's articles, or, while its database cannot be reached, the list this session
    last read together with the reason. Every run tries the database again, so the app recovers
    by itself when it is back; meanwhile `editing_allowed()` is False (nothing can be saved)."""
    try:
        records = get_library().list_articles()
    except LibraryError as exc:
        st.session_state[LIBRARY_DOWN_KEY] = str(exc)
        return list(st.session_state.get(LAST_ARTICLES_KEY, [])), str(exc)
    st.session_state.pop(LIBRARY_DOWN_KEY, None)
    st.session_state[LAST_ARTICLES_KEY] = records
    return records, None


def library_down() -> str | None:
    """The reason the library could not be read on this run, or None while it works."""
    return st.session_state.get(LIBRARY_DOWN_KEY)


def last_listed(article_id: int) -> ArticleRecord | None:
    """The article as this session last listed it (None when it did not)."""
    return {r.id: r for r in st.session_state.get(LAST_ARTICLES_KEY, [])}.get(article_id)


def article_reviews(article_id: int) -> list[Any]:
    """The article's audit trail (`ReviewEntry`, oldest first). While the database cannot be
    reached, the trail this session last read, so the figures on screen stay what they were."""
    from analysis.review import list_reviews

    try:
        entries = list_reviews(get_library(), "article", article_id)
    except LibraryError:
        return list(st.session_state.get(LAST_REVIEWS_KEY, {}).get(article_id, []))
    st.session_state.setdefault(LAST_REVIEWS_KEY, {})[article_id] = entries
    return entries


def user_aliases() -> tuple[UserAliasTuple, ...]:
    """The library's user aliases as (alias, canonical, type), oldest first; while the database
    cannot be reached, the ones this session last read."""
    try:
        records = get_library().list_entity_aliases()
    except LibraryError:
        return tuple(st.session_state.get(LAST_ALIASES_KEY, ()))
    aliases = tuple(r.as_alias() for r in records)
    st.session_state[LAST_ALIASES_KEY] = aliases
    return aliases
