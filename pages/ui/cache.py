"""Every Streamlit cache of the app: the pure `analysis` package wrapped once per process.

Models load once per process (`st.cache_resource`); an analysis is cached by its inputs
(`st.cache_data`: the text, hashed by Streamlit, plus model, band and metadata). Nothing here
reads session state: callers pass what a cache is keyed by (pages.ui.state knows the session's
choices). Tests empty these caches around each test (tests/dashboard_fixtures.py).
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from analysis.emotion.models import Tier
from analysis.library import Library, LibraryError, configured_db_url
from analysis.records import ArticleAnalysis, Evidence
from analysis.sentiment import Scorer, SentimentError, Thresholds

if TYPE_CHECKING:
    from analysis.access import UnlockThrottle
    from analysis.entities import EntitySummary
    from analysis.review import ReviewedAnalysis, ReviewEntry

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PATH = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
UserAliasTuple = tuple[str, str, str]  # (alias, canonical name, type), as the library stores them


# -- the library -------------------------------------------------------------------------------------
def streamlit_secrets() -> dict[str, Any] | None:
    """The app's secrets (st.secrets) as a dict; None without a secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file, or unreadable: only the environment counts
        return None


def library_url() -> str | None:
    """The configured library (analysis.library.configured_db_url; None: the default one)."""
    return configured_db_url(streamlit_secrets())


@st.cache_resource(show_spinner=False)
def _library_for(url: str | None) -> Library:
    return Library(url)


def get_library() -> Library:
    """The library for this process (cached per configured URL, so tests can point it elsewhere)."""
    return _library_for(library_url())


@st.cache_resource(show_spinner=False)
def _sample_id_for(url: str | None) -> int:
    # Once per process and library: reading and analysing the sample is the slowest part of a
    # first page load. If the sample is deleted later, the picker falls back to another article.
    from analysis.intake import ensure_sample

    return ensure_sample(_library_for(url), SAMPLE_PATH).id


def sample_id() -> int:
    """The sample article's id, stored on the first call (raises what storing it raises)."""
    return _sample_id_for(library_url())


@st.cache_resource(show_spinner=False)
def unlock_throttle() -> UnlockThrottle:
    """One per process: failed passphrases from every session slow the next attempt."""
    from analysis.access import UnlockThrottle

    return UnlockThrottle()


# -- models and analyses -----------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def get_scorer(model: str, band: tuple[float, float] | None) -> Scorer:
    """One Scorer per (model, band) for articles (`default` = the accurate tier); its models load
    once per process behind it, and the library stores the accurate tier's sentence scores, so a
    sentence is embedded once across sessions and restarts."""
    return Scorer(model, Thresholds(*band) if band else None, workload="article", store=_LibraryStore())


class _LibraryStore:
    """The current library as the Scorer's score store (looked up per call: the configured
    database can change, e.g. between tests, while the cached Scorer lives on). Stored scores are
    a cache: with the database unreachable, sentences are scored again and nothing is kept."""

    def get_sentence_scores(self, model_key: str, text_hashes: Any) -> dict[str, float]:
        try:
            return get_library().get_sentence_scores(model_key, text_hashes)
        except LibraryError:
            return {}

    def put_sentence_scores(self, model_key: str, scores: dict[str, float]) -> None:
        with contextlib.suppress(LibraryError):
            get_library().put_sentence_scores(model_key, scores)


def calibrated_band(model: str, lang: str) -> tuple[float, float]:
    """The model's calibrated neutral band for a language (zh when the language is mixed/other)."""
    scorer = get_scorer(model, None)
    # A suite without a model for the language uses its Chinese band.
    th = scorer.thresholds_for(lang if lang in ("zh", "en") else "zh") or scorer.thresholds_for("zh")
    if th is None:
        raise SentimentError(f"the model {model!r} has no neutral band for Chinese or {lang!r}")
    return (th.negative_below, th.positive_above)


@st.cache_data(show_spinner=False, max_entries=4096)
def sentence_evidence(text: str, model: str) -> tuple[Evidence, ...]:
    """Evidence of one sentence from the model that scored it (occlusion for the accurate tier:
    one encoder pass per word, so computed only for the sentences a user opens)."""
    return get_scorer(model, None).explain(text)


def emotion_tier(analysis: ArticleAnalysis) -> Tier:
    """The emotion tier that read an analysis (the accurate one unless it fell back or the
    sentiment model was the fast one)."""
    return "accurate" if any("accurate" in c for c in analysis.model.emotion_components.values()) else "fast"


