"""Pages for everyone: the start page with the join form."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..forms import JoinForm

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", form=JoinForm())


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/healthz")
def healthz():
    from ..extensions import db

    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
