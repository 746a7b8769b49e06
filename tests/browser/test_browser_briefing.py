"""The briefing in a real Chromium (issue 19): the HTML opened with every request refused draws
every chart with no console error; the PDF's text (pypdf) has the title, the NEV and the quoted
sentences, Han characters as themselves; a screenshot of each kind's first page is kept in
test-artifacts/ to look at."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from server import ARTIFACTS

from analysis.briefing import article_brief, comparison_brief, render, render_html
from tests.dashboard_fixtures import make_analysis
from tests.test_briefing import _corpus, _record, _with_emotions

RADICALS = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF))


def _briefs(lang: str) -> dict[str, object]:
    from analysis.briefing.posts import posts_brief

    a1, a2 = make_analysis(), _with_emotions()
    return {
        "article": article_brief(a2, lang=lang, article_id=3),
        "comparison": comparison_brief([(_record(1, a1, 1), a1), (_record(2, a2, 5), a2)], lang=lang),
        "posts": posts_brief(_corpus(), name="posts.csv", lang=lang, freq="H"),
    }


def _open_offline(chromium, path: Path):
    """The file in a fresh page with every other request refused (and recorded), charts drawn."""
    context = chromium.new_context(viewport={"width": 800, "height": 1100})
    page = context.new_page()
    problems: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def refuse(route) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.charts !== 'pending'", timeout=30_000)
    return page, problems, requested


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_offline_draws_every_chart(chromium, tmp_path: Path, lang: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for kind, brief in _briefs(lang).items():
        path = tmp_path / f"{kind}.html"
        path.write_text(render_html(brief), encoding="utf-8")
        page, problems, requested = _open_offline(chromium, path)
        assert page.evaluate("document.documentElement.dataset.charts") == "done", kind
        charts = page.locator("[data-chart]")
        assert charts.count() == len(brief.charts) > 0
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"{kind}: chart {i} not drawn"
        assert problems == [] and requested == [], (kind, problems, requested)
        page.screenshot(path=str(ARTIFACTS / f"briefing_{kind}_{lang}.png"))
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_text_is_searchable(lang: str) -> None:
    import pypdf

    from analysis.briefing.pdf import pdf_unavailable

    if (why := pdf_unavailable()) is not None:
        pytest.skip(why)
    a = _with_emotions()
    a = replace(a, document=replace(a.document, title="小米汽车陷入困境：质量与信任"))
    brief = article_brief(a, lang=lang, article_id=3)
    pdf = render(brief, "pdf")
    (ARTIFACTS / f"briefing_article_{lang}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 6
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = text.replace("\n", "")
    assert "小米汽车陷入困境：质量与信任" in flat
    assert "−40.0%" in text
    for q in brief.section("negative").quotes + brief.section("positive").quotes:
        assert q.ref in flat and q.text.replace(" ", "")[:20] in flat.replace(" ", "")
    assert "小米的口碑很好。" in flat
    assert not [c for c in text if any(lo <= ord(c) <= hi for lo, hi in RADICALS)]  # no look-alike radicals
    assert ("第 1 / " if lang == "zh" else "Page 1 of ") in text


def test_pdfs_from_threads_share_one_warm_chromium() -> None:
    """Three kinds of brief asked for at once: one browser launch, every PDF whole (A4, its
    title, charts as vector text, no look-alike radicals)."""
    import threading

    import pypdf

    from analysis.briefing.chromium import Chromium
    from analysis.briefing.pdf import brief_to_pdf, pdf_unavailable

    if (why := pdf_unavailable()) is not None:
        pytest.skip(why)
    briefs = _briefs("zh")
    chromium = Chromium()
    made: dict[str, bytes] = {}
    try:
        threads = [
            threading.Thread(target=lambda k=k, b=b: made.__setitem__(k, brief_to_pdf(b, chromium=chromium)))
            for k, b in briefs.items()
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        assert chromium.launches == 1 and sorted(made) == sorted(briefs)
    finally:
        chromium.close()
    for kind, pdf in made.items():
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2, kind  # A4
        text = "".join(p.extract_text() for p in reader.pages)
        assert briefs[kind].title.replace(" ", "")[:10] in text.replace("\n", "").replace(" ", ""), kind
        assert not [c for c in text if any(lo <= ord(c) <= hi for lo, hi in RADICALS)], kind
        assert "/Subtype /Image" not in pdf.decode("latin-1"), kind  # charts drawn as vectors
