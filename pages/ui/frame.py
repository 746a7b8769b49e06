"""The app's frame: what every page shares (page config, UI language, the active article, model
and neutral band, which labels to show, downloads, who may edit) in the sidebar, and the
navigation to the pages.

The navigation is the app's own: links (st.page_link) at the top of the sidebar, in the container
with key `app_nav`, drawn before anything slow; Streamlit's menu is off (.streamlit/config.toml,
issue 22).

Sidebar widget keys: `ui_lang`, `article_id`, `model`, `band`, `band_reset`, `label_view` (the
labels the pages show: "reviewed", the analyst's where set, or "model"), `download_csv`,
`download_xlsx`, `download_json`, and the access controls of pages.ui.access.editing_controls.

`dashboard.py` (the entry point) and every page's `page_shell()` both draw it from here, so the
entry point is imported by nothing and nothing imports back into it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from analysis.errors import OpinionLensError
from analysis.format import article_label
from analysis.library import ArticleRecord
from analysis.sentiment import SUITES, SentimentError
from pages.ui.access import editing_controls
from pages.ui.article import article_review, record_analysis, sample_article_id
from pages.ui.cache import calibrated_band
from pages.ui.state import (
    ARTICLE_KEY,
    BAND_DEFAULT_KEY,
    BAND_KEY,
    LAST_UI_LANG_KEY,
    LAST_VIEW_KEY,
    MODEL_KEY,
    PENDING_ARTICLE_KEY,
    UI_LANG_KEY,
    UI_LANGS,
    VIEW_KEY,
    VIEWS,
    label_view,
    library_down,
    list_articles_or_last,
    remember,
    tr,
)
from pages.ui.warm import page_drawn, start_warm_up
from pages.ui.widgets import export_buttons

_frame = threading.local()  # one script run per thread: is run() drawing this run?


@contextmanager
def shell_running() -> Iterator[None]:
    """Marks that the entry point is drawing this run (run() wraps itself in this)."""
    _frame.active = True
    try:
        yield
    finally:
        _frame.active = False


def page_shell() -> None:
    """Call first in every page. Streamlit falls back to its legacy pages/ mechanism when a page
    is the first thing a fresh server (or AppTest) runs, executing the page alone, without the
    sidebar of the entry point. Then draw the whole app through run() (which registers
    st.navigation, so later runs are normal) and stop this outer, frameless run."""
    if getattr(_frame, "active", False):
        return
    run()
    st.stop()


PAGES_DIR = Path(__file__).resolve().parents[1]  # pages/, where the page scripts are


def _language_switch() -> None:
    # A sticky widget (pages.ui.state): the language lives in LAST_UI_LANG_KEY too.
    remember_language = remember(UI_LANG_KEY, LAST_UI_LANG_KEY, UI_LANGS)
    remember_language()
    st.segmented_control(
        "UI language / 界面语言",
        options=list(UI_LANGS),
        default=st.session_state.get(LAST_UI_LANG_KEY, "zh"),
        required=True,
        format_func=lambda x: {"zh": "中文", "en": "English"}[x],
        key=UI_LANG_KEY,
        on_change=remember_language,
        label_visibility="collapsed",
        selection_mode="single",
    )


def _article_picker() -> ArticleRecord | None:
    # A database that cannot be reached (or opened at all) is said in one line; the session keeps
    # working read-only from the list it last read, and every run tries again.
    sample_id = sample_article_id() if library_down() is None else None
    records, down = list_articles_or_last()
    if down is not None and not records:  # nothing to fall back on: the reason is the page
        st.error(down)
        return None
    if down is not None:
        st.warning(tr("dash.library_down", error=down), icon=":material/cloud_off:")
    if not records:
        st.caption(tr("dash.library_empty"))
        return None
    ids = [r.id for r in records]
    by_id = {r.id: r for r in records}
    pending = st.session_state.pop(PENDING_ARTICLE_KEY, None)
    if pending in by_id:
        st.session_state[ARTICLE_KEY] = pending
    elif st.session_state.get(ARTICLE_KEY) not in by_id:  # first run, or the article was deleted
        st.session_state[ARTICLE_KEY] = sample_id if sample_id in by_id else ids[0]

    # Sticky as the language switch is: a new session's first run can give the picker another
    # widget ID than later runs, which would drop the first pick; the callback still sees it.
    remember_pick = remember(ARTICLE_KEY, PENDING_ARTICLE_KEY)
    chosen = st.selectbox(
        tr("dash.article"),
        options=ids,
        format_func=lambda i: article_label(by_id[i]),
        key=ARTICLE_KEY,
        help=tr("dash.article_help"),
        on_change=remember_pick,
    )
    return by_id.get(chosen)


def _model_and_band(record: ArticleRecord | None) -> None:
    def reset_band() -> None:
        st.session_state.pop(BAND_KEY, None)
        st.session_state.pop(BAND_DEFAULT_KEY, None)

    if st.session_state.get(MODEL_KEY) not in SUITES:
        st.session_state[MODEL_KEY] = "default"
    model = st.selectbox(
        tr("dash.model"),
        options=list(SUITES),
        # Names computed now: AppTest calls format_func outside the session (no UI language there).
        format_func={
            name: tr(f"dash.model.{name}")
            if name in ("default", "accurate", "fast", "snownlp", "vader")
            else name
            for name in SUITES
        }.__getitem__,
        key=MODEL_KEY,
        on_change=reset_band,
        help=tr("dash.model_help"),
    )
    lang = (record.language if record else None) or "zh"
    try:
        default = calibrated_band(model, lang)
    except SentimentError as exc:  # e.g. a model's files are missing: say so, don't show a traceback
        st.error(tr("dash.model_failed", model=model, error=str(exc)))
        st.stop()
    previous_default = st.session_state.get(BAND_DEFAULT_KEY)
    # Follow the calibrated band unless the user has moved the slider away from it.
    if BAND_KEY not in st.session_state or (
        previous_default is not None and tuple(st.session_state[BAND_KEY]) == tuple(previous_default)
    ):
        st.session_state[BAND_KEY] = default
    st.session_state[BAND_DEFAULT_KEY] = default
    st.slider(
        tr("dash.band"),
        min_value=-1.0,
        max_value=1.0,
        step=0.01,
        key=BAND_KEY,
        help=tr("dash.band_help", lo=default[0], hi=default[1]),
    )
    if tuple(st.session_state[BAND_KEY]) != tuple(default):
        st.button(tr("dash.band_reset"), key="band_reset", on_click=reset_band, icon=":material/restart_alt:")


def _label_view_switch(reviewed: int, n: int) -> None:
    """Model or reviewed labels on every page; says how many sentences an analyst labelled."""

    # Kept in LAST_VIEW_KEY too, as the language is (see _language_switch).
    remember_view = remember(VIEW_KEY, LAST_VIEW_KEY, VIEWS)
    remember_view()
    st.segmented_control(
        tr("rv.view"),
        options=list(VIEWS),
        default=label_view(),
        required=True,
        format_func={x: tr(f"rv.view.{x}") for x in VIEWS}.__getitem__,
        key=VIEW_KEY,
        on_change=remember_view,
        selection_mode="single",
        help=tr("rv.view_help"),
    )
    if reviewed:
        st.caption(tr("rv.k_of_n", k=reviewed, n=n))


def _downloads(record: ArticleRecord | None) -> None:
    """The labels switch and the downloads of the active article's analysis (with its analyst
    review: both labels per row and the audit trail), on every page."""
    if record is None:
        return
    try:
        analysis = record_analysis(record)  # cached: the page reads the same object
    except OpinionLensError:  # the page says what went wrong
        return
    review = article_review(record, analysis)  # cached per latest review
    _label_view_switch(review.view.reviewed if review else 0, len(analysis.sentences))
    st.markdown(f"**{tr('dash.export')}**")
    export_buttons(analysis, review)


NAV_KEY = "app_nav"  # the sidebar container of the navigation links (class st-key-app_nav)


def _sections() -> dict[str, list[st.Page]]:
    """The app's pages by sidebar section, in menu order, titled in the UI language."""

    def page(name: str, key: str, icon: str, default: bool = False) -> st.Page:
        return st.Page(PAGES_DIR / f"{name}.py", title=tr(key), icon=icon, default=default)

    sections: dict[str, list[st.Page]] = {
        tr("nav.section.article"): [
            page("overview", "nav.overview", ":material/dashboard:", default=True),
            page("viewpoints", "nav.viewpoints", ":material/format_list_bulleted:"),
            page("themes", "nav.themes", ":material/category:"),
            page("timeline", "nav.timeline", ":material/timeline:"),
        ],
        tr("nav.section.posts"): [page("posts", "nav.posts", ":material/forum:")],
        tr("nav.section.library"): [
            page("library", "nav.library", ":material/library_books:"),
            page("compare", "nav.compare", ":material/compare_arrows:"),
        ],
        tr("nav.section.method"): [page("method", "nav.method", ":material/science:")],
    }
    return sections


