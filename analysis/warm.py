"""Warm-up: a process's costly first-time work, done in one background thread ahead of the
requests that need it (issue 20).

A fresh server (a deploy, or Streamlit Cloud waking a sleeping app) would otherwise load models,
tokenizers and tables on the request path of whichever visitor first needs them. Every step calls
the same single-flight loaders the pages call (`analysis.lazy`), so whichever comes first builds
and the other waits for that one build: nothing is built twice, and a page waits only for what it
needs itself.

`warm_up(key, steps)` starts the warm-up of `key` (the app passes its library URL) once per
process, however many sessions ask at the same moment; `WarmUp.progress()` says how far it is, for
the "preparing..." note. `model_steps()` are the steps of this package (models, tokenizers, the
entity table); the app puts its own first-page steps (the sample's analysis) in front of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from analysis.lazy import OnceMap


@dataclass(frozen=True)
class WarmStep:
    """One piece of first-time work: `key` names it (the UI translates it), `run` does it."""

    key: str
    run: Callable[[], object]


@dataclass(frozen=True)
class WarmProgress:
    done: int
    total: int
    current: str | None  # the step running now (None when not started or finished)
    failed: tuple[str, ...]  # steps that raised (their pages try again and say why)

    @property
    def finished(self) -> bool:
        return self.done == self.total


@dataclass
class WarmUp:
    """The steps, run one after another in a daemon thread; `gate` (optional) is awaited after
    the first `gate_after` steps, then `gate_delay_s` more, so the background work starts once the
    first page has been sent and drawn instead of competing with it for the interpreter and the
    machine."""

    steps: Sequence[WarmStep]
    gate: threading.Event | None = None
    gate_after: int = 0
    gate_timeout_s: float = 10.0
    gate_delay_s: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)  # step -> how long it took
    errors: dict[str, str] = field(default_factory=dict)
    _done: int = 0
    _current: str | None = None
    _finished: threading.Event = field(default_factory=threading.Event)

    def start(self) -> WarmUp:
        threading.Thread(target=self._run, name="opinion-lens-warm-up", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            for i, step in enumerate(self.steps):
                if self.gate is not None and i == self.gate_after:
                    self.gate.wait(self.gate_timeout_s)
                    time.sleep(self.gate_delay_s)
                self._current = step.key
                began = time.perf_counter()
                try:
                    step.run()
                except Exception as exc:  # not fatal: the page that needs it tries again and says why
                    self.errors[step.key] = f"{type(exc).__name__}: {exc}"
                self.seconds[step.key] = time.perf_counter() - began
                self._done = i + 1
        finally:
            self._current = None
            self._finished.set()

    def progress(self) -> WarmProgress:
        return WarmProgress(self._done, len(self.steps), self._current, tuple(self.errors))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every step has run (True), or `timeout` seconds (False)."""
        return self._finished.wait(timeout)


_started: OnceMap[Hashable, WarmUp] = OnceMap()


def warm_up(
    key: Hashable,
    steps: Callable[[], Sequence[WarmStep]],
    gate: threading.Event | None = None,
    gate_after: int = 0,
    gate_delay_s: float = 0.0,
) -> WarmUp:
    """The warm-up of `key`, started by the first caller in this process (single flight: `steps`
    is called once); every later caller gets the same one."""

    def start() -> WarmUp:
        return WarmUp(steps(), gate, gate_after, gate_delay_s=gate_delay_s).start()

    return _started.get_or_build(key, start)[0]


def started_warm_ups() -> int:
    """How many warm-ups this process has started (tests count them)."""
    return len(_started)


def forget_warm_ups() -> None:
    """Tests: let the next `warm_up` start afresh."""
    _started.clear()


# -- the steps of this package ---------------------------------------------------------------------------
def _sentiment_models() -> None:
    from analysis.sentiment import SUITES, get_model

    for suite in ("accurate", "fast"):
        for name in SUITES[suite].models.values():
            get_model(name)


def _encoder() -> None:
    # The engine loads on its first text; one short text (not kept in its cache) loads it.
    from analysis.sentiment import accurate_unavailable_reason
    from analysis.sentiment.embedding import get_embedder

    if accurate_unavailable_reason() is None:
        get_embedder().warm()


def _emotion_models() -> None:
    from analysis.emotion import TIERS, get_emotion_model

    for lang in ("zh", "en"):
        for tier in TIERS:
            get_emotion_model(lang, tier)


def _entity_table() -> None:
    from analysis.entities import default_table

    default_table()


def _tokenizers() -> None:
    # jieba's dictionary (keywords, themes) and its POS table (entity detection): a second each.
    from analysis.entities.detect import warm_pos_tokenizer
    from analysis.text.keywords import tokenizer

    tokenizer()
    warm_pos_tokenizer()


def model_steps() -> list[WarmStep]:
    """Models, tokenizers and tables, in the order the pages usually need them."""
    return [
        WarmStep("sentiment", _sentiment_models),
        WarmStep("encoder", _encoder),
        WarmStep("emotion", _emotion_models),
        WarmStep("entities", _entity_table),
        WarmStep("tokenizers", _tokenizers),
    ]
