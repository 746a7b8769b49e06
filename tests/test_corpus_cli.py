"""`python -m analysis score|timeline`: output contract, inputs, streaming, errors (one line, non-zero)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODEL = ["--model", "snownlp"]
POSTS = pd.DataFrame(
    {
        "内容": [
            "服务很好，非常满意",
            "太差了，再也不来了",
            "还可以",
            "a great result",
            "回复@a:支持[赞]",
            "Привет",
        ],
        "发布时间": [
            "2020-01-01 10:00",
            "2020/1/1 11:30",
            "2020-01-02 09:00",
            "1577944800",
            "1月3日 08:00",
            "2020-01-03",
        ],
        "点赞": ["1", "2", "3", "4", "5", "6"],
    }
)


# The timeline CSV's columns, written out (the contract users' scripts read).
TIMELINE = ("period", "posts", "n", "unscored", "positive", "neutral", "negative", "nev", "nev_polar")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def posts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    POSTS.to_csv(path, index=False)
    return path


def test_timeline_contract(posts_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["timeline", str(posts_csv), "--time-column", "发布时间", *MODEL], capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out), dtype={"period": str})
    assert list(frame.columns) == list(TIMELINE)
    assert frame["period"].tolist() == ["2020-01-01", "2020-01-02", "2020-01-03"]
    assert frame["posts"].sum() == 6  # every post
    assert frame["n"].sum() == 5 and frame["unscored"].sum() == 1  # the Russian post is unscored
    assert (frame["n"] == frame[["positive", "neutral", "negative"]].sum(axis=1)).all()
    assert (frame["posts"] == frame["n"] + frame["unscored"]).all()
    assert frame["nev"].between(-1, 1).all()
    assert "read 6 rows" in err and "year assumed 2020" in err


@pytest.mark.parametrize("chunk", ["1", "4", "50000"])
def test_timeline_same_result_whatever_the_chunk_size(
    posts_csv: Path, chunk: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reference, _ = _run(["timeline", str(posts_csv), "--time-column", "发布时间", *MODEL], capsys)
    code, out, _ = _run(
        ["timeline", str(posts_csv), "--time-column", "发布时间", "--chunk-size", chunk, *MODEL], capsys
    )
    assert code == 0 and out == reference


def test_timeline_hourly_weekly_and_zone(posts_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["timeline", str(posts_csv), "--time-column", "发布时间", "--freq", "H", *MODEL], capsys
    )
    assert code == 0 and out.splitlines()[1].startswith("2020-01-01 10:00,1,")
    code, out, _ = _run(
        ["timeline", str(posts_csv), "--time-column", "发布时间", "--freq", "W", *MODEL], capsys
    )
    assert code == 0 and out.splitlines()[1].startswith("2019-12-30,6,5,1,")  # posts, n, unscored
    code, out, _ = _run(
        ["timeline", str(posts_csv), "--time-column", "发布时间", "--tz", "UTC", "--freq", "H", *MODEL],
        capsys,
    )
    assert "2020-01-02 06:00,1," in out  # unix seconds 1577944800 = 06:00 UTC


def test_timeline_xlsx_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "posts.xlsx"
    POSTS.to_excel(path, index=False)
    args = [sys.executable, "-m", "analysis", "timeline", "--time-column", "发布时间", *MODEL]
    from_xlsx = subprocess.run(
        [*args[:4], str(path), *args[4:]], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert from_xlsx.returncode == 0, from_xlsx.stderr
    from_stdin = subprocess.run(
        [*args[:4], "-", *args[4:]],
        input=POSTS.to_csv(index=False, sep="\t").encode("gb18030"),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout.decode() == from_xlsx.stdout


def test_score_keeps_every_row_and_adds_columns(
    posts_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "scored.csv"
    code, _, err = _run(
        ["score", str(posts_csv), "--out", str(out_path), "--chunk-size", "2", *MODEL], capsys
    )
    assert code == 0, err
    scored = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    assert list(scored.columns) == [*POSTS.columns, "lang", "score", "label", "model"]
    assert scored["内容"].tolist() == POSTS["内容"].tolist()
    assert scored["lang"].tolist() == ["zh", "zh", "zh", "en", "zh", "other"]
    assert scored["label"].iloc[5] == "" and scored["model"].iloc[5] == ""
    assert scored["model"].iloc[0].startswith("snownlp@") and scored["model"].iloc[3].startswith("vader@")
    assert scored["label"].iloc[1] == "negative"


def test_score_keeps_input_columns_named_like_its_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A labelled file (gold `label`, an earlier `score`) keeps its columns as `<name>_input`."""
    path = tmp_path / "labelled.csv"
    pd.DataFrame(
        {"text": ["非常满意，强烈推荐", "太差了"], "label": ["pos", "neg"], "score": ["1", "-1"]}
    ).to_csv(path, index=False)
    out_path = tmp_path / "scored.csv"
    code, _, err = _run(["score", str(path), "--text-column", "text", "--out", str(out_path)], capsys)
    assert code == 0, err
    scored = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    assert list(scored.columns) == ["text", "label_input", "score_input", "lang", "score", "label", "model"]
    assert scored["label_input"].tolist() == ["pos", "neg"]
    assert scored["label"].tolist() == ["positive", "negative"]