def _navigation() -> StreamlitPage:
    """Register the pages and pick the one to run; the sidebar links are the app's own (_nav_links).

    Streamlit's navigation menu is off (`client.showSidebarNavigation = false` in
    .streamlit/config.toml): with a `pages/` folder beside the entry point, a fresh server's first
    run lists every file of that folder (common, frame, ...) as a page until this call replaces
    the list, and the menu would show that list. With the menu off nothing shows it; the app draws
    its links itself, first thing in the sidebar, before the slow parts of the frame."""
    sections = _sections()
    page = st.navigation(sections, position="hidden")
    _nav_links(sections)
    return page


def _nav_links(sections: dict[str, list[st.Page]]) -> None:
    """The navigation in the sidebar: a caption per section and a link per page (the link of the
    page on show is highlighted by Streamlit)."""
    with st.sidebar, st.container(key=NAV_KEY, gap="small"):
        for header, pages in sections.items():
            with st.container(gap="xsmall"):
                st.caption(header)
                for page in pages:
                    st.page_link(page, width="stretch")
        st.divider()


def _warm_note(slot: DeltaGenerator) -> None:
    """While the process is still preparing the sample and the models (pages.ui.warm), say what
    and how far, in the sidebar (filled at the end of the run, so it says where the warm-up is
    now); a step that failed is named (its page says why)."""
    warm = start_warm_up()
    if warm is None:
        return
    progress = warm.progress()
    lines = []
    if progress.failed:
        lines.append(tr("warm.failed", steps=", ".join(tr(f"warm.step.{key}") for key in progress.failed)))
    if not progress.finished:
        step = tr(f"warm.step.{progress.current}") if progress.current else "…"
        lines.append(tr("warm.preparing", done=progress.done, total=progress.total, step=step))
    if lines:
        with slot.container():
            for line in lines:
                st.caption(line)


