"""A full room, live: the regie follows posts by cursor (rows, inbox, counts, signals)
without a reload, works the inbox in bulk, offers near-duplicates to merge with; a refused
round delete returns to its page; a closed round's timer is gone; the beamer shows every
card and invites the room when it is empty."""

from __future__ import annotations

import re

import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Contribution
from noviwerk.services import participation, rounds
from tests.conftest import fresh, login, post_form


def _regie(w, tail=""):
    return f"/f/werkplaatsen/{w.id}/regie{tail}"


def _page_state(html):
    cursor = re.search(r'id="regie-cursor" name="after" value="(\d+)"', html).group(1)
    version = re.search(r'id="regie-version" name="v" value="(\d+)"', html).group(1)
    return int(cursor), int(version)


def _changes(client, w, after, version, rnd=None):
    rid = (rnd or w.rounds[0]).id
    return client.get(_regie(w, f"/wijzigingen?ronde={rid}&k=open&after={after}&v={version}"))


def _post(w, text, *, veld="maatschappelijk", round_index=0):
    p = participation.join(w, veld=veld)
    return participation.post_contribution(p, w.rounds[round_index].id, text)[0]


def _by_text(text):
    fresh()
    return db.session.scalar(sa.select(Contribution).where(Contribution.text == text))


def _premoderated(w, index=0):
    rounds.configure(
        w,
        w.rounds[index].id,
        kind="open",
        is_support_allowed=False,
        is_premoderated=True,
        votes_per_participant=3,
        grace_seconds=90,
    )


def test_the_regie_gets_new_posts_counts_and_the_inbox_by_cursor(client, world):
    _fac, w = world.live()
    _premoderated(w, 1)
    _post(w, "Eerste bijdrage over water")
    login(client)
    after, version = _page_state(client.get(_regie(w)).get_data(as_text=True))
    assert _changes(client, w, after, version).status_code == 204  # nothing new: no body

    _post(w, "Tweede bijdrage over dijken")
    rounds.open_round(w, w.rounds[1].id)
    waiting = _post(w, "Eerst keuren graag", round_index=1)
    r = _changes(client, w, after, version)
    body = r.get_data(as_text=True)
    second = _by_text("Tweede bijdrage over dijken")
    # The new row of the round (marked new, so the page inserts it), not the old one again.
    assert f'<li id="m-{second.id}"' in body and 'data-new="1"' in body
    assert "Eerste bijdrage over water" not in body
    # The waiting one goes to the inbox, with the counts and the cursor out of band.
    assert f'<li id="i-{waiting.id}"' in body
    assert '<span id="inbox-count" hx-swap-oob="true">1</span>' in body
    assert "3 bijdragen" not in body and "2 bijdragen" in body  # pending is not on the wall
    assert '<span id="bijdragen-count" hx-swap-oob="true">2</span>' in body
    new_cursor = int(re.search(r'id="regie-cursor" name="after" value="(\d+)"', body).group(1))
    assert new_cursor > after
    # Opening round 2 changed the rounds: their section comes along, and the version.
    assert 'id="rondes" class="card" aria-labelledby="rondes-title" hx-swap-oob="true"' in body
    assert 'id="regie-version" name="v" value="' in body


def test_approved_and_withdrawn_rows_leave_their_lists(client, world):
    _fac, w = world.live()
    _premoderated(w)
    waiting = _post(w, "Wacht op een facilitator")
    login(client)
    after, version = _page_state(client.get(_regie(w)).get_data(as_text=True))
    url = _regie(w, f"/bijdragen/{waiting.id}/goedkeuren")
    r = post_form(client, url, page=_regie(w), headers={"HX-Request": "true"})
    # From htmx: no reload, a message for the status region and the poll fires at once.
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "regie-refresh"
    assert "goedgekeurd" in r.get_data(as_text=True)
    body = _changes(client, w, after, version).get_data(as_text=True)
    assert f'data-remove="i-{waiting.id}"' in body
    assert f'<li id="m-{waiting.id}" class="mod-row mod-zichtbaar' in body


def test_bulk_approval_and_rejection_of_the_inbox(client, world):
    _fac, w = world.live()
    _premoderated(w)
    texts = ["Wachtende een", "Wachtende twee", "Wachtende drie", "Wachtende vier"]
    ids = [_post(w, t).id for t in texts]
    login(client)
    page = client.get(_regie(w)).get_data(as_text=True)
    assert page.count('name="bijdrage"') == 4 and "Gekozen goedkeuren" in page
    r = post_form(
        client,
        _regie(w, "/inbox"),
        {"bijdrage": [str(i) for i in ids[:3]], "actie": "goedkeuren"},
        page=_regie(w),
    )
    assert r.status_code == 303
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "3 bijdragen goedgekeurd." in html
    assert [_by_text(t).state.value for t in texts] == ["zichtbaar"] * 3 + ["wacht"]
    # One approved meanwhile and one still waiting: the waiting one is rejected, the other
    # is left as it is and said so.
    r = post_form(
        client,
        _regie(w, "/inbox"),
        {"bijdrage": [str(ids[0]), str(ids[3])], "actie": "afwijzen"},
        page=_regie(w),
    )
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1 bijdrage afgewezen. 1 wachtte niet meer op moderatie." in html
    assert _by_text(texts[0]).state.value == "zichtbaar"
    assert _by_text(texts[3]).state.value == "verborgen"