def test_score_txt_one_text_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("服务很好\n太差了\n", encoding="utf-8")
    code, out, _ = _run(["score", str(path), *MODEL], capsys)
    assert code == 0
    assert pd.read_csv(io.StringIO(out))["text"].tolist() == ["服务很好", "太差了"]


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        (b"id,n\n1,2\n", ["--time-column", "id"], "no column looks like post text"),
        (b"text,time\nhello there,abc\nmore text,def\n", ["--time-column", "time"], "parses as a time"),
        (b"text,time\n", ["--time-column", "time"], "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(300), ["--time-column", "time"], "binary"),
        (b"text,time\nhello there,2020-01-01\n", ["--time-column", "when"], "no time column named 'when'"),
        (
            b"text,time\nhello there,2020-01-01\n",
            ["--time-column", "time", "--tz", "Nowhere/City"],
            "unknown time zone",
        ),
    ],
)
def test_timeline_bad_input(
    tmp_path: Path, content: bytes, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = _run(["timeline", str(path), *argv, *MODEL], capsys)
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err


def test_score_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["score", str(tmp_path / "missing.csv"), *MODEL], capsys)
    assert code != 0 and "no such file" in err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = _run(["score", str(empty), *MODEL], capsys)
    assert code != 0 and "empty" in err


def test_timeline_counts_every_post_and_reports_coordination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Duplicates are flagged and counted by default; --drop-duplicates leaves them out and says
    how many; --report lists the same text from 3+ authors within an hour."""
    import json

    start = pd.Timestamp("2025-10-27 10:00")
    rows = [("小米汽车必须召回!", str(start + pd.Timedelta(minutes=5 * i)), f"acct{i}") for i in range(4)]
    rows += [("[汗]", str(start + pd.Timedelta(hours=3 * i)), f"fan{i}") for i in range(3)]
    rows += [("一条独立的评论", str(start), "solo")]
    path = tmp_path / "posts.csv"
    pd.DataFrame(rows, columns=["text", "time", "user"]).to_csv(path, index=False)
    base = ["timeline", str(path), "--time-column", "time", "--freq", "D", *MODEL]

    code, out, err = _run([*base, "--author-column", "user", "--report", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    day = pd.read_csv(io.StringIO(out))
    assert int(day["posts"].sum()) == int(day["n"].sum()) == len(rows)  # every post counted (and scored)
    assert "duplicates flagged 5 (left out 0)" in err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["duplicates_flagged"] == 5 and report["duplicates_left_out"] == 0
    [campaign] = report["coordinated_posting"]
    assert campaign["text"] == "小米汽车必须召回!" and campaign["n_authors"] == 4
    assert campaign["first_author"] == "acct0" and campaign["span_minutes"] == 15.0

    code, out, err = _run([*base, "--drop-duplicates"], capsys)
    assert code == 0, err
    assert int(pd.read_csv(io.StringIO(out))["posts"].sum()) == len(rows) - 5
    assert "duplicates flagged 5 (left out 5)" in err

    code, _, err = _run([*base, "--report", str(tmp_path / "r2.json")], capsys)
    assert code == 0
    assert (
        "author" in json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))["coordinated_posting_note"]
    )

    code, _, err = _run([*base, "--author-column", "nobody"], capsys)
    assert code != 0 and err.count("\n") == 1 and "no author column named 'nobody'" in err


def test_timeline_posts_column_counts_every_input_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17: Weibo reposts whose own words are only an emoticon, posts with only a link, only an
    unknown emoticon, emoji, another language or no text are all in `posts`; the known emoticons
    are scored by their label, the rest are `unscored`. The CSV's posts sum to the input rows."""
    import json

    start = pd.Timestamp("2020-02-01 08:00")
    texts = [
        "[话筒]//@央视新闻:【发布会】今天下午三点举行",  # neutral
        "[哈哈]",  # positive
        "[怒]//@a:太过分了",  # negative
        "[泪][泪]//@b:一路走好",  # negative
        "[不存在的表情]//@c:原文",  # unknown code: unscored
        "http://t.cn/A6abcd",  # nothing left after cleaning: unscored
        "",  # no text: unscored
        "😂😂",  # emoji only: unscored
        "Привет мир",  # neither language: unscored
        "服务很好，非常满意",
        "太差了，再也不来了",
    ]
    rows = [(text, str(start + pd.Timedelta(hours=7 * i))) for i, text in enumerate(texts * 3)]
    path = tmp_path / "reposts.csv"
    pd.DataFrame(rows, columns=["text", "time"]).to_csv(path, index=False)
    report_path = tmp_path / "report.json"
    code, out, err = _run(
        ["timeline", str(path), "--time-column", "time", "--freq", "D", "--model", "fast",
         "--report", str(report_path), "--chunk-size", "4"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out), dtype={"period": str})
    assert tuple(frame.columns) == TIMELINE
    assert int(frame["posts"].sum()) == len(rows)
    assert (frame["posts"] == frame["n"] + frame["unscored"]).all()
    assert int(frame["n"].sum()) == 6 * 3 and int(frame["unscored"].sum()) == 5 * 3
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["rows_read"], report["posts"], report["scored"], report["unscored"]) == (33, 33, 18, 15)
    assert report["scored_by_emoticon"] == 4 * 3
    assert (report["empty_text"], report["empty_after_cleaning"], report["unparsed_time"]) == (3, 3, 0)
    assert "posts 33" in err and "by emoticon 12" in err


