"""Running the room: +1s, dot-voting, and the moderation log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import ModerationAction
from ..extensions import db
from .contributions import Contribution
from .core import User, _enum, utcnow


class Support(db.Model):
    """A participant's +1 on someone's contribution; once each."""

    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteOption(db.Model):
    """A contribution a facilitator put up for dot-voting in a round."""

    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)

    contribution: Mapped[Contribution] = relationship()


class Vote(db.Model):
    """One dot: participants may put several on one option, up to the round's limit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("round.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModerationLog(db.Model):
    """Who did what to which contribution, and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(sa.ForeignKey("werkplaats.id"), index=True)
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[ModerationAction] = mapped_column(_enum(ModerationAction))
    detail: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
