"""Building the Document: raw sections to numbered bullets and sentences, with citations and titles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.records import Bullet, Document, Group, Sentence
from analysis.sentences import split_sentences
from analysis.structure.citations import extract_citations
from analysis.structure.lines import _has_content, _squash_spaces
from analysis.structure.meta import _Meta
from analysis.structure.sources import _source_alias
from analysis.structure.titles import derive_title


@dataclass
class _RawGroup:
    title: str | None
    bullets: list[str] = field(default_factory=list)


_SPACE_RUNS = re.compile(r"[ \u3000]*\n\s*|[ \u3000]{2,}")


@dataclass(frozen=True)
class _Cleaned:
    """A bullet's text without citations, and its sentences, before positions are assigned."""

    text: str
    citations: tuple[int, ...]
    sentences: tuple[str, ...]


def _make_bullet(raw: str) -> _Cleaned | None:
    text, citations = extract_citations(raw) if ("[" in raw or "［" in raw or "【" in raw) else (raw, ())
    text = _SPACE_RUNS.sub(" ", text).strip()
    if not _has_content(text):
        return None
    return _Cleaned(text, citations, tuple(split_sentences(text)))


def _number(bullet: _Cleaned, group: int | None, index: int, start: int) -> tuple[Bullet, int]:
    numbered = tuple(
        Sentence(text=t, position=start + i, group=group, bullet=index)
        for i, t in enumerate(bullet.sentences)
    )
    return Bullet(text=bullet.text, citations=bullet.citations, sentences=numbered), start + len(numbered)


def _build(
    meta: _Meta,
    core_raw: list[str],
    groups_raw: list[_RawGroup],
    kind: str,
) -> Document | None:
    position = 0
    core: Bullet | None = None
    core_bullets = [b for b in (_make_bullet(r) for r in core_raw) if b]
    if core_bullets:
        merged = _Cleaned(
            text=" ".join(b.text for b in core_bullets),
            citations=tuple(dict.fromkeys(c for b in core_bullets for c in b.citations)),
            sentences=tuple(s for b in core_bullets for s in b.sentences),
        )
        core, position = _number(merged, None, 0, position)
    groups: list[Group] = []
    for raw in groups_raw:
        bullets = [b for b in (_make_bullet(r) for r in raw.bullets) if b]
        if not bullets:
            continue
        index = len(groups) + 1
        numbered: list[Bullet] = []
        for i, b in enumerate(bullets):
            nb, position = _number(b, index, i, position)
            numbered.append(nb)
        title = _squash_spaces(extract_citations(raw.title)[0]) if raw.title else ""
        derived = not title
        if derived:
            title = derive_title(" ".join(b.text for b in bullets))
        groups.append(Group(index=index, title=title, bullets=tuple(numbered), title_derived=derived))
    if position == 0:
        return None
    return Document(
        title=meta.title,
        source=meta.source,
        published_at=meta.published_at,
        core_viewpoint=core,
        groups=tuple(groups),
        kind="summary" if kind == "summary" else "article",
        source_alias=_source_alias(meta.source),
    )
