"""The bouwsteen's services without HTTP: regenerating, who a version is credited to, and
printing ahead only once a save has committed."""

from __future__ import annotations

import pytest

from noviwerk.extensions import db
from noviwerk.services import bouwsteen as svc
from noviwerk.services import export_jobs, participation
from noviwerk.services.errors import Invalid
from noviwerk.synthesis.document import BIJLAGE, HAND
from noviwerk.synthesis.editing import section_to_text
from tests.conftest import fresh

MINE = "Mijn eigen woorden over water. [1]"


@pytest.fixture
def posted(world):
    """An open werkplaats with its trekker, two posts and the draft the trekker made."""
    _fac, trekker, w = world.with_posts()
    svc.open_draft(w, trekker)
    return trekker, w


def _post(w, text, key):
    p = participation.join(w, display_name=f"Deelnemer {key}", veld="maatschappelijk")
    participation.post_contribution(p, w.rounds[0].id, text, client_key=key)


def _text(bouwsteen, section_id) -> str:
    return section_to_text(svc.document_of(bouwsteen.current).section(section_id))


def test_regenerate_keeps_hand_sections_takes_new_input_and_credits_the_caller(
    world, posted
):
    trekker, w = posted
    facilitator = world.user("fac2@example.test", name="Frits Facilitator")
    assert svc.new_input_count(svc.find(w)) == 0  # the draft is of all input there is
    svc.edit_section(svc.find(w), "kernvraag-1", MINE, trekker)
    _post(w, "Hittestress in de stad vraagt om groen", "n")
    db.session.expire_all()  # posting keeps what it loaded: read the werkplaats anew
    assert svc.new_input_count(svc.find(w)) == 1

    result = svc.regenerate(svc.find(w), facilitator)

    fresh()
    bouwsteen = svc.find(w)
    assert [(v.number, v.kind, v.created_by.name) for v in bouwsteen.versions] == [
        (1, "gegenereerd", "Tineke Trekker"),
        (2, "bewerkt", "Tineke Trekker"),
        (3, "bijgewerkt", "Frits Facilitator"),
    ]
    assert result.version.number == 3
    document = svc.document_of(bouwsteen.current)
    assert document.section("kernvraag-1").origin == HAND
    assert _text(bouwsteen, "kernvraag-1") == "Mijn eigen woorden over water. [1]"
    assert _text(bouwsteen, BIJLAGE).startswith("Alle drie bijdragen")  # was twee
    assert "Hittestress in de stad vraagt om groen" in repr(document.section(BIJLAGE))
    assert [c.section_id for c in result.conflicts] == ["kernvraag-1"]  # for the trekker
    assert svc.new_input_count(bouwsteen) == 0

    again = svc.regenerate(bouwsteen, facilitator)  # nothing new: no version
    fresh()
    assert again.version is None and len(svc.find(w).versions) == 3


def test_a_gereed_bouwsteen_is_not_regenerated(posted):
    trekker, w = posted
    svc.set_status(svc.find(w), "verslag", trekker)
    svc.set_status(svc.find(w), "gereed", trekker)
    _post(w, "Hittestress in de stad vraagt om groen", "n")
    with pytest.raises(Invalid, match="gereed"):
        svc.regenerate(svc.find(w), trekker)
    fresh()
    assert len(svc.find(w).versions) == 1


def test_a_save_prints_ahead_once_committed_and_a_refused_one_not_at_all(
    monkeypatch, tmp_path, posted
):
    trekker, w = posted
    printed = []

    def prerender(slot, document, options):
        committed = not db.session().in_transaction()
        printed.append((slot, committed, section_to_text(document.section("samenvatting"))))

    monkeypatch.setattr(export_jobs, "prerender", prerender)
    options = export_jobs.Settings(tmp_path)
    bouwsteen = svc.find(w)
    svc.edit_section(bouwsteen, "samenvatting", "Water vraagt ruimte. [1]", trekker)
    assert printed == []  # not asked to
    with pytest.raises(Invalid):
        svc.edit_section(bouwsteen, "samenvatting", "", trekker, print_ahead=options)
    assert printed == []  # rolled back: nothing to print

    svc.edit_section(bouwsteen, "samenvatting", "Grond kost geld. [2]", trekker, print_ahead=options)
    assert printed == [((str(tmp_path), bouwsteen.id), True, "Grond kost geld. [2]")]
