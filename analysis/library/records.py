"""What the library hands back: records of articles, corpora and entity aliases (and its error)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from analysis.errors import OpinionLensError
from analysis.records import SentimentSummary


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
