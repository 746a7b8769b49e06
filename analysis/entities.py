"""Entities: who the coverage is about, the sentiment toward each, and share of voice over time.

Three layers, each usable on its own:

1. **The alias table** (`analysis/data/entities.json`, editable): canonical name (Chinese where the
   entity has one), English name, type (company, person, product, organisation, place, and index
   for market indices, which share of voice among companies should leave out), optional parent
   (小米汽车 -> 小米: the car unit is its own entity, `rollup=True` folds it into the group) and
   aliases across scripts. `load_table` validates it (a malformed file raises `EntityTableError`)
   and merges the user's aliases, given as (alias, canonical, type). The table's Chinese aliases
   are also in the project's jieba tokenizer (`analysis.text.keywords.tokenizer()`, built once
   under its lock; jieba's global dictionary is never touched). Aliases a user adds are matched
   but not added to that shared tokenizer: one user's aliases must not change another's keywords.
2. **Mentions** (`find_mentions`): *known* entities are table aliases, found by one trie-shaped
   regex (leftmost-longest; English case-insensitive on word boundaries unless the table marks an
   alias case-sensitive; Chinese as substrings; `blockers` such as 小米粥 hide an alias; never
   inside a URL; a company alias takes a corporate suffix along: Microsoft Corp, 华为技术有限公司).
   *Detected* entities are names the table does not list: jieba part-of-speech tags nr/nrt/nrfg
   (person), nt (organisation), ns (place) through `jieba.posseg.POSTokenizer(tokenizer())`, with
   weak two-character guesses dropped, and a place followed by an institution word made one
   organisation (湖北省卫健委); and capitalised English spans of 1-4 words that are not at the
   start of a sentence, or that recur in the document, or that end in a corporate suffix or a
   possessive (amounts, month ranges, demonyms and the table's `not_names` excluded).
3. **Sentiment toward an entity** (`attribute`, `article_entities`, `posts_entities`): a sentence
   is split into clauses on contrast markers (而、但、但是、却、然而、不过、可是; but, however,
   whereas, while, yet) and semicolons; a concessive opening (虽然、尽管; although, though, while)
   ends at its comma. Each entity owns the clauses it is named in plus the clauses after them that
   name no entity (the subject carries over), and gets the label of that span, scored by the same
   scorer as the sentence; an entity whose span is the whole sentence gets the sentence's label.
   In "小米销量大涨，而特斯拉下滑" 小米 owns the first clause and 特斯拉 the second. Posts keep
   sentence-level labels (a post's label is its entities' label) and known aliases only: one
   vectorised prefilter and regex pass per chunk (`EntityAccumulator`), no part-of-speech tagging.

Counting: an entity's `mentions` are the sentences (or posts) that name it; each sentence counts
once per entity, with the entity's attributed label, so NEV comes from `analysis.metrics` over
exactly the sentences listed in `sentences` (every number traceable to its sentence positions).
Measured on a hand-annotated set of 342 real sentences: `scripts/benchmark_entities.py`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd

from analysis.errors import OpinionLensError
from analysis.lazy import once
from analysis.metrics import LABEL_CODES, UNSCORED_CODE, summarize_counts, summarize_labels
from analysis.model import ArticleAnalysis, Evidence, Label, SentimentSummary
from analysis.text.keywords import tokenizer
from analysis.text.normalize import alias_key
from analysis.text.scripts import HAN

if TYPE_CHECKING:  # the sentiment package loads models lazily; only its type is needed here
    from analysis.sentiment import Scorer

__all__ = [
    "DEFAULT_TABLE_PATH",
    "ENTITY_TYPES",
    "POSTS_COLUMNS",
    "Attribution",
    "Clause",
    "ClauseScorer",
    "Entity",
    "EntityAccumulator",
    "EntityKind",
    "EntitySentence",
    "EntitySummary",
    "EntityTable",
    "EntityTableError",
    "EntityType",
    "Mention",
    "UserAlias",
    "article_entities",
    "attribute",
    "check_alias",
    "clause_scorer",
    "default_table",
    "entity_dict",
    "entity_rows",
    "find_known",
    "find_mentions",
    "load_table",
    "posts_entities",
    "share_of_voice",
    "split_clauses",
    "valid_aliases",
]

EntityType = Literal["company", "person", "product", "organisation", "place", "index"]
EntityKind = Literal["known", "detected"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)
_TYPE_OF: dict[str, EntityType] = {t: t for t in ENTITY_TYPES}  # a checked string as its EntityType
UserAlias = tuple[str, str, str]  # (alias, canonical name, type), as the library stores them
ClauseScorer = Callable[[list[str]], list[Label | None]]  # texts -> labels (None: unscored)

DEFAULT_TABLE_PATH = Path(__file__).resolve().parent / "data" / "entities.json"
POSTS_COLUMNS: tuple[str, ...] = (
    "period",
    "entity",
    "mentions",
    "positive",
    "neutral",
    "negative",
    "nev",
    "share_of_voice",
)


class EntityTableError(OpinionLensError):
    """A malformed alias table or user alias; `str(exc)` names the file, entry and problem."""

    default_code = "entity_table"


# --- the alias table -----------------------------------------------------------------------------

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
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
        self._matcher = _Matcher(
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
        name = self._name_of(surface)
        return self.entities.get(name) if name else None

    def _name_of(self, surface: str) -> str:
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
                current = Entity(canonical, _TYPE_OF[kind], None, (canonical,), frozenset(), None, True)
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
            name = self._name_of(surface)
            if not name or (urls and _overlaps(start, end, urls)):
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


# --- the matcher: one regex, a trie of aliases -----------------------------------------------------

_END = ""  # trie key marking the end of an alias
_SPACE_RUN = "[ \t\n\r\u00a0\u3000]+"  # the spaces `_Matcher` prefilters for


def _tokens(alias: str, sensitive: bool) -> list[str]:
    """An alias as regex pieces: letters case-insensitive as [Xx] unless `sensitive`, any run of
    spaces as \\s+, everything else literal."""
    pieces: list[str] = []
    for part in re.split(r"(\s+)", alias.strip()):
        if not part:
            continue
        if part.isspace():
            pieces.append(_SPACE_RUN)
            continue
        for ch in part:
            if not sensitive and ch.isascii() and ch.isalpha():
                pieces.append(f"[{ch.upper()}{ch.lower()}]")
            else:
                pieces.append(re.escape(ch))
    return pieces


_WHITESPACE = " \t\n\r\u00a0\u3000"
_BIGRAM_BITS = 20
_BIGRAM_SLOTS = 1 << _BIGRAM_BITS


class _Matcher:
    """Every alias in one trie-shaped regex, with a vectorised prefilter for long texts.

    Longest match: at each trie node the longer continuations are tried before the end of an
    alias. Word boundaries apply at ASCII letter/digit ends only (小米SU7 matches inside Chinese
    text, SU7 not inside SU70). `scan` finds the positions whose first two characters begin an
    alias with numpy (a lookup table of first characters, then the sorted set of first bigrams),
    and tries there only the sub-pattern of that first character: the same leftmost-longest
    matches as `regex.finditer`, several times faster on posts, where most characters of Chinese
    text start no alias although many start one (一, 大, 中 ...)."""

    def __init__(self, insensitive: Iterable[str], sensitive: Iterable[str]) -> None:
        trie: dict[str, Any] = {}
        heads: dict[str, str] = {}  # first character -> its trie key
        bigrams: set[int] = set()
        self.short = False  # a one-character alias: the prefilter cannot serve, use the regex
        for sensitive_flag, aliases in ((False, insensitive), (True, sensitive)):
            for alias in aliases:
                alias = unicodedata.normalize("NFKC", alias).strip()
                if not alias:
                    continue
                self.short |= len(alias) < 2
                pieces = _tokens(alias, sensitive_flag)
                firsts = self._variants(alias[0], sensitive_flag)
                seconds = self._variants(alias[1], sensitive_flag) if len(alias) > 1 else []
                bigrams.update((ord(a) << 21) | ord(b) for a in firsts for b in seconds)
                left = bool(_ASCII_ALNUM.fullmatch(alias[0]))
                right = bool(_ASCII_ALNUM.fullmatch(alias[-1]))
                tail = (
                    r"(?![A-Za-z0-9])" if right and alias[-1].isdigit() else r"(?![A-Za-z])" if right else ""
                )
                for head in firsts:
                    key = re.escape(head) + (r"(?<![A-Za-z0-9].)" if left else "")
                    heads[head] = key
                    node = trie.setdefault(key, {})
                    for piece in pieces[1:]:
                        node = node.setdefault(piece, {})
                    node.setdefault(_END, set()).add(tail)
        self.branches = {head: key + self._render(trie[key]) for head, key in heads.items()}
        self.regex = re.compile("|".join(self.branches.values()) if self.branches else r"(?!x)x")
        self.first = np.zeros(0x110000, dtype=bool)
        self.first[[ord(h) for h in heads]] = True
        # first bigrams hashed into a bit table: a false hit only costs a failed regex match
        self.bigrams = np.zeros(_BIGRAM_SLOTS, dtype=bool)
        if bigrams:
            self.bigrams[self._slots(np.array(sorted(bigrams), dtype=np.uint64))] = True
        self._compiled: dict[str, re.Pattern[str]] = {}

    @staticmethod
    def _slots(pairs: np.ndarray) -> np.ndarray:
        return ((pairs * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _BIGRAM_BITS)).astype(np.intp)

    @staticmethod
    def _variants(ch: str, sensitive: bool) -> list[str]:
        if ch.isspace():
            return list(_WHITESPACE)
        if not sensitive and ch.isascii() and ch.isalpha():
            return [ch.upper(), ch.lower()]
        return [ch]

    def _render(self, node: dict[str, Any]) -> str:
        branches = [piece + self._render(child) for piece, child in node.items() if piece != _END]
        ends = sorted(node.get(_END, ()), key=len, reverse=True)
        options = branches + ends  # an alias ending here is tried after every longer continuation
        if not options or (not branches and ends == [""]):
            return ""
        if len(options) == 1 and not ends:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    def _pattern(self, head: str) -> re.Pattern[str]:
        rx = self._compiled.get(head)
        if rx is None:  # compiled on first use; a race compiles the same pattern twice, harmlessly
            rx = self._compiled[head] = re.compile(self.branches[head])
        return rx

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every leftmost-longest alias match in `text`."""
        if self.short or len(text) < 64:
            return [(m.start(), m.end(), m.group()) for m in self.regex.finditer(text)]
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        candidates = np.flatnonzero(self.first[codes[:-1]])
        pairs = (codes[candidates].astype(np.uint64) << np.uint64(21)) | codes[candidates + 1]
        candidates = candidates[self.bigrams[self._slots(pairs)]]
        out: list[tuple[int, int, str]] = []
        end = 0
        for pos in candidates.tolist():
            if pos < end:
                continue
            m = self._pattern(text[pos]).match(text, pos)
            if m is not None:
                end = m.end()
                out.append((pos, end, m.group()))
        return out


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


