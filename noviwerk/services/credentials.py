"""What makes a password or an account link's token good enough; no writes, no actions
(those are ``accounts``')."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

from flask_babel import gettext as _
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

from ..models import User
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


# An account link's token is an HMAC of a random nonce under the app's secret key: the
# database keeps the nonce and a hash of the token, so a copy of it opens no account, while
# the server can show a beheerder the same link again.


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def link_token(secret_key: str, nonce: str) -> str:
    digest = hmac.new(secret_key.encode(), b"account-link:" + nonce.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def _nobodys_password_hash() -> str:
    nobody = User()  # hashed as an account's password is: same algorithm and cost
    nobody.set_password(secrets.token_urlsafe(16))
    return nobody.password_hash


def check_no_password(password: str) -> None:
    """Check ``password`` against an account that does not exist: the same hash work as for
    a real one (same algorithm and cost), so a wrong e-mail takes as long as a wrong password."""
    check_password_hash(_nobodys_password_hash(), password)
