"""What a facilitator does to contributions, through the services alone: hide, restore,
merge, unmerge, star, relabel and type in a note; each logged with who did it.

The regie drives the same services over HTTP (tests/web/test_regie.py).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from noviwerk.domain import ContributionState, Label, ModerationAction, Source
from noviwerk.extensions import db
from noviwerk.models import Contribution, ModerationLog
from noviwerk.services import contributions, moderation, participation, phone_lists, wall
from noviwerk.services.errors import Invalid, NotFound
from tests.conftest import fresh


@pytest.fixture
def room(world):
    """A facilitator, an open werkplaats, and three contributions in its first round."""
    fac, w = world.live()
    p = participation.join(w)
    texts = ("Ruimte voor water", "Meer ruimte voor water", "Bodemdaling")
    posted = [participation.post_contribution(p, w.rounds[0].id, t)[0] for t in texts]
    return fac, w, p, [c.id for c in posted]


def _get(cid: int) -> Contribution:
    fresh()
    return db.session.get(Contribution, cid)


def _log() -> list[tuple]:
    fresh()
    return [
        (e.action, e.contribution_id, e.user_id, e.detail)
        for e in db.session.scalars(sa.select(ModerationLog).order_by(ModerationLog.id))
    ]


def _on_wall(w) -> set[int]:
    return {c.id for c in wall.visible_by_round(w)[w.rounds[0].id]}


def test_hide_takes_it_off_walls_and_phones_and_restore_brings_it_back(room):
    fac, w, p, (a, b, c) = room
    cursor = wall.current_seq(w.id)
    moderation.moderate(w, a, "verbergen", fac)
    assert _get(a).state == ContributionState.HIDDEN
    assert _on_wall(w) == {b, c}
    assert [ch.contribution.id for ch in wall.changes_after(w.id, cursor)] == [a]
    assert a not in {x.id for x in phone_lists.own_contributions(p)}
    assert a not in {r.id for r in contributions.contribution_records(w)}  # not in the harvest

    moderation.moderate(w, a, "terugzetten", fac)
    assert _get(a).state == ContributionState.VISIBLE and _on_wall(w) == {a, b, c}
    assert _log() == [
        (ModerationAction.HIDE, a, fac.id, ""),
        (ModerationAction.RESTORE, a, fac.id, ""),
    ]


def test_restore_only_what_is_hidden_and_hide_not_what_its_author_withdrew(room):
    fac, w, p, (a, b, _c) = room
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, a, "terugzetten", fac)
    assert e.value.message == "Alleen een verborgen bijdrage kan terug."
    participation.withdraw_contribution(p, b)
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, b, "verbergen", fac)
    assert e.value.message == "Deze bijdrage is door de deelnemer ingetrokken."
    assert _get(b).state == ContributionState.WITHDRAWN
    assert _log() == []  # a refused action leaves no trace


def test_merge_counts_a_duplicate_towards_the_kept_one_and_unmerge_undoes_it(room):
    fac, w, _p, (keep, dup, other) = room
    moderation.moderate(w, dup, "samenvoegen", fac, str(keep))
    merged = _get(dup)
    assert merged.merged_into_id == keep and _get(keep).merged_count == 1
    assert _on_wall(w) == {keep, other}
    # merged, not hidden: it still counts in the harvest, pointing at the kept one
    assert {r.id: r.merged_into for r in contributions.contribution_records(w)}[dup] == keep

    # merging the kept one elsewhere takes its duplicates along: no chains
    moderation.moderate(w, keep, "samenvoegen", fac, f"#{other}")
    assert (_get(dup).merged_into_id, _get(keep).merged_into_id) == (other, other)
    assert _get(other).merged_count == 2 and _on_wall(w) == {other}

    moderation.moderate(w, keep, "losmaken", fac)
    assert _get(keep).merged_into_id is None and _get(other).merged_count == 1
    assert _on_wall(w) == {keep, other}
    assert [(action, cid, detail) for action, cid, _u, detail in _log()] == [
        (ModerationAction.MERGE, dup, f"→ {keep}"),
        (ModerationAction.MERGE, keep, f"→ {other}"),
        (ModerationAction.UNMERGE, keep, ""),
    ]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Kies met welke bijdrage je deze samenvoegt: vul haar nummer in."),
        ("self", "Een bijdrage kan niet met zichzelf worden samengevoegd."),
        ("hidden", "Voeg samen met een zichtbare bijdrage."),
    ],
)
def test_merge_refuses_no_target_itself_and_a_hidden_one(room, target, message):
    fac, w, _p, (a, b, _c) = room
    moderation.moderate(w, b, "verbergen", fac)
    value = {"": "", "self": str(a), "hidden": str(b)}[target]
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, a, "samenvoegen", fac, value)
    assert e.value.message == message
    assert _get(a).merged_into_id is None


def test_unmerge_of_what_was_never_merged_is_refused(room):
    fac, w, _p, (a, _b, _c) = room
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, a, "losmaken", fac)
    assert e.value.message == "Deze bijdrage is niet samengevoegd."


def test_star_and_unstar(room):
    fac, w, _p, (a, _b, _c) = room
    moderation.moderate(w, a, "ster", fac)
    assert _get(a).is_starred
    moderation.moderate(w, a, "ster weg", fac)
    assert not _get(a).is_starred
    assert [action for action, *_ in _log()] == [ModerationAction.STAR, ModerationAction.UNSTAR]


def test_relabel_stores_the_label_and_logs_from_and_to(room):
    fac, w, _p, (a, _b, _c) = room
    moderation.moderate(w, a, "soort", fac, "opgave")
    moderation.moderate(w, a, "soort", fac, "kans")
    assert _get(a).label is Label.KANS
    moderation.moderate(w, a, "soort", fac, "")
    assert _get(a).label is None
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, a, "soort", fac, "wens")
    assert e.value.message == "Kies een soort uit de lijst."
    assert [detail for *_, detail in _log()] == ["- → opgave", "opgave → kans", "kans → -"]


def test_a_note_is_stored_as_the_note_takers_with_its_source_and_logged(room):
    fac, w, _p, _ids = room
    note = moderation.add_note(w, w.rounds[0].id, " Van de flap ", "flap", fac, label="kans")
    stored = _get(note.id)
    assert (stored.text, stored.source, stored.label) == ("Van de flap", Source.FLAP, Label.KANS)
    assert stored.author_id == fac.id and stored.participant_id is None
    assert stored.is_on_wall and not stored.is_late
    assert _log() == [(ModerationAction.NOTE, note.id, fac.id, "flap")]


@pytest.mark.parametrize(
    ("text", "source", "message"),
    [
        ("Iets", "telefoon", "Kies of dit van een flap komt of mondeling is ingebracht."),
        ("", "mondeling", "Je bijdrage is leeg. Typ eerst wat je wilt inbrengen."),
    ],
)
def test_a_note_with_a_wrong_source_or_no_text_is_refused(room, text, source, message):
    fac, w, _p, ids = room
    with pytest.raises(Invalid) as e:
        moderation.add_note(w, w.rounds[0].id, text, source, fac)
    assert e.value.message == message
    fresh()
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == len(ids)
    assert _log() == []


def test_an_unknown_action_or_another_werkplaats_contribution_is_refused(room, world):
    fac, w, _p, (a, _b, _c) = room
    with pytest.raises(Invalid) as e:
        moderation.moderate(w, a, "wissen", fac)
    assert e.value.message == "Onbekende actie."
    elsewhere = world.werkplaats(w.programme, title="Elders")
    with pytest.raises(NotFound) as e:
        moderation.moderate(elsewhere, a, "verbergen", fac)
    assert e.value.message == "Deze bijdrage bestaat niet."
    assert _get(a).state == ContributionState.VISIBLE and _log() == []
