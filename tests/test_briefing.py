"""The briefing (issue 19): every section's data, the templates in both languages, trace ids,
the offline HTML's one Plotly bundle, Markdown, atomic writes, the PDF's Han text fix and the
CLI's one-line errors. (The browser and PDF checks are in tests/browser/test_browser_briefing.py;
timings in scripts/benchmark_report.py.)"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.briefing import article_brief, comparison_brief, render_html, render_markdown, write_atomic
from analysis.briefing.output import BriefError
from analysis.briefing.pdf import fix_cmap
from analysis.library import ArticleRecord
from analysis.records import EMOTIONS, EmotionMix
from tests.dashboard_fixtures import make_analysis

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _with_emotions():
    a = make_analysis()
    mix = EmotionMix(dict.fromkeys(EMOTIONS, 0) | {"anger": 3, "joy": 1, "neutral": 1})
    neg = EmotionMix(dict.fromkeys(EMOTIONS, 0) | {"anger": 3})
    return replace(a, emotions=mix, negative_emotions=neg, group_emotions=(mix, neg))


def _record(i: int, a, day: int) -> ArticleRecord:
    when = datetime(2025, 10, day, 9, 0, tzinfo=UTC)
    s = a.sentiment
    return ArticleRecord(
        id=i, title=f"文章{i}", source="src", published_at=when, language="zh", filename=None,
        created_at=when, updated_at=when, text="", n=s.n, positive=s.positive, neutral=s.neutral,
        negative=s.negative, nev=s.nev, nev_polar=s.nev_polar, model="m", sha256="ef" * 32,
    )  # fmt: skip


def test_article_sections_headline_and_trace_ids() -> None:
    b = article_brief(_with_emotions(), lang="en", article_id=3, generated_at=WHEN)
    assert [s.key for s in b.sections] == ["gauge", "groups", "negative", "positive", "emotions", "stated"]
    h = b.headline
    assert h is not None and h.nev == "−40.0%" and h.nev_polar == "−50.0%"
    assert h.nev_worked == "nev = (P − N) / (P + U + N) = (1 − 3) / 5 = −40.0%"
    assert h.nev_polar_worked.endswith("(1 − 3) / 4 = −50.0%")
    assert "5 scored units: 1 positive (20.0%)" in h.counts and "Small sample" in h.warning
    negative = b.section("negative")
    assert [q.ref for q in negative.quotes] == ["A3·#1", "A3·#0", "A3·#4"]  # most negative first
    assert negative.quotes[0].score == "−0.80" and "Negative(−0.40)" in negative.quotes[0].evidence
    assert [q.ref for q in b.section("positive").quotes] == ["A3·#2"]
    groups = b.section("groups").table
    assert groups.rows[0][-1] == "A3·#0" and groups.rows[1][-1] == "A3·#1–A3·#2"
    stated = b.section("stated").table.rows
    assert ("negative_share", "96.0%", "60.0%", "A3·#1") in stated
    assert ("nev", "−96.0%", "−40.0%", "A3·#1") in stated
    emotions = b.section("emotions")
    assert "Anger" in emotions.intro or "anger" in emotions.intro.lower()
    assert emotions.table.rows[0][:2] == ("Whole article", "5")
    method = dict(b.method)
    assert method["Input SHA-256"] == "ab" * 32 and "P + U + N" in method["Formula"]
    assert b.generated_at == "2026-01-02T03:04:05+00:00"


def test_article_without_emotions_or_groups_leaves_the_sections_out() -> None:
    a = make_analysis()
    a = replace(
        a,
        figures=(),
        document=replace(a.document, groups=(), core_viewpoint=None),
        group_sentiment=(),
        core_sentiment=None,
    )
    b = article_brief(a, lang="zh")
    assert [s.key for s in b.sections] == ["gauge", "negative", "positive", "stated"]
    assert b.section("stated").table is None and "未给出" in b.section("stated").intro
    assert all(q.ref.startswith("#") for q in b.section("negative").quotes)  # no library id


def test_comparison_pooled_figures_articles_and_refs() -> None:
    a1, a2 = make_analysis(), _with_emotions()
    items = [(_record(1, a1, 1), a1), (_record(2, a2, 5), a2)]
    b = comparison_brief(
        items, lang="zh", period=(datetime(2025, 10, 1).date(), datetime(2025, 10, 31).date()), left_out=1
    )
    assert b.headline.nev_worked.endswith("(2 − 6) / 10 = −40.0%")  # the counts summed
    articles = b.section("articles")
    assert [r[0] for r in articles.table.rows] == ["A1", "A2"]
    assert articles.notes and "1" in articles.notes[0]
    assert {q.ref.split("·")[0] for q in b.section("negative").quotes} == {"A1", "A2"}
    assert b.section("emotions") is not None  # only A2 has emotions
    assert [r[0] for r in b.method_table.rows] == ["A1", "A2"]
    assert ("2025-10-01 → 2025-10-31") in dict(b.meta).values()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_one_offline_file_with_escaped_text(lang: str) -> None:
    b = article_brief(_with_emotions(), lang=lang, article_id=3)
    html = render_html(b)
    assert len(html.encode()) < 5_000_000
    assert html.count('id="plotly-gz"') == 1  # Plotly's bundle once, for every chart
    assert html.count('type="application/json"') == len(b.charts) == 4
    assert not re.search(r"(src|href)=\"https?:", html)  # nothing to fetch
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)" in html
    assert "A3·#4" in html and "小米的口碑很好。" in html
    assert ("文章舆情简报" if lang == "zh" else "Article brief") in html
    assert not re.search(r"font-family:\s*system-ui", html)  # CJK faces first


def test_markdown_has_figures_and_sentences_but_no_charts() -> None:
    md = render_markdown(article_brief(make_analysis(), lang="en", article_id=3))
    assert md.startswith("# 小米汽车陷入困境,问题出在哪?")
    assert "`nev = (P − N) / (P + U + N) = (1 − 3) / 5 = −40.0%`" in md
    assert "**[A3·\\#2]** Positive +0.70" in md
    assert "\\<script\\>" in md and "<script>" not in md  # article text cannot inject HTML
    assert "plotly" not in md.lower()
    assert "| negative\\_share | 96.0% | 60.0% | A3·\\#1 |" in md


def test_write_atomic_leaves_no_partial_file(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "r.html", b"<html></html>")
    assert target.read_bytes() == b"<html></html>"
    with pytest.raises(BriefError) as info:
        write_atomic(tmp_path / "missing" / "r.html", b"x")
    assert info.value.code == "cannot_write"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_fix_cmap_maps_radicals_to_unified_ideographs() -> None:
    cmap = (
        "begincmap\n2 beginbfchar\n<8F> <5BF9>\n<B5> <2F29>\nendbfchar\n"
        "1 beginbfrange\n<01> <02> [<2ECB> <0041>]\nendbfrange\nendcmap"
    )
    fixed = fix_cmap(cmap)
    assert "<5C0F>" in fixed and "<8F66>" in fixed and "<5BF9>" in fixed and "<0041>" in fixed
    assert "2F29" not in fixed and "2ECB" not in fixed
    assert fix_cmap("begincmap\n1 beginbfchar\n<01> <4E00>\nendbfchar\nendcmap").count("4E00") == 1


def _corpus(with_time: bool = True):
    from analysis.corpus.ingest import ColumnMapping
    from analysis.corpus.pipeline import CorpusOptions
    from analysis.corpus.view import CorpusAnalysis

    times = pd.date_range("2025-10-01 08:00", periods=40, freq="47min").strftime("%Y-%m-%d %H:%M")
    times = list(times)
    times[10:14] = ["2025-10-01 20:00", "2025-10-01 20:05", "2025-10-01 20:09", "2025-10-01 20:30"]
    texts = [f"小米汽车质量太差了{i}，非常失望" if i % 3 else f"华为的服务很好{i}，点赞" for i in range(40)]
    texts[10:14] = ["复制粘贴的同一段话"] * 4
    frame = pd.DataFrame({"text": texts, "time": times, "author": [f"u{i}" for i in range(40)]})
    mapping = ColumnMapping(text="text", time="time" if with_time else None, author="author")
    return CorpusAnalysis.run(frame, CorpusOptions(mapping, need_time=with_time))


def test_posts_brief_sections_rows_and_errors() -> None:
    from analysis.briefing.posts import posts_brief

    corpus = _corpus()
    b = posts_brief(corpus, name="posts.csv", sha256="cd" * 32, lang="zh", freq="H")
    assert [s.key for s in b.sections][:4] == ["gauge", "timeline", "spikes", "coordinated"]
    coordinated = b.section("coordinated").table
    assert coordinated.rows[0][0] == "row 11" and coordinated.rows[0][2] == "4"
    negative = b.section("negative").quotes
    assert negative and all(q.ref.startswith("row ") and q.label_key == "negative" for q in negative)
    assert dict(b.method)["输入 SHA-256"] == "cd" * 32
    day = posts_brief(corpus, name="p", start=datetime(2025, 10, 1).date(), end=datetime(2025, 10, 1).date())
    assert int(dict(day.meta)["帖子数"].replace(",", "")) < 40
    with pytest.raises(BriefError) as empty:
        posts_brief(corpus, name="p", start=datetime(2030, 1, 1).date(), end=datetime(2030, 1, 2).date())
    assert empty.value.code == "empty_period"
    with pytest.raises(BriefError) as no_time:
        posts_brief(_corpus(with_time=False), name="p")
    assert no_time.value.code == "no_time_column"


def test_cli_bad_input_is_one_line_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from analysis.cli import main

    monkeypatch.setenv("OPINION_LENS_DB_URL", f"sqlite:///{tmp_path / 'lib.db'}")
    out = tmp_path / "r.html"
    assert main(["report", "article", "42", "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no article #42" in err
    assert main(["report", "compare", "--from", "2030-01-01", "--out", str(out)]) == 3
    assert "no article published" in capsys.readouterr().err
    csv = tmp_path / "p.csv"
    csv.write_text("text,time\n小米汽车的质量问题让人失望,2025-10-01 08:00\n", encoding="utf-8")
    assert main(["report", "posts", str(csv), "--out", str(out)]) == 3
    assert "no time column" in capsys.readouterr().err
    assert (
        main(
            ["report", "posts", str(csv), "--time-column", "time", "--from", "2030-01-01", "--out", str(out)]
        )
        == 3
    )
    assert "no posts in the period" in capsys.readouterr().err
    assert main(["report", "article", "--file", str(csv), "--format", "pdf"]) == 3  # a PDF needs --out
    assert not any(p.name.startswith(("r.html", ".r.html")) for p in tmp_path.iterdir())


def test_posts_brief_has_the_emotion_mix_of_every_post() -> None:
    from analysis.briefing.posts import posts_brief

    corpus = _corpus()
    assert corpus.has_emotions()  # the corpus reads each post's emotion by default (fast tier)
    b = posts_brief(corpus, name="posts.csv", lang="en", freq="H")
    section = b.section("emotions")
    assert [c.id for c in section.charts] == ["emotions", "emotions_per_period"]
    row = section.table.rows[0]
    assert row[1] == "40"  # n: every post of the period has a reading (all are Chinese text)
