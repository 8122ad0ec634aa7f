"""What a participant does: join, post, edit and withdraw their own contributions.

Every contribution write takes the werkplaats' next ``seq`` in its own transaction (the
UPDATE … RETURNING holds the werkplaats row lock until commit), so walls reading "after
cursor N" see writes in commit order and never skip one.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import (
    MAX_CONTRIBUTION_CHARS,
    MAX_NAME_CHARS,
    MAX_ORGANISATION_CHARS,
    ContributionState,
    Label,
    RoundKind,
    RoundState,
    Source,
    Veld,
    WerkplaatsState,
)
from ..extensions import db
from ..models import Contribution, Participant, Round, Tafel, Werkplaats, utcnow
from ..text_rules import TextProblem, clean_text, text_problem
from . import joining, withdrawal
from .errors import Forbidden, Invalid, NotFound

CLIENT_KEY_MAX = 64

# The hot path's statements, built once: building one costs several times more than running
# it (SQLAlchemy constructs and hashes the statement anew on every call otherwise).
_TAKE_SEQ = (
    sa.update(Werkplaats)
    .where(Werkplaats.id == sa.bindparam("werkplaats_id"))
    .values(last_seq=Werkplaats.last_seq + 1)
    .returning(Werkplaats.last_seq)
    .execution_options(synchronize_session=False)
)
_TAKE_SEQ_IF_OPEN = _TAKE_SEQ.where(Werkplaats.state == WerkplaatsState.OPEN)
_BY_KEY = sa.select(Contribution.id).where(
    Contribution.participant_id == sa.bindparam("participant_id"),
    Contribution.client_key == sa.bindparam("client_key"),
)
_TAFEL_CLOSED = sa.select(Tafel.is_closed).where(Tafel.id == sa.bindparam("id"))
_STATE = sa.select(Werkplaats.state).where(Werkplaats.id == sa.bindparam("id"))
# Whether a werkplaats has a tafel open (also tafels.has_open_tafels, on every phone page).
AN_OPEN_TAFEL = (
    sa.select(Tafel.id).where(Tafel.werkplaats_id == sa.bindparam("w"), ~Tafel.is_closed).limit(1)
)


def text_message(problem: TextProblem, limit: int = MAX_CONTRIBUTION_CHARS) -> str:
    return {
        TextProblem.EMPTY: _("Je bijdrage is leeg. Typ eerst wat je wilt inbrengen."),
        TextProblem.TOO_LONG: _(
            "Je bijdrage is te lang: hooguit %(n)d tekens. Maak hem korter of splits hem in twee.",
            n=limit,
        ),
        TextProblem.CONTROL: _(
            "Je bijdrage bevat onzichtbare stuurtekens. Typ de tekst opnieuw, zonder te plakken."
        ),
        TextProblem.MARKS: _(
            "Je bijdrage bevat te veel gestapelde accenttekens op één letter. Typ de tekst "
            "opnieuw, zonder te plakken."
        ),
    }[problem]


def checked_text(raw: str, limit: int = MAX_CONTRIBUTION_CHARS) -> str:
    text = clean_text(raw)
    problem = text_problem(text, limit)
    if problem:
        raise Invalid(text_message(problem, limit), "text")
    return text


def closed_message() -> str:
    return _(
        "Deze werkplaats is gesloten; er kan niets meer bij. Je tekst staat hieronder nog, "
        "zodat je hem kunt bewaren."
    )


def _profile(display_name: str, organisation: str, veld: str | None):
    display_name = " ".join(clean_text(display_name).split())
    organisation = " ".join(clean_text(organisation).split())
    for value, limit, field in (
        (display_name, MAX_NAME_CHARS, "display_name"),
        (organisation, MAX_ORGANISATION_CHARS, "organisation"),
    ):
        problem = text_problem(value, limit) if value else None
        if problem == TextProblem.TOO_LONG:
            raise Invalid(_("Dit veld is hooguit %(n)d tekens.", n=limit), field)
        if problem == TextProblem.CONTROL:
            raise Invalid(_("Dit veld bevat onzichtbare stuurtekens."), field)
        if problem == TextProblem.MARKS:
            raise Invalid(_("Dit veld bevat te veel gestapelde accenttekens op één letter."), field)
    if veld and veld not in Veld.values():
        raise Invalid(_("Kies een van de vier velden, of laat het open."), "veld")
    return display_name, organisation, (Veld(veld) if veld else None)


@write_transaction
def join(
    werkplaats: Werkplaats,
    display_name: str = "",
    organisation: str = "",
    veld: str | None = None,
    *,
    token: str | None = None,
    default_limit: int | None = None,
    tafel_id: int | None = None,
) -> Participant:
    """A new participant, holding ``token`` (the phone's, see ``phone_access``; random if
    None). A token that already has its participant (the same phone in two tabs at once)
    updates that one: a phone is never counted twice.

    A phone's join passes ``default_limit`` (the server's participant limit): a newcomer
    to a full or locked werkplaats is then refused (Forbidden, see ``joining``). None: a
    join that is no phone's (demo data), to which neither applies. ``tafel_id``: the tafel
    it sits at, checked by the caller (``tafels.checked_choice``)."""
    if werkplaats.state != WerkplaatsState.OPEN:
        raise Invalid(_("Deze werkplaats is gesloten."))
    name, org, v = _profile(display_name, organisation, veld)
    if default_limit is not None:
        joining.hold(werkplaats)
    if token is not None:
        existing = db.session.scalar(sa.select(Participant).where(Participant.token == token))
        if existing is not None and existing.werkplaats_id == werkplaats.id:
            existing.display_name, existing.organisation, existing.veld = name, org, v
            existing.tafel_id = tafel_id or existing.tafel_id
            return existing
    if default_limit is not None:
        joining.check_room(werkplaats, default_limit)
    participant = Participant(
        werkplaats_id=werkplaats.id,
        token=token or secrets.token_urlsafe(32),
        display_name=name,
        organisation=org,
        veld=v,
        tafel_id=tafel_id,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


@write_transaction
def update_profile(
    participant: Participant, display_name: str, organisation: str, veld: str | None
) -> Participant:
    participant.display_name, participant.organisation, participant.veld = _profile(
        display_name, organisation, veld
    )
    return participant


def _take_seq(werkplaats_id: int, *, only_if_open: bool = False) -> int | None:
    """The UPDATE … RETURNING that takes a werkplaats' next change number (and its row lock);
    None if there is no such werkplaats, or (``only_if_open``) it is not open."""
    statement = _TAKE_SEQ_IF_OPEN if only_if_open else _TAKE_SEQ
    return db.session.execute(statement, {"werkplaats_id": werkplaats_id}).scalar_one_or_none()


def next_seq(werkplaats_id: int) -> int:
    """Take the next change number of a werkplaats; call inside the write transaction."""
    seq = _take_seq(werkplaats_id)
    if seq is None:
        raise NotFound(_("Deze werkplaats bestaat niet."))
    return seq


def touch(contribution: Contribution) -> None:
    """Record a change to a contribution so every wall and phone picks it up by cursor."""
    contribution.seq = next_seq(contribution.werkplaats_id)
    contribution.updated_at = utcnow()


def _round_taking_input(werkplaats_id: int, round_id: int) -> tuple[Round, bool]:
    """The round a post goes into, and whether it arrives late (within the grace period).

    Read afresh, also when the session holds it already: its state decides.
    """
    rnd = (
        db.session.get(Round, round_id, populate_existing=True) if 0 < round_id < 2**63 else None
    )
    if rnd is None or rnd.werkplaats_id != werkplaats_id:
        raise NotFound(_("Deze ronde bestaat niet."))
    if rnd.kind == RoundKind.VOTING:
        raise Invalid(_("In deze ronde wordt gestemd; bijdragen insturen kan hier niet."))
    if rnd.state == RoundState.GEPLAND:
        raise Invalid(_("Deze ronde is nog niet geopend. Wacht tot de facilitator haar opent."))
    if rnd.state == RoundState.GESLOTEN:
        # Text typed before the close still counts: accepted, marked "te laat".
        if rnd.is_in_grace(utcnow()):
            return rnd, True
        raise Invalid(
            _(
                "Deze ronde is gesloten. Je tekst staat nog hieronder; bewaar hem voor een "
                "volgende ronde."
            )
        )
    return rnd, False


def _open_round(werkplaats_id: int, round_id: int) -> Round:
    """A round whose contributions may still be changed: open, no grace."""
    rnd, late = _round_taking_input(werkplaats_id, round_id)
    if late:
        raise Invalid(_("Deze ronde is gesloten; je bijdrage kan niet meer worden gewijzigd."))
    return rnd


def _valid_key(client_key: str | None) -> str | None:
    key = (client_key or "").strip()
    if not key:
        return None
    if len(key) > CLIENT_KEY_MAX or not all(c.isalnum() or c in "-_" for c in key):
        raise Invalid(_("Ongeldig formulier. Herlaad de pagina en probeer het opnieuw."))
    return key


def _by_key(participant: Participant, key: str) -> Contribution | None:
    found = db.session.scalar(_BY_KEY, {"participant_id": participant.id, "client_key": key})
    return db.session.get(Contribution, found) if found is not None else None


def post_contribution(
    participant: Participant,
    round_id: int,
    text: str,
    client_key: str | None = None,
    label: str | None = None,
    *,
    from_picker: bool = False,
) -> tuple[Contribution, bool]:
    """Store a participant's contribution; returns it and whether it is new.

    The same ``client_key`` twice (a double tap, a retry after a lost answer) returns the
    contribution stored the first time instead of a second copy. ``from_picker``: the label
    comes from the phone's soort picker, which is only asked in a labelled round; in any
    other round it is ignored (the picker stays in the form, hidden, after the round changes).

    The hot path of a live room, so it reads little: the participant as the request loaded
    it (its id, veld and organisation), the round afresh, and the werkplaats' state in the
    UPDATE that takes its next seq.
    """
    try:
        return _store_contribution(participant, round_id, text, client_key, label, from_picker)
    except sa.exc.IntegrityError:
        # Two copies of one post raced (PostgreSQL: both passed the key look-up before
        # either committed; the werkplaats row lock made the second wait for the first).
        # The second's INSERT met the (participant, client_key) constraint and was rolled
        # back, the seq it took with it: answer with the first. (SQLite runs one write at a
        # time, so there the look-up is enough.) Checked here, after the fact, rather than
        # by a second look-up under the row lock, which every post would hold longer.
        key = _valid_key(client_key)
        existing = _by_key(participant, key) if key else None
        if existing is None:
            raise
        return existing, False


def _checked_post(
    participant: Participant, round_id: int, text: str, label: str | None, from_picker: bool
) -> tuple[Round, bool, str, str | None, int | None]:
    """What a post goes in with, checked before the werkplaats' lock is taken: its round and
    whether it is late, its text, its soort and its tafel; raises on anything wrong."""
    werkplaats_id = participant.werkplaats_id
    rnd, late = _round_taking_input(werkplaats_id, round_id)
    text = checked_text(text)
    tafel_id = participant.tafel_id if rnd.is_at_tafels else None  # a plenary round: none
    if tafel_id is not None and db.session.scalar(_TAFEL_CLOSED, {"id": tafel_id}):
        if db.session.scalar(AN_OPEN_TAFEL, {"w": werkplaats_id}) is not None:
            raise Invalid(
                _("Je tafel is gesloten. Kies een andere tafel; je tekst staat nog hieronder."),
                "text",
            )
        tafel_id = None  # every tafel closed: one circle again, as without tafels
    if from_picker and rnd.kind != RoundKind.LABELLED:
        label = None
    label = label or None
    if label and label not in Label.values():
        raise Invalid(_("Kies een soort uit de lijst."), "label")
    if rnd.kind == RoundKind.LABELLED and not label:
        raise Invalid(
            _("Kies bij deze ronde wat voor bijdrage het is: opgave, kans, dilemma…"), "label"
        )
    if rnd.kind == RoundKind.CITAAT:
        label = Label.CITAAT
        already = db.session.scalar(
            sa.select(Contribution.id).where(
                Contribution.participant_id == participant.id,
                Contribution.round_id == rnd.id,
                Contribution.is_live,
            )
        )
        if already:
            raise Invalid(
                _("In deze ronde geeft ieder één citaat. Pas je eerdere citaat aan als je wilt."),
                "text",
            )
    return rnd, late, text, label, tafel_id


@write_transaction(keep_loaded=True)
def _store_contribution(
    participant: Participant,
    round_id: int,
    text: str,
    client_key: str | None,
    label: str | None,
    from_picker: bool,
) -> tuple[Contribution, bool]:
    key = _valid_key(client_key)
    if key and (existing := _by_key(participant, key)) is not None:
        return existing, False
    werkplaats_id = participant.werkplaats_id
    try:
        rnd, late, text, label, tafel_id = _checked_post(
            participant, round_id, text, label, from_picker
        )
    except (Invalid, NotFound):
        # A closed werkplaats says so, whatever else its phone got wrong.
        if db.session.scalar(_STATE, {"id": werkplaats_id}) != WerkplaatsState.OPEN:
            raise Invalid(closed_message(), "text") from None
        raise
    # The next seq only if the werkplaats is open, in the statement that takes its row lock:
    # last, so that the lock, which every post, +1 and dot of the room waits for, is held
    # for the INSERT and the commit alone.
    seq = _take_seq(werkplaats_id, only_if_open=True)
    if seq is None:
        raise Invalid(closed_message(), "text")
    contribution = Contribution(
        werkplaats_id=werkplaats_id,
        round=rnd,
        tafel_id=tafel_id,  # where the phone sits: never a tafel it names itself
        participant_id=participant.id,
        seq=seq,
        first_seq=seq,
        client_key=key,
        text=text,
        label=Label(label) if label else None,
        source=Source.TELEFOON,
        state=ContributionState.PENDING if rnd.is_premoderated else ContributionState.VISIBLE,
        is_citaat=rnd.kind == RoundKind.CITAAT,
        is_late=late,
        veld=participant.veld,
        organisation=participant.organisation,
    )
    db.session.add(contribution)
    db.session.flush()
    return contribution, True


def own_contribution(participant: Participant, contribution_id: int) -> Contribution:
    """A contribution the participant may change; someone else's is refused, not hidden."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.werkplaats_id != participant.werkplaats_id:
        raise NotFound(_("Deze bijdrage bestaat niet."))
    if contribution.participant_id != participant.id:
        raise Forbidden(_("Dit is niet jouw bijdrage; je kunt alleen je eigen bijdragen wijzigen."))
    # A pre-moderated one waiting for the facilitator is still the participant's to change;
    # an edit leaves it waiting.
    if not contribution.is_live:
        raise Invalid(
            _("Deze bijdrage is ingetrokken of verborgen en kan niet meer worden gewijzigd.")
        )
    return contribution


@write_transaction
def edit_contribution(participant: Participant, contribution_id: int, text: str) -> Contribution:
    contribution = own_contribution(participant, contribution_id)
    _open_round(participant.werkplaats_id, contribution.round_id)
    new_text = checked_text(text)
    if new_text != contribution.text:
        contribution.text = new_text
        touch(contribution)
    return contribution


@write_transaction
def withdraw_contribution(participant: Participant, contribution_id: int) -> Contribution:
    contribution = own_contribution(participant, contribution_id)
    _open_round(participant.werkplaats_id, contribution.round_id)
    withdrawal.forget([contribution])  # its text goes, also from saved bouwsteen versions
    touch(contribution)
    return contribution
