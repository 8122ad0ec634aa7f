"""Participants' data under the AVG: "Mijn gegevens" on the phone (see, download, delete),
and a beheerder's page to do the same for a participant who asks.

Deleting takes a confirm step on its own page; the POST itself also wants the confirmation
(``bevestigd``), so no stray form or old page deletes anything.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, g, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import AuditAction
from ..services import avg
from ..services.errors import Invalid
from ..services.permissions import Policy
from ..services.werkplaatsen import get_werkplaats
from .decorators import policy
from .files import file_response, recorded_download
from .htmx import redirect_after_post
from .participant import SESSION_KEY, participant_required, with_werkplaats

bp = Blueprint("avg", __name__)
FORMATS = ("json", "csv")


def _confirmed() -> bool:
    return request.form.get("bevestigd") == "1"


# --- the participant's own ---------------------------------------------------------------


@bp.get("/w/<code>/mijn-gegevens")
@with_werkplaats
@participant_required
def mine(code: str):
    return render_template(
        "avg/mijn_gegevens.html",
        werkplaats=g.werkplaats,
        data=avg.my_data(g.participant),
        retention_end=avg.retention_end(g.werkplaats),
    )


@bp.get("/w/<code>/mijn-gegevens.<fmt>")
@with_werkplaats
@participant_required
def download_mine(code: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return file_response(*avg.my_data_file(g.participant, fmt))


@bp.route("/w/<code>/mijn-gegevens/verwijderen", methods=["GET", "POST"])
@with_werkplaats
@participant_required
def forget_mine(code: str):
    if request.method == "POST":
        if not _confirmed():
            raise Invalid(_("Bevestig eerst dat je je gegevens wilt verwijderen."))
        token = g.participant.token
        count = avg.forget_participant(g.participant)
        # The phone forgets the werkplaats too: its token leads nowhere any more.
        tokens = session.get(SESSION_KEY)
        if isinstance(tokens, dict):
            session[SESSION_KEY] = {k: v for k, v in tokens.items() if v != token}
        flash(
            _(
                "Je gegevens zijn verwijderd en %(n)d bijdragen ingetrokken.",
                n=count,
            ),
            "success",
        )
        return redirect_after_post(url_for("public.index"))
    return render_template(
        "avg/verwijderen.html",
        werkplaats=g.werkplaats,
        data=avg.my_data(g.participant),
        cancel=url_for(".mine", code=code),
        action=url_for(".forget_mine", code=code),
    )


# --- a beheerder, on a participant's request ---------------------------------------------


def beheerder_only(view):
    """A beheerder, on request of a participant: loads ``wid`` into ``g.werkplaats``."""

    @wraps(view)
    def wrapper(wid: int, **kwargs):
        g.werkplaats = get_werkplaats(wid)
        return view(wid=wid, **kwargs)

    return policy(Policy.BEHEERDER)(wrapper)


@bp.get("/f/werkplaatsen/<int:wid>/deelnemers")
@beheerder_only
def participants(wid: int):
    name = request.args.get("naam", "")[:80]
    return render_template(
        "avg/deelnemers.html",
        werkplaats=g.werkplaats,
        name=name,
        rows=avg.participants(g.werkplaats, name),
        retention_end=avg.retention_end(g.werkplaats),
    )


@bp.get("/f/werkplaatsen/<int:wid>/deelnemers/<int:pid>.<fmt>")
@beheerder_only
def download_participant(wid: int, pid: int, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    body = avg.my_data_file(avg.participant_of(g.werkplaats, pid), fmt)
    return recorded_download(AuditAction.PARTICIPANT_DATA_DOWNLOAD, g.werkplaats, *body)


@bp.route("/f/werkplaatsen/<int:wid>/deelnemers/<int:pid>/verwijderen", methods=["GET", "POST"])
@beheerder_only
def forget_participant(wid: int, pid: int):
    participant = avg.participant_of(g.werkplaats, pid)
    if request.method == "POST":
        if not _confirmed():
            raise Invalid(
                _("Bevestig eerst dat je de gegevens van deze deelnemer wilt verwijderen.")
            )
        count = avg.forget_participant(participant, by=current_user)
        flash(
            _(
                "De gegevens van de deelnemer zijn verwijderd en %(n)d bijdragen ingetrokken.",
                n=count,
            ),
            "success",
        )
        return redirect_after_post(url_for(".participants", wid=wid))
    return render_template(
        "avg/verwijderen.html",
        werkplaats=g.werkplaats,
        data=avg.my_data(participant),
        cancel=url_for(".participants", wid=wid),
        action=url_for(".forget_participant", wid=wid, pid=pid),
        by_beheerder=True,
    )
