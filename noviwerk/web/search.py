"""Search a programme's contributions and bouwstenen, and the page its results link to: every
visible contribution of a werkplaats, numbered as in the bijlage."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask_login import current_user

from ..domain import Label, Veld
from ..services import contributions
from ..services import search as svc
from .decorators import programme_access, werkplaats_access

bp = Blueprint("search", __name__, url_prefix="/f")


@bp.get("/programmas/<int:pid>/zoeken")
@programme_access(manage=False)
def search(pid: int):
    """The programme's members search it; what they find is only what they may open."""
    programme = g.programme
    werkplaatsen = svc.viewable(programme, current_user)
    f = svc.parse_filter(request.args, programme, werkplaatsen)
    return render_template(
        "search/search.html",
        programme=programme,
        werkplaatsen=werkplaatsen,
        f=f,
        result=svc.search(programme, current_user, f),
        labels=list(Label),
        velden=list(Veld),
    )


@bp.get("/werkplaatsen/<int:wid>/bijdragen")
@werkplaats_access(control=False)
def bijdragen(wid: int):
    return render_template(
        "search/bijdragen.html",
        werkplaats=g.werkplaats,
        records=contributions.contribution_records(g.werkplaats),
    )


@bp.app_template_global()
def search_url(pid: int, f: svc.SearchFilter, **changes) -> str:
    """The search page asking for ``f`` again (changed by ``changes``)."""
    return url_for("search.search", pid=pid, **f.query(**changes))
