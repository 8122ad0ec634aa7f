"""Rights per programme: its owners (and beheerders) change its name, themes and kernvragen and
add werkplaatsen; its members read its oogst; nobody else touches it."""

from __future__ import annotations

from noviwerk.domain import DEFAULT_KERNVRAGEN
from tests.conftest import fresh, login, post_form


def _programme_form(programme, **changes) -> dict:
    data = {"name": programme.name, "description": programme.description or ""}
    data["themes"] = "\n".join(t.name for t in programme.themes)
    for i, k in enumerate(programme.kernvragen):
        data[f"kernvragen-{i}-title"] = k.title
        data[f"kernvragen-{i}-question"] = k.question
    data.update(changes)
    return data


def test_a_facilitator_cannot_rename_the_kernvragen_of_a_programme_they_do_not_own(
    app, client, world
):
    """Before: any facilitator renamed kernvraag 1 of any programme, and the new title showed
    on the phones and in the bouwstenen of werkplaatsen they do not run."""
    fac, w = world.live()  # fac runs this werkplaats; round 1 is on kernvraag 1
    phone = world.phone(w)
    original = DEFAULT_KERNVRAGEN[0].title
    assert original in phone.page()

    world.user("vreemd@example.test")  # a facilitator of nothing in this programme
    login(client, "vreemd@example.test")
    url = f"/f/programmas/{w.programme_id}/bewerken"
    assert client.get(url).status_code == 403
    r = post_form(client, url, _programme_form(w.programme, **{"kernvragen-0-title": "Gekaapt"}))
    assert r.status_code == 403
    fresh()
    assert w.programme.kernvragen[0].title == original
    page = phone.page()
    assert original in page and "Gekaapt" not in page
    # nor may they add a werkplaats to it
    new = f"/f/programmas/{w.programme_id}/werkplaatsen/nieuw"
    assert client.get(new).status_code == 403
    assert post_form(client, new, {"title": "Indringer", "kind": "inhoudelijk"}).status_code == 403
    fresh()
    assert [x.title for x in w.programme.werkplaatsen] == [w.title]


def _member_rows(page: str) -> list[str]:
    section = page.split('id="leden"', 1)[1].split("</section>", 1)[0]
    return [" ".join(li.split("<", 1)[0].split()) for li in section.split("<li>")[1:]]


def test_the_facilitator_who_makes_a_programme_is_its_eigenaar(client, world):
    world.user()
    login(client)
    data = {"name": "Werkplaatsen 2027", "themes": "Klimaat"}
    for i, spec in enumerate(DEFAULT_KERNVRAGEN):
        data[f"kernvragen-{i}-title"], data[f"kernvragen-{i}-question"] = spec.title, spec.question
    r = post_form(client, "/f/programmas/nieuw", data, page="/f/programmas/nieuw")
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Jij bent de eigenaar." in page
    assert _member_rows(page) == ["Fac · eigenaar"]
    assert "Programma bewerken" in page and "Werkplaats inplannen" in page
    assert "Lid toevoegen of rol wijzigen" in page
    url = r.headers["Location"] + "/bewerken"
    r = post_form(client, url, {**data, "kernvragen-0-title": "Trends"}, page=url)
    assert r.status_code == 303
    home = client.get("/f/").get_data(as_text=True)
    assert "Werkplaatsen 2027" in home


def test_an_eigenaar_names_members_and_a_lid_only_reads(app, client, world):
    owner = world.user("eigen@example.test")
    colleague = world.user("collega@example.test", name="Cor Collega")
    prog = world.programme(owner=owner)
    base = f"/f/programmas/{prog.id}"
    login(client, "eigen@example.test")
    r = post_form(client, base + "/leden", {"user_id": colleague.id, "role": "lid"}, page=base)
    assert r.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert _member_rows(page) == ["Eigen · eigenaar", "Cor Collega · lid"]

    lid = app.test_client()
    login(lid, "collega@example.test")
    page = lid.get(base).get_data(as_text=True)
    assert "Cor Collega · lid" in page
    assert "Programma bewerken" not in page and "Lid toevoegen" not in page
    assert lid.get(base + "/oogst").status_code == 200
    assert lid.get(base + "/bewerken").status_code == 403
    assert post_form(lid, base + "/leden", {"user_id": colleague.id, "role": "eigenaar"}).status_code == 403
    assert post_form(lid, f"{base}/leden/{owner.id}/verwijderen").status_code == 403
    fresh()
    assert {(m.user.name, m.role) for m in prog.members} == {("Eigen", "eigenaar"), ("Cor Collega", "lid")}

    # made eigenaar, the colleague may change the programme
    post_form(client, base + "/leden", {"user_id": colleague.id, "role": "eigenaar"}, page=base)
    assert lid.get(base + "/bewerken").status_code == 200
    # the last eigenaar cannot leave the programme without one
    post_form(client, f"{base}/leden/{colleague.id}/verwijderen", page=base)
    r = post_form(client, f"{base}/leden/{owner.id}/verwijderen", page=base)
    assert r.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "Een programma houdt minstens één eigenaar" in page
    assert _member_rows(page) == ["Eigen · eigenaar"]
    assert lid.get(base).status_code == 403  # no member any more


def test_a_bad_member_choice_is_refused_in_dutch(client, world):
    owner = world.user("eigen@example.test")
    prog = world.programme(owner=owner)
    base = f"/f/programmas/{prog.id}"
    login(client, "eigen@example.test")
    r = post_form(client, base + "/leden", {"user_id": "999", "role": "lid"}, page=base)
    assert r.status_code == 422 and "Ongeldige keuze" in r.get_data(as_text=True)
    r = post_form(client, base + "/leden", {"user_id": str(owner.id), "role": "baas"}, page=base)
    assert r.status_code == 422
    fresh()
    assert [(m.user_id, m.role) for m in prog.members] == [(owner.id, "eigenaar")]


def test_a_beheerder_may_change_any_programme_and_its_members(client, world):
    fac, w = world.live()
    world.user("beheer@example.test", role="beheerder")
    login(client, "beheer@example.test")
    base = f"/f/programmas/{w.programme_id}"
    assert "Programma bewerken" in client.get(base).get_data(as_text=True)
    r = post_form(client, base + "/bewerken", _programme_form(w.programme, **{"kernvragen-0-title": "Trends"}))
    assert r.status_code == 303
    r = post_form(client, base + "/leden", {"user_id": fac.id, "role": "eigenaar"}, page=base)
    assert r.status_code == 303
    fresh()
    assert w.programme.kernvragen[0].title == "Trends"
    assert [(m.user_id, m.role) for m in w.programme.members] == [(fac.id, "eigenaar")]


def test_who_works_in_a_werkplaats_is_a_lid_of_its_programme(app, client, world):
    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker")
    world.user("elders@example.test")
    w = world.werkplaats(facilitators=[fac], trekkers=[trekker])
    fresh()
    assert sorted((m.user_id, m.role) for m in w.programme.members) == [
        (fac.id, "lid"),
        (trekker.id, "lid"),
    ]
    login(client, "trek@example.test")
    assert w.programme.name in client.get("/f/").get_data(as_text=True)
    assert client.get(f"/f/programmas/{w.programme_id}").status_code == 200
    elders = app.test_client()
    login(elders, "elders@example.test")
    assert w.programme.name not in elders.get("/f/").get_data(as_text=True)
    assert elders.get(f"/f/programmas/{w.programme_id}").status_code == 403
