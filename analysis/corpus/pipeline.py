"""From a raw table of posts to scored, dated, cleaned posts — the one path the CLI and the
dashboard share. `prepare_chunk` is applied chunk by chunk; every row read ends up in exactly one
bucket of `IngestReport` (empty text, unparsed time, emptied by cleaning, left out as a duplicate
(only when asked: by default duplicates are flagged and counted), scored, unscored), so nothing
is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.corpus.aggregate import engagement_weight, period_start
from analysis.corpus.clean import CleanOptions, CleanReport, Deduplicator, clean_texts
from analysis.corpus.coordination import CoordinationTracker
from analysis.corpus.ingest import ColumnMapping, CorpusError, parse_counts
from analysis.corpus.scoring import score_frame
from analysis.corpus.timeparse import DEFAULT_TZ, check_tz, parse_times
from analysis.sentiment import Thresholds

POST_COLUMNS = (
    "row",
    "text",
    "text_clean",
    "time",
    "lang",
    "score",
    "label",
    "weight",
    "emoticon_net",
    "duplicate",  # "" (first of its kind), "exact" or "near": flagged, still counted
)


@dataclass(frozen=True)
class CorpusOptions:
    mapping: ColumnMapping
    tz: str = DEFAULT_TZ
    year: int | None = None
    export_time: str | None = None
    clean: CleanOptions = field(default_factory=CleanOptions)
    model: str = "default"
    band: tuple[float, float] | None = None
    lang: str = "auto"
    need_time: bool = True


@dataclass
class IngestReport:
    rows_read: int = 0
    empty_text: int = 0
    bad_time: int = 0
    emptied_by_cleaning: int = 0
    scored: int = 0
    unscored: int = 0
    clean: CleanReport = field(default_factory=CleanReport)
    time_formats: Counter[str] = field(default_factory=Counter)
    assumed_year: int | None = None
    year_source: str | None = None
    relative_without_export_time: int = 0
    bad_time_examples: list[str] = field(default_factory=list)
    # Same text from several authors within a short window (coordination.COLUMNS); None when the
    # corpus has no author or time column to tell.
    coordinated: pd.DataFrame | None = None

    @property
    def duplicates(self) -> int:
        """Posts flagged as repeats of an earlier one (counted unless `duplicates_dropped`)."""
        return self.clean.counts["dedupe_exact"] + self.clean.counts["dedupe_near"]

    @property
    def duplicates_dropped(self) -> int:
        """Flagged posts left out of the counts (only with CleanOptions.drop_duplicates)."""
        return self.clean.counts["drop_duplicates"]

    @property
    def accounted(self) -> int:
        """Rows in some bucket; equals rows_read (conservation, tested)."""
        return (
            self.empty_text
            + self.bad_time
            + self.emptied_by_cleaning
            + self.duplicates_dropped
            + self.scored
            + self.unscored
        )

    def summary_line(self) -> str:
        parts = [
            f"read {self.rows_read} rows",
            f"scored {self.scored}",
            f"unscored (neither Chinese nor English) {self.unscored}",
            f"empty text {self.empty_text}",
            f"unparsed time {self.bad_time}",
            f"duplicates flagged {self.duplicates} (left out {self.duplicates_dropped})",
            f"empty after cleaning {self.emptied_by_cleaning}",
        ]
        if self.assumed_year is not None:
            parts.append(f"year assumed {self.assumed_year} ({self.year_source})")
        return "; ".join(parts)


class ChunkProcessor:
    """Stateful over a stream (dedupe memory, the year inferred from the first chunk)."""

    def __init__(self, options: CorpusOptions) -> None:
        check_tz(options.tz)
        self.options = options
        self.report = IngestReport()
        self._dedupe = Deduplicator(options.clean.dedupe_exact, options.clean.dedupe_near)
        # Same text from several authors in a short window: needs both columns.
        self.coordination = CoordinationTracker() if options.mapping.author and options.mapping.time else None
        self._band = Thresholds(*options.band) if options.band else None
        self._year = options.year
        self._years_seen: Counter[int] = Counter()

    def process(self, chunk: pd.DataFrame, first_row: int) -> pd.DataFrame:
        """Scored posts of one chunk (columns POST_COLUMNS + mapped optional roles)."""
        m = self.options.mapping
        missing = [c for c in m.columns() if c not in chunk.columns]
        if missing:  # a mapping from another file: say which column, never a KeyError
            raise CorpusError("unknown_column", f"no column named {missing[0]!r}", column=missing[0])
        rep = self.report
        rep.rows_read += len(chunk)
        frame = chunk.reset_index(drop=True)
        raw = frame[m.text].astype("string").fillna("")
        posts = pd.DataFrame({"row": pd.RangeIndex(first_row, first_row + len(frame)), "text": raw})
        keep = (raw.str.strip() != "").to_numpy()
        rep.empty_text += int((~keep).sum())

        if m.time:
            year = self._year
            if year is None and self._years_seen:
                year = self._years_seen.most_common(1)[0][0]  # full dates of earlier chunks
            parsed = parse_times(
                frame[m.time], self.options.tz, year=year, export_time=self.options.export_time
            )
            self._years_seen.update(parsed.full_years)
            if self._year is None and parsed.formats.get("yearless"):
                # Later chunks reuse this year so one file never mixes two assumptions.
                self._year = year if year is not None else parsed.assumed_year
                rep.assumed_year = self._year
                rep.year_source = "column" if year is not None else parsed.year_source
            rep.time_formats.update(parsed.formats)
            posts["time"] = parsed.times
            bad = parsed.times.isna().to_numpy() & keep
            rep.bad_time += int(bad.sum())
            if bad.any() and len(rep.bad_time_examples) < 5:
                rep.bad_time_examples.extend(
                    str(v) for v in frame.loc[bad, m.time].head(5 - len(rep.bad_time_examples))
                )
            rep.relative_without_export_time += parsed.relative_without_export_time
            keep &= ~bad
        else:
            posts["time"] = pd.Series(pd.NaT, index=posts.index, dtype=f"datetime64[ns, {self.options.tz}]")

        for role in ("source", "author", "region"):
            col = getattr(m, role)
            if col:
                posts[role] = frame[col].astype("string")
        for role in ("likes", "comments", "reposts"):
            col = getattr(m, role)
            if col:
                posts[role] = parse_counts(frame[col])
        posts = posts[keep]

        cleaned, creport = clean_texts(posts["text"], self.options.clean)
        posts = posts.assign(text_clean=cleaned["text_clean"], emoticon_net=cleaned["emoticon_net"])
        emptied = (posts["text_clean"] == "").to_numpy()
        rep.emptied_by_cleaning += int(emptied.sum())
        posts = posts[~emptied]
        flags = self._dedupe.flags(posts["text_clean"], creport)
        posts = posts.assign(duplicate=flags)
        if self.coordination is not None:
            self.coordination.add(posts)
        if self.options.clean.drop_duplicates:
            dropped = flags != ""
            creport.counts["drop_duplicates"] += int(dropped.sum())
            posts = posts[~dropped]
        rep.clean.add(creport)

        posts = score_frame(posts, "text_clean", self.options.model, self._band, self.options.lang)
        n_scored = int(posts["label"].notna().sum())
        rep.scored += n_scored
        rep.unscored += len(posts) - n_scored
        posts["weight"] = engagement_weight(
            posts.get("likes"), posts.get("comments"), posts.get("reposts"), posts.index
        )
        return posts.reset_index(drop=True)


def process_chunks(
    chunks: Iterable[pd.DataFrame],
    options: CorpusOptions,
    progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, IngestReport]:
    """All scored posts in memory (the dashboard; the CLI aggregates chunk by chunk instead)."""
    proc = ChunkProcessor(options)
    parts: list[pd.DataFrame] = []
    row = 1
    for chunk in chunks:
        parts.append(proc.process(chunk, row))
        row += len(chunk)
        if progress is not None:
            progress(proc.report.rows_read)
    check_report(proc.report, options)
    if proc.coordination is not None:
        proc.report.coordinated = proc.coordination.result()
    posts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(POST_COLUMNS))
    return posts, proc.report


def check_report(report: IngestReport, options: CorpusOptions) -> None:
    """Raise when nothing usable came out: no rows, or a time column where nothing parsed."""
    if report.rows_read == 0:
        raise CorpusError("no_rows", "the file has no rows")
    if report.rows_read == report.empty_text:
        raise CorpusError("no_text", f"every row of the text column {options.mapping.text!r} is empty")
    if options.mapping.time and report.bad_time == report.rows_read - report.empty_text:
        examples = ", ".join(repr(x) for x in report.bad_time_examples[:3])
        hint = ""
        if report.relative_without_export_time:
            hint = " (relative times such as 3分钟前 need the export time)"
        raise CorpusError(
            "time_unparsed",
            f"no value of the time column {options.mapping.time!r} parses as a time{hint}; e.g. {examples}",
            column=options.mapping.time,
            examples=examples,
        )


def frame_chunks(frame: pd.DataFrame, chunk_size: int) -> Iterable[pd.DataFrame]:
    for start in range(0, len(frame), chunk_size):
        yield frame.iloc[start : start + chunk_size]


def with_periods(posts: pd.DataFrame, freq: str) -> pd.DataFrame:
    out = posts.copy()
    out["period"] = period_start(out["time"], freq)
    return out


def options_with(options: CorpusOptions, **changes: object) -> CorpusOptions:
    return replace(options, **changes)  # type: ignore[arg-type]
