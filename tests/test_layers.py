"""The layers of analysis/ (written down in analysis/__init__.py) hold: no module imports from a
higher layer, counting imports inside functions (the graph of test_import_cycles.py), and every
module has a layer, so a new one is placed on purpose."""

from __future__ import annotations

from tests.test_import_cycles import import_graph

# Lowest first; a module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("records", ("analysis", "analysis.records", "analysis.errors", "analysis.lazy", "analysis.access")),
    ("text and measures", ("analysis.text", "analysis.metrics")),
    (
        "analysis",
        (
            "analysis.readers",
            "analysis.sentences",
            "analysis.structure",
            "analysis.metadata",
            "analysis.stated_numbers",
            "analysis.themes",
            "analysis.sentiment",
            "analysis.emotion",
            "analysis.pipeline",
            "analysis.entities",
            "analysis.review",
            "analysis.library",
            "analysis.intake",
            "analysis.warm",
            "analysis.corpus",
        ),
    ),
    (
        "presentation",
        (
            "analysis.format",
            "analysis.i18n",
            "analysis.charts",
            "analysis.corpus.view",
            "analysis.corpus.captions",
            "analysis.corpus.charts",
            "analysis.export",
            "analysis.report",
            "analysis.briefing",
            "analysis.model_card",
        ),
    ),
    ("interfaces", ("analysis.cli", "analysis.__main__")),
    ("app", ("pages", "dashboard")),
)


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), rank)
    return None if best is None else best[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, deps in sorted(graph.items()):
        for dep in sorted(deps):
            here, there = layer_of(module), layer_of(dep)
            if here is not None and there is not None and there > here:
                found.append(f"{module} ({LAYERS[here][0]}) imports {dep} ({LAYERS[there][0]})")
    return found


def test_the_check_finds_an_upward_import() -> None:
    fake = {"analysis.metrics": {"analysis.format"}, "analysis.format": {"analysis.metrics"}}
    assert upward_imports(fake) == [
        "analysis.metrics (text and measures) imports analysis.format (presentation)"
    ]
    assert layer_of("analysis.corpus.view") > layer_of("analysis.corpus.pipeline")  # the longest prefix wins


def test_every_module_has_a_layer() -> None:
    assert [m for m in import_graph() if layer_of(m) is None] == []


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_imports(import_graph()) == []
