"""Accounts: the beheerder's page (invite, reset links, switch accounts off and on) and the
page an account link opens (accept an invitation, or choose a new password).

There is no sign-up: an account starts from a beheerder's invitation.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..forms import InviteForm, NewPasswordForm
from ..services import account_links, accounts
from ..services.errors import Invalid
from ..services.mail import MailSettings
from ..services.permissions import Policy
from .auth import start_session
from .decorators import beheerder_required, policy
from .links import public_url

bp = Blueprint("accounts", __name__)


def _settings() -> account_links.LinkSettings:
    config = current_app.config
    return account_links.LinkSettings(
        secret_key=config["SECRET_KEY"],
        url=lambda token: public_url("accounts.link", token=token),
        mail=MailSettings.from_config(config),
        invitation_days=config["NOVIWERK_INVITATION_DAYS"],
    )


def _index(form: InviteForm, status: int = 200):
    return render_template(
        "accounts/index.html",
        form=form,
        users=accounts.list_accounts(),
        links=account_links.pending_links(),
        mail_configured=_settings().mail.is_configured,
    ), status


@bp.get("/f/accounts")
@beheerder_required
def index():
    return _index(InviteForm())


@bp.post("/f/accounts/uitnodigen")
@beheerder_required
def invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    try:
        issued = account_links.invite(current_user, form.email.data, form.role.data, _settings())
    except Invalid as e:
        form[e.field or "email"].errors.append(e.message)
        return _index(form, 422)
    _say_sent(issued)
    return redirect(url_for("accounts.issued", link_id=issued.link_id), code=303)


@bp.post("/f/accounts/<int:user_id>/wachtwoordlink")
@beheerder_required
def reset(user_id: int):
    issued = account_links.make_reset_link(current_user, user_id, _settings())
    _say_sent(issued)
    return redirect(url_for("accounts.issued", link_id=issued.link_id), code=303)


def _say_sent(issued: account_links.IssuedLink) -> None:
    if issued.mailed:
        flash(_("De link is gemaild. Je kunt hem hieronder ook kopiëren."), "info")
    elif issued.mailed is None:
        flash(_("Kopieer de link en stuur hem zelf door: er is geen mailserver ingesteld."), "info")
    else:
        flash(
            _("De e-mail kon niet worden verstuurd. Kopieer de link en stuur hem zelf door."),
            "error",
        )


@bp.get("/f/accounts/links/<int:link_id>")
@beheerder_required
def issued(link_id: int):
    link = account_links.pending_link(link_id)
    return render_template(
        "accounts/issued.html", link=link, url=account_links.link_url(link, _settings())
    )


@bp.post("/f/accounts/links/<int:link_id>/intrekken")
@beheerder_required
def revoke(link_id: int):
    link = account_links.revoke_link(current_user, link_id)
    flash(_("De link voor %(email)s is ingetrokken.", email=link.email), "info")
    return redirect(url_for("accounts.index"), code=303)


@bp.post("/f/accounts/<int:user_id>/uitzetten")
@beheerder_required
def deactivate(user_id: int):
    try:
        user = accounts.deactivate(current_user, user_id)
    except Invalid as e:
        flash(e.message, "error")
    else:
        flash(
            _("Het account van %(name)s staat uit; het is overal uitgelogd.", name=user.name),
            "info",
        )
    return redirect(url_for("accounts.index"), code=303)


@bp.post("/f/accounts/<int:user_id>/aanzetten")
@beheerder_required
def reactivate(user_id: int):
    user = accounts.reactivate(current_user, user_id)
    flash(_("Het account van %(name)s staat weer aan.", name=user.name), "info")
    return redirect(url_for("accounts.index"), code=303)


# --- the page an account link opens -----------------------------------------------------------


@bp.route("/account/<token>", methods=["GET", "POST"])
@policy(Policy.SHARED)  # the invitation or reset link is the key
@limiter.limit("60 per minute")
@limiter.limit("10 per minute", methods=["POST"], deduct_when=lambda r: r.status_code != 303)
def link(token: str):
    try:
        account_link = account_links.open_link(token)
    except account_links.LinkUnusable as e:
        return render_template("accounts/unusable.html", message=e.message), e.status
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = account_links.use_link(token, form.password.data, form.name.data or "")
        except account_links.LinkUnusable as e:
            return render_template("accounts/unusable.html", message=e.message), e.status
        except Invalid as e:
            form[e.field or "password"].errors.append(e.message)
        else:
            start_session(user)
            flash(_("Welkom, %(name)s. Je bent ingelogd.", name=user.name), "info")
            return redirect(url_for("facilitator.home"), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/link.html", form=form, link=account_link), status
