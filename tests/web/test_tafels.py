"""Tafels over HTTP: the facilitator sets them up, phones join at a tafel (by choice or by
the tafel's QR link) and move, posts keep their tafel, the tafel's screen shows its own
input live, the tafelvoorzitter types in the flap and marks three points, and the plenary
rolls the tafels up."""

from __future__ import annotations

import re

import pytest

from noviwerk.services import participation, tafels
from tests.conftest import Phone, contributions, fresh, login, post_form, werkplaats_url


@pytest.fixture
def room(app, world):
    """A facilitator logged in, an open werkplaats with round 1 open and tafels A, B, C."""
    fac, w = world.live()
    client = app.test_client()
    login(client)
    ts = [tafels.save_tafel(w, name) for name in ("Tafel A", "Tafel B", "Tafel C")]
    return client, w, ts


def _phone_at(app, w, tafel, name="") -> Phone:
    return Phone.join(app, w.join_code, display_name=name, tafel=str(tafel.id))


def test_the_facilitator_adds_edits_closes_and_deletes_tafels(app, world):
    _fac, w = world.live()
    client = app.test_client()
    login(client)
    url = werkplaats_url(w, "tafels")
    kernvraag = w.programme.kernvragen[0]
    r = post_form(client, url, {"name": "Water", "focus": f"kernvraag:{kernvraag.id}",
                                "voorzitter_name": "Anne Jansen", "voorzitter_id": ""}, page=url)  # fmt: skip
    assert r.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Water" in page and kernvraag.title in page and "Anne Jansen" in page
    assert re.search(r'/tafel/[\w-]{24,}', page), "the tafel screen's link is on the page"
    assert "/tafels/" in page and "qr.svg" in page
    r = post_form(client, url, {"name": "water"}, page=url)
    assert r.status_code == 422 and "Er is al een tafel met deze naam" in r.get_data(as_text=True)
    fresh()
    tafel = tafels.tafels_of(w)[0]
    edit = werkplaats_url(w, "tafels", f"/{tafel.id}/bewerken")
    assert post_form(client, edit, {"name": "Water en bodem"}, page=edit).status_code == 303
    fresh()
    assert [t.name for t in tafels.tafels_of(w)] == ["Water en bodem"]
    # Something said there: it cannot be deleted, only closed.
    phone = _phone_at(app, w, tafel)
    phone.post("Bodemdaling gaat door")
    r = post_form(client, werkplaats_url(w, "tafels", f"/{tafel.id}/verwijderen"), page=url)
    assert r.status_code == 303
    assert "een tafel met bijdragen kan niet weg" in client.get(url).get_data(as_text=True)
    post_form(client, werkplaats_url(w, "tafels", f"/{tafel.id}/sluiten"), page=url)
    fresh()
    assert [(t.name, t.is_closed) for t in tafels.tafels_of(w)] == [("Water en bodem", True)]


def test_the_tafel_qr_code_is_an_svg_that_seats_the_phone_there(app, room):
    client, w, (a, b, _c) = room
    r = client.get(werkplaats_url(w, "tafels", f"/{b.id}/qr.svg"))
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "Tafel B" in r.get_data(as_text=True)
    phone = app.test_client()
    r = phone.get(f"/j/{w.join_code}?tafel={b.id}")
    assert r.status_code == 302 and f"/w/{w.join_code}/welkom?tafel={b.id}" in r.headers["Location"]
    page = phone.get(r.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'value="{b.id}"\s+checked', page), "the QR's tafel is chosen already"
    r = post_form(phone, f"/w/{w.join_code}/welkom?tafel={b.id}", {"tafel": str(b.id)},
                  page=f"/w/{w.join_code}/welkom?tafel={b.id}")  # fmt: skip
    assert r.status_code == 303
    Phone(phone, w.join_code).post("Meer groen")
    assert [c.tafel_id for c in contributions(w)] == [b.id]
    # A phone that joined already and scans another tafel's code is offered the move.
    r = phone.get(f"/j/{w.join_code}?tafel={a.id}", follow_redirects=True)
    assert "Naar deze tafel" in r.get_data(as_text=True)