# --- user aliases: what a new one would change, and which stored ones still fit --------------------


def valid_aliases(aliases: Sequence[UserAlias]) -> tuple[tuple[UserAlias, ...], tuple[UserAlias, ...]]:
    """(kept, skipped) of stored user aliases: one the shipped table no longer accepts (say, its
    entity became another type in a newer table) is skipped rather than failing every analysis."""
    aliases = tuple(aliases)
    try:
        default_table(aliases)
        return aliases, ()
    except EntityTableError:
        pass
    kept: list[UserAlias] = []
    skipped: list[UserAlias] = []
    for alias in aliases:
        try:
            default_table((*kept, alias))
        except EntityTableError:
            skipped.append(alias)
        else:
            kept.append(alias)
    return tuple(kept), tuple(skipped)


def check_alias(
    alias: str, canonical: str, type_: str | None, stored: Sequence[UserAlias] = ()
) -> tuple[UserAlias, str | None]:
    """A new user alias as the table would take it next to the `stored` ones, and the entity it
    named before (None when it named none). `canonical` may be any name the table knows for the
    entity (Xiaomi -> 小米); `type_` None takes that entity's type. Raises EntityTableError when the
    alias says nothing or nothing new (codes `alias_empty`, `alias_need_type` with `canonical`,
    `alias_known` with `alias` and `canonical`) or conflicts (the table's own codes)."""
    alias, canonical = " ".join(alias.split()), " ".join(canonical.split())
    if not alias or not canonical:
        raise EntityTableError("give both the alias and the entity it names", code="alias_empty")
    table = default_table(stored)
    current = table.get(canonical) or table.resolve(canonical)
    if current is not None:
        canonical = current.name
    elif type_ is None:
        raise EntityTableError(
            f"{canonical!r} is not in the entity table: a new entity needs a type",
            code="alias_need_type",
            canonical=canonical,
        )
    previous = table.resolve(alias)
    if previous is not None and previous.name == canonical:
        raise EntityTableError(
            f"{alias!r} already names {canonical!r}", code="alias_known", alias=alias, canonical=canonical
        )
    item = (alias, canonical, type_ or (current.type if current else ""))
    default_table((*stored, item))  # raises EntityTableError on a conflict (e.g. another type)
    return item, previous.name if previous is not None else None


