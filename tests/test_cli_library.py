"""`python -m analysis library list|add|review|undo|export`: every subcommand and its errors, on the
same database the app uses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.library import DB_URL_ENV, Library
from analysis.records import EMOTIONS
from analysis.review import list_reviews

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'library.db'}"
    monkeypatch.setenv(DB_URL_ENV, url)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    return url


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["library", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_add_list_review_undo_export(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = _run(capsys, "add", str(SAMPLE))
    assert status == 0
    article_id = int(out.strip())
    status, out, err = _run(capsys, "add", str(SAMPLE))  # the same file again: found, not stored twice
    assert status == 0 and int(out.strip()) == article_id and "already" in err

    status, out, _ = _run(capsys, "list", "--format", "json")
    [row] = json.loads(out)
    assert row["id"] == article_id and row["source"] == "新浪财经" and row["reviewed"] == 0

    status, out, _ = _run(
        capsys,
        "review",
        str(article_id),
        "--sentence",
        "2",
        "--label",
        "positive",
        "--note",
        "<i>x</i>",
        "--editor",
        "ana",
    )
    entry = json.loads(out)
    assert status == 0 and (entry["label"], entry["editor"], entry["note"]) == ("positive", "ana", "<i>x</i>")
    assert entry["model_label"] in ("positive", "neutral", "negative") and entry["model"].endswith("accurate")

    status, out, _ = _run(capsys, "export", str(article_id), "--format", "json")
    payload = json.loads(out)
    sentence = next(
        s for g in payload["groups"] for b in g["bullets"] for s in b["sentences"] if s["position"] == 2
    )
    assert (sentence["model_label"], sentence["label"]) == (entry["model_label"], "positive")
    assert payload["sentiment_model"] != payload["sentiment_reviewed"] or entry["model_label"] == "positive"
    assert [a["id"] for a in payload["audit"]] == [entry["id"]]

    status, out, _ = _run(capsys, "export", str(article_id), "--format", "csv")
    frame = pd.read_csv(io.StringIO(out.lstrip("\ufeff")))
    assert {"model_label", "label", "reviewed", "labels_overridden"} <= set(frame.columns)
    xlsx = tmp_path / "a.xlsx"
    assert _run(capsys, "export", str(article_id), "--format", "xlsx", "--out", str(xlsx))[0] == 0
    assert pd.read_excel(xlsx, sheet_name="audit")["editor"].tolist() == ["ana"]

    status, out, _ = _run(
        capsys, "review", str(article_id), "--sentence", "2", "--label", "model", "--editor", "bo"
    )
    assert status == 0 and json.loads(out)["label"] is None  # a reset is an entry too
    assert _run(capsys, "undo", str(article_id), "--editor", "bo")[0] == 0
    trail = list_reviews(Library(db), "article", article_id)
    assert [e.label for e in trail] == ["positive", None, "positive"]  # undo restored the override


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "1", "--sentence", "999", "--label", "negative"], "has no sentence 999"),
        (["review", "1", "--sentence", "2", "--label", "awful"], "unknown label 'awful'"),
        (["review", "1", "--sentence", "2", "--emotion", "rage"], "unknown emotion 'rage'"),
        (["review", "1", "--sentence", "2", "--emotion", "positive"], "unknown emotion 'positive'"),
        (["review", "1", "--sentence", "999", "--emotion", "anger"], "has no sentence 999"),
        (["review", "1", "--sentence", "2", "--label", "negative", "--note", "x" * 2001], "limit is 2000"),
        (["review", "42", "--sentence", "2", "--label", "negative"], "no article with id 42"),
        (["undo", "1"], "no change to undo"),
        (["export", "42"], "no article with id 42"),
        (["add", "missing.txt"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert _run(capsys, "add", str(SAMPLE))[0] == 0
    status, _, err = _run(capsys, *args)
    assert status == 3
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert list_reviews(Library(db)) == []


def test_review_an_emotion_undo_it_and_export_it(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "add", str(SAMPLE))[0] == 0
    status, out, _ = _run(capsys, "review", "1", "--sentence", "2", "--emotion", "anger", "--editor", "ana")
    entry = json.loads(out)
    assert status == 0 and (entry["field"], entry["label"], entry["editor"]) == ("emotion", "anger", "ana")
    assert entry["model_label"] in EMOTIONS and "emotion" in entry["model"]
    status, out, _ = _run(capsys, "review", "1", "--sentence", "3", "--emotion", "惊", "--editor", "ana")
    assert status == 0 and json.loads(out)["label"] == "surprise"  # the Chinese name of an emotion
    status, out, _ = _run(capsys, "review", "1", "--sentence", "2", "--label", "negative", "--editor", "bo")
    assert status == 0 and json.loads(out)["field"] == "sentiment"

    status, out, _ = _run(capsys, "export", "1", "--format", "json")
    payload = json.loads(out)
    rows = {s["position"]: s for g in payload["groups"] for b in g["bullets"] for s in b["sentences"]}
    assert (rows[2]["emotion"], rows[2]["model_emotion"], rows[2]["emotion_reviewed"]) == (
        "anger",
        entry["model_label"],
        True,
    )
    assert (rows[2]["label"], rows[2]["reviewed"]) == ("negative", True)
    assert rows[3]["emotion"] == "surprise" and rows[4]["emotion_reviewed"] is False
    assert [a["field"] for a in payload["audit"]] == ["emotion", "emotion", "sentiment"]

    # undo goes back one change at a time, whatever it set; --emotion model resets
    assert _run(capsys, "undo", "1", "--editor", "bo")[0] == 0
    status, out, _ = _run(capsys, "review", "1", "--sentence", "2", "--emotion", "model", "--editor", "bo")
    assert status == 0 and json.loads(out)["label"] is None
    trail = list_reviews(Library(db), "article", 1)
    assert [(e.field, e.label) for e in trail] == [
        ("emotion", "anger"),
        ("emotion", "surprise"),
        ("sentiment", "negative"),
        ("sentiment", None),
        ("emotion", None),
    ]


def test_usage_errors_exit_2(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "library", "review", "1", "--label", "negative"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "--sentence" in result.stderr and result.stderr.count("\n") == 1
    both = subprocess.run(
        [sys.executable, "-m", "analysis", "library", "review", "1", "--sentence", "2", "--label", "negative",
         "--emotion", "anger"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_the_cli_reads_the_apps_secrets_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from analysis.cli.library import library_url

    monkeypatch.delenv(DB_URL_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[database]\nurl = "sqlite:////srv/x.db"\n')
    assert library_url() == "sqlite:////srv/x.db"
