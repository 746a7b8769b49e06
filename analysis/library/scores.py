"""Stored sentence scores of the costly tier, one per sentence text and model (a ScoreStore)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from analysis.library.database import Database
from analysis.library.schema import sentence_scores_table


class SentenceScoresMixin(Database):
    """The `Library` methods of analysis.sentiment.ScoreStore."""

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


def _insert_ignoring_duplicates(dialect: str):  # -> an insert() with ON CONFLICT DO NOTHING
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(sentence_scores_table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(sentence_scores_table).on_conflict_do_nothing()
