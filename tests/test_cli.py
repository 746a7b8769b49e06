"""The command line as users call it: `python -m analysis ...` in a subprocess."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from analysis.cli import main
from analysis.records import EMOTIONS, EmotionReading

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def seed_json() -> dict:
    proc = run_cli("article", str(SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_article_json_contract_on_seed(seed_json: dict) -> None:
    data = seed_json
    for key in (
        "title",
        "source",
        "published_at",
        "language",
        "core_viewpoint",
        "groups",
        "sentiment",
        "themes",
        "keywords",
        "figures",
        "model",
    ):
        assert key in data
    assert data["title"] == "小米汽车陷入困境,问题出在哪?"
    assert data["published_at"] == "2025-10-27T20:11:00+08:00"
    assert [g["index"] for g in data["groups"]] == [1, 2, 3, 4, 5]
    group = data["groups"][0]
    assert set(group) >= {"index", "title", "sentiment", "bullets"}
    bullet = group["bullets"][0]
    assert set(bullet) >= {"text", "citations", "sentences"}
    sentence = bullet["sentences"][0]
    assert set(sentence) >= {"text", "lang", "score", "label", "evidence"}
    assert sentence["label"] in ("positive", "neutral", "negative")
    assert -1 <= sentence["score"] <= 1
    s = data["sentiment"]
    assert set(s) >= {"n", "positive", "neutral", "negative", "nev", "nev_polar"}
    assert s["n"] == s["positive"] + s["neutral"] + s["negative"]
    assert s["nev"] == pytest.approx((s["positive"] - s["negative"]) / s["n"])
    assert set(data["model"]) >= {"name", "version", "thresholds"}


def test_article_from_stdin_text_format() -> None:
    proc = run_cli("article", "-", stdin=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "小米汽车陷入困境" in out


def test_help_documents_every_option() -> None:
    for sub, options in {
        "article": ["--format", "--model"],
        "score": ["--text-column", "--lang", "--model", "--out", "--emotions"],
        "timeline": ["--time-column", "--text-column", "--freq", "--tz", "--out"],
    }.items():
        proc = run_cli(sub, "--help")
        assert proc.returncode == 0
        for option in options:
            assert option in proc.stdout.decode()


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "empty.txt", "empty"),
        (bytes(range(256)) * 8, "blob.txt", "binary"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "docx"),
    ],
)
def test_article_bad_input_one_line_on_stderr(
    tmp_path: Path, content: bytes, name: str, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = run_cli("article", str(path))
    assert proc.returncode != 0
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert fragment in err.lower()
    assert "Traceback" not in err


def test_missing_file_and_bad_model() -> None:
    proc = run_cli("article", "no/such/file.txt")
    assert proc.returncode != 0 and proc.stderr.decode().count("\n") == 1
    assert "no such file" in proc.stderr.decode()
    proc = run_cli("article", str(SEED), "--model", "nope")
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1


def test_cli_and_library_give_a_file_the_same_source(seed_json: dict, tmp_path: Path) -> None:
    """The seed says "Xin Lang Cai Jing·2025-10-27 20:11": the CLI reports the source the library
    stores for the same file (its Chinese name), one rule for both (analysis.metadata.merge_metadata)."""
    from analysis.intake import ensure_sample, prepare_upload, save_draft
    from analysis.library import Library

    library = Library(f"sqlite:///{tmp_path / 'library.db'}")
    try:
        stored = ensure_sample(library, SEED).source  # as the app's first run stores it
        # Another outlet named in pinyin, uploaded and given to the CLI.
        article = tmp_path / "jiemian.txt"
        article.write_text(
            "小鹏汽车发布新车型\nJie Mian Xin Wen·2025-10-28 09:30\n\n"
            "小鹏汽车今天发布了新车型。分析人士认为价格有竞争力。\n",
            encoding="utf-8",
        )
        record, created = save_draft(
            library, prepare_upload(article.read_bytes(), article.name), model="fast"
        )
    finally:
        library.dispose()
    assert stored == seed_json["source"] == "新浪财经"
    assert seed_json["source_alias"] == "新浪财经"
    proc = run_cli("article", str(article), "--format", "json", "--model", "fast")
    assert proc.returncode == 0, proc.stderr.decode()
    assert created and record.source == json.loads(proc.stdout)["source"] == "界面新闻"


# -- score --emotions (issue 18) ---------------------------------------------------------------------

POSTS = ["服务很好，非常满意", "太差了，气死我了", "a great result", "Привет мир", ""]


class _FakeReader:
    """Stands in for EmotionReader: joy for every zh/en text with content, nothing otherwise."""

    made: ClassVar[list[str]] = []

    def __init__(self, tier: str = "accurate", **_: object) -> None:
        self.tier, self.note = tier, None
        _FakeReader.made.append(tier)

    def components(self, langs: tuple[str, ...] = ("zh", "en")) -> dict[str, str]:
        return {lang: f"fake-{self.tier}@1" for lang in langs}

    def read(self, texts: list[str], langs: list[str]) -> list[EmotionReading | None]:
        return [
            EmotionReading("joy", 0.75) if lang in ("zh", "en") and text.strip() else None
            for text, lang in zip(texts, langs, strict=True)
        ]


@pytest.fixture
def posts_file(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    pd.DataFrame({"text": POSTS, "emotion": ["x"] * len(POSTS)}).to_csv(path, index=False)
    return path


def _score(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, pd.DataFrame | None, str]:
    code = main(["score", *argv])
    out, err = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False) if code == 0 else None
    return code, frame, err


def test_score_emotions_adds_emotion_columns(
    posts_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis.emotion

    _FakeReader.made = []
    monkeypatch.setattr(analysis.emotion, "EmotionReader", _FakeReader)
    code, frame, err = _score([str(posts_file), "--model", "fast", "--emotions"], capsys)
    assert code == 0, err
    assert frame is not None
    # The input's own `emotion` column is kept as emotion_input, as for lang/score/label/model.
    assert list(frame.columns) == [
        "text", "emotion_input", "lang", "score", "label", "model", "emotion", "emotion_score",
    ]  # fmt: skip
    assert frame["emotion"].tolist() == ["joy", "joy", "joy", "", ""]  # empty, never "None"
    assert frame["emotion_score"].tolist()[:3] == ["0.75"] * 3 and frame["emotion_score"].iloc[3] == ""
    assert _FakeReader.made == ["fast"]  # the fast sentiment model: the fast emotion tier


def test_score_emotion_tier_follows_the_sentiment_model(
    posts_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis.cli.posts as posts
    import analysis.emotion

    _FakeReader.made = []
    monkeypatch.setattr(analysis.emotion, "EmotionReader", _FakeReader)
    for accurate, tier in ((True, "accurate"), (False, "fast")):
        scorer = type("S", (), {"is_accurate": accurate})()
        posts._emotion_reader(scorer)  # type: ignore[arg-type]
        assert _FakeReader.made[-1] == tier


def test_score_without_emotions_is_unchanged_and_loads_no_emotion_model(
    posts_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis.emotion

    _FakeReader.made = []
    monkeypatch.setattr(analysis.emotion, "EmotionReader", _FakeReader)
    code, frame, err = _score([str(posts_file), "--model", "fast"], capsys)
    assert code == 0, err
    assert frame is not None
    assert list(frame.columns) == ["text", "emotion", "lang", "score", "label", "model"]
    assert frame["emotion"].tolist() == ["x"] * len(POSTS)  # the input's column, untouched
    assert _FakeReader.made == []


def test_score_emotions_bad_input_one_line(tmp_path: Path) -> None:
    proc = run_cli("score", str(tmp_path / "missing.csv"), "--emotions")
    assert proc.returncode != 0
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "no such file" in err and "Traceback" not in err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    proc = run_cli("score", str(empty), "--emotions", "--model", "fast")
    assert proc.returncode != 0 and len(proc.stderr.decode().strip().splitlines()) == 1


def test_score_emotions_with_the_real_models(posts_file: Path) -> None:
    """The fast emotion models (analysis/emotion/data): a label of the seven and a probability
    for every zh/en text, empty cells elsewhere."""
    proc = run_cli("score", str(posts_file), "--model", "fast", "--emotions")
    assert proc.returncode == 0, proc.stderr.decode()
    frame = pd.read_csv(io.BytesIO(proc.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns)[-2:] == ["emotion", "emotion_score"]
    assert set(frame["emotion"][:3]) <= set(EMOTIONS)
    assert all(0 < float(x) <= 1 for x in frame["emotion_score"][:3])
    assert frame["emotion"].iloc[3] == frame["emotion"].iloc[4] == ""
