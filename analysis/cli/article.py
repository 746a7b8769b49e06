"""`python -m analysis article`: one article, as a text report or the JSON contract.

Both carry the article's entities (`analysis.entities.article_entities`, clause-level sentiment
scored by the same `Scorer` as the sentences, and the emotion mix of the sentences naming each):
the JSON's `entities` list (`entity_dict`), and the most-mentioned of them in a section at the end
of the text report.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from analysis.cli.common import CliError, read_input_bytes
from analysis.emotion.labels import emotion_mix_text
from analysis.errors import ReaderError
from analysis.format import MISSING_TEXT, nev_percent

if TYPE_CHECKING:
    from analysis.entities import EntitySummary

TEXT_ENTITIES = 10  # entities listed in the text report


def run_article(
    path: str,
    *,
    output_format: Literal["json", "text"],
    model: str,
    explain: bool,
    aliases: Sequence[tuple[str, str, str]] = (),
) -> int:
    """Read PATH (or `-`), analyse it with `model` and print the report; 0 on success. `aliases`
    (alias, canonical, type) join the entity table (e.g. the library's user aliases)."""
    from analysis.entities import article_entities, default_table, entity_dict
    from analysis.metadata import merge_metadata
    from analysis.pipeline import analyze_text
    from analysis.readers import read_document
    from analysis.report import format_text_report
    from analysis.sentiment import Scorer

    data, name = read_input_bytes(path)
    try:
        doc = read_document(data, filename=name)
    except ReaderError as exc:
        raise CliError(str(exc)) from None
    meta = merge_metadata(doc)  # the library's rule, so both give one file the same source
    scorer = Scorer(model)  # one scorer for the sentences and the entities' clauses
    analysis = analyze_text(
        doc.text,
        scorer=scorer,
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
        occlusion_evidence=explain,
    )
    if analysis.model.note:
        print(f"note: {analysis.model.note}", file=sys.stderr)
    entities = article_entities(analysis, table=default_table(tuple(aliases)), scorer=scorer)
    if output_format == "json":
        result = {**analysis.to_dict(), "entities": [entity_dict(e) for e in entities]}
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        report, section = format_text_report(analysis), entities_text(entities)
        head, mark, tail = report.rpartition("\nREPRODUCIBILITY\n")  # the section goes before it
        sys.stdout.write(head + section + mark + tail if mark else report + section)
    return 0


def entities_text(entities: Sequence[EntitySummary], top: int = TEXT_ENTITIES) -> str:
    """The text report's entity section: the most-mentioned entities with their counts, NEV, the
    sentence positions behind them and their emotions (empty when the article names none)."""
    if not entities:
        return ""
    title = f"ENTITIES (top {min(top, len(entities))} of {len(entities)} by sentences naming them)"
    lines = ["", title, "-" * len(title)]
    for e in entities[:top]:
        s = e.sentiment
        name = f"{e.name} / {e.name_en}" if e.name_en and e.name_en != e.name else e.name
        nev = nev_percent(s.nev, missing=MISSING_TEXT)  # as the report's summary lines write it
        where = ", ".join(str(p) for p in e.sentence_positions[:12])
        more = " …" if len(e.sentences) > 12 else ""
        felt = f"  emotions: {emotion_mix_text(e.emotions, 'en')}" if e.emotions is not None else ""
        lines.append(
            f"  {name} ({e.type or '?'}, {e.kind}): {e.mentions} sentence{'s' if e.mentions != 1 else ''}  "
            f"P={s.positive} U={s.neutral} N={s.negative}  nev={nev}  [{where}{more}]{felt}"
        )
    lines.append("  Entity sentiment is clause-level (contrast clauses go to the entity they name).")
    if any(e.emotions is not None for e in entities[:top]):
        lines.append("  Emotions: the most frequent over the sentences naming the entity (not in the nev).")
    return "\n".join(lines) + "\n"
