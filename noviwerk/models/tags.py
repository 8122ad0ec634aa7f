"""Tags on contributions: the NOVI's nationale belangen and prioriteiten (``noviwerk.tags``).

A contribution has none, one or several; the key is the tag set's stored key. A rode draad's
tags live with the trekker's draad edits in the bouwsteen (``synthesis.draad_edits``).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tags import MAX_KEY_CHARS
from .core import utcnow


class ContributionTag(db.Model):
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(MAX_KEY_CHARS), primary_key=True, index=True)
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)