def test_a_phone_must_pick_a_tafel_and_can_move_later_keeping_its_posts(app, room):
    _client, w, (a, b, c) = room
    tafels.close_tafel(c)
    phone = app.test_client()
    phone.get(f"/w/{w.join_code}")
    welcome = phone.get(f"/w/{w.join_code}/welkom").get_data(as_text=True)
    assert "Aan welke tafel zit je?" in welcome and "Tafel A" in welcome
    assert "Tafel C" not in welcome, "a closed tafel is not offered"
    r = post_form(phone, f"/w/{w.join_code}/welkom", {"display_name": "Piet"}, page=f"/w/{w.join_code}/welkom")
    assert r.status_code == 422 and "Kies aan welke tafel je zit." in r.get_data(as_text=True)
    r = post_form(phone, f"/w/{w.join_code}/welkom", {"tafel": str(c.id)}, page=f"/w/{w.join_code}/welkom")
    assert r.status_code == 422 and "Deze tafel is gesloten" in r.get_data(as_text=True)
    r = post_form(phone, f"/w/{w.join_code}/welkom", {"tafel": str(a.id)}, page=f"/w/{w.join_code}/welkom")
    assert r.status_code == 303
    p = Phone(phone, w.join_code)
    assert "Je zit aan Tafel A." in p.page()
    p.post("Meer ruimte voor water")
    move = f"/w/{w.join_code}/tafel"
    assert post_form(phone, move, {"tafel": str(b.id)}, page=move).status_code == 303
    assert "Je zit aan Tafel B." in p.page()
    p.post("Bodemdaling")
    assert [(x.text, x.tafel_id) for x in contributions(w)] == [
        ("Meer ruimte voor water", a.id),
        ("Bodemdaling", b.id),
    ]


def test_a_phone_never_posts_into_a_tafel_it_did_not_join(app, room):
    _client, w, (a, b, _c) = room
    phone = _phone_at(app, w, a)
    page = phone.page()
    data = {"text": "Ik probeer tafel B", "round_id": str(w.rounds[0].id), "tafel": str(b.id),
            "tafel_id": str(b.id), "client_key": Phone.CLIENT_KEY.search(page).group(1)}  # fmt: skip
    assert post_form(phone.client, f"{phone.url}/bijdragen", data, page=phone.url).status_code == 303
    assert [x.tafel_id for x in contributions(w)] == [a.id]


def test_a_werkplaats_without_tafels_asks_for_none(app, world):
    _fac, w = world.live()
    phone = Phone.join(app, w.join_code)
    page = phone.page()
    assert "tafel" not in page.lower()
    phone.post("Zonder tafel")
    assert [x.tafel_id for x in contributions(w)] == [None]


def test_the_tafel_screen_shows_its_own_input_live_by_cursor(app, room):
    _client, w, (a, b, _c) = room
    at_a, at_b = _phone_at(app, w, a), _phone_at(app, w, b)
    at_a.post("Water vasthouden in de wijk")
    at_b.post("Woningbouw op de goede plek")
    screen = app.test_client()  # a laptop on the table: no account
    page = screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    assert "Water vasthouden in de wijk" in page and "Woningbouw" not in page
    cursor = int(re.search(r'id="tafel-cursor" name="after" value="(\d+)"', page).group(1))
    version = int(re.search(r'id="tafel-version" name="v" value="(\d+)"', page).group(1))
    changes = f"/tafel/{a.token}/wijzigingen?after={cursor}&v={version}"
    assert screen.get(changes).status_code == 204
    at_b.post("Nog iets van tafel B")
    r = screen.get(changes)
    assert r.status_code == 200 and "tafel B" not in r.get_data(as_text=True)
    moved = int(re.search(r'id="tafel-cursor" name="after" value="(\d+)"', r.get_data(as_text=True)).group(1))
    assert moved > cursor, "changes at other tafels move the cursor on"
    at_a.post("Groene daken")
    body = screen.get(f"/tafel/{a.token}/wijzigingen?after={moved}&v={version}").get_data(as_text=True)
    assert "Groene daken" in body and "Water vasthouden" not in body
    assert "2 bijdragen" in body, "the screen's count follows"
    assert screen.get("/tafel/niet-bestaand-token-xxxxxxxxxx").status_code == 404


