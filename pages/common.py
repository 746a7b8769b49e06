"""Shared Streamlit glue for every page: library, models, cached analyses, UI language, exports.

The only place that wraps the pure `analysis` package in Streamlit caches (ARCHITECTURE.md):
models load once per process (`st.cache_resource`), an analysis is cached by its inputs
(`st.cache_data`: the text, hashed by Streamlit, plus model, band and metadata).

Names other pages import (keep them stable): get_library, ui_lang, tr, get_scorer, analysis_for,
active_article, export_buttons, first_run_note, band_caption, label_name.

Entities (issue 13): `entities_for(analysis)` gives the article's entities for the labels on
screen (`analysis.entities.article_entities`, cached per text, model, band, labels and user
aliases; clause scoring reuses the page's Scorer and its stored scores); `entity_table()` is the
shipped alias table with the library's user aliases (`user_aliases()`), which every analysis uses.
The downloads carry the entities of the analysis the rows show.

Analyst review (issue 12): `active_article()` returns the labels the sidebar's "labels shown"
switch selects (`label_view()`: the reviewed view by default, or the model's);
`active_article_views()` gives the model's analysis together with the article's `Review` (its
reviewed view and audit trail) for the pages that show both (Overview, Viewpoints) and for the
exports. `review_editor()` names who is reviewing.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from analysis.errors import OpinionLensError
from analysis.format import evidence_string
from analysis.i18n import t
from analysis.library import DB_URL_ENV, ArticleRecord, Library, LibraryError
from analysis.model import ArticleAnalysis, Evidence
from analysis.sentiment import Scorer, Thresholds

if TYPE_CHECKING:
    from analysis.entities import EntitySummary, EntityTable
    from analysis.export import Review
    from analysis.review import ReviewedAnalysis, ReviewEntry

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"

# Session-state keys shared between the entry point and the pages.
UI_LANG_KEY = "ui_lang"
LAST_UI_LANG_KEY = "_ui_lang_last"  # survives a widget-ID change of the switch (dashboard.py)
ARTICLE_KEY = "article_id"
MODEL_KEY = "model"
BAND_KEY = "band"
PENDING_ARTICLE_KEY = "_pending_article_id"  # an article to make active, applied before the picker
INTRO_DISMISSED_KEY = "_intro_dismissed"
VIEW_KEY = "label_view"  # the sidebar switch: which labels the pages show, "reviewed" or "model"
LAST_VIEW_KEY = "_label_view_last"  # the switch's value, kept as the language's is (frame.py)
REVIEW_EDITOR_KEY = "_review_editor"  # the reviewer's name typed once per session (never a secret)
LAST_REVIEWS_KEY = "_reviews_last"  # article id -> its audit trail as this session last read it
LAST_ALIASES_KEY = "_entity_aliases_last"  # the user aliases this session last read
ENTITY_FILTER_PENDING_KEY = "_vp_entities_pending"  # entities for Viewpoints' filter, set elsewhere


# -- library -----------------------------------------------------------------------------------------
def _configured_db_url() -> str | None:
    """$OPINION_LENS_DB_URL, else st.secrets["database"]["url"] when present, else None (default)."""
    url = os.environ.get(DB_URL_ENV, "").strip()
    if url:
        return url
    try:
        return str(st.secrets["database"]["url"]).strip() or None
    except Exception:  # no secrets file, no [database] table, or unreadable: the default library
        return None


@st.cache_resource(show_spinner=False)
def _library_for(url: str | None) -> Library:
    return Library(url)


def get_library() -> Library:
    """The library for this process (cached per configured URL, so tests can point it elsewhere)."""
    return _library_for(_configured_db_url())


LIBRARY_DOWN_KEY = "_library_down"  # why the last library read failed (absent while it works)
LAST_ARTICLES_KEY = "_library_last_articles"  # the article list this session last read


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


# -- who may change the library ----------------------------------------------------------------------
EDITOR_UNLOCKED_KEY = (
    "_editing_unlocked"  # True once this session entered the passphrase (never the passphrase)
)


def _secrets() -> Any:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file: only the environment counts
        return None


def _access_policy() -> Any:
    from analysis.access import access_policy

    return access_policy(os.environ, _secrets())


def _edit_passphrase() -> str | None:
    return _access_policy().passphrase


def _signed_in_email() -> tuple[bool, str | None]:
    """(signed in?, email) from Streamlit's OIDC sign-in; (False, None) without it."""
    try:
        user = st.user
        signed_in = bool(user.get("is_logged_in", False))
        email = user.get("email") if signed_in else None
    except Exception:  # no auth configured or an old runtime: nobody is signed in
        return False, None
    return signed_in, str(email) if email else None


