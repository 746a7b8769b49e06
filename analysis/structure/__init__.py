"""Text to Document: title, source, date, core viewpoint, viewpoint groups, bullets, sentences.

`parse_document` reads two kinds of input: an AI-style digest (kind "summary") and anything else
(kind "article"). Citations `[1][3]`, `[1,3]`, `［1］`, `[1-3]` are kept as `Bullet.citations` and
removed from the text.

- `parse`: `parse_document`, which renders Markdown and sets page furniture apart, then parses.
- `summary`: the summary parser (core viewpoint, groups, key points, bullets).
- `article`: the article parser (headings, numbered section markers, paragraphs).
- `meta`: title, source and date lines, front matter, header blocks, datelines; `parse_published_at`.
- `bullets`: the bullets inside one section body.
- `build`: raw sections to the Document's numbered bullets and sentences.
- `titles`: `derive_title`, a section's title from its keywords.
- `citations`: `extract_citations`.
- `sources`: `SOURCE_ALIASES` and the known outlet names (analysis/data/sources.json).
- `lines`: line shapes the parsers share (sentence ends, short headings, wrapped lines).
"""

from analysis.sentences import split_sentences
from analysis.structure.citations import extract_citations
from analysis.structure.meta import parse_published_at
from analysis.structure.parse import StructureError, parse_document
from analysis.structure.sources import SOURCE_ALIASES
from analysis.structure.titles import derive_title

__all__ = [
    "SOURCE_ALIASES",
    "StructureError",
    "derive_title",
    "extract_citations",
    "parse_document",
    "parse_published_at",
    "split_sentences",
]