def test_the_voorzitter_types_the_flap_and_marks_three_points_on_the_screen(app, room):
    _client, w, (a, _b, _c) = room
    screen = app.test_client()
    url = f"/tafel/{a.token}"
    for text in ("Punt een", "Punt twee", "Punt drie", "Punt vier"):
        r = post_form(screen, f"{url}/notitie", {"text": text, "source": "flap", "label": ""}, page=url)
        assert r.status_code == 303
    r = post_form(screen, f"{url}/notitie", {"text": "  ", "source": "flap", "label": ""}, page=url)
    assert r.status_code == 422 and "Je bijdrage is leeg" in r.get_data(as_text=True)
    stored = contributions(w)
    assert {(c.source.value, c.tafel_id) for c in stored} == {("flap", a.id)}
    for c in stored[:3]:
        post_form(screen, f"{url}/hoofdpunten/{c.id}", {"on": "1"}, page=url)
    post_form(screen, f"{url}/hoofdpunten/{stored[3].id}", {"on": "1"}, page=url)
    page = screen.get(url).get_data(as_text=True)
    assert "Een tafel kiest 3 hoofdpunten" in page
    points = re.search(r'<ol class="tafel-points">(.*?)</ol>', page, re.S).group(1)
    assert [t for t in ("Punt een", "Punt twee", "Punt drie", "Punt vier") if t in points] == [
        "Punt een", "Punt twee", "Punt drie"]  # fmt: skip


def test_the_plenary_shows_each_tafel_and_what_several_tafels_raised(app, room):
    client, w, (a, b, c) = room
    said = {
        a: ["Bodemdaling in het veenweidegebied", "Bodemdaling kost boeren veel",
            "Meer groen op daken", "Fietspaden tussen de dorpen", "Energie uit zon op daken"],
        b: ["Bodemdaling vraagt nieuw waterbeheer", "Bodemdaling en funderingen",
            "Woningbouw bij stations", "Natuur verbinden met de stad"],
        c: ["Hittestress in de stad", "Hittestress raakt ouderen", "Bodemdaling in de polder"],
    }  # fmt: skip
    for tafel, texts in said.items():
        for i, text in enumerate(texts):
            p = participation.join(w, f"D{tafel.id}-{i}")
            tafels.seat(p, tafel.id)
            participation.post_contribution(p, w.rounds[0].id, text, client_key=f"k{i}")
    page = client.get(werkplaats_url(w, "tafels", "/plenair")).get_data(as_text=True)
    assert page.count("<h3>Tafel ") == 3
    shared = re.search(r'id="gedeeld".*?</section>', page, re.S).group(0)
    assert "Bodemdaling" in shared and "aan 3 van de 3 tafels" in shared
    own = re.search(r'id="eigen".*?</section>', page, re.S).group(0)
    assert "Hittestress" in own and "Tafel C" in own
    # Projected as the beamer is: no site menu, only the way back to the tafels.
    assert 'aria-label="Hoofdmenu"' not in page and "site-header" not in page
    assert werkplaats_url(w, "tafels") in page


def _post_at(w, tafel, texts, prefix="k"):
    for i, text in enumerate(texts):
        p = participation.join(w, f"{tafel.name}-{i}")
        tafels.seat(p, tafel.id)
        participation.post_contribution(p, w.rounds[0].id, text, client_key=f"{prefix}{i}")