def _access_verdict() -> str:
    signed_in, email = _signed_in_email()
    return _access_policy().verdict(
        signed_in=signed_in, email=email, unlocked=st.session_state.get(EDITOR_UNLOCKED_KEY) is True
    )


def editor_identity() -> str | None:
    """Who is editing, for the audit trail: the signed-in email, else None (the review page asks
    for a name once per session)."""
    return _signed_in_email()[1]


@st.cache_resource(show_spinner=False)
def _unlock_throttle() -> Any:
    from analysis.access import UnlockThrottle

    return UnlockThrottle()  # one per process: failures from every session slow the next attempt


def editing_allowed() -> bool:
    """May this session upload, edit or delete? Always on a local install; on a shared one only
    past every configured gate (sign-in and allow-list, passphrase)."""
    return library_down() is None and _access_verdict() in ("open", "editor")


def editing_controls() -> None:
    """Sidebar: who may edit, and the one control that opens the next gate (sign in, unlock with
    the passphrase) or closes it again (sign out, lock). Nothing on a local install."""
    policy = _access_policy()
    if policy.open:
        return
    verdict = _access_verdict()
    signed_in, email = _signed_in_email()
    if policy.sign_in and signed_in:
        st.caption(tr("access.signed_in", email=email or "?"))
        if st.button(tr("access.sign_out"), key="access_sign_out", icon=":material/logout:"):
            st.logout()
    if verdict == "sign_in":
        st.caption(tr("access.read_only_sign_in"))
        if st.button(tr("access.sign_in"), key="access_sign_in", icon=":material/login:"):
            st.login()
        return
    if verdict == "not_editor":
        st.warning(tr("access.not_editor", email=email or "?"))
        return
    if policy.passphrase is None:
        return
    if verdict == "editor":
        st.caption(tr("access.unlocked"))
        if st.button(tr("access.lock"), key="access_lock", icon=":material/lock:"):
            st.session_state.pop(EDITOR_UNLOCKED_KEY, None)
            st.rerun()
        return
    st.caption(tr("access.read_only"))
    with st.form("access_unlock_form", clear_on_submit=True, border=False):
        st.text_input(tr("access.passphrase"), type="password", key=PASSPHRASE_FIELD)
        st.form_submit_button(tr("access.unlock"), icon=":material/lock_open:", on_click=_try_unlock)
    if st.session_state.pop(UNLOCK_FAILED_KEY, False):
        st.error(tr("access.wrong"))


PASSPHRASE_FIELD = "access_passphrase"
UNLOCK_FAILED_KEY = "_access_unlock_failed"


def _try_unlock() -> None:
    """Form callback: check the typed passphrase, then blank the field at once, so the passphrase
    never stays in session state (only whether this session unlocked)."""
    given = str(st.session_state.get(PASSPHRASE_FIELD) or "")
    st.session_state[PASSPHRASE_FIELD] = ""
    expected = _edit_passphrase()
    if expected is not None and _unlock_throttle().check(given, expected):
        st.session_state[EDITOR_UNLOCKED_KEY] = True
    else:
        st.session_state[UNLOCK_FAILED_KEY] = True


