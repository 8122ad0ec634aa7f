"""The bouwsteen of a werkplaats: versions of its Document, status events, reader flags."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import BouwsteenStatus
from ..extensions import db
from .core import User, Werkplaats, _enum, utcnow


class Bouwsteen(db.Model):
    """The document a werkplaats yields; its text lives in versions, newest is current."""

    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(sa.ForeignKey("werkplaats.id"), unique=True)
    status: Mapped[BouwsteenStatus] = mapped_column(
        _enum(BouwsteenStatus), default=BouwsteenStatus.CONCEPT
    )
    # A read-only link for participants ("herken ik niet"); None while not shared.
    share_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    werkplaats: Mapped[Werkplaats] = relationship()
    versions: Mapped[list[BouwsteenVersion]] = relationship(
        back_populates="bouwsteen", order_by="BouwsteenVersion.number", cascade="all, delete-orphan"
    )
    events: Mapped[list[BouwsteenEvent]] = relationship(
        order_by="BouwsteenEvent.id", cascade="all, delete-orphan"
    )
    flags: Mapped[list[BouwsteenFlag]] = relationship(
        order_by="BouwsteenFlag.id", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> BouwsteenVersion | None:
        return self.versions[-1] if self.versions else None


class BouwsteenVersion(db.Model):
    """One saved state of the document: generated, regenerated, edited or restored."""

    __table_args__ = (sa.UniqueConstraint("bouwsteen_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bouwsteen_id: Mapped[int] = mapped_column(sa.ForeignKey("bouwsteen.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(24))  # gegenereerd, bijgewerkt, bewerkt, teruggezet
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    document: Mapped[dict] = mapped_column(sa.JSON)
    # The werkplaats' last_seq this version was assembled from: newer input shows as "nieuw".
    source_seq: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bouwsteen: Mapped[Bouwsteen] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()


class BouwsteenEvent(db.Model):
    """A status change, with who and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    bouwsteen_id: Mapped[int] = mapped_column(sa.ForeignKey("bouwsteen.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(24))
    to_status: Mapped[str] = mapped_column(sa.String(24))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class BouwsteenFlag(db.Model):
    """A reader of the shared draft does not recognise a section ("herken ik niet")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    bouwsteen_id: Mapped[int] = mapped_column(sa.ForeignKey("bouwsteen.id"), index=True)
    section_id: Mapped[str] = mapped_column(sa.String(64))
    comment: Mapped[str] = mapped_column(sa.Text)
    version_number: Mapped[int]
    is_resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
