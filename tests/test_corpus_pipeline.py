"""Chunked pipeline: every row is a post (scored or unscored) or left out for a stated reason
(unparsed time, duplicates on request), and the report says which; chunking does not matter."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.aggregate import TimelineAccumulator, period_start, timeline_csv_frame
from analysis.corpus.clean import CleanOptions
from analysis.corpus.ingest import ColumnMapping, CorpusError
from analysis.corpus.pipeline import CorpusOptions, frame_chunks, process_chunks

MODEL = "snownlp"
ROWS = [
    ("服务很好，非常满意", "2020-01-01 10:00"),
    ("太差了，再也不来了", "2020-01-01 11:00"),
    ("", "2020-01-01 12:00"),  # empty text: a post, unscored
    ("时间坏了", "not a time"),  # unparsed time: left out (no period)
    ("http://t.cn/abc", "2020-01-02 10:00"),  # empty after cleaning: a post, unscored
    ("服务很好，非常满意", "2020-01-02 11:00"),  # exact duplicate
    ("转发抽奖 @a", "2020-01-02 12:00"),
    ("转发抽奖 @b", "2020-01-02 13:00"),  # near duplicate
    ("Привет мир", "2020-01-03 10:00"),  # neither language: a post, unscored
    ("a great result for everyone", "1月4日 10:00"),  # year inferred
]


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_report_accounts_for_every_row(chunk: int) -> None:
    frame = pd.DataFrame(ROWS, columns=["text", "time"])
    posts, report = process_chunks(
        frame_chunks(frame, chunk), CorpusOptions(ColumnMapping("text", "time"), model=MODEL)
    )
    assert report.rows_read == 10
    assert (report.empty_text, report.bad_time, report.emptied_by_cleaning) == (1, 1, 1)
    assert report.clean.counts["dedupe_exact"] == 1 and report.clean.counts["dedupe_near"] == 1
    # Every post counts: the two duplicates are flagged, not dropped; the empty, the emptied and
    # the Russian post are unscored posts.
    assert (report.posts, report.scored, report.unscored) == (9, 6, 3)
    assert (report.duplicates, report.duplicates_dropped) == (2, 0)
    assert report.accounted == report.rows_read
    assert len(posts) == report.posts
    assert report.assumed_year == 2020 and report.year_source == "column"
    assert posts["row"].tolist() == [1, 2, 3, 5, 6, 7, 8, 9, 10]  # 1-based rows of the input
    assert posts["duplicate"].tolist() == ["", "", "", "", "exact", "", "near", "", ""]
    assert posts.loc[posts["label"].isna(), "row"].tolist() == [3, 5, 9]
    assert posts.loc[posts["row"] == 10, "time"].iloc[0] == pd.Timestamp(
        "2020-01-04 10:00", tz="Asia/Shanghai"
    )


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_leaving_duplicates_out_is_explicit_and_counted(chunk: int) -> None:
    frame = pd.DataFrame(ROWS, columns=["text", "time"])
    options = CorpusOptions(
        ColumnMapping("text", "time"), model=MODEL, clean=CleanOptions(drop_duplicates=True)
    )
    posts, report = process_chunks(frame_chunks(frame, chunk), options)
    assert (report.scored, report.unscored) == (4, 3)
    assert (report.duplicates, report.duplicates_dropped) == (2, 2)
    assert report.accounted == report.rows_read == 10
    assert posts["row"].tolist() == [1, 2, 3, 5, 7, 9, 10]
    assert "left out 2" in report.summary_line()


# Weibo reposts whose own words are only an emoticon, and other posts with nothing to score.
REPOSTS = [
    ("[话筒]//@央视新闻:【发布会】今天下午三点举行", "2020-01-01 10:00"),  # known, neutral
    ("[哈哈]", "2020-01-01 11:00"),  # known, positive
    ("[怒]//@a:太过分了//@b:原文", "2020-01-01 12:00"),  # known, negative
    ("[不存在的表情]//@c:原文", "2020-01-02 09:00"),  # unknown: unscored
    ("http://t.cn/abc", "2020-01-02 10:00"),  # nothing left after cleaning: unscored
    ("", "2020-01-02 11:00"),  # empty: unscored
    ("服务很好，非常满意", "2020-01-02 12:00"),
    ("[哈哈]", "2020-01-02 13:00"),  # a repeat: flagged, counted
]


@pytest.mark.parametrize("model", ["fast", "accurate"])
@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_emoticon_only_reposts_count_and_are_scored_by_their_emoticon(model: str, chunk: int) -> None:
    """Issue 17: such posts used to be emptied by cleaning and left out of every count."""
    frame = pd.DataFrame(REPOSTS, columns=["text", "time"])
    posts, report = process_chunks(
        frame_chunks(frame, chunk), CorpusOptions(ColumnMapping("text", "time"), model=model)
    )
    assert posts["row"].tolist() == list(range(1, len(REPOSTS) + 1))  # every row is a post
    by_row = posts.set_index("row")
    assert by_row.loc[[1, 2, 3, 8], "label"].tolist() == ["neutral", "positive", "negative", "positive"]
    assert by_row.loc[[1, 2, 3], "lang"].tolist() == ["emoticon"] * 3
    assert by_row.loc[[4, 5, 6], "label"].isna().all()
    assert by_row.loc[7, "label"] is not None
    assert (report.posts, report.scored, report.unscored, report.emoticon_scored) == (8, 5, 3, 4)
    assert (report.empty_text, report.emptied_by_cleaning, report.duplicates) == (1, 1, 1)
    assert report.accounted == report.rows_read == len(REPOSTS)
    acc = TimelineAccumulator("D")
    acc.add(period_start(posts["time"], "D"), posts["label"])
    csv = timeline_csv_frame(acc.result(), "D")
    assert csv["posts"].tolist() == [3, 5] and int(csv["posts"].sum()) == len(REPOSTS)
    assert csv["n"].tolist() == [3, 2] and csv["unscored"].tolist() == [0, 3]


def test_coordinated_posting_found_across_chunks() -> None:
    start = pd.Timestamp("2025-10-27 10:00")
    rows = [
        ("小米汽车必须召回,安全第一!", str(start + pd.Timedelta(minutes=7 * i)), f"acct{i}") for i in range(6)
    ]
    rows += [("[汗]", str(start + pd.Timedelta(hours=2 * i)), f"fan{i}") for i in range(21)]  # reactions
    rows += [("同一作者连发", str(start + pd.Timedelta(minutes=i)), "same") for i in range(5)]  # one author
    rows += [("独立的一条", str(start), "solo")]
    frame = pd.DataFrame(rows, columns=["text", "time", "user"])
    options = CorpusOptions(ColumnMapping("text", "time", author="user"), model=MODEL)
    posts, report = process_chunks(frame_chunks(frame, 4), options)
    assert len(posts) == len(rows)  # every post counted, the 21 "[汗]" replies included
    table = report.coordinated
    assert table is not None and len(table) == 1
    hit = table.iloc[0]
    assert hit["text"] == "小米汽车必须召回,安全第一!"
    assert (hit["n_authors"], hit["n_posts"], hit["first_author"], hit["first_row"]) == (6, 6, "acct0", 1)
    assert hit["span_minutes"] == 35.0
    assert hit["authors"].split("; ")[:2] == ["acct0", "acct1"]
    assert str(hit["first_time"].tz) == "Asia/Shanghai"


def test_coordinated_posting_needs_an_author_column() -> None:
    frame = pd.DataFrame(ROWS, columns=["text", "time"])
    _, report = process_chunks([frame], CorpusOptions(ColumnMapping("text", "time"), model=MODEL))
    assert report.coordinated is None


def test_unparseable_time_column_is_an_error() -> None:
    frame = pd.DataFrame({"text": ["好", "坏"], "time": ["abc", "def"]})
    with pytest.raises(CorpusError) as err:
        process_chunks([frame], CorpusOptions(ColumnMapping("text", "time"), model=MODEL))
    assert err.value.code == "time_unparsed"
    assert "'abc'" in str(err.value)


def test_zero_rows_and_all_empty_text() -> None:
    with pytest.raises(CorpusError) as err:
        process_chunks([], CorpusOptions(ColumnMapping("text", "time"), model=MODEL))
    assert err.value.code == "no_rows"
    frame = pd.DataFrame({"text": ["", None, " "], "time": ["2020-01-01", "2020-01-02", "bad"]})
    with pytest.raises(CorpusError) as err:
        process_chunks([frame], CorpusOptions(ColumnMapping("text", "time"), model=MODEL))
    assert err.value.code == "no_text"


def test_time_unparsed_where_only_blank_rows_have_a_time() -> None:
    """A blank row with a time is a post, but no post with text is: the time column is wrong."""
    frame = pd.DataFrame({"text": ["", "好", "坏"], "time": ["2020-01-01", "abc", "def"]})
    with pytest.raises(CorpusError) as err:
        process_chunks([frame], CorpusOptions(ColumnMapping("text", "time"), model=MODEL))
    assert err.value.code == "time_unparsed"


def test_engagement_columns_feed_the_weight() -> None:
    frame = pd.DataFrame(
        {"text": ["好评如潮", "差评"], "time": ["2020-01-01", "2020-01-01"], "赞": ["1.2万", ""]}
    )
    posts, _ = process_chunks([frame], CorpusOptions(ColumnMapping("text", "time", likes="赞"), model=MODEL))
    assert posts["likes"].tolist() == [12000.0, 0.0]
    assert posts["weight"].iloc[0] > posts["weight"].iloc[1] == 1.0
