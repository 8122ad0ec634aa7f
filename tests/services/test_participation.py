"""What a participant does, through the services alone: join, post, edit, withdraw.

The phone's pages drive the same services over HTTP (tests/web/test_participant*.py); here
each rule is pinned where it lives, with the Dutch message a participant reads.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from noviwerk.domain import ContributionState, Label, Veld
from noviwerk.extensions import db
from noviwerk.models import Contribution, Participant
from noviwerk.services import participation, phone_lists, rounds, wall, werkplaatsen
from noviwerk.services.errors import Forbidden, Invalid
from tests.conftest import fresh


def _stored() -> list[Contribution]:
    fresh()
    return list(db.session.scalars(sa.select(Contribution).order_by(Contribution.id)))


def _configure(w, rnd, kind="open", grace_seconds=90, is_premoderated=False):
    rounds.configure(
        w,
        rnd.id,
        kind=kind,
        is_support_allowed=False,
        is_premoderated=is_premoderated,
        votes_per_participant=3,
        grace_seconds=grace_seconds,
    )


def test_join_stores_a_participant_with_a_tidy_profile_and_a_secret_token(world):
    _fac, w = world.live()
    p = participation.join(w, "  Anne   de Vries ", " Rijkswaterstaat ", "maatschappelijk")
    fresh()
    stored = db.session.get(Participant, p.id)
    assert (stored.display_name, stored.organisation, stored.veld) == (
        "Anne de Vries",
        "Rijkswaterstaat",
        Veld.MAATSCHAPPELIJK,
    )
    assert stored.werkplaats_id == w.id and len(stored.token) >= 32
    assert participation.join(w).token != stored.token  # anonymous, and a token of its own


def test_join_refuses_a_werkplaats_that_is_not_open_and_an_unknown_veld(world):
    _fac, open_w = world.live()
    planned = world.werkplaats(open_w.programme, title="Nog niet open")
    with pytest.raises(Invalid) as e:
        participation.join(planned)
    assert e.value.message == "Deze werkplaats is gesloten."
    with pytest.raises(Invalid) as e:
        participation.join(open_w, veld="ruimtevaart")
    assert (e.value.message, e.value.field) == (
        "Kies een van de vier velden, of laat het open.",
        "veld",
    )
    fresh()
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_a_post_is_stored_on_the_wall_with_the_participants_veld_and_organisation(world):
    _fac, w = world.live()
    p = participation.join(w, organisation="Provincie Utrecht", veld="interbestuurlijk")
    before = wall.current_seq(w.id)
    c, is_new = participation.post_contribution(p, w.rounds[0].id, "  Ruimte voor water  ")
    assert is_new
    [stored] = _stored()
    assert stored.id == c.id and stored.text == "Ruimte voor water"
    assert (stored.veld, stored.organisation) == (Veld.INTERBESTUURLIJK, "Provincie Utrecht")
    assert stored.is_on_wall and not stored.is_late
    assert stored.seq == stored.first_seq == before + 1  # walls pick it up by cursor
    assert [x.id for x in wall.visible_by_round(w)[w.rounds[0].id]] == [c.id]


def test_the_same_client_key_twice_stores_once(world):
    _fac, w = world.live()
    p = participation.join(w)
    first, first_new = participation.post_contribution(p, w.rounds[0].id, "Eén keer", "k-1")
    again, again_new = participation.post_contribution(p, w.rounds[0].id, "Eén keer", "k-1")
    assert (first_new, again_new) == (True, False)
    assert again.id == first.id
    assert [c.text for c in _stored()] == ["Eén keer"]
    # another participant may use the same key: keys are per participant
    other = participation.join(w)
    participation.post_contribution(other, w.rounds[0].id, "Ook één keer", "k-1")
    assert len(_stored()) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Je bijdrage is leeg. Typ eerst wat je wilt inbrengen."),
        (
            "x" * 501,
            "Je bijdrage is te lang: hooguit 500 tekens. Maak hem korter of splits hem in twee.",
        ),
        (
            "Verborgen\u202etekst",
            "Je bijdrage bevat onzichtbare stuurtekens. Typ de tekst opnieuw, zonder te plakken.",
        ),
    ],
    ids=["empty", "too-long", "control"],
)
def test_a_refused_text_says_why_in_dutch_and_stores_nothing(world, text, message):
    _fac, w = world.live()
    p = participation.join(w)
    before = wall.current_seq(w.id)
    with pytest.raises(Invalid) as e:
        participation.post_contribution(p, w.rounds[0].id, text, "k-1")
    assert (e.value.message, e.value.field) == (message, "text")
    assert _stored() == []
    assert wall.current_seq(w.id) == before  # the seq it took was rolled back with it


def test_a_closed_round_refuses_text_after_its_grace_and_keeps_it_within(world):
    _fac, w = world.live()
    strict, lenient = w.rounds[0], w.rounds[1]
    _configure(w, strict, grace_seconds=0)
    p = participation.join(w)
    rounds.close_round(w, strict.id)
    with pytest.raises(Invalid) as e:
        participation.post_contribution(p, strict.id, "Te laat")
    assert e.value.message == (
        "Deze ronde is gesloten. Je tekst staat nog hieronder; bewaar hem voor een volgende ronde."
    )
    assert _stored() == []

    rounds.open_round(w, lenient.id)
    rounds.close_round(w, lenient.id)  # default grace: text typed before the close counts
    c, _ = participation.post_contribution(p, lenient.id, "Net op tijd getypt")
    [stored] = _stored()
    assert stored.id == c.id and stored.is_late


def test_a_closed_werkplaats_refuses_text(world):
    _fac, w = world.live()
    p = participation.join(w)
    werkplaatsen.close_werkplaats(w)
    with pytest.raises(Invalid) as e:
        participation.post_contribution(p, w.rounds[0].id, "Na afloop")
    assert e.value.message.startswith("Deze werkplaats is gesloten; er kan niets meer bij.")
    assert _stored() == []


def test_a_labelled_round_asks_for_a_soort_and_stores_it_as_a_label(world):
    _fac, w = world.live()
    _configure(w, w.rounds[0], kind="gelabeld")
    p = participation.join(w)
    with pytest.raises(Invalid) as e:
        participation.post_contribution(p, w.rounds[0].id, "Zonder soort")
    assert e.value.message == "Kies bij deze ronde wat voor bijdrage het is: opgave, kans, dilemma…"
    with pytest.raises(Invalid) as e:
        participation.post_contribution(p, w.rounds[0].id, "Verkeerde soort", label="wens")
    assert e.value.message == "Kies een soort uit de lijst."
    participation.post_contribution(p, w.rounds[0].id, "Water vraagt ruimte", label="opgave")
    [stored] = _stored()
    assert stored.label is Label.OPGAVE


def test_edit_and_withdraw_change_only_ones_own_contribution(world):
    _fac, w = world.live()
    author, other = participation.join(w), participation.join(w)
    c, _ = participation.post_contribution(author, w.rounds[0].id, "Eerste versie")
    seq = _stored()[0].seq

    with pytest.raises(Forbidden) as e:
        participation.edit_contribution(other, c.id, "Overgenomen")
    assert e.value.message == (
        "Dit is niet jouw bijdrage; je kunt alleen je eigen bijdragen wijzigen."
    )
    with pytest.raises(Invalid) as e:
        participation.edit_contribution(author, c.id, "")
    assert e.value.message == "Je bijdrage is leeg. Typ eerst wat je wilt inbrengen."

    participation.edit_contribution(author, c.id, "Tweede versie")
    [stored] = _stored()
    assert stored.text == "Tweede versie" and stored.seq > seq  # walls see the change

    with pytest.raises(Forbidden):
        participation.withdraw_contribution(other, c.id)
    participation.withdraw_contribution(author, c.id)
    [stored] = _stored()
    assert stored.state == ContributionState.WITHDRAWN and not stored.is_on_wall
    assert phone_lists.own_contributions(author) == []
    with pytest.raises(Invalid) as e:
        participation.edit_contribution(author, c.id, "Toch weer")
    assert e.value.message == (
        "Deze bijdrage is ingetrokken of verborgen en kan niet meer worden gewijzigd."
    )


def test_a_contribution_cannot_be_changed_once_its_round_has_closed(world):
    _fac, w = world.live()
    p = participation.join(w)
    c, _ = participation.post_contribution(p, w.rounds[0].id, "Vast")
    rounds.close_round(w, w.rounds[0].id)  # within grace: new text is still taken, edits not
    with pytest.raises(Invalid) as e:
        participation.edit_contribution(p, c.id, "Anders")
    assert e.value.message == "Deze ronde is gesloten; je bijdrage kan niet meer worden gewijzigd."
    assert _stored()[0].text == "Vast"


def test_own_contributions_keep_those_waiting_for_moderation(world):
    _fac, w = world.live()
    _configure(w, w.rounds[0], is_premoderated=True)
    p = participation.join(w)
    c, _ = participation.post_contribution(p, w.rounds[0].id, "Wacht even")
    assert _stored()[0].state == ContributionState.PENDING
    assert [x.id for x in phone_lists.own_contributions(p)] == [c.id]
    assert wall.visible_by_round(w)[w.rounds[0].id] == []  # not on the wall until approved
