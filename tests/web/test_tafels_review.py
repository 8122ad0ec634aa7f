"""Tafels, the edges a review found: the tafel screen writes nothing into a closed tafel, a
closed werkplaats or a plenary round; its link can be replaced; the plenary and the tafels
page read the same number of statements however many tafels there are."""

from __future__ import annotations

import re

import pytest

from noviwerk.services import participation, tafels, werkplaatsen
from tests.conftest import Phone, contributions, fresh, login, post_form, statements, werkplaats_url


@pytest.fixture
def room(app, world):
    _fac, w = world.live()
    client = app.test_client()
    login(client)
    ts = [tafels.save_tafel(w, name) for name in ("Tafel A", "Tafel B")]
    return client, w, ts


def _post(w, tafel, text, key):
    p = participation.join(w, f"{tafel.name}-{key}")
    tafels.seat(p, tafel.id)
    return participation.post_contribution(p, w.rounds[0].id, text, client_key=key)[0]


def _statements(fn) -> int:
    return statements(fn)[0]


def test_the_plenary_and_the_tafels_page_read_as_much_for_six_tafels_as_for_two(app, world, room):
    client, w, (a, b) = room
    programme = w.programme
    focuses = [f"{kind}:{x.id}" for pair in zip(programme.themes, programme.kernvragen, strict=False)
               for kind, x in zip(("thema", "kernvraag"), pair, strict=True)]  # fmt: skip
    assert len(focuses) >= 4

    def add(i):
        user = world.user(email=f"voorzitter{i}@example.test")
        return tafels.save_tafel(w, f"Tafel {i}", focus=focuses[i % len(focuses)],
                                 voorzitter_id=str(user.id))  # fmt: skip

    for i in range(2):
        _post(w, add(i), "Bodemdaling in de polder", f"x{i}")
    urls = [werkplaats_url(w, "tafels", "/plenair"), werkplaats_url(w, "tafels"),
            werkplaats_url(w, "tafels", "/regie")]  # fmt: skip

    def reads():
        fresh()
        return [_statements(lambda u=u: client.get(u)) for u in urls]

    before = reads()
    for i in range(2, 6):
        _post(w, add(i), "Bodemdaling in de polder", f"x{i}")
    assert reads() == before, "no statement per tafel (its focus, its voorzitter)"


def _mark(screen, tafel, contribution):
    url = f"/tafel/{tafel.token}"
    return post_form(screen, f"{url}/hoofdpunten/{contribution.id}", {"on": "1"}, page=url)


def test_a_closed_tafel_s_screen_marks_no_main_points_and_offers_no_button(app, room):
    _client, w, (a, _b) = room
    said = _post(w, a, "Water vasthouden", "k1")
    tafels.close_tafel(a)
    screen = app.test_client()
    assert "Hoofdpunt</button>" not in screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    _mark(screen, a, said)
    page = screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    assert "Deze tafel is gesloten; er kan niets meer bij." in page
    fresh()
    assert tafels.main_points(a) == []


def test_a_closed_werkplaats_s_tafel_screen_marks_no_main_points(app, room):
    _client, w, (a, _b) = room
    said = _post(w, a, "Water vasthouden", "k1")
    werkplaatsen.close_werkplaats(w)
    screen = app.test_client()
    _mark(screen, a, said)
    assert "Deze werkplaats is gesloten" in screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    fresh()
    assert tafels.main_points(a) == []


def test_the_tafel_screen_types_no_flap_into_a_plenary_round(app, room):
    client, w, (a, _b) = room
    url = werkplaats_url(w, "tafels")
    post_form(client, werkplaats_url(w, "tafels", "/rondes"), {"ronde": []}, page=url)
    screen = app.test_client()
    page = screen.get(f"/tafel/{a.token}").get_data(as_text=True)
    assert "Toevoegen aan de tafel" not in page and "Deze ronde is plenair" in page
    r = post_form(screen, f"/tafel/{a.token}/notitie", {"text": "Van de flap", "source": "flap"},
                  page=f"/tafel/{a.token}")  # fmt: skip
    assert r.status_code == 422 and "Deze ronde is plenair" in r.get_data(as_text=True)
    assert contributions(w) == []