# --- detection of unlisted names -----------------------------------------------------------------

_POS_TYPES: dict[str, EntityType] = {
    "nr": "person",
    "nrt": "person",
    "nrfg": "person",
    "nt": "organisation",
    "ns": "place",
}


@once
def _pos_tokenizer():  # -> jieba.posseg.POSTokenizer
    import jieba.posseg  # imported here: it reads jieba's POS table (about a second)

    pos = jieba.posseg.POSTokenizer(tokenizer())
    # The first cut moves the tokenizer's user tags into this tagger (jieba mutates both objects
    # there); doing it now, in the single build, leaves later cuts read-only and so thread-safe.
    pos.lcut("小米")
    return pos


# The commonest Chinese surnames: a two-character "person" from jieba's tagger must start with one
# (its HMM tags many ordinary words nr: 达人, 辟谣, 暴雷).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂"
    "成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党"
    "宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ADMIN_SUFFIX = tuple("省市县区镇乡村州盟旗")
# Institution names that start with a place: 湖北省卫健委, 武汉市中心医院, 浙江省瑞安市人民法院.
_INSTITUTION = (
    "委员会",
    "卫健委",
    "委",
    "局",
    "厅",
    "部",
    "署",
    "办",
    "院",
    "大学",
    "学院",
    "中学",
    "小学",
    "学校",
    "公司",
    "集团",
    "银行",
    "支行",
    "分行",
    "协会",
    "学会",
    "联盟",
    "中心",
    "研究所",
    "卫视",
    "电视台",
    "日报",
    "晚报",
    "政府",
    "公安",
    "警方",
    "医疗队",
    "居委会",
    "村委会",
    "办公室",
    "领馆",
    "使馆",
    "酒店",
    "交易所",
    "基金会",
    "工会",
    "法院",
)
_NOT_INSTITUTION = (
    "当局",
    "格局",
    "结局",
    "布局",
    "大局",
    "全局",
    "骗局",
    "僵局",
    "时局",
    "政局",
    "干部",
    "全部",
    "总部",
    "局部",
)
_COMPANY_SUFFIX = ("公司", "集团", "银行", "支行", "分行")


def _zh_tokens(text: str) -> list[tuple[str, str, int, int]]:
    out, pos = [], 0
    for pair in _pos_tokenizer().cut(text):
        out.append((pair.word, pair.flag, pos, pos + len(pair.word)))
        pos += len(pair.word)
    return out


def _zh_name(word: str, flag: str) -> EntityType | None:
    """The type of a name jieba tagged, or None when the tag is too weak to trust."""
    kind = _POS_TYPES.get(flag)
    if kind is None or len(word) < 2 or not HAN.search(word):
        return None
    if (
        kind == "person"
        and (flag == "nrt" or len(word) == 2)
        and not (len(word) >= 3 or word[0] in _SURNAMES)
    ):
        return None
    if flag == "nrt" and len(word) < 3:
        return None
    if kind == "place" and len(word) == 2 and not word.endswith(_ADMIN_SUFFIX):
        return None  # jieba tags 东西、上市、英雄 as places; list real two-character places in the table
    if kind == "organisation" and len(word) < 3:
        return None
    return kind


