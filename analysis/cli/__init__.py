"""Command line: `python -m analysis article|score|timeline|entities|library|report ...` (contract in
ARCHITECTURE.md).

This module holds the argument parser and turns parsed arguments into typed calls of the runners
(`article.run_article`, `posts.run_score`, `posts.run_timeline`, `posts.run_entities`,
`library.run_*`, `report.run_report_*`), which tests and scripts can call directly. Errors are one line on stderr and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.cli.common import EXIT_INPUT, EXIT_INTERNAL, EXIT_USAGE, CliError, OneLineArgumentParser
from analysis.errors import OpinionLensError
from analysis.text.dates import DEFAULT_TZ

if TYPE_CHECKING:
    from analysis.corpus.pipeline import CorpusOptions

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_USAGE", "CliError", "build_parser", "main"]


def _article(args: argparse.Namespace) -> int:
    from analysis.cli.article import run_article

    aliases = _library_aliases() if args.library_aliases else ()
    return run_article(
        args.path, output_format=args.format, model=args.model, explain=args.explain, aliases=aliases
    )


def _score(args: argparse.Namespace) -> int:
    from analysis.cli.posts import run_score

    return run_score(
        args.path,
        text_column=args.text_column,
        lang=args.lang,
        model=args.model,
        out=args.out,
        explain=args.explain,
        chunk_size=args.chunk_size,
        clean=not args.no_clean,
        emotions=args.emotions,
    )


def _corpus_options(args: argparse.Namespace) -> CorpusOptions:
    """The options `timeline` and `entities` share (see `_corpus_arguments`)."""
    from analysis.cli.posts import clean_options
    from analysis.corpus.ingest import ColumnMapping
    from analysis.corpus.pipeline import CorpusOptions

    return CorpusOptions(
        mapping=ColumnMapping(text=args.text_column or "", time=args.time_column, author=args.author_column),
        tz=args.tz,
        year=args.year,
        export_time=args.export_time,
        clean=clean_options(clean=not args.no_clean, dedupe=True, drop_duplicates=args.drop_duplicates),
        model=args.model,
        lang=args.lang,
        emotions=bool(getattr(args, "emotions", False)),  # only `timeline` reads them (--emotions)
    )


def _timeline(args: argparse.Namespace) -> int:
    from analysis.cli.posts import run_timeline

    return run_timeline(
        args.path,
        _corpus_options(args),
        freq=args.freq,
        out=args.out,
        chunk_size=args.chunk_size,
        report=args.report,
        emotions=args.emotions,
    )


def _entities(args: argparse.Namespace) -> int:
    from analysis.cli.posts import run_entities

    return run_entities(
        args.path,
        _corpus_options(args),
        freq=args.freq,
        out=args.out,
        chunk_size=args.chunk_size,
        competitors=re.split(r"[,，]", args.competitors) if args.competitors is not None else (),
        rollup=args.rollup,
        report=args.report,
        aliases=_library_aliases() if args.library_aliases else (),
        emotions=args.emotions,
    )


def _library_aliases() -> tuple[tuple[str, str, str], ...]:
    from analysis.cli.library import library_aliases

    return library_aliases()


def _library(args: argparse.Namespace) -> int:
    from analysis.cli import library

    if args.library_command == "list":
        return library.run_list(output_format=args.format)
    if args.library_command == "add":
        return library.run_add(args.path, title=args.title, source=args.source, model=args.model)
    if args.library_command == "review":
        return library.run_review(
            args.id,
            sentence=args.sentence,
            label=args.label,
            emotion=args.emotion,
            note=args.note,
            editor=args.editor,
            model=args.model,
        )
    if args.library_command == "undo":
        return library.run_undo(args.id, editor=args.editor)
    return library.run_export(args.id, output_format=args.format, out=args.out, model=args.model)


def _report(args: argparse.Namespace) -> int:
    from analysis.cli import report

    common = {"lang": args.lang, "fmt": args.format, "out": args.out, "model": args.model}
    if args.report_kind == "article":
        return report.run_report_article(args.id, file=args.file, **common)
    if args.report_kind == "compare":
        ids = [int(x) for x in re.split(r"[,，\s]+", args.ids.strip()) if x] if args.ids else []
        return report.run_report_compare(ids, start=args.start, end=args.end, **common)
    return report.run_report_posts(
        args.path,
        corpus_id=args.corpus,
        text_column=args.text_column,
        time_column=args.time_column,
        author_column=args.author_column,
        tz=args.tz,
        freq=args.freq,
        start=args.start,
        end=args.end,
        **common,
    )


def _report_parser(sub: argparse._SubParsersAction[OneLineArgumentParser], models: str) -> None:
    from analysis.sentiment import SUITES

    rep = sub.add_parser(
        "report",
        help="the briefing (舆情简报): an article, a comparison or posts as HTML, PDF or Markdown",
        description="A brief to send: headline figures with counts and formula, the gauge, groups, "
        "the most negative and positive sentences with their ids, entities, emotions, stated versus "
        "computed and the method. HTML is one offline file; PDF needs headless Chromium; Markdown "
        "leaves the charts out. The file is written only when complete.",
    )
    kinds = rep.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    art = kinds.add_parser("article", help="one article: a library ID, or --file PATH")
    art.add_argument("id", nargs="?", type=int, metavar="ID", help="the article id (see `library list`)")
    art.add_argument("--file", metavar="PATH|-", help="an article file instead of a library article")
    cmp_ = kinds.add_parser("compare", help="library articles side by side: --ids, or a period")
    cmp_.add_argument("--ids", metavar="1,2,3", help="the article ids")
    posts = kinds.add_parser("posts", help="a table of dated posts over a period")
    posts.add_argument("path", nargs="?", metavar="PATH|-", help="the posts file (or --corpus ID)")
    posts.add_argument("--corpus", type=int, metavar="ID", help="a corpus stored in the library")
    posts.add_argument(
        "--time-column", metavar="COL", help="column holding the post time (required for a file)"
    )
    posts.add_argument("--text-column", metavar="COL", help="column holding the text (default: detected)")
    posts.add_argument(
        "--author-column", metavar="COL", help="column holding the author (coordinated posting)"
    )
    posts.add_argument("--tz", metavar="ZONE", help=f"time zone (default: the corpus's, else {DEFAULT_TZ})")
    posts.add_argument(
        "--freq", choices=["H", "D", "W"], default="D", help="period of the timeline (default: D)"
    )
    for p in (cmp_, posts):
        p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (included)")
        p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (included)")
    for p in (art, cmp_, posts):
        p.add_argument(
            "--format", choices=["html", "pdf", "md"], help="default: from --out's extension, else html"
        )
        p.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="language of the report (default: zh)"
        )
        p.add_argument(
            "--out", metavar="OUT", help="write here (HTML and PDF need it; Markdown prints without)"
        )
        p.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    rep.set_defaults(func=_report)


def _corpus_arguments(p: argparse.ArgumentParser, models: str) -> None:
    """The arguments of the commands over dated posts (`timeline`, `entities`)."""
    from analysis.sentiment import SUITES

    p.add_argument("path", metavar="PATH|-", help="the input file, or - to read standard input")
    p.add_argument("--time-column", required=True, metavar="COL", help="column holding the post time")
    p.add_argument("--text-column", metavar="COL", help="column holding the text (default: detected)")
    p.add_argument(
        "--freq", choices=["H", "D", "W"], default="D", help="period: hour, day or week (default: D)"
    )
    p.add_argument("--tz", default=DEFAULT_TZ, metavar="ZONE", help=f"time zone (default: {DEFAULT_TZ})")
    p.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    p.add_argument("--out", metavar="OUT", help="write the CSV here instead of standard output")
    p.add_argument(
        "--chunk-size", type=int, default=50_000, metavar="N", help="rows per chunk (default: 50000)"
    )
    p.add_argument(
        "--lang",
        choices=["auto", "zh", "en"],
        default="auto",
        help="language of the texts; auto decides per text (default: auto)",
    )
    p.add_argument(
        "--year", type=int, metavar="YYYY", help="year for dates written without one (5月31日 23:54)"
    )
    p.add_argument(
        "--export-time",
        metavar="TIME",
        help="when the file was exported, for relative times (3分钟前, 昨天 12:30)",
    )
    p.add_argument(
        "--no-clean",
        action="store_true",
        help="no cleaning and no duplicate detection (default: clean social text, flag duplicate "
        "posts and count every post)",
    )
    p.add_argument(
        "--drop-duplicates",
        action="store_true",
        help="leave posts flagged as duplicates out of the counts (default: every post counts; "
        "the summary on stderr says how many were flagged and left out)",
    )
    p.add_argument(
        "--author-column",
        metavar="COL",
        help="column holding the author: finds coordinated posting (the same text from 3 or more "
        "authors within an hour), listed in --report",
    )
    p.add_argument(
        "--report",
        metavar="PATH",
        help="write a JSON report here: what happened to every row, duplicates, coordinated posting",
    )


def build_parser() -> argparse.ArgumentParser:
    from analysis.sentiment import SUITES

    models = ", ".join(f"{k} ({v.description})" for k, v in SUITES.items())
    parser = OneLineArgumentParser(
        prog="python -m analysis",
        description="Opinion Lens (舆情透镜): sentence-level sentiment of articles and posts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    art = sub.add_parser(
        "article",
        help="analyse one article (txt, md, html, docx, pdf)",
        description="Analyse one article: structure, per-sentence sentiment, nev and nev_polar, "
        "themes, keywords and the figures it states.",
    )
    art.add_argument("path", metavar="PATH|-", help="the article file, or - to read standard input")
    art.add_argument(
        "--format", choices=["json", "text"], default="text", help="output format (default: text)"
    )
    art.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    art.add_argument(
        "--explain",
        action="store_true",
        help="evidence for every sentence from the accurate model too (occlusion: one encoder pass "
        "per word, a few seconds per sentence); the fast model always gives its evidence",
    )
    art.set_defaults(func=_article)

    score = sub.add_parser(
        "score",
        help="score every row of a table of posts",
        description="Score each text of a csv / xlsx / jsonl / txt (one text per line) file and write "
        "the same rows as CSV with added columns lang, score, label, model (and emotion, emotion_score "
        "with --emotions; input columns of those names are kept as <name>_input). Streams in chunks.",
    )
    score.add_argument("path", metavar="PATH|-", help="the input file, or - to read standard input")
    score.add_argument("--text-column", metavar="COL", help="column holding the text (default: detected)")
    score.add_argument(
        "--lang",
        choices=["auto", "zh", "en"],
        default="auto",
        help="language of the texts; auto decides per text (default: auto)",
    )
    score.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    score.add_argument("--out", metavar="OUT", help="write the CSV here instead of standard output")
    score.add_argument(
        "--explain",
        action="store_true",
        help="add an evidence column: the spans that moved each score (accurate model: by occlusion, "
        "one encoder pass per word, so slow on large files)",
    )
    score.add_argument(
        "--chunk-size", type=int, default=50_000, metavar="N", help="rows per chunk (default: 50000)"
    )
    score.add_argument(
        "--no-clean",
        action="store_true",
        help="score the text as written (default: drop reply prefixes, repost chains, URLs, "
        "truncation markers and map Weibo emoticons before scoring; rows are never dropped)",
    )
    score.add_argument(
        "--emotions",
        action="store_true",
        help="add emotion (joy, anger, sadness, fear, surprise, disgust or neutral) and emotion_score "
        "(its calibrated probability) columns, read by the emotion model of the sentiment model's "
        "tier (accurate with the accurate model, else fast); empty where a text has no reading",
    )
    score.set_defaults(func=_score)

    tl = sub.add_parser(
        "timeline",
        help="sentiment per period of a table of dated posts",
        description="Score dated posts and write one row per period: "
        "period, posts, n, unscored, positive, neutral, negative, nev, nev_polar "
        "(posts: every post of the period; n: the scored ones, nev's denominator; "
        "unscored = posts - n). Streams in chunks.",
    )
    _corpus_arguments(tl, models)
    tl.add_argument(
        "--emotions",
        action="store_true",
        help="also read each post's emotion (fast tier) and add one count column per emotion: "
        "emotion_joy, emotion_anger, emotion_sadness, emotion_fear, emotion_surprise, "
        "emotion_disgust, emotion_neutral, and emotion_unread (posts without a reading); "
        "the eight add up to posts",
    )
    tl.set_defaults(func=_timeline)

    ent = sub.add_parser(
        "entities",
        help="mentions, sentiment and share of voice of entities per period of a table of dated posts",
        description="Score dated posts, find the entities of the alias table they name (companies, "
        "people, products, organisations, places; Chinese and English aliases) and write one row per "
        "period and entity: period, entity, mentions, positive, neutral, negative, nev, "
        "share_of_voice (the entity's share of all entity mentions of the period). A post counts "
        "once per entity it names, with its own label. Streams in chunks.",
    )
    _corpus_arguments(ent, models)
    ent.add_argument(
        "--competitors",
        metavar="A,B,C",
        help="only these entities (canonical names or aliases, comma-separated, e.g. 小米,华为,Tesla), "
        "share of voice recomputed within the set",
    )
    ent.add_argument(
        "--emotions",
        action="store_true",
        help="add emotion (the most frequent of joy, anger, sadness, fear, surprise, disgust over the "
        "entity's posts of the period) and a count per emotion (emotion_joy … emotion_neutral), read "
        "by the fast emotion model for the posts that name an entity",
    )
    ent.add_argument(
        "--rollup",
        action="store_true",
        help="count a child entity under its parent (小米汽车 and SU7 as 小米)",
    )
    for p in (art, ent):
        p.add_argument(
            "--library-aliases",
            action="store_true",
            help="add the entity aliases stored in the app's library (the same database as the app)",
        )
    ent.set_defaults(func=_entities)

    lib = sub.add_parser(
        "library",
        help="the app's article library: list, add, review labels, export",
        description="The app's library (the same database: $OPINION_LENS_DB_URL, else the app's "
        "secrets file, else the per-user SQLite file). Reviews append to the audit trail.",
    )
    lib_sub = lib.add_subparsers(dest="library_command", required=True, metavar="ACTION")
    ls = lib_sub.add_parser("list", help="every article: id, date, language, n, NEV, reviews, title")
    ls.add_argument("--format", choices=["text", "json"], default="text")
    add = lib_sub.add_parser("add", help="store and analyse one article file; prints its id")
    add.add_argument("path", metavar="PATH|-", help="the article file, or - to read standard input")
    add.add_argument("--title", help="title (default: from the file)")
    add.add_argument("--source", help="source (default: from the file)")
    rev = lib_sub.add_parser("review", help="set one sentence's label or emotion (an audit entry)")
    rev.add_argument("id", type=int, metavar="ID", help="the article id (see `library list`)")
    rev.add_argument(
        "--sentence", type=int, required=True, metavar="N", help="sentence number (# in the app)"
    )
    what = rev.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--label",
        metavar="LABEL",
        help="positive, neutral, negative, or model (back to the model's)",
    )
    what.add_argument(
        "--emotion",
        metavar="EMOTION",
        help="joy, anger, sadness, fear, surprise, disgust, neutral (or 喜怒哀惧惊恶无), or model",
    )
    rev.add_argument("--note", default="", help="why (up to 2,000 characters)")
    rev.add_argument("--editor", help="who reviews (default: $OPINION_LENS_EDITOR, else your user name)")
    undo = lib_sub.add_parser("undo", help="undo the article's last review change")
    undo.add_argument("id", type=int, metavar="ID")
    undo.add_argument("--editor", help="who undoes (default: $OPINION_LENS_EDITOR, else your user name)")
    exp = lib_sub.add_parser("export", help="the reviewed analysis with both labels and the audit trail")
    exp.add_argument("id", type=int, metavar="ID")
    exp.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    exp.add_argument("--out", metavar="OUT", help="write here instead of standard output")
    for p in (add, rev, exp):
        p.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    lib.set_defaults(func=_library)
    _report_parser(sub, models)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    except OpinionLensError as exc:  # any other user-facing error: one line, the input's status
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory; use a smaller --chunk-size", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # last resort: one line, never a traceback
        print(f"error: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_INTERNAL
