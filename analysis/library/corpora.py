"""Corpora of posts: the uploaded file's bytes with their column mapping, stored once per file."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from analysis.library.database import Database
from analysis.library.records import CorpusRecord, LibraryError
from analysis.library.rows import _corpus_from_row
from analysis.library.schema import _CORPUS_LIST_COLUMNS, corpora_table


class CorporaMixin(Database):
    """The `Library` methods for corpora of posts."""

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

    def delete_corpus(self, corpus_id: int) -> None:
        with self._write() as conn:
            result = conn.execute(corpora_table.delete().where(corpora_table.c.id == corpus_id))
            if result.rowcount == 0:
                raise LibraryError(f"there is no corpus with id {corpus_id} in the library")
