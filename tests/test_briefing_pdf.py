"""The briefing's PDF path without a browser (issue 19): one Chromium per process, started once
however many threads ask at the same moment, started again after a failure; the print HTML
(charts as SVG, no script, text escaped); the Han text fix as an incremental update. (The real
browser: tests/browser/test_browser_briefing.py.)"""

from __future__ import annotations

import io
import threading
import time
import zlib
from typing import Any

import pytest

from analysis.briefing import article_brief, render_markdown
from analysis.briefing import chromium as chromium_mod
from analysis.briefing.chromium import Chromium, Running
from analysis.briefing.hanfix import fix_han_text, fix_han_text_rewrite
from analysis.briefing.output import BriefError
from analysis.briefing.render import CHART_WIDTH, chart_size, render_print_html
from tests.test_briefing import _with_emotions


class FakeBrowser:
    def __init__(self) -> None:
        self.connected = True

    def is_connected(self) -> bool:
        return self.connected


class Launcher:
    """Counts launches and stops; each launch takes a while, as Chromium's does."""

    def __init__(self) -> None:
        self.launched: list[Running] = []
        self.stopped = 0
        self.threads: set[int] = set()

    def __call__(self) -> Running:
        self.threads.add(threading.get_ident())
        time.sleep(0.2)
        running = Running(FakeBrowser(), self._stop)
        self.launched.append(running)
        return running

    def _stop(self) -> None:
        self.stopped += 1


def _all_at_once(n: int, fn: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return results


def test_one_launch_for_concurrent_first_use_all_jobs_on_one_thread() -> None:
    launcher = Launcher()
    chromium = Chromium(launch=launcher)
    try:
        seen = _all_at_once(8, lambda: chromium.call(lambda r: (id(r), threading.get_ident())))
        assert len(launcher.launched) == 1 and chromium.launches == 1
        assert len(set(seen)) == 1  # one browser, one thread (Playwright's objects are thread-bound)
        assert seen[0][1] != threading.get_ident() and launcher.threads == {seen[0][1]}
        assert chromium.call(lambda r: id(r)) == seen[0][0]  # kept warm for the next report
    finally:
        chromium.close()
    assert launcher.stopped == 1
    with pytest.raises(BriefError):
        chromium.call(lambda r: None)


def test_a_dead_or_failed_browser_is_started_again() -> None:
    launcher = Launcher()
    chromium = Chromium(launch=launcher)
    try:
        first = chromium.call(lambda r: r)
        first.browser.connected = False  # crashed
        second = chromium.call(lambda r: r)
        assert second is not first and chromium.launches == 2 and launcher.stopped == 1

        def broken(r: Running) -> None:
            raise RuntimeError("page crashed")

        with pytest.raises(RuntimeError, match="page crashed"):
            chromium.call(broken)
        assert launcher.stopped == 2  # what broke is not reused
        assert chromium.call(lambda r: r) is not second and chromium.launches == 3
    finally:
        chromium.close()


def test_shared_is_one_instance_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chromium_mod, "_shared", None)
    made = _all_at_once(8, chromium_mod.shared)
    assert len({id(c) for c in made}) == 1 and chromium_mod._shared is made[0]
    made[0].close()  # never started: nothing to stop