def _institutions(
    tokens: list[tuple[str, str, int, int]], known: list[Mention]
) -> list[tuple[int, int, EntityType]]:
    """Place-prefixed institutions: a place (known or tagged ns) followed by up to four noun
    tokens, the last ending in an institution word (局, 医院, 卫健委, 公司...); or an nt token
    that contains a known place (北京大学)."""
    places = sorted(
        [(m.start, m.end) for m in known if m.type == "place"]
        + [(s, e) for w, f, s, e in tokens if f == "ns" and len(w) >= 2]
    )
    starts = {s: i for i, (_, _, s, _) in enumerate(tokens)}
    found: list[tuple[int, int, EntityType]] = []
    for p_start, p_end in places:
        if _overlaps(p_start, p_end, [(a, b) for a, b, _ in found]):
            continue
        best = None
        for w, f, s, e in tokens:  # an organisation token that contains the place
            if (
                s <= p_start
                and e >= p_end
                and e - s > p_end - p_start
                and (f == "nt" or w.endswith(_INSTITUTION))
            ):
                best = (s, e, w)
        if best is None and p_end in starts:
            i = starts[p_end]
            run = []
            for w, f, _s, e in tokens[i : i + 4]:
                if not (f.startswith("n") or f in ("j", "vn")) or not HAN.search(w):
                    break
                run.append((w, e))
            for k in range(len(run), 0, -1):
                if run[k - 1][0].endswith(_INSTITUTION) and not run[k - 1][0].endswith(_NOT_INSTITUTION):
                    best = (p_start, run[k - 1][1], "")
                    break
        if best is not None:
            found.append((min(best[0], p_start), best[1], "organisation"))
    return found


def _detect_zh(text: str, known: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """(known mentions kept, detected mentions) of one Chinese text."""
    tokens = _zh_tokens(text)
    named = [(m.start, m.end) for m in known if m.type != "place"]
    orgs = [o for o in _institutions(tokens, known) if not _overlaps(o[0], o[1], named)]
    org_spans = [(s, e) for s, e, _ in orgs]
    kept = [m for m in known if not (m.type == "place" and _overlaps(m.start, m.end, org_spans))]
    busy = [(m.start, m.end) for m in kept]
    out: list[Mention] = []
    for s, e, kind in orgs:
        if _overlaps(s, e, busy):
            continue
        word = text[s:e]
        kind = "company" if word.endswith(_COMPANY_SUFFIX) else kind
        out.append(Mention(word, s, e, word, kind, "detected"))
    busy += org_spans
    for word, flag, start, end in tokens:
        name_type = _zh_name(word, flag)
        if name_type is None or _overlaps(start, end, busy):
            continue
        out.append(Mention(word, start, end, word, name_type, "detected"))
    return kept, out


_LETTER = re.compile(f"[A-Za-z0-9{HAN.pattern[1:-1]}]")
_EN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.\-]*")
_CONNECTORS = frozenset({"of", "&", "de", "van", "von", "der", "den", "du", "la", "le", "da", "di", "del"})
_AMOUNT = re.compile(r"[A-Z]{2,4}\d")  # EUR13, USD5: an amount, not a name
_JOIN_GAP = re.compile(r"\s*(?:&\s*|\+\s*)?")  # Lee & Man, Albat + Wirsam
_CORPORATE = frozenset(
    {"inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "ltd", "ltd.", "plc", "oyj", "ag", "sa"}
    | {"ab", "asa", "nv", "bv", "llc", "group", "holdings", "bank", "motors", "motor"}
)
_PERSON_CUES = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "ceo", "chairman", "president"}
)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or (word[0].islower() and any(c.isupper() for c in word[1:]))


def _clean_word(word: str) -> tuple[str, bool]:
    """A word without a trailing possessive or full stop; True when it had a possessive."""
    possessive = word.endswith(("'s", "’s", "s'", "s’")) and len(word) > 2
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    elif word.endswith(("'", "’")):
        word = word[:-1]
    if word.endswith(".") and "." not in word.rstrip(".") and word.lower() not in _CORPORATE:
        word = word.rstrip(".")
    return word, possessive


def _not_name(word: str, not_names: frozenset[str]) -> bool:
    """A capitalised word that is no name: listed (months, demonyms, currencies), an amount
    (EUR13), a "-based" qualifier, or hyphenated parts that are all such words (January-August)."""
    if word in not_names or _AMOUNT.match(word) or word.lower().endswith("-based"):
        return True
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and all(p in not_names for p in parts)


