"""`python -m analysis article`: one article, as a text report or the JSON contract."""

from __future__ import annotations

import json
import sys
from typing import Literal

from analysis.cli.common import CliError, read_input_bytes
from analysis.errors import ReaderError


def run_article(path: str, *, output_format: Literal["json", "text"], model: str, explain: bool) -> int:
    """Read PATH (or `-`), analyse it with `model` and print the report; 0 on success."""
    from analysis.format import merge_metadata
    from analysis.pipeline import analyze_text
    from analysis.readers import read_document
    from analysis.report import format_text_report

    data, name = read_input_bytes(path)
    try:
        doc = read_document(data, filename=name)
    except ReaderError as exc:
        raise CliError(str(exc)) from None
    meta = merge_metadata(doc)  # the library's rule, so both give one file the same source
    analysis = analyze_text(
        doc.text,
        model=model,
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
        costly_evidence=explain,
    )
    if analysis.model.note:
        print(f"note: {analysis.model.note}", file=sys.stderr)
    if output_format == "json":
        json.dump(analysis.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text_report(analysis))
    return 0
