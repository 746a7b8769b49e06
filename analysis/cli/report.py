"""`python -m analysis report article|compare|posts`: the briefing (analysis.briefing) as HTML,
PDF or Markdown.

- `report article ID` (a library article, with its review) or `report article --file PATH`.
- `report compare --ids 1,2,3` or `report compare --from 2025-10-01 --to 2025-10-31` (every
  library article published in the range: a periodic brief).
- `report posts PATH --time-column COL` or `report posts --corpus ID` (a library corpus), over
  `--from` … `--to` (whole days) or the whole corpus.

The file is written all or nothing (`--out`; Markdown may go to standard output); bad input is one
line on stderr and no file.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from analysis.briefing import FORMATS, BriefError, ReportFormat, render, write_atomic
from analysis.cli.common import CliError, read_input_bytes
from analysis.errors import OpinionLensError

if TYPE_CHECKING:
    from analysis.briefing.model import Brief
    from analysis.entities import EntitySummary
    from analysis.export import Review
    from analysis.library import ArticleRecord, Library
    from analysis.records import ArticleAnalysis
    from analysis.sentiment import Scorer

Kind = Literal["article", "compare", "posts"]


def output_format(fmt: str | None, out: str | None) -> ReportFormat:
    """The format asked for, else the one `--out`'s extension names, else HTML."""
    if fmt:
        return fmt if fmt in FORMATS else "html"
    ext = Path(out).suffix.lower().lstrip(".") if out else ""
    ext = {"htm": "html", "markdown": "md"}.get(ext, ext)
    return ext if ext in FORMATS else "html"


