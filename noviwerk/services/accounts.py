"""User accounts: every action on an account, in one place.

Accounts come from a beheerder's invitation (or the ``flask create-user`` command), never
from open registration. A beheerder hands out *account links* (``AccountLink``): an
invitation to make an account, or a link to choose a new password. Each works once, until
it expires; only a hash of its token is stored.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import AuditAction, LinkPurpose, Role
from ..extensions import db
from ..models import AccountLink, User, utcnow
from ..models.core import check_no_password
from . import audit, mail
from .credentials import check_password_rules, link_token, new_nonce, token_hash
from .errors import Forbidden, Invalid, NotFound, ServiceError

RESET_VALID = timedelta(days=2)


# --- log in and out ---------------------------------------------------------------------------


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


@write_transaction
def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    email = _normal_email(email)
    _check_email(email)
    check_password_rules(password, email=email, name=name.strip())
    if _account_by_email(email):
        raise Invalid(_("Er bestaat al een account met dit e-mailadres."), "email")
    user = User(email=email, name=name.strip() or email, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _check_email(email: str) -> None:
    local, at, domain = email.partition("@")
    if not (local and at and domain) or len(email) > 254 or any(c.isspace() for c in email):
        raise Invalid(_("Vul een geldig e-mailadres in."), "email")


def _account_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    """The account if e-mail and password match and it is active, else None. An unknown
    e-mail costs the same password-hash work as a known one, so the time taken tells
    nothing; either way the attempt goes into the audit log (the e-mail typed, never the
    password)."""
    email = _normal_email(email)
    user = _account_by_email(email)
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


# --- the beheerder's Accounts page ------------------------------------------------------------


def _require_beheerder(by: User) -> None:
    if not (by is not None and by.is_authenticated and by.is_beheerder):
        raise Forbidden(_("Alleen een beheerder beheert accounts."))


def list_accounts() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name, User.email)))


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Dit account bestaat niet (meer)."))
    return user


@write_transaction
def deactivate(by: User, user_id: int) -> User:
    """Switch an account off: it cannot log in, and every session of it ends at once."""
    _require_beheerder(by)
    if user_id == by.id:
        raise Invalid(_("Je kunt je eigen account niet uitzetten."))
    user = _account(user_id)
    user.is_active_account = False
    user.end_sessions()
    _revoke_pending(AccountLink.user_id == user.id)
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="uitgezet", user=by)
    return user


@write_transaction
def reactivate(by: User, user_id: int) -> User:
    """Switch an account on again; it logs in afresh (its old sessions stay ended)."""
    _require_beheerder(by)
    user = _account(user_id)
    user.is_active_account = True
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="aangezet", user=by)
    return user


# --- account links: invitations and password resets -------------------------------------------


@dataclass(frozen=True)
class LinkSettings:
    """What making a link needs from the app: the secret its tokens derive from, the
    address of the link page for a token, and how to mail (not at all, if unconfigured)."""

    secret_key: str
    url: Callable[[str], str]
    mail: mail.MailSettings = mail.MailSettings()
    invitation_days: int = 7


@dataclass(frozen=True)
class IssuedLink:
    link_id: int
    url: str
    mailed: bool | None  # None: no mail server configured, the beheerder passes it on


class LinkUnusable(ServiceError):
    """A link that opens nothing: unknown, used, expired or revoked; the message says which."""

    status = 410


class LinkUnknown(LinkUnusable):
    status = 404


def pending_links() -> list[AccountLink]:
    now = utcnow()
    query = (
        sa.select(AccountLink)
        .where(AccountLink.used_at.is_(None), AccountLink.revoked_at.is_(None))
        .where(AccountLink.expires_at > now)
        .order_by(AccountLink.created_at.desc(), AccountLink.id.desc())
    )
    return list(db.session.scalars(query))


def pending_link(link_id: int) -> AccountLink:
    link = db.session.get(AccountLink, link_id)
    if link is None or not link.is_pending(utcnow()):
        raise NotFound(_("Deze link is al gebruikt, verlopen of ingetrokken."))
    return link


def link_url(link: AccountLink, settings: LinkSettings) -> str | None:
    """The link to copy again; None when the secret key changed since it was made."""
    token = link_token(settings.secret_key, link.nonce)
    return settings.url(token) if hmac.compare_digest(token_hash(token), link.token_hash) else None


def _revoke_pending(*where) -> None:
    now = utcnow()
    for link in db.session.scalars(sa.select(AccountLink).where(*where)):
        if link.is_pending(now):
            link.revoked_at = now


def _new_link(settings, by: User, purpose: LinkPurpose, email: str, valid: timedelta, **kw):
    nonce = new_nonce()
    link = AccountLink(
        purpose=purpose,
        email=email,
        created_by_id=by.id,
        nonce=nonce,
        token_hash=token_hash(link_token(settings.secret_key, nonce)),
        expires_at=utcnow() + valid,
        **kw,
    )
    db.session.add(link)
    db.session.flush()
    return link


def invite(by: User, email: str, role: Role | str, settings: LinkSettings) -> IssuedLink:
    """Invite ``email`` to make an account with ``role``; mailed where mail is configured.
    An earlier invitation to the same address stops working."""
    link = _invite(by, email, role, settings)
    url = link_url(link, settings)
    return IssuedLink(link.id, url, _mail_link(link, url, settings, by))


@write_transaction
def _invite(by: User, email: str, role: Role | str, settings: LinkSettings) -> AccountLink:
    _require_beheerder(by)
    email = _normal_email(email)
    _check_email(email)
    if _account_by_email(email):
        raise Invalid(
            _(
                "Er bestaat al een account met dit e-mailadres. Is het wachtwoord kwijt? "
                "Maak dan bij dat account een link voor een nieuw wachtwoord."
            ),
            "email",
        )
    _revoke_pending(AccountLink.purpose == LinkPurpose.INVITE, AccountLink.email == email)
    valid = timedelta(days=settings.invitation_days)
    audit.record(AuditAction.INVITATION_SENT, detail=f"{email} ({Role(role).value})", user=by)
    return _new_link(settings, by, LinkPurpose.INVITE, email, valid, role=Role(role))


def make_reset_link(by: User, user_id: int, settings: LinkSettings) -> IssuedLink:
    """A link for the account to choose a new password. Every session of the account ends
    at once; earlier reset links stop working. The old password works until the new one
    is set (to shut someone out, deactivate the account)."""
    link = _reset(by, user_id, settings)
    url = link_url(link, settings)
    return IssuedLink(link.id, url, _mail_link(link, url, settings, by))


@write_transaction
def _reset(by: User, user_id: int, settings: LinkSettings) -> AccountLink:
    _require_beheerder(by)
    user = _account(user_id)
    if not user.is_active:
        raise Invalid(_("Dit account staat uit. Zet het eerst weer aan."))
    user.end_sessions()
    _revoke_pending(AccountLink.purpose == LinkPurpose.RESET, AccountLink.user_id == user.id)
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="link voor nieuw wachtwoord", user=by)
    return _new_link(settings, by, LinkPurpose.RESET, user.email, RESET_VALID, user_id=user.id)


@write_transaction
def revoke_link(by: User, link_id: int) -> AccountLink:
    _require_beheerder(by)
    link = pending_link(link_id)
    link.revoked_at = utcnow()
    return link


def _mail_link(link: AccountLink, url: str, settings: LinkSettings, by: User) -> bool | None:
    if not settings.mail.is_configured:
        return None
    until = format_datetime(link.expires_at, "d MMMM y, HH:mm")
    if link.purpose == LinkPurpose.INVITE:
        subject = _("Uitnodiging voor noviwerk")
        body = _(
            "Hallo,\n\n%(name)s nodigt je uit voor een account op noviwerk, het hulpmiddel "
            "voor werkplaatsen. Open deze link om je naam en een eigen wachtwoord te kiezen:\n\n"
            "%(url)s\n\nDe link werkt één keer en is geldig tot %(until)s. Verwachtte je deze "
            "uitnodiging niet? Dan kun je deze e-mail negeren.\n",
            name=by.name,
            url=url,
            until=until,
        )
    else:
        subject = _("Nieuw wachtwoord voor noviwerk")
        body = _(
            "Hallo,\n\nEen beheerder van noviwerk heeft een link voor je gemaakt waarmee je een "
            "nieuw wachtwoord kiest:\n\n%(url)s\n\nDe link werkt één keer en is geldig tot "
            "%(until)s. Op al je apparaten ben je uitgelogd.\n",
            url=url,
            until=until,
        )
    return mail.send(settings.mail, link.email, subject, body)


def open_link(token: str) -> AccountLink:
    """The link a token opens, or ``LinkUnusable`` saying in plain Dutch why not."""
    link = db.session.scalar(
        sa.select(AccountLink).where(AccountLink.token_hash == token_hash(token or ""))
    )
    if link is None:
        raise LinkUnknown(
            _(
                "Deze link klopt niet. Controleer of je de hele link hebt overgenomen, "
                "of vraag de beheerder om een nieuwe."
            )
        )
    if link.used_at is not None:
        raise LinkUnusable(
            _(
                "Deze link is al gebruikt. Log in met je e-mailadres en wachtwoord, "
                "of vraag de beheerder om een nieuwe link."
            )
        )
    if link.revoked_at is not None:
        raise LinkUnusable(_("Deze link is ingetrokken. Vraag de beheerder om een nieuwe link."))
    if utcnow() >= link.expires_at:
        raise LinkUnusable(
            _(
                "Deze link is verlopen (hij was geldig tot %(until)s). "
                "Vraag de beheerder om een nieuwe link.",
                until=format_datetime(link.expires_at, "d MMMM y, HH:mm"),
            )
        )
    return link


def use_link(token: str, password: str, name: str = "") -> User:
    """Accept an invitation (a new account with ``name``) or set a reset link's new password;
    the caller logs the returned account in."""
    link = open_link(token)
    email = link.email
    if link.purpose == LinkPurpose.INVITE:
        name = name.strip()
        if not name:
            raise Invalid(_("Vul je naam in."), "name")
        check_password_rules(password, email=email, name=name)
    else:
        check_password_rules(password, email=email, name=link.user.name)
    return _use_link(link.id, token, password, name)


@write_transaction
def _use_link(link_id: int, token: str, password: str, name: str) -> User:
    link = open_link(token)  # again, inside the write: a link is used once, even by two tabs
    if link.id != link_id:
        raise LinkUnusable(_("Deze link is al gebruikt."))
    if link.purpose == LinkPurpose.INVITE:
        if _account_by_email(link.email):
            raise LinkUnusable(_("Er bestaat al een account met dit e-mailadres. Log daarmee in."))
        user = User(email=link.email, name=name, role=link.role or Role.FACILITATOR)
        db.session.add(user)
        link.user = user
    else:
        user = link.user
        if not user.is_active:
            raise LinkUnusable(_("Dit account staat uit. Vraag de beheerder om het aan te zetten."))
        user.end_sessions()
    user.set_password(password)
    link.used_at = utcnow()
    db.session.flush()
    if link.purpose == LinkPurpose.INVITE:
        audit.record(AuditAction.ACCOUNT_CREATED, user, detail=user.role.value, user=user)
    else:
        audit.record(AuditAction.PASSWORD_CHANGED, user, detail="via link", user=user)
    return user