def test_the_facilitator_replaces_a_tafel_screen_s_link_and_the_old_one_opens_nothing(app, room):
    client, w, (a, b) = room
    old, other = a.token, b.token
    url = werkplaats_url(w, "tafels")
    assert f"/tafel/{old}" in client.get(url).get_data(as_text=True)
    r = post_form(client, werkplaats_url(w, "tafels", f"/{a.id}/nieuwe-link"), page=url)
    assert r.status_code == 303
    fresh()
    assert a.token != old and b.token == other, "only this tafel's link changes"
    screen = app.test_client()
    assert screen.get(f"/tafel/{old}").status_code == 404
    r = post_form(screen, f"/tafel/{old}/notitie", {"text": "Via de oude link", "source": "flap"},
                  page=f"/tafel/{a.token}")  # fmt: skip
    assert r.status_code == 404 and contributions(w) == []
    page = client.get(url).get_data(as_text=True)
    assert f"/tafel/{a.token}" in page and f"/tafel/{old}" not in page
    assert 'Nieuwe link<span class="visually-hidden"> voor Tafel A</span>' in page
    assert screen.get(f"/tafel/{a.token}").status_code == 200


def test_with_every_tafel_closed_the_werkplaats_is_one_circle_again(app, room):
    """The tafels page promises: without open tafels the werkplaats works as one circle. A
    phone still seated at a closed tafel then posts without a tafel, instead of being told
    to pick another tafel that does not exist."""
    _client, w, (a, b) = room
    phone = Phone.join(app, w.join_code, tafel=str(a.id))
    tafels.close_tafel(a)
    r = phone.post("Nog bij A")
    assert r.status_code == 422 and "Je tafel is gesloten" in r.get_data(as_text=True)
    tafels.close_tafel(b)
    phone.post("Nu in de kring")
    assert [(c.text, c.tafel_id) for c in contributions(w)] == [("Nu in de kring", None)]


def test_the_plenary_of_one_round_shows_only_that_round_s_main_points(app, room):
    from noviwerk.services.rounds import open_round

    client, w, (a, _b) = room
    first = _post(w, a, "Water vasthouden in ronde een", "k1")
    tafels.mark_point(a, first.id, True)
    second_round = w.rounds[1]
    open_round(w, second_round.id)
    p = participation.join(w, "R2")
    tafels.seat(p, a.id)
    second = participation.post_contribution(p, second_round.id, "Groene daken in ronde twee",
                                             client_key="k2")[0]  # fmt: skip
    tafels.mark_point(a, second.id, True)
    url = werkplaats_url(w, "tafels", "/plenair")
    points = lambda page: re.findall(r'<ol class="tafel-points">(.*?)</ol>', page, re.S)  # noqa: E731
    everything = "".join(points(client.get(url).get_data(as_text=True)))
    assert "ronde een" in everything and "ronde twee" in everything
    only_two = "".join(points(client.get(f"{url}?ronde={second_round.id}").get_data(as_text=True)))
    assert "ronde twee" in only_two and "ronde een" not in only_two


def _tags(page: str) -> list[str]:
    found = re.findall(r'<span class="label-tag tafel-tag">(.*?)</span> ', page, re.S)
    return [re.sub(r"<[^>]+>", "", t) for t in found]


def test_wall_and_beamer_cards_name_the_tafel_they_came_from(app, room):
    client, w, (a, b) = room
    _post(w, a, "Water vasthouden", "k1")
    _post(w, b, "Woningbouw bij stations", "k2")
    wall = client.get(werkplaats_url(w, "wall")).get_data(as_text=True)
    assert sorted(_tags(wall)) == ["tafel: Tafel A", "tafel: Tafel B"]
    assert sorted(_tags(client.get(werkplaats_url(w, "beamer")).get_data(as_text=True))) == [
        "tafel: Tafel A", "tafel: Tafel B"]  # fmt: skip
    cursor = re.search(r'id="wall-cursor"[^>]*value="(\d+)"', wall).group(1)
    version = re.search(r'id="wall-version"[^>]*value="(\d+)"', wall).group(1)
    _post(w, b, "Nog iets van B", "k3")
    changes = client.get(werkplaats_url(w, "wall", f"/wijzigingen?after={cursor}&v={version}"))
    assert _tags(changes.get_data(as_text=True)) == ["tafel: Tafel B"]


def test_the_wall_reads_the_tafel_names_in_one_statement_however_many_tafels(app, room):
    client, w, (a, b) = room
    _post(w, a, "Water", "k1")
    _post(w, b, "Wonen", "k2")
    fresh()
    before = _statements(lambda: client.get(werkplaats_url(w, "wall")))
    for i in range(4):
        _post(w, tafels.save_tafel(w, f"Tafel {i}"), f"Punt {i}", f"m{i}")
    fresh()
    assert _statements(lambda: client.get(werkplaats_url(w, "wall"))) == before


def test_without_tafels_the_wall_cards_carry_no_tafel_tag(app, world):
    from tests.conftest import login as log_in

    _fac, _trekker, w = world.with_posts(("Bodemdaling gaat door", "Iets anders"))
    client = app.test_client()
    log_in(client)
    for page in ("wall", "beamer"):
        body = client.get(werkplaats_url(w, page)).get_data(as_text=True)
        assert "Bodemdaling gaat door" in body and "tafel-tag" not in body
