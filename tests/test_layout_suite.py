"""The layout suite (tests/data/layouts): real pages and files, read through the upload path.

Every document's title, date and source are compared with what a reader sees on the page
(scripts/benchmark_layouts.py holds the comparison rules; README.md beside the manifest says where
each document comes from). The suite as a whole must pass at least 95% of its checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scripts_loader import load_script

bench = load_script("benchmark_layouts")

SUITE = Path(__file__).resolve().parent / "data" / "layouts"
THRESHOLD = 0.95
TOOLING = {"manifest.json", "README.md", "make_derived.py"}


def test_manifest_lists_every_document_with_origin_license_and_expectations() -> None:
    entries = bench.load_manifest(SUITE)
    listed = {entry["file"] for entry in entries}
    on_disk = {path.name for path in SUITE.iterdir() if path.is_file()} - TOOLING
    assert listed == on_disk
    assert len(entries) >= 30
    for entry in entries:
        assert entry["licence"] and entry["notes"]
        assert entry["origin"].get("repo") and entry["origin"].get("commit")
        assert set(entry["expected"]) == {"title", "date", "source"}
    formats = {Path(name).suffix for name in listed}
    assert {".html", ".txt", ".md", ".pdf"} <= formats
    assert {entry["lang"] for entry in entries} == {"zh", "en"}


def test_layout_suite_pass_rate() -> None:
    results = bench.run_suite(SUITE)
    report = bench.format_report(results, failures_only=True)
    print(report)  # the failures, shown by pytest -s or on failure
    assert bench.pass_rate(results) >= THRESHOLD, report


@pytest.mark.parametrize(
    ("expected", "found", "ok"),
    [
        ("2019-06-15", "2019-06-15T08:18:00+08:00", True),
        ("2019-06-15", "2019-06-16T00:10:00+08:00", False),
        ("2020-01-19T12:25:36+00:00", "2020-01-19T20:25:00+08:00", True),
        ("2020-01-19T12:25:36+00:00", "2020-01-19T12:27:00+00:00", False),
        (None, None, True),
        (None, "2020-01-19T12:25:36+00:00", False),
    ],
)
def test_date_check_rules(expected: str | None, found: str | None, ok: bool) -> None:
    from datetime import datetime

    assert bench.date_matches(expected, datetime.fromisoformat(found) if found else None) is ok


def test_title_and_source_check_rules() -> None:
    assert bench.title_matches("小米汽车 陷入困境", "小米汽车  陷入困境")
    assert not bench.title_matches("Parasite wins", "Parasite wins - Reuters")
    assert bench.source_matches(["BBC News", "BBC"], "bbc")
    assert not bench.source_matches(["新华网"], "news.xinhuanet.com")
    assert bench.source_matches(None, None) and not bench.source_matches(None, "Friday")
