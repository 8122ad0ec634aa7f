"""The audit log: who did what to which werkplaats or programme, when and from where."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import User, utcnow


class AuditEntry(db.Model):
    """One staff action (``domain.AuditAction``); written by ``services.audit.record`` only.

    ``action`` is plain text, not an enum column, so a new action needs no migration. An
    entry outlives its subject: ``subject_type``/``subject_id`` name it without a key.
    """

    __table_args__ = (sa.Index("ix_audit_entry_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # UTC
    # None: nobody logged in (a failed login for an unknown e-mail, a flask command).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))
    subject_type: Mapped[str] = mapped_column(sa.String(24), default="")  # a table's name
    subject_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(sa.String(200), default="")
    ip: Mapped[str] = mapped_column(sa.String(45), default="")  # IPv6 at most

    user: Mapped[User | None] = relationship()
