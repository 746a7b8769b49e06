"""Layout suite: how often the upload path finds a document's title, date and source.

    python scripts/benchmark_layouts.py [--dir tests/data/layouts] [--failures-only]

Runs `analysis.intake.prepare_upload` (the reader, then the structure parser for what the file
format did not carry) over every document listed in the suite's manifest.json and compares the
draft's title, published_at and source with what a reader sees on the page (README.md beside the
manifest says where each document comes from and how the expectations were set). Prints one row
per document with a mark per check, the failures with what was found, and the pass rate over all
checks. Exit status 0 always (the test, tests/test_layout_suite.py, holds the threshold).

Check rules
    title   equal after Unicode NFKC and whitespace collapsing (quotes and punctuation must match).
    date    an expected "YYYY-MM-DD" matches a found date on that calendar day (in the found
            value's own offset); an expected date-time with offset matches a found instant within
            60 seconds; an expected null matches only no date at all.
    source  an expected list matches a found source equal (NFKC, case-insensitive) to any of its
            entries: the page often credits an outlet (来源：参考消息) while the site is another
            (新浪新闻), and either is what a reader would file it under; an expected null matches
            only no source.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DIR = ROOT / "tests" / "data" / "layouts"
CHECKS = ("title", "date", "source")


@dataclass(frozen=True)
class CheckResult:
    file: str
    check: str
    ok: bool
    expected: object
    found: object


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def title_matches(expected: str | None, found: str | None) -> bool:
    if expected is None:
        return found is None
    return found is not None and _norm(found) == _norm(expected)


def date_matches(expected: str | None, found: datetime | None) -> bool:
    if expected is None:
        return found is None
    if found is None:
        return False
    if "T" not in expected:
        return found.date() == date.fromisoformat(expected)
    wanted = datetime.fromisoformat(expected)
    return abs(found - wanted) <= timedelta(seconds=60)


def source_matches(expected: list[str] | None, found: str | None) -> bool:
    if expected is None:
        return found is None
    if found is None:
        return False
    return _norm(found).casefold() in {_norm(name).casefold() for name in expected}


def load_manifest(folder: Path = DEFAULT_DIR) -> list[dict]:
    with open(folder / "manifest.json", encoding="utf-8") as handle:
        return json.load(handle)["documents"]


def check_document(entry: dict, folder: Path = DEFAULT_DIR) -> list[CheckResult]:
    """Read one document through the upload path and compare its three fields."""
    from analysis.intake import prepare_upload

    name = entry["file"]
    expected = entry["expected"]
    try:
        draft = prepare_upload((folder / name).read_bytes(), name)
    except Exception as exc:  # a reader failure fails every check of the document
        return [CheckResult(name, check, False, expected[check], f"error: {exc}") for check in CHECKS]
    return [
        CheckResult(
            name, "title", title_matches(expected["title"], draft.title), expected["title"], draft.title
        ),
        CheckResult(
            name,
            "date",
            date_matches(expected["date"], draft.published_at),
            expected["date"],
            draft.published_at.isoformat() if draft.published_at else None,
        ),
        CheckResult(
            name, "source", source_matches(expected["source"], draft.source), expected["source"], draft.source
        ),
    ]


def run_suite(folder: Path = DEFAULT_DIR) -> list[CheckResult]:
    results: list[CheckResult] = []
    for entry in load_manifest(folder):
        results.extend(check_document(entry, folder))
    return results


def pass_rate(results: list[CheckResult]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 0.0


def format_report(results: list[CheckResult], *, failures_only: bool = False) -> str:
    lines: list[str] = []
    by_file: dict[str, dict[str, CheckResult]] = {}
    for result in results:
        by_file.setdefault(result.file, {})[result.check] = result
    width = max(len(name) for name in by_file) if by_file else 10
    if not failures_only:
        lines.append(f"{'document':<{width}}  title  date  source")
        for name, checks in by_file.items():
            marks = "  ".join(f"{'ok' if checks[c].ok else 'FAIL':<{len(c)}}" for c in CHECKS)
            lines.append(f"{name:<{width}}  {marks}")
        lines.append("")
    failures = [r for r in results if not r.ok]
    if failures:
        lines.append("failures:")
        for r in failures:
            lines.append(f"  {r.file} [{r.check}] expected {r.expected!r}, found {r.found!r}")
        lines.append("")
    per_check = ", ".join(
        f"{c} {sum(r.ok for r in results if r.check == c)}/{sum(r.check == c for r in results)}"
        for c in CHECKS
    )
    lines.append(
        f"pass rate: {sum(r.ok for r in results)}/{len(results)} = {pass_rate(results):.1%} "
        f"({len(by_file)} documents; {per_check})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="suite folder holding manifest.json")
    parser.add_argument("--failures-only", action="store_true", help="print only failures and the rate")
    args = parser.parse_args(argv)
    print(format_report(run_suite(args.dir), failures_only=args.failures_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
