"""The alias table: entities with their names and aliases across scripts, validated, with the
user's aliases merged in; and the known mentions it finds in a text.

`analysis/data/entities.json` (editable) lists each entity's canonical name (Chinese where it has
one), English name, type (company, person, product, organisation, place, and index for market
indices, which share of voice among companies should leave out), optional parent (小米汽车 ->
小米: the car unit is its own entity, a rollup folds it into the group) and aliases. `load_table`
validates it (a malformed file raises `EntityTableError`) and merges the user's aliases, given as
(alias, canonical, type). The table's Chinese aliases are also in the project's jieba tokenizer
(`analysis.text.keywords.tokenizer()`); aliases a user adds are matched but not added to that
shared tokenizer: one user's aliases must not change another's keywords.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from analysis.entities.matcher import Matcher
from analysis.errors import OpinionLensError
from analysis.lazy import once
from analysis.text.normalize import alias_key
from analysis.text.scripts import HAN

EntityType = Literal["company", "person", "product", "organisation", "place", "index"]
EntityKind = Literal["known", "detected"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)
TYPE_OF: dict[str, EntityType] = {t: t for t in ENTITY_TYPES}  # a checked string as its EntityType
UserAlias = tuple[str, str, str]  # (alias, canonical name, type), as the library stores them

DEFAULT_TABLE_PATH = Path(__file__).resolve().parents[1] / "data" / "entities.json"


class EntityTableError(OpinionLensError):
    """A malformed alias table or user alias; `str(exc)` names the file, entry and problem."""

    default_code = "entity_table"


# --- the alias table -----------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


_key = alias_key  # lookup key of a case-insensitive alias


def _exact_key(alias: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", alias)).strip()


@dataclass(frozen=True)
class Entity:
    """One entity of the table: `name` is its id (Chinese where it has one), `aliases` every
    surface it is found by (name and name_en included), `case_sensitive` those matched only as
    written (Apple, not apple)."""

    name: str
    type: EntityType
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    case_sensitive: frozenset[str] = frozenset()
    parent: str | None = None
    user: bool = False  # True when a user alias created it

    def display(self, lang: str = "zh") -> str:
        """The name to show in the UI language (`en` shows the English name where there is one)."""
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Mention:
    """One mention in a text: `name` is the canonical name (known) or the normalised span
    (detected); `start`/`end` are offsets into the text."""

    text: str
    start: int
    end: int
    name: str
    type: EntityType | None
    kind: EntityKind


class EntityTable:
    """The validated alias table with its matcher. Immutable once built; share it freely."""

    def __init__(
        self,
        entities: Sequence[Entity],
        blockers: Iterable[str] = (),
        not_names: Iterable[str] = (),
        source: str = "<table>",
    ) -> None:
        self.source = source
        self.entities: dict[str, Entity] = {e.name: e for e in entities}
        self.blockers: tuple[str, ...] = tuple(blockers)
        self.not_names: frozenset[str] = frozenset(not_names)
        self._insensitive: dict[str, str] = {}  # _key(alias) -> entity name ("" for a blocker)
        self._sensitive: dict[str, str] = {}  # _exact_key(alias) -> entity name
        for e in entities:
            for alias in e.aliases:
                if alias in e.case_sensitive:
                    self._sensitive[_exact_key(alias)] = e.name
                else:
                    self._insensitive[_key(alias)] = e.name
        for b in self.blockers:
            self._insensitive.setdefault(_key(b), "")
        self._matcher = Matcher(
            [a for e in entities for a in e.aliases if a not in e.case_sensitive] + list(self.blockers),
            [a for e in entities for a in e.case_sensitive],
        )
        self._surface: dict[str, str] = {}  # matched surface -> entity name ("" blocker), a cache

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, name: object) -> bool:
        return name in self.entities

    def get(self, name: str) -> Entity | None:
        return self.entities.get(name)

    def resolve(self, surface: str) -> Entity | None:
        """The entity an alias names (None for unknown text and for blockers)."""
        name = self.name_of(surface)
        return self.entities.get(name) if name else None

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every alias or blocker in `text`, leftmost-longest (no URL,
        blocker or suffix handling: `find` does that; posts use this raw pass)."""
        return self._matcher.scan(text)

    def name_of(self, surface: str) -> str:
        """The entity name a matched surface stands for ("" for a blocker or unknown text)."""
        name = self._surface.get(surface)
        if name is None:
            name = self._sensitive.get(_exact_key(surface)) or self._insensitive.get(_key(surface), "")
            self._surface[surface] = name  # a benign race: every thread writes the same value
        return name

    def root(self, name: str) -> str:
        """The top of `name`'s parent chain (itself when it has no parent in the table)."""
        seen = {name}
        while (e := self.entities.get(name)) is not None and e.parent and e.parent not in seen:
            name = e.parent
            seen.add(name)
        return name

    def display(self, name: str, lang: str = "zh") -> str:
        e = self.entities.get(name)
        return e.display(lang) if e else name

    def type_of(self, name: str) -> EntityType | None:
        e = self.entities.get(name)
        return e.type if e else None

    def with_aliases(self, extras: Iterable[UserAlias]) -> EntityTable:
        """A new table with the user's aliases: an alias of an existing entity joins it (its type
        must agree), a new canonical name becomes a new entity. A user alias wins over the table
        (the user re-maps it) and over a blocker."""
        entities = {e.name: e for e in self.entities.values()}
        owner = {_key(a): e.name for e in entities.values() for a in e.aliases}
        blockers = list(self.blockers)
        for i, item in enumerate(extras):
            alias, canonical, kind = _check_user_alias(item, i)
            current = entities.get(canonical)
            if current is not None and current.type != kind:
                raise EntityTableError(
                    f"user alias {alias!r}: {canonical!r} is a {current.type} in the table, not a {kind}",
                    code="alias_conflict",
                )
            previous = owner.get(_key(alias))
            if previous and previous != canonical:  # re-mapped: drop it from its old entity
                old = entities[previous]
                entities[previous] = _replace_aliases(
                    old, tuple(a for a in old.aliases if _key(a) != _key(alias))
                )
            blockers = [b for b in blockers if _key(b) != _key(alias)]
            if current is None:
                current = Entity(canonical, TYPE_OF[kind], None, (canonical,), frozenset(), None, True)
            if all(_key(a) != _key(alias) for a in current.aliases):
                current = _replace_aliases(current, (*current.aliases, alias.strip()))
            entities[canonical] = current
            owner[_key(alias)] = canonical
        return EntityTable(list(entities.values()), blockers, self.not_names, self.source)

    def jieba_words(self) -> list[tuple[str, str]]:
        """(word, jieba POS tag) for every alias written with Han characters and no spaces: what
        `analysis.text.keywords` adds to the project's tokenizer from the shipped table."""
        return [
            (a, _JIEBA_TAGS.get(e.type, "nz"))
            for e in self.entities.values()
            for a in e.aliases
            if HAN.search(a) and not any(c.isspace() for c in a)
        ]

    def find(self, text: str) -> list[Mention]:
        """Known mentions in one text, leftmost-longest, non-overlapping, blockers dropped, none
        inside a URL. A company alias followed by a corporate suffix takes it into the mention
        (Microsoft Corp, 华为技术有限公司: the same entity, the surface as written)."""
        urls = [(m.start(), m.end()) for m in _URL.finditer(text)] if "://" in text or "www." in text else []
        out: list[Mention] = []
        for start, end, surface in self._matcher.scan(text):
            name = self.name_of(surface)
            if not name or (urls and overlaps(start, end, urls)):
                continue
            kind = self.entities[name].type
            if kind == "company":
                suffix = (_ZH_CORPORATE if HAN.match(text, end) else _EN_CORPORATE).match(text, end)
                end = suffix.end() if suffix else end
            out.append(Mention(text[start:end], start, end, name, kind, "known"))
        return out


