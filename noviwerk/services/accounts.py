"""User accounts: every action on an account, in one place.

Accounts come from a beheerder's invitation (or the ``flask create-user`` command), never
from open registration. A beheerder hands out *account links* (``AccountLink``): an
invitation to make an account, or a link to choose a new password. Each works once, until
it expires; only a hash of its token is stored.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import AuditAction, Role
from ..extensions import db
from ..models import AccountLink, User, utcnow
from . import audit, permissions
from .credentials import check_no_password, check_password_rules
from .errors import Forbidden, Invalid, NotFound

RESET_VALID = timedelta(days=2)


# --- log in and out ---------------------------------------------------------------------------


def normal_email(email: str) -> str:
    return (email or "").strip().lower()


@write_transaction
def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    email = normal_email(email)
    check_email(email)
    check_password_rules(password, email=email, name=name.strip())
    if account_by_email(email):
        raise Invalid(_("Er bestaat al een account met dit e-mailadres."), "email")
    user = User(email=email, name=name.strip() or email, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def check_email(email: str) -> None:
    local, at, domain = email.partition("@")
    if not (local and at and domain) or len(email) > 254 or any(c.isspace() for c in email):
        raise Invalid(_("Vul een geldig e-mailadres in."), "email")


def account_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    """The account if e-mail and password match and it is active, else None. An unknown
    e-mail costs the same password-hash work as a known one, so the time taken tells
    nothing; either way the attempt goes into the audit log (the e-mail typed, never the
    password)."""
    email = normal_email(email)
    user = account_by_email(email)
    if user is None:
        check_no_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        audit.record(
            AuditAction.LOGIN_FAILED,
            user=user,
            detail=email if user is None or user.is_active else f"{email} (uitgeschakeld)",
        )
        return None
    audit.record(AuditAction.LOGIN, user=user)
    return user


def record_login(user: User) -> None:
    """Note when the account last logged in (shown on the beheerder's Accounts page)."""
    _stamp_login(user.id)


@write_transaction
def _stamp_login(user_id: int) -> None:
    db.session.get(User, user_id).last_login_at = utcnow()


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


# --- the beheerder's Accounts page ------------------------------------------------------------


def require_beheerder(by: User) -> None:
    if not permissions.is_beheerder(by):
        raise Forbidden(_("Alleen een beheerder beheert accounts."))


def list_accounts() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name, User.email)))


def account_of(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Dit account bestaat niet (meer)."))
    return user


@write_transaction
def deactivate(by: User, user_id: int) -> User:
    """Switch an account off: it cannot log in, and every session of it ends at once."""
    require_beheerder(by)
    if user_id == by.id:
        raise Invalid(_("Je kunt je eigen account niet uitzetten."))
    user = account_of(user_id)
    user.is_active_account = False
    user.end_sessions()
    revoke_pending(AccountLink.user_id == user.id)
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="uitgezet", user=by)
    return user


@write_transaction
def reactivate(by: User, user_id: int) -> User:
    """Switch an account on again; it logs in afresh (its old sessions stay ended)."""
    require_beheerder(by)
    user = account_of(user_id)
    user.is_active_account = True
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="aangezet", user=by)
    return user

def revoke_pending(*where) -> None:
    now = utcnow()
    for link in db.session.scalars(sa.select(AccountLink).where(*where)):
        if link.is_pending(now):
            link.revoked_at = now
