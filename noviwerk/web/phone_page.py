"""What the phone page shows: the open round (or the one still taking late text), the form,
one's own contributions, and others' to +1 or vote on. Shared by the phone's views."""

from __future__ import annotations

import uuid

from flask import current_app, g, make_response, render_template, request
from flask_babel import gettext as _

from ..domain import Label, RoundKind
from ..forms import ContributionForm
from ..services import participation, rounds, voting
from . import limits
from .errors import too_many
from .htmx import is_htmx

# The soorten a participant picks from in a labelled round (a citaat has its own round kind).
LABEL_CHOICES = tuple(label.value for label in Label if label != Label.CITAAT)


def new_form(text: str = "") -> ContributionForm:
    form = ContributionForm(formdata=None)
    form.text.data = text
    form.client_key.data = uuid.uuid4().hex
    return form


def chosen_label(form: ContributionForm) -> str:
    """The soort picked for a text that was refused, so the re-rendered form keeps it."""
    label = request.form.get("label", "") if form.text.errors else ""
    return label if label in LABEL_CHOICES else ""


def phone_context(form: ContributionForm | None = None) -> dict:
    werkplaats = g.werkplaats
    closed = g.get("werkplaats_closed", False)
    rnd = None if closed else werkplaats.open_round
    # With no round open, the form posts into the round closed last while it takes late text.
    grace = None if closed or rnd is not None else rounds.round_in_grace(werkplaats)
    input_round = grace if rnd is None else (rnd if rnd.kind != RoundKind.VOTING else None)
    form = form or new_form()
    extra: dict = {"others": [], "supported": set(), "vote_options": [], "my_votes": {}}
    if rnd is not None and rnd.kind == RoundKind.VOTING:
        extra["vote_options"] = voting.options(rnd)
        extra["my_votes"] = voting.my_votes(g.participant, rnd)
    elif rnd is not None and rnd.is_support_allowed:
        extra["others"] = voting.others_in_round(g.participant, rnd)
        extra["supported"] = voting.supported_ids(g.participant)
    return {
        **extra,
        "chosen_label": chosen_label(form),
        "werkplaats": werkplaats,
        "closed": closed,
        "round": rnd,
        "grace_round": grace,
        "input_round": input_round,
        "form": form,
        "own": participation.own_contributions(g.participant),
        "poll_seconds": current_app.config["NOVIWERK_PHONE_POLL_SECONDS"],
    }


def slow_down(e):
    """429 to a phone that sends faster than a person types. A plain POST of a contribution
    gets its page back with the text still in the form; htmx keeps it in the outbox
    (outbox.js), which sends it again after Retry-After. Nothing was said to be
    "Ontvangen", so nothing is lost. Anything else gets the usual 429."""
    if request.endpoint != "participant.post" or is_htmx() or g.get("participant") is None:
        return too_many(e)
    seconds = limits.retry_after(e)
    form = ContributionForm()
    form.text.errors = [
        _(
            "Even wachten: je stuurt veel achter elkaar. Je tekst staat hier nog; verstuur hem "
            "over %(wait)s opnieuw.",
            wait=limits.wait_text(seconds),
        )
    ]
    page = render_template("participant/phone.html", **phone_context(form))
    return make_response(page, 429, {"Retry-After": str(seconds)})
