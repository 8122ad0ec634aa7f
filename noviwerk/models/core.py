"""Core models: users, programmes, werkplaatsen and their rounds. What the phones bring
(participants, contributions) is in ``contributions``."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import (
    DEFAULT_GRACE_SECONDS,
    DEFAULT_RETENTION_MONTHS,
    DEFAULT_VOTES,
    ProgrammeRole,
    Role,
    RoundKind,
    RoundState,
    StaffRole,
    WerkplaatsKind,
    WerkplaatsState,
)
from ..extensions import db

if TYPE_CHECKING:  # its relationships name them; SQLAlchemy finds them by name
    from .contributions import Participant


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def _enum(e: type) -> sa.Enum:
    # Stored as their Dutch values in a VARCHAR with a CHECK, so data reads well in SQL too.
    return sa.Enum(
        e,
        values_callable=lambda cls: [m.value for m in cls],
        native_enum=False,
        create_constraint=True,
        length=24,
        validate_strings=True,
        name=e.__name__.lower(),
    )


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.FACILITATOR)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Part of every login cookie (see get_id): rotating it ends all of the account's sessions,
    # which a signed cookie alone cannot do; logout and a new password rotate it.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    @property
    def is_beheerder(self) -> bool:
        return self.role == Role.BEHEERDER


class Programme(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # AVG: participants' identities go this many months after their werkplaats (services/avg).
    retention_months: Mapped[int] = mapped_column(
        default=DEFAULT_RETENTION_MONTHS, server_default=str(DEFAULT_RETENTION_MONTHS)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    kernvragen: Mapped[list[Kernvraag]] = relationship(
        back_populates="programme", order_by="Kernvraag.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="programme", order_by="Theme.name", cascade="all, delete-orphan"
    )
    werkplaatsen: Mapped[list[Werkplaats]] = relationship(
        back_populates="programme", order_by="Werkplaats.starts_at"
    )
    members: Mapped[list[ProgrammeMember]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )


class Kernvraag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    question: Mapped[str] = mapped_column(sa.String(500))

    programme: Mapped[Programme] = relationship(back_populates="kernvragen")


class Theme(db.Model):
    __table_args__ = (sa.UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    programme: Mapped[Programme] = relationship(back_populates="themes")


class ProgrammeMember(db.Model):
    """Links a user to a programme as eigenaar or lid (services/permissions.py reads it)."""

    __tablename__ = "programme_member"
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True, index=True)
    role: Mapped[ProgrammeRole] = mapped_column(_enum(ProgrammeRole))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    programme: Mapped[Programme] = relationship(back_populates="members")


class WerkplaatsStaff(db.Model):
    """Links a user to a werkplaats as facilitator or trekker."""

    __tablename__ = "werkplaats_staff"
    werkplaats_id: Mapped[int] = mapped_column(sa.ForeignKey("werkplaats.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole), primary_key=True)

    user: Mapped[User] = relationship()
    werkplaats: Mapped[Werkplaats] = relationship(back_populates="staff")


class Werkplaats(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    nr: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[WerkplaatsKind] = mapped_column(
        _enum(WerkplaatsKind), default=WerkplaatsKind.INHOUDELIJK
    )
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id"))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    trekker_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # The bouwsteen status as recorded in imported history ("Gereed", "Verslag op viadesk").
    history_note: Mapped[str] = mapped_column(sa.String(200), default="")
    state: Mapped[WerkplaatsState] = mapped_column(
        _enum(WerkplaatsState), default=WerkplaatsState.GEPLAND
    )
    join_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Per-werkplaats change counter: every contribution write takes the next value in the
    # same transaction (holding the row's write lock until commit), so commit order is seq
    # order and a wall asking for "everything after cursor N" never skips a row, whatever
    # process served the write.
    last_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped when rounds or the werkplaats itself change state; phones poll on it.
    state_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The round the beamer shows; None: the open round, else the latest.
    beamer_round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("round.id", use_alter=True, ondelete="SET NULL")
    )
    # New participants (phones) it takes: None is the server's default; and the
    # facilitator's lock for newcomers (those who joined keep going).
    participant_limit: Mapped[int | None]
    is_join_locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="werkplaatsen")
    theme: Mapped[Theme | None] = relationship()
    staff: Mapped[list[WerkplaatsStaff]] = relationship(
        back_populates="werkplaats", cascade="all, delete-orphan"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="werkplaats",
        order_by="Round.position",
        cascade="all, delete-orphan",
        foreign_keys="Round.werkplaats_id",
    )
    participants: WriteOnlyMapped[Participant] = relationship(
        back_populates="werkplaats", cascade="all, delete-orphan", passive_deletes=True
    )

    def users_with(self, role: StaffRole) -> list[User]:
        return [s.user for s in self.staff if s.role == role]

    @property
    def facilitators(self) -> list[User]:
        return self.users_with(StaffRole.FACILITATOR)

    @property
    def trekkers(self) -> list[User]:
        return self.users_with(StaffRole.TREKKER)

    @property
    def trekker_display(self) -> str:
        names = [u.name for u in self.trekkers]
        return ", ".join(names) if names else self.trekker_name

    @property
    def open_round(self) -> Round | None:
        return next((r for r in self.rounds if r.state == RoundState.OPEN), None)

    @property
    def is_history(self) -> bool:
        """Held before noviwerk: closed, never opened here (werkplaatsen.record_held)."""
        return self.state == WerkplaatsState.GESLOTEN and self.opened_at is None

    @property
    def beamer_round(self) -> Round | None:
        """What the beamer shows: the chosen round, else the open one, else the last opened."""
        chosen = next((r for r in self.rounds if r.id == self.beamer_round_id), None)
        if chosen is not None:
            return chosen
        if self.open_round is not None:
            return self.open_round
        opened = [r for r in self.rounds if r.opened_at is not None]
        return max(opened, key=lambda r: r.opened_at) if opened else None

    def close_rounds(self, now: datetime, *, keep: Round | None = None) -> None:
        """Close every open round but ``keep``: phones see one prompt at a time."""
        for rnd in self.rounds:
            if rnd is not keep:
                rnd.close(now)

    def round_in_grace(self, now: datetime) -> Round | None:
        """While no round is open: the round closed last, if it still takes late text.

        The phone's form posts into it, so a text typed before the close is kept (marked
        "te laat") instead of refused.
        """
        if self.open_round is not None:
            return None
        closed = [r for r in self.rounds if r.state == RoundState.GESLOTEN and r.closed_at]
        latest = max(closed, key=lambda r: r.closed_at, default=None)
        return latest if latest is not None and latest.is_in_grace(now) else None


class Round(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    werkplaats_id: Mapped[int] = mapped_column(sa.ForeignKey("werkplaats.id"), index=True)
    position: Mapped[int]
    prompt: Mapped[str] = mapped_column(sa.String(500))
    kernvraag_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kernvraag.id"))
    planned_minutes: Mapped[int] = mapped_column(default=15)
    state: Mapped[RoundState] = mapped_column(_enum(RoundState), default=RoundState.GEPLAND)
    kind: Mapped[RoundKind] = mapped_column(
        _enum(RoundKind), default=RoundKind.OPEN, server_default=RoundKind.OPEN.value
    )
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Timer: phones and beamer count down to ends_at (UTC); None when no timer runs.
    ends_at: Mapped[datetime | None]
    is_support_allowed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_premoderated: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    votes_per_participant: Mapped[int] = mapped_column(
        default=DEFAULT_VOTES, server_default=str(DEFAULT_VOTES)
    )
    is_result_revealed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    grace_seconds: Mapped[int] = mapped_column(
        default=DEFAULT_GRACE_SECONDS, server_default=str(DEFAULT_GRACE_SECONDS)
    )
    # Posted at the participants' tafels (where the werkplaats has them), or plenary.
    is_at_tafels: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    werkplaats: Mapped[Werkplaats] = relationship(
        back_populates="rounds", foreign_keys=[werkplaats_id]
    )
    kernvraag: Mapped[Kernvraag | None] = relationship()

    def open(self, now: datetime) -> None:
        """Take input from ``now``; a reopened round forgets when it closed."""
        self.state = RoundState.OPEN
        self.opened_at = now
        self.closed_at = None

    def close(self, now: datetime) -> bool:
        """Stop taking input (late text aside); False when it was not open."""
        if self.state != RoundState.OPEN:
            return False
        self.state = RoundState.GESLOTEN
        self.closed_at = now
        self.ends_at = None  # a closed round's timer stops, on the beamer and the phones
        return True

    def is_in_grace(self, now: datetime) -> bool:
        """Closed so recently that text typed before the close still counts (marked late).

        A voting round takes no text, so it has no grace.
        """
        return (
            self.state == RoundState.GESLOTEN
            and self.kind != RoundKind.VOTING
            and self.closed_at is not None
            and now - self.closed_at < timedelta(seconds=self.grace_seconds)
        )
