"""Log in and out, change one's password. Accounts come from a beheerder or
``flask create-user``; no sign-up.

The session cookie is signed, not stored: what ends a session is the account's session token
inside it (``User.get_id``), which logout and a password change rotate.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..forms import LoginForm, PasswordForm
from ..services import accounts
from ..services.errors import Invalid

bp = Blueprint("auth", __name__)
# What a browser keeps across log-in and logout: its language, which is no one's secret.
_KEPT = ("lang",)


def _fresh_session() -> None:
    """Empty the cookie but for the language: nothing a previous user of this browser left
    in it (a participant's tokens, the CSRF secret, a login) carries over (a shared laptop)."""
    kept = {key: session[key] for key in _KEPT if key in session}
    session.clear()
    session.update(kept)


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
@limiter.limit("10/minute", methods=["POST"], deduct_when=lambda r: r.status_code != 303)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _fresh_session()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append(_("E-mailadres of wachtwoord klopt niet."))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 422


@bp.post("/logout")
@login_required
def logout():
    # CSRFProtect has already refused a forged logout. Ending the token logs out every copy
    # of this cookie too.
    accounts.log_out(current_user._get_current_object())
    logout_user()
    _fresh_session()
    flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("public.index"), code=303)


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
@limiter.limit("10/minute", methods=["POST"], deduct_when=lambda r: r.status_code != 303)
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
