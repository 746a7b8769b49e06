"""`python -m analysis score` with each selectable model reports that model in its output."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each case starts a fresh interpreter that loads the models (SnowNLP alone takes seconds).
pytestmark = pytest.mark.slow

POSTS = "text\n这家店的服务太差了，再也不来了\n今天心情很好，一切顺利\nProfits fell sharply this quarter.\n"


def _run(tmp_path: Path, model: str, *extra: str, posts: str = POSTS) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "posts.csv"
    src.write_text(posts, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "score",
            str(src),
            "--text-column",
            "text",
            "--model",
            model,
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def _score(tmp_path: Path, model: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_run(tmp_path, model).stdout)))


@pytest.mark.parametrize(
    ("model", "zh_model", "en_model"),
    [
        ("default", "zh-accurate", "en-accurate"),  # `score` is an article-sized workload
        ("accurate", "zh-accurate", "en-accurate"),
        ("fast", "zh-default", "en-default"),
        ("snownlp", "snownlp", "vader"),
        ("vader", "zh-default", "vader"),
    ],
)
def test_cli_score_reports_the_model(tmp_path: Path, model: str, zh_model: str, en_model: str) -> None:
    rows = _score(tmp_path, model)
    assert [r["lang"] for r in rows] == ["zh", "zh", "en"]
    assert rows[0]["model"].startswith(zh_model + "@")
    assert rows[2]["model"].startswith(en_model + "@")
    labels = {r["label"] for r in rows}
    assert labels <= {"positive", "neutral", "negative"}
    if model in ("default", "accurate", "fast"):
        assert [r["label"] for r in rows] == ["negative", "positive", "negative"]


def test_cli_score_accurate_shows_progress_and_eta(tmp_path: Path) -> None:
    posts = "text\n" + "".join(f"第{i}条:这款车的质量问题让人很失望\n" for i in range(150))
    proc = _run(tmp_path, "accurate", posts=posts)
    lines = [x for x in proc.stderr.splitlines() if x.startswith("scored ") and "ETA" in x]
    assert lines, proc.stderr
    assert lines[-1].startswith("scored 150/150 texts") and "/s, ETA" in lines[-1]
    assert proc.stderr.splitlines()[-1] == "scored 150 rows"


def test_cli_score_explain_adds_evidence_of_the_scoring_model(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(tmp_path, "accurate", "--explain").stdout)))
    assert all(r["evidence"] for r in rows)
    assert rows[0]["evidence"].split("(")[0] in POSTS.splitlines()[1]
