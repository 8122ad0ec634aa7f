"""Who may do what: every right in noviwerk is decided here, and nowhere else.

Services check these rules before they write; views declare one ``Policy`` each (the
``policy`` decorator in ``web/decorators.py`` enforces it), and a test walks every route for
every kind of visitor against the table of policies below.

- A beheerder may everything.
- A werkplaats: its facilitators run it (``can_control``); its trekkers also read it and
  write its bouwsteen and ansichtkaart (``can_view``).
- A programme: its eigenaren change its name, themes and kernvragen, add werkplaatsen and
  name its members (``can_manage_programme``); its leden read its oogst and gallery
  (``can_read_programme``), where each ansichtkaart shows only to who may read its werkplaats,
  and each bouwsteen's text once it is past concept (``can_read_bouwsteen``).
- A phone: a participant of a werkplaats takes part in that werkplaats only.
"""

from __future__ import annotations

from ..domain import BouwsteenStatus, ProgrammeRole, Role, StaffRole, StrEnum
from ..models import Participant, Programme, User, Werkplaats


class Policy(StrEnum):
    """Who may call an endpoint. Every endpoint declares exactly one."""

    PUBLIC = "public"  # anyone, also without an account
    SHARED = "shared"  # anyone holding the link's secret token (a bouwsteen's read-only link)
    PARTICIPANT = "participant"  # the phone of a participant of the werkplaats of the code
    ACCOUNT = "account"  # anyone logged in
    SCHEDULER = "scheduler"  # beheerders and facilitators: create programmes
    BEHEERDER = "beheerder"  # beheerders only
    WERKPLAATS_VIEW = "werkplaats.view"  # can_view the werkplaats ``wid``
    WERKPLAATS_CONTROL = "werkplaats.control"  # can_control the werkplaats ``wid``
    PROGRAMME_READ = "programme.read"  # can_read_programme ``pid``
    PROGRAMME_MANAGE = "programme.manage"  # can_manage_programme ``pid``
    AGENDA = "agenda"  # the programme's agenda token in the URL, or can_read_programme ``pid``


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_beheerder(user: User | None) -> bool:
    return _signed_in(user) and user.role == Role.BEHEERDER


# --- werkplaatsen ---------------------------------------------------------------------------


def is_staff(user: User, werkplaats: Werkplaats, *roles: StaffRole) -> bool:
    roles = roles or tuple(StaffRole)
    return any(s.user_id == user.id and s.role in roles for s in werkplaats.staff)


def can_control(user: User | None, werkplaats: Werkplaats) -> bool:
    """Run the room: rounds, opening, the wall. Beheerders and the werkplaats' facilitators."""
    if not _signed_in(user):
        return False
    return is_beheerder(user) or is_staff(user, werkplaats, StaffRole.FACILITATOR)


def can_view(user: User | None, werkplaats: Werkplaats) -> bool:
    """See the werkplaats, its contributions, its bouwsteen and ansichtkaart: also its trekkers."""
    if not _signed_in(user):
        return False
    return can_control(user, werkplaats) or is_staff(user, werkplaats, StaffRole.TREKKER)


def can_read_ansichtkaart(user: User | None, werkplaats: Werkplaats) -> bool:
    """A card carries the QR code to its bouwsteen's read-only link: for its werkplaats only."""
    return can_view(user, werkplaats)


def is_participant(participant: Participant | None, werkplaats: Werkplaats) -> bool:
    """The phone's participant takes part in this werkplaats (not in another one)."""
    return participant is not None and participant.werkplaats_id == werkplaats.id


# --- programmes -----------------------------------------------------------------------------


def can_schedule(user: User | None) -> bool:
    """Create programmes (their creator becomes eigenaar)."""
    return _signed_in(user) and user.role in (Role.BEHEERDER, Role.FACILITATOR)


def programme_role(user: User | None, programme: Programme) -> ProgrammeRole | None:
    if not _signed_in(user):
        return None
    return next((m.role for m in programme.members if m.user_id == user.id), None)


def can_read_programme(user: User | None, programme: Programme) -> bool:
    """The programme page, its oogst and gallery: beheerders and its members."""
    return is_beheerder(user) or programme_role(user, programme) is not None


def can_manage_programme(user: User | None, programme: Programme) -> bool:
    """Name, themes, kernvragen, new werkplaatsen, members: beheerders and its eigenaren."""
    return is_beheerder(user) or programme_role(user, programme) == ProgrammeRole.EIGENAAR


def can_read_bouwsteen(user: User | None, werkplaats: Werkplaats, status: BouwsteenStatus) -> bool:
    """A bouwsteen's text outside its own page (the oogst's overviews and zip): who may view
    its werkplaats always; the programme's other members once it is past concept."""
    if can_view(user, werkplaats):
        return True
    return status != BouwsteenStatus.CONCEPT and can_read_programme(user, werkplaats.programme)
