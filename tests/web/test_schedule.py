"""A facilitator schedules: programme with kernvragen and themes, a werkplaats, its rounds."""

from __future__ import annotations

import re

from noviwerk.domain import DEFAULT_KERNVRAGEN
from tests.conftest import fresh, login, post_form


def test_login_required_and_wrong_password_is_refused(client, world):
    world.user()
    assert client.get("/f/").status_code == 302
    r = post_form(
        client, "/login", {"email": "fac@example.test", "password": "fout"}, page="/login"
    )
    assert r.status_code == 422
    assert "E-mailadres of wachtwoord klopt niet" in r.get_data(as_text=True)
    assert client.get("/f/").status_code == 302


def test_login_does_not_redirect_offsite(client, world):
    world.user()
    r = post_form(
        client,
        "/login?next=//evil.example/",
        {"email": "fac@example.test", "password": "geheim-wachtwoord"},
        page="/login",
    )
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/f/")


def test_create_programme_with_default_kernvragen(client, world):
    world.user()
    login(client)
    page = client.get("/f/programmas/nieuw").get_data(as_text=True)
    for spec in DEFAULT_KERNVRAGEN:
        assert spec.title in page
    data = {"name": "Werkplaatsen 2027", "themes": "Klimaat\nNatuur\nklimaat\n"}
    for i, spec in enumerate(DEFAULT_KERNVRAGEN):
        data[f"kernvragen-{i}-title"] = spec.title
        data[f"kernvragen-{i}-question"] = spec.question
    data["kernvragen-1-title"] = "Opgaven"  # edited by the facilitator
    r = post_form(client, "/f/programmas/nieuw", data, page="/f/programmas/nieuw")
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Werkplaatsen 2027" in page
    assert "<strong>Opgaven</strong>" in page
    assert page.count("<li>Klimaat</li>") == 1  # duplicates folded case-insensitively
    assert "<li>Natuur</li>" in page


def test_schedule_werkplaats_and_design_rounds(client, world):
    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    prog = world.programme(owner=fac)
    login(client)
    url = f"/f/programmas/{prog.id}/werkplaatsen/nieuw"
    r = post_form(
        client,
        url,
        {
            "title": "Ruimte voor voedsel in 2040",
            "date": "2027-02-18",
            "time": "13:30",
            "place": "Utrecht",
            "kind": "inhoudelijk",
            "theme_id": str(prog.themes[0].id),
            "organisation": "EZ",
            "facilitator_ids": [str(fac.id)],
            "trekker_ids": [str(trekker.id)],
        },
        page=url,
    )
    assert r.status_code == 303, r.get_data(as_text=True)
    wurl = r.headers["Location"]
    page = client.get(wurl).get_data(as_text=True)
    assert "Ruimte voor voedsel in 2040" in page and "Tineke Trekker" in page
    assert "18 februari 2027, 13:30" in page
    wid = int(re.search(r"/f/werkplaatsen/(\d+)", wurl).group(1))

    r = post_form(client, f"/f/werkplaatsen/{wid}/rondes/sjabloon", page=wurl)
    assert r.status_code == 303
    page = client.get(wurl).get_data(as_text=True)
    for spec in DEFAULT_KERNVRAGEN:
        assert spec.question.replace("'", "&#39;") in page
    # a second template run is refused, not doubled
    post_form(client, f"/f/werkplaatsen/{wid}/rondes/sjabloon", page=wurl)
    assert client.get(wurl).get_data(as_text=True).count("Ronde 5") == 1

    from noviwerk.extensions import db
    from noviwerk.models import Werkplaats

    fresh()
    w = db.session.get(Werkplaats, wid)
    last = w.rounds[-1]
    r = post_form(client, f"/f/werkplaatsen/{wid}/rondes/{last.id}/omhoog", page=wurl)
    assert r.status_code == 303
    fresh()
    assert [r.position for r in w.rounds] == [1, 2, 3, 4, 5]
    assert w.rounds[3].id == last.id

    add = f"/f/werkplaatsen/{wid}/rondes/nieuw"
    r = post_form(
        client, add, {"prompt": "  ", "kernvraag_id": "0", "planned_minutes": "10"}, page=add
    )
    assert r.status_code == 422 and "Geef de ronde een vraag" in r.get_data(as_text=True)
    r = post_form(
        client,
        add,
        {"prompt": "Wie doet wat?", "kernvraag_id": "0", "planned_minutes": "10"},
        page=add,
    )
    assert r.status_code == 303
    fresh()
    assert w.rounds[-1].prompt == "Wie doet wat?" and w.rounds[-1].position == 6


