"""What full-text search reads besides the contributions: the current bouwsteen text per
section, and the names of what the databases' own search engines keep.

Those engine objects are made by the migration alone (0012), one set per database:
PostgreSQL has GIN indexes on ``to_tsvector('dutch', text)`` of ``contribution`` and
``bouwsteen_passage``; SQLite has FTS5 tables of their stemmed text (rowid = the row's id),
with FTS5's own shadow tables. No model can say either for both databases, so the schema
comparison (``include_name``) leaves them to the migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

DUTCH = "dutch"  # PostgreSQL's text search configuration

CONTRIBUTION_FTS = "contribution_fts"
PASSAGE_FTS = "bouwsteen_passage_fts"
FTS5_TABLES = (CONTRIBUTION_FTS, PASSAGE_FTS)
_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")
GIN_INDEXES = ("ix_contribution_text_dutch", "ix_bouwsteen_passage_text_dutch")

ENGINE_OBJECTS = frozenset(
    [*FTS5_TABLES, *GIN_INDEXES, *(f"{t}_{s}" for t in FTS5_TABLES for s in _FTS5_SHADOWS)]
)


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's filter for comparing the schema with the models: not the search engines'."""
    return name not in ENGINE_OBJECTS


class BouwsteenPassage(db.Model):
    """One section of a bouwsteen's current version as plain text (bijlage left out).

    Rewritten in the transaction that saves a version (services/search.py), so it always
    holds the text the bouwsteen page shows now.
    """

    __tablename__ = "bouwsteen_passage"
    __table_args__ = (sa.UniqueConstraint("bouwsteen_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bouwsteen_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bouwsteen.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
