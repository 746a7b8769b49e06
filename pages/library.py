"""Library: add articles (upload or paste), then list, search, open, edit and delete them.

Layout and widgets only; reading, analysing and storing live in analysis/intake.py and
analysis/library/. Saving and deleting run in button callbacks, so the page drawn afterwards
(and the sidebar's article picker) already shows the new state.
"""

from __future__ import annotations

from datetime import datetime
from typing import get_args

import pandas as pd
import streamlit as st

from analysis.errors import ErrorCode, OpinionLensError, ReaderError
from analysis.format import article_label, display_title, md_escape, minute_text, percent_points
from analysis.intake import Draft, SaveOutcome, prepare_paste, prepare_upload, save_drafts
from analysis.library import TRASH_DAYS, ArticleRecord, Library, LibraryError
from analysis.readers import MAX_BYTES
from analysis.text.dates import format_utc_offset, utc_offset_of
from pages.ui.access import editing_allowed
from pages.ui.cache import get_library, get_scorer
from pages.ui.frame import page_shell
from pages.ui.state import PENDING_ARTICLE_KEY, tr
from pages.ui.widgets import error_text, flash, show_flash, when_inputs, when_value

UPLOAD_KEY = "library_upload"
PASTE_KEY = "library_paste"
SAVE_KEY = "library_save"
SEARCH_KEY = "library_search"
PICK_KEY = "library_pick"
OUTCOMES_KEY = "_library_outcomes"  # results of the last save, shown once
NOTICE_KEY = "_library_notice"  # (kind, message) of the last edit / delete, shown once
UPLOAD_TYPES = ["txt", "md", "html", "htm", "docx", "pdf"]
LIMIT_MIB = MAX_BYTES // 2**20
READER_ERROR_CODES = frozenset(get_args(ErrorCode))
STORE_MODEL = "default"  # the library's NEV column always comes from the default model


# -- reading (cached by content, so reruns do not re-read PDFs) ---------------------------------------
@st.cache_data(show_spinner=False, max_entries=64)
def _read_upload(data: bytes, filename: str) -> Draft | tuple[str, str]:
    """A draft, or (reader error code, reader message): exceptions are not cacheable."""
    try:
        return prepare_upload(data, filename)
    except ReaderError as exc:
        return exc.code, str(exc)


@st.cache_data(show_spinner=False, max_entries=16)
def _read_paste(text: str) -> Draft | tuple[str, str]:
    try:
        return prepare_paste(text)
    except ReaderError as exc:
        return exc.code, str(exc)


def _inputs() -> list[tuple[str, Draft | tuple[str, str]]]:
    """(display name, draft or error) for every uploaded file and the pasted text."""
    items: list[tuple[str, Draft | tuple[str, str]]] = []
    for uploaded in st.session_state.get(UPLOAD_KEY) or []:
        items.append((uploaded.name, _read_upload(uploaded.getvalue(), uploaded.name)))
    pasted = st.session_state.get(PASTE_KEY) or ""
    if pasted.strip():
        items.append((tr("library.add.pasted_label"), _read_paste(pasted)))
    return items


def _reader_error_message(name: str, code: str) -> str:
    """The translated message for a reader error code (every code the reader documents has one)."""
    codes = READER_ERROR_CODES
    return error_text(
        code, "library.error", codes=codes, fallback="malformed", name=md_escape(name), limit=LIMIT_MIB
    )


# -- draft metadata widgets ---------------------------------------------------------------------------
def _wkey(kind: str, sha: str) -> str:
    return f"library_{kind}_{sha[:16]}"


def _metadata_fields(
    prefix: str, ident: str, title: str | None, source: str | None, when: datetime | None
) -> None:
    """Title, source, date, time and UTC offset inputs, pre-filled; read back with `_metadata_values`."""
    c1, c2 = st.columns([3, 2])
    c1.text_input(tr("library.field.title"), value=title or "", key=f"library_{prefix}title_{ident}")
    c2.text_input(tr("library.field.source"), value=source or "", key=f"library_{prefix}source_{ident}")
    when_inputs(st.columns([2, 1, 1]), _when_keys(prefix, ident), when)  # in the offset it was published with


def _when_keys(prefix: str, ident: str) -> tuple[str, str, str]:
    return (f"library_{prefix}date_{ident}", f"library_{prefix}time_{ident}", f"library_{prefix}tz_{ident}")


