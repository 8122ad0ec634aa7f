"""The trekker shapes the rode draden: rename, merge, move, drop, replayed on new input."""

from __future__ import annotations

from dataclasses import replace

from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import (
    RODE_DRADEN,
    SAMENVATTING,
    DraadEdit,
    from_dict,
    to_dict,
)
from noviwerk.synthesis.draad_edits import (
    apply_edits,
    drop,
    merge,
    move,
    rename,
    shown_draden,
)
from noviwerk.synthesis.points import build_context
from tests.synthesis.builders import Contributions, energie_werkplaats, werkplaats


def _engine():
    w, records, ids = energie_werkplaats()
    context = build_context(w, records)
    return w, records, ids, context.rode_draden, context.by_id


def _by_label(draden):
    return {d.label: d for d in draden}


def _containing(draden, cid):
    """The rode draad a contribution belongs to (found by member, whatever the engine calls it)."""
    return next(d for d in draden if cid in d.members)


def _text(document, section_id) -> str:
    section = document.section(section_id)
    out = []
    for block in section.blocks:
        for s in getattr(block, "items", ()) + getattr(block, "sentences", ()):
            out.append(s.text)
    return "\n".join(out)


def test_no_edits_change_nothing():
    w, records, _ids, draden, by_id = _engine()
    assert apply_edits(draden, (), by_id) == draden
    plain = assemble(w, records)
    assert assemble(w, records, draad_edits=()) == plain
    assert "draad_edits" not in to_dict(plain)  # the stored and exported draft as before


def test_rename_changes_only_the_label():
    _w, _records, ids, draden, by_id = _engine()
    wind = _by_label(draden)["Windmolens"]
    (renamed, *rest) = apply_edits(draden, [rename(wind.members[2], "Wind op zee")], by_id)
    assert renamed.label == "Wind op zee" and renamed.phrase == "wind op zee"
    assert renamed.members == wind.members and renamed.weight == wind.weight
    assert renamed.wording == wind.wording
    assert tuple(rest) == draden[1:]


def test_a_name_the_members_write_with_a_capital_keeps_it_inside_a_sentence():
    c = Contributions()
    c.add(1, "Het station van Gouda is te klein.", participant_key="p1")
    c.add(2, "Meer treinen naar Gouda in de spits.", participant_key="p2")
    context = build_context(werkplaats(title="Bereikbaarheid"), c.records)
    (draad,) = apply_edits(context.rode_draden, [rename(101, "Gouda")], context.by_id)
    assert draad.label == draad.phrase == "Gouda"


def test_merge_sums_members_and_weight_and_keeps_one_label():
    _w, _records, ids, draden, by_id = _engine()
    net, regie = _containing(draden, ids["net"][0]), _containing(draden, ids["regie"][0])
    out = apply_edits(draden, [merge(net.members[0], regie.members[0])], by_id)
    merged = _by_label(out)[net.label]
    assert regie.label not in _by_label(out) and len(out) == len(draden) - 1
    assert set(merged.members) == set(net.members) | set(regie.members)
    assert merged.bijdragen == net.bijdragen + regie.bijdragen
    assert merged.kernvragen == (2, 4) and merged.steun == net.steun + regie.steun
    assert merged.weight > max(net.weight, regie.weight)
    assert merged.representative_id == net.representative_id


def test_merging_a_draad_with_itself_changes_nothing():
    _w, _records, _ids, draden, by_id = _engine()
    wind = draden[0]
    assert apply_edits(draden, [merge(wind.members[0], wind.members[-1])], by_id) == draden


def test_move_takes_a_member_over_and_drops_a_draad_left_with_one():
    _w, _records, ids, draden, by_id = _engine()
    net, coop = _containing(draden, ids["net"][0]), _containing(draden, ids["coop"][0])
    out = _by_label(apply_edits(draden, [move(ids["coop"][0], net.members[0])], by_id))
    assert ids["coop"][0] in out[net.label].members
    assert out[net.label].bijdragen == net.bijdragen + 1
    assert coop.label not in out  # one contribution is no rode draad
    assert all(ids["coop"][0] not in d.members for label, d in out.items() if label != net.label)
    # From the larger one: the source keeps its other members, counted again.
    wind = _containing(draden, ids["wind"][0])
    out = _by_label(apply_edits(draden, [move(ids["wind"][3], coop.members[0])], by_id))
    assert ids["wind"][3] not in out[wind.label].members
    assert out[wind.label].bijdragen == wind.bijdragen - 1
    assert out[wind.label].deelnemers == wind.deelnemers - 1
    assert out[coop.label].bijdragen == coop.bijdragen + 1