def test_bulk_approval_refuses_nothing_chosen_and_foreign_ids(client, world):
    _fac, w = world.live()
    _premoderated(w)
    mine = _post(w, "Van deze werkplaats")
    other = world.werkplaats(programme=w.programme, title="Een andere")
    world.open_werkplaats(other)
    _premoderated(other)
    foreign = _post(other, "Van een andere werkplaats")
    login(client)
    r = post_form(client, _regie(w, "/inbox"), {"actie": "goedkeuren"}, page=_regie(w))
    assert "Kies eerst een of meer bijdragen" in client.get(r.headers["Location"]).get_data(
        as_text=True
    )
    r = post_form(
        client,
        _regie(w, "/inbox"),
        {"bijdrage": [str(mine.id), str(foreign.id)], "actie": "goedkeuren"},
        page=_regie(w),
    )
    assert r.status_code == 303
    assert _by_text("Van deze werkplaats").state.value == "wacht"  # nothing changed
    assert _by_text("Van een andere werkplaats").state.value == "wacht"


def test_merge_offers_the_near_duplicates_of_the_round(client, world):
    _fac, w = world.live()
    keep = _post(w, "Meer ruimte voor water in de stad")
    _post(w, "Fietspaden langs de dijk verbreden")
    again = _post(w, "Meer ruimte voor water in steden")
    login(client)
    page = client.get(_regie(w)).get_data(as_text=True)
    assert _regie(w, f"/bijdragen/{again.id}") in page  # "Meer" per row
    panel = client.get(_regie(w, f"/bijdragen/{again.id}"), headers={"HX-Request": "true"})
    html = panel.get_data(as_text=True)
    assert f'value="{keep.id}" id="met-{again.id}-{keep.id}" checked' in html
    assert "Fietspaden" not in html and "<html" not in html
    # Without script, the same choice is a page of its own.
    assert "<html" in client.get(_regie(w, f"/bijdragen/{again.id}")).get_data(as_text=True)
    r = post_form(
        client,
        _regie(w, f"/bijdragen/{again.id}/samenvoegen"),
        {"value": str(keep.id), "nummer": ""},
        page=_regie(w),
    )
    assert r.status_code == 303
    assert _by_text("Meer ruimte voor water in steden").merged_into_id == keep.id


def test_signals_refresh_only_when_something_changed(client, world):
    _fac, w = world.live()
    _post(w, "Een eerste punt")
    login(client)
    page = client.get(_regie(w)).get_data(as_text=True)
    url = re.search(r'hx-get="([^"]*/signalen[^"]*)"', page).group(1).replace("&amp;", "&")
    assert client.get(url).status_code == 204
    _post(w, "Een tweede punt", veld="interbestuurlijk")
    html = client.get(url).get_data(as_text=True)
    assert "2 bijdragen" in html and "2 van 2 deelnemers brachten iets in" in html


def test_a_refused_round_delete_returns_to_the_werkplaats_page(client, world):
    _fac, w = world.live()
    _post(w, "Een bijdrage in ronde een")
    rounds.close_round(w, w.rounds[0].id)
    login(client)
    page = client.get(f"/f/werkplaatsen/{w.id}").get_data(as_text=True)
    delete = f"/f/werkplaatsen/{w.id}/rondes/{{}}/verwijderen"
    # Not offered on the round that holds contributions; offered on an empty one.
    assert delete.format(w.rounds[0].id) not in page and delete.format(w.rounds[1].id) in page
    r = post_form(client, delete.format(w.rounds[0].id), page=f"/f/werkplaatsen/{w.id}")
    assert r.status_code == 303 and r.headers["Location"] == f"/f/werkplaatsen/{w.id}#rondes"
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "heeft bijdragen en kan niet worden verwijderd" in html
    fresh()
    assert len(w.rounds) == 5


def test_closing_a_round_stops_its_timer_on_beamer_regie_and_phone(app, client, world):
    _fac, w = world.live()
    phone = world.phone(w)
    rounds.timer(w, w.rounds[0].id, "start", 10)
    login(client)
    assert 'role="timer"' in client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert 'role="timer"' in phone.page()
    r = post_form(client, _regie(w, f"/rondes/{w.rounds[0].id}/sluiten"), page=_regie(w))
    assert r.status_code == 303
    fresh()
    assert w.rounds[0].ends_at is None
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert "gesloten" in beamer and 'role="timer"' not in beamer
    assert 'role="timer"' not in client.get(_regie(w)).get_data(as_text=True)
    assert 'role="timer"' not in phone.page()


def test_the_beamer_holds_every_card_and_invites_an_empty_room(client, world):
    _fac, w = world.live()
    login(client)
    empty = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert "Scan de QR-code en doe mee!" in empty and 'class="qr beamer-empty-qr"' in empty
    # The pause is for the operator (Tab or P), not projected as a button on the wall.
    assert 'class="button beamer-pause" id="wall-pause"' in empty and 'aria-keyshortcuts="p"' in empty
    for i in range(80):
        _post(w, f"Kaart nummer {i:02d}")
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert len(re.findall(r'<li id="c-\d+" class="wall-card', beamer)) == 80  # was 60
    assert 'data-fit="cards"' in beamer and 'data-page-seconds="12"' in beamer


def test_a_werkplaats_without_rounds_has_a_quiet_regie(client, world):
    fac = world.user()
    w = world.werkplaats(facilitators=[fac], rounds=False)
    login(client)
    page = client.get(_regie(w))
    assert page.status_code == 200 and 'id="bijdragen"' not in page.get_data(as_text=True)
    after, version = _page_state(page.get_data(as_text=True))
    assert client.get(_regie(w, f"/wijzigingen?after={after}&v={version}")).status_code == 204
    rounds.add_round(w, "Een eerste vraag", None, 10)
    r = client.get(_regie(w, f"/wijzigingen?after={after}&v={version}"))
    assert r.status_code == 200 and "Een eerste vraag" not in r.get_data(as_text=True)
    assert "Ronde 1" in r.get_data(as_text=True)  # the rounds section, out of band
