"""The warm-up (issue 20): one background build per process however many first visits arrive at
once, steps in order, the background steps held until a first page is drawn, failures kept (not
raised), the real steps loading what the pages use, and the sidebar saying what is still being
prepared."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import pages.ui.warm as app_warm
from analysis.warm import WarmStep, forget_warm_ups, started_warm_ups, warm_up

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _fresh_warm_ups() -> None:
    forget_warm_ups()
    yield
    forget_warm_ups()


def test_eight_concurrent_first_visits_start_one_warm_up() -> None:
    builds: Counter[str] = Counter()
    release = threading.Event()

    def steps() -> list[WarmStep]:
        builds["steps"] += 1
        time.sleep(0.05)  # a slow first build: every other caller arrives meanwhile
        return [WarmStep("a", lambda: builds.update(["a"])), WarmStep("b", release.wait)]

    barrier = threading.Barrier(8)
    got: list[object] = []

    def visit() -> None:
        barrier.wait()
        got.append(warm_up("library", steps))

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    release.set()
    assert len({id(w) for w in got}) == 1 and builds == {"steps": 1, "a": 1}
    assert got[0].wait(5)  # type: ignore[attr-defined]
    assert started_warm_ups() == 1
    assert warm_up("another library", steps) is not got[0]  # one per key
    assert builds["steps"] == 2


def test_steps_run_in_order_behind_the_gate_and_failures_are_kept() -> None:
    order: list[str] = []
    gate = threading.Event()

    def boom() -> None:
        order.append("boom")
        raise OSError("disk gone")

    steps = [
        WarmStep("first", lambda: order.append("first")),
        WarmStep("boom", boom),
        WarmStep("last", lambda: order.append("last")),
    ]
    warm = warm_up("k", lambda: steps, gate=gate, gate_after=1)
    deadline = time.monotonic() + 5
    while warm.progress().done < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert order == ["first"] and warm.progress().done == 1 and not warm.progress().finished  # held
    gate.set()
    assert warm.wait(5)
    progress = warm.progress()
    assert order == ["first", "boom", "last"] and progress.finished and progress.current is None
    assert progress.failed == ("boom",) and "disk gone" in warm.errors["boom"]
    assert set(warm.seconds) == {"first", "boom", "last"}


def test_the_model_steps_load_what_the_pages_use() -> None:
    code = """
from analysis.warm import model_steps, warm_up
import analysis.entities.table as table, analysis.entities.detect as detect, analysis.text.keywords as kw
from analysis.emotion.models import get_emotion_model
from analysis.sentiment.embedding import get_embedder
w = warm_up("k", model_steps)
assert w.wait(300), w.progress()
assert not w.errors, w.errors
assert table._default_table.loaded() == 1 and detect._pos_tokenizer.loaded() == 1
assert kw._build_tokenizer.loaded() == 1 and get_emotion_model.loaded() == 4
assert get_embedder()._engine is not None and get_embedder().embedded == 0
print(sorted(w.seconds))
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "'tokenizers'" in proc.stdout


def test_the_app_starts_one_warm_up_and_the_sidebar_says_what_is_being_prepared(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    release = threading.Event()
    builds = Counter[str]()

    def steps() -> list[WarmStep]:
        builds["steps"] += 1
        return [WarmStep("sample", lambda: None), WarmStep("emotion", release.wait)]

    monkeypatch.setenv(app_warm.WARM_ENV, "1")
    monkeypatch.setattr(app_warm, "app_steps", steps)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.monotonic() + 10
    while app_warm.start_warm_up().progress().current != "emotion" and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.02)
    at.run()
    captions = [c.value for c in at.sidebar.caption]
    assert any(
        "Preparing the sample and the models (1 of 2 ready; now: emotion models)" in c for c in captions
    ), captions
    second = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    second.run()
    assert builds["steps"] == 1  # a second session gets the same warm-up
    release.set()
    assert app_warm.start_warm_up().wait(10)  # type: ignore[union-attr]
    at.run()
    assert not any("Preparing" in c.value for c in at.sidebar.caption)
    assert at.metric or at.get("plotly_chart")  # the Overview drew meanwhile


def test_turned_off_nothing_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app_warm.WARM_ENV, "0")
    assert app_warm.start_warm_up() is None
    assert started_warm_ups() == 0
