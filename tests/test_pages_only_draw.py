"""Pages only draw: every page script (and every section a page draws from its own module) lays
out widgets and shows what `analysis` computed. No counting, no formula, no model in a page: a
number written twice drifts (the first review found the NEV formula copied into a page).

The Streamlit glue (caches that build the Scorer, session state) is not a page: it is the one
place allowed to construct models."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "pages"
# Modules of pages/ that are glue, not pages: they wrap `analysis` in Streamlit caches and state.
GLUE = {"frame.py", "__init__.py"}
# The Posts page and the sections it draws get every number and figure from CorpusAnalysis.
POSTS = {"posts.py", "posts_review.py", "posts_entities.py"}


def page_files() -> list[Path]:
    pages = [p for p in sorted(PAGES.rglob("*.py")) if p.name not in GLUE]
    return [p for p in pages if p.parent == PAGES or p.name in POSTS]


def imported_modules(source: str) -> set[str]:
    tree = ast.parse(source)
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names
    }


FORMULA = re.compile(r"\)\s*/\s*\(?\s*\w+\s*\+")  # (P - N) / (P + ...)
COMPUTING_CALLS = (
    "Scorer(",
    "Thresholds(",
    "process_chunks",
    "summarize_counts",
    "summarize_labels",
    ".explain(",
    "json.dumps([",
)
COUNTING_MODULES = ("analysis.corpus.aggregate", "analysis.corpus.spikes", "analysis.corpus.scoring")


def test_every_page_is_checked() -> None:
    names = {p.name for p in page_files()}
    navigation = {"overview", "viewpoints", "themes", "timeline", "posts", "library", "compare", "method"}
    assert {f"{n}.py" for n in navigation} | POSTS <= names, names


@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.name)
def test_the_page_computes_nothing(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not FORMULA.search(source), "a (P - N) / (P + ...) formula in the page"
    for computing in COMPUTING_CALLS:
        assert computing not in source, computing
    modules = imported_modules(source)
    for module in COUNTING_MODULES:
        assert module not in modules, module
    assert not any(m.startswith("analysis.sentiment.") for m in modules), modules  # models stay in the glue


@pytest.mark.parametrize("path", [p for p in page_files() if p.name in POSTS], ids=lambda p: p.name)
def test_the_posts_page_gets_its_numbers_from_corpus_analysis(path: Path) -> None:
    modules = imported_modules(path.read_text(encoding="utf-8"))
    for computed in ("charts", "metrics", "themes"):
        assert not any(m.endswith(computed) for m in modules), (computed, modules)
