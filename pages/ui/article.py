"""The active article as every page shows it: its record, the model's analysis, the analyst's
review, and its entities, in the model, band and labels the sidebar selects.

`active_article()` gives the labels the sidebar's "labels shown" switch selects (the reviewed view
by default); `active_article_views()` gives the model's analysis with the article's `Review`, for
the pages that show both. Entities use the shipped alias table with the library's user aliases
(those the table accepts), which every analysis applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from analysis.errors import OpinionLensError
from analysis.format import md_escape
from analysis.library import ArticleRecord, LibraryError
from analysis.records import ArticleAnalysis
from pages.ui.cache import (
    UserAliasTuple,
    analysis_for,
    cached_entities,
    furniture_counted,
    get_library,
    reviewed_view,
    sample_id,
)
from pages.ui.state import (
    ARTICLE_KEY,
    article_reviews,
    current_band,
    current_model,
    label_view,
    last_listed,
    tr,
    ui_lang,
    user_aliases,
)

if TYPE_CHECKING:
    from analysis.entities import EntitySummary, EntityTable
    from analysis.export import Review


def record_analysis(record: ArticleRecord) -> ArticleAnalysis:
    """The analysis of a library record with the current model and band (cached)."""
    return analysis_for(
        record.text,
        current_model(),
        current_band(),
        record.title,
        record.source,
        record.published_at.isoformat() if record.published_at else None,
        furniture_counted(record.id),
    )


def sample_article_id() -> int | None:
    """Store the sample on a first run and return its id (None, with a warning, on failure)."""
    try:
        return sample_id()
    except (OpinionLensError, OSError) as exc:  # reader, model and storage errors
        st.warning(tr("dash.sample_failed", error=str(exc)))
        return None


def active_article() -> tuple[ArticleRecord, ArticleAnalysis]:
    """The article picked in the sidebar and its analysis, with the labels the sidebar's switch
    selects (reviewed by default); stops the page with a clear message when the library is empty
    or the article cannot be analysed."""
    record, analysis, review = active_article_views()
    return record, shown_analysis(analysis, review)


def active_article_views() -> tuple[ArticleRecord, ArticleAnalysis, Review | None]:
    """The active article, the model's analysis of it and its analyst review (None when nobody
    has reviewed it); stops the page like `active_article`."""
    record, analysis = _active_model_analysis()
    return record, analysis, article_review(record, analysis)


def _active_model_analysis() -> tuple[ArticleRecord, ArticleAnalysis]:
    article_id = st.session_state.get(ARTICLE_KEY)
    if article_id is None:
        st.info(tr("dash.no_article"))
        st.stop()
    try:
        record = get_library().get_article(int(article_id))
    except LibraryError as exc:
        # The database is unreachable: the record this session last listed (the sidebar says why).
        last = last_listed(int(article_id))
        if last is None:
            st.error(str(exc))
            st.stop()
        record = last
    try:
        with st.spinner(tr("dash.analysing")):
            result = record_analysis(record)
    except OpinionLensError as exc:  # analysis errors carry a clear message
        st.error(tr("dash.analysis_failed", error=str(exc)))
        st.stop()
    if result.model.note:
        st.warning(tr("dash.model_fallback", note=result.model.note), icon=":material/info:")
    _refresh_stored_summary(record, result)
    return record, result


def _refresh_stored_summary(record: ArticleRecord, result: ArticleAnalysis) -> None:
    """A record scored by an older default model gets the new model's summary (the library's NEV
    column and timeline), once, with a visible note; the per-sentence scores are already stored."""
    stamp = f"{result.model.name}@{result.model.version}"
    if current_model() != "default" or current_band() is not None or record.model in (None, stamp):
        return
    try:
        get_library().update_article(record.id, summary=result.sentiment, model=stamp)
    except LibraryError:  # read-only or unreachable library: the page still shows the new scores
        return
    st.info(tr("dash.rescored", old=record.model, new=stamp), icon=":material/update:")


# -- the analyst's review ---------------------------------------------------------------------------
def article_review(record: ArticleRecord, analysis: ArticleAnalysis) -> Review | None:
    """The article's review: its reviewed view (the model's `analysis` with the analyst's labels)
    and audit trail; None when the article has none."""
    entries = tuple(article_reviews(record.id))
    if not entries:
        return None
    from analysis.export import Review  # pandas and the writers: only for an article with a review

    return Review(reviewed_view(record.id, analysis, entries), entries)


def shown_analysis(analysis: ArticleAnalysis, review: Review | None) -> ArticleAnalysis:
    """The analysis in the view the sidebar's switch selects."""
    if review is None or label_view() == "model":
        return analysis
    return review.view.analysis


# -- entities -----------------------------------------------------------------------------------------
def aliases_in_use(*, warn: bool = True) -> tuple[UserAliasTuple, ...]:
    """The user aliases every analysis applies (the library's, less any the table refuses, which
    a warning names unless `warn` is False)."""
    from analysis.entities import valid_aliases

    kept, skipped = valid_aliases(user_aliases())
    if skipped and warn:
        st.warning(
            tr("ent.aliases_skipped", aliases=", ".join(md_escape(a) for a, _, _ in skipped)),
            icon=":material/warning:",
        )
    return kept


def entity_table(*, warn: bool = True) -> EntityTable:
    """The shipped entity table with the library's user aliases (those it accepts)."""
    from analysis.entities import default_table

    return default_table(aliases_in_use(warn=warn))


def check_alias(alias: str, canonical: str, type_: str | None) -> tuple[UserAliasTuple, str | None]:
    """A new user alias checked against the table with the aliases in use
    (`analysis.entities.check_alias`: EntityTableError with a code when it cannot be added)."""
    from analysis.entities import check_alias as check

    return check(alias, canonical, type_, aliases_in_use(warn=False))


def entities_for(analysis: ArticleAnalysis, *, warn: bool = True) -> tuple[EntitySummary, ...]:
    """The entities of an analysis (of the current model and band), most mentioned first, with
    the labels it carries (the reviewed view keeps the analyst's labels). `warn`: say which
    stored aliases the table refuses (once per page: False for a page's further articles)."""
    from analysis.entities import article_entities, default_table

    kept = aliases_in_use(warn=warn)
    try:
        with st.spinner(tr("ent.finding")):
            return cached_entities(analysis, current_model(), current_band(), kept)
    except OpinionLensError as exc:  # a clause could not be scored: every entity gets its sentence's label
        st.warning(tr("ent.clause_failed", error=str(exc)), icon=":material/info:")
        return article_entities(analysis, table=default_table(kept), clause_level=False)


def entity_name(e: EntitySummary, lang: str) -> str:
    """An entity's name in the UI language, marked when it was detected rather than known."""
    name = e.display(lang)
    return name if e.kind == "known" else f"{name} ({tr('ent.kind_short.detected')})"


def theme_labels(analysis: ArticleAnalysis) -> dict[str, str]:
    """Theme id -> name in the UI language, for the themes of this analysis."""
    from analysis.format import theme_name
    from analysis.themes import load_taxonomy

    lang = ui_lang()
    names = {th.id: theme_name(th, lang) for th in load_taxonomy()}  # also themes without sentences
    names.update({th.id: theme_name(th, lang) for th in analysis.themes})
    return names
