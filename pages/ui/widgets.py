"""Widgets and small pieces of layout that several pages draw the same way: Markdown-safe text,
the band caption, the downloads, the first-run note, the sentence table, error messages in the UI
language, one-time messages after an action ("flash"), and the publication date inputs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import streamlit as st

from analysis.errors import OpinionLensError
from analysis.format import emotion_text, evidence_string
from analysis.records import ArticleAnalysis
from pages.ui.article import aliases_in_use, theme_labels
from pages.ui.cache import cached_entities
from pages.ui.state import (
    INTRO_DISMISSED_KEY,
    current_band,
    current_model,
    label_name,
    tr,
    ui_lang,
    uncertain_text,
)

if TYPE_CHECKING:
    from analysis.export import Review


# -- messages ----------------------------------------------------------------------------------------
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
    from analysis.text.dates import format_utc_offset, utc_offset_choices, utc_offset_of

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
    from analysis.text.dates import combine_date_time

    state = st.session_state
    offset = timedelta(minutes=state.get(keys[2]) or 0)
    return combine_date_time(state.get(keys[0]), state.get(keys[1]), offset)


# -- article layout -----------------------------------------------------------------------------------
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
        entities = cached_entities(shown, model, band, aliases)
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
                tr("vp.col.emotion"): emotion_text(s.emotion, ui_lang(), missing=""),
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
        *(tr(f"vp.col.{c}") for c in ("group", "score", "label", "emotion")),
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