def _en_spans(text: str, not_names: frozenset[str]) -> list[tuple[int, int, str, bool, bool, str]]:
    """Capitalised runs: (start, end, span text, at sentence start, strong cue, type hint)."""
    words = [(m.start(), m.end(), m.group()) for m in _EN_WORD.finditer(text)]
    runs: list[list[tuple[int, int, str, bool]]] = []
    current: list[tuple[int, int, str, bool]] = []
    previous_end = -1
    for start, end, raw in words:
        word, possessive = _clean_word(raw)
        end = start + len(word)
        gap = text[previous_end:start] if previous_end >= 0 else ""
        joined = previous_end >= 0 and bool(_JOIN_GAP.fullmatch(gap)) and "\n" not in gap
        is_name_word = (
            bool(word) and word[0].isalpha() and _is_capitalised(word) and not _not_name(word, not_names)
        )
        is_connector = word.lower() in _CONNECTORS and bool(current)
        if current and not joined:
            runs.append(current)
            current = []
        if is_name_word or (is_connector and current):
            current.append((start, end, word, possessive))
            if possessive:
                runs.append(current)
                current = []
        elif current:
            runs.append(current)
            current = []
        previous_end = start + len(raw)
    if current:
        runs.append(current)
    spans = []
    for run in runs:
        while run and run[-1][2].lower() in _CONNECTORS:
            run = run[:-1]
        if not run or len(run) > 4 or all(w.lower().rstrip(".") in _CORPORATE for _, _, w, _ in run):
            continue
        start, end = run[0][0], run[-1][1]
        words_in = [w for _, _, w, _ in run]
        span = _SPACES.sub(" ", text[start:end])
        prefix = text[:start].rstrip()
        at_start = not _LETTER.search(prefix) or prefix.endswith((":", "：", "\u201c", '"', "(", "（"))
        corporate = len(run) > 1 and words_in[-1].lower() in _CORPORATE
        strong = run[-1][3] or corporate
        before = text[:start].split()[-1:] if text[:start].split() else []
        hint = "company" if corporate else "person" if before and before[0].lower() in _PERSON_CUES else ""
        spans.append((start, end, span, at_start, strong, hint))
    return spans


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", text) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _detect_en(
    texts: Sequence[str],
    taken: list[list[tuple[int, int]]],
    not_names: frozenset[str],
    found: list[list[tuple[int, int, str, bool, bool, str]]],
) -> list[list[Mention]]:
    document = "\n".join(texts)
    counts: dict[str, int] = {}

    def occurrences(span: str) -> int:  # a name recurs when its words appear again anywhere
        if span not in counts:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(span)}(?![A-Za-z0-9])"
            counts[span] = len(re.findall(pattern, document))
        return counts[span]

    out: list[list[Mention]] = []
    for text, spans, busy in zip(texts, found, taken, strict=True):
        headline = _title_case(text)
        mentions = []
        for start, end, span, at_start, strong, hint in spans:
            recurs = (at_start or headline) and occurrences(span) > 1
            if (at_start or headline) and not (recurs or strong):
                continue
            if _overlaps(start, end, busy) or (len(span) < 2):
                continue
            mentions.append(Mention(text[start:end], start, end, span, _TYPE_OF.get(hint), "detected"))
        out.append(mentions)
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_known(text: str, table: EntityTable | None = None) -> list[Mention]:
    """Mentions of the table's entities in one text (fast: one regex pass)."""
    return (table or default_table()).find(text)


def find_mentions(
    texts: Sequence[str], table: EntityTable | None = None, *, detect: bool = True
) -> list[list[Mention]]:
    """Mentions per text of one document (sentences of an article), known and, with `detect`,
    detected. Detection looks at the whole document (an English name at a sentence start counts
    when it recurs), so pass all of a document's sentences at once. Sorted by position; a
    detected span never overlaps a known one."""
    table = table or default_table()
    known = [table.find(t) for t in texts]
    if not detect:
        return known
    out: list[list[Mention]] = []
    zh: list[list[Mention]] = []
    for i, text in enumerate(texts):
        if HAN.search(text):
            known[i], found = _detect_zh(text, known[i])
            zh.append(found)
        else:
            zh.append([])
    # an English name run that holds a known place is one name (Affecto Finland Oy)
    runs = [_en_spans(t, table.not_names) for t in texts]
    for i, spans in enumerate(runs):
        for start, end, span, _, strong, _ in spans:
            inside = [
                m for m in known[i] if start <= m.start and m.end <= end and (m.end - m.start) < (end - start)
            ]
            if inside and all(m.type == "place" for m in inside) and (strong or " " in span):
                known[i] = [m for m in known[i] if m not in inside]
    taken = [[(m.start, m.end) for m in [*ms, *z]] for ms, z in zip(known, zh, strict=True)]
    english = _detect_en(texts, taken, table.not_names, runs)
    for ms, z, en in zip(known, zh, english, strict=True):
        out.append(sorted([*ms, *z, *en], key=lambda m: (m.start, -m.end)))
    return out


# --- clauses and attribution ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int


_SEGMENT_BREAK = re.compile(r"[，,；;]")
_SEMICOLON = frozenset("；;")
_ZH_CONTRAST_START = ("但是", "然而", "不过", "可是", "反观", "相比之下", "相较之下", "与此相反", "但", "而")
_ZH_NOT_CONTRAST = ("但凡", "但愿", "而且", "而已", "而言", "而来", "而去", "而是")
_ZH_QUE = re.compile(r"(?<![忘冷退推了])却(?!步)")
_EN_CONTRAST_START = re.compile(
    r"(?:but|however|whereas|while|yet|meanwhile|conversely|in contrast|by contrast|on the other hand)\b(?! also)",
    re.IGNORECASE,
)
_EN_INLINE = re.compile(r"\s(?:but|whereas|while)\s(?!also\b)", re.IGNORECASE)
_OPENER = re.compile(
    r"(?:虽然|尽管|虽|although|though|while|whereas|despite)\b|(?:虽然|尽管|虽)", re.IGNORECASE
)
_LEADING = " \t\"'“‘(（【[-—•"


def _is_contrast(segment: str) -> bool:
    s = segment.lstrip(_LEADING)
    if s.startswith(_ZH_CONTRAST_START) and not s.startswith(_ZH_NOT_CONTRAST):
        return True
    if _ZH_QUE.search(s):
        return True
    return bool(_EN_CONTRAST_START.match(s))


