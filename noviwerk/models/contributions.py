"""What the phones bring: participants (a phone's seat in a werkplaats) and their
contributions, with the visibility rules every page and query shares."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import ContributionState, Label, Source, Veld
from ..extensions import db
from .core import Round, Werkplaats, _enum, utcnow

if TYPE_CHECKING:
    from .tafels import Tafel


class Participant(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(
        sa.ForeignKey("werkplaats.id", ondelete="CASCADE"), index=True
    )
    # The secret the phone holds in its session cookie; never shown, never logged. None once
    # the participant's data is removed (AVG): no phone reaches it any more.
    token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80), default="")
    organisation: Mapped[str] = mapped_column(sa.String(120), default="")
    veld: Mapped[Veld | None] = mapped_column(_enum(Veld))
    tafel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tafel.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    werkplaats: Mapped[Werkplaats] = relationship(back_populates="participants")


class Contribution(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("werkplaats_id", "seq"),
        # One stored contribution per client key: a double submit or a retry finds the first.
        sa.UniqueConstraint("participant_id", "client_key"),
        sa.Index("ix_contribution_round_created", "round_id", "first_seq"),
        # "Wat anderen inbrachten", most supported first: read in order, not sorted per phone
        # (a round of 2,500: 10 ms a list without it; support.others_in_round).
        sa.Index("ix_contribution_round_support", "round_id", "support_count", "first_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(sa.ForeignKey("werkplaats.id"))
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("round.id"))
    # Where it was posted (stays when its participant moves); a tafel's three points marked.
    tafel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tafel.id"), index=True)
    is_main_point: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL")
    )
    # seq: the werkplaats counter value of the latest change; first_seq: of its creation.
    seq: Mapped[int]
    first_seq: Mapped[int]
    client_key: Mapped[str | None] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
    label: Mapped[Label | None] = mapped_column(_enum(Label))
    source: Mapped[Source] = mapped_column(_enum(Source), default=Source.TELEFOON)
    state: Mapped[ContributionState] = mapped_column(
        _enum(ContributionState), default=ContributionState.VISIBLE
    )
    # Kept on the contribution so the contributions survive deleting personal data (AVG).
    veld: Mapped[Veld | None] = mapped_column(_enum(Veld))
    organisation: Mapped[str] = mapped_column(sa.String(120), default="")
    is_starred: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_citaat: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_late: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A duplicate merged into another: it leaves the wall and counts towards that one.
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contribution.id", ondelete="SET NULL")
    )
    # Typed in by a facilitator or note-taker (source flap or mondeling).
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    support_count: Mapped[int] = mapped_column(default=0, server_default="0")
    merged_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship()
    participant: Mapped[Participant | None] = relationship()
    tafel: Mapped[Tafel | None] = relationship()  # where it was posted (the cards name it)

    # The visibility rules, each one expression that reads a loaded row (Python bools) and,
    # on the class, builds the SQL condition: pages, services and queries share one rule.
    @hybrid_property
    def is_visible(self) -> bool:
        """Counts in the contributions export and the bouwsteen (merged ones too)."""
        return self.state == ContributionState.VISIBLE

    @hybrid_property
    def is_on_wall(self) -> bool:
        """Shown on walls and phones: visible and not merged into another."""
        return self.is_visible & (self.merged_into_id == None)  # noqa: E711 (IS NULL in SQL)

    @hybrid_property
    def is_live(self) -> bool:
        """Still its author's: visible or waiting for moderation, not withdrawn or hidden."""
        return self.is_visible | (self.state == ContributionState.PENDING)
