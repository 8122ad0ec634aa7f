"""What the room did (+1s, votes, stars, merges, citaten) reaches the bouwsteen's records."""

from __future__ import annotations

from noviwerk.services import contributions, moderation, participation, rounds, support, voting


def test_records_carry_support_votes_stars_merges_and_citaten(world):
    fac, w = world.live()
    rounds.configure(w, w.rounds[0].id, kind="open", is_support_allowed=True,
                   is_premoderated=False, votes_per_participant=3, grace_seconds=90)
    a = participation.join(w)
    b = participation.join(w)
    keep, _ = participation.post_contribution(a, w.rounds[0].id, "Ruimte voor water")
    dup, _ = participation.post_contribution(b, w.rounds[0].id, "Meer ruimte voor water")
    other, _ = participation.post_contribution(a, w.rounds[0].id, "Bodemdaling")
    support.toggle_support(b, keep.id)
    moderation.moderate(w, keep.id, "ster", fac)
    moderation.moderate(w, other.id, "citaat", fac)
    moderation.moderate(w, dup.id, "samenvoegen", fac, str(keep.id))
    rounds.configure(w, w.rounds[1].id, kind="stemmen", is_support_allowed=False,
                   is_premoderated=False, votes_per_participant=3, grace_seconds=90)
    rounds.set_vote_options(w, w.rounds[1].id, [keep.id, other.id])
    rounds.open_round(w, w.rounds[1].id)
    voting.vote(a, w.rounds[1].id, keep.id, 1)
    voting.vote(b, w.rounds[1].id, keep.id, 1)

    by_id = {r.id: r for r in contributions.contribution_records(w)}
    assert (by_id[keep.id].support, by_id[keep.id].votes, by_id[keep.id].is_starred) == (1, 2, True)
    assert by_id[dup.id].merged_into == keep.id
    assert by_id[other.id].is_citaat and not by_id[keep.id].is_citaat