def split_clauses(text: str) -> list[Clause]:
    """Clauses of one sentence: a new clause starts at a semicolon, at a comma followed by a
    contrast marker (而、但、但是、然而、不过、可是; but, however, whereas, while, yet), at a
    comma before a segment with 却 in it, inside a segment at " but "/" whereas "/" while ", and
    after the comma that closes a concessive opening (虽然/尽管…, although/though/while…).
    Plain commas do not split (a list of facts about one subject stays one clause)."""
    # segments: (start, end, separator before)
    segments: list[tuple[int, int, str]] = []
    pos, sep = 0, ""
    for m in _SEGMENT_BREAK.finditer(text):
        segments.append((pos, m.start(), sep))
        pos, sep = m.end(), m.group()
    segments.append((pos, len(text), sep))
    starts: list[int] = [0]
    for i, (s, e, before) in enumerate(segments):
        body = text[s:e]
        if i > 0 and (before in _SEMICOLON or _is_contrast(body)):
            starts.append(s - len(before))  # the separator opens the new clause
        elif i == 1 and _OPENER.match(text[segments[0][0] : segments[0][1]].lstrip(_LEADING)):
            starts.append(s - len(before))
        for m in _EN_INLINE.finditer(body):
            starts.append(s + m.start() + 1)
    cuts = sorted(set(starts))
    clauses = []
    for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip(" ，,；;"))
        if chunk.strip(" ，,；;"):
            clauses.append(Clause(chunk[lead:].rstrip(), a + lead, a + lead + len(chunk[lead:].rstrip())))
    if not clauses:
        return [Clause(text, 0, len(text))]
    return clauses


@dataclass(frozen=True)
class Attribution:
    """The label an entity gets in one sentence and the text it came from (`span` is the sentence
    itself when `split` is False)."""

    label: Label | None
    span: str
    split: bool


def _owned_clauses(clauses: list[Clause], mentions: Sequence[Mention]) -> dict[str, list[int]]:
    direct: list[list[str]] = []
    for c in clauses:
        names = []
        for m in mentions:
            inside = c.start <= m.start < c.end or m.start < c.start < m.end
            if inside and m.name not in names:
                names.append(m.name)
        direct.append(names)
    owners: list[list[str]] = []
    last: list[str] = []
    for names in direct:
        last = names or last
        owners.append(last)
    first = next((names for names in direct if names), [])
    owners = [o or first for o in owners]
    spans: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(owners):
        for n in names:
            spans[n].append(i)
    return spans


def attribute(
    sentences: Sequence[tuple[str, Label | None, Sequence[Mention]]],
    score_clauses: ClauseScorer | None,
    *,
    keep: Sequence[bool] | None = None,
) -> list[dict[str, Attribution]]:
    """Each entity's label per sentence, at clause level.

    `sentences` are (text, sentence label, mentions in that text). An entity whose clauses are
    the whole sentence gets the sentence label; otherwise the text of its clauses is scored with
    `score_clauses` (one batched call for all sentences). Without a scorer, or where `keep[i]`
    is True (an analyst-reviewed sentence), every entity gets the sentence label. A clause the
    scorer leaves unscored falls back to the sentence label."""
    plans: list[dict[str, tuple[str, bool]]] = []
    todo: dict[str, None] = {}
    for i, (text, _label, mentions) in enumerate(sentences):
        plan: dict[str, tuple[str, bool]] = {}
        names = list(dict.fromkeys(m.name for m in mentions))
        clauses = split_clauses(text) if score_clauses is not None and len(names) > 0 else []
        fixed = keep is not None and keep[i]
        if len(clauses) < 2 or fixed:
            plan = {n: (text, False) for n in names}
        else:
            owned = _owned_clauses(clauses, mentions)
            for n in names:
                idx = owned.get(n, list(range(len(clauses))))
                if len(idx) == len(clauses):
                    plan[n] = (text, False)
                else:
                    joiner = "，" if HAN.search(text) else ", "
                    span = joiner.join(clauses[j].text.strip(" ，,；;") for j in idx)
                    plan[n] = (span, True)
                    todo[span] = None
        plans.append(plan)
    scored: dict[str, Label | None] = {}
    if todo and score_clauses is not None:
        texts = list(todo)
        scored = dict(zip(texts, score_clauses(texts), strict=True))
    out: list[dict[str, Attribution]] = []
    for (_text, label, _), plan in zip(sentences, plans, strict=True):
        row = {}
        for n, (span, split) in plan.items():
            got = scored.get(span) if split else label
            row[n] = Attribution(got if got is not None else label, span, split)
        out.append(row)
    return out


def clause_scorer(scorer: Scorer) -> ClauseScorer:
    """Adapt an `analysis.sentiment.Scorer` to score clauses (labels only, no evidence)."""

    def score(texts: list[str]) -> list[Label | None]:
        return [r.label for r in scorer.score(texts, evidence=False)]

    return score


# --- per entity over an article ------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySentence:
    """One sentence behind an entity's numbers: its position, the entity's label there (None when
    unscored), the sentence's own label, the clause span the label came from, and the surfaces."""

    position: int
    label: Label | None
    sentence_label: Label | None
    span: str
    split: bool
    surfaces: tuple[str, ...]


