"""Reading tables of posts: delimiters, encodings, XLSX, JSONL, TXT, column detection, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.ingest import (
    ColumnMapping,
    CorpusError,
    detect_mapping,
    open_table,
    parse_counts,
    read_table,
    validate_mapping,
)

ROWS = [
    ("今天的发布会信息很及时，点赞！", "2020/3/29 16:50", "微博", "12"),
    ("物资迟迟不到，太让人失望了", "2020-03-30 09:10:00", "论坛", "3"),
    ("Great news, recovery numbers are up", "Sun Mar 01 02:10:15 +0800 2020", "Twitter", "1.2万"),
]


def _csv(delimiter: str = ",", header: tuple[str, ...] = ("内容", "发布时间", "平台", "点赞数")) -> str:
    buf = io.StringIO()
    pd.DataFrame(ROWS, columns=list(header)).to_csv(buf, sep=delimiter, index=False)
    return buf.getvalue()


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters(delimiter: str) -> None:
    table, frame = read_table(_csv(delimiter).encode("utf-8"), "posts.csv")
    assert table.delimiter == delimiter
    assert list(frame.columns) == ["内容", "发布时间", "平台", "点赞数"]
    assert frame["内容"].tolist() == [r[0] for r in ROWS]


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]
)
def test_encodings(encoding: str, expected: str) -> None:
    table, frame = read_table(_csv().encode(encoding), "posts.csv")
    assert table.encoding == expected
    assert frame.columns[0] == "内容"  # a BOM must not stick to the first header
    assert frame["内容"].iloc[1] == ROWS[1][0]


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "posts.xlsx"
    pd.DataFrame(ROWS, columns=["text", "created_at", "source", "likes"]).to_excel(path, index=False)
    table, frame = read_table(path.read_bytes(), "posts.xlsx")
    assert table.format == "xlsx"
    assert frame["text"].tolist() == [r[0] for r in ROWS]
    assert detect_mapping(frame) == ColumnMapping(
        text="text", time="created_at", source="source", likes="likes"
    )


def test_xlsx_with_real_datetime_cells(tmp_path: Path) -> None:
    path = tmp_path / "dated.xlsx"
    frame = pd.DataFrame(
        {"正文": ["很好很好", "不太好啊"], "时间": pd.to_datetime(["2020-01-01 08:00", "2020-01-02 00:00"])}
    )
    frame.to_excel(path, index=False)
    _, read = read_table(path)
    assert read["时间"].tolist() == ["2020-01-01 08:00:00", "2020-01-02 00:00:00"]


def test_jsonl_lines_and_array() -> None:
    records = [{"content": r[0], "time": r[1], "likes": int(r[3]) if r[3].isdigit() else r[3]} for r in ROWS]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    table, frame = read_table(lines, "posts.jsonl")
    assert table.format == "jsonl" and len(frame) == 3
    assert frame["likes"].tolist() == ["12", "3", "1.2万"]
    _, frame2 = read_table(json.dumps(records, ensure_ascii=False).encode(), "posts.json")
    assert frame2["content"].tolist() == frame["content"].tolist()


def test_jsonl_bad_line_is_reported() -> None:
    with pytest.raises(CorpusError) as err:
        read_table(b'{"text": "ok"}\n{not json}\n', "x.jsonl")
    assert err.value.code == "unreadable" and "line 2" in str(err.value)


def test_txt_is_one_text_per_line() -> None:
    _, frame = read_table("第一条\n第二条\n\nthird\n".encode(), "posts.txt")
    assert frame["text"].tolist() == ["第一条", "第二条", "", "third"]


def test_chunks_stream_a_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    pd.DataFrame({"text": [f"帖子{i}" for i in range(2500)], "time": "2020-01-01"}).to_csv(path, index=False)
    table = open_table(path)
    sizes = [len(c) for c in table.iter_chunks(1000)]
    assert sizes == [1000, 1000, 500]


def test_detect_mapping_english_and_chinese_headers() -> None:
    _, frame = read_table(_csv().encode(), "a.csv")
    assert detect_mapping(frame) == ColumnMapping(text="内容", time="发布时间", source="平台", likes="点赞数")
    header = ("message", "created_at", "platform", "like_count")
    _, frame = read_table(_csv(header=header).encode(), "b.csv")
    assert detect_mapping(frame) == ColumnMapping(
        text="message", time="created_at", source="platform", likes="like_count"
    )


def test_detect_mapping_by_content_when_names_say_nothing() -> None:
    frame = pd.DataFrame(
        {
            "c1": ["1", "2", "3"],
            "c2": ["2020-01-01 10:00", "2020-01-02 11:00", "2020-01-03 12:00"],
            "c3": [r[0] for r in ROWS],
        }
    )
    mapping = detect_mapping(frame)
    assert (mapping.text, mapping.time) == ("c3", "c2")


def test_detect_mapping_prefers_full_timestamps_and_engagement_numbers() -> None:
    frame = pd.read_csv(
        Path(__file__).resolve().parents[1] / "sample_data" / "weibo_cctvnews_2020_sample.csv",
        dtype=str,
        nrows=200,
    )
    mapping = detect_mapping(frame)
    assert mapping == ColumnMapping(
        text="text", time="timestamp", likes="likes", reposts="reposts", comments="comments"
    )


def test_no_text_like_column() -> None:
    data = b"id,value,when\n1,2,2020-01-01\n3,4,2020-01-02\n"
    _, frame = read_table(data, "numbers.csv")
    with pytest.raises(CorpusError) as err:
        detect_mapping(frame)
    assert err.value.code == "no_text_column"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"   \n\n", "empty_file"),
        (b"text,time\n", "no_rows"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (b"PK\x03\x04" + bytes(100), "binary"),
    ],
)
def test_bad_input(data: bytes, code: str) -> None:
    with pytest.raises(CorpusError) as err:
        read_table(data, "renamed.csv")
    assert err.value.code == code


def test_validate_mapping() -> None:
    with pytest.raises(CorpusError) as err:
        validate_mapping(ColumnMapping(text="nope"), ["text"], need_time=False)
    assert err.value.code == "unknown_column"
    with pytest.raises(CorpusError) as err:
        validate_mapping(ColumnMapping(text="text"), ["text"], need_time=True)
    assert err.value.code == "no_time_column"


def test_parse_counts() -> None:
    got = parse_counts(pd.Series(["1,234", "1.2万", "3k", "", None, "abc", "7"]))
    assert got.tolist() == [1234.0, 12000.0, 3000.0, 0.0, 0.0, 0.0, 7.0]


def test_column_names_that_strip_to_the_same_are_told_apart() -> None:
    # Hypothesis found " " and "\r": both strip to "", and two columns of one name made every
    # column lookup return a frame (a pandas ValueError instead of a CorpusError).
    from analysis.corpus.ingest import unique_names

    assert unique_names([" ", "\r", "text", "text ", None]) == [
        "column_1",
        "column_2",
        "text",
        "text (2)",
        "column_5",
    ]