def _metadata_values(prefix: str, ident: str) -> tuple[str | None, str | None, datetime | None]:
    state = st.session_state
    title = (state.get(f"library_{prefix}title_{ident}") or "").strip() or None
    source = (state.get(f"library_{prefix}source_{ident}") or "").strip() or None
    return title, source, when_value(_when_keys(prefix, ident))


# -- callbacks ------------------------------------------------------------------------------------------
def _new_drafts(library: Library) -> list[tuple[str, Draft]]:
    """Readable inputs not yet in the library, each content once."""
    seen: set[str] = set()
    fresh: list[tuple[str, Draft]] = []
    for name, item in _inputs():
        if isinstance(item, Draft) and item.sha256 not in seen:
            seen.add(item.sha256)
            if library.find_by_sha(item.sha256) is None:
                fresh.append((name, item))
    return fresh


def _save_new() -> None:
    if not editing_allowed():
        return
    library = get_library()
    fresh = _new_drafts(library)
    batch = [(draft, *_metadata_values("draft_", draft.sha256[:16])) for _name, draft in fresh]
    try:
        scorer = get_scorer(STORE_MODEL, None)
    except OpinionLensError as exc:  # the model cannot load: every draft fails, with that reason
        st.session_state[OUTCOMES_KEY] = [SaveOutcome(name, "failed", error=str(exc)) for name, _ in fresh]
        return
    bar = st.progress(0.0, text=tr("lib.scoring"))

    def progress(done: int, total: int) -> None:  # the accurate tier: about 15 sentences a second
        bar.progress(done / max(total, 1), text=tr("lib.scoring_progress", done=done, total=total))

    outcomes = save_drafts(library, batch, model=STORE_MODEL, scorer=scorer, progress=progress)
    bar.empty()
    names = {draft.sha256: name for name, draft in fresh}
    # Report under the name the user sees (the file name, or "pasted text").
    labelled = [
        SaveOutcome(names.get(draft.sha256, o.label), o.status, o.article_id, o.error, o.error_code)
        for (draft, *_), o in zip(batch, outcomes, strict=True)
    ]
    st.session_state[OUTCOMES_KEY] = labelled
    saved = [o.article_id for o in labelled if o.status == "saved" and o.article_id is not None]
    if saved:  # the sidebar picker shows the newest saved article
        st.session_state[PENDING_ARTICLE_KEY] = saved[-1]


def _save_edit(article_id: int) -> None:
    if not editing_allowed():
        return
    title, source, published = _metadata_values("edit_", str(article_id))
    try:
        record = get_library().update_article(article_id, title=title, source=source, published_at=published)
    except LibraryError as exc:
        flash(NOTICE_KEY, "error", md_escape(tr("library.action_failed", error=str(exc))))
        return
    flash(NOTICE_KEY, "success", md_escape(tr("library.edit.saved", name=_display_title(record))))


def _delete(article_id: int, name: str) -> None:
    if not editing_allowed():
        return
    try:
        get_library().delete_article(article_id)
    except LibraryError as exc:
        flash(NOTICE_KEY, "error", md_escape(tr("library.action_failed", error=str(exc))))
        return
    st.session_state.pop(PICK_KEY, None)
    flash(NOTICE_KEY, "success", md_escape(tr("library.delete.done", name=name)))


# -- sections ---------------------------------------------------------------------------------------------
def _display_title(record: ArticleRecord) -> str:
    return display_title(record, fallback=tr("ov.untitled"))  # one "untitled" everywhere


def _format_date(value: datetime | None) -> str:
    if value is None:
        return tr("library.undated")
    return f"{minute_text(value)} {format_utc_offset(utc_offset_of(value))}"


def _storage_notice(library: Library) -> None:
    st.caption(
        tr("library.where", url=library.masked_url, count=library.count_articles()),
        help=tr("library.where_help"),
    )
    if library.is_ephemeral_hint:
        st.warning(tr("library.ephemeral"), icon=":material/warning:")


