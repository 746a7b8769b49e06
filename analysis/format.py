"""Display conventions shared by exports, the CLI and the pages (one home for each)."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.model import Evidence


def evidence_string(evidence: Iterable[Evidence], sep: str = "; ") -> str:
    """`term(+0.42); term(-0.10)`: evidence terms with their signed weights."""
    return sep.join(f"{e.term}({e.weight:+.2f})" for e in evidence)
