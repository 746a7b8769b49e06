"""The analysts' label reviews: append-only rows (the logic lives in analysis.review)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from analysis.library.database import Database
from analysis.library.rows import _from_db
from analysis.library.schema import reviews_table


class ReviewsMixin(Database):
    """The `Library` methods for label reviews."""

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
