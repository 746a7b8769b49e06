"""A hand-built ArticleAnalysis for the dashboard's chart, export and report tests.

Built from the data model directly (not through the pipeline) so these tests pin the dashboard's
own logic: every count below follows from the sentences listed here.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from analysis.emotion.scorer import summarize_emotions
from analysis.metrics import summarize_labels
from analysis.records import (
    ArticleAnalysis,
    Bullet,
    Document,
    EmotionReading,
    Evidence,
    Figure,
    Group,
    Keyword,
    ModelInfo,
    Sentence,
    ThemeScore,
)

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

# (group, bullet, text, lang, score, label, evidence, themes)
_ROWS: list[
    tuple[int | None, int, str, str, float | None, str | None, tuple[Evidence, ...], tuple[str, ...]]
] = [
    (
        None,
        0,
        "The article discusses a trust collapse.",
        "en",
        -0.6,
        "negative",
        (Evidence("collapse", -0.5),),
        ("trust",),
    ),
    (
        1,
        0,
        "Negative sentiment reached 96%, a net emotional value of -96%.",
        "en",
        -0.8,
        "negative",
        (Evidence("Negative", -0.4),),
        ("trust",),
    ),
    (1, 1, "小米的口碑很好。", "zh", 0.7, "positive", (Evidence("很好", 0.6),), ("brand",)),
    (2, 0, "The company produced 200,000 vehicles.", "en", 0.0, "neutral", (), ("manufacturing",)),
    (
        2,
        0,
        "<script>alert('x')</script> is bad & unsafe.",
        "en",
        -0.5,
        "negative",
        (Evidence("bad", -0.5), Evidence("unsafe", -0.3)),
        ("manufacturing", "safety"),
    ),
    (2, 1, "Привет мир", "other", None, None, (), ()),
]


def _s(position: int, row: tuple) -> Sentence:
    group, bullet, text, lang, score, label, evidence, themes = row
    return Sentence(text, position, group, bullet, lang, score, label, evidence, themes)


def make_analysis(published_at: datetime | None = datetime(2025, 10, 27, 20, 11)) -> ArticleAnalysis:
    """Core viewpoint (1 sentence) + two groups; 5 scored sentences (P1 U1 N3) and 1 unscored."""
    sentences = [_s(i, r) for i, r in enumerate(_ROWS)]
    core = Bullet("The article discusses a trust collapse.", (1, 3), (sentences[0],))
    g1 = Group(
        1,
        "Trust and Public Sentiment",
        (
            Bullet(sentences[1].text, (1,), (sentences[1],)),
            Bullet(sentences[2].text, (1, 3), (sentences[2],)),
        ),
    )
    g2 = Group(
        2,
        "Manufacturing Approach",
        (
            Bullet(sentences[3].text + " " + sentences[4].text, (3,), (sentences[3], sentences[4])),
            Bullet(sentences[5].text, (), (sentences[5],)),
        ),
    )
    doc = Document(
        title="小米汽车陷入困境,问题出在哪?",
        source="Xin Lang Cai Jing",
        published_at=published_at,
        core_viewpoint=core,
        groups=(g1, g2),
        kind="summary",
        source_alias="新浪财经",
    )
    all_s = doc.sentences

    def theme(tid: str, en: str, zh: str) -> ThemeScore:
        members = [s for s in all_s if tid in s.themes]
        return ThemeScore(
            tid, en, zh, summarize_labels(s.label for s in members), tuple(s.position for s in members)
        )

    return ArticleAnalysis(
        document=doc,
        language="en",
        sentiment=summarize_labels(s.label for s in all_s),
        group_sentiment=tuple(summarize_labels(s.label for s in g.sentences) for g in doc.groups),
        themes=(
            theme("trust", "Trust", "信任"),
            theme("brand", "Brand", "品牌"),
            theme("manufacturing", "Manufacturing", "制造"),
            theme("safety", "Safety", "安全"),
        ),
        keywords=(Keyword("Xiaomi", 1.0), Keyword("safety", 0.6), Keyword("trust", 0.4)),
        figures=(
            Figure("percent", "96%", 0.96, "%", sentences[1].text, 1, "negative sentiment share"),
            Figure("percent", "-96%", -0.96, "%", sentences[1].text, 1, "net emotional value"),
            Figure("count", "200,000 vehicles", 200000, "vehicles", sentences[3].text, 3, None),
        ),
        model=ModelInfo(
            "default",
            "1.0+1.0",
            {
                "en.negative_below": -0.2,
                "en.positive_above": 0.2,
                "zh.negative_below": -0.2,
                "zh.positive_above": 0.2,
            },
            {"en": "en-default@1.0", "zh": "zh-default@1.0"},
        ),
        input_sha256="ab" * 32,
        core_sentiment=summarize_labels(s.label for s in core.sentences),
    )


# The emotion each sentence of make_analysis reads as (position -> reading); the last sentence
# (Russian) has none. Position 4's label was set by an analyst (the model said anger).
EMOTION_READINGS: dict[int, EmotionReading] = {
    0: EmotionReading("sadness", 0.62),
    1: EmotionReading("anger", 0.51, second="disgust"),
    2: EmotionReading("joy", 0.88),
    3: EmotionReading("neutral", 0.4, low_confidence=True),
    4: EmotionReading("fear", 0.7, reviewed=True, model_label="anger"),
}


def make_emotion_analysis() -> ArticleAnalysis:
    """make_analysis with every sentence's emotion (EMOTION_READINGS) and the mixes over them:
    the article reads sadness 1, anger 1, joy 1, neutral 1, fear 1 and 1 unread."""
    base = make_analysis()

    def read(b: Bullet) -> Bullet:
        return replace(
            b, sentences=tuple(replace(s, emotion=EMOTION_READINGS.get(s.position)) for s in b.sentences)
        )

    doc = base.document
    core = read(doc.core_viewpoint) if doc.core_viewpoint else None
    groups = tuple(replace(g, bullets=tuple(read(b) for b in g.bullets)) for g in doc.groups)
    doc = replace(doc, core_viewpoint=core, groups=groups)
    all_s = doc.sentences
    return replace(
        base,
        document=doc,
        emotions=summarize_emotions(s.emotion for s in all_s),
        group_emotions=tuple(summarize_emotions(s.emotion for s in g.sentences) for g in groups),
        negative_emotions=summarize_emotions(s.emotion for s in all_s if s.label == "negative"),
    )


# -- AppTest helpers for the page tests (tests/test_page_*.py) ---------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def legacy_pages_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest the way a live server runs after its first script run.

    A `pages/` folder beside the entry point makes Streamlit start in its legacy multipage mode;
    a live server leaves it for good as soon as dashboard.py calls st.navigation (Streamlit sets
    `PagesManager.uses_pages_directory = False`). AppTest resets that flag before every run, so
    every `switch_page` would run the page file alone, without the entry point's sidebar. This
    sets the flag the way the live server has it. (The legacy first run itself is covered by
    test_page_overview.py::test_page_opened_first_still_gets_the_frame.)"""
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def build_library_template(path: Path) -> Path:
    """A SQLite library at `path` holding the sample article, analysed and stored as the app's
    first run stores it (with the accurate tier's sentence scores), compacted into one file."""
    import sqlite3

    from analysis.intake import ensure_sample
    from analysis.library import Library
    from pages.ui.cache import SAMPLE_PATH

    build = path.with_name(path.stem + "-build.db")
    library = Library(f"sqlite:///{build}")
    try:
        ensure_sample(library, SAMPLE_PATH)
    finally:
        library.dispose()
    # VACUUM INTO: one self-contained file (nothing left in a -wal beside it), safe to copy.
    with contextlib.closing(sqlite3.connect(build)) as conn:
        conn.execute("VACUUM INTO ?", (str(path),))
    return path