_URL = re.compile(r"(?:https?://|www\.)\S+")
_ZH_CORPORATE = re.compile(r"股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|集团")
_EN_CORPORATE = re.compile(
    r"(?:\.com)?(?:,?\s+(?:Inc|Corp|Corporation|Co|Ltd|Limited|plc|PLC|Oyj|Oy|AG|SA|S\.A|NV|AB|ASA|Group|Holdings)"
    r"\b\.?|\s+&\s+Co\b\.?)*"
)


_JIEBA_TAGS = {"person": "nr", "place": "ns", "organisation": "nt", "company": "nt"}


def _replace_aliases(e: Entity, aliases: tuple[str, ...]) -> Entity:
    return Entity(e.name, e.type, e.name_en, aliases, e.case_sensitive & set(aliases), e.parent, e.user)


def _check_user_alias(item: object, i: int) -> UserAlias:
    if not (isinstance(item, tuple | list) and len(item) == 3 and all(isinstance(x, str) for x in item)):
        raise EntityTableError(
            f"user alias #{i + 1}: expected (alias, canonical name, type), got {item!r}", code="alias_invalid"
        )
    alias, canonical, kind = (x.strip() for x in item)
    if not alias or not canonical:
        raise EntityTableError(f"user alias #{i + 1}: alias and canonical name must not be empty")
    if kind not in ENTITY_TYPES:
        raise EntityTableError(
            f"user alias {alias!r}: type {kind!r} is not one of {', '.join(ENTITY_TYPES)}",
            code="alias_invalid",
        )
    return alias, canonical, kind


