"""Sending one plain-text e-mail over SMTP, with settings passed in (``MailSettings``)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from ..serving import waiting

log = logging.getLogger(__name__)
SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""
    security: str = "starttls"  # starttls, ssl (SMTPS) or none (a relay on localhost)
    timeout: float = 15.0

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings:
        """From an app's NOVIWERK_SMTP_* settings (``config.py``)."""
        security = str(config.get("NOVIWERK_SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY:
            raise ValueError(f"NOVIWERK_SMTP_SECURITY must be one of {SECURITY}: {security!r}")
        return cls(
            host=config.get("NOVIWERK_SMTP_HOST") or "",
            port=int(config.get("NOVIWERK_SMTP_PORT") or 587),
            user=config.get("NOVIWERK_SMTP_USER") or "",
            password=config.get("NOVIWERK_SMTP_PASSWORD") or "",
            sender=config.get("NOVIWERK_SMTP_FROM") or "",
            security=security,
        )

    @property
    def is_configured(self) -> bool:
        return bool(self.host and self.sender)


def send(settings: MailSettings, to: str, subject: str, body: str) -> bool:
    """Send ``body`` to ``to``; False (and a warning in the log) if the server refused or
    could not be reached, so the caller can tell the user to pass the link on by hand."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    try:
        with waiting():  # for the mail server's answers: other requests may run meanwhile
            _deliver(settings, message)
    except (smtplib.SMTPException, OSError):
        log.warning("could not send mail via %s", settings.host, exc_info=True)
        return False
    return True


def _deliver(settings: MailSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(message)
