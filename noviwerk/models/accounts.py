"""Account links: an invitation to make an account, or a link to set a new password."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import LinkPurpose, Role
from ..extensions import db
from .core import User, _enum, utcnow


class AccountLink(db.Model):
    """A link a beheerder hands out, valid once and until ``expires_at``.

    Only a hash of its token is stored: the token itself is derived from ``nonce`` and the
    app's secret key (``services.accounts``), so the beheerder can copy the link again while
    a copy of the database alone opens no account.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[LinkPurpose] = mapped_column(_enum(LinkPurpose))
    email: Mapped[str] = mapped_column(sa.String(254))
    # An invitation's role; a reset link keeps the account's own.
    role: Mapped[Role | None] = mapped_column(_enum(Role))
    # A reset link's account; an invitation's once it is accepted.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def is_pending(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
