"""How well page furniture is kept out and the article body kept in (issue 17).

    python scripts/benchmark_furniture.py                       # the committed fixtures
    python scripts/benchmark_furniture.py --spec DIR/spec.json  # any set of captured articles

A spec maps each file (relative to the spec's folder) to the 1-based, inclusive line range of its
body in the file as stored: `{"article.md": [27, 121], ...}`. For each file the script parses the
document as the product does (Markdown rendered, furniture set apart) and prints:

- counted: sentences the product counts (the file read by analysis.readers, as an upload is, then
  parsed);
- boilerplate: counted sentences that are not in the body (target ≤ 1% over a set);
- residue: counted sentences showing Markdown syntax (`**`, `![`, `](`; target 0);
- body kept: the share of the body's characters (its sentences, split the same way) that are in
  counted sentences (target ≥ 95%);
- NEV shift is not measured here (it needs the models); the furniture blocks are listed with -v.

The body is rendered with the same Markdown renderer, so only the furniture decision is measured.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.readers import read_document  # noqa: E402
from analysis.sentences import split_sentences  # noqa: E402
from analysis.structure import extract_citations, parse_document  # noqa: E402
from analysis.text.markdown import IMAGE_MARK, looks_like_markdown, render_markdown  # noqa: E402

DEFAULT_SPEC = ROOT / "tests" / "fixtures" / "furniture" / "spec.json"
RESIDUE = re.compile(r"\*\*|!\[|\]\(")
# A reporter's credit in brackets is a byline, not body, wherever the spec's range puts it.
REPORTER_CREDIT = re.compile(r"^[（(][^（）()]*(?:记者|通讯员)[^（）()]*[）)]$")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def body_sentences(raw: str, first: int, last: int) -> list[str]:
    body = "\n".join(raw.split("\n")[first - 1 : last])
    if looks_like_markdown(body):
        body = render_markdown(body).text
    body = body.replace(IMAGE_MARK, "")
    body = re.sub(r"^\s*(?:#{1,6}\s+|[-*+]\s+)", "", body, flags=re.M)
    out = []
    for s in split_sentences(body):
        clean, _ = extract_citations(s)
        if re.search(r"\w", clean) and not REPORTER_CREDIT.match(clean.strip()):
            out.append(clean)
    return out


def measure(path: Path, first: int, last: int, verbose: bool = False) -> dict[str, float]:
    raw = path.read_text(encoding="utf-8-sig")
    n_lines = len(raw.split("\n"))
    if not 1 <= first <= last <= n_lines:
        raise ValueError(f"{path.name}: body lines {first}-{last} are not within its {n_lines} lines")
    # As a user's upload goes: the file's bytes through the reader, then the parser.
    doc = parse_document(read_document(path.read_bytes(), path.name).text)
    counted = [s.text for s in doc.sentences]
    body = body_sentences(raw, first, last)
    body_all = _norm("".join(body))
    counted_all = _norm("".join(counted))
    boilerplate = [s for s in counted if _norm(s) and _norm(s) not in body_all]
    residue = [s for s in counted if RESIDUE.search(s)]
    kept = sum(len(_norm(s)) for s in body if _norm(s) in counted_all)
    total = sum(len(_norm(s)) for s in body)
    if verbose:
        for b in doc.furniture:
            print(f"    [{b.reason}] {b.text[:90]!r}")
        for s in boilerplate:
            print(f"    boilerplate counted: {s[:90]!r}")
        for s in body:
            if _norm(s) not in counted_all:
                print(f"    body not counted: {s[:90]!r}")
    return {
        "counted": len(counted),
        "boilerplate": len(boilerplate),
        "residue": len(residue),
        "body_chars": total,
        "body_kept_chars": kept,
        "blocks": len(doc.furniture),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    try:
        spec = json.loads(args.spec.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read the spec {args.spec}: {exc}", file=sys.stderr)
        return 2
    totals = {"counted": 0, "boilerplate": 0, "residue": 0, "body_chars": 0, "body_kept_chars": 0}
    print(f"{'file':48} {'counted':>7} {'boiler':>6} {'resid':>5} {'body kept':>9} {'blocks':>6}")
    for name, (first, last) in spec.items():
        try:
            m = measure(args.spec.parent / name, first, last, args.verbose)
        except (OSError, ValueError) as exc:
            print(f"cannot measure: {exc}", file=sys.stderr)
            return 2
        for k in totals:
            totals[k] += m[k]
        kept = m["body_kept_chars"] / m["body_chars"] if m["body_chars"] else 1.0
        print(
            f"{name[:48]:48} {m['counted']:7d} {m['boilerplate']:6d} {m['residue']:5d} {kept:9.1%} {m['blocks']:6d}"
        )
    share = totals["boilerplate"] / totals["counted"] if totals["counted"] else 0.0
    kept = totals["body_kept_chars"] / totals["body_chars"] if totals["body_chars"] else 1.0
    print(
        f"\nall {len(spec)} files: {totals['counted']} counted sentences, boilerplate {totals['boilerplate']} "
        f"({share:.1%}; target ≤ 1%), Markdown residue in {totals['residue']} (target 0), "
        f"body kept {kept:.1%} (target ≥ 95%)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
