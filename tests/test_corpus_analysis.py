"""CorpusAnalysis (memoised, thread-safe views of one analysed corpus), CorpusOptions serialisation
and cache keys, validate_options (shared by the CLI and the Posts page) and the page's process cache.

The corpus here is built by hand (no model is loaded): the views are the functions of aggregate,
spikes and metrics, so the tests check that they are the same numbers, kept once and shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main as cli_main
from analysis.corpus import view as analysis_module
from analysis.corpus.aggregate import TimelineAccumulator, period_start, timeline_csv_frame
from analysis.corpus.captions import posts_table
from analysis.corpus.clean import CleanOptions
from analysis.corpus.ingest import ColumnMapping, CorpusError
from analysis.corpus.pipeline import CorpusOptions, IngestReport, validate_options
from analysis.corpus.spikes import find_spikes, rank_posts
from analysis.corpus.timeparse import TimeZoneError
from analysis.corpus.view import AnalysisCache, CorpusAnalysis
from analysis.metrics import summarize_counts
from analysis.records import Evidence

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = CorpusOptions(ColumnMapping("text", "time", likes="likes"), model="snownlp", band=(-0.3, 0.3))
THREADS = 8


def _posts(days: int = 20, spike_day: int = 15) -> pd.DataFrame:
    """Three posts a day and forty on `spike_day`, labels cycling, weights growing."""
    rows = []
    for day in range(days):
        for i in range(40 if day == spike_day else 3):
            label = ("positive", "neutral", "negative", None)[(day + i) % 4]
            time_ = pd.Timestamp("2020-01-01 08:00", tz="Asia/Shanghai") + pd.Timedelta(
                days=day, minutes=7 * i
            )
            text = f"第{day}天的第{i}条帖子"
            rows.append((len(rows) + 1, text, text, time_, "zh" if label else "other", label, i))
    frame = pd.DataFrame(rows, columns=["row", "text", "text_clean", "time", "lang", "label", "likes"])
    frame["label"] = pd.Series([r[5] for r in rows], dtype=object)  # None when unscored, as scoring writes
    score = frame["label"].map({"positive": 0.8, "neutral": 0.0, "negative": -0.6})
    frame["score"] = score.astype(float)
    frame["weight"] = 1.0 + np.log1p(frame["likes"].astype(float))
    frame["duplicate"] = ""
    return frame


def _analysis() -> CorpusAnalysis:
    return CorpusAnalysis(_posts(), IngestReport(), OPTIONS)


# -- memoisation ------------------------------------------------------------------------------------
def test_each_view_is_computed_once_and_is_the_same_object_after() -> None:
    corpus = _analysis()
    assert corpus.timeline("D") is corpus.timeline("d")  # the frequency is normalised first
    assert corpus.timeline("D") is not corpus.timeline("H")
    assert corpus.spikes("D") is corpus.spikes("D")
    assert corpus.period_labels("W") is corpus.period_labels("W")
    assert corpus.background_keywords() is corpus.background_keywords()
    period = corpus.spikes("D")[0].period
    assert corpus.explanation("D", period) is corpus.explanation("D", period)
    assert corpus.post_table("top", "zh", limit=5) is corpus.post_table("top", "zh", limit=5)
    assert corpus.post_table("top", "en", limit=5) is not corpus.post_table("top", "zh", limit=5)
    assert corpus.breakdown_roles() == []


def test_cached_builds_once_and_keeps_no_failed_build() -> None:
    corpus = _analysis()
    calls = []

    def build() -> list[int]:
        calls.append(1)
        return [len(calls)]

    first = corpus.cached("k", build)
    assert corpus.cached("k", build) is first and calls == [1]

    def broken() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        corpus.cached("bad", broken)
    assert corpus.cached("bad", lambda: "built") == "built"  # a failure is not remembered


def test_eight_threads_on_first_use_share_one_build() -> None:
    corpus = _analysis()
    builds = []
    start = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def slow() -> object:
        builds.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to arrive while the first one builds
        return object()

    def worker(i: int) -> None:
        start.wait()
        results[i] = corpus.cached(("slow",), slow)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(builds) == 1, builds
    assert all(r is results[0] for r in results)


def test_eight_threads_on_the_real_views_get_the_same_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _analysis()
    built = []
    real_add = TimelineAccumulator.add

    def counting_add(self: TimelineAccumulator, *args: object, **kwargs: object) -> None:
        built.append(self.freq)
        time.sleep(0.05)
        real_add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TimelineAccumulator, "add", counting_add)
    start = threading.Barrier(THREADS)
    seen: list[tuple[object, ...]] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        got = (corpus.timeline("D"), corpus.spikes("D"), corpus.period_labels("D"), corpus.summary("D"))
        with lock:
            seen.append(got)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert built == ["D"]  # one timeline built for eight sessions
    assert len(seen) == THREADS
    assert all(s[0] is seen[0][0] and s[1] is seen[0][1] and s[2] is seen[0][2] for s in seen)


# -- the views are the library's functions ----------------------------------------------------------
def test_timeline_spikes_totals_and_csv_come_from_aggregate_spikes_and_metrics() -> None:
    corpus = _analysis()
    posts = corpus.posts
    acc = TimelineAccumulator("D")
    acc.add(period_start(posts["time"], "D"), posts["label"], posts["weight"])
    expected = acc.result()
    pd.testing.assert_frame_equal(corpus.timeline("D"), expected)
    assert list(corpus.spikes("D")) == find_spikes(expected)
    assert corpus.spikes("D"), "the spike day is found"
    counts = posts["label"].value_counts()
    assert corpus.summary("D") == summarize_counts(
        int(counts["positive"]),
        int(counts["neutral"]),
        int(counts["negative"]),
        int(posts["label"].isna().sum()),
    )
    pd.testing.assert_frame_equal(corpus.timeline_csv("D"), timeline_csv_frame(expected, "D"))
    assert corpus.span() is not None and corpus.span().days == 20


def test_top_posts_periods_and_tables() -> None:
    corpus = _analysis()
    pd.testing.assert_frame_equal(corpus.top_posts(), rank_posts(corpus.posts))
    busiest = corpus.busiest_label("D")
    assert busiest == "2020-01-16" and busiest in corpus.labels_with_posts("D")
    period = corpus.period_of("D", busiest)
    assert corpus.label_of("D", period) == busiest
    of_period = corpus.period_posts("D", period)
    assert len(of_period) == 40 and (of_period["period"] == period).all()
    assert of_period["score"].abs().dropna().is_monotonic_decreasing  # strongest first, unscored last
    assert of_period["score"].isna().sum() == 10 and of_period["score"].tail(10).isna().all()
    top = corpus.post_table("top", "zh", limit=7)
    assert len(top.table) == 7 and top.total == len(corpus.posts)
    pd.testing.assert_frame_equal(top.table, posts_table(corpus.top_posts().head(7), "zh"))
    assert corpus.table_csv("top", "en").startswith("\ufeff".encode() + b"Time,")


def test_period_evidence_is_memoised_and_padded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    class Model:
        def explain(self, text: str, top: int) -> tuple[Evidence, ...]:
            calls.append(text)
            return (Evidence("好", 0.5), Evidence("差", -0.25))[:top]

    class FakeScorer:
        def model_for(self, lang: str) -> Model | None:
            return Model() if lang == "zh" else None

    monkeypatch.setattr(CorpusAnalysis, "scorer", lambda self: FakeScorer())
    monkeypatch.setattr(analysis_module, "EVIDENCE_ROWS", 30)
    corpus = _analysis()
    period = corpus.period_of("D", "2020-01-16")
    evidence = corpus.evidence("D", period)
    assert len(evidence) == 30 and corpus.evidence("D", period) is evidence
    assert len(calls) == sum(1 for e in evidence if e)  # explained once, posts in neither language skipped
    assert {e for e in evidence if e} == {"好(+0.50) 差(-0.25)"}
    table = corpus.post_table("period", "en", freq="D", period=period, limit=35).table
    assert table["Evidence"].tolist()[30:] == [""] * 5 and len(calls) == 30 - evidence.count("")


# -- options ---------------------------------------------------------------------------------------
FULL = CorpusOptions(
    mapping=ColumnMapping(
        "内容",
        "时间",
        source="来源",
        author="用户",
        region="地区",
        likes="点赞",
        reposts="转发",
        comments="评论",
    ),
    tz="Europe/Berlin",
    year=2021,
    export_time="2021-06-01 12:00",
    clean=CleanOptions(urls=False, dedupe_near=False, drop_duplicates=True),
    model="fast",
    band=(-0.25, 0.4),
    lang="zh",
    need_time=False,
)


@pytest.mark.parametrize("options", [OPTIONS, FULL, CorpusOptions(ColumnMapping("text"))])
def test_options_round_trip_through_plain_json(options: CorpusOptions) -> None:
    data = json.loads(json.dumps(options.to_dict()))  # session state and cache keys need plain values
    back = CorpusOptions.from_dict(data)
    assert back == options
    assert isinstance(back.mapping, ColumnMapping) and isinstance(back.clean, CleanOptions)
    assert back.band is None or isinstance(back.band, tuple)


def test_from_dict_fills_defaults_and_ignores_unknown_cleaning_steps() -> None:
    old_session = {"mapping": {"text": "t", "time": "w"}, "tz": "UTC", "clean": {"urls": False, "gone": True}}
    options = CorpusOptions.from_dict(old_session)
    assert options == CorpusOptions(ColumnMapping("t", "w"), tz="UTC", clean=CleanOptions(urls=False))


def test_library_record_round_trip_and_form_values() -> None:
    stored = FULL.to_stored()
    assert set(stored) == {"columns", "options"} and "model" not in stored["options"]
    back = CorpusOptions.from_stored(stored)
    assert back == replace(FULL, model="default", band=None, lang="auto", need_time=True)
    # The mapping form's raw values: a blank zone is the default one, year 0 and blanks are none.
    form = {"columns": {"text": "t", "time": ""}, "options": {"tz": " ", "year": 0, "export_time": "  "}}
    assert CorpusOptions.from_stored(form) == CorpusOptions(ColumnMapping("t"))
    legacy = {"text": "t", "time": "w"}  # records written before the "columns" key
    assert CorpusOptions.from_stored(legacy).mapping == ColumnMapping("t", "w")


def test_cache_key_is_stable_and_changes_with_every_option_and_the_content() -> None:
    key = FULL.cache_key("abc")
    assert key == CorpusOptions.from_dict(FULL.to_dict()).cache_key("abc")
    assert len(key) == 64 and int(key, 16) >= 0
    # The same key in another process (no dependence on hash randomisation or object identity).
    code = (
        "import json,sys; from analysis.corpus.pipeline import CorpusOptions; "
        "print(CorpusOptions.from_dict(json.loads(sys.argv[1])).cache_key('abc'))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, json.dumps(FULL.to_dict())],
        capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "123"},
    )  # fmt: skip
    assert other.stdout.strip() == key
    changes = {
        "mapping": ColumnMapping("内容", "时间"),
        "tz": "UTC",
        "year": 2020,
        "export_time": None,
        "clean": CleanOptions(),
        "model": "default",
        "band": (-0.25, 0.41),
        "lang": "auto",
        "need_time": True,
    }
    keys = {key, FULL.cache_key("abd")}
    for name, value in changes.items():
        keys.add(replace(FULL, **{name: value}).cache_key("abc"))
    assert len(keys) == len(changes) + 2


# -- validate_options --------------------------------------------------------------------------------
def test_valid_options_pass_and_are_returned() -> None:
    assert (
        validate_options(FULL, ["内容", "时间", "来源", "用户", "地区", "点赞", "转发", "评论"], freq="W")
        is FULL
    )
    assert validate_options(OPTIONS) is OPTIONS


@pytest.mark.parametrize(
    ("changes", "columns", "freq", "error", "code", "message"),
    [
        ({"tz": "Nowhere/City"}, None, None, TimeZoneError, "bad_tz", "unknown time zone 'Nowhere/City'"),
        ({"export_time": "yesterday-ish"}, None, None, CorpusError, "bad_export_time",
         "--export-time 'yesterday-ish' is not a date-time"),
        ({"year": 0}, None, None, CorpusError, "bad_option", "year 0 is out of range"),
        ({"year": 99_999}, None, None, CorpusError, "bad_option", "year 99999 is out of range"),
        ({"band": (0.5, -0.5)}, None, None, CorpusError, "bad_option", "invalid neutral band"),
        ({"lang": "fr"}, None, None, CorpusError, "bad_option", "unknown language 'fr'"),
        ({}, None, "M", CorpusError, "bad_option", "unknown period 'M'"),
        ({"mapping": ColumnMapping("text")}, None, None, CorpusError, "no_time_column", "no time column"),
        ({}, ["text", "when"], None, CorpusError, "unknown_column", "no column named 'time'"),
    ],
)  # fmt: skip
def test_validate_options_errors(
    changes: dict, columns: list[str] | None, freq: str | None, error: type, code: str, message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        validate_options(replace(OPTIONS, **changes), columns, freq=freq)
    assert caught.value.code == code
    if code == "bad_tz":
        assert caught.value.fields == {"tz": "Nowhere/City"}  # the page names the zone


def test_the_cli_reports_option_errors_as_one_line_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.csv")  # options are checked before the file is opened
    for argv, message in [
        (["--tz", "Nowhere/City"], "error: unknown time zone 'Nowhere/City'"),
        (["--export-time", "soon"], "error: --export-time 'soon' is not a date-time"),
        (["--year", "0"], "error: year 0 is out of range"),
    ]:
        code = cli_main(["timeline", missing, "--time-column", "t", "--model", "snownlp", *argv])
        err = capsys.readouterr().err
        assert code != 0 and err.count("\n") == 1 and err.startswith(message), err


# -- the page's process cache -------------------------------------------------------------------------
def test_analysis_cache_is_bounded_first_in_first_out_and_keeps_the_first_store() -> None:
    cache = AnalysisCache(max_items=2)
    a, b, c = _analysis(), _analysis(), _analysis()
    assert cache.put("a", a) is a and cache.put("b", b) is b
    assert cache.put("a", c) is a  # another session stored it first: everyone shares that one
    cache.put("c", c)
    assert len(cache) == 2 and "a" not in cache and cache.get("b") is b and cache.get("c") is c
    assert cache.get("a") is None


class _SlowEviction(dict):
    """Lets another thread run between choosing the oldest entry and removing it."""

    def pop(self, key: object, *default: object) -> object:
        time.sleep(0.001)
        return super().pop(key, *default)


def test_analysis_cache_under_eight_threads_stays_bounded() -> None:
    cache = AnalysisCache(max_items=3)
    cache._items = _SlowEviction()  # without the lock, two threads evict the same entry: KeyError
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    corpus = _analysis()

    def worker(i: int) -> None:
        start.wait()
        try:
            for j in range(50):
                cache.put(f"{i}-{j}", corpus)
                cache.get(f"{i}-{j - 1}")
                assert len(cache) <= 3
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == [] and len(cache) == 3


def test_sessions_asking_for_one_corpus_at_once_share_one_build() -> None:
    import threading
    import time

    from analysis.corpus.view import AnalysisCache

    cache = AnalysisCache(3)
    builds: list[int] = []
    sentinel = object()

    def build():
        builds.append(1)
        time.sleep(0.05)
        return sentinel

    got: list[tuple[object, bool]] = []
    barrier = threading.Barrier(8)

    def session() -> None:
        barrier.wait()
        got.append(cache.get_or_build("corpus-key", build))

    threads = [threading.Thread(target=session) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert builds == [1]
    assert all(g[0] is sentinel for g in got) and sum(g[1] for g in got) == 1
