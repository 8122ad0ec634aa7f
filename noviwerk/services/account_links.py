"""Account links: invitations and password resets a beheerder hands out.

A link is valid once and for a while (7 days for an invitation, 2 for a new password); only
a hash of its token is stored, and the token is an HMAC of a stored nonce under the secret
key, so the beheerder can copy it again while a copy of the database opens nothing. Mailed
where SMTP is configured (``mail``).
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
from . import audit, mail
from .accounts import (
    RESET_VALID,
    account_by_email,
    account_of,
    check_email,
    normal_email,
    require_beheerder,
    revoke_pending,
)
from .credentials import check_password_rules, link_token, new_nonce, token_hash
from .errors import Invalid, NotFound, ServiceError


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
    require_beheerder(by)
    email = normal_email(email)
    check_email(email)
    if account_by_email(email):
        raise Invalid(
            _(
                "Er bestaat al een account met dit e-mailadres. Is het wachtwoord kwijt? "
                "Maak dan bij dat account een link voor een nieuw wachtwoord."
            ),
            "email",
        )
    revoke_pending(AccountLink.purpose == LinkPurpose.INVITE, AccountLink.email == email)
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
    require_beheerder(by)
    user = account_of(user_id)
    if not user.is_active:
        raise Invalid(_("Dit account staat uit. Zet het eerst weer aan."))
    user.end_sessions()
    revoke_pending(AccountLink.purpose == LinkPurpose.RESET, AccountLink.user_id == user.id)
    audit.record(AuditAction.ACCOUNT_CHANGED, user, detail="link voor nieuw wachtwoord", user=by)
    return _new_link(settings, by, LinkPurpose.RESET, user.email, RESET_VALID, user_id=user.id)


@write_transaction
def revoke_link(by: User, link_id: int) -> AccountLink:
    require_beheerder(by)
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
        if account_by_email(link.email):
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
