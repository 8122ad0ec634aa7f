"""The full-text index kept in step with every write, in the write's own transaction.

Mapper events, so that whichever service writes (a post, an edit, a note-taker's input, an
import, a saved bouwsteen version) the index follows in the flush of that very write, and a
rolled-back write takes its index rows with it. On SQLite they write the FTS5 rows of the
stemmed text (contribution_fts, bouwsteen_passage_fts; rowid = the row's id); on both
databases a saved version rewrites its bouwsteen's ``bouwsteen_passage`` rows, which
PostgreSQL's GIN index then covers by itself. Registered on import; ``services.search``
imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from ..models import BouwsteenPassage, BouwsteenVersion, Contribution
from ..models.search import CONTRIBUTION_FTS, PASSAGE_FTS
from ..synthesis import search as pure
from ..synthesis.document import from_dict


def _is_sqlite(connection) -> bool:
    return connection.dialect.name == "sqlite"


def _fts(name: str) -> sa.TableClause:
    return sa.table(name, sa.column("rowid"), sa.column("stems"))


def _put_fts(connection, name: str, rowid: int, text: str) -> None:
    fts = _fts(name)
    connection.execute(sa.delete(fts).where(fts.c.rowid == rowid))
    connection.execute(sa.insert(fts).values(rowid=rowid, stems=pure.index_text(text)))


def index_contributions(connection, rows) -> None:
    """Index contributions written past the ORM (a bulk insert): ``rows`` of (id, text)."""
    if _is_sqlite(connection):
        for rowid, text in rows:
            _put_fts(connection, CONTRIBUTION_FTS, rowid, text)


def _contribution_inserted(_mapper, connection, target: Contribution) -> None:
    if _is_sqlite(connection):
        _put_fts(connection, CONTRIBUTION_FTS, target.id, target.text)


def _contribution_updated(_mapper, connection, target: Contribution) -> None:
    if _is_sqlite(connection) and sa.inspect(target).attrs.text.history.has_changes():
        _put_fts(connection, CONTRIBUTION_FTS, target.id, target.text)


def _contribution_deleted(_mapper, connection, target: Contribution) -> None:
    if _is_sqlite(connection):
        fts = _fts(CONTRIBUTION_FTS)
        connection.execute(sa.delete(fts).where(fts.c.rowid == target.id))


def write_passages(connection, bouwsteen_id: int, document: Mapping) -> None:
    """Replace the bouwsteen's passages with the sections of ``document`` (a stored
    version's dict), and on SQLite their FTS5 rows."""
    table = BouwsteenPassage.__table__
    old = sa.select(table.c.id).where(table.c.bouwsteen_id == bouwsteen_id)
    if _is_sqlite(connection):
        fts = _fts(PASSAGE_FTS)
        connection.execute(sa.delete(fts).where(fts.c.rowid.in_(old)))
    connection.execute(sa.delete(table).where(table.c.bouwsteen_id == bouwsteen_id))
    try:
        found = pure.passages(from_dict(document))
    except (ValueError, KeyError, TypeError):  # a document no longer readable: nothing to find
        return
    for position, passage in enumerate(found, 1):
        result = connection.execute(
            sa.insert(table).values(
                bouwsteen_id=bouwsteen_id,
                section_id=passage.section_id[:64],
                position=position,
                title=passage.title[:200],
                text=passage.text,
            )
        )
        if _is_sqlite(connection):
            _put_fts(connection, PASSAGE_FTS, result.inserted_primary_key[0], passage.text)


def _version_inserted(_mapper, connection, target: BouwsteenVersion) -> None:
    # Every save appends the version that becomes current (a restore too).
    write_passages(connection, target.bouwsteen_id, target.document)


def _version_updated(_mapper, connection, target: BouwsteenVersion) -> None:
    # A stored version rewritten in place (a withdrawal scrubs its text): the passages follow
    # when it is the current one.
    if not sa.inspect(target).attrs.document.history.has_changes():
        return
    current = connection.scalar(
        sa.select(sa.func.max(BouwsteenVersion.number)).where(
            BouwsteenVersion.bouwsteen_id == target.bouwsteen_id
        )
    )
    if target.number == current:
        write_passages(connection, target.bouwsteen_id, target.document)


sa.event.listen(Contribution, "after_insert", _contribution_inserted)
sa.event.listen(Contribution, "after_update", _contribution_updated)
sa.event.listen(Contribution, "after_delete", _contribution_deleted)
sa.event.listen(BouwsteenVersion, "after_insert", _version_inserted)
sa.event.listen(BouwsteenVersion, "after_update", _version_updated)
