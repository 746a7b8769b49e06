"""The sample's ready scores (issue 20): the encoder outputs a fresh library stores before it
analyses the sample, so a fresh server's first visitor does not wait for the sample's embedding.
They must be exactly what the models compute now (a stale file fails here), and they are only a
cache: a file for another text, or a broken one, stores nothing and the sample is scored live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.intake import READY_SCORES_PATH, build_ready_scores, ensure_sample, seed_ready_scores
from analysis.library import Library
from analysis.sentiment.embedding import get_embedder

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"


def test_the_shipped_file_is_what_the_models_compute_now() -> None:
    shipped = json.loads(READY_SCORES_PATH.read_text(encoding="utf-8"))
    get_embedder().clear_cache()
    live = build_ready_scores(SAMPLE)
    assert shipped["sha256"] == live["sha256"]
    assert shipped["scores"].keys() == live["scores"].keys(), "stale: python scripts/build_ready_scores.py"
    for key, values in live["scores"].items():  # type: ignore[union-attr]
        assert shipped["scores"][key].keys() == values.keys(), key
        for h, v in values.items():
            assert shipped["scores"][key][h] == pytest.approx(v, abs=1e-6), (key, h)
    # sentiment and all seven emotions of the sample's language
    assert sum("#" not in k for k in live["scores"]) >= 1 and sum("#" in k for k in live["scores"]) >= 7


def test_a_fresh_library_stores_the_sample_without_embedding_it(tmp_path: Path) -> None:
    library = Library(f"sqlite:///{tmp_path / 'lib.db'}")
    embedder = get_embedder()
    embedder.clear_cache()
    before = embedder.embedded
    record = ensure_sample(library, SAMPLE)
    assert embedder.embedded == before  # every sentence came from the ready scores
    assert record.summary is not None and record.summary.n > 0
    shipped = json.loads(READY_SCORES_PATH.read_text(encoding="utf-8"))
    for key, values in shipped["scores"].items():
        assert library.get_sentence_scores(key, list(values)) == pytest.approx(values)


def test_ready_scores_for_another_text_or_a_broken_file_store_nothing(tmp_path: Path) -> None:
    library = Library(f"sqlite:///{tmp_path / 'lib.db'}")
    assert seed_ready_scores(library, "0" * 64, READY_SCORES_PATH) == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"sha256": ', encoding="utf-8")
    assert seed_ready_scores(library, "0" * 64, broken) == 0
    assert seed_ready_scores(library, "0" * 64, tmp_path / "missing.json") == 0
    assert library.count_sentence_scores() == 0
    # and the sample is then scored live, the same as with the file
    embedder = get_embedder()
    embedder.clear_cache()
    before = embedder.embedded
    live = ensure_sample(library, SAMPLE, ready_scores=broken)
    assert embedder.embedded > before
    seeded = ensure_sample(Library(f"sqlite:///{tmp_path / 'seeded.db'}"), SAMPLE)
    assert live.summary == seeded.summary