@dataclass(frozen=True)
class EntitySummary:
    """An entity in one article: counts and NEV over the sentences that name it (each sentence
    once, with the entity's clause-level label), evidence terms from those sentences and the
    sentences themselves. `mentions` counts sentences; `occurrences` every match."""

    name: str
    name_en: str | None
    type: EntityType | None
    kind: EntityKind
    mentions: int
    occurrences: int
    sentiment: SentimentSummary
    evidence: tuple[Evidence, ...]
    sentences: tuple[EntitySentence, ...]
    parent: str | None = None
    surfaces: tuple[str, ...] = field(default=())

    @property
    def sentence_positions(self) -> tuple[int, ...]:
        return tuple(s.position for s in self.sentences)

    def display(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


def _scorer_for(analysis: ArticleAnalysis) -> ClauseScorer | None:
    """A clause scorer matching the model and neutral band that scored the article."""
    from analysis.sentiment import SUITES, Scorer, SentimentError, Thresholds

    info = analysis.model
    if info.name not in SUITES:
        return None
    try:
        scorer = Scorer(info.name)
    except SentimentError:
        return None
    bands = {}
    for lang in ("zh", "en"):
        lo, hi = info.thresholds.get(f"{lang}.negative_below"), info.thresholds.get(f"{lang}.positive_above")
        if lo is not None and hi is not None:
            bands[lang] = Thresholds(lo, hi)
    defaults = {lang: scorer.thresholds_for(lang) for lang in bands}
    custom = [b for lang, b in bands.items() if b != defaults[lang]]
    if custom:  # the user set one band for every language
        scorer = Scorer(info.name, custom[0])
    return clause_scorer(scorer)


def article_entities(
    analysis: ArticleAnalysis,
    *,
    table: EntityTable | None = None,
    scorer: Scorer | ClauseScorer | None = None,
    detect: bool = True,
    rollup: bool = False,
    clause_level: bool = True,
    top_evidence: int = 5,
) -> tuple[EntitySummary, ...]:
    """Every entity of an article with its mentions, counts, NEV (`analysis.metrics`), top
    evidence and the sentence positions behind them, most-mentioned first.

    `scorer` scores clauses: a `Scorer` or any `ClauseScorer`; by default a scorer of the model
    and band in `analysis.model` (so clause labels use the band the sentences used).
    `clause_level=False` gives every entity its sentence's label (the baseline). `rollup` counts
    children under their top parent (小米SU7 and 小米汽车 as 小米). Analyst-reviewed sentences keep
    their reviewed label for every entity in them."""
    table = table or default_table()
    sentences = analysis.sentences
    mentions = find_mentions([s.text for s in sentences], table, detect=detect)
    if rollup:
        mentions = [[_rolled(m, table) for m in ms] for ms in mentions]
    score: ClauseScorer | None = None
    if clause_level:
        from analysis.sentiment import Scorer as ScorerClass  # loads no model

        if scorer is None:
            score = _scorer_for(analysis)
        elif isinstance(scorer, ScorerClass):
            score = clause_scorer(scorer)
        else:
            score = scorer
    attributions = attribute(
        [(s.text, s.label, ms) for s, ms in zip(sentences, mentions, strict=True)],
        score,
        keep=[s.reviewed for s in sentences],
    )
    per: dict[str, list[EntitySentence]] = defaultdict(list)
    info: dict[str, Mention] = {}
    occurrences: Counter[str] = Counter()
    surfaces: dict[str, dict[str, None]] = defaultdict(dict)
    evidence: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s, ms, row in zip(sentences, mentions, attributions, strict=True):
        for m in ms:
            occurrences[m.name] += 1
            surfaces[m.name][m.text] = None
            info.setdefault(m.name, m)
        for name, att in row.items():
            seen = tuple(dict.fromkeys(m.text for m in ms if m.name == name))
            label = att.label if s.label is not None else None
            per[name].append(EntitySentence(s.position, label, s.label, att.span, att.split, seen))
            for item in s.evidence:
                if not att.split or item.term in att.span:
                    evidence[name][item.term] += item.weight
    out = []
    for name, rows in per.items():
        m = info[name]
        entity = table.get(name) if m.kind == "known" else None
        ev = sorted(evidence[name].items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:top_evidence]
        out.append(
            EntitySummary(
                name=name,
                name_en=entity.name_en if entity else None,
                type=m.type,
                kind=m.kind,
                mentions=len(rows),
                occurrences=occurrences[name],
                sentiment=summarize_labels(r.label for r in rows),
                evidence=tuple(Evidence(t, round(w, 4)) for t, w in ev if w != 0),
                sentences=tuple(rows),
                parent=entity.parent if entity else None,
                surfaces=tuple(surfaces[name]),
            )
        )
    kind_rank = {"known": 0, "detected": 1}
    out.sort(key=lambda e: (-e.mentions, kind_rank[e.kind], -e.occurrences, e.name))
    return tuple(out)


def _rolled(m: Mention, table: EntityTable) -> Mention:
    if m.kind != "known":
        return m
    root = table.root(m.name)
    return m if root == m.name else Mention(m.text, m.start, m.end, root, table.type_of(root), "known")


def entity_dict(e: EntitySummary) -> dict[str, Any]:
    """An entity as JSON (the `entities` key of `article --format json`)."""
    return {
        "name": e.name,
        "name_en": e.name_en,
        "type": e.type,
        "kind": e.kind,
        "parent": e.parent,
        "mentions": e.mentions,
        "occurrences": e.occurrences,
        "sentiment": asdict(e.sentiment),
        "evidence": [{"term": ev.term, "weight": ev.weight} for ev in e.evidence],
        "surfaces": list(e.surfaces),
        "sentence_positions": list(e.sentence_positions),
        "sentences": [
            {
                "position": s.position,
                "label": s.label,
                "sentence_label": s.sentence_label,
                "span": s.span,
                "split": s.split,
                "surfaces": list(s.surfaces),
            }
            for s in e.sentences
        ],
    }


def entity_rows(entities: Iterable[EntitySummary], lang: str = "zh") -> list[dict[str, Any]]:
    """Flat rows for a table or an export sheet (one row per entity)."""
    return [
        {
            "entity": e.name,
            "display": e.display(lang),
            "type": e.type,
            "kind": e.kind,
            "mentions": e.mentions,
            "positive": e.sentiment.positive,
            "neutral": e.sentiment.neutral,
            "negative": e.sentiment.negative,
            "nev": e.sentiment.nev,
            "evidence": "; ".join(ev.term for ev in e.evidence),
            "sentence_positions": ", ".join(str(p) for p in e.sentence_positions),
        }
        for e in entities
    ]


# --- posts: mentions, NEV and share of voice per period ---------------------------------------------


class EntityAccumulator:
    """Entity counts per period over chunks of posts (known aliases only, sentence-level labels).

    `add(texts, labels, periods)` takes one chunk (aligned sequences or Series); `result()` gives
    the posts table (`POSTS_COLUMNS`). A post counts once per entity however often it names it;
    unscored posts count in `mentions` and share of voice, not in the label counts or NEV."""

    def __init__(self, table: EntityTable | None = None, *, rollup: bool = False) -> None:
        self.table = table or default_table()
        self.rollup = rollup
        self._names: list[str] = []
        self._ids: dict[str, int] = {}
        self._parts: list[pd.DataFrame] = []

    def _id(self, name: str) -> int:
        if self.rollup:
            name = self.table.root(name)
        i = self._ids.get(name)
        if i is None:
            i = self._ids[name] = len(self._names)
            self._names.append(name)
        return i

    def add(self, texts: Iterable[Any], labels: Iterable[Any], periods: Iterable[Any]) -> None:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        joined = "\n".join(texts)
        name_of = self.table._name_of
        cache: dict[str, int] = {}
        positions: list[int] = []
        ids: list[int] = []
        for start, _end, surface in self.table._matcher.scan(joined):
            i = cache.get(surface)
            if i is None:
                name = name_of(surface)
                i = cache[surface] = self._id(name) if name else -1
            if i >= 0:
                positions.append(start)
                ids.append(i)
        if not ids:
            return
        rows = np.searchsorted(starts, np.asarray(positions, dtype=np.int64), side="right") - 1
        width = len(self._names) + 1
        rows, ids_arr = np.divmod(np.unique(rows * width + np.asarray(ids, dtype=np.int64)), width)
        label_values = _values(labels)[rows]
        codes = (
            pd.Series(label_values, dtype=object)
            .map(LABEL_CODES)
            .fillna(UNSCORED_CODE)
            .to_numpy(dtype=np.int8)
        )
        part = pd.DataFrame({"period": _values(periods)[rows], "eid": ids_arr, "code": codes})
        counts = part.groupby(["period", "eid", "code"], sort=False).size()
        self._parts.append(counts.rename("n").reset_index())

    def result(self) -> pd.DataFrame:
        if not self._parts:
            return _empty_posts_frame()
        allc = pd.concat(self._parts, ignore_index=True)
        wide = allc.pivot_table(
            index=["period", "eid"], columns="code", values="n", aggfunc="sum", fill_value=0
        )
        for code in range(4):
            if code not in wide.columns:
                wide[code] = 0
        wide = wide.reset_index()
        pos, neu, neg, uns = (wide[c].to_numpy(dtype=np.int64) for c in range(4))
        mentions = pos + neu + neg + uns
        nev = [summarize_counts(int(p), int(u), int(n)).nev for p, u, n in zip(pos, neu, neg, strict=True)]
        frame = pd.DataFrame(
            {
                "period": wide["period"].to_numpy(),
                "entity": [self._names[i] for i in wide["eid"]],
                "mentions": mentions,
                "positive": pos,
                "neutral": neu,
                "negative": neg,
                "nev": np.array([np.nan if x is None else x for x in nev], dtype=float),
            }
        )
        frame = _with_share_of_voice(frame)
        frame = frame.sort_values(["period", "mentions", "entity"], ascending=[True, False, True])
        return frame.reset_index(drop=True)[list(POSTS_COLUMNS)]


def _values(column: Iterable[Any]) -> np.ndarray:
    """A column as a numpy array (datetimes stay datetime64, no per-row Python objects)."""
    if isinstance(column, pd.Series | pd.Index):
        return column.to_numpy()
    return np.asarray(list(column), dtype=object)


def _empty_posts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series([], dtype=object if c in ("period", "entity") else float) for c in POSTS_COLUMNS}
    )


