"""User accounts: created by a beheerder or the ``flask create-user`` command, never self-registered."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from ..database import write_transaction
from ..domain import AuditAction, Role
from ..extensions import db
from ..models import User
from . import audit
from .errors import Invalid

# OWASP ASVS 5.0 (V6.2): at least 12 characters, at least 64 allowed, no composition rules,
# and no password that is common or breached. zxcvbn ships its lists (breached passwords,
# names, words) inside the package, so nothing is fetched at run time.
MIN_PASSWORD = 12
MAX_PASSWORD = 128
MIN_STRENGTH = 3  # zxcvbn's score 0-4; below 3 is guessable in an online or offline attack


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse a password ASVS calls weak; the account's own e-mail and name count as known."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_PASSWORD), "password"
        )
    if len(password) > MAX_PASSWORD:
        raise Invalid(
            _("Kies een wachtwoord van hoogstens %(n)d tekens.", n=MAX_PASSWORD), "password"
        )
    hints = [part for part in (email, email.partition("@")[0], name) if part]
    result = zxcvbn(password, user_inputs=hints, max_length=MAX_PASSWORD)
    if result["score"] < MIN_STRENGTH:
        raise Invalid(
            _(
                "Dit wachtwoord is te makkelijk te raden: het komt veel voor, staat op lijsten "
                "van gelekte wachtwoorden of lijkt op je naam of e-mailadres. Kies bijvoorbeeld "
                "een zin van een paar ongewone woorden."
            ),
            "password",
        )


@write_transaction
def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise Invalid(_("Vul een geldig e-mailadres in."), "email")
    check_password_rules(password, email=email, name=name.strip())
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Invalid(_("Er bestaat al een account met dit e-mailadres."), "email")
    user = User(email=email, name=name.strip() or email, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account these credentials open, or None; either way the attempt goes into the
    audit log (with the e-mail address typed, never the password)."""
    email = email.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or not user.is_active or not user.check_password(password):
        audit.record(
            AuditAction.LOGIN_FAILED,
            user=user,
            detail=email if user is None or user.is_active else f"{email} (uitgeschakeld)",
        )
        return None
    audit.record(AuditAction.LOGIN, user=user)
    return user


def user_for_session(session_id: str) -> User | None:
    """The account a login cookie names, if its session was not ended since (Flask-Login)."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None  # a cookie from before session tokens: logged out
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


@write_transaction
def end_sessions(user: User) -> None:
    """Log the account out everywhere: every cookie holding the old token stops working."""
    user.end_sessions()


@write_transaction
def log_out(user: User) -> None:
    """End every session of the account (``end_sessions``), noted in the audit log."""
    user.end_sessions()
    audit.record(AuditAction.LOGOUT, user=user)


@write_transaction
def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; every other session ends."""
    if not user.check_password(current):
        raise Invalid(_("Je huidige wachtwoord klopt niet."), "current_password")
    if new == current:
        raise Invalid(_("Kies een ander wachtwoord dan je huidige."), "password")
    check_password_rules(new, email=user.email, name=user.name)
    user.set_password(new)
    user.end_sessions()
    audit.record(AuditAction.PASSWORD_CHANGED, user=user)


def staff_candidates() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name)))
