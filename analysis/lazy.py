"""`once`: memoise a loader so that concurrent first calls build it once.

`functools.cache` is safe to share between threads but not single-flight: threads that miss at
the same moment all run the loader (two copies of a 50 MB table, twice the start-up time), and
one result wins. The server runs many sessions as threads, so every lazy load goes through this.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Once(Generic[P, R]):
    """A memoised loader: the first call per argument tuple builds, under a lock of its own (calls
    for other arguments do not wait); the rest get the same object. `clear()` forgets them all."""

    def __init__(self, fn: Callable[P, R]) -> None:
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._lock = threading.Lock()  # guards the two dicts, never held during a build
        self._values: dict[Hashable, R] = {}
        self._building: dict[Hashable, threading.Lock] = {}

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            return self._values[key]
        except KeyError:
            pass
        with self._lock:
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._values:
                value = self._fn(*args, **kwargs)
                with self._lock:
                    self._values[key] = value
            return self._values[key]

    def loaded(self) -> int:
        """How many results are held (tests: nothing heavy loads at import)."""
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._building.clear()


def once(fn: Callable[P, R]) -> Once[P, R]:
    """Decorator form of `Once`."""
    return Once(fn)


_IMPORT_LOCK = threading.RLock()
_IMPORTED: dict[str, ModuleType] = {}


def import_once(name: str) -> ModuleType:
    """`importlib.import_module(name)`, one thread at a time for the first import.

    Heavy optional libraries are imported on first use (a page that never reads a PDF never loads
    pypdf). Threads importing such package trees at the same moment can deadlock in Python's
    per-module import locks (trafilatura and lxml import each other's parts), so first imports are
    serialised by one lock; later calls return the finished module without taking it."""
    try:
        return _IMPORTED[name]
    except KeyError:
        pass
    with _IMPORT_LOCK:
        if name not in _IMPORTED:
            _IMPORTED[name] = importlib.import_module(name)
        return _IMPORTED[name]
