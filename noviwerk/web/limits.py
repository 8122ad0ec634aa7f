"""Rate limits of the phone, shaped for a venue where every phone shares one IP address.

A flood from one phone is slowed per participant (``participant_key``), never per IP.

Wrong join codes are limited per IP without locking the right code out. A code is 8
characters from an alphabet of 25 (``domain.JOIN_CODE_ALPHABET``): 25**8 ≈ 1.5 · 10**11
codes. An IP may type ``NOVIWERK_WRONG_CODES`` wrong codes (300 per 10 minutes: a venue of
hundreds where many mistype still fits); an unknown code in ``/w/<code>…`` counts the same.
A right code never counts and is never refused for them. Once they are spent the IP is
guessing: its wrong codes get 429, and every code check of a phone that has not joined,
right or wrong, counts against ``NOVIWERK_CODE_CHECKS_WHILE_GUESSING`` (60 per minute,
room for a venue's latecomers) — otherwise the right code's answer would be an unlimited
oracle for whoever guesses. So one IP checks at most about 900 codes per 10 minutes,
130,000 a day; with 10 werkplaatsen open at once, one hit takes 1.5 · 10**10 checks on
average: some 300 years per IP.
"""

from __future__ import annotations

import math
import time

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import HTTPException, TooManyRequests

from ..domain import normalise_join_code
from ..extensions import limiter

# Per participant. A person thinks longer than 10 seconds per contribution; a phone's outbox
# that re-sends after a bad connection is told to wait (429) and sends the rest later. A
# post the server failed (5xx) is not charged: its re-sends are the outbox doing its job.
POST_LIMIT = "6 per 10 seconds;30 per minute"


def charged(response) -> bool:
    return response.status_code < 500
# +1s and dots count once per participant anyway; this slows taps that toggle them.
SUPPORT_LIMIT = "20 per 10 seconds;60 per minute"
EDIT_LIMIT = "30 per minute"
_LAST_WRONG = "foute_code"  # session: the wrong code this browser tried last


def participant_key() -> str:
    """Rate-limit key: the phone's participant, not its IP (a venue shares one IP)."""
    participant = g.get("participant")
    return f"p:{participant.id}" if participant is not None else f"ip:{request.remote_addr}"


def wait_text(seconds: int) -> str:
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(num)d minuut", "%(num)d minuten", minutes)
    return ngettext("%(num)d seconde", "%(num)d seconden", seconds)


class TooManyCodeAttempts(TooManyRequests):
    """429 for join codes, with the seconds to wait and a Dutch sentence saying why."""

    def __init__(self, retry_after: int, *, wrong: bool) -> None:
        wait = wait_text(retry_after)
        if wrong:
            message = _(
                "Deze code klopt niet, en vanaf dit netwerk zijn net heel veel verkeerde codes "
                "geprobeerd. Controleer de code op het scherm: de juiste code werkt gewoon. "
                "Een andere code proberen kan weer over %(wait)s.",
                wait=wait,
            )
        else:
            message = _(
                "Even wachten: vanaf dit netwerk worden heel veel codes geprobeerd. Probeer "
                "het over %(wait)s opnieuw.",
                wait=wait,
            )
        super().__init__(description=message, retry_after=retry_after)


def count_code_attempt(code: str, found: bool) -> None:
    """Count one code check by a phone that has not joined (the typed code, or ``/w/<code>``
    without a participant there); raise TooManyCodeAttempts when it must wait.

    The same wrong code again from the same browser is no new guess: after "Nieuwe code
    maken" every phone's poll asks for the old code every few seconds, which must not spend
    the venue's budget in a minute."""
    if not limiter.enabled:
        return
    if not found:
        code = normalise_join_code(code)[:16]
        if session.get(_LAST_WRONG) == code:
            return
        session[_LAST_WRONG] = code
    ip = get_remote_address()
    wrong = parse_many(current_app.config["NOVIWERK_WRONG_CODES"])
    if not all(limiter.limiter.test(item, "wrong-code", ip) for item in wrong):
        checks = parse_many(current_app.config["NOVIWERK_CODE_CHECKS_WHILE_GUESSING"])
        wait = _hit(checks, "code-check", ip)
        if wait:
            raise TooManyCodeAttempts(wait, wrong=False)
    if not found:
        wait = _hit(wrong, "wrong-code", ip)
        if wait:
            raise TooManyCodeAttempts(wait, wrong=True)


def _hit(items, scope: str, key: str) -> int:
    """Count one attempt against every limit; 0 if all allow it, else seconds to wait."""
    for item in items:
        if not limiter.limiter.hit(item, scope, key):
            reset, _left = limiter.limiter.get_window_stats(item, scope, key)
            return max(1, math.ceil(reset - time.time()))
    return 0


def retry_after(e: HTTPException) -> int:
    """Seconds a 429 asks to wait: our own, else flask-limiter's limit that was hit."""
    seconds = getattr(e, "retry_after", None)
    if isinstance(seconds, int) and seconds > 0:
        return seconds
    current = limiter.current_limit
    if current is not None:
        return max(1, math.ceil(current.reset_at - time.time()))
    return 60
