"""Numbered versions, as the bouwsteen (its Document) and the ansichtkaart (its
AnsichtkaartContent) keep them.

Each save appends a version numbered one past the current one. Two saves at once must not
both take the same number, nor the second build on a current version the first has just
replaced: so a save locks its owner's row before it reads the current version. On
PostgreSQL that is ``SELECT … FOR UPDATE``; SQLite has no row locks (SQLAlchemy leaves the
clause out) and needs none, as ``write_transaction`` already lets one writer in at a time.
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa

from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, BouwsteenVersion

Owner = TypeVar("Owner", Bouwsteen, Ansichtkaart)


def locked(model: type[Owner], owner_id: int) -> Owner:
    """The owner, locked until the transaction ends, with its versions as committed (by a
    save this one may have waited for)."""
    owner = db.session.scalars(
        sa.select(model)
        .where(model.id == owner_id)
        .with_for_update()
        .execution_options(populate_existing=True)  # the row as it is now, not as first read
    ).one()
    db.session.refresh(owner, ["versions"])
    return owner


def add(owner: Bouwsteen | Ansichtkaart, version: BouwsteenVersion | AnsichtkaartVersion) -> None:
    """Append ``version`` to ``owner``'s versions as the next number. The owner is new, or
    ``locked`` in this transaction."""
    version.number = (owner.current.number + 1) if owner.current else 1
    owner.versions.append(version)
    db.session.flush()
