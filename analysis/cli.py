"""Command line: `python -m analysis article|score|timeline ...` (contract in ARCHITECTURE.md).

Errors are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.errors import OpinionLensError

EXIT_USAGE = 2
EXIT_INPUT = 3  # the input could not be read or understood
EXIT_INTERNAL = 4


class CliError(OpinionLensError):
    """An error to report as one line on stderr, exiting with `status`."""

    default_code = "cli"

    def __init__(self, message: str, status: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.status))


class OneLineArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (argparse prints the whole usage block by default)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def read_input_bytes(path: str) -> tuple[bytes, str | None]:
    """Bytes of PATH, or of standard input for `-`; with the file name (None for stdin)."""
    if path == "-":
        return sys.stdin.buffer.read(), None
    p = Path(path)
    if not p.exists():
        raise CliError(f"no such file: {path}")
    if p.is_dir():
        raise CliError(f"is a directory, not a file: {path}")
    try:
        return p.read_bytes(), p.name
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _cmd_article(args: argparse.Namespace) -> int:
    from analysis.format import merge_metadata
    from analysis.pipeline import analyze_text
    from analysis.readers import ReaderError, read_document
    from analysis.report import format_text_report

    data, name = read_input_bytes(args.path)
    try:
        doc = read_document(data, filename=name)
    except ReaderError as exc:
        raise CliError(str(exc)) from None
    meta = merge_metadata(doc)  # the library's rule, so both give one file the same source
    analysis = analyze_text(
        doc.text,
        model=args.model,
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
        costly_evidence=args.explain,
    )
    if analysis.model.note:
        print(f"note: {analysis.model.note}", file=sys.stderr)
    if args.format == "json":
        json.dump(analysis.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text_report(analysis))
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from analysis.corpus.cli import run_score

    return run_score(args)


def _cmd_timeline(args: argparse.Namespace) -> int:
    from analysis.corpus.cli import run_timeline

    return run_timeline(args)


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
    art.set_defaults(func=_cmd_article)

    score = sub.add_parser(
        "score",
        help="score every row of a table of posts",
        description="Score each text of a csv / xlsx / jsonl / txt (one text per line) file and write "
        "the same rows as CSV with added columns lang, score, label, model (input columns of those "
        "names are kept as <name>_input). Streams in chunks.",
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
    score.set_defaults(func=_cmd_score)

    tl = sub.add_parser(
        "timeline",
        help="sentiment per period of a table of dated posts",
        description="Score dated posts and write one row per period: "
        "period, n, positive, neutral, negative, nev, nev_polar. Streams in chunks.",
    )
    tl.add_argument("path", metavar="PATH|-", help="the input file, or - to read standard input")
    tl.add_argument("--time-column", required=True, metavar="COL", help="column holding the post time")
    tl.add_argument("--text-column", metavar="COL", help="column holding the text (default: detected)")
    tl.add_argument(
        "--freq", choices=["H", "D", "W"], default="D", help="period: hour, day or week (default: D)"
    )
    tl.add_argument(
        "--tz", default="Asia/Shanghai", metavar="ZONE", help="time zone (default: Asia/Shanghai)"
    )
    tl.add_argument("--model", default="default", choices=list(SUITES), help=f"sentiment model: {models}")
    tl.add_argument("--out", metavar="OUT", help="write the CSV here instead of standard output")
    tl.add_argument(
        "--chunk-size", type=int, default=50_000, metavar="N", help="rows per chunk (default: 50000)"
    )
    tl.add_argument(
        "--lang",
        choices=["auto", "zh", "en"],
        default="auto",
        help="language of the texts; auto decides per text (default: auto)",
    )
    tl.add_argument(
        "--year", type=int, metavar="YYYY", help="year for dates written without one (5月31日 23:54)"
    )
    tl.add_argument(
        "--export-time",
        metavar="TIME",
        help="when the file was exported, for relative times (3分钟前, 昨天 12:30)",
    )
    tl.add_argument(
        "--no-clean",
        action="store_true",
        help="no cleaning and no duplicate detection (default: clean social text, flag duplicate "
        "posts and count every post)",
    )
    tl.add_argument(
        "--drop-duplicates",
        action="store_true",
        help="leave posts flagged as duplicates out of the counts (default: every post counts; "
        "the summary on stderr says how many were flagged and left out)",
    )
    tl.add_argument(
        "--author-column",
        metavar="COL",
        help="column holding the author: finds coordinated posting (the same text from 3 or more "
        "authors within an hour), listed in --report",
    )
    tl.add_argument(
        "--report",
        metavar="PATH",
        help="write a JSON report here: what happened to every row, duplicates, coordinated posting",
    )
    tl.set_defaults(func=_cmd_timeline)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
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
