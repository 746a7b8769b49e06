"""The review store (append-only audit trail, undo, reset, bad input, concurrency on SQLite and the
real PostgreSQL), reviewed views of an analysis, and the model measured against the reviews."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.library import Library
from analysis.pipeline import analyze_text
from analysis.review import (
    MAX_BULK,
    MAX_NOTE_CHARS,
    ReviewedPair,
    ReviewError,
    agreement,
    agreement_by,
    agreement_table,
    apply_reviews,
    article_targets,
    bulk_preview,
    current_by_hash,
    edge_distance,
    last_change,
    list_reviews,
    overrides,
    record_reviews,
    review_queue,
    reviewed_pairs,
    training_csv,
    training_rows,
    undo_last,
)
from tests.test_library_storage import _postgres_url, _reset_postgres

TEXT = "小米汽车陷入困境。\n\n用户非常失望,认为公司处理得很糟糕。\n\n新车销量创下新高,市场反应热烈。\n\n公司发布了三季度财报。"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def lib(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    if request.param == "sqlite":
        library = Library(f"sqlite:///{tmp_path / 'library.db'}")
        yield library
        library.dispose()
        return
    url = _postgres_url()
    _reset_postgres(url)
    library = Library(url)
    yield library
    library.dispose()
    _reset_postgres(url)


@pytest.fixture(scope="module")
def analysis():
    return analyze_text(TEXT, model="fast")


def _article(lib: Library) -> int:
    record, _ = lib.add_article(TEXT, title="t", source="新浪财经")
    return record.id


def test_a_review_is_appended_and_the_latest_entry_is_current(lib: Library, analysis) -> None:
    aid = _article(lib)
    first = analysis.sentences[1]
    [entry] = record_reviews(
        lib, article_targets(analysis, aid, [first.position]), "positive", note="讽刺", editor="ana"
    )
    assert (entry.label, entry.model_label, entry.note, entry.editor) == (
        "positive",
        first.label,
        "讽刺",
        "ana",
    )
    assert entry.model.endswith(("default", "accurate")) and entry.model_version
    record_reviews(lib, article_targets(analysis, aid, [first.position]), "neutral", editor="bo")
    trail = list_reviews(lib, "article", aid)
    assert [e.label for e in trail] == ["positive", "neutral"]  # nothing updated in place
    assert current_by_hash(trail)[entry.text_sha256].label == "neutral"
    # a reset is a new entry too
    record_reviews(lib, article_targets(analysis, aid, [first.position]), None, editor="bo")
    trail = list_reviews(lib, "article", aid)
    assert len(trail) == 3 and overrides(trail) == {}


def test_undo_restores_the_labels_before_the_last_change(lib: Library, analysis) -> None:
    aid = _article(lib)
    positions = [s.position for s in analysis.sentences]
    record_reviews(lib, article_targets(analysis, aid, positions[:1]), "positive", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, positions[:2]), "negative", editor="ana")  # bulk
    undone = undo_last(lib, "article", aid, editor="ana")
    assert len(undone) == 2
    current = overrides(list_reviews(lib, "article", aid))
    assert [e.label for e in current.values()] == [
        "positive"
    ]  # the first sentence as before; the second back to the model
    undo_last(lib, "article", aid, editor="ana")  # the change before that
    assert overrides(list_reviews(lib, "article", aid)) == {}
    with pytest.raises(ReviewError, match="no change to undo"):
        undo_last(lib, "article", aid, editor="ana")
    assert len(list_reviews(lib, "article", aid)) == 6  # every step is in the trail


@pytest.mark.parametrize(
    ("positions", "label", "note", "editor", "code"),
    [
        ([99], "positive", "", "ana", "unknown_sentence"),
        ([0], "very negative", "", "ana", "bad_label"),
        ([0], "positive", "x" * (MAX_NOTE_CHARS + 1), "ana", "note_too_long"),
        ([0], "positive", "", "   ", "no_editor"),
        ([], "positive", "", "ana", "empty"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    lib: Library, analysis, positions, label, note, editor, code
) -> None:
    aid = _article(lib)
    with pytest.raises(ReviewError) as err:
        record_reviews(lib, article_targets(analysis, aid, positions), label, note=note, editor=editor)
    assert err.value.code == code
    assert list_reviews(lib) == []


def test_a_bulk_change_over_the_limit_is_refused(lib: Library, analysis) -> None:
    aid = _article(lib)
    targets = article_targets(analysis, aid, [0]) * (MAX_BULK + 1)
    with pytest.raises(ReviewError, match=str(MAX_BULK)) as err:
        record_reviews(lib, targets, "negative", editor="ana")
    assert err.value.code == "too_many" and list_reviews(lib) == []


def test_concurrent_reviews_of_one_sentence_all_land(lib: Library, analysis) -> None:
    aid = _article(lib)
    targets = article_targets(analysis, aid, [1])
    labels = ["positive", "neutral", "negative", "positive", "neutral", "negative", "positive", "neutral"]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(labels))

    def review(i: int) -> None:
        try:
            barrier.wait()
            record_reviews(lib, targets, labels[i], note=f"session {i}", editor=f"editor{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(i,)) for i in range(len(labels))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    trail = list_reviews(lib, "article", aid)
    assert sorted(e.note for e in trail) == sorted(f"session {i}" for i in range(8))  # nothing lost
    latest = max(trail, key=lambda e: e.id)
    assert current_by_hash(trail)[latest.text_sha256] == latest  # the later one is current


def test_reviewed_view_recomputes_every_summary_and_keeps_the_model_label(lib: Library, analysis) -> None:
    aid = _article(lib)
    target = next(s for s in analysis.sentences if s.label != "positive")
    record_reviews(lib, article_targets(analysis, aid, [target.position]), "positive", editor="ana")
    view = apply_reviews(analysis, list_reviews(lib, "article", aid))
    assert (view.reviewed, view.changed, view.stale) == (1, 1, ())
    s = next(x for x in view.analysis.sentences if x.position == target.position)
    assert (s.label, s.model_label, s.reviewed) == ("positive", target.label, True)
    assert view.analysis.sentiment.positive == analysis.sentiment.positive + 1
    assert view.analysis.sentiment.nev > analysis.sentiment.nev
    assert sum(g.n for g in view.analysis.group_sentiment) == sum(g.n for g in analysis.group_sentiment)


def test_reviews_follow_the_text_not_the_position(lib: Library, analysis) -> None:
    aid = _article(lib)
    record_reviews(lib, article_targets(analysis, aid, [1]), "positive", editor="ana")
    edited = analyze_text("新增的第一句话。\n\n" + TEXT, model="fast")  # every sentence moves down one
    view = apply_reviews(edited, list_reviews(lib, "article", aid))
    moved = next(s for s in edited.sentences if s.text == analysis.sentences[1].text)
    assert view.reviewed == 1
    assert next(s for s in view.analysis.sentences if s.position == moved.position).label == "positive"
    changed = analyze_text(TEXT.replace("用户非常失望", "部分用户失望"), model="fast")
    assert len(apply_reviews(changed, list_reviews(lib, "article", aid)).stale) == 1  # said, not applied


def test_agreement_figures_by_hand() -> None:
    pairs = [ReviewedPair("negative", "negative", "zh", "a")] * 6 + [
        ReviewedPair("neutral", "negative", "zh", "a"),
        ReviewedPair("positive", "positive", "en", "b"),
        ReviewedPair("negative", "positive", "en", "b"),
        ReviewedPair("neutral", "neutral", "en", "b"),
    ]
    a = agreement(pairs)
    assert a.n == 10 and a.accuracy == pytest.approx(0.8)
    assert a.confusion["negative"] == {"positive": 0, "neutral": 1, "negative": 6}
    # F1: negative p=6/7 r=6/7; neutral p=1/2 r=1; positive p=1 r=1/2 -> macro (0.857+0.667+0.667)/3
    assert a.macro_f1 == pytest.approx((12 / 14 + 2 / 3 + 2 / 3) / 3)
    lo, hi = a.accuracy_interval
    assert lo < 0.8 < hi and hi - lo > 0.3  # n = 10 is a wide interval
    by_lang = agreement_by(pairs, "lang")
    assert by_lang["zh"].n == 7 and by_lang["en"].accuracy == pytest.approx(2 / 3)
    assert agreement([]).accuracy is None


def test_pairs_and_training_rows_come_from_the_library(lib: Library, analysis) -> None:
    aid = _article(lib)
    record_reviews(lib, article_targets(analysis, aid, [1, 2]), "negative", editor="ana")
    pairs = reviewed_pairs(lib)
    assert len(pairs) == 2 and {p.source for p in pairs} == {"新浪财经"} and {p.lang for p in pairs} == {"zh"}
    rows = training_rows(lib)
    assert sorted(rows) == sorted([(analysis.sentences[1].text, "neg"), (analysis.sentences[2].text, "neg")])


def test_reviewed_rows_feed_the_training_script(tmp_path: Path) -> None:
    from tests.scripts_loader import load_script

    train = load_script("train_sentiment")
    good = tmp_path / "reviewed.csv"
    good.write_text(
        "text,label\n用户非常失望。,neg\nThe recall was handled well.,positive\n", encoding="utf-8"
    )
    extra = train.load_extra([good])
    assert extra[["label", "lang", "set", "split"]].values.tolist() == [
        ["neg", "zh", "reviewed", "train"],
        ["pos", "en", "reviewed", "train"],
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,great\n", encoding="utf-8")
    with pytest.raises(train.ExtraError, match="unknown labels"):
        train.load_extra([bad])
    assert train.main(["--lang", "en", "--extra", str(bad), "--out-dir", str(tmp_path)]) == 2


def test_exports_carry_both_labels_the_counts_and_the_audit_trail(tmp_path: Path, analysis) -> None:
    import io
    import json

    import pandas as pd

    from analysis.export import Review, to_csv_bytes, to_json_bytes, to_xlsx_bytes

    lib = Library(f"sqlite:///{tmp_path / 'library.db'}")
    aid = _article(lib)
    target = next(s for s in analysis.sentences if s.label != "positive")
    record_reviews(
        lib, article_targets(analysis, aid, [target.position]), "positive", note="<b>讽刺</b>", editor="ana"
    )
    trail = list_reviews(lib, "article", aid)
    review = Review(apply_reviews(analysis, trail), trail)

    csv = pd.read_csv(io.BytesIO(to_csv_bytes(analysis, review)), encoding="utf-8-sig")
    row = csv[csv["position"] == target.position].iloc[0]
    assert (row["model_label"], row["label"], bool(row["reviewed"])) == (target.label, "positive", True)
    assert (csv["labels_overridden"] == 1).all()

    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(analysis, review)), sheet_name=None)
    assert {"audit", "groups_model", "stamp"} <= set(sheets)
    audit = sheets["audit"]
    assert audit["note"].tolist() == ["<b>讽刺</b>"] and audit["editor"].tolist() == ["ana"]

    payload = json.loads(to_json_bytes(analysis, review))
    assert payload["sentiment_model"]["positive"] + 1 == payload["sentiment_reviewed"]["positive"]
    assert payload["stamp"]["labels_overridden"] == 1 and len(payload["audit"]) == 1
    reviewed = [s for g in payload["groups"] for b in g["bullets"] for s in b["sentences"] if s["reviewed"]]
    assert [(s["model_label"], s["label"]) for s in reviewed] == [(target.label, "positive")]
    lib.dispose()


def test_the_queue_puts_uncertain_sentences_first_then_the_closest_to_a_band_edge(lib: Library) -> None:
    from dataclasses import replace

    from tests.dashboard_fixtures import make_analysis

    a = make_analysis()  # band ±0.2; scores -0.6 -0.8 0.7 0.0 -0.5 and one unscored
    sentences = list(a.sentences)
    sentences[4] = replace(sentences[4], uncertain=("near a band edge",))
    sentences[2] = replace(sentences[2], uncertain=("tiers disagree (fast: neutral)", "near a band edge"))
    flagged = {s.position: s for s in sentences}

    def flag(b):
        return replace(b, sentences=tuple(flagged[s.position] for s in b.sentences))

    doc = a.document
    a = replace(
        a,
        document=replace(
            doc,
            core_viewpoint=flag(doc.core_viewpoint),
            groups=tuple(replace(g, bullets=tuple(flag(b) for b in g.bullets)) for g in doc.groups),
        ),
    )
    assert edge_distance(a, a.sentences[3]) == pytest.approx(0.2)
    assert edge_distance(a, a.sentences[5]) is None
    # two reasons, one reason, then by distance to ±0.2: 0.0 (0.2), -0.6 (0.4), -0.8 (0.6)
    assert [s.position for s in review_queue(a, [])] == [2, 4, 3, 0, 1]
    aid = lib.add_article("x", title="t")[0].id
    record_reviews(lib, article_targets(a, aid, [2]), "neutral", editor="ana")
    assert [s.position for s in review_queue(a, list_reviews(lib, "article", aid))] == [4, 3, 0, 1]
    record_reviews(lib, article_targets(a, aid, [2]), None, editor="ana")  # reset: back in the queue
    assert review_queue(a, list_reviews(lib, "article", aid))[0].position == 2


def test_bulk_preview_counts_what_would_change(lib: Library, analysis) -> None:
    aid = _article(lib)
    positions = [s.position for s in analysis.sentences]
    negative = sum(s.label == "negative" for s in analysis.sentences)
    preview = bulk_preview(analysis, [], positions, "negative")
    assert (preview.n, preview.changes, preview.reviewed_before, preview.too_many) == (
        len(positions),
        len(positions) - negative,
        0,
        False,
    )
    first = analysis.sentences[0]
    other = next(x for x in ("positive", "neutral") if x != first.label)
    record_reviews(lib, article_targets(analysis, aid, [first.position]), other, editor="ana")
    after = bulk_preview(analysis, list_reviews(lib, "article", aid), [first.position], other)
    assert (after.n, after.changes, after.reviewed_before) == (1, 0, 1)  # already labelled so
    with pytest.raises(ReviewError) as err:
        bulk_preview(analysis, [], positions, "great")
    assert err.value.code == "bad_label"


def test_bulk_preview_over_the_limit_says_so() -> None:
    from dataclasses import replace

    from tests.dashboard_fixtures import make_analysis

    a = make_analysis()
    many = tuple(replace(a.sentences[1], text=f"s{i}", position=i) for i in range(MAX_BULK + 1))
    group = replace(a.document.groups[0], bullets=(replace(a.document.groups[0].bullets[0], sentences=many),))
    big = replace(a, document=replace(a.document, core_viewpoint=None, groups=(group,)))
    preview = bulk_preview(big, [], range(MAX_BULK + 1), "neutral")
    assert preview.n == MAX_BULK + 1 and preview.too_many


def test_last_change_names_what_undo_would_undo(lib: Library, analysis) -> None:
    aid = _article(lib)
    assert last_change([]) == ()
    record_reviews(lib, article_targets(analysis, aid, [0]), "positive", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [1, 2]), "negative", editor="bo")
    change = last_change(list_reviews(lib, "article", aid))
    assert [(e.position, e.label, e.editor) for e in change] == [
        ("1", "negative", "bo"),
        ("2", "negative", "bo"),
    ]
    undo_last(lib, "article", aid, editor="ana")
    assert [e.position for e in last_change(list_reviews(lib, "article", aid))] == ["0"]


def test_agreement_table_and_training_csv() -> None:
    import io

    import pandas as pd

    pairs = [ReviewedPair("negative", "negative", "zh", "a"), ReviewedPair("neutral", "negative", "en", "b")]
    rows = agreement_table(agreement_by(pairs, "lang"))
    assert [(r["group"], r["n"], r["accuracy"]) for r in rows] == [("en", 1, 0.0), ("zh", 1, 1.0)]
    assert rows[1]["interval_low"] < 1.0 == rows[1]["interval_high"]
    data = training_csv([('用户非常失望, "很糟"', "neg"), ("Fine.", "pos")])
    assert not data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), dtype=str)
    assert frame.values.tolist() == [['用户非常失望, "很糟"', "neg"], ["Fine.", "pos"]]


def test_training_rows_take_reviewed_posts_too(lib: Library) -> None:
    import pandas as pd

    from analysis.review import post_targets

    posts = pd.DataFrame({"row": [1, 2], "text": ["小米又降价了,真香", "退货太难"], "lang": ["zh", "zh"],
                          "score": [0.1, -0.8], "label": ["neutral", "negative"]})  # fmt: skip
    targets = post_targets(posts, 7, [1], {"zh": "zh-default@1"})
    record_reviews(lib, targets, "positive", editor="ana")
    assert training_rows(lib) == [("小米又降价了,真香", "pos")]  # the text is in the audit trail
    assert list_reviews(lib, "corpus", 7)[0].text == "小米又降价了,真香"