def _add_section(library: Library) -> None:
    st.subheader(tr("library.add.header"))
    st.file_uploader(
        tr("library.add.upload"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        help=tr("library.add.upload_help", limit=LIMIT_MIB),
    )
    st.text_area(
        tr("library.add.paste"), key=PASTE_KEY, placeholder=tr("library.add.paste_placeholder"), height=120
    )
    st.caption(tr("library.add.batch_policy"))

    first_name_of: dict[str, str] = {}
    new_count = 0
    for name, item in _inputs():
        if not isinstance(item, Draft):
            code, detail = item
            st.error(_reader_error_message(name, code), icon=":material/error:")
            st.caption(tr("library.error.detail", detail=md_escape(detail)))
            continue
        if item.sha256 in first_name_of:
            st.info(
                tr("library.add.same_as", name=md_escape(name), other=md_escape(first_name_of[item.sha256]))
            )
            continue
        first_name_of[item.sha256] = name
        existing = library.find_by_sha(item.sha256)
        if existing is not None:
            st.info(
                tr("library.add.already", name=md_escape(name), title=md_escape(_display_title(existing))),
                icon=":material/library_add_check:",
            )
            continue
        new_count += 1
        with st.container(border=True, key=_wkey("draft", item.sha256)):
            st.markdown(f"**{md_escape(name)}**")
            st.caption(tr("library.add.draft_caption", format=item.format, chars=len(item.text)))
            _metadata_fields("draft_", item.sha256[:16], item.title, item.source, item.published_at)

    st.button(
        tr("library.add.save"),
        key=SAVE_KEY,
        type="primary",
        on_click=_save_new,
        disabled=new_count == 0,
        icon=":material/save:",
    )
    for outcome in st.session_state.pop(OUTCOMES_KEY, []):
        name = md_escape(outcome.label)
        if outcome.status == "saved":
            st.success(tr("library.add.saved", name=name), icon=":material/check_circle:")
        elif outcome.status == "duplicate":
            st.info(tr("library.add.duplicate", name=name))
        elif outcome.error_code:
            st.error(_reader_error_message(outcome.label, outcome.error_code))
        else:
            st.error(tr("library.add.failed", name=name, error=md_escape(outcome.error or "")))


def _table(records: list[ArticleRecord]) -> None:
    frame = pd.DataFrame(
        {
            "id": [r.id for r in records],
            "title": [_display_title(r) for r in records],
            "source": [r.source or "" for r in records],
            "date": [_format_date(r.published_at) for r in records],
            "language": [r.language or "" for r in records],
            "nev": [percent_points(r.nev) for r in records],  # percent, as on every article page
            "n": [r.n for r in records],
            "filename": [r.filename or "" for r in records],
            "added": [minute_text(r.created_at) for r in records],
        }
    )
    st.dataframe(
        frame,
        key="library_table",
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn(tr("library.col.id"), format="%d"),
            "title": st.column_config.TextColumn(tr("library.col.title")),
            "source": st.column_config.TextColumn(tr("library.col.source")),
            "date": st.column_config.TextColumn(tr("library.col.date")),
            "language": st.column_config.TextColumn(tr("library.col.language")),
            "nev": st.column_config.NumberColumn(
                tr("library.col.nev"), format="%+.1f%%", help=tr("library.col.nev_help")
            ),
            "n": st.column_config.NumberColumn(tr("library.col.n"), format="%d"),
            "filename": st.column_config.TextColumn(tr("library.col.filename")),
            "added": st.column_config.TextColumn(tr("library.col.added")),
        },
    )


def _actions(record: ArticleRecord) -> None:
    name = _display_title(record)
    if st.button(tr("library.open"), key="library_open", icon=":material/open_in_new:"):
        st.session_state[PENDING_ARTICLE_KEY] = record.id
        st.switch_page("pages/overview.py")
    if not editing_allowed():  # read-only visitor of a shared deployment: no edit, no delete
        return

    with st.container(border=True, key=f"library_edit_{record.id}"):
        st.markdown(f"**{tr('library.edit.header')}**")
        _metadata_fields("edit_", str(record.id), record.title, record.source, record.published_at)
        st.button(
            tr("library.edit.save"),
            key=f"library_edit_save_{record.id}",
            on_click=_save_edit,
            args=(record.id,),
            icon=":material/edit:",
        )

    with st.container(border=True, key=f"library_delete_box_{record.id}"):
        st.markdown(f"**{tr('library.delete.header')}**")
        confirmed = st.checkbox(tr("library.delete.confirm"), key=f"library_delete_confirm_{record.id}")
        st.button(
            tr("library.delete.button"),
            key=f"library_delete_{record.id}",
            on_click=_delete,
            args=(record.id, name),
            disabled=not confirmed,
            icon=":material/delete:",
        )


