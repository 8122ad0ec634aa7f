"""The ansichtkaart of a werkplaats: versions of its content, as for the bouwsteen."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .bouwsteen import Bouwsteen
from .core import User, utcnow


class Ansichtkaart(db.Model):
    """The postcard made from a bouwsteen; its text lives in versions, newest is current."""

    id: Mapped[int] = mapped_column(primary_key=True)
    bouwsteen_id: Mapped[int] = mapped_column(sa.ForeignKey("bouwsteen.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bouwsteen: Mapped[Bouwsteen] = relationship()
    versions: Mapped[list[AnsichtkaartVersion]] = relationship(
        back_populates="ansichtkaart",
        order_by="AnsichtkaartVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def current(self) -> AnsichtkaartVersion | None:
        return self.versions[-1] if self.versions else None


class AnsichtkaartVersion(db.Model):
    """One saved state of the ansichtkaart: generated, regenerated, edited or restored."""

    __table_args__ = (sa.UniqueConstraint("ansichtkaart_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ansichtkaart_id: Mapped[int] = mapped_column(sa.ForeignKey("ansichtkaart.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(24))  # gegenereerd, bijgewerkt, bewerkt, teruggezet
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    # The column keeps its first name, "card": the attribute was renamed without a migration.
    content: Mapped[dict] = mapped_column("card", sa.JSON)  # ansichtkaart.to_dict(content)
    # The machine's own card this version rests on: its terms are the ones to pick from, its
    # title and texts tell hand edits apart when the card is regenerated.
    machine: Mapped[dict] = mapped_column(sa.JSON)
    # The bouwsteen version the machine card was written from: a newer one can be taken over.
    bouwsteen_version: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ansichtkaart: Mapped[Ansichtkaart] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
