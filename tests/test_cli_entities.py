"""`python -m analysis entities` (output contract, share of voice, --competitors, --rollup, streaming,
errors as one line) and the `entities` of `python -m analysis article` (JSON and text)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.cli import EXIT_INPUT, EXIT_USAGE, main
from analysis.corpus.captions import entities_csv_frame
from analysis.corpus.ingest import ColumnMapping
from analysis.corpus.pipeline import CorpusOptions
from analysis.corpus.view import CorpusAnalysis
from analysis.entities import EMOTION_COUNT_COLUMNS, EMOTION_POSTS_COLUMNS, POSTS_COLUMNS
from analysis.records import EMOTIONS

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
SAMPLE = ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv"
MODEL = ["--model", "snownlp"]
POSTS = pd.DataFrame(
    {
        "内容": [
            "小米销量大涨，非常满意",
            "特斯拉又降价了，太差了",
            "小米和特斯拉都在降价，华为呢",
            "雷军说小米SU7交付提速",
            "今天天气不错",
            "Xiaomi and Tesla both cut prices",
            "华为发布会很精彩，华为加油",
        ],
        "发布时间": [
            "2025-10-01 09:00",
            "2025-10-01 10:00",
            "2025-10-01 11:00",
            "2025-10-02 09:00",
            "2025-10-02 10:00",
            "2025-10-02 11:00",
            "2025-10-03 12:00",
        ],
    }
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _frame(out: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(out), dtype={"period": str, "entity": str})


@pytest.fixture
def posts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    POSTS.to_csv(path, index=False)
    return path


def _entities(path: Path, *extra: str) -> list[str]:
    return ["entities", str(path), "--time-column", "发布时间", *MODEL, *extra]


def test_contract_counts_and_share_of_voice(posts_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(_entities(posts_csv), capsys)
    assert code == 0, err
    frame = _frame(out)
    assert tuple(frame.columns) == POSTS_COLUMNS
    mentions = {
        (p, e): m for p, e, m in zip(frame["period"], frame["entity"], frame["mentions"], strict=True)
    }
    assert mentions == {
        ("2025-10-01", "小米"): 2,
        ("2025-10-01", "特斯拉"): 2,
        ("2025-10-01", "华为"): 1,
        ("2025-10-02", "雷军"): 1,
        ("2025-10-02", "小米SU7"): 1,
        ("2025-10-02", "小米"): 1,  # Xiaomi: the English alias; 小米SU7 is its own entity
        ("2025-10-02", "特斯拉"): 1,
        ("2025-10-03", "华为"): 1,  # named twice, one post: one mention
    }
    assert (frame[["positive", "neutral", "negative"]].sum(axis=1) == frame["mentions"]).all()
    assert frame["nev"].between(-1, 1).all()
    sums = frame.groupby("period")["share_of_voice"].sum()
    assert sums.to_numpy() == pytest.approx(1, abs=1e-6)
    assert frame.loc[frame["period"] == "2025-10-01", "share_of_voice"].tolist() == [0.4, 0.4, 0.2]
    assert "read 7 rows" in err and "entities named in 3 periods" in err


def test_competitors_by_name_or_alias_recompute_share(
    posts_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(_entities(posts_csv, "--competitors", "Xiaomi，Tesla"), capsys)  # full-width comma
    assert code == 0, err
    frame = _frame(out)
    assert set(frame["entity"]) == {"小米", "特斯拉"}
    assert frame.groupby("period")["share_of_voice"].sum().to_numpy() == pytest.approx(1, abs=1e-6)
    assert frame.loc[frame["period"] == "2025-10-01", "share_of_voice"].tolist() == [0.5, 0.5]
    _, everything, _ = _run(_entities(posts_csv), capsys)
    keys = ["period", "entity"]
    both = frame.merge(_frame(everything), on=keys, suffixes=("", "_all"))
    assert len(both) == len(frame)
    for col in ("mentions", "positive", "neutral", "negative", "nev"):  # only the share changes
        assert (both[col] == both[f"{col}_all"]).all()


def test_rollup_counts_children_under_their_parent(
    posts_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(_entities(posts_csv, "--rollup", "--competitors", "小米SU7,华为"), capsys)
    assert code == 0, err
    frame = _frame(out)
    assert set(frame["entity"]) == {"小米", "华为"}  # 小米SU7 and 雷军 fold into 小米
    day2 = frame[frame["period"] == "2025-10-02"].set_index("entity")
    assert day2.loc["小米", "mentions"] == 2  # posts 4 (雷军, 小米SU7) and 6 (Xiaomi)


@pytest.mark.parametrize("chunk", ["1", "3"])
def test_same_result_whatever_the_chunk_size(
    posts_csv: Path, chunk: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reference, _ = _run(_entities(posts_csv, "--freq", "W"), capsys)
    code, out, _ = _run(_entities(posts_csv, "--freq", "W", "--chunk-size", chunk), capsys)
    assert code == 0 and out == reference
    assert set(_frame(out)["period"]) == {"2025-09-29"}


def test_out_file_and_report(posts_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, report = tmp_path / "entities.csv", tmp_path / "report.json"
    code, stdout, err = _run(_entities(posts_csv, "--out", str(out), "--report", str(report)), capsys)
    assert code == 0, err
    assert stdout == "" and tuple(_frame(out.read_text(encoding="utf-8")).columns) == POSTS_COLUMNS
    assert json.loads(report.read_text(encoding="utf-8"))["rows_read"] == 7


def test_no_entity_named_gives_the_header_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.csv"
    pd.DataFrame({"text": ["今天天气不错"], "time": ["2025-10-01 09:00"]}).to_csv(path, index=False)
    code, out, err = _run(["entities", str(path), "--time-column", "time", *MODEL], capsys)
    assert code == 0, err
    assert out.strip() == ",".join(POSTS_COLUMNS)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--time-column", "时间"], "no time column named '时间'"),
        (["--time-column", "内容"], "parses as a time"),
        (
            ["--time-column", "发布时间", "--competitors", "小米,Nokiaa"],
            "'Nokiaa' is not in the entity table",
        ),
        (["--time-column", "发布时间", "--competitors", " , "], "--competitors names no entity"),
        (["--time-column", "发布时间", "--tz", "Mars/Base"], "Mars/Base"),
    ],
)
def test_errors_are_one_line(
    posts_csv: Path, argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["entities", str(posts_csv), *argv, *MODEL], capsys)
    assert code == EXIT_INPUT and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and fragment in err, err


def test_missing_file_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["entities", str(tmp_path / "none.csv"), "--time-column", "t"], capsys)
    assert code == EXIT_INPUT and err == f"error: no such file: {tmp_path / 'none.csv'}\n"
    with pytest.raises(SystemExit) as exc:  # --time-column is required
        main(["entities", str(tmp_path / "none.csv")])
    assert exc.value.code == EXIT_USAGE
    assert capsys.readouterr().err.count("\n") == 1


def test_help_and_a_real_process(posts_csv: Path) -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "analysis", "entities", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    for option in ("--time-column", "--text-column", "--freq", "--tz", "--out", "--model", "--competitors"):
        assert option in help_text
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "entities", str(posts_csv), "--time-column", "nope"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == EXIT_INPUT and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_cli_and_posts_page_agree_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command and the Posts page (CorpusAnalysis) count the same posts the same way."""
    code, out, err = _run(
        [
            "entities", str(SAMPLE), "--time-column", "timestamp", "--model", "fast", "--chunk-size", "1000",
            "--emotions",
        ],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    cli = _frame(out)
    frame = pd.read_csv(SAMPLE, dtype=str)
    corpus = CorpusAnalysis.run(
        frame, CorpusOptions(ColumnMapping(text="text", time="timestamp"), model="fast")
    )
    page = entities_csv_frame(corpus.entities("D"), "D")
    assert tuple(page.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS  # the page counts emotions too
    pd.testing.assert_frame_equal(
        cli.fillna({"emotion": ""}),
        page.astype({"period": str, "entity": str}).fillna({"emotion": ""}),
        check_dtype=False,
    )
    assert cli.groupby("period")["share_of_voice"].sum().to_numpy() == pytest.approx(1, abs=1e-6)


def test_emotions_add_the_mix_of_each_row_s_posts(
    posts_csv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: `--emotions` adds the dominant emotion and a count per emotion of the posts behind
    each row (the fast tier, read for the posts naming an entity only); the rest is unchanged."""
    import analysis.emotion

    read: list[str] = []

    class Reader:
        def __init__(self, tier: str = "fast", **_: object) -> None:
            assert tier == "fast"

        def components(self, langs: tuple[str, ...] = ("zh", "en")) -> dict[str, str]:
            return {lang: "fake@1" for lang in langs}

        def labels(self, texts: list[str], langs: list[str] | None = None) -> list[str | None]:
            read.extend(texts)
            return ["sadness" if "差" in t else "joy" for t in texts]

    monkeypatch.setattr(analysis.emotion, "EmotionReader", Reader)
    code, out, err = _run(_entities(posts_csv, "--emotions"), capsys)
    assert code == 0, err
    frame = _frame(out)
    assert tuple(frame.columns) == POSTS_COLUMNS + EMOTION_POSTS_COLUMNS
    code, plain_out, _ = _run(_entities(posts_csv), capsys)
    pd.testing.assert_frame_equal(frame[list(POSTS_COLUMNS)], _frame(plain_out))
    counts = frame[list(EMOTION_COUNT_COLUMNS)].sum(axis=1)
    assert (counts == frame["mentions"]).all()  # every post naming the entity was read, once
    assert "今天天气不错" not in read and len(read) == len(set(read)) == 6
    rows = frame.set_index(["period", "entity"])
    assert rows.loc[("2025-10-01", "特斯拉"), "emotion_sadness"] == 1
    assert rows.loc[("2025-10-01", "特斯拉"), "emotion_joy"] == 1
    assert rows.loc[("2025-10-03", "华为"), "emotion"] == "joy"
    assert set(frame["emotion"]) <= set(EMOTIONS)


def test_emotions_without_a_model_is_one_line(
    posts_csv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis.emotion
    from analysis.emotion import EmotionModelError

    class Missing:
        def __init__(self, *_: object, **__: object) -> None:
            pass

        def components(self, *_: object) -> dict[str, str]:
            raise EmotionModelError("fast zh emotion model artefact missing: zh_fast.npz")

    monkeypatch.setattr(analysis.emotion, "EmotionReader", Missing)
    code, out, err = _run(_entities(posts_csv, "--emotions"), capsys)
    assert code == EXIT_INPUT and out == ""
    assert len(err.strip().splitlines()) == 1 and "emotion model" in err


# -- article --------------------------------------------------------------------------------------------


def _article_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, err = _run(["article", str(ARTICLE), "--format", "json", *extra], capsys)
    assert code == 0, err
    return json.loads(out)


def test_article_json_has_entities_with_xiaomi(capsys: pytest.CaptureFixture[str]) -> None:
    data = _article_json(capsys)
    entities = {e["name"]: e for e in data["entities"]}
    xiaomi = entities["小米"]
    assert xiaomi["name_en"] == "Xiaomi" and xiaomi["type"] == "company" and xiaomi["kind"] == "known"
    assert "Xiaomi" in xiaomi["surfaces"]
    assert xiaomi["mentions"] == len(xiaomi["sentences"]) == len(xiaomi["sentence_positions"]) >= 3
    s = xiaomi["sentiment"]
    assert s["n"] + s["unscored"] == xiaomi["mentions"]
    assert s["n"] == s["positive"] + s["neutral"] + s["negative"]
    assert s["nev"] == pytest.approx((s["positive"] - s["negative"]) / s["n"])
    assert data["entities"][0]["name"] == "小米"  # the article is about Xiaomi
    # Issue 18: the emotion mix of the sentences naming it, each sentence once.
    mix = xiaomi["emotions"]
    assert set(mix["counts"]) == set(EMOTIONS)
    assert mix["n"] + mix["unread"] == xiaomi["mentions"] == sum(mix["counts"].values()) + mix["unread"]
    assert mix["dominant"] is None or mix["dominant"] in EMOTIONS
    by_position = {
        x["position"]: x["emotion"]
        for b in [data["core_viewpoint"], *(b for g in data["groups"] for b in g["bullets"])]
        if b
        for x in b["sentences"]
    }
    assert all(x["emotion"] == by_position[x["position"]] for x in xiaomi["sentences"])
    for sentence in xiaomi["sentences"]:
        if not sentence["split"]:  # an unsplit sentence: the entity gets the sentence's label
            assert sentence["label"] == sentence["sentence_label"]


def test_article_entities_use_the_article_scorer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import analysis.entities
    import analysis.pipeline

    seen: dict[str, Any] = {}
    analyze, entities = analysis.pipeline.analyze_text, analysis.entities.article_entities

    def spy_analyze(*args: Any, **kwargs: Any) -> Any:
        seen["sentences"] = kwargs.get("scorer")
        return analyze(*args, **kwargs)

    def spy_entities(*args: Any, **kwargs: Any) -> Any:
        seen["entities"] = kwargs.get("scorer")
        return entities(*args, **kwargs)

    monkeypatch.setattr(analysis.pipeline, "analyze_text", spy_analyze)
    monkeypatch.setattr(analysis.entities, "article_entities", spy_entities)
    data = _article_json(capsys, "--model", "snownlp")
    assert seen["sentences"] is not None and seen["sentences"] is seen["entities"]
    assert seen["entities"].requested == "snownlp" and data["model"]["name"] == "snownlp"
    assert any(e["name"] == "小米" for e in data["entities"])


def test_article_text_report_lists_the_top_entities(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["article", str(ARTICLE), "--model", "snownlp"], capsys)
    assert code == 0, err
    section = out[out.index("ENTITIES (") : out.index("REPRODUCIBILITY")]
    assert "小米 / Xiaomi (company, known)" in section and "nev=" in section


def test_library_aliases_join_the_table_on_request(
    posts_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.library import DB_URL_ENV, Library

    url = f"sqlite:///{tmp_path / 'library.db'}"
    monkeypatch.setenv(DB_URL_ENV, url)
    monkeypatch.chdir(tmp_path)
    text = POSTS["内容"].iloc[0]
    alias = next(w for w in ("销量", "降价", "新机", "发布") if w in "".join(POSTS["内容"]))
    Library(url).add_entity_alias(alias, "测试实体", "company", editor="ana")
    code, out, _ = _run(_entities(posts_csv), capsys)
    assert code == 0 and "测试实体" not in set(_frame(out)["entity"])  # only when asked for
    code, out, err = _run(_entities(posts_csv, "--library-aliases"), capsys)
    assert code == 0, err
    assert "测试实体" in set(_frame(out)["entity"]), (alias, text)