def test_missing_chromium_path_explains(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from analysis.briefing.pdf import brief_to_pdf, pdf_unavailable

    pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv(chromium_mod.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    why = pdf_unavailable()
    assert why is not None and "no-chromium" in why and "playwright install chromium" in why
    with pytest.raises(BriefError) as info:
        brief_to_pdf(article_brief(_with_emotions(), lang="en", article_id=3))
    assert info.value.code == "chromium_missing"


def test_print_html_has_the_svgs_no_script_and_escaped_text() -> None:
    b = article_brief(_with_emotions(), lang="zh", article_id=3)
    svgs = {c.id: f'<svg class="main-svg" data-id="{c.id}"><text>图 {c.id}</text></svg>' for c in b.charts}
    html = render_print_html(b, svgs)
    assert "<script" not in html.replace("&lt;script", "") and 'data-charts="static"' in html
    assert all(f'data-id="{c.id}"' in html for c in b.charts)
    assert "&lt;script&gt;alert(&#39;x&#39;)" in html  # article text still escaped
    assert "−40.0%" in html and "A3·#4" in html
    assert "DecompressionStream" not in html and "<noscript" not in html  # no note on scripts
    widths = {c.id: chart_size(c)[0] for c in b.charts}
    assert {w for w in widths.values()} <= {CHART_WIDTH, (CHART_WIDTH - 8) // 2}
    with pytest.raises(ValueError, match="no SVG"):
        render_print_html(b, {})


def _pdf_with_cmap(cmap: str) -> bytes:
    """A one-page PDF laid out as Chromium's: classic xref table, a font whose ToUnicode is a
    Flate stream with a direct /Length."""
    data = zlib.compress(cmap.encode("latin-1"))
    objects = [
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources <</Font <</F1 4 0 R>>>>>>",
        b"<</Type /Font /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /FontBBox [0 0 1 1] /CharProcs <<>> "
        b"/Encoding <</Differences []>> /FirstChar 0 /LastChar 0 /Widths [0] /ToUnicode 5 0 R>>",
        b"<</Filter /FlateDecode\n/Length %d>> stream\n" % len(data) + data + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<</Size %d\n/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_han_text_fix_is_an_incremental_update() -> None:
    import pypdf

    cmap = "begincmap\n2 beginbfchar\n<01> <2F29>\n<02> <0041>\nendbfchar\nendcmap"
    pdf = _pdf_with_cmap(cmap)
    fixed = fix_han_text(pdf)
    assert fixed.startswith(pdf) and len(fixed) > len(pdf)  # appended, nothing rewritten
    for out in (fixed, fix_han_text_rewrite(pdf)):
        reader = pypdf.PdfReader(io.BytesIO(out), strict=True)
        font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
        table = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        assert "<5C0F>" in table and "2F29" not in table and "<0041>" in table
    unchanged = _pdf_with_cmap("begincmap\n1 beginbfchar\n<01> <5C0F>\nendbfchar\nendcmap")
    assert fix_han_text(unchanged) == unchanged


def test_posts_brief_sets_the_reviewed_figures_beside_the_models() -> None:
    """Posts reviews (analysis.review's trail) in the posts brief: a section with the model's and
    the reviewed figures over the period's posts; none without reviews."""
    from analysis.briefing.posts import posts_brief
    from analysis.review import ReviewEntry
    from analysis.text.normalize import content_hash
    from tests.test_briefing import WHEN, _corpus

    corpus = _corpus()
    posts = corpus.posts
    negative = posts[posts["label"] == "negative"].head(2)

    def entry(i: int, row: Any, label: str | None) -> ReviewEntry:
        return ReviewEntry(
            i, "corpus", 1, str(int(row["row"])), content_hash(str(row["text"])), str(row["text"]), "m", "1",
            None, "negative", label, "", "ana", f"b{i}", WHEN,
        )  # fmt: skip

    trail = [entry(i, r, "positive") for i, (_, r) in enumerate(negative.iterrows(), 1)]
    assert posts_brief(corpus, name="p", lang="en", freq="H").section("review") is None
    b = posts_brief(corpus, name="p", lang="en", freq="H", reviews=trail)
    review = b.section("review")
    assert review is not None and [s.key for s in b.sections][:2] == ["gauge", "review"]
    model, reviewed = review.table.rows
    assert model[0] == "Model" and reviewed[0] == "Reviewed"
    assert int(reviewed[2]) == int(model[2]) + 2 and int(reviewed[4]) == int(model[4]) - 2  # P up, N down
    assert review.intro.startswith(f"2 of the period's {len(posts)} posts were reviewed")
    assert "Reviewed against the model" in render_markdown(b)
