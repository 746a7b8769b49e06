"""The Report button (issue 19) through AppTest on Overview, Compare and Posts: "Make the report"
gives a download button whose payload is the HTML brief with the page's title and NEV; with PDF
chosen and no Chromium, the popover explains how to get one instead of offering to make it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from analysis.briefing.chromium import CHROMIUM_ENV
from analysis.format import nev_percent, prose_minus
from analysis.i18n import t
from tests.dashboard_fixtures import add_recovery_article, open_app, open_posts_sample


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """What each download button carries, by its file id (AppTest's media store lives for one
    run only, so the payloads are kept as they are stored)."""
    kept: dict[str, bytes] = {}
    store = MemoryMediaFileStorage.load_and_get_id

    def keep(self: MemoryMediaFileStorage, path_or_data: Any, *args: Any, **kwargs: Any) -> str:
        file_id: str = store(self, path_or_data, *args, **kwargs)
        if isinstance(path_or_data, bytes):
            kept[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    yield kept


def _make_report(at, key: str, downloads: dict[str, bytes]) -> str:
    """Click "Make the report" (HTML) in the popover `key`; the downloaded HTML."""
    assert at.button_group(key=f"{key}_format").value == "html"
    at.button(key=f"{key}_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    button = next(b for b in at.get("download_button") if b.key == f"{key}_download")
    assert button.label.endswith(".html")
    payload = downloads[Path(button.proto.url).stem]
    html = payload.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="plotly-gz"' in html
    return html


def _pdf_without_chromium(at, key: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    at.button_group(key=f"{key}_format").set_value("pdf").run()
    assert not at.exception, [e.value for e in at.exception]
    info = [i.value for i in at.info if "no-chromium" in i.value]
    assert len(info) == 1 and info[0].startswith(t("rep.pdf_missing", lang, how="").split(":")[0])
    assert not [b for b in at.button if b.key == f"{key}_make"]  # nothing to click that would fail


def test_overview_report_html_and_pdf_explanation(
    app_env: str, downloads: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = open_app("pages/overview.py", lang="en")
    title = at.title[0].value
    nev = next(m.value for m in at.metric if m.label == t("ov.nev", "en"))
    html = _make_report(at, "report_article", downloads)
    assert f"<h1>{title}</h1>" in html and prose_minus(nev) in html
    assert t("rep.kind.article", "en") in html
    _pdf_without_chromium(at, "report_article", monkeypatch, tmp_path, "en")


def test_compare_report_html_has_the_pooled_nev(app_env: str, downloads: dict[str, bytes]) -> None:
    at = open_app("pages/compare.py", lang="zh")
    add_recovery_article(app_env)
    at.run()
    table = at.main.dataframe[0].value
    pos, neg, n = (int(table[c].sum()) for c in ("正面", "负面", "n"))
    html = _make_report(at, "report_compare", downloads)
    assert f"<h1>{t('rep.kind.comparison', 'zh')}</h1>" in html
    assert prose_minus(nev_percent((pos - neg) / n)) in html


def test_posts_report_html_has_the_corpus_and_its_nev(
    app_env: str, downloads: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = open_posts_sample(lang="en")
    nev = next(m.value for m in at.metric if m.label == t("posts.metric.nev", "en"))
    html = _make_report(at, "report_posts", downloads)
    shown = float(nev.replace("−", "-"))  # the page shows the NEV as a ratio (-0.083), the brief in %
    assert t("rep.kind.posts", "en") in html and prose_minus(nev_percent(shown)) in html
    _pdf_without_chromium(at, "report_posts", monkeypatch, tmp_path, "en")
