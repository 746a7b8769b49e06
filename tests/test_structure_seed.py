"""The seed article parses to exactly the structure the dashboard shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.structure import parse_document

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"

GROUP_TITLES = [
    "Trust and Public Sentiment",
    "Manufacturing Approach",
    "Consumer Expectations",
    "Leadership and Crisis Management",
    "Industry Standards",
]
CITATIONS = [[(1,), (1, 3)], [(3,), (3,)], [(5,), (5,)], [(6, 8), (8,)], [(10,), (10,)]]


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", ["as_shipped", "one_line"])
def test_seed_structure(layout: str) -> None:
    text = _seed_text()
    if layout == "one_line":
        text = " ".join(text.split("\n"))
    doc = parse_document(text)
    assert doc.kind == "summary"
    assert doc.title == "小米汽车陷入困境,问题出在哪?"
    assert doc.source == "Xin Lang Cai Jing"
    assert doc.source_alias == "新浪财经"
    assert doc.published_at is not None
    assert doc.published_at.isoformat() == "2025-10-27T20:11:00+08:00"
    assert doc.core_viewpoint is not None
    assert doc.core_viewpoint.citations == (1, 3)
    assert doc.core_viewpoint.text.startswith("The article discusses a significant trust collapse")
    assert doc.core_viewpoint.text.endswith("successful smartphone strategy.")
    assert [g.title for g in doc.groups] == GROUP_TITLES
    assert [g.index for g in doc.groups] == [1, 2, 3, 4, 5]
    assert not any(g.title_derived for g in doc.groups)
    assert [[b.citations for b in g.bullets] for g in doc.groups] == CITATIONS


def test_seed_bullet_texts_keep_inner_hyphens_and_lose_citations() -> None:
    doc = parse_document(_seed_text())
    first = doc.groups[0].bullets[0].text
    assert first == (
        "The negative public sentiment towards Xiaomi's car has reached 96%, with a net emotional "
        "value plummeting to -96%, indicating a severe backlash from users."
    )
    assert "fast-paced smartphone development model" in doc.groups[1].bullets[0].text
    assert doc.groups[3].bullets[1].text.startswith("The concentration of pressure on the founder, Lei Jun,")
    for s in doc.sentences:
        assert "[" not in s.text and "]" not in s.text


def test_seed_sentence_positions_and_places() -> None:
    doc = parse_document(_seed_text())
    sentences = doc.sentences
    assert [s.position for s in sentences] == list(range(len(sentences)))
    assert len(sentences) == 11  # one sentence per bullet plus the core viewpoint
    core = doc.core_viewpoint
    assert core is not None
    assert all(s.group is None and s.bullet == 0 for s in core.sentences)
    for g in doc.groups:
        for i, b in enumerate(g.bullets):
            assert all(s.group == g.index and s.bullet == i for s in b.sentences)
            assert all(s.label is None and s.score is None for s in b.sentences)
