"""The bouwsteen's services without HTTP: regenerating, who a version is credited to, and
printing ahead only once a save has committed."""

from __future__ import annotations

import pytest

from noviwerk.extensions import db
from noviwerk.services import bouwsteen as svc
from noviwerk.services import bouwsteen_draden as draden_svc
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


# --- the trekker shapes the rode draden ----------------------------------------------------

THEMES = (
    "Bodemdaling in het veenweidegebied gaat door",
    "De bodemdaling kost boeren veel geld",
    "Wateroverlast in de stad na hevige regen",
    "Meer groen tegen wateroverlast in wijken",
    "Hittestress in de stad vraagt om bomen",
    "Zonnepanelen op alle daken",
)


@pytest.fixture
def themes(world):
    """A draft with two rode draden (bodemdaling; wateroverlast in de stad) and a loose post."""
    _fac, trekker, w = world.with_posts(THEMES)
    svc.open_draft(w, trekker)
    return trekker, w


def _draden(w):
    fresh()
    return {d.label: d for d in draden_svc.draden(svc.find(w))}


def _bodem_stad(w):
    by_label = _draden(w)
    bodem = next(d for label, d in by_label.items() if "odemdaling" in label)
    stad = next(d for d in by_label.values() if d is not bodem)
    return bodem, stad


def test_shaping_the_draden_makes_versions_kept_across_new_input(world, themes):
    trekker, w = themes
    bodem, stad = _bodem_stad(w)
    draden_svc.rename_draad(svc.find(w), bodem.key, "Zakkende bodem", trekker)
    draden_svc.move_bijdrage(svc.find(w), 6, stad.key, trekker)  # the zonnepanelen
    assert "Zakkende bodem" in _draden(w)
    assert 6 in _draden(w)[stad.label].numbers
    _post(w, "Bodemdaling maakt dijken duur", "n")
    db.session.expire_all()
    svc.regenerate(svc.find(w), trekker)

    fresh()
    bouwsteen = svc.find(w)
    assert [(v.kind, v.note) for v in bouwsteen.versions][1:] == [
        ("bewerkt", f"Rode draad '{bodem.label}' heet nu 'Zakkende bodem'"),
        ("bewerkt", f"Bijdrage 6 naar rode draad '{stad.label}'"),
        ("bijgewerkt", ""),
    ]
    shaped = _draden(w)
    assert 7 in shaped["Zakkende bodem"].numbers  # the new input joined the renamed draad
    assert 6 in shaped[stad.label].numbers
    assert "zakkende bodem" in _text(bouwsteen, "samenvatting")
    svc.restore_version(bouwsteen, 1, trekker)  # restorable like any version
    assert bodem.label in _draden(w)


def test_merge_and_drop(themes):
    trekker, w = themes
    bodem, stad = _bodem_stad(w)
    draden_svc.merge_draden(svc.find(w), stad.key, bodem.key, trekker)
    (merged,) = _draden(w).values()
    assert merged.label == stad.label
    assert set(merged.numbers) == set(bodem.numbers) | set(stad.numbers)
    draden_svc.drop_draad(svc.find(w), merged.key, trekker)
    assert _draden(w) == {}
    assert stad.label not in _text(svc.find(w), "samenvatting")
    notes = [v.note for v in svc.find(w).versions]
    assert notes[-2:] == [
        f"Rode draad '{bodem.label}' samengevoegd met '{stad.label}'",
        f"Rode draad '{stad.label}' weggelaten",
    ]


@pytest.mark.parametrize(
    ("verb", "message"),
    [
        (lambda b, bodem, stad, t: draden_svc.rename_draad(b, bodem.key, "  ", t), "een naam"),
        (lambda b, bodem, stad, t: draden_svc.rename_draad(b, bodem.key, "x" * 81, t), "hooguit 80"),
        (lambda b, bodem, stad, t: draden_svc.merge_draden(b, bodem.key, bodem.key, t), "zichzelf"),
        (lambda b, bodem, stad, t: draden_svc.move_bijdrage(b, 42, stad.key, t), "Bijdrage 42 staat niet"),
        (lambda b, bodem, stad, t: draden_svc.move_bijdrage(b, 1, bodem.key, t), "hoort al bij"),
        (lambda b, bodem, stad, t: draden_svc.drop_draad(b, 99_999, t), "niet (meer)"),
    ],
)  # fmt: skip
def test_bad_shaping_is_refused_and_changes_nothing(themes, verb, message):
    trekker, w = themes
    bodem, stad = _bodem_stad(w)
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        verb(svc.find(w), bodem, stad, trekker)
    fresh()
    assert len(svc.find(w).versions) == 1


def test_a_gereed_bouwsteen_keeps_its_draden(themes):
    trekker, w = themes
    bodem, _stad = _bodem_stad(w)
    svc.set_status(svc.find(w), "verslag", trekker)
    svc.set_status(svc.find(w), "gereed", trekker)
    with pytest.raises(Invalid, match="gereed"):
        draden_svc.rename_draad(svc.find(w), bodem.key, "Zakkende bodem", trekker)
    fresh()
    assert len(svc.find(w).versions) == 1
