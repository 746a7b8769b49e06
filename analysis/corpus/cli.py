"""`python -m analysis score` and `python -m analysis timeline` (argparse lives in analysis/cli.py).

Both stream: the file is read in chunks of --chunk-size rows, each chunk is scored and written (score)
or added to per-period counts (timeline) and then dropped, so memory stays flat as the file grows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

import pandas as pd

from analysis.cli import CliError, read_input_bytes
from analysis.corpus.aggregate import TimelineAccumulator, period_start, timeline_csv_frame
from analysis.corpus.clean import CleanOptions, clean_texts
from analysis.corpus.ingest import ColumnMapping, CorpusError, TableSource, detect_mapping, open_table
from analysis.corpus.pipeline import (
    ChunkProcessor,
    CorpusOptions,
    check_report,
    options_with,
    validate_options,
)
from analysis.corpus.scoring import SCORE_COLUMNS, keep_input_columns, model_components, score_frame
from analysis.corpus.timeparse import TimeZoneError
from analysis.format import evidence_string
from analysis.sentiment import Scorer, SentimentError


class ProgressLine:
    """Progress and ETA on stderr, at most once a second (a line each when stderr is a file)."""

    def __init__(self, total: int, unit: str) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self.start = self.last = time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last < 1.0 and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        line = f"scored {self.done}/{self.total} {self.unit} ({rate:.0f}/s, ETA {_duration(eta)})"
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "unknown"
    whole = round(seconds)
    return f"{whole // 3600}h{whole // 60 % 60:02d}m" if whole >= 3600 else f"{whole // 60}m{whole % 60:02d}s"


def _open(path: str) -> TableSource:
    try:
        if path == "-":
            data, name = read_input_bytes(path)
            return open_table(data, name)
        if not Path(path).exists():
            raise CliError(f"no such file: {path}")
        if Path(path).is_dir():
            raise CliError(f"is a directory, not a file: {path}")
        return open_table(Path(path))
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _mapping(
    table: TableSource, text_column: str | None, time_column: str | None, author_column: str | None = None
) -> ColumnMapping:
    columns = table.columns
    for role, col in (("text", text_column), ("time", time_column), ("author", author_column)):
        if col and col not in columns:
            raise CliError(f"no {role} column named {col!r}; the columns are: {', '.join(columns[:30])}")
    if text_column:
        text = text_column
    else:
        sample = next(table.iter_chunks(200))
        try:
            text = detect_mapping(sample).text
        except CorpusError as exc:
            raise CliError(f"{exc}; name it with --text-column") from None
    return ColumnMapping(text=text, time=time_column, author=author_column)


def _clean_options(args: argparse.Namespace, dedupe: bool) -> CleanOptions:
    """Cleaning for scoring; duplicates are flagged (timeline) and counted unless
    --drop-duplicates leaves them out."""
    if getattr(args, "no_clean", False):
        return CleanOptions.none()
    if dedupe:
        return CleanOptions(drop_duplicates=bool(getattr(args, "drop_duplicates", False)))
    return CleanOptions(dedupe_exact=False, dedupe_near=False)


def _output(path: str | None) -> tuple[TextIO, bool]:
    if not path:
        return sys.stdout, False
    try:
        return open(path, "w", encoding="utf-8", newline=""), True
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def run_score(args: argparse.Namespace) -> int:
    """Every row of the input, as CSV, with lang, score, label and model (`name@version`) added
    (input columns of those names are kept as `<name>_input`). Rows are kept as they are (no
    dedupe); cleaning only changes the text that is scored."""
    table = _open(args.path)
    mapping = _mapping(table, args.text_column, None)
    clean = _clean_options(args, dedupe=False)
    try:
        scorer = Scorer(args.model, workload="article")
        components = model_components(args.model, workload="article")
    except SentimentError as exc:
        raise CliError(str(exc)) from None
    if scorer.note:
        print(f"note: {scorer.note}", file=sys.stderr)
    progress = None
    if scorer.is_accurate:  # tens of texts per second: say how long it will take
        try:
            total = sum(len(c) for c in table.iter_chunks(args.chunk_size))
        except CorpusError as exc:
            raise CliError(str(exc)) from None
        progress = ProgressLine(total, "texts")
    explain = bool(getattr(args, "explain", False))
    out, close = _output(args.out)
    rows = 0
    try:
        for i, chunk in enumerate(table.iter_chunks(args.chunk_size)):
            cleaned, _ = clean_texts(chunk[mapping.text], clean)
            work = pd.DataFrame({"_text": cleaned["text_clean"].to_numpy()}, index=chunk.index)
            scored = score_frame(
                work, "_text", args.model, lang=args.lang, workload="article", progress=progress
            )
            result = keep_input_columns(chunk, (*SCORE_COLUMNS, "model"))
            for col in SCORE_COLUMNS:
                result[col] = scored[col].to_numpy()
            result["model"] = scored["lang"].map(components).fillna("").to_numpy()
            result.loc[result["label"].isna(), "model"] = ""
            if explain:
                result["evidence"] = [
                    "" if pd.isna(label) else evidence_string(scorer.explain(text))
                    for text, label in zip(work["_text"], scored["label"], strict=True)
                ]
            result.to_csv(out, header=(i == 0), index=False, lineterminator="\n")
            rows += len(chunk)
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    finally:
        if close:
            out.close()
    if progress is not None:
        progress.finish()
    if rows == 0:
        raise CliError("the file has no rows")
    print(f"scored {rows} rows", file=sys.stderr)
    return 0


def run_timeline(args: argparse.Namespace) -> int:
    """One row per period: period, n, positive, neutral, negative, nev, nev_polar."""
    author_column = getattr(args, "author_column", None)
    options = CorpusOptions(
        mapping=ColumnMapping(text=args.text_column or "", time=args.time_column, author=author_column),
        tz=args.tz,
        year=getattr(args, "year", None),
        export_time=getattr(args, "export_time", None),
        clean=_clean_options(args, dedupe=True),
        model=args.model,
        lang=getattr(args, "lang", "auto"),
    )
    try:  # the options first, before the file is read (the text column is detected from it below)
        validate_options(options, freq=args.freq)
    except (CorpusError, TimeZoneError) as exc:
        raise CliError(str(exc)) from None
    table = _open(args.path)
    options = options_with(
        options, mapping=_mapping(table, args.text_column, args.time_column, author_column)
    )
    proc = ChunkProcessor(options)
    acc = TimelineAccumulator(args.freq)
    row = 1
    try:
        for chunk in table.iter_chunks(args.chunk_size):
            posts = proc.process(chunk, row)
            row += len(chunk)
            acc.add(period_start(posts["time"], args.freq), posts["label"])
        check_report(proc.report, options)
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    except SentimentError as exc:
        raise CliError(str(exc)) from None
    frame = timeline_csv_frame(acc.result(), args.freq)
    out, close = _output(args.out)
    try:
        frame.to_csv(out, index=False, lineterminator="\n")
    finally:
        if close:
            out.close()
    if getattr(args, "report", None):
        _write_report(args.report, proc)
    print(proc.report.summary_line(), file=sys.stderr)
    return 0


def _write_report(path: str, proc: ChunkProcessor) -> None:
    """The ingest report and the coordinated-posting table as JSON (--report)."""
    import json

    rep = proc.report
    coordinated = proc.coordination.result() if proc.coordination is not None else None
    data = {
        "rows_read": rep.rows_read,
        "scored": rep.scored,
        "unscored": rep.unscored,
        "empty_text": rep.empty_text,
        "unparsed_time": rep.bad_time,
        "empty_after_cleaning": rep.emptied_by_cleaning,
        "duplicates_flagged": rep.duplicates,
        "duplicates_left_out": rep.duplicates_dropped,
        "cleaning": dict(rep.clean.counts),
        "coordinated_posting": None
        if coordinated is None
        else json.loads(coordinated.to_json(orient="records", date_format="iso", force_ascii=False)),
        "coordinated_posting_note": None
        if coordinated is not None
        else "needs --author-column (and --time-column) to find the same text from several authors",
    }
    try:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
