"""Log in and out, change one's password. Accounts come from a beheerder or
``flask create-user``; no sign-up.

The session cookie is signed, not stored: what ends a session is the account's session token
inside it (``User.get_id``), which logout, a password change, a reset link and deactivation
rotate. Logging in starts a new cookie from scratch (``start_session``): nothing an earlier
visitor of the browser planted or left in it survives, so there is no session to fix.

Failed log-ins are throttled per IP address and per e-mail address, known or not.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from ..forms import LoginForm, PasswordForm
from ..services import accounts
from ..services.errors import Invalid
from ..services.permissions import Policy
from .decorators import policy

bp = Blueprint("auth", __name__)
# What a browser keeps across log-in and logout: its language, which is no one's secret.
_KEPT = ("lang",)
# Failed log-ins (a 303 is a success and costs nothing): per IP address, and per e-mail
# address so that spreading guesses over many addresses does not help against one account.
LOGIN_PER_IP = "10 per minute;100 per hour"
LOGIN_PER_ACCOUNT = "5 per minute;20 per hour"


def _failed(response) -> bool:
    return response.status_code != 303


def _login_email_key() -> str:
    """The e-mail address tried, known or unknown (hashed: the limiter's store keeps keys)."""
    email = (request.form.get("email") or "").strip().lower()
    return "login-email:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _fresh_session() -> None:
    """Empty the cookie but for the language: nothing a previous user of this browser left
    in it (a participant's tokens, the CSRF secret, a login) carries over (a shared laptop)."""
    kept = {key: session[key] for key in _KEPT if key in session}
    session.clear()
    session.update(kept)


def start_session(user) -> None:
    """Log ``user`` in on a cookie of its own: emptied first, then holding the account's
    current session token."""
    _fresh_session()
    login_user(user)
    accounts.record_login(user)


def _safe_next(target: str | None) -> str:
    if (
        target
        and urlsplit(target).netloc == ""
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("facilitator.home")


@bp.route("/login", methods=["GET", "POST"])
@policy(Policy.PUBLIC)
@limiter.limit(LOGIN_PER_IP, methods=["POST"], deduct_when=_failed)
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], deduct_when=_failed, key_func=_login_email_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append(_("E-mailadres of wachtwoord klopt niet."))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 422


@bp.post("/logout")
@policy(Policy.ACCOUNT)
def logout():
    # CSRFProtect has already refused a forged logout. Ending the token logs out every copy
    # of this cookie too.
    accounts.log_out(current_user._get_current_object())
    logout_user()
    _fresh_session()
    flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("public.index"), code=303)


@bp.route("/wachtwoord", methods=["GET", "POST"])
@policy(Policy.ACCOUNT)
@limiter.limit("10/minute", methods=["POST"], deduct_when=_failed)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except Invalid as e:
            form[e.field or "password"].errors.append(e.message)
        else:
            login_user(user)  # this browser carries the new token; every other one is out
            flash(_("Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd."), "info")
            return redirect(url_for("facilitator.home"), code=303)
    status = 200 if request.method == "GET" else 422
    return render_template("auth/password.html", form=form), status
