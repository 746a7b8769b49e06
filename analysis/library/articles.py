"""Articles: stored once per text, edited, moved to the trash, restored and purged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from analysis.library.database import Database
from analysis.library.records import UNSET, ArticleRecord, LibraryError, _Unset
from analysis.library.rows import (
    _article_from_row,
    _clean,
    _from_db,
    _offset_minutes,
    _summary_values,
    _to_utc,
)
from analysis.library.schema import _ARTICLE_COLUMNS, articles_table, furniture_choices_table, trash_table
from analysis.records import SentimentSummary
from analysis.text.normalize import content_hash, stored_text_form


class ArticlesMixin(Database):
    """The `Library` methods for articles and their trash."""

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
