"""Opening the database: the engine, SQLite's locking, and one transaction per write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from analysis.library.location import default_db_url, is_ephemeral_url, masked_url
from analysis.library.migrations import migrate
from analysis.library.records import LibraryError
from analysis.library.schema import _metadata

PG_CONNECT_TIMEOUT_S: Final = 5  # seconds before an unreachable PostgreSQL server counts as down
SQLITE_BUSY_TIMEOUT_S: Final = 30.0  # long enough for a burst of concurrent saves to queue, not fail


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


class Database:
    """An open library database (its tables created when missing, an older one's brought up to
    date by analysis.library.migrations): the base of `Library` and its parts."""

    def __init__(self, url: str | None = None) -> None:
        self.url: str = url or default_db_url()
        try:
            self._engine = _make_engine(self.url)
            self._is_sqlite = self._engine.dialect.name == "sqlite"
            with self._write() as conn:
                _metadata.create_all(conn, checkfirst=True)
                migrate(conn)  # an older library gains the columns added since
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
