"""Rows to records and back: times in UTC with their original offset, summaries, blank metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from analysis.library.records import ArticleRecord, CorpusRecord, EntityAliasRecord, LibraryError
from analysis.metrics import summary_row
from analysis.records import SentimentSummary


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
