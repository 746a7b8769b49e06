"""`python -m analysis score`, `timeline` and `entities`: tables of posts.

All stream: the file is read in chunks of `chunk_size` rows, each chunk is scored and written
(score) or added to per-period counts (timeline: `TimelineAccumulator`; entities:
`analysis.entities.EntityAccumulator`) and then dropped, so memory stays flat as the file grows.
`timeline` and `entities` share one chunk loop (`stream_posts`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.cli.common import CliError, ProgressLine, open_output, read_input_bytes
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
from analysis.corpus.scoring import (
    EMOTICON_LANG,
    EMOTION_COLUMN,
    SCORE_COLUMNS,
    emoticon_evidence,
    keep_input_columns,
    model_components,
    score_frame,
)
from analysis.corpus.timeparse import TimeZoneError
from analysis.format import evidence_string
from analysis.sentiment import Scorer, SentimentError

if TYPE_CHECKING:  # the emotion package loads its models lazily; only `score --emotions` needs it
    from analysis.emotion import EmotionReader


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


def clean_options(*, clean: bool, dedupe: bool, drop_duplicates: bool = False) -> CleanOptions:
    """Cleaning for scoring (none when `clean` is False); duplicates are flagged (timeline) and
    counted unless `drop_duplicates` leaves them out."""
    if not clean:
        return CleanOptions.none()
    if dedupe:
        return CleanOptions(drop_duplicates=drop_duplicates)
    return CleanOptions(dedupe_exact=False, dedupe_near=False)


def run_score(
    path: str,
    *,
    text_column: str | None,
    lang: str,
    model: str,
    out: str | None,
    explain: bool,
    chunk_size: int,
    clean: bool,
    emotions: bool = False,
) -> int:
    """Every row of the input, as CSV, with lang, score, label and model (`name@version`) added
    (input columns of those names are kept as `<name>_input`). Rows are kept as they are (no
    dedupe); cleaning only changes the text that is scored. With `emotions`, `emotion` and
    `emotion_score` too (the tier of the sentiment model: accurate for the accurate model, else
    fast; empty where a text has no reading); without, no emotion model is loaded."""
    table = _open(path)
    mapping = _mapping(table, text_column, None)
    cleaning = clean_options(clean=clean, dedupe=False)
    try:
        scorer = Scorer(model, workload="article")
        components = model_components(model, workload="article")
    except SentimentError as exc:
        raise CliError(str(exc)) from None
    if scorer.note:
        print(f"note: {scorer.note}", file=sys.stderr)
    reader = _emotion_reader(scorer) if emotions else None
    added = (*SCORE_COLUMNS, "model", *(EMOTION_COLUMNS if reader else ()))
    progress = None
    if scorer.is_accurate:  # tens of texts per second: say how long it will take
        try:
            total = sum(len(c) for c in table.iter_chunks(chunk_size))
        except CorpusError as exc:
            raise CliError(str(exc)) from None
        progress = ProgressLine(total, "texts")
    stream, close = open_output(out)
    rows = 0
    try:
        for i, chunk in enumerate(table.iter_chunks(chunk_size)):
            cleaned, _ = clean_texts(chunk[mapping.text], cleaning)
            work = pd.DataFrame({"_text": cleaned["text_clean"].to_numpy()}, index=chunk.index)
            scored = score_frame(work, "_text", model, lang=lang, workload="article", progress=progress)
            result = keep_input_columns(chunk, added)
            for col in SCORE_COLUMNS:
                result[col] = scored[col].to_numpy()
            result["model"] = scored["lang"].map(components).fillna("").to_numpy()
            result.loc[result["label"].isna(), "model"] = ""
            if reader is not None:
                readings = reader.read(list(work["_text"]), list(scored["lang"]))
                result["emotion"] = [r.label if r else "" for r in readings]
                result["emotion_score"] = pd.array(
                    [r.score if r else None for r in readings], dtype="Float64"
                )
            if explain:
                result["evidence"] = [
                    ""
                    if pd.isna(label)
                    else evidence_string(
                        emoticon_evidence(text) if lang == EMOTICON_LANG else scorer.explain(text)
                    )
                    for text, label, lang in zip(work["_text"], scored["label"], scored["lang"], strict=True)
                ]
            result.to_csv(stream, header=(i == 0), index=False, lineterminator="\n")
            rows += len(chunk)
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    finally:
        if close:
            stream.close()
    if progress is not None:
        progress.finish()
    if rows == 0:
        raise CliError("the file has no rows")
    print(f"scored {rows} rows", file=sys.stderr)
    return 0


EMOTION_COLUMNS: tuple[str, ...] = ("emotion", "emotion_score")  # what `score --emotions` adds


def _emotion_reader(scorer: Scorer) -> EmotionReader:
    """The emotion tier the sentiment model implies (accurate with the accurate model, else fast),
    its models loaded now, so a missing one fails before any row is written."""
    from analysis.emotion import EmotionModelError, EmotionReader

    reader = EmotionReader("accurate" if scorer.is_accurate else "fast")
    try:
        reader.components()
    except EmotionModelError as exc:
        raise CliError(str(exc)) from None
    if reader.note:
        print(f"note: {reader.note}", file=sys.stderr)
    return reader


PostsSink = Callable[[pd.DataFrame, pd.Series], None]  # (a chunk's scored posts, their period starts)


def stream_posts(
    path: str, options: CorpusOptions, *, freq: str, chunk_size: int, sinks: Sequence[PostsSink]
) -> ChunkProcessor:
    """The chunk loop of `timeline` and `entities`: check the options (before the file is read),
    open the file, detect the text column if `options.mapping` leaves it empty, then clean, score
    and date each chunk (`ChunkProcessor`) and hand its posts and their periods to every sink.
    Returns the processor (its report says what happened to every row)."""
    try:
        validate_options(options, freq=freq)
    except (CorpusError, TimeZoneError) as exc:
        raise CliError(str(exc)) from None
    table = _open(path)
    m = options.mapping
    options = options_with(options, mapping=_mapping(table, m.text or None, m.time, m.author))
    proc = ChunkProcessor(options)
    row = 1
    try:
        for chunk in table.iter_chunks(chunk_size):
            posts = proc.process(chunk, row)
            row += len(chunk)
            periods = period_start(posts["time"], freq)
            for sink in sinks:
                sink(posts, periods)
        check_report(proc.report, options)
    except (CorpusError, SentimentError) as exc:
        raise CliError(str(exc)) from None
    return proc


def _write_csv(frame: pd.DataFrame, out: str | None) -> None:
    stream, close = open_output(out)
    try:
        frame.to_csv(stream, index=False, lineterminator="\n")
    finally:
        if close:
            stream.close()


def run_timeline(
    path: str,
    options: CorpusOptions,
    *,
    freq: str,
    out: str | None,
    chunk_size: int,
    report: str | None = None,
    emotions: bool = False,
) -> int:
    """One row per period: period, posts, n, unscored, positive, neutral, negative, nev, nev_polar
    (aggregate.TIMELINE_COLUMNS), and with `emotions` the per-emotion counts after them
    (aggregate.EMOTION_COLUMNS: emotion_joy ... emotion_neutral, emotion_unread). An empty text
    column in `options.mapping` is detected from the file."""
    options = options_with(options, emotions=emotions)
    acc = TimelineAccumulator(freq, emotions=emotions)

    def sink(posts: pd.DataFrame, periods: pd.Series) -> None:
        acc.add(periods, posts["label"], emotions=posts[EMOTION_COLUMN] if emotions else None)

    proc = stream_posts(path, options, freq=freq, chunk_size=chunk_size, sinks=[sink])
    _write_csv(timeline_csv_frame(acc.result(), freq, emotions=emotions), out)
    if report:
        _write_report(report, proc)
    line = proc.report.summary_line()
    if emotions:
        line += f"; emotion read {proc.report.emotion_read} (unread {proc.report.posts - proc.report.emotion_read})"
    print(line, file=sys.stderr)
    return 0


def competitor_names(
    names: Sequence[str], *, rollup: bool = False, aliases: Sequence[tuple[str, str, str]] = ()
) -> tuple[str, ...]:
    """`--competitors` as the alias table's canonical names: a name or any alias (Xiaomi, 小米集团
    -> 小米), each once, in the order given; with `rollup`, a child as its top parent. An unknown
    name is a `CliError` that names it."""
    from analysis.entities import default_table

    table = default_table(tuple(aliases))
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted:
        raise CliError(
            "--competitors names no entity; give canonical names or aliases, e.g. 小米,华为,特斯拉"
        )
    out: list[str] = []
    for name in wanted:
        entity = table.get(name) or table.resolve(name)
        if entity is None:
            raise CliError(
                f"--competitors: {name!r} is not in the entity table ({table.source}); "
                "use a canonical name or an alias, e.g. 小米 or Xiaomi"
            )
        out.append(table.root(entity.name) if rollup else entity.name)
    return tuple(dict.fromkeys(out))


def run_entities(
    path: str,
    options: CorpusOptions,
    *,
    freq: str,
    out: str | None,
    chunk_size: int,
    competitors: Sequence[str] = (),
    rollup: bool = False,
    report: str | None = None,
    aliases: Sequence[tuple[str, str, str]] = (),
    emotions: bool = False,
) -> int:
    """One row per period and entity: period, entity, mentions, positive, neutral, negative, nev,
    share_of_voice (analysis.entities.POSTS_COLUMNS; known aliases of the alias table in the
    cleaned text, a post counting once per entity with its own label). With `competitors`, only
    those entities, share of voice recomputed within them (1 per period). With `emotions`, the
    dominant emotion and a count per emotion of each row's posts (analysis.entities.
    EMOTION_POSTS_COLUMNS; the fast tier, read for the posts that name an entity only)."""
    from analysis.corpus.captions import entities_csv_frame
    from analysis.entities import EntityAccumulator, default_table, share_of_voice

    chosen = competitor_names(competitors, rollup=rollup, aliases=aliases) if competitors else ()
    # The corpus reads no emotions here: with --emotions the entity table reads the posts that name
    # an entity (fast tier), each once, and no other post.
    options = options_with(options, emotions=False)
    acc = EntityAccumulator(default_table(tuple(aliases)), rollup=rollup, emotions=emotions)
    if emotions:  # the fast models loaded now, so a missing one fails before the file is read
        from analysis.emotion import EmotionModelError, EmotionReader

        try:
            EmotionReader("fast").components()
        except EmotionModelError as exc:
            raise CliError(str(exc)) from None
    proc = stream_posts(
        path,
        options,
        freq=freq,
        chunk_size=chunk_size,
        sinks=[
            lambda posts, periods: acc.add(
                posts["text_clean"], posts["label"], periods, posts.get("emotion"), posts.get("lang")
            )
        ],
    )
    table = acc.result()
    if chosen:
        table = share_of_voice(table, chosen)
    _write_csv(entities_csv_frame(table, freq), out)
    if report:
        _write_report(report, proc)
    entities, periods = table["entity"].nunique(), table["period"].nunique()
    print(f"{proc.report.summary_line()}; {entities} entities named in {periods} periods", file=sys.stderr)
    return 0


def _write_report(path: str, proc: ChunkProcessor) -> None:
    """The ingest report and the coordinated-posting table as JSON (--report)."""
    import json

    rep = proc.report
    coordinated = proc.coordination.result() if proc.coordination is not None else None
    data = {
        "rows_read": rep.rows_read,
        "posts": rep.posts,
        "scored": rep.scored,
        "scored_by_emoticon": rep.emoticon_scored,
        "unscored": rep.unscored,
        "empty_text": rep.empty_text,
        "empty_after_cleaning": rep.emptied_by_cleaning,
        "unparsed_time": rep.bad_time,
        "duplicates_flagged": rep.duplicates,
        "duplicates_left_out": rep.duplicates_dropped,
        "cleaning": dict(rep.clean.counts),
        **(
            {"emotion_read": rep.emotion_read, "emotion_unread": rep.posts - rep.emotion_read}
            if proc.options.emotions
            else {}
        ),
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
