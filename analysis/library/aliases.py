"""Entity aliases added by users: one row per alias, unique in its normalised form."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from analysis.library.database import Database
from analysis.library.records import EntityAliasRecord, LibraryError
from analysis.library.rows import _alias_from_row
from analysis.library.schema import MAX_ALIAS_CHARS, entity_aliases_table
from analysis.text.normalize import alias_key


class EntityAliasesMixin(Database):
    """The `Library` methods for users' entity aliases."""

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