def posts_entities(
    frame: pd.DataFrame,
    *,
    text: str = "text",
    label: str = "label",
    period: str = "period",
    table: EntityTable | None = None,
    rollup: bool = False,
) -> pd.DataFrame:
    """Mentions, label counts, NEV and share of voice per period and entity over posts.

    `frame` has one row per post with its text, its label (positive/neutral/negative, None or NA
    when unscored) and its period (e.g. `analysis.corpus.aggregate.period_start`). Returns
    `POSTS_COLUMNS`: period, entity, mentions, positive, neutral, negative, nev, share_of_voice
    (an entity's mentions over all entity mentions in its period: they sum to 1 per period).
    For files too large for memory feed chunks to an `EntityAccumulator`."""
    for column in (text, label, period):
        if column not in frame.columns:
            raise EntityTableError(f"posts have no column {column!r}", code="missing_column")
    acc = EntityAccumulator(table, rollup=rollup)
    acc.add(frame[text], frame[label], frame[period])
    return acc.result()


def share_of_voice(posts: pd.DataFrame, entities: Iterable[str]) -> pd.DataFrame:
    """The posts table restricted to a competitor set, share of voice recomputed within it (it
    sums to 1 per period over the set's entities that were mentioned)."""
    chosen = list(dict.fromkeys(entities))
    return _with_share_of_voice(posts[posts["entity"].isin(chosen)].copy()).reset_index(drop=True)


def _with_share_of_voice(frame: pd.DataFrame) -> pd.DataFrame:
    """`share_of_voice`: each row's mentions over all mentions of its period in `frame`."""
    totals = frame.groupby("period", sort=False)["mentions"].transform("sum")
    frame["share_of_voice"] = frame["mentions"] / totals
    return frame
