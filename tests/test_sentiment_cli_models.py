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


def _score(tmp_path: Path, model: str) -> list[dict[str, str]]:
    src = tmp_path / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "score", str(src), "--text-column", "text", "--model", model],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


@pytest.mark.parametrize(
    ("model", "zh_model", "en_model"),
    [
        ("default", "zh-default", "en-default"),
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
    if model == "default":
        assert [r["label"] for r in rows] == ["negative", "positive", "negative"]
