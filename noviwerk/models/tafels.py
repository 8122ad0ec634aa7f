"""A werkplaats' tafels: subgroups with a screen, a tafelvoorzitter and a flip-chart of their own."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Kernvraag, Theme, User, Werkplaats, utcnow


def new_tafel_token() -> str:
    return secrets.token_urlsafe(24)


class Tafel(db.Model):
    """One table of a werkplaats. Its token is the key to its screen (a link, no account)."""

    __table_args__ = (sa.UniqueConstraint("werkplaats_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(
        sa.ForeignKey("werkplaats.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    # Its focus, at most one of the two: a thema of the programme or a kernvraag.
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id", ondelete="SET NULL"))
    kernvraag_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kernvraag.id", ondelete="SET NULL")
    )
    # The tafelvoorzitter: a name, and the account when they have one.
    voorzitter_name: Mapped[str] = mapped_column(sa.String(120), default="")
    voorzitter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    is_closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_tafel_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    werkplaats: Mapped[Werkplaats] = relationship()
    theme: Mapped[Theme | None] = relationship()
    kernvraag: Mapped[Kernvraag | None] = relationship()
    voorzitter: Mapped[User | None] = relationship()

    @property
    def focus(self) -> str:
        """What the tafel talks about, as shown: the thema's name or the kernvraag's title."""
        if self.kernvraag is not None:
            return self.kernvraag.title
        return self.theme.name if self.theme is not None else ""

    @property
    def voorzitter_display(self) -> str:
        return self.voorzitter_name or (self.voorzitter.name if self.voorzitter else "")