def emit(brief: Brief, fmt: ReportFormat, out: str | None) -> int:
    """Render and write (or print Markdown); the file appears only when complete."""
    if out is None and fmt != "md":
        raise CliError(f"a {fmt.upper()} report is a file: name it with --out")
    data = render(brief, fmt)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    write_atomic(out, data)
    print(f"wrote {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def warm_up(fmt: ReportFormat) -> None:
    """For a PDF, start Chromium (and Plotly in it) while the analysis is loaded."""
    if fmt == "pdf":
        from analysis.briefing.pdf import warm_up as start_chromium

        start_chromium()


def _scorer(model: str, library: Library | None) -> Scorer:
    from analysis.sentiment import Scorer

    return Scorer(model, workload="article", store=library)


def analyse(
    text: str,
    scorer: Scorer,
    *,
    title: str | None = None,
    source: str | None = None,
    published_at: datetime | None = None,
) -> ArticleAnalysis:
    """The analysis as the app makes it; without the emotion model's files, without emotions
    (a note on stderr; the brief then has no emotion section)."""
    from analysis.emotion.models import EmotionModelError
    from analysis.pipeline import analyze_text

    try:
        return analyze_text(text, scorer=scorer, title=title, source=source, published_at=published_at)
    except EmotionModelError as exc:
        print(f"note: no emotions in this report ({exc})", file=sys.stderr)
        return analyze_text(
            text, scorer=scorer, title=title, source=source, published_at=published_at, emotions=False
        )


def _entities(
    a: ArticleAnalysis, scorer: Scorer, aliases: Sequence[tuple[str, str, str]]
) -> tuple[EntitySummary, ...]:
    from analysis.entities import article_entities, default_table

    return article_entities(a, table=default_table(tuple(aliases)), scorer=scorer)


def _library() -> tuple[Library, tuple[tuple[str, str, str], ...]]:
    from analysis.cli.library import _open_library, library_aliases

    return _open_library(), library_aliases()


def _record_analysis(library: Library, record: ArticleRecord, scorer: Scorer) -> ArticleAnalysis:
    return analyse(
        record.text, scorer, title=record.title, source=record.source, published_at=record.published_at
    )


def _review(library: Library, article_id: int, a: ArticleAnalysis) -> Review | None:
    from analysis.export import Review
    from analysis.review import apply_reviews, list_reviews

    trail = list_reviews(library, "article", article_id)
    return Review(apply_reviews(a, trail), trail) if trail else None


def run_report_article(
    article_id: int | None, *, file: str | None, lang: str, fmt: str | None, out: str | None, model: str
) -> int:
    """One article's brief: a library article (with its review and the library's aliases) or a file."""
    from analysis.briefing import article_brief

    fmt_ = output_format(fmt, out)
    if file is not None:
        from analysis.metadata import merge_metadata
        from analysis.readers import read_document

        data, name = read_input_bytes(file)
        doc = read_document(data, filename=name)
        meta = merge_metadata(doc)
        warm_up(fmt_)
        scorer = _scorer(model, None)
        a = analyse(doc.text, scorer, title=meta.title, source=meta.source, published_at=meta.published_at)
        brief = article_brief(a, lang=lang, entities=_entities(a, scorer, ()))
        return emit(brief, fmt_, out)
    if article_id is None:
        raise CliError("name the article: an ID from `library list`, or --file PATH")
    library, aliases = _library()
    try:
        record = library.get_article(article_id)
    except OpinionLensError:
        raise BriefError(
            f"no article #{article_id} in the library (see `library list`)", code="unknown_article"
        ) from None
    warm_up(fmt_)
    scorer = _scorer(model, library)
    a = _record_analysis(library, record, scorer)
    review = _review(library, article_id, a)
    shown = review.view.analysis if review else a
    brief = article_brief(
        a, lang=lang, article_id=article_id, review=review, entities=_entities(shown, scorer, aliases)
    )
    return emit(brief, fmt_, out)


def pick_articles(
    records: Sequence[ArticleRecord], ids: Sequence[int], start: date | None, end: date | None
) -> tuple[list[ArticleRecord], int]:
    """The articles named by `ids` (in that order), or those published from `start` to `end`
    (ends included, the date as written), oldest first; and how many undated ones were left out."""
    by_id = {r.id: r for r in records}
    if ids:
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise BriefError(
                f"no article #{missing[0]} in the library (see `library list`)", code="unknown_article"
            )
        return [by_id[i] for i in dict.fromkeys(ids)], 0
    undated = sum(1 for r in records if r.published_at is None)
    dated = [(r, r.published_at.date()) for r in records if r.published_at is not None]
    chosen = [r for r, day in dated if (start is None or day >= start) and (end is None or day <= end)]
    chosen.sort(key=lambda r: (r.published_at or datetime.min, r.id))
    if not chosen:
        raise BriefError(f"no article published from {start or '…'} to {end or '…'}", code="no_articles")
    return chosen, undated


def run_report_compare(
    ids: Sequence[int],
    *,
    start: str | None,
    end: str | None,
    lang: str,
    fmt: str | None,
    out: str | None,
    model: str,
) -> int:
    from analysis.briefing import comparison_brief
    from analysis.briefing.posts import dates_in

    first, last = dates_in([start, end])
    if not ids and first is None and last is None:
        raise CliError("name the articles (--ids 1,2,3) or a period (--from, --to)")
    fmt_ = output_format(fmt, out)
    library, aliases = _library()
    records, left_out = pick_articles(library.list_articles(), ids, first, last)
    warm_up(fmt_)
    scorer = _scorer(model, library)
    items = [(r, _record_analysis(library, r, scorer)) for r in records]
    entities = {r.id: _entities(a, scorer, aliases) for r, a in items}
    period = (
        (first or min(r.published_at.date() for r in records if r.published_at), last or date.today())
        if not ids
        else None
    )
    brief = comparison_brief(items, lang=lang, period=period, left_out=left_out, entities=entities)
    return emit(brief, fmt_, out)


def run_report_posts(
    path: str | None,
    *,
    corpus_id: int | None,
    text_column: str | None,
    time_column: str | None,
    author_column: str | None,
    tz: str | None,
    freq: str,
    start: str | None,
    end: str | None,
    lang: str,
    fmt: str | None,
    out: str | None,
    model: str,
) -> int:
    from analysis.briefing.posts import dates_in, posts_brief
    from analysis.corpus.ingest import ColumnMapping, detect_mapping, read_table
    from analysis.corpus.pipeline import CorpusOptions, options_with, validate_options
    from analysis.corpus.view import CorpusAnalysis
    from analysis.review import ReviewEntry, list_reviews

    first, last = dates_in([start, end])
    reviews: list[ReviewEntry]
    fmt_ = output_format(fmt, out)
    if corpus_id is not None:
        library, _ = _library()
        try:
            record = library.get_corpus(corpus_id)
            data = library.get_corpus_data(corpus_id)
        except OpinionLensError:
            raise BriefError(f"no corpus #{corpus_id} in the library", code="unknown_corpus") from None
        reviews = list_reviews(library, "corpus", corpus_id)
        name = record.filename
        options = CorpusOptions.from_stored(record.mapping)
    elif path is not None:
        reviews = []  # a file outside the library has no reviews
        data, filename = read_input_bytes(path)
        name = filename or "stdin"
        options = None
        if not time_column:
            raise BriefError(
                "the posts have no time column: name it with --time-column", code="no_time_column"
            )
    else:
        raise CliError("name the posts: a file PATH or --corpus ID")
    _, frame = read_table(data, name)
    if options is None:
        detected = detect_mapping(frame.head(500))
        options = CorpusOptions(
            ColumnMapping(text=text_column or detected.text, time=time_column, author=author_column)
        )
    if tz:
        options = options_with(options, tz=tz)
    if not options.mapping.time:
        raise BriefError("the posts have no time column: name it with --time-column", code="no_time_column")
    options = validate_options(options_with(options, model=model), [str(c) for c in frame.columns], freq=freq)
    warm_up(fmt_)
    corpus = CorpusAnalysis.run(frame, options)
    sha = hashlib.sha256(data).hexdigest()
    brief = posts_brief(
        corpus, name=name, sha256=sha, lang=lang, freq=freq, start=first, end=last, reviews=reviews
    )
    return emit(brief, fmt_, out)