# -- language ---------------------------------------------------------------------------------------
def ui_lang() -> str:
    """The UI language chosen in the sidebar ("zh" by default)."""
    lang = st.session_state.get(UI_LANG_KEY)
    if lang not in ("zh", "en"):
        lang = st.session_state.get(LAST_UI_LANG_KEY, "zh")
    return lang if lang in ("zh", "en") else "zh"


def tr(key: str, **fields: Any) -> str:
    """`t(key)` in the current UI language."""
    return t(key, ui_lang(), **fields)


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


def label_name(label: str | None) -> str:
    return tr(f"label.{label}") if label else tr("label.unscored")


def md_escape(text: str | None) -> str:
    """Article text shown through st.markdown: escape Markdown so it shows as written (Streamlit
    never renders raw HTML here; this stops links, emphasis and headings from the article)."""
    if not text:
        return ""
    out = []
    for ch in text:
        if ch in "\\`*_{}[]()#+-.!|<>~$":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


# -- messages ---------------------------------------------------------------------------------------
def error_text(
    exc: OpinionLensError | str,
    prefix: str,
    *,
    codes: Collection[str] | None = None,
    fallback: str | None = None,
    **fields: Any,
) -> str:
    """An error in the UI language: the string `{prefix}.{code}` filled with the error's own fields,
    `error` (its message as written) and `fields` (defaults for what the error does not carry). A
    code outside `codes` (or without a string) takes the `fallback` code's string, else the error's
    own message. `exc` may be a bare code."""
    code = exc if isinstance(exc, str) else exc.code
    values: dict[str, Any] = {**fields, "error": str(exc)}  # the error's own fields win over defaults
    if not isinstance(exc, str):
        values.update({k: v for k, v in exc.fields.items() if isinstance(v, str | int | float)})
    for candidate in (code if codes is None or code in codes else None, fallback):
        if candidate is None:
            continue
        try:
            return tr(f"{prefix}.{candidate}", **values)
        except (KeyError, IndexError):  # no such string, or one that needs a field we lack
            continue
    return str(exc)


def flash(key: str, kind: str, text: str) -> None:
    """Say `text` on the next run, once (an action's outcome from a button callback); `kind` is
    "success" or "error". `show_flash(key)` shows it where the page wants it."""
    st.session_state[key] = (kind, text)


def show_flash(key: str) -> None:
    """The message `flash(key, ...)` left, shown once (as Markdown: escape user text with
    `md_escape` before flashing it)."""
    message = st.session_state.pop(key, None)
    if message is None:
        return
    kind, text = message
    if kind == "error":
        st.error(text, icon=":material/error:")
    else:
        st.success(text, icon=":material/check:")


