"""The persistent library of articles and corpora of posts (SQLAlchemy 2 Core).

SQLite at a per-user data path by default; any SQLAlchemy URL (e.g. PostgreSQL with psycopg 3) through
the environment variable `OPINION_LENS_DB_URL` (the UI layer also reads `st.secrets`). Every write
is one transaction, so a failed save stores nothing. Articles are deduplicated on the SHA-256 of
their (normalised) text, corpora on the SHA-256 of their bytes; both carry a unique constraint, so
even two processes saving the same text at the same moment end with one row.

Times: every datetime going in must be timezone-aware. They are stored in UTC; an article's
`published_at` also keeps its original UTC offset, so "2025-10-27 20:11 +08:00" comes back as written.

- `location`: where the database lives (the data folder, the configured URL, will it last).
- `records`: what the library hands back (`ArticleRecord`, `CorpusRecord`, `EntityAliasRecord`),
  `UNSET` and `LibraryError`.
- `schema`: the tables; `rows`: rows to records and back.
- `database`: opening the database and its transactions, the base of every part of `Library`.
- `articles` (with the trash), `corpora`, `scores`, `reviews`, `furniture`, `aliases`: one part
  of `Library` each.
"""

from analysis.library.aliases import EntityAliasesMixin
from analysis.library.articles import ArticlesMixin
from analysis.library.corpora import CorporaMixin
from analysis.library.database import PG_CONNECT_TIMEOUT_S, SQLITE_BUSY_TIMEOUT_S
from analysis.library.furniture import FurnitureMixin
from analysis.library.location import (
    APP_DIR_NAME,
    DB_FILE_NAME,
    DB_URL_ENV,
    configured_db_url,
    data_dir,
    default_db_url,
    is_ephemeral_url,
    looks_like_streamlit_cloud,
    masked_url,
)
from analysis.library.records import (
    UNSET,
    ArticleRecord,
    CorpusRecord,
    EntityAliasRecord,
    LibraryError,
)
from analysis.library.reviews import ReviewsMixin
from analysis.library.schema import (
    MAX_ALIAS_CHARS,
    TRASH_DAYS,
    articles_table,
    corpora_table,
    entity_aliases_table,
    furniture_choices_table,
    reviews_table,
    sentence_scores_table,
    trash_table,
)
from analysis.library.schema import _metadata as _metadata  # tests drop the tables with it
from analysis.library.scores import SentenceScoresMixin


class Library(
    ArticlesMixin, CorporaMixin, SentenceScoresMixin, ReviewsMixin, FurnitureMixin, EntityAliasesMixin
):
    """Articles and corpora, stored with SQLAlchemy. Safe to share between threads."""


__all__ = [
    "APP_DIR_NAME",
    "DB_FILE_NAME",
    "DB_URL_ENV",
    "MAX_ALIAS_CHARS",
    "PG_CONNECT_TIMEOUT_S",
    "SQLITE_BUSY_TIMEOUT_S",
    "TRASH_DAYS",
    "UNSET",
    "ArticleRecord",
    "CorpusRecord",
    "EntityAliasRecord",
    "Library",
    "LibraryError",
    "articles_table",
    "configured_db_url",
    "corpora_table",
    "data_dir",
    "default_db_url",
    "entity_aliases_table",
    "furniture_choices_table",
    "is_ephemeral_url",
    "looks_like_streamlit_cloud",
    "masked_url",
    "reviews_table",
    "sentence_scores_table",
    "trash_table",
]
