"""Moved to `analysis.corpus.view` (issue 21): the Posts page's view of an analysed corpus. This
shim keeps old imports working until in-flight branches have moved; import from corpus.view."""

from typing import Any

from analysis.corpus import view as _moved


def __getattr__(name: str) -> Any:
    return getattr(_moved, name)
