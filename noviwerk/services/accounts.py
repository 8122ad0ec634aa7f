"""User accounts: created by a beheerder or the ``flask create-user`` command, never self-registered."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import Role
from ..extensions import db
from ..models import User
from .errors import Invalid

MIN_PASSWORD = 10


@write_transaction
def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise Invalid(_("Vul een geldig e-mailadres in."), "email")
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_PASSWORD), "password"
        )
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Invalid(_("Er bestaat al een account met dit e-mailadres."), "email")
    user = User(email=email, name=name.strip() or email, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def staff_candidates() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name)))
