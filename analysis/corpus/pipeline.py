"""From a raw table of posts to scored, dated, cleaned posts — the one path the CLI and the
dashboard share. `ChunkProcessor.process` is applied chunk by chunk. Every row whose time parses
is a post (the timeline's `posts`), scored or unscored: a post with empty text, with nothing left
after cleaning (only a link), with only unknown emoticon codes or in neither language is unscored,
never dropped (a post of known emoticon codes only is scored by them: corpus/scoring.py).
Only two kinds of row are left out, each counted in `IngestReport`: a row whose time does not
parse (it has no period) and, when asked, a duplicate (by default duplicates are flagged and
counted). So every row read is accounted for: rows_read = posts + bad_time + duplicates_dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus.aggregate import check_freq, engagement_weight
from analysis.corpus.clean import CleanOptions, CleanReport, Deduplicator, clean_texts
from analysis.corpus.coordination import CoordinationTracker
from analysis.corpus.ingest import ROLES, ColumnMapping, CorpusError, parse_counts, validate_mapping
from analysis.corpus.scoring import EMOTICON_LANG, EMOTION_COLUMN, score_frame
from analysis.corpus.timeparse import DEFAULT_TZ, TimeZoneError, check_tz, parse_times
from analysis.sentiment import SentimentError, Thresholds

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
    # "emotion": one of EMOTIONS or None (unread), when CorpusOptions.emotions (scoring.py)
)


@dataclass(frozen=True)
class CorpusOptions:
    """How a table of posts is read and scored: the CLI's flags, the page's form and sidebar."""

    mapping: ColumnMapping
    tz: str = DEFAULT_TZ
    year: int | None = None
    export_time: str | None = None
    clean: CleanOptions = field(default_factory=CleanOptions)
    model: str = "default"
    band: tuple[float, float] | None = None
    lang: str = "auto"
    need_time: bool = True
    emotions: bool = True  # read each post's emotion (fast tier): the `emotion` column

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (session state, cache keys); `from_dict` reads them back."""
        return {
            "mapping": self.mapping.to_dict(),
            "tz": self.tz,
            "year": self.year,
            "export_time": self.export_time,
            "clean": self.clean.to_dict(),
            "model": self.model,
            "band": None if self.band is None else [float(b) for b in self.band],
            "lang": self.lang,
            "need_time": self.need_time,
            "emotions": self.emotions,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusOptions:
        """The options `to_dict` wrote; a key left out takes its default."""
        plain = ("tz", "year", "export_time", "model", "lang", "need_time", "emotions")
        values: dict[str, Any] = {k: data[k] for k in plain if k in data}
        if data.get("band") is not None:
            low, high = data["band"]
            values["band"] = (float(low), float(high))
        return cls(
            mapping=ColumnMapping.from_dict(data["mapping"]), clean=_clean(data.get("clean")), **values
        )

    def cache_key(self, content_hash: str) -> str:
        """A stable key for the analysis of the content `content_hash` under these options: equal
        options give the same key in every process, any change of option gives another."""
        payload = json.dumps([_KEY_VERSION, content_hash, self.to_dict()], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_stored(self) -> dict[str, Any]:
        """What the library keeps with a corpus (its `mapping` record): the columns and the
        reading options; the model and band are the reader's choice, not the corpus's."""
        return {
            "columns": self.mapping.to_dict(),
            "options": {
                "tz": self.tz,
                "year": self.year,
                "export_time": self.export_time,
                "clean": self.clean.to_dict(),
            },
        }

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> CorpusOptions:
        """Options from a library record (`to_stored`; older records keep the roles at the top) or
        from the mapping form: a blank zone is the default zone, year 0 or blank is none."""
        options = stored.get("options") or {}
        columns = stored.get("columns") or {k: stored.get(k) for k in ROLES}
        return cls(
            mapping=ColumnMapping.from_dict({k: columns.get(k) for k in ROLES}),
            tz=str(options.get("tz") or "").strip() or DEFAULT_TZ,
            year=int(options.get("year") or 0) or None,
            export_time=str(options.get("export_time") or "").strip() or None,
            clean=_clean(options.get("clean")),
        )


_KEY_VERSION = 2  # bump when the analysis of the same options changes meaning


def _clean(data: Mapping[str, Any] | None) -> CleanOptions:
    known = {f.name for f in fields(CleanOptions)}
    return CleanOptions(**{k: bool(v) for k, v in (data or {}).items() if k in known})


# pandas keeps times in nanoseconds: a year outside these cannot be a timestamp at all.
YEAR_RANGE = (pd.Timestamp.min.year + 1, pd.Timestamp.max.year - 1)


def validate_options(
    options: CorpusOptions, columns: Sequence[str] | None = None, *, freq: str | None = None
) -> CorpusOptions:
    """Check options before any row is read; the CLI and the Posts page share it. Raises
    TimeZoneError (code bad_tz, field tz) or CorpusError (bad_export_time, bad_option,
    no_time_column, unknown_column) with the message the user sees. `columns`: the table's
    columns, to check the mapping against; `freq`: the period asked for, if any."""
    try:
        check_tz(options.tz)
    except TimeZoneError as exc:
        raise TimeZoneError(str(exc), tz=options.tz) from None
    if options.year is not None and not YEAR_RANGE[0] <= options.year <= YEAR_RANGE[1]:
        raise CorpusError(
            "bad_option",
            f"year {options.year} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})",
            value=options.year,
        )
    if options.export_time:
        try:
            pd.Timestamp(options.export_time)
        except ValueError:
            raise CorpusError(
                "bad_export_time",
                f"--export-time {options.export_time!r} is not a date-time",
                value=options.export_time,
            ) from None
    if options.band is not None:
        try:
            Thresholds(*options.band)
        except (SentimentError, TypeError) as exc:
            raise CorpusError("bad_option", str(exc)) from None
    if options.lang not in ("auto", "zh", "en"):
        raise CorpusError("bad_option", f"unknown language {options.lang!r}; use auto, zh or en")
    if freq is not None:
        try:
            check_freq(freq)
        except ValueError as exc:
            raise CorpusError("bad_option", str(exc)) from None
    if options.need_time and not options.mapping.time:
        raise CorpusError("no_time_column", "no time column was given or detected")
    if columns is not None:
        validate_mapping(options.mapping, list(columns), need_time=False)
    return options


@dataclass
class IngestReport:
    rows_read: int = 0
    rows_with_text: int = 0  # rows whose text cell is not blank (whatever their time)
    bad_time: int = 0  # rows whose time does not parse: left out (no period)
    scored: int = 0  # posts with a label (n)
    unscored: int = 0  # posts without a label, of which:
    empty_text: int = 0  # ... a blank text cell
    emptied_by_cleaning: int = 0  # ... nothing left after cleaning (e.g. only a link)
    emoticon_scored: int = 0  # scored posts labelled by the emoticon table (only emoticon codes)
    emotion_read: int = 0  # posts with an emotion reading (CorpusOptions.emotions); the rest unread
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
    def posts(self) -> int:
        """Rows that are posts of the timeline: scored (n) and unscored."""
        return self.scored + self.unscored

    @property
    def accounted(self) -> int:
        """Posts and the rows left out; equals rows_read (conservation, tested)."""
        return self.posts + self.bad_time + self.duplicates_dropped

    def summary_line(self) -> str:
        parts = [
            f"read {self.rows_read} rows",
            f"posts {self.posts}",
            f"scored {self.scored} (by emoticon {self.emoticon_scored})",
            f"unscored {self.unscored} (empty text {self.empty_text}, "
            f"empty after cleaning {self.emptied_by_cleaning})",
            f"unparsed time {self.bad_time} (left out)",
            f"duplicates flagged {self.duplicates} (left out {self.duplicates_dropped})",
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
        has_text = (raw.str.strip() != "").to_numpy()
        rep.rows_with_text += int(has_text.sum())
        keep = np.ones(len(frame), dtype=bool)  # every row with a time is a post

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
            bad = parsed.times.isna().to_numpy()
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
        rep.empty_text += int((~has_text[keep]).sum())

        cleaned, creport = clean_texts(posts["text"], self.options.clean)
        posts = posts.assign(text_clean=cleaned["text_clean"], emoticon_net=cleaned["emoticon_net"])
        # Nothing left to score (only a link, a truncation marker...): still a post, unscored. (A
        # post of emoticon codes only keeps them: scored by the emoticon table, or unscored.)
        emptied = (posts["text_clean"] == "").to_numpy() & has_text[keep]
        rep.emptied_by_cleaning += int(emptied.sum())
        flags = self._dedupe.flags(posts["text_clean"], creport)
        posts = posts.assign(duplicate=flags)
        if self.coordination is not None:
            self.coordination.add(posts)
        if self.options.clean.drop_duplicates:
            dropped = flags != ""
            creport.counts["drop_duplicates"] += int(dropped.sum())
            posts = posts[~dropped]
        rep.clean.add(creport)

        posts = score_frame(
            posts,
            "text_clean",
            self.options.model,
            self._band,
            self.options.lang,
            emotions=self.options.emotions,
        )
        if self.options.emotions:
            rep.emotion_read += int(posts[EMOTION_COLUMN].notna().sum())
        scored = posts["label"].notna().to_numpy()
        rep.scored += int(scored.sum())
        rep.unscored += int((~scored).sum())
        rep.emoticon_scored += int((scored & (posts["lang"] == EMOTICON_LANG).to_numpy()).sum())
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
    if report.rows_with_text == 0:
        raise CorpusError("no_text", f"every row of the text column {options.mapping.text!r} is empty")
    if options.mapping.time and report.bad_time == report.rows_read - report.empty_text:
        # every row with text has an unparsed time (blank rows with a time are all that is left)
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


def options_with(options: CorpusOptions, **changes: Any) -> CorpusOptions:
    return replace(options, **changes)
