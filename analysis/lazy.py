"""Single flight: build a value once, however many threads ask for it at the same moment.

`functools.cache` is safe to share between threads but not single-flight: threads that miss at
the same moment all run the loader (two copies of a 50 MB table, twice the start-up time), and
one result wins. The server runs many sessions as threads, so every lazy load goes through this
family, one mechanism for all of them:

- `OnceMap`: values by key, each built once (`get_or_build`); optionally bounded, oldest first
  out. The analysed corpora shared by sessions and the views of one corpus are such maps.
- `once` / `Once`: a function memoised per argument tuple on an `OnceMap` (loaders, tables,
  tokenizers); `once(max_entries=16)` keeps only the newest results.
- `import_once`: the first import of a heavy optional library, one thread at a time.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Generic, ParamSpec, TypeVar, overload

P = ParamSpec("P")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class OnceMap(Generic[K, V]):
    """Values by key, each built once: concurrent first callers of one key wait for a single
    build, other keys build in parallel, a failed build is not kept. With `max_items`, the
    oldest values are dropped beyond that many (first in, first out)."""

    def __init__(self, max_items: int | None = None) -> None:
        self.max_items = max_items
        self._lock = threading.Lock()  # guards the two dicts, never held during a build
        self._items: dict[K, V] = {}
        self._building: dict[K, threading.Lock] = {}

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: K, value: V) -> V:
        """Keep `value` unless `key` has one already; return the one kept (the first stored wins,
        so every caller shares one object)."""
        with self._lock:
            if key in self._items:
                return self._items[key]
            while self.max_items is not None and self._items and len(self._items) >= self.max_items:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value
            return value

    def get_or_build(self, key: K, build: Callable[[], V]) -> tuple[V, bool]:
        """The value of `key`, built by `build` when absent: (value, True when this call built it)."""
        try:
            return self._items[key], False  # a plain dict read: no lock on the hot path
        except KeyError:
            pass
        with self._lock:
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._items:
                    return self._items[key], False
            kept = self.put(key, build())
        with self._lock:
            self._building.pop(key, None)
        return kept, True

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._building.clear()


class Once(Generic[P, R]):
    """A memoised loader: the first call per argument tuple builds (single flight, `OnceMap`);
    the rest get the same object. `clear()` forgets them all."""

    def __init__(self, fn: Callable[P, R], max_entries: int | None = None) -> None:
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._results: OnceMap[Hashable, R] = OnceMap(max_entries)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        return self._results.get_or_build(key, lambda: self._fn(*args, **kwargs))[0]

    def loaded(self) -> int:
        """How many results are held (tests: nothing heavy loads at import)."""
        return len(self._results)

    def clear(self) -> None:
        self._results.clear()


@overload
def once(fn: Callable[P, R], /) -> Once[P, R]: ...
@overload
def once(*, max_entries: int | None = None) -> Callable[[Callable[P, R]], Once[P, R]]: ...
def once(
    fn: Callable[P, R] | None = None, /, *, max_entries: int | None = None
) -> Once[P, R] | Callable[[Callable[P, R]], Once[P, R]]:
    """Decorator form of `Once`: `@once`, or `@once(max_entries=16)` to keep the newest results only."""
    if fn is not None:
        return Once(fn)

    def wrap(f: Callable[P, R]) -> Once[P, R]:
        return Once(f, max_entries)

    return wrap


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