def _restore(trash_id: int) -> None:
    if not editing_allowed():
        return
    try:
        record = get_library().restore_article(trash_id)
    except LibraryError as exc:
        flash(NOTICE_KEY, "error", md_escape(tr("library.action_failed", error=str(exc))))
        return
    flash(NOTICE_KEY, "success", md_escape(tr("library.trash.restored", name=_display_title(record))))


def _purge(everything: bool) -> None:
    if not editing_allowed():
        return
    library = get_library()
    try:
        if everything:
            n = library.purge_trash([t for t, _, _ in library.list_trash()])
        else:
            n = library.purge_trash(older_than_days=TRASH_DAYS)
    except LibraryError as exc:
        flash(NOTICE_KEY, "error", md_escape(tr("library.action_failed", error=str(exc))))
        return
    flash(NOTICE_KEY, "success", md_escape(tr("library.trash.purged", n=n)))


def _trash_section(library: Library) -> None:
    """Deleted articles: restore one, or purge (a separate, confirmed action)."""
    trashed = library.list_trash()
    with st.expander(
        tr("library.trash.header", n=len(trashed)), icon=":material/delete:", key="library_trash"
    ):
        st.caption(tr("library.trash.help", days=TRASH_DAYS))
        if not trashed:
            st.caption(tr("library.trash.empty"))
            return
        for trash_id, deleted_at, record in trashed:
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(
                md_escape(
                    tr("library.trash.item", title=_display_title(record), when=_format_date(deleted_at))
                )
            )
            c2.button(tr("library.trash.restore"), key=f"library_restore_{trash_id}", on_click=_restore,
                      args=(trash_id,), icon=":material/restore_from_trash:")  # fmt: skip
        old = st.checkbox(tr("library.trash.purge_confirm", days=TRASH_DAYS), key="library_purge_old_confirm")
        everything = st.checkbox(tr("library.trash.purge_all_confirm"), key="library_purge_all_confirm")
        st.button(tr("library.trash.purge"), key="library_purge", on_click=_purge, args=(everything,),
                  disabled=not (old or everything), icon=":material/delete_forever:")  # fmt: skip


def _browse_section(library: Library) -> None:
    st.subheader(tr("library.list.header"))
    show_flash(NOTICE_KEY)
    total = library.count_articles()
    if total == 0:
        st.info(tr("library.list.empty"))
        return
    c1, c2 = st.columns([3, 1])
    search = c1.text_input(tr("library.list.search"), key=SEARCH_KEY)
    only_undated = c2.checkbox(tr("library.list.only_undated"), key="library_only_undated")
    records = library.list_articles(search)
    undated = sum(1 for r in library.list_articles() if r.published_at is None)
    if undated:
        st.caption(tr("library.list.undated_count", count=undated))
    if only_undated:
        records = [r for r in records if r.published_at is None]
    if not records:
        st.info(tr("library.list.no_match", search=md_escape(search)))
        return
    st.caption(tr("library.list.shown", shown=len(records), total=total))
    _table(records)

    by_id = {r.id: r for r in records}
    if st.session_state.get(PICK_KEY) not in by_id:
        st.session_state[PICK_KEY] = records[0].id
    picked = st.selectbox(
        tr("library.pick"),
        options=list(by_id),
        format_func=lambda i: article_label(by_id[i], max_chars=None),  # the main column: whole titles
        key=PICK_KEY,
    )
    _actions(by_id[picked])


def run() -> None:
    st.title(tr("library.title"))
    st.caption(tr("library.intro"))
    try:
        library = get_library()
        _storage_notice(library)
    except LibraryError as exc:
        st.error(tr("library.open_failed", error=md_escape(str(exc))))
        return
    if editing_allowed():
        _add_section(library)
    else:
        st.info(tr("access.read_only_page"), icon=":material/lock:")
    st.divider()
    _browse_section(library)
    if editing_allowed():
        _trash_section(library)


page_shell()  # draws the app's frame when Streamlit runs this page alone
run()
