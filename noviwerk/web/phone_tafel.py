"""The phone's tafel: which one it sits at, and a move to another (the tafel's QR code on a
phone that joined already comes here with that tafel chosen). Posts made before stay with
the tafel they were posted at."""

from __future__ import annotations

from flask import flash, g, render_template, request, url_for
from flask_babel import gettext as _

from ..services import tafels
from ..services.errors import Invalid
from .htmx import redirect_after_post
from .participant import bp, participant_required, with_werkplaats


@bp.route("/w/<code>/tafel", methods=["GET", "POST"])
@with_werkplaats
@participant_required
def tafel(code: str):
    error = None
    chosen = request.form.get("tafel", request.args.get("kies", ""))
    if request.method == "POST":
        try:
            tafels.seat(g.participant, chosen)
        except Invalid as e:
            error = e.message
        else:
            now = tafels.get_tafel(g.werkplaats, g.participant.tafel_id) if g.participant.tafel_id else None
            if now is not None:
                flash(_("Je zit nu aan %(t)s.", t=now.name), "success")
            return redirect_after_post(url_for(".phone", code=code))
    current = (
        tafels.get_tafel(g.werkplaats, g.participant.tafel_id) if g.participant.tafel_id else None
    )
    return render_template(
        "participant/tafel.html", werkplaats=g.werkplaats, current=current,
        tafels=tafels.tafels_of(g.werkplaats, only_open=True),
        chosen=chosen or (str(current.id) if current else ""), error=error,
    ), (422 if error else 200)  # fmt: skip
