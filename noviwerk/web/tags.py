"""Tags from the NOVI's tag set: on a contribution (the regie's "Meer"), and the oogst's
count of contributions, werkplaatsen and rode draden per nationaal belang and prioriteit,
with the tagged contributions of one tag. (A rode draad's tags: web/bouwsteen_draden.py.)"""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import tags as svc
from ..tags import TAG_BY_KEY, TAGS, TagKind
from .decorators import programme_access, werkplaats_access
from .htmx import is_htmx, redirect_after_post, retarget, trigger

bp = Blueprint("tags", __name__, url_prefix="/f")


@bp.app_template_global()
def novi_tags(kind: str | None = None):
    """The tag set (of one ``kind``), for the forms."""
    return [t for t in TAGS if kind is None or t.kind == kind]


@bp.app_template_global()
def contribution_tags(contribution_id: int) -> tuple[str, ...]:
    return svc.tags_of([contribution_id]).get(contribution_id, ())


@bp.post("/werkplaatsen/<int:wid>/bijdragen/<int:cid>/tags")
@werkplaats_access(control=True)
def contribution(wid: int, cid: int):
    keys = svc.set_contribution_tags(g.werkplaats, cid, request.form.getlist("tag"), current_user)
    if keys:
        message = _("Tags van bijdrage #%(n)d opgeslagen (%(k)d).", n=cid, k=len(keys))
    else:
        message = _("Bijdrage #%(n)d heeft geen tags meer.", n=cid)
    if is_htmx():  # as the regie's own actions: the message in the page's status region
        response = make_response(render_template("regie/_done.html", message=message))
        return trigger(retarget(response, "#flash", "innerHTML"), "regie-refresh")
    flash(message, "success")
    back = url_for("regie.view", wid=wid, ronde=request.form.get("ronde", type=int))
    return redirect_after_post(f"{back}#m-{cid}")


@bp.get("/programmas/<int:pid>/oogst/belangen")
@programme_access(manage=False)
def oogst(pid: int):
    key = request.args.get("tag", "").strip()
    chosen = TAG_BY_KEY.get(key)
    notice = _("Deze tag bestaat niet; alle tags staan hieronder.") if key and not chosen else ""
    return render_template(
        "tags/oogst.html",
        programme=g.programme,
        counts=svc.counts(g.programme),
        chosen=chosen,
        tagged=svc.tagged(g.programme, chosen.key, current_user) if chosen else [],
        notice=notice,
        kinds=list(TagKind),
    )
