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


def test_ready_scores_for_another_text_or_a_broken_file_store_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis.intake as intake

    monkeypatch.setattr(intake, "READY_ANALYSIS_PATH", tmp_path / "none.pickle")  # the pipeline runs
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


# -- the ready analysis --------------------------------------------------------------------------------
def _draft():
    from analysis.intake import prepare_upload

    return prepare_upload(SAMPLE.read_bytes(), SAMPLE.name)


def test_the_shipped_analysis_is_what_the_pipeline_gives_now() -> None:
    from analysis.intake import ready_analysis
    from analysis.pipeline import analyze_text

    d = _draft()
    ready = ready_analysis(d.text, title=d.title, source=d.source, published_at=d.published_at)
    assert ready is not None, "stale or missing: python scripts/build_ready_scores.py"
    live = analyze_text(d.text, title=d.title, source=d.source, published_at=d.published_at)
    assert ready == live


def test_the_ready_analysis_applies_to_that_text_metadata_and_models_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    import analysis.intake as intake

    d = _draft()
    args = {"title": d.title, "source": d.source, "published_at": d.published_at}
    assert intake.ready_analysis(d.text, **args) is not None
    assert intake.ready_analysis(d.text + "\n补充一句。", **args) is None  # another text
    assert intake.ready_analysis(d.text, **{**args, "title": "另一个标题"}) is None  # other metadata
    broken = tmp_path / "broken.pickle"
    broken.write_bytes(b"\x80\x05not a pickle")
    assert intake.ready_analysis(d.text, **args, path=broken) is None
    assert intake.ready_analysis(d.text, **args, path=tmp_path / "missing.pickle") is None
    # a model with another version: the shipped analysis no longer applies
    current = intake._current_models
    monkeypatch.setattr(intake, "_current_models", lambda langs: replace(current(langs), version="9.9.9"))
    assert intake.ready_analysis(d.text, **args) is None
