"""The plain-text report (`python -m analysis article --format text`)."""

from __future__ import annotations

from dataclasses import replace

from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summarize_counts
from analysis.report import format_text_report, summary_line
from tests.dashboard_fixtures import make_analysis


def test_summary_line_counts_shares_and_both_values() -> None:
    line = summary_line(summarize_counts(positive=1, neutral=2, negative=9, unscored=1))
    assert line == ("n=12  P=1 (8.3%)  U=2 (16.7%)  N=9 (75.0%)  nev=-66.7%  nev_polar=-80.0%  unscored=1")
    assert "nev_polar=n/a" in summary_line(summarize_counts(0, 3, 0))


def test_report_traces_numbers_to_sentences() -> None:
    report = format_text_report(make_analysis())
    assert report.endswith("\n")
    lines = report.splitlines()
    assert lines[0] == "小米汽车陷入困境,问题出在哪?"
    assert "Source:    Xin Lang Cai Jing (新浪财经)" in report
    assert "Published: 2025-10-27T20:11:00" in report
    # Headline numbers with counts and both formulas.
    assert "n=5  P=1 (20.0%)  U=1 (20.0%)  N=3 (60.0%)  nev=-40.0%  nev_polar=-50.0%  unscored=1" in report
    assert NEV_FORMULA in report and NEV_POLAR_FORMULA in report
    assert "Small sample: only 5 scored sentences" in report
    # Stated vs computed, with the reason they differ.
    stated = next(line for line in lines if line.strip().startswith("negative_share"))
    assert "96.0%" in stated and "60.0%" in stated
    nev_line = next(line for line in lines if line.strip().startswith("nev ") and "stated" in line)
    assert "-96.0%" in nev_line and "-40.0%" in nev_line
    assert "Why they can differ" in report
    # Structure: core viewpoint, each group with its summary, bullets with [n] citations.
    assert "CORE VIEWPOINT" in report
    assert "GROUP 1: Trust and Public Sentiment" in report
    assert "GROUP 2: Manufacturing Approach" in report
    assert "- The article discusses a trust collapse. [1][3]" in report
    # Every sentence with position, score, label, evidence; unscored ones marked.
    assert "[2] + +0.70 positive zh" in report
    assert "evidence: bad(-0.50), unsafe(-0.30)" in report
    assert "[5] ?   n/a unscored other" in report
    assert "THEMES" in report and "Manufacturing / 制造 [manufacturing]" in report
    assert "FIGURES STATED IN THE ARTICLE" in report and "200,000 vehicles" in report
    assert "input_sha256: " + "ab" * 32 in report


def test_report_without_date_groups_or_stated_figures() -> None:
    a = make_analysis(published_at=None)
    a = replace(a, figures=(), document=replace(a.document, groups=()), group_sentiment=())
    report = format_text_report(a)
    assert "Published: unknown" in report
    assert "STATED BY THE ARTICLE" not in report
    assert "GROUP " not in report