def test_the_bouwsteen_says_which_tafels_raised_a_rode_draad_and_groups_the_bijlage(app, room):
    from tests.conftest import bouwsteen_url, make_bouwsteen

    client, w, (a, b, c) = room
    _post_at(w, a, ["Bodemdaling in het veenweidegebied", "Fietspaden tussen de dorpen",
                    "Energie uit zon op daken"])  # fmt: skip
    _post_at(w, c, ["Bodemdaling in de polder", "Hittestress in de stad", "Hittestress raakt ouderen",
                    "Woningbouw bij stations"])  # fmt: skip
    _post_at(w, b, ["Natuur verbinden met de stad"])
    make_bouwsteen(client, w)
    md = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert re.search(r"\*\*Bodemdaling[^*]*\*\* — .*, aan Tafel A en Tafel C\. ", md), md
    assert re.search(r"\*\*Hittestress\*\* — .*, aan Tafel C\.", md)
    headings = re.findall(r"^### (Ronde 1 .*)$", md, re.M)
    assert [h.rsplit(" · ", 1)[-1] for h in headings] == ["Tafel A", "Tafel B", "Tafel C"]
    # The bijlage numbers run tafel by tafel, so a citation finds its tafel's block.
    bijlage = md[md.index(headings[0]):]
    assert bijlage.index("Fietspaden") < bijlage.index("Natuur verbinden") < bijlage.index("Hittestress in de stad")


def test_a_bouwsteen_without_tafels_names_none(client, world):
    from tests.conftest import bouwsteen_url, make_bouwsteen
    from tests.conftest import login as log_in

    _fac, _trekker, w = world.with_posts(("Bodemdaling gaat door", "Bodemdaling in de polder", "Iets anders"))
    log_in(client)
    make_bouwsteen(client, w)
    md = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    assert "tafel" not in md.lower()


def test_the_regie_shows_per_tafel_who_joined_who_posted_and_which_velden(app, room):
    client, w, (a, b, _c) = room
    for i, veld in enumerate(("maatschappelijk", "interbestuurlijk")):
        p = participation.join(w, f"A{i}", veld=veld)
        tafels.seat(p, a.id)
    p = participation.join(w, "A-post", veld="maatschappelijk")
    tafels.seat(p, a.id)
    participation.post_contribution(p, w.rounds[0].id, "Water", client_key="k1")
    tafels.seat(participation.join(w, "B0"), b.id)
    for url in (werkplaats_url(w, "regie"), werkplaats_url(w, "tafels", "/regie")):
        page = client.get(url).get_data(as_text=True)
        rows = {m.group(1): m.group(2) for m in re.finditer(r'<tr><th scope="row">(Tafel \w)</th>(.*?)</tr>', page, re.S)}
        cells = lambda row: re.findall(r"<td>(.*?)</td>", row, re.S)  # noqa: E731
        assert [x.strip() for x in cells(rows["Tafel A"])][:3] == ["3", "1", "1"]
        assert "Maatschappelijk (1)" in rows["Tafel A"] or "maatschappelijk (1)" in rows["Tafel A"]
        assert [x.strip() for x in cells(rows["Tafel B"])][:3] == ["1", "0", "0"]


def test_a_plenary_round_takes_posts_without_a_tafel(app, room):
    client, w, (a, _b, _c) = room
    url = werkplaats_url(w, "tafels")
    rounds = w.rounds
    keep = [str(r.id) for r in rounds[1:]]  # round 1 (open) becomes plenary
    r = post_form(client, werkplaats_url(w, "tafels", "/rondes"), {"ronde": keep}, page=url)
    assert r.status_code == 303
    phone = _phone_at(app, w, a)
    phone.post("Plenair gezegd")
    assert [x.tafel_id for x in contributions(w)] == [None]
    r = post_form(client, werkplaats_url(w, "tafels", "/rondes"), {"ronde": ["99999"]}, page=url)
    assert "Kies rondes van deze werkplaats" in client.get(url).get_data(as_text=True)
    fresh()
    assert [r.is_at_tafels for r in w.rounds] == [False] + [True] * (len(rounds) - 1)


