"""Pages for everyone: the start page with the join form."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..forms import JoinForm
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


@bp.get("/healthz")
@policy(Policy.PUBLIC)
def healthz():
    from ..extensions import db

    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