# --- loading ------------------------------------------------------------------------------------


def load_table(path: str | Path | None = None, extras: Iterable[UserAlias] = ()) -> EntityTable:
    """Read and validate an alias table (the shipped one by default) and add the user's aliases.

    Raises `EntityTableError` naming the file and the entry for: unreadable or non-JSON text, a
    missing `entities` list, an entry without a name or with an unknown type, an alias that is
    not a non-empty string, the same alias on two entities, a parent that is not in the table,
    a case-sensitive alias the entry does not list, or a blocker that is also an alias."""
    path = Path(path) if path is not None else DEFAULT_TABLE_PATH
    where = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EntityTableError(f"cannot read the entity table {where}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise EntityTableError(f"the entity table {where} is not valid JSON: {exc}") from exc
    table = parse_table(data, where)
    extras = list(extras)
    return table.with_aliases(extras) if extras else table


def parse_table(data: object, where: str = "<table>") -> EntityTable:
    """Validate an alias table already parsed from JSON (see `load_table`)."""

    def fail(message: str) -> EntityTableError:
        return EntityTableError(f"entity table {where}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise fail('expected an object with an "entities" list')

    def strings(value: object, what: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"{what} must be a list of non-empty strings")
        return [v.strip() for v in value]

    blockers = strings(data.get("blockers"), '"blockers"')
    not_names = strings(data.get("not_names"), '"not_names"')
    entities: list[Entity] = []
    owner: dict[str, str] = {}
    for i, entry in enumerate(data["entities"]):
        label = f"entry #{i + 1}"
        if not isinstance(entry, dict):
            raise fail(f"{label} is not an object")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f'{label} has no "name"')
        name = name.strip()
        label = f"entry #{i + 1} ({name})"
        unknown = set(entry) - {"name", "name_en", "type", "aliases", "case_sensitive", "parent"}
        if unknown:
            raise fail(f"{label} has unknown field(s): {', '.join(sorted(unknown))}")
        kind = entry.get("type")
        if kind not in ENTITY_TYPES:
            raise fail(f"{label}: type {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
        name_en = entry.get("name_en")
        if name_en is not None and (not isinstance(name_en, str) or not name_en.strip()):
            raise fail(f'{label}: "name_en" must be a non-empty string')
        parent = entry.get("parent")
        if parent is not None and (not isinstance(parent, str) or not parent.strip()):
            raise fail(f'{label}: "parent" must be a non-empty string')
        aliases = strings(entry.get("aliases"), f'{label}: "aliases"')
        sensitive = strings(entry.get("case_sensitive"), f'{label}: "case_sensitive"')
        surfaces: list[str] = []
        seen: set[str] = set()
        for a in [name, *([name_en.strip()] if name_en else []), *aliases, *sensitive]:
            k = _key(a)
            if k not in seen:
                seen.add(k)
                surfaces.append(a)
        # a case-sensitive alias replaces the same alias written in another case
        by_key = {_key(s): s for s in sensitive}
        surfaces = [by_key.get(_key(a), a) for a in surfaces]
        for a in surfaces:
            exact = a in sensitive
            k = ("=" + _exact_key(a)) if exact else _key(a)
            if k in owner and owner[k] != name:
                raise fail(f"{label}: alias {a!r} also belongs to {owner[k]!r}")
            owner[k] = name
        if name in {e.name for e in entities}:
            raise fail(f"{label}: the name {name!r} is used twice")
        entities.append(
            Entity(
                name,
                kind,
                name_en.strip() if name_en else None,
                tuple(surfaces),
                frozenset(sensitive),
                parent,
            )
        )
    names = {e.name for e in entities}
    for e in entities:
        if e.parent is not None and e.parent not in names:
            raise fail(f"entry {e.name!r}: parent {e.parent!r} is not in the table")
    for b in blockers:
        if _key(b) in owner:
            raise fail(f"blocker {b!r} is also an alias of {owner[_key(b)]!r}")
    return EntityTable(entities, blockers, not_names, where)


@once
def _default_table() -> EntityTable:
    return load_table()


def default_table(extras: Iterable[UserAlias] = ()) -> EntityTable:
    """The shipped table (loaded once per process, thread-safe), plus the user's aliases if any
    (tables with the same extras are cached too, the 16 newest)."""
    extras = tuple(tuple(x) if isinstance(x, list) else x for x in extras)
    return _with_extras(extras) if extras else _default_table()


@once(max_entries=16)
def _with_extras(extras: tuple[UserAlias, ...]) -> EntityTable:
    return default_table().with_aliases(extras)


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of `spans`."""
    return any(start < e and s < end for s, e in spans)
