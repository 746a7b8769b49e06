"""Emotion corrections (issue 18) in the review audit trail: stored beside the sentiment label
corrections (same table, a `field` column; older libraries migrated), undo across both, the
reviewed view's emotions and mixes, bad input, and the emotion model measured on the corrections.
Built on a hand-made analysis (tests.dashboard_fixtures) so no model is needed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from analysis.emotion import summarize_emotions
from analysis.library import Library
from analysis.library.migrations import migrate
from analysis.records import EMOTIONS, ArticleAnalysis, Bullet, EmotionReading, Sentence
from analysis.review import (
    FIELD_LABELS,
    ReviewedPair,
    ReviewError,
    agreement,
    agreement_by,
    apply_reviews,
    article_targets,
    check_emotion,
    current_by_hash,
    last_change,
    list_reviews,
    overrides,
    record_reviews,
    reviewed_pairs,
    training_rows,
    undo_last,
)
from tests.dashboard_fixtures import make_analysis
from tests.test_library_storage import _postgres_url, _reset_postgres

# The model's emotion of each scored sentence of make_analysis (position 5 is unscored: no reading).
MODEL_EMOTIONS = {
    0: ("fear", 0.41),
    1: ("anger", 0.62),
    2: ("joy", 0.8),
    3: ("neutral", 0.7),
    4: ("disgust", 0.5),
}


def emotional_analysis() -> ArticleAnalysis:
    """make_analysis with an emotion reading on every scored sentence, as the pipeline gives it."""
    a = make_analysis()
    readings = {
        p: EmotionReading(label, score, second="sadness" if p == 0 else None, low_confidence=score < 0.45)
        for p, (label, score) in MODEL_EMOTIONS.items()
    }

    def read(s: Sentence) -> Sentence:
        return replace(s, emotion=readings.get(s.position))

    def rebuild(b: Bullet) -> Bullet:
        return replace(b, sentences=tuple(read(s) for s in b.sentences))

    doc = a.document
    assert doc.core_viewpoint is not None
    doc = replace(
        doc,
        core_viewpoint=rebuild(doc.core_viewpoint),
        groups=tuple(replace(g, bullets=tuple(rebuild(b) for b in g.bullets)) for g in doc.groups),
    )
    model = replace(a.model, emotion_components={"en": "en-emotion-fast@0.1", "zh": "zh-emotion-fast@0.1"})
    return replace(
        a,
        document=doc,
        model=model,
        emotions=summarize_emotions(s.emotion for s in doc.sentences),
        group_emotions=tuple(summarize_emotions(s.emotion for s in g.sentences) for g in doc.groups),
        negative_emotions=summarize_emotions(s.emotion for s in doc.sentences if s.label == "negative"),
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.db'}"
        return
    url = _postgres_url()
    _reset_postgres(url)
    yield url
    _reset_postgres(url)


@pytest.fixture
def lib(db_url: str) -> Iterator[Library]:
    library = Library(db_url)
    yield library
    library.dispose()


@pytest.fixture
def analysis() -> ArticleAnalysis:
    return emotional_analysis()


def _aid(lib: Library) -> int:
    return lib.add_article("x", title="t", source="新浪财经")[0].id


def _sentence(a: ArticleAnalysis, position: int) -> Sentence:
    return next(s for s in a.sentences if s.position == position)


# -- storage --------------------------------------------------------------------------------------------
def test_an_emotion_correction_is_an_audit_entry_beside_the_sentiment_ones(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    record_reviews(lib, article_targets(analysis, aid, [1]), "positive", editor="ana")
    [entry] = record_reviews(
        lib, article_targets(analysis, aid, [1], "emotion"), "sadness", note="<b>哀</b>", editor="bo"
    )
    assert (entry.field, entry.label, entry.model_label, entry.model_score) == (
        "emotion",
        "sadness",
        "anger",
        0.62,
    )
    assert (entry.model, entry.model_version, entry.note, entry.editor) == (
        "en-emotion-fast",
        "0.1",
        "<b>哀</b>",
        "bo",
    )
    assert entry.as_dict()["field"] == "emotion"
    trail = list_reviews(lib, "article", aid)
    assert [(e.field, e.label) for e in trail] == [("sentiment", "positive"), ("emotion", "sadness")]
    # the two fields are separate: each has its own current value for the same text
    assert overrides(trail)[entry.text_sha256].label == "positive"
    assert overrides(trail, "emotion")[entry.text_sha256].label == "sadness"
    # a reset of the emotion is a new entry and leaves the sentiment label alone
    record_reviews(lib, article_targets(analysis, aid, [1], "emotion"), None, editor="bo")
    trail = list_reviews(lib, "article", aid)
    assert len(trail) == 3 and overrides(trail, "emotion") == {}
    assert overrides(trail)[entry.text_sha256].label == "positive"
    assert current_by_hash(trail, "emotion")[entry.text_sha256].label is None


def test_undo_takes_back_the_latest_change_whatever_its_field(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    record_reviews(lib, article_targets(analysis, aid, [2], "emotion"), "surprise", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [2]), "negative", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [2, 3], "emotion"), "anger", editor="bo")  # bulk
    change = last_change(list_reviews(lib, "article", aid))
    assert [(e.field, e.position, e.label) for e in change] == [
        ("emotion", "2", "anger"),
        ("emotion", "3", "anger"),
    ]
    undone = undo_last(lib, "article", aid, editor="cy")
    assert [(e.field, e.label) for e in undone] == [("emotion", "surprise"), ("emotion", None)]
    trail = list_reviews(lib, "article", aid)
    assert [e.label for e in overrides(trail, "emotion").values()] == ["surprise"]
    assert [e.label for e in overrides(trail).values()] == ["negative"]  # the sentiment change stays
    undo_last(lib, "article", aid, editor="cy")  # now the sentiment change
    trail = list_reviews(lib, "article", aid)
    assert overrides(trail) == {} and [e.label for e in overrides(trail, "emotion").values()] == ["surprise"]
    undo_last(lib, "article", aid, editor="cy")
    assert overrides(list_reviews(lib, "article", aid), "emotion") == {}
    with pytest.raises(ReviewError):
        undo_last(lib, "article", aid, editor="cy")
    assert len(list_reviews(lib, "article", aid)) == 8  # append-only: every step is in the trail


@pytest.mark.parametrize(
    ("positions", "emotion", "code"),
    [
        ([1], "rage", "bad_emotion"),
        ([1], "positive", "bad_emotion"),  # a sentiment label is not an emotion
        ([5], "anger", "no_emotion"),  # the unscored sentence has no reading to correct
        ([99], "anger", "unknown_sentence"),
    ],
)
def test_bad_emotion_input_is_refused_and_changes_nothing(
    lib: Library, analysis: ArticleAnalysis, positions: list[int], emotion: str, code: str
) -> None:
    aid = _aid(lib)
    with pytest.raises(ReviewError) as err:
        record_reviews(lib, article_targets(analysis, aid, positions, "emotion"), emotion, editor="ana")
    assert err.value.code == code
    assert list_reviews(lib) == []


def test_emotions_by_their_chinese_names_and_one_field_per_change(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    assert [check_emotion(x) for x in "喜怒哀惧惊恶无"] == list(EMOTIONS)
    assert check_emotion(" Anger ") == "anger" and check_emotion(None) is None
    aid = _aid(lib)
    [entry] = record_reviews(lib, article_targets(analysis, aid, [0], "emotion"), "惧", editor="ana")
    assert entry.label == "fear"  # stored as the label, whatever the UI called it
    mixed = article_targets(analysis, aid, [0]) + article_targets(analysis, aid, [1], "emotion")
    with pytest.raises(ReviewError) as err:
        record_reviews(lib, mixed, "anger", editor="ana")
    assert err.value.code == "mixed_fields" and len(list_reviews(lib)) == 1


# -- migration -----------------------------------------------------------------------------------------
def _old_reviews_table(metadata: sa.MetaData) -> sa.Table:
    """The reviews table as libraries from before emotions have it (no `field`)."""
    from analysis.library import reviews_table

    return sa.Table(
        "reviews",
        metadata,
        *(sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in reviews_table.c
          if c.name != "field"),
    )  # fmt: skip


def test_an_older_library_is_migrated_and_its_reviews_read_as_sentiment(
    db_url: str, analysis: ArticleAnalysis
) -> None:
    from datetime import UTC, datetime

    engine = sa.create_engine(db_url)
    old = _old_reviews_table(sa.MetaData())
    with engine.begin() as conn:
        old.create(conn)
        conn.execute(
            old.insert().values(
                item_kind="article", item_id=1, position="1", text_sha256="h" * 64, text="旧的复核",
                model="en-default", model_version="1.0", model_score=-0.8, model_label="negative",
                label="positive", note="", editor="ana", batch="b1", created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    engine.dispose()

    library = Library(db_url)  # opening it migrates it
    try:
        [entry] = list_reviews(library)
        assert (entry.field, entry.label, entry.model_label, entry.editor) == (
            "sentiment",
            "positive",
            "negative",
            "ana",
        )
        aid = library.add_article("x", title="t")[0].id
        record_reviews(library, article_targets(analysis, aid, [1], "emotion"), "joy", editor="bo")
        assert [e.field for e in list_reviews(library)] == ["sentiment", "emotion"]
        with library._write() as conn:
            assert migrate(conn) == []  # nothing left to do: opening again is a no-op
    finally:
        library.dispose()
    again = Library(db_url)
    try:
        assert [(e.field, e.label) for e in list_reviews(again)] == [
            ("sentiment", "positive"),
            ("emotion", "joy"),
        ]
    finally:
        again.dispose()


# -- the reviewed view -------------------------------------------------------------------------------------
def test_the_reviewed_view_sets_the_emotion_and_recomputes_every_mix(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    record_reviews(lib, article_targets(analysis, aid, [0], "emotion"), "sadness", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [2], "emotion"), "joy", editor="ana")  # confirmed
    view = apply_reviews(analysis, list_reviews(lib, "article", aid))
    assert (view.emotions_reviewed, view.emotions_changed, view.reviewed, view.stale) == (2, 1, 0, ())
    s0 = _sentence(view.analysis, 0)
    assert s0.emotion == EmotionReading("sadness", 0.41, None, False, reviewed=True, model_label="fear")
    assert (s0.label, s0.reviewed) == ("negative", False)  # the sentiment label is untouched
    s2 = _sentence(view.analysis, 2)
    assert s2.emotion is not None and (s2.emotion.label, s2.emotion.model_label, s2.emotion.reviewed) == (
        "joy",
        "joy",
        True,
    )
    assert _sentence(view.analysis, 1).emotion == _sentence(analysis, 1).emotion  # not reviewed: the model's
    assert view.analysis.emotions is not None and analysis.emotions is not None
    assert view.analysis.emotions.counts["sadness"] == analysis.emotions.counts["sadness"] + 1
    assert view.analysis.emotions.counts["fear"] == analysis.emotions.counts["fear"] - 1
    assert view.analysis.emotions.low_confidence == 0  # the flagged one was decided by a person
    assert view.analysis.emotions.unread == 1
    assert analysis.negative_emotions is not None and view.analysis.negative_emotions is not None
    assert view.analysis.negative_emotions.counts["sadness"] == 1
    assert view.analysis.group_emotions == analysis.group_emotions  # sentence 0 is the core viewpoint
    # the model's analysis is left as it was, and the JSON contract carries both emotions
    assert _sentence(analysis, 0).emotion == EmotionReading("fear", 0.41, "sadness", True)
    row = next(x for x in view.analysis.to_dict()["core_viewpoint"]["sentences"] if x["position"] == 0)
    assert (row["emotion"], row["model_emotion"], row["emotion_reviewed"], row["emotion_score"]) == (
        "sadness", "fear", True, 0.41,
    )  # fmt: skip


def test_negative_emotions_follow_the_reviewed_sentiment_labels(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    record_reviews(lib, article_targets(analysis, aid, [2]), "negative", editor="ana")  # 口碑很好 (joy)
    view = apply_reviews(analysis, list_reviews(lib, "article", aid))
    assert view.analysis.negative_emotions is not None
    assert view.analysis.negative_emotions.counts["joy"] == 1
    assert view.analysis.group_emotions[0].counts["joy"] == 1


def test_a_reset_gives_back_the_model_reading_and_stale_emotion_reviews_are_reported(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    record_reviews(lib, article_targets(analysis, aid, [3], "emotion"), "surprise", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [3], "emotion"), None, editor="ana")
    view = apply_reviews(analysis, list_reviews(lib, "article", aid))
    assert _sentence(view.analysis, 3).emotion == _sentence(analysis, 3).emotion
    assert view.analysis.emotions == analysis.emotions and view.emotions_reviewed == 0
    record_reviews(lib, article_targets(analysis, aid, [4], "emotion"), "fear", editor="ana")
    edited = replace(analysis, document=replace(analysis.document, groups=analysis.document.groups[:1]))
    view = apply_reviews(edited, list_reviews(lib, "article", aid))
    assert [(e.field, e.position) for e in view.stale_emotions] == [("emotion", "4")]
    assert view.stale == ()  # the label reviews' list (the Overview's) stays sentiment only


def test_without_emotions_read_the_view_keeps_them_off(lib: Library) -> None:
    plain = make_analysis()  # emotions None: not read
    aid = _aid(lib)
    with pytest.raises(ReviewError) as err:
        article_targets(plain, aid, [1], "emotion")
    assert err.value.code == "no_emotion"
    record_reviews(lib, article_targets(plain, aid, [1]), "neutral", editor="ana")
    view = apply_reviews(plain, list_reviews(lib, "article", aid))
    assert view.analysis.emotions is None and view.analysis.group_emotions == () and view.reviewed == 1


# -- the emotion model on the corrections -----------------------------------------------------------------
def test_emotion_agreement_by_hand() -> None:
    pairs = [ReviewedPair("anger", "anger", "zh", "a")] * 3 + [
        ReviewedPair("disgust", "anger", "zh", "a"),
        ReviewedPair("joy", "joy", "en", "b"),
        ReviewedPair("neutral", "fear", "en", "b"),
    ]
    a = agreement(pairs, EMOTIONS)
    assert a.n == 6 and a.accuracy == pytest.approx(4 / 6)
    assert set(a.confusion) == set(EMOTIONS) and a.confusion["anger"]["disgust"] == 1
    # anger p=1 r=3/4; joy 1/1; fear p=0 r=0; disgust (predicted only) p=0; neutral (predicted only) r -> 0
    f1_anger = 2 * 1 * 0.75 / 1.75
    assert a.macro_f1 == pytest.approx((f1_anger + 1 + 0 + 0 + 0) / 5)
    lo, hi = a.accuracy_interval or (0, 0)
    assert lo < 4 / 6 < hi
    assert agreement(pairs).n == 0  # sentiment agreement leaves emotion pairs out
    assert agreement_by(pairs, "lang", EMOTIONS)["zh"].accuracy == pytest.approx(3 / 4)
    empty = agreement([], FIELD_LABELS["emotion"])
    assert (empty.n, empty.accuracy, empty.macro_f1) == (0, None, None)


def test_emotion_pairs_come_from_the_library_apart_from_sentiment(
    lib: Library, analysis: ArticleAnalysis
) -> None:
    aid = _aid(lib)
    assert reviewed_pairs(lib, "emotion") == []
    record_reviews(lib, article_targets(analysis, aid, [1, 4], "emotion"), "anger", editor="ana")
    record_reviews(lib, article_targets(analysis, aid, [2]), "neutral", editor="ana")
    pairs = reviewed_pairs(lib, "emotion")
    assert sorted((p.model_label, p.label, p.lang, p.source) for p in pairs) == [
        ("anger", "anger", "en", "新浪财经"),
        ("disgust", "anger", "en", "新浪财经"),
    ]
    assert [(p.model_label, p.label, p.lang) for p in reviewed_pairs(lib)] == [("positive", "neutral", "zh")]
    assert training_rows(lib) == [(_sentence(analysis, 2).text, "neu")]  # emotions do not train sentiment


def test_the_json_export_carries_the_reviewed_emotion_and_the_audit_field(
    tmp_path: Path, analysis: ArticleAnalysis
) -> None:
    from analysis.export import Review, to_json_bytes

    lib = Library(f"sqlite:///{tmp_path / 'library.db'}")
    try:
        aid = _aid(lib)
        record_reviews(lib, article_targets(analysis, aid, [1], "emotion"), "fear", editor="ana")
        trail = list_reviews(lib, "article", aid)
        payload = json.loads(to_json_bytes(analysis, Review(apply_reviews(analysis, trail), trail)))
    finally:
        lib.dispose()
    rows = {s["position"]: s for g in payload["groups"] for b in g["bullets"] for s in b["sentences"]}
    assert (rows[1]["emotion"], rows[1]["model_emotion"], rows[1]["emotion_reviewed"]) == (
        "fear",
        "anger",
        True,
    )
    assert (rows[2]["emotion"], rows[2]["emotion_reviewed"]) == ("joy", False)
    assert payload["emotions"]["counts"]["fear"] == 2
    assert [(a["field"], a["label"], a["model_label"]) for a in payload["audit"]] == [
        ("emotion", "fear", "anger")
    ]
