"""Moved to `analysis.stated_numbers` (issue 21): "figures" read as Plotly figures. This shim keeps
old imports working until in-flight branches have moved; import from analysis.stated_numbers."""

from typing import Any

from analysis import stated_numbers as _moved


def __getattr__(name: str) -> Any:
    return getattr(_moved, name)
