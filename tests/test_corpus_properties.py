"""Property-based tests for corpus ingest: whatever the bytes, delimiters, encodings, column names
or field sizes, reading, mapping and processing a table raise only CorpusError, in bounded time,
and every row read is accounted for."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus.ingest import ColumnMapping, CorpusError, detect_mapping, read_table
from analysis.corpus.pipeline import CorpusOptions, frame_chunks, process_chunks

# Each input must finish well inside 3 s; the example counts keep this file under ~40 s.
BOUNDED = settings(deadline=3000, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
FILENAMES = st.sampled_from([None, "posts.csv", "posts.tsv", "posts.txt", "posts.jsonl", "posts.xlsx", "x"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])
DELIMITERS = st.sampled_from([",", "\t", ";", "|"])
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["2020-01-01 10:00", "1月3日 08:00", "1577944800", "服务很好，非常满意", "[汗]", ""]),
    st.text(alphabet="小米汽车质量问题太差好评", min_size=1, max_size=5000),  # huge fields
)
COLUMN_NAMES = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5, unique=True)


def _ingest(data: bytes, filename: str | None) -> None:
    """The whole path a user's file takes; only CorpusError may escape, and rows are conserved."""
    try:
        _, frame = read_table(data, filename)
        mapping = detect_mapping(frame.head(500))
        options = CorpusOptions(mapping, model="fast", need_time=mapping.time is not None)
        posts, report = process_chunks(frame_chunks(frame, 7), options)
    except CorpusError as exc:
        assert exc.code and str(exc), "a CorpusError says what went wrong"
        return
    assert report.accounted == report.rows_read == len(frame)
    assert len(posts) == report.posts == report.scored + report.unscored
    # Only rows without a time (or duplicates, when asked) are left out of the posts.
    assert report.posts == report.rows_read - report.bad_time - report.duplicates_dropped


@BOUNDED
@given(data=st.binary(max_size=3000), filename=FILENAMES)
def test_random_bytes_raise_only_corpus_errors(data: bytes, filename: str | None) -> None:
    _ingest(data, filename)


@BOUNDED
@given(
    names=COLUMN_NAMES,
    rows=st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=12),
    delimiter=DELIMITERS,
    encoding=ENCODINGS,
)
def test_random_tables_raise_only_corpus_errors(
    names: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(names)
    for row in rows:
        writer.writerow((row + [""] * len(names))[: len(names)])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:  # a cell the encoding cannot hold: not a file a user could have
        return
    _ingest(data, "posts.csv")


@BOUNDED
@given(records=st.lists(st.dictionaries(st.text(max_size=8), CELL, max_size=4), max_size=10))
def test_random_jsonl_raises_only_corpus_errors(records: list[dict[str, str]]) -> None:
    data = "\n".join(pd.Series([r]).to_json(orient="records")[1:-1] for r in records).encode("utf-8")
    _ingest(data, "posts.jsonl")


def test_mapping_to_a_missing_column_is_a_corpus_error() -> None:
    _, frame = read_table(b"text,time\nhello there world,2020-01-01\n", "x.csv")
    with pytest.raises(CorpusError) as err:
        process_chunks([frame], CorpusOptions(ColumnMapping("nope", "time"), model="fast"))
    assert err.value.code == "unknown_column" and "'nope'" in str(err.value)