@contextmanager
def fresh_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, template: Path | None = None
) -> Iterator[str]:
    """A SQLite library of this test's own (a copy of `template`, else empty) and empty Streamlit
    caches around it (sentiment models stay loaded, as in the app). Yields the library URL."""
    import streamlit as st

    from analysis.library import DB_URL_ENV
    from pages.ui.cache import _library_for, _sample_id_for

    db = tmp_path / "library.db"
    if template is not None:
        shutil.copyfile(template, db)
    url = f"sqlite:///{db}"
    monkeypatch.setenv(DB_URL_ENV, url)
    st.cache_data.clear()
    _library_for.clear()
    _sample_id_for.clear()
    try:
        yield url
    finally:
        _library_for.clear()
        _sample_id_for.clear()
        st.cache_data.clear()


# -- fixtures (made available to every test module by tests/conftest.py) ----------------------------
@pytest.fixture(scope="session")
def library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session: the library as the app leaves it after its first run."""
    return build_library_template(tmp_path_factory.mktemp("library-template") / "library.db")


@pytest.fixture
def temp_library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, library_template: Path) -> Iterator[str]:
    """This test's own library, a copy of the template (the sample article already analysed and
    stored), and empty caches. Yields the library URL (OPINION_LENS_DB_URL points at it)."""
    with fresh_library(monkeypatch, tmp_path, library_template) as url:
        yield url


@pytest.fixture
def app_env(temp_library: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """`temp_library`, with Streamlit in the state a running server is in (see legacy_pages_off)."""
    legacy_pages_off(monkeypatch)
    return temp_library


def open_app(page: str | None = None, lang: str = "zh") -> AppTest:
    """Run the real entry point (sample article on first run), then switch to `page`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["ui_lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def open_posts_sample(lang: str = "en", model: str = "fast") -> AppTest:
    """The sample corpus on the Posts page (its one-click button), with `model`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=240)
    at.session_state["ui_lang"] = lang
    at.session_state["model"] = model
    at.run()
    at.switch_page("pages/posts.py").run()
    at.button(key="posts_sample").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_keys(at: AppTest) -> list[str]:
    """Keys of the Plotly charts on the page (st.plotly_chart(..., key=...))."""
    return [el.key for el in at.get("plotly_chart")]


def add_article(url: str, text: str, **metadata: object) -> int:
    """Store an article directly in the test library (analysed by the app when opened)."""
    from analysis.library import Library

    library = Library(url)
    try:
        record, _ = library.add_article(text, **metadata)  # type: ignore[arg-type]
        return record.id
    finally:
        library.dispose()


def add_recovery_article(url: str) -> int:
    """A short positive article dated after the sample (the second article of the Compare tests)."""
    from datetime import datetime, timedelta, timezone

    return add_article(
        url,
        "Xiaomi recovers\n\nGroup 1: Trust - Customers praised the quick and honest response [1]. "
        "- Sales recovered strongly and reviews were excellent [2].",
        title="Xiaomi recovers",
        published_at=datetime(2025, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=8))),
    )
