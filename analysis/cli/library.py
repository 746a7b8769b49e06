"""`python -m analysis library list|add|review|undo|export`: the app's library from the command line.
`review` sets a sentence's sentiment label (`--label`) or its emotion (`--emotion`).

The CLI uses the same database as the app: $OPINION_LENS_DB_URL, else `[database] url` in
.streamlit/secrets.toml of the working directory, else the per-user SQLite file. Reviews written
here are the same append-only audit trail the app writes (see analysis/review/).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Literal

from analysis.cli.common import CliError, read_input_bytes
from analysis.errors import OpinionLensError
from analysis.library import ArticleRecord, Library, configured_db_url, default_db_url
from analysis.records import ArticleAnalysis

EDITOR_ENV = "OPINION_LENS_EDITOR"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"


def library_url() -> str:
    """The database the app uses (see the module docstring): the app's rule, with the secrets
    read from .streamlit/secrets.toml."""
    try:
        secrets = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        secrets = None
    return configured_db_url(secrets) or default_db_url()


def library_aliases() -> tuple[tuple[str, str, str], ...]:
    """The entity aliases users stored in the app's library (alias, canonical, type)."""
    try:
        return tuple(r.as_alias() for r in _open_library().list_entity_aliases())
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None


def _open_library() -> Library:
    try:
        return Library(library_url())
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None


def _record(library: Library, article_id: int) -> ArticleRecord:
    try:
        return library.get_article(article_id)
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None


def _analysis(library: Library, record: ArticleRecord, model: str) -> ArticleAnalysis:
    """The article analysed as the app analyses it (stored sentence scores are reused)."""
    from analysis.pipeline import analyze_text
    from analysis.sentiment import Scorer

    try:
        scorer = Scorer(model, workload="article", store=library)
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    return analyze_text(
        record.text, title=record.title, source=record.source, published_at=record.published_at, scorer=scorer
    )


def run_list(*, output_format: Literal["text", "json"]) -> int:
    """Every article: id, date, language, sentences, NEV (as stored), reviews and title."""
    from analysis.format import display_title, nev_percent
    from analysis.review import ReviewEntry, list_reviews, overrides

    library = _open_library()
    try:
        records = library.list_articles()
        trail = list_reviews(library, "article")
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    by_article: dict[int, list[ReviewEntry]] = defaultdict(list)
    for e in trail:
        by_article[e.item_id].append(e)
    reviewed = {r.id: len(overrides(by_article[r.id])) for r in records}  # current overrides
    if output_format == "json":
        rows = [
            {
                "id": r.id,
                "title": r.title,
                "source": r.source,
                "published_at": r.published_at.isoformat() if r.published_at else None,
                "language": r.language,
                "n": r.n,
                "nev": r.nev,
                "model": r.model,
                "reviewed": reviewed[r.id],
            }
            for r in records
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in records:
        date = r.published_at.strftime("%Y-%m-%d") if r.published_at else "—"
        print(
            f"{r.id}\t{date}\t{r.language or '—'}\tn={r.n}\tnev={nev_percent(r.nev)}\t"
            f"reviewed={reviewed[r.id]}\t{display_title(r)}"
        )
    print(f"{len(records)} articles in {library.masked_url}", file=sys.stderr)
    return 0


def run_add(path: str, *, title: str | None, source: str | None, model: str) -> int:
    """Store one article file (analysed, as an upload in the app); prints its id."""
    from analysis.intake import prepare_upload, save_draft

    data, name = read_input_bytes(path)
    library = _open_library()
    try:
        draft = prepare_upload(data, name)
        record, created = save_draft(library, draft, title=title, source=source, model=model)
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    print(record.id)
    print(
        f"{'stored' if created else 'already in the library'}: #{record.id} {record.title or ''}".rstrip(),
        file=sys.stderr,
    )
    return 0


def _editor(editor: str | None) -> str:
    return (editor or os.environ.get(EDITOR_ENV, "") or getpass.getuser()).strip()


def run_review(
    article_id: int,
    *,
    sentence: int,
    label: str | None,
    note: str,
    editor: str | None,
    model: str,
    emotion: str | None = None,
) -> int:
    """Set (or, with `model`, reset) one sentence's label, or with `emotion` its emotion; prints
    the audit entry as JSON. A bad label or emotion is refused before anything is analysed."""
    from analysis.review import ReviewField, article_targets, check_value, record_reviews

    field: ReviewField = "sentiment" if emotion is None else "emotion"
    given = emotion if emotion is not None else label
    value = None if given in (None, "model") else given
    try:
        check_value(value, field)
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    library = _open_library()
    record = _record(library, article_id)
    analysis = _analysis(library, record, model)
    try:
        targets = article_targets(analysis, article_id, [sentence], field)
        entries = record_reviews(library, targets, value, note=note, editor=_editor(editor))
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    for e in entries:
        print(json.dumps(e.as_dict(), ensure_ascii=False))
    return 0


def run_undo(article_id: int, *, editor: str | None) -> int:
    """Undo the article's last review change (new audit entries restore the labels before it)."""
    from analysis.review import undo_last

    library = _open_library()
    _record(library, article_id)
    try:
        entries = undo_last(library, "article", article_id, editor=_editor(editor))
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    for e in entries:
        print(json.dumps(e.as_dict(), ensure_ascii=False))
    return 0


def run_export(
    article_id: int, *, output_format: Literal["json", "csv", "xlsx"], out: str | None, model: str
) -> int:
    """The reviewed analysis with both labels, both summaries and the audit trail."""
    from analysis.export import Review, to_csv_bytes, to_json_bytes, to_xlsx_bytes
    from analysis.review import apply_reviews, list_reviews

    library = _open_library()
    record = _record(library, article_id)
    analysis = _analysis(library, record, model)
    try:
        trail = list_reviews(library, "article", article_id)
    except OpinionLensError as exc:
        raise CliError(str(exc)) from None
    review = Review(apply_reviews(analysis, trail), trail)
    writers = {"json": to_json_bytes, "csv": to_csv_bytes, "xlsx": to_xlsx_bytes}
    data = writers[output_format](analysis, review)
    if out:
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    elif output_format == "xlsx" and sys.stdout.isatty():
        raise CliError("an XLSX file is binary: name it with --out (or redirect standard output)")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    stale = len(review.view.stale) + len(review.view.stale_emotions)
    if stale:
        print(f"note: {stale} review(s) no longer match a sentence of the text", file=sys.stderr)
    return 0
