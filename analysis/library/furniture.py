"""Page furniture an editor counted back in (or out again): append-only, the latest choice wins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from analysis.library.database import Database
from analysis.library.records import LibraryError
from analysis.library.rows import _from_db
from analysis.library.schema import furniture_choices_table


class FurnitureMixin(Database):
    """The `Library` methods for furniture choices."""

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