def test_trekker_sees_but_cannot_control_and_not_foreign_werkplaats(client, world):
    fac = world.user()
    trekker = world.user("trek@example.test", role="trekker")
    mine = world.werkplaats(facilitators=[fac], trekkers=[trekker])
    foreign = world.werkplaats(programme=mine.programme, title="Elders", facilitators=[fac])
    login(client, "trek@example.test")
    assert client.get(f"/f/werkplaatsen/{mine.id}").status_code == 200
    assert client.get(f"/f/werkplaatsen/{foreign.id}").status_code == 403
    assert client.get(f"/f/werkplaatsen/{foreign.id}/bijdragen.csv").status_code == 403
    r = post_form(client, f"/f/werkplaatsen/{mine.id}/openen", page=f"/f/werkplaatsen/{mine.id}")
    assert r.status_code == 403
    assert client.get(f"/f/werkplaatsen/{mine.id}/wall").status_code == 403
    assert client.get("/f/programmas/nieuw").status_code == 403


def test_facilitator_cannot_control_a_werkplaats_they_do_not_run(client, world):
    world.user()
    other = world.user("ander@example.test")
    theirs = world.werkplaats(facilitators=[other])
    login(client)
    r = post_form(client, f"/f/werkplaatsen/{theirs.id}/openen", page="/f/")
    assert r.status_code == 403
    assert "Geen toegang" in r.get_data(as_text=True)

    fresh()
    assert theirs.state.value == "gepland"


def test_a_round_opened_or_closed_from_the_werkplaats_page_comes_back_to_it(client, world):
    """The werkplaats page and the regie share one endpoint to open and close a round;
    ``next`` brings the facilitator back to the page they used, and only there."""
    fac = world.user()
    w = world.werkplaats(facilitators=[fac])
    world.open_werkplaats(w, round_position=1)
    r1, r2 = w.rounds[0].id, w.rounds[1].id
    login(client)
    wurl = f"/f/werkplaatsen/{w.id}"
    page = client.get(wurl).get_data(as_text=True)
    action = f"/f/werkplaatsen/{w.id}/regie/rondes/{r2}/openen"
    assert f'action="{action}"' in page and 'name="next" value="werkplaats"' in page

    r = post_form(client, action, {"next": "werkplaats"}, page=wurl)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{wurl}#rondes")
    assert "Ronde 2 is open." in client.get(wurl).get_data(as_text=True)
    fresh()
    assert [r.state.value for r in w.rounds[:2]] == ["gesloten", "open"]

    # From the regie (no next, or one that is not a known page): back to the regie.
    for data in ({}, {"next": "https://evil.example/"}):
        r = post_form(client, f"/f/werkplaatsen/{w.id}/regie/rondes/{r1}/openen", data, page=wurl)
        assert r.status_code == 303
        assert r.headers["Location"].endswith(f"/f/werkplaatsen/{w.id}/regie?ronde={r1}#rondes")

    # The werkplaats page's old address sends the form on (307), and it lands back there.
    r = post_form(client, f"{wurl}/rondes/{r1}/sluiten", page=wurl)
    assert r.status_code == 307
    assert f"/regie/rondes/{r1}/sluiten?next=werkplaats" in r.headers["Location"]
    r = post_form(client, r.headers["Location"], page=wurl)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{wurl}#rondes")
    fresh()
    assert w.rounds[0].state.value == "gesloten"

    # A refusal also returns to the page the facilitator came from, with the reason.
    post_form(client, f"{wurl}/sluiten", page=wurl)
    r = post_form(client, action, {"next": "werkplaats"}, page=wurl)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{wurl}#rondes")
    assert "Open eerst de werkplaats" in client.get(wurl).get_data(as_text=True)


def test_invisible_characters_are_stripped_from_what_staff_type(client, world):
    prog = world.programme(owner=world.user())
    login(client)
    url = f"/f/programmas/{prog.id}/werkplaatsen/nieuw"
    tags = "".join(chr(0xE0000 + ord(c)) for c in "verborgen")
    data = {
        "title": f"Ruimte\u2060 voor{tags} voedsel",
        "date": "2027-02-18",
        "time": "13:30",
        "place": "Utr\u061cecht",
        "kind": "inhoudelijk",
        "theme_id": "0",
        "organisation": "E" + "\u0301" * 200 + "Z",
    }
    r = post_form(client, url, data, page=url)
    assert r.status_code == 303, r.get_data(as_text=True)
    fresh()
    from noviwerk.extensions import db
    from noviwerk.models import Werkplaats

    w = db.session.get(Werkplaats, int(r.headers["Location"].rstrip("/").split("/")[-1]))
    assert (w.title, w.place) == ("Ruimte voor voedsel", "Utrecht")
    assert w.organisation == "E" + "\u0301" * 4 + "Z"