def test_the_contributions_download_keeps_each_post_s_tafel(app, room):
    import json

    client, w, (a, b, _c) = room
    _post_at(w, a, ["Bodemdaling"])
    _post_at(w, b, ["Hittestress"], prefix="m")
    body = json.loads(client.get(werkplaats_url(w, "bijdragen.json")).get_data(as_text=True))
    rows = body["werkplaatsen"][0]["contributions"]
    assert [(r["text"], r["tafel"]) for r in rows] == [("Bodemdaling", "Tafel A"), ("Hittestress", "Tafel B")]


def test_the_facilitator_seats_a_participant_who_chose_no_tafel(app, room, world):
    client, w, (a, b, _c) = room
    p = participation.join(w, "Zonder tafel")  # joined before the tafels were set up
    url = werkplaats_url(w, "tafels")
    page = client.get(url).get_data(as_text=True)
    assert "1 deelnemer koos nog geen tafel." in page and "Zonder tafel" in page
    r = post_form(client, werkplaats_url(w, "tafels", "/toewijzen"),
                  {"deelnemer": str(p.id), "tafel": str(b.id)}, page=url)  # fmt: skip
    assert r.status_code == 303
    fresh()
    assert p.tafel_id == b.id
    other = world.werkplaats(w.programme, title="Elders")
    world.open_werkplaats(other)
    stranger = participation.join(other, "Elders")
    post_form(client, werkplaats_url(w, "tafels", "/toewijzen"),
              {"deelnemer": str(stranger.id), "tafel": str(a.id)}, page=url)  # fmt: skip
    assert "Kies een deelnemer uit de lijst." in client.get(url).get_data(as_text=True)
    fresh()
    assert stranger.tafel_id is None


def test_the_tafel_screen_waits_for_push_and_a_post_wakes_it(app, room):
    """Without an account, like the wall: its page names its wait, which a post answers."""
    import threading
    import time

    _client, w, (a, b, _c) = room
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 10
    screen = app.test_client()
    page = screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    assert f'data-live="/tafel/{a.token}/live"' in page and "js/live" in page
    cursor = int(re.search(r'id="tafel-cursor" name="after" value="(\d+)"', page).group(1))
    version = int(re.search(r'id="tafel-version" name="v" value="(\d+)"', page).group(1))
    box: dict = {}

    def wait():
        started = time.monotonic()
        r = app.test_client().get(f"/tafel/{a.token}/live?after={cursor}&v={version}")
        box.update(json=r.get_json(), seconds=time.monotonic() - started)

    thread = threading.Thread(target=wait)
    thread.start()
    deadline = time.monotonic() + 5
    while not (app.extensions.get("noviwerk_live") and app.extensions["noviwerk_live"].waiting.get(w.id)):
        assert time.monotonic() < deadline, "the screen does not wait"
        time.sleep(0.01)
    # A post at another tafel does not wake it: with 20 tafels, every screen would fetch.
    _phone_at(app, w, b).post("Meer bomen langs de weg")
    thread.join(0.5)
    assert thread.is_alive(), "woken by another tafel's post"
    _phone_at(app, w, a).post("Water vasthouden in de wijk")
    thread.join(10)
    assert box["json"]["seq"] > cursor and box["seconds"] < 2  # not the 10 s hold
    # A screen whose cursor is behind by other tafels' posts only waits for its own.
    app.config["NOVIWERK_PUSH_HOLD_SECONDS"] = 0.5
    _phone_at(app, w, b).post("Nog meer bomen")
    started = time.monotonic()
    r = app.test_client().get(f"/tafel/{a.token}/live?after={box['json']['seq']}&v={version}")
    assert time.monotonic() - started >= 0.45, "answered at once for another tafel's post"
    assert r.get_json()["seq"] > box["json"]["seq"]
    assert screen.get("/tafel/niet-bestaand-token-xxxxxxxxxx/live").status_code == 404
    app.config["NOVIWERK_PUSH_MAX"] = 0  # push off: the screen polls
    page = screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    assert "data-live=" not in page and 'data-poll-ms="500"' in page