# -- publication date inputs -------------------------------------------------------------------------
def when_inputs(
    columns: Sequence[Any],
    keys: tuple[str, str, str],
    when: datetime | None,
    *,
    default_time: time | None = None,
) -> None:
    """Date, time and UTC offset of a publication, one input per column (`keys`: date, time and the
    offset in minutes), pre-filled with `when` as written (undated: empty, China time); read them
    back with `when_value(keys)`."""
    from analysis.intake import format_utc_offset, utc_offset_choices, utc_offset_of

    offset = utc_offset_of(when)
    choices = [int(o.total_seconds() // 60) for o in utc_offset_choices([offset])]
    columns[0].date_input(
        tr("library.field.date"),
        value=when.date() if when else None,
        key=keys[0],
        help=tr("library.field.date_help"),
        min_value=date(1900, 1, 1),
        max_value=date(2100, 12, 31),
    )
    columns[1].time_input(
        tr("library.field.time"),
        value=when.time().replace(second=0, microsecond=0) if when else default_time,
        key=keys[1],
        step=60,
    )
    columns[2].selectbox(
        tr("library.field.tz"),
        options=choices,
        index=choices.index(int(offset.total_seconds() // 60)),
        format_func=lambda m: format_utc_offset(timedelta(minutes=m)),
        key=keys[2],
    )


def when_value(keys: tuple[str, str, str]) -> datetime | None:
    """The publication time `when_inputs(keys)` holds (None without a date)."""
    from analysis.intake import combine_date_time

    state = st.session_state
    offset = timedelta(minutes=state.get(keys[2]) or 0)
    return combine_date_time(state.get(keys[0]), state.get(keys[1]), offset)


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


@st.cache_data(show_spinner=False, max_entries=4096)
def sentence_evidence(text: str, model: str) -> tuple[Evidence, ...]:
    """Evidence of one sentence from the model that scored it (occlusion for the accurate tier:
    one encoder pass per word, so computed only for the sentences a user opens)."""
    return get_scorer(model, None).explain(text)


@st.cache_data(show_spinner=False, max_entries=128)
def analysis_for(
    text: str,
    model: str,
    band_tuple: tuple[float, float] | None,
    title: str | None,
    source: str | None,
    published_at_iso: str | None,
) -> ArticleAnalysis:
    """The analysis of one text with the chosen model and band (None = the calibrated band)."""
    from analysis.pipeline import analyze_text  # lazy: pulls in jieba and the models

    return analyze_text(
        text,
        title=title,
        source=source,
        published_at=datetime.fromisoformat(published_at_iso) if published_at_iso else None,
        scorer=get_scorer(model, band_tuple),
    )


def current_model() -> str:
    return st.session_state.get(MODEL_KEY) or "default"


def current_band() -> tuple[float, float] | None:
    """The band the user set, or None when it is the model's calibrated one."""
    band = st.session_state.get(BAND_KEY)
    default = st.session_state.get("_band_default")
    if band is None or (default is not None and tuple(band) == tuple(default)):
        return None
    return (float(band[0]), float(band[1]))


def calibrated_band(model: str, lang: str) -> tuple[float, float]:
    """The model's calibrated neutral band for a language (zh when the language is mixed/other)."""
    th = get_scorer(model, None).thresholds_for(lang if lang in ("zh", "en") else "zh")
    if th is None:  # a suite without a model for the language: use its Chinese band
        th = get_scorer(model, None).thresholds_for("zh")
    return (th.negative_below, th.positive_above)


def record_analysis(record: ArticleRecord) -> ArticleAnalysis:
    """The analysis of a library record with the current model and band (cached)."""
    return analysis_for(
        record.text,
        current_model(),
        current_band(),
        record.title,
        record.source,
        record.published_at.isoformat() if record.published_at else None,
    )


@st.cache_resource(show_spinner=False)
def _sample_id_for(url: str | None) -> int:
    # Once per process and library: reading and analysing the sample is the slowest part of a
    # first page load. If the sample is deleted later, the picker falls back to another article.
    from analysis.intake import ensure_sample

    return ensure_sample(_library_for(url), SAMPLE_PATH).id


def sample_article_id() -> int | None:
    """Store the sample on a first run and return its id (None, with a warning, on failure)."""
    try:
        return _sample_id_for(_configured_db_url())
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
        last = {r.id: r for r in st.session_state.get(LAST_ARTICLES_KEY, [])}
        if int(article_id) not in last:
            st.error(str(exc))
            st.stop()
        record = last[int(article_id)]
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


# -- analyst review -------------------------------------------------------------------------------
def label_view() -> str:
    """Which labels the pages show: "reviewed" (the analyst's where set; the default) or "model"."""
    view = st.session_state.get(VIEW_KEY)
    if view not in ("reviewed", "model"):
        view = st.session_state.get(LAST_VIEW_KEY, "reviewed")
    return view if view in ("reviewed", "model") else "reviewed"


def review_editor() -> str | None:
    """Who the audit trail names: the signed-in email, else the name typed once this session."""
    return editor_identity() or st.session_state.get(REVIEW_EDITOR_KEY) or None


def set_review_editor(name: str | None) -> str:
    """Remember who is reviewing, for this session only: one line, not blank, and never the edit
    passphrase typed into the wrong box. Returns the name; ReviewError when it cannot be used."""
    from analysis.review import ReviewError, check_editor

    checked = check_editor(name)
    secret = _edit_passphrase()
    if secret and checked == " ".join(secret.split()):
        raise ReviewError(tr("rv.name_is_passphrase"), code="bad_editor")
    st.session_state[REVIEW_EDITOR_KEY] = checked
    return checked


def article_reviews(article_id: int) -> list[ReviewEntry]:
    """The article's audit trail (oldest first). While the database cannot be reached, the trail
    this session last read, so the figures on screen stay what they were (nothing can be saved)."""
    from analysis.review import list_reviews

    try:
        entries = list_reviews(get_library(), "article", article_id)
    except LibraryError:
        return list(st.session_state.get(LAST_REVIEWS_KEY, {}).get(article_id, []))
    st.session_state.setdefault(LAST_REVIEWS_KEY, {})[article_id] = entries
    return entries


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


def _trail_digest(entries: tuple[ReviewEntry, ...]) -> str:
    import hashlib

    parts = (f"{e.id}:{e.text_sha256}:{e.label}:{e.created_at.isoformat()}" for e in entries)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def article_review(record: ArticleRecord, analysis: ArticleAnalysis) -> Review | None:
    """The article's review: its reviewed view (the model's `analysis` with the analyst's labels)
    and audit trail; None when the article has none. Cached per text, model, band and audit
    trail, so switching pages stays fast."""
    from analysis.export import Review

    entries = tuple(article_reviews(record.id))
    if not entries:
        return None
    view = _reviewed_view(
        analysis,
        entries,
        record.id,
        analysis.input_sha256,
        f"{analysis.model.name}@{analysis.model.version}",
        tuple(sorted(analysis.model.thresholds.items())),
        _trail_digest(entries),
    )
    return Review(view, entries)


def shown_analysis(analysis: ArticleAnalysis, review: Review | None) -> ArticleAnalysis:
    """The analysis in the view the sidebar's switch selects."""
    if review is None or label_view() == "model":
        return analysis
    return review.view.analysis


# -- small shared pieces of layout ------------------------------------------------------------------
def band_caption(analysis: ArticleAnalysis) -> str:
    """One line naming the model and the neutral band that produced the labels on screen."""
    th = analysis.model.thresholds
    parts = []
    for lang in ("zh", "en"):
        lo, hi = th.get(f"{lang}.negative_below"), th.get(f"{lang}.positive_above")
        if lo is not None and hi is not None:
            parts.append(f"{lang}: ≤ {lo:+.2f} {tr('label.negative')} · ≥ {hi:+.2f} {tr('label.positive')}")
    custom = tr("dash.band_custom") if current_band() is not None else tr("dash.band_calibrated")
    return tr(
        "dash.band_caption",
        model=analysis.model.name,
        version=analysis.model.version,
        band="; ".join(parts) or "—",
        kind=custom,
    )


def export_buttons(analysis: ArticleAnalysis, review: Review | None = None) -> None:
    """CSV, XLSX and JSON downloads of the analysis on screen, each with a reproducibility stamp;
    with the article's `review`, every row carries the model's and the reviewed label and the
    files carry the audit trail. The files are made only when a button is clicked (deferred), so
    pages stay fast."""
    from functools import partial

    from analysis import export

    specs = [
        ("csv", "text/csv", "download_csv", "dash.download_csv", export.to_csv_bytes),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "download_xlsx",
            "dash.download_xlsx",
            export.to_xlsx_bytes,
        ),
        ("json", "application/json", "download_json", "dash.download_json", export.to_json_bytes),
    ]
    # The entities are computed when a file is asked for (deferred), for the analysis the rows show.
    entity_args = (current_model(), current_band(), aliases_in_use(warn=False))
    for kind, mime, widget_key, label_key, make in specs:
        st.download_button(
            tr(label_key),
            data=partial(_export_with_entities, make, analysis, review, *entity_args),
            file_name=export.export_filename(analysis, kind),
            mime=mime,
            key=widget_key,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    st.caption(tr("dash.download_caption", sha=analysis.input_sha256[:12]))
    if review is not None and review.audit:
        st.caption(tr("rv.download_caption", k=review.view.reviewed, changed=review.view.changed))


def _export_with_entities(
    make: Any,
    analysis: ArticleAnalysis,
    review: Review | None,
    model: str,
    band: tuple[float, float] | None,
    aliases: tuple[tuple[str, str, str], ...],
) -> bytes:
    """A download's bytes with the entity table (runs when the button is clicked, outside the
    script run: no session state here, only the process-wide caches)."""
    shown = review.view.analysis if review is not None else analysis
    try:
        entities = _cached_entities(shown, _entity_digest(shown), model, band, aliases)
    except OpinionLensError:  # e.g. a clause could not be scored: the sentence-level attribution
        from analysis.entities import article_entities, default_table

        entities = article_entities(shown, table=default_table(aliases), clause_level=False)
    return bytes(make(analysis, review, entities))


def first_run_note() -> None:
    """What this is and what to do next; one click hides it for the session."""
    if st.session_state.get(INTRO_DISMISSED_KEY):
        return
    with st.container(border=True, key="first_run"):
        st.markdown(tr("dash.intro"))
        if st.button(tr("dash.intro_dismiss"), key="dismiss_intro", icon=":material/check:"):
            st.session_state[INTRO_DISMISSED_KEY] = True
            st.rerun()


# -- entities (issue 13) -------------------------------------------------------------------------
UserAliasTuple = tuple[str, str, str]


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


def _valid_aliases(
    aliases: tuple[UserAliasTuple, ...],
) -> tuple[tuple[UserAliasTuple, ...], tuple[UserAliasTuple, ...]]:
    """(kept, skipped): a stored alias the shipped table no longer accepts (say, its entity became
    another type in a newer table) is skipped rather than failing every analysis."""
    from analysis.entities import EntityTableError, default_table

    try:
        default_table(aliases)
        return aliases, ()
    except EntityTableError:
        pass
    kept: list[UserAliasTuple] = []
    skipped: list[UserAliasTuple] = []
    for alias in aliases:
        try:
            default_table((*kept, alias))
        except EntityTableError:
            skipped.append(alias)
        else:
            kept.append(alias)
    return tuple(kept), tuple(skipped)


def aliases_in_use(*, warn: bool = True) -> tuple[UserAliasTuple, ...]:
    """The user aliases every analysis applies (the library's, less any the table refuses, which
    a warning names unless `warn` is False)."""
    kept, skipped = _valid_aliases(user_aliases())
    if skipped and warn:
        st.warning(
            tr("ent.aliases_skipped", aliases=", ".join(a for a, _, _ in skipped)), icon=":material/warning:"
        )
    return kept


def entity_table(*, warn: bool = True) -> EntityTable:
    """The shipped entity table with the library's user aliases (those it accepts)."""
    from analysis.entities import default_table

    return default_table(aliases_in_use(warn=warn))


def check_alias(alias: str, canonical: str, type_: str | None) -> tuple[UserAliasTuple, str | None]:
    """A user alias as the entity table would take it next to the stored ones, and the entity it
    named before (None when it named none). `canonical` may be any name the table knows for the
    entity (Xiaomi -> 小米); `type_` None takes that entity's type. Raises EntityTableError when the
    alias conflicts or says nothing new (codes `alias_empty`, `alias_need_type`, `alias_known`, or
    the table's own codes for a conflict)."""
    from analysis.entities import EntityTableError, default_table

    alias, canonical = " ".join(alias.split()), " ".join(canonical.split())
    if not alias or not canonical:
        raise EntityTableError("give both the alias and the entity it names", code="alias_empty")
    kept = aliases_in_use(warn=False)
    table = default_table(kept)
    current = table.get(canonical) or table.resolve(canonical)
    if current is not None:
        canonical = current.name
    elif type_ is None:
        raise EntityTableError(
            f"{canonical!r} is not in the entity table: a new entity needs a type",
            code="alias_need_type",
            canonical=canonical,
        )
    previous = table.resolve(alias)
    if previous is not None and previous.name == canonical:
        raise EntityTableError(
            f"{alias!r} already names {canonical!r}", code="alias_known", alias=alias, canonical=canonical
        )
    item = (alias, canonical, type_ or (current.type if current else ""))
    default_table((*kept, item))  # raises EntityTableError on a conflict (e.g. another type)
    return item, previous.name if previous is not None else None


def _entity_digest(analysis: ArticleAnalysis) -> str:
    """What an analysis' entities depend on besides the table: its sentences with their labels
    (a review changes them), the model and the band that labelled them."""
    import hashlib

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


def entities_for(analysis: ArticleAnalysis, *, warn: bool = True) -> tuple[EntitySummary, ...]:
    """The entities of an analysis (of the current model and band), most mentioned first, with
    the labels it carries (the reviewed view keeps the analyst's labels). `warn`: say which
    stored aliases the table refuses (once per page: False for a page's further articles)."""
    from analysis.entities import article_entities, default_table

    kept = aliases_in_use(warn=warn)
    try:
        with st.spinner(tr("ent.finding")):
            return _cached_entities(analysis, _entity_digest(analysis), current_model(), current_band(), kept)
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


def _has_reviewed(analysis: ArticleAnalysis) -> bool:
    return any(s.reviewed for s in analysis.sentences)


def sentence_rows(
    analysis: ArticleAnalysis, sentences: Any = None, extra: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """Rows for a sentence table in the UI language: position, group, score, label (in a reviewed
    view with reviews, the model's label beside it), with `extra` the entities' labels in each
    sentence (position -> text), language, themes, evidence, text (plain text: st.dataframe never
    interprets it)."""
    names = theme_labels(analysis)
    groups = {g.index: g.title for g in analysis.document.groups}
    reviewed = _has_reviewed(analysis)
    rows: list[dict[str, Any]] = []
    for s in analysis.sentences if sentences is None else sentences:
        rows.append(
            {
                "#": s.position,
                tr("vp.col.group"): tr("vp.core")
                if s.group is None
                else f"{s.group}. {groups.get(s.group, '')}",
                tr("vp.col.score"): s.score,
                tr("vp.col.label"): label_name(s.label),
                **(
                    {tr("rv.col.model_label"): label_name(s.model_label if s.reviewed else s.label)}
                    if reviewed
                    else {}
                ),
                **({tr("ent.vp_col"): extra.get(s.position, "")} if extra is not None else {}),
                tr("vp.col.lang"): s.lang,
                tr("vp.col.themes"): ", ".join(names.get(x, x) for x in s.themes),
                tr("vp.col.evidence"): evidence_string(s.evidence, ", "),
                tr("vp.col.uncertain"): uncertain_text(s.uncertain),
                tr("vp.col.text"): s.text,
            }
        )
    return rows


def sentence_table(
    analysis: ArticleAnalysis, sentences: Any, *, key: str, extra: dict[int, str] | None = None
) -> None:
    """The drill-down table of sentences (plain text cells; article text is never HTML here);
    `extra`: the chosen entities' labels per sentence position, as a column after the labels."""
    import pandas as pd

    columns = [
        "#",
        *(tr(f"vp.col.{c}") for c in ("group", "score", "label")),
        *([tr("rv.col.model_label")] if _has_reviewed(analysis) else []),
        *([tr("ent.vp_col")] if extra is not None else []),
        *(tr(f"vp.col.{c}") for c in ("lang", "themes", "evidence", "uncertain", "text")),
    ]
    st.dataframe(
        pd.DataFrame(sentence_rows(analysis, sentences, extra), columns=columns),  # headers even when empty
        key=key,
        hide_index=True,
        width="stretch",
        column_config={
            tr("vp.col.score"): st.column_config.NumberColumn(tr("vp.col.score"), format="%+.2f"),
            tr("vp.col.text"): st.column_config.TextColumn(tr("vp.col.text"), width="large"),
        },
    )
