"""Every lazy load, registry and shared cache is safe under concurrent first use: eight threads at
once (as eight sessions of one server) build each thing once and all get the same object."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis.lazy import once

ROOT = Path(__file__).resolve().parents[1]


def test_once_builds_once_for_eight_threads_and_per_argument() -> None:
    calls: list[int] = []

    @once
    def slow(x: int) -> list[int]:
        calls.append(x)
        time.sleep(0.05)  # long enough for every thread to miss the cache at the same moment
        return [x]

    results: list[list[int]] = []
    barrier = threading.Barrier(8)

    def worker(x: int) -> None:
        barrier.wait()
        results.append(slow(x))

    threads = [threading.Thread(target=worker, args=(i % 2,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(calls) == [0, 1]  # one build per argument, not eight
    assert len({id(r) for r in results}) == 2 and slow.loaded() == 2
    slow.clear()
    assert slow.loaded() == 0


def test_once_map_builds_each_key_once_keeps_no_failed_build_and_drops_the_oldest() -> None:
    from analysis.lazy import OnceMap

    built: list[str] = []
    values: OnceMap[str, list[str]] = OnceMap(max_items=2)

    def build(key: str) -> list[str]:
        built.append(key)
        time.sleep(0.05)
        return [key]

    barrier = threading.Barrier(6)
    got: list[tuple[list[str], bool]] = []

    def worker() -> None:
        barrier.wait()
        got.append(values.get_or_build("a", lambda: build("a")))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert built == ["a"] and sum(fresh for _, fresh in got) == 1 and len({id(v) for v, _ in got}) == 1

    def fail() -> list[str]:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        values.get_or_build("b", fail)
    assert "b" not in values  # a failed build is not kept; the next call builds again
    values.get_or_build("b", lambda: build("b"))
    values.get_or_build("c", lambda: build("c"))
    assert "a" not in values and len(values) == 2  # bounded: the oldest went first
    assert values.put("c", ["other"]) == ["c"]  # the first stored wins


def test_once_with_max_entries_keeps_the_newest_results() -> None:
    calls: list[int] = []

    @once(max_entries=2)
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    assert [square(1), square(2), square(1), square(3), square(1)] == [1, 4, 1, 9, 1]
    assert calls == [1, 2, 3, 1] and square.loaded() == 2


def test_once_without_its_lock_would_build_twice() -> None:
    """The check above can fail: functools.cache, which it replaces, builds once per thread."""
    from functools import cache

    calls: list[int] = []

    @cache
    def slow() -> int:
        calls.append(1)
        time.sleep(0.05)
        return 1

    barrier = threading.Barrier(4)
    threads = [threading.Thread(target=lambda: (barrier.wait(), slow())) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) > 1


FRESH_PROCESS = r"""
import sys, threading, tempfile
sys.path.insert(0, ".")
from pathlib import Path

from analysis.i18n import catalog
from analysis.lazy import import_once
from analysis.library import Library
from analysis.readers import _trafilatura_config, read_document
from analysis.sentiment.default_models import _vader_lexicon
from analysis.text import keywords
from analysis.themes import _matcher, _taxonomy, sentence_themes

db = Path(tempfile.mkdtemp()) / "library.db"
TASKS = {
    "tokenizer": keywords.tokenizer,
    "tfidf": keywords._tfidf,
    "keywords": lambda: keywords.extract_keywords(["小米汽车陷入信任危机,雷军回应质疑。"]),
    "taxonomy": _taxonomy,
    "themes": lambda: sentence_themes("小米汽车召回事件引发安全担忧。"),
    "catalog": catalog,
    "trafilatura": _trafilatura_config,
    "html": lambda: read_document(b"<html><body><p>hello world</p></body></html>", "a.html").text,
    "pdf": lambda: import_once("pypdf").PdfReader,  # heavy first imports, serialised
    "docx": lambda: import_once("docx").Document,
    "lexicon": _vader_lexicon,
    "library": lambda: Library(f"sqlite:///{db}").count_articles(),
}
results = {name: [] for name in TASKS}
errors = []
barrier = threading.Barrier(8 * len(TASKS))

def run(name):
    try:
        barrier.wait()
        results[name].append(TASKS[name]())
    except BaseException as exc:
        errors.append(f"{name}: {type(exc).__name__}: {exc}")

threads = [threading.Thread(target=run, args=(n,)) for n in TASKS for _ in range(8)]
for th in threads:
    th.start()
for th in threads:
    th.join()
assert not errors, errors
for name in ("tokenizer", "tfidf", "taxonomy", "catalog", "trafilatura", "lexicon"):
    assert len({id(r) for r in results[name]}) == 1, name  # one object shared by all
for loader in (keywords._tfidf, _taxonomy, _matcher, catalog, _trafilatura_config, _vader_lexicon):
    assert loader.loaded() == 1, loader
assert keywords._build_tokenizer.loaded() == 1
assert len(set(map(str, results["keywords"]))) == 1 and len(set(map(str, results["themes"]))) == 1
assert results["library"] == [0] * 8
print("ok")
"""


@pytest.mark.slow
def test_every_lazy_load_in_a_fresh_process_under_eight_threads() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-3000:]
