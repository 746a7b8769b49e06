"""Entities: who the coverage is about, the sentiment toward each, and share of voice over time.

- `table`: the alias table (analysis/data/entities.json plus the user's aliases) and the known
  mentions it finds; `matcher`: the one regex behind it.
- `aliases`: checking a new user alias and the stored ones.
- `detect`: mentions in a document, known and detected (names the table does not list).
- `clauses`: sentiment toward an entity from the clauses that name it.
- `article`: an article's entities with their counts, NEV, evidence and sentences.
- `posts`: mentions, NEV and share of voice per period over posts (and, asked for, the emotion
  mix of each entity's posts).
"""

from analysis.entities.aliases import check_alias, valid_aliases
from analysis.entities.article import (
    EntitySentence,
    EntitySummary,
    article_entities,
    entity_dict,
    entity_rows,
)
from analysis.entities.clauses import (
    Attribution,
    Clause,
    ClauseScorer,
    attribute,
    clause_scorer,
    split_clauses,
)
from analysis.entities.detect import find_known, find_mentions
from analysis.entities.posts import (
    EMOTION_COUNT_COLUMNS,
    EMOTION_POSTS_COLUMNS,
    POSTS_COLUMNS,
    EntityAccumulator,
    dominant_emotions,
    emotion_mix_of,
    posts_entities,
    share_of_voice,
)
from analysis.entities.table import (
    DEFAULT_TABLE_PATH,
    ENTITY_TYPES,
    Entity,
    EntityKind,
    EntityTable,
    EntityTableError,
    EntityType,
    Mention,
    UserAlias,
    default_table,
    load_table,
    parse_table,
)

__all__ = [
    "DEFAULT_TABLE_PATH",
    "EMOTION_COUNT_COLUMNS",
    "EMOTION_POSTS_COLUMNS",
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
    "dominant_emotions",
    "emotion_mix_of",
    "entity_dict",
    "entity_rows",
    "find_known",
    "find_mentions",
    "load_table",
    "parse_table",
    "posts_entities",
    "share_of_voice",
    "split_clauses",
    "valid_aliases",
]