PREFETCHED_KEY = "_charts_prefetched"


def _prefetch_charts() -> None:
    """On a session's first run, an empty chart and an empty table before anything slow: the
    browser asks for Streamlit's chart code (Plotly, about 4.7 MB to fetch and compile) when the
    first chart arrives, which would otherwise be after the sidebar's work, and then draws nothing
    until it has compiled it. Sent first, they load while the server computes; the frame removes
    them before the page draws (issue 20: 1.5 to 2 s of a new visitor's first load)."""
    # pandas fully imported before any figure is serialised: Plotly looks pandas up in sys.modules
    # without the import lock, and on a fresh server another session may be half-way through
    # importing it (8 sessions at once raised "partially initialized module 'pandas' has no
    # attribute 'Series'" in the cold load test). An import statement waits for that import.
    import pandas  # noqa: F401

    if st.session_state.get(PREFETCHED_KEY):
        return
    st.session_state[PREFETCHED_KEY] = True
    import plotly.graph_objects as go

    empty = go.Figure(layout={"height": 10, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}})
    empty.update_xaxes(visible=False)
    empty.update_yaxes(visible=False)
    st.plotly_chart(empty, config={"displayModeBar": False, "staticPlot": True}, key="chart_prefetch")
    # The same for the table grid's code (about 1.2 MB), which the Overview's tables need.
    st.dataframe({"": [""]}, height=35, hide_index=True, key="table_prefetch")


def run() -> None:
    """Draw the shared frame and run the chosen page inside it.

    The navigation comes first: its links are on screen while the rest of the sidebar is still
    being built (on a fresh server that is the sample's analysis, prepared by the warm-up), and a
    click on one of them interrupts this run and opens that page."""
    with shell_running():
        st.set_page_config(page_title="Opinion Lens 舆情透镜", page_icon=":material/insights:", layout="wide")
        page = _navigation()
        first_page = st.empty()
        with first_page.container():
            preparing = st.empty()
            # Before the warm-up starts: on a fresh server this run then has the interpreter to
            # itself while it imports what the chart code needs, and the browser starts fetching
            # that code half a second sooner.
            _prefetch_charts()
        warm = start_warm_up()  # the first run of a fresh server starts it; later runs just look
        # While the sample is still being prepared, the page area says so instead of staying blank.
        if warm is not None and warm.progress().done == 0:
            preparing.info(
                tr("warm.first_page", done=0, total=warm.progress().total), icon=":material/hourglass_top:"
            )
        with st.sidebar:
            _language_switch()
            st.markdown(f"### {tr('app.title')}")
            st.caption(tr("app.tagline"))
            warm_slot = st.empty()
            record = _article_picker()
            with st.expander(tr("dash.settings"), expanded=False, icon=":material/tune:"):
                _model_and_band(record)
            _downloads(record)
            editing_controls()
        first_page.empty()
        try:
            page.run()
        finally:  # drawn, stopped or rerun: this run no longer needs the interpreter to itself
            page_drawn()
            _warm_note(warm_slot)