@st.cache_data(show_spinner=False, max_entries=4096)
def emotion_evidence(text: str, emotion: str, tier: Tier) -> tuple[Evidence, ...]:
    """The words behind one sentence's emotion, by occlusion (computed for opened sentences only)."""
    from analysis.emotion import EmotionReader

    return EmotionReader(tier).explain(text, emotion)


@st.cache_data(show_spinner=False, max_entries=128)
def analysis_for(
    text: str,
    model: str,
    band_tuple: tuple[float, float] | None,
    title: str | None,
    source: str | None,
    published_at_iso: str | None,
    count_in: tuple[str, ...] = (),
) -> ArticleAnalysis:
    """The analysis of one text with the chosen model and band (None = the calibrated band);
    `count_in`: the page-furniture blocks an editor counted back in."""
    published_at = datetime.fromisoformat(published_at_iso) if published_at_iso else None
    if model == "default" and band_tuple is None and not count_in:
        # The sample on a fresh server: its shipped analysis, while it is what the pipeline gives.
        from analysis.intake import ready_analysis

        ready = ready_analysis(text, title=title, source=source, published_at=published_at)
        if ready is not None:
            return ready
    from analysis.pipeline import analyze_text  # lazy: pulls in jieba and the models

    return analyze_text(
        text,
        title=title,
        source=source,
        published_at=published_at,
        scorer=get_scorer(model, band_tuple),
        count_in=count_in,
    )


def furniture_counted(article_id: int) -> tuple[str, ...]:
    """The furniture blocks an editor counted back in for this article (none when the library
    cannot be read: the page then shows the default, and says why in the sidebar)."""
    try:
        return tuple(sorted(get_library().furniture_counted(article_id)))
    except LibraryError:
        return ()


# -- the reviewed view --------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=256)
def _reviewed_view(
    _analysis: ArticleAnalysis,
    _entries: tuple[ReviewEntry, ...],
    article_id: int,
    input_sha256: str,
    model: str,
    thresholds: tuple[tuple[str, float], ...],
    trail: str,
) -> ReviewedAnalysis:
    # Keyed by what determines the result: the text, the model and band that labelled it, and a
    # digest of the audit trail (so another database's trail with the same ids never matches).
    # The result is immutable, so one object serves every session.
    from analysis.review import apply_reviews

    return apply_reviews(_analysis, _entries)


def reviewed_view(
    article_id: int, analysis: ArticleAnalysis, entries: tuple[ReviewEntry, ...]
) -> ReviewedAnalysis:
    """The model's `analysis` with the analyst's labels of `entries` (cached per text, model,
    band and audit trail, so switching pages stays fast)."""
    parts = (f"{e.id}:{e.text_sha256}:{e.label}:{e.created_at.isoformat()}" for e in entries)
    return _reviewed_view(
        analysis,
        entries,
        article_id,
        analysis.input_sha256,
        f"{analysis.model.name}@{analysis.model.version}",
        tuple(sorted(analysis.model.thresholds.items())),
        hashlib.sha256("|".join(parts).encode()).hexdigest(),
    )


# -- entities -----------------------------------------------------------------------------------------
def _entity_digest(analysis: ArticleAnalysis) -> str:
    """What an analysis' entities depend on besides the table: its sentences with their labels
    (a review changes them), the model and the band that labelled them."""
    h = hashlib.sha256(analysis.input_sha256.encode())
    h.update(f"{analysis.model.name}@{analysis.model.version}".encode())
    h.update(repr(sorted(analysis.model.thresholds.items())).encode())
    for s in analysis.sentences:
        h.update(f"\x1e{s.position}\x1f{s.label}\x1f{s.reviewed}\x1f{s.text}".encode())
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_entities(
    _analysis: ArticleAnalysis,
    digest: str,
    model: str,
    band: tuple[float, float] | None,
    aliases: tuple[UserAliasTuple, ...],
) -> tuple[EntitySummary, ...]:
    # Keyed by the digest of the analysis (text, labels, model), the Scorer's model and band and
    # the user aliases. Clauses are scored by the Scorer that scored the sentences.
    from analysis.entities import article_entities, default_table

    return article_entities(_analysis, table=default_table(aliases), scorer=get_scorer(model, band))


def cached_entities(
    analysis: ArticleAnalysis,
    model: str,
    band: tuple[float, float] | None,
    aliases: tuple[UserAliasTuple, ...],
) -> tuple[EntitySummary, ...]:
    """The entities of an analysis with clause-level labels from the (model, band) Scorer and the
    table with `aliases`; raises OpinionLensError when a clause cannot be scored."""
    return _cached_entities(analysis, _entity_digest(analysis), model, band, aliases)
