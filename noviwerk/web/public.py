"""Pages for everyone: the start page with the join form."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..domain import DEFAULT_RETENTION_MONTHS
from ..forms import JoinForm
from ..services import audit
from ..services.permissions import Policy
from .decorators import policy

bp = Blueprint("public", __name__)


@bp.get("/")
@policy(Policy.PUBLIC)
def index():
    return render_template("public/index.html", form=JoinForm())


@bp.get("/toegankelijkheid")
@policy(Policy.PUBLIC)
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/privacy")
@policy(Policy.PUBLIC)
def privacy():
    """The privacyverklaring: what is kept of participants, why, how long, who sees it."""
    return render_template(
        "public/privacy.html",
        default_months=DEFAULT_RETENTION_MONTHS,
        cookie_days=current_app.permanent_session_lifetime.days,
        ip_days=audit.IP_RETENTION_DAYS,
    )


@bp.get("/healthz")
@policy(Policy.PUBLIC)
def healthz():
    from ..extensions import db

    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
