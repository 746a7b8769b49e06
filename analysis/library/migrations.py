"""Bringing an older library up to the current schema when it is opened.

`create_all` makes missing tables but never changes an existing one, so a column added to a table
later is added here, with a default that gives every existing row its old meaning. Each step is
idempotent and runs in the transaction that opens the library: on SQLite that transaction holds the
write lock (BEGIN IMMEDIATE), on PostgreSQL `ADD COLUMN IF NOT EXISTS` lets two processes opening
the same old library at once both succeed. Nothing is ever dropped or rewritten.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# (table, column, its SQL type and default): columns added after the table first shipped, oldest first.
ADDED_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    # issue 18: a review corrects the sentiment label or the emotion; older rows are sentiment reviews
    ("reviews", "field", "VARCHAR(16) DEFAULT 'sentiment' NOT NULL"),
)


def migrate(conn: Connection) -> list[str]:
    """Add the columns of ADDED_COLUMNS that the database's tables lack; returns "table.column"
    for each one added (empty for a current library)."""
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    added = []
    for table, column, ddl in ADDED_COLUMNS:
        if table not in tables or column in {c["name"] for c in inspector.get_columns(table)}:
            continue
        guard = "IF NOT EXISTS " if conn.dialect.name == "postgresql" else ""
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {guard}{column} {ddl}")
        added.append(f"{table}.{column}")
    return added