def test_moving_a_contribution_takes_its_merged_copies_along():
    _w, _records, ids, draden, by_id = _engine()
    coop, wind = _containing(draden, ids["coop"][0]), _containing(draden, ids["wind"][0])
    out = _by_label(apply_edits(draden, [move(ids["wind"][0], coop.members[0])], by_id))
    assert {ids["wind"][0], ids["merged"]} <= set(out[coop.label].members)
    assert ids["merged"] not in out[wind.label].members


def test_a_dropped_draad_leaves_the_section_and_the_samenvatting():
    w, records, _ids, draden, _by_id = _engine()
    plain = assemble(w, records)
    assert "Netcongestie" in _text(plain, SAMENVATTING)
    net = _by_label(draden)["Netcongestie"]
    shaped = assemble(w, records, draad_edits=[drop(net.members[1])])
    assert "Netcongestie" not in _text(shaped, RODE_DRADEN)
    assert "Netcongestie" not in _text(shaped, SAMENVATTING)
    assert [d.label for d in shown_draden(shaped)] == [
        d.label for d in draden if d.label != "Netcongestie"
    ]


def test_the_section_and_the_samenvatting_follow_a_rename():
    w, records, _ids, draden, _by_id = _engine()
    shaped = assemble(w, records, draad_edits=[rename(draden[0].members[0], "Wind op zee")])
    assert "Wind op zee \u2014" in _text(shaped, RODE_DRADEN)
    assert "wind op zee" in _text(shaped, SAMENVATTING)
    assert "Windmolens" not in _text(shaped, RODE_DRADEN)
    assert shown_draden(shaped)[0].label == "Wind op zee"


def test_edits_are_kept_across_new_input_and_a_vanished_target_is_skipped():
    w, records, ids, draden, _by_id = _engine()
    edits = [
        rename(ids["wind"][0], "Wind op zee"),
        drop(ids["net"][0]),
        rename(999_999, "Bestaat niet"),  # never was
        merge(ids["coop"][0], 999_998),
        move(999_997, ids["wind"][0]),
    ]
    last = records[-1]
    new = replace(
        records[0], id=last.id + 1, number=last.number + 1, participant_key="p-new",
        text="Windmolens op zee, graag!", support=0, is_starred=False, merged_into=None,
    )  # fmt: skip
    shaped = assemble(w, [*records, new], draad_edits=edits)
    labels = [d.label for d in shown_draden(shaped)]
    assert labels[0] == "Wind op zee" and "Netcongestie" not in labels
    assert new.id in shown_draden(shaped)[0].members  # the new input joined the renamed one
    hidden = [r for r in records if r.id not in ids["wind"] and r.id != ids["merged"]]
    gone = assemble(w, hidden, draad_edits=edits)  # the rode draad it named is gone
    assert "Wind op zee" not in [d.label for d in shown_draden(gone)]


def test_edits_survive_the_stored_round_trip():
    w, records, ids, _draden, _by_id = _engine()
    shaped = assemble(w, records, draad_edits=[rename(ids["wind"][0], "Wind op zee")])
    back = from_dict(to_dict(shaped))
    assert back == shaped
    assert back.draad_edits == (DraadEdit("rename", ids["wind"][0], label="Wind op zee"),)


def test_what_turns_a_draad_stays_with_it_through_a_merge_and_leaves_it_when_moved_in():
    _w, _records, ids, draden, by_id = _engine()
    wind, net = _containing(draden, ids["wind"][0]), _containing(draden, ids["net"][0])
    assert wind.contrary == (ids["dissent"],)  # "Juist geen windmolens op zee"
    merged = _by_label(apply_edits(draden, [merge(net.members[0], wind.members[0])], by_id))
    assert merged[net.label].contrary == (ids["dissent"],)
    moved = _by_label(apply_edits(draden, [move(ids["dissent"], wind.members[0])], by_id))
    assert ids["dissent"] in moved[wind.label].members and moved[wind.label].contrary == ()