def test_score_labels_emoticon_only_posts_by_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`score` shares the scorer: the emoticon table labels them, its stamp names it, --explain
    shows the codes; an unknown code stays unscored."""
    path = tmp_path / "posts.csv"
    pd.DataFrame({"text": ["[话筒]//@央视新闻:发布会", "[泪]", "[不存在的表情]", "太差了"]}).to_csv(
        path, index=False
    )
    out_path = tmp_path / "scored.csv"
    for tier in ("fast", "accurate"):
        code, _, err = _run(
            ["score", str(path), "--model", tier, "--explain", "--out", str(out_path)], capsys
        )
        assert code == 0, err
        scored = pd.read_csv(out_path, dtype=str, keep_default_na=False)
        assert scored["lang"].tolist()[:3] == ["emoticon"] * 3
        assert scored["label"].tolist()[:3] == ["neutral", "negative", ""]
        assert scored["model"].str.startswith("weibo-emoticons@").tolist() == [True, True, False, False]
        assert scored["evidence"].tolist()[:3] == ["[话筒](+0.00)", "[泪](-1.00)", ""]


# `timeline --emotions`: the emotion count columns after the sentiment ones (aggregate.EMOTION_COLUMNS).
EMOTION_COUNTS = (
    "emotion_joy", "emotion_anger", "emotion_sadness", "emotion_fear", "emotion_surprise",
    "emotion_disgust", "emotion_neutral", "emotion_unread",
)  # fmt: skip


def test_timeline_emotions_adds_one_count_column_per_emotion(
    posts_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    base = ["timeline", str(posts_csv), "--time-column", "发布时间", *MODEL]
    code, plain, _ = _run(base, capsys)
    assert code == 0
    report_path = tmp_path / "r.json"
    code, out, err = _run([*base, "--emotions", "--chunk-size", "2", "--report", str(report_path)], capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out), dtype={"period": str})
    assert tuple(frame.columns) == (*TIMELINE, *EMOTION_COUNTS)
    # The sentiment columns are the same as without --emotions: emotions are never mixed in.
    pd.testing.assert_frame_equal(
        frame[list(TIMELINE)], pd.read_csv(io.StringIO(plain), dtype={"period": str})
    )
    # Every post counts once: read (one of the seven) or unread (the Russian post: neither language).
    assert (frame[list(EMOTION_COUNTS)].sum(axis=1) == frame["posts"]).all()
    assert int(frame["emotion_unread"].sum()) == 1
    assert "emotion read 5 (unread 1)" in err
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["emotion_read"], report["emotion_unread"]) == (5, 1)
    # The same counts whatever the chunk size.
    code, again, _ = _run([*base, "--emotions"], capsys)
    assert code == 0 and again == out


def test_timeline_emotions_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"text,time\nhello there,abc\nmore text,def\n")
    cases = [
        (["timeline", str(path), "--time-column", "time"], "parses as a time"),
        (["timeline", str(tmp_path / "missing.csv"), "--time-column", "time"], "no such file"),
        (["timeline", str(path), "--time-column", "time", "--freq", "M"], "invalid choice"),
        (["entities", str(path), "--time-column", "time"], "parses as a time"),
    ]
    for argv, message in cases:
        try:
            code = main([*argv, "--emotions", *MODEL])
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        assert code != 0 and out == "", argv
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err
