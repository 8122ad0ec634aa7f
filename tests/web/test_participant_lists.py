"""Phones stay simple in a full room: one's own contributions right below the form, above
others'; others' arrive by the poll one item at a time (not the whole list per phone); a
rejected contribution says so to its author; "Ontvangen" once; no text box without a round;
a withdrawal sent by phone.js after its undo leaves no stale message; no facilitator login
link on a participant's pages."""

from __future__ import annotations

import re

import pytest

from noviwerk.domain import RoundState
from noviwerk.services import participation, rounds, support, voting
from tests.conftest import contributions, fresh, login, post_form, set_round

HX = {"HX-Request": "true"}


@pytest.fixture
def room(app, world):
    app.config["NOVIWERK_STATE_CACHE_SECONDS"] = 0  # the poll's cache would hide a post 1 s
    fac, w = world.live()
    set_round(w, 0, is_support_allowed=True)
    return fac, w


def _panel_classes(page: str) -> str:
    return re.search(r'<section id="round-panel" class="([^"]*)"', page).group(1)


def _flash(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">([^<]*)</p>', page)


def _poll_url(page: str) -> str:
    return re.search(r'hx-get="([^"]+/status[^"]*)"', page).group(1).replace("&amp;", "&")


def _others_post(w, text: str, key: str):
    p = participation.join(w, display_name="Bram")
    c, _new = participation.post_contribution(p, w.rounds[0].id, text, client_key=key)
    return p, c


def test_own_contributions_stand_below_the_form_and_above_what_others_brought_in(world, room):
    _fac, w = room
    _others_post(w, "Van iemand anders", "o1")
    phone = world.phone(w)
    assert phone.post("Mijn eigen punt").status_code == 303
    page = phone.page()
    form, own, others = (
        page.index('id="post-form"'),
        page.index("Jouw bijdragen"),
        page.index("Wat anderen inbrachten"),
    )
    assert form < own < others
    assert page.index("Mijn eigen punt") < page.index("Van iemand anders")


def test_the_poll_brings_others_new_items_one_by_one_and_nothing_when_nothing_changed(world, room):
    _fac, w = room
    for i in range(30):
        _others_post(w, f"Eerder punt {i}", f"e{i}")
    phone = world.phone(w)
    page = phone.page()
    url = _poll_url(page)
    assert "s=" in url and page.count('data-into="others-items"') == 30
    assert phone.client.get(url, headers=HX).status_code == 204

    _p, new = _others_post(w, "Net binnen: meer groen", "n1")
    r = phone.client.get(url, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Net binnen: meer groen" in body
    # Only the new item travels (into the hidden inbox phone.js places from), not the 30.
    inbox = body.split('id="phone-inbox"', 1)[1]
    assert inbox.count("<li ") == 1 and f'id="o-{new.id}" data-into="others-items"' in inbox
    assert "Eerder punt" not in body
    # The panel comes back with the new cursor: asked again, nothing is new.
    assert phone.client.get(_poll_url(body), headers=HX).status_code == 204

    # A withdrawn one is taken off the phones, as off the walls.
    author, gone = _others_post(w, "Even later ingetrokken", "n2")
    body = phone.client.get(_poll_url(body), headers=HX).get_data(as_text=True)
    participation.withdraw_contribution(author, gone.id)
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert f'data-remove="o-{gone.id}"' in body and "Even later ingetrokken" not in body


def test_a_phone_far_behind_gets_the_whole_lists_again(world, room, monkeypatch):
    from noviwerk.services import phone_lists

    _fac, w = room
    monkeypatch.setattr(phone_lists, "MAX_CHANGES", 3)
    phone = world.phone(w)
    url = _poll_url(phone.page())
    for i in range(5):
        _others_post(w, f"Terwijl de telefoon sliep {i}", f"z{i}")
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert 'id="round-extra"' in body and 'hx-swap-oob="true"' in body
    assert "phone-inbox" not in body
    assert all(f"Terwijl de telefoon sliep {i}" in body for i in range(5))


def test_a_rejected_contribution_tells_its_author_instead_of_vanishing(app, world, room):
    fac, w = room
    set_round(w, 0, is_premoderated=True)
    phone = world.phone(w)
    url = _poll_url(phone.page())
    assert phone.post("Iets wat niet door de moderatie komt").status_code == 303
    assert phone.post("Iets wat er wel door komt").status_code == 303
    rejected, approved = contributions(w)
    client = app.test_client()
    login(client)
    regie = f"/f/werkplaatsen/{w.id}/regie"
    for cid, action in ((rejected.id, "afwijzen"), (approved.id, "goedkeuren")):
        r = post_form(
            client, f"{regie}/inbox", {"bijdrage": [str(cid)], "actie": action}, page=regie
        )
        assert r.status_code == 303

    # The poll brings both changes to the phone: one placed, one not placed.
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    inbox = body.split('id="phone-inbox"', 1)[1]
    item = inbox.split(f'id="own-{rejected.id}"', 1)[1].split("</li>", 1)[0]
    assert "Niet geplaatst door de facilitator" in item
    assert "Intrekken" not in item and "Aanpassen" not in item
    assert f'id="own-{approved.id}"' in inbox

    page = phone.page()
    own = page.split('id="own-list"', 1)[1].split("</section>", 1)[0]
    assert (
        "Iets wat niet door de moderatie komt" in own
        and "Niet geplaatst door de facilitator" in own
    )
    assert own.count("Niet geplaatst") == 1 and "wacht op moderatie" not in own


def test_one_contribution_hidden_after_it_was_shown_leaves_the_phone_as_before(world, room):
    from noviwerk.services import moderation

    fac, w = room
    phone = world.phone(w)
    assert phone.post("Eerst zichtbaar").status_code == 303
    [c] = contributions(w)
    moderation.moderate(w, c.id, "verbergen", fac)
    page = phone.page()
    assert "Eerst zichtbaar" not in page and "Niet geplaatst" not in page


def test_ontvangen_is_said_once_after_a_post(world, room):
    _fac, w = room
    phone = world.phone(w)
    body = phone.post("Met htmx verstuurd", htmx=True).get_data(as_text=True)
    assert body.count("Ontvangen. Dank je wel!") == 1
    r = phone.post("Zonder JavaScript verstuurd")
    assert r.status_code == 303
    assert phone.page().count("Ontvangen. Dank je wel!") == 1


def test_no_text_box_while_no_round_takes_input_but_typed_text_is_kept(world, room):
    _fac, w = room
    phone = world.phone(w)
    rounds.close_round(w, w.rounds[0].id)
    fresh()
    rnd = w.rounds[0]
    rnd.closed_at = rnd.closed_at.replace(year=2000)  # its grace for late text long past
    from noviwerk.extensions import db

    db.session.commit()
    page = phone.page()
    assert "is-idle" in _panel_classes(page)  # the CSS hides the form while the panel says so
    assert "Insturen kan zodra de facilitator een ronde opent." in page
    assert re.search(r'<form id="post-form" class="card post-form"', page)  # no has-input

    # Text sent anyway (a page from before) is refused in Dutch, kept, and shown.
    r = phone.post("Nog even dit", round_id="")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Er is nu geen ronde open" in body
    assert 'class="card post-form has-input"' in body and "Nog even dit" in body

    rounds.open_round(w, w.rounds[1].id)
    assert "is-idle" not in _panel_classes(phone.page())


def test_a_withdrawal_sent_after_its_undo_leaves_no_message_for_later(world, room):
    _fac, w = room
    phone = world.phone(w)
    assert phone.post("Toch maar niet").status_code == 303
    [c] = contributions(w)
    page = phone.page()
    assert 'class="inline withdraw-form"' in page and 'data-undo="Ongedaan maken"' in page
    r = post_form(
        phone.client, f"{phone.url}/bijdragen/{c.id}/intrekken", page=phone.url, headers=HX
    )
    assert r.status_code == 204
    [c] = contributions(w)
    assert c.state.value == "ingetrokken" and c.text == ""
    page = phone.page()
    assert "Toch maar niet" not in page and not _flash(page)
    # Without JavaScript it withdraws at once and says so.
    assert phone.post("Nog een").status_code == 303
    second = contributions(w)[-1]
    r = phone.withdraw(second.id)
    assert r.status_code == 303 and _flash(phone.page()) == ["Je bijdrage is ingetrokken."]


def test_a_participant_sees_no_facilitator_login_link(app, world, room):
    _fac, w = room
    start = app.test_client().get("/").get_data(as_text=True)
    assert "Inloggen facilitator" in start  # where staff start, it stays
    fresh_phone = app.test_client()
    welcome = fresh_phone.get(f"/w/{w.join_code}/welkom").get_data(as_text=True)
    assert "Doe mee" in welcome and "Inloggen facilitator" not in welcome
    phone = world.phone(w)
    assert "Inloggen facilitator" not in phone.page()
    mine = phone.client.get(f"{phone.url}/mijn-gegevens")
    assert mine.status_code == 200 and "Inloggen facilitator" not in mine.get_data(as_text=True)


def test_the_cursor_of_a_page_from_before_is_optional(world, room):
    """A phone whose page came before the cursor follows the state alone (204), as before."""
    _fac, w = room
    phone = world.phone(w)
    _others_post(w, "Iets nieuws", "x1")
    r = phone.client.get(f"{phone.url}/status?v={w.state_version}", headers=HX)
    assert r.status_code == 204


def test_a_new_state_in_the_same_round_does_not_send_others_whole_list_again(world, room):
    """A timer started or extended bumps every phone's state: the panel and the phone's own
    list come anew, others' list of up to 200 items does not (only what changed in it)."""
    _fac, w = room
    for i in range(30):
        _others_post(w, f"Eerder punt {i}", f"e{i}")
    phone = world.phone(w)
    assert phone.post("Mijn punt").status_code == 303
    url = _poll_url(phone.page())
    assert f"o={w.rounds[0].id}" in url
    rounds.timer(w, w.rounds[0].id, "start", 10)
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert "phone-timer" in body and "Mijn punt" in body  # the panel and the own list
    assert "Eerder punt" not in body and 'id="round-extra"' not in body

    # Another round: its own list of others, whole.
    rounds.open_round(w, w.rounds[1].id)
    set_round(w, 1, is_support_allowed=True)
    cas = participation.join(w, display_name="Cas")
    participation.post_contribution(cas, w.rounds[1].id, "In ronde twee", client_key="r2")
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert 'id="round-extra"' in body and "In ronde twee" in body and "Eerder punt" not in body


def _others_at(w, tafel, text: str, key: str):
    from noviwerk.services import tafels

    p = participation.join(w, display_name=f"Aan {tafel.name}")
    tafels.seat(p, tafel.id)
    return participation.post_contribution(p, w.rounds[0].id, text, client_key=key)[0]


def _others_list(page: str) -> str:
    return re.search(r'id="round-extra".*?</section>', page, re.S).group(0)


def test_in_a_round_at_the_tafels_a_phone_lists_what_its_own_tafel_brought_in(world, room):
    from noviwerk.services import tafels

    _fac, w = room
    a, b = tafels.save_tafel(w, "Tafel A"), tafels.save_tafel(w, "Tafel B")
    _others_at(w, a, "Water vasthouden aan A", "a1")
    _others_at(w, b, "Woningbouw aan B", "b1")
    phone = world.phone(w, tafel=str(a.id))
    page = phone.page()
    listed = _others_list(page)
    assert "Wat anderen aan Tafel A inbrachten" in listed
    assert "Water vasthouden aan A" in listed and "Woningbouw aan B" not in listed
    # The poll brings what is new at its tafel, not what is new at the others.
    url = _poll_url(page)
    _others_at(w, b, "Nieuw aan B", "b2")
    _others_at(w, a, "Nieuw aan A", "a2")
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert "Nieuw aan A" in body and "Nieuw aan B" not in body
    # The refresh button's list too; and after a move, the new tafel's.
    assert "Woningbouw" not in phone.client.get(f"/w/{w.join_code}/anderen", headers=HX).get_data(as_text=True)
    move = f"/w/{w.join_code}/tafel"
    assert post_form(phone.client, move, {"tafel": str(b.id)}, page=move).status_code == 303
    listed = _others_list(phone.page())
    assert "Wat anderen aan Tafel B inbrachten" in listed
    assert "Woningbouw aan B" in listed and "Water vasthouden" not in listed


def test_in_a_plenary_round_a_phone_at_a_tafel_lists_the_whole_room(world, room):
    from noviwerk.services import tafels

    _fac, w = room
    a, b = tafels.save_tafel(w, "Tafel A"), tafels.save_tafel(w, "Tafel B")
    _others_at(w, b, "Woningbouw aan B", "b1")
    tafels.set_rounds_at_tafels(w, [])  # every round plenary
    phone = world.phone(w, tafel=str(a.id))
    listed = _others_list(phone.page())
    assert "Wat anderen inbrachten" in listed and "Woningbouw aan B" in listed


def test_two_phones_share_the_list_but_each_sees_its_own_plus_one_and_token(world, room):
    """Others' items are rendered once and shared (web/other_items.py): what differs per
    phone — its +1 and its CSRF token — must still be its own, and a +1 shows at once."""
    _fac, w = room
    _p, c = _others_post(w, "Schaduw op het schoolplein", "s1")
    anna, bram = world.phone(w), world.phone(w)

    def item(phone):
        page = phone.client.get(f"/w/{w.join_code}/anderen", headers=HX).get_data(as_text=True)
        li = re.search(rf'<li id="o-{c.id}".*?</li>', page, re.S).group(0)
        token = re.search(r'name="csrf_token" value="([^"]+)"', li).group(1)
        return li, token

    first, _token = item(bram)
    assert 'aria-pressed="false"' in first and "0 steunbetuigingen" in first
    li, token = item(anna)
    r = anna.client.post(f"/w/{w.join_code}/steun/{c.id}", data={"csrf_token": token, "on": "1"},
                         headers=HX)
    assert r.status_code == 200  # anna's own token, though the item was rendered for bram
    li, token = item(anna)
    assert 'aria-pressed="true"' in li and "1 steunbetuiging<" in li
    li_b, token_b = item(bram)
    assert 'aria-pressed="false"' in li_b and "1 steunbetuiging<" in li_b
    assert token_b != token


def test_in_a_busy_room_a_poll_brings_the_newest_of_others_and_every_removal(world, room,
                                                                              monkeypatch):
    """Between two polls of a room of 1,000 hundreds change: the poll carries the newest few
    (not the whole list of up to 200 again) and takes every withdrawn one away."""
    from noviwerk.services import phone_lists

    _fac, w = room
    monkeypatch.setattr(phone_lists, "MAX_OTHERS", 2)
    author, early = _others_post(w, "Vroeg en later ingetrokken", "b0")
    phone = world.phone(w)
    url = _poll_url(phone.page())
    for i in range(5):
        _others_post(w, f"Druk moment {i}", f"b{i + 1}")
    participation.withdraw_contribution(author, early.id)
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    inbox = body.split('id="phone-inbox"', 1)[1]
    assert "Druk moment 3" in inbox and "Druk moment 4" in inbox
    assert not any(f"Druk moment {i}" in body for i in range(3))
    assert f'data-remove="o-{early.id}"' in inbox
    assert 'id="others-items"' not in body  # not the whole list
    # The rest is there at "Lijst verversen".
    page = phone.client.get(f"/w/{w.join_code}/anderen", headers=HX).get_data(as_text=True)
    assert all(f"Druk moment {i}" in page for i in range(5))


def _aged(url: str, seconds: float) -> str:
    """The poll URL as a phone sends it ``seconds`` after its lists were brought up to date."""
    at = int(re.search(r"[?&]a=(\d+)", url).group(1))
    return re.sub(r"([?&]a=)\d+", lambda m: f"{m.group(1)}{at - seconds:.0f}", url)


def test_in_a_big_room_others_input_reaches_a_phone_a_little_later_but_a_new_round_at_once(
    app, world, room
):
    # A room of 3 phones made "big": 0.2 list refreshes a second -> 15 s, the most lists may
    # lag (NOVIWERK_PHONE_LIST_LAG_MAX). ``a`` counts whole seconds: the ages keep a margin.
    app.config["NOVIWERK_PHONE_LIST_REFRESHES"] = 0.2
    _fac, w = room
    phone = world.phone(w)
    url = _poll_url(phone.page())
    _others_post(w, "Vroeg punt", "l1")
    _others_post(w, "Nog een punt", "l2")
    assert phone.client.get(url, headers=HX).status_code == 204  # lists 0 s old: held back
    assert phone.client.get(_aged(url, 10), headers=HX).status_code == 204
    r = phone.client.get(_aged(url, 16), headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Vroeg punt" in body and "Nog een punt" in body

    # A new state is never held back: the round closes and the panel says so at the next poll.
    url = _poll_url(body)
    _others_post(w, "Laat punt", "l3")
    set_round(w, 0, state=RoundState.GESLOTEN)
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert "Er is nu geen ronde open" in body

    # A small room (the default: 100 refreshes a second) gets others' input at the next poll.
    app.config["NOVIWERK_PHONE_LIST_REFRESHES"] = 100
    set_round(w, 0, state=RoundState.OPEN)
    url = _poll_url(phone.page())
    _others_post(w, "Meteen te zien", "l4")
    assert "Meteen te zien" in phone.client.get(url, headers=HX).get_data(as_text=True)


def _poll_every(page: str) -> int:
    return int(re.search(r'<section id="round-panel"[^>]*?hx-trigger="every (\d+)s"', page).group(1))


def test_in_a_big_room_phones_poll_less_often_up_to_a_limit(app, world, room):
    # 0.25 polls a second for the room: 2 phones ask every 8 s, 3 would ask every 12 s, but
    # never less often than NOVIWERK_PHONE_POLL_MAX (10 s by default).
    _fac, w = room
    first = world.phone(w)
    assert _poll_every(first.page()) == 5  # a small room: NOVIWERK_PHONE_POLL_SECONDS
    app.config["NOVIWERK_PHONE_POLLS"] = 0.25
    second = world.phone(w)
    assert _poll_every(second.page()) == 8
    world.phone(w)
    assert _poll_every(first.page()) == 10
    app.config["NOVIWERK_PHONE_POLL_MAX"] = 30
    assert _poll_every(first.page()) == 12
    # A poll that brings the panel anew (here: an old state version) names it too.
    stale = re.sub(r"([?&]v=)\d+", r"\g<1>0", _poll_url(first.page()))
    assert _poll_every(first.client.get(stale, headers=HX).get_data(as_text=True)) == 12


def test_an_item_changed_twice_between_two_polls_travels_once_as_it_is_now(world, room):
    _fac, w = room
    phone = world.phone(w)
    url = _poll_url(phone.page())
    fan = participation.join(w, display_name="Fan")
    _p, new = _others_post(w, "Meer bomen in de straat", "t1")
    other = world.phone(w)
    other.client.get(_poll_url(other.page()).replace("s=", "s=0&x="), headers=HX)
    assert phone.client.get(url, headers=HX).status_code == 200  # the process read it once
    support.toggle_support(fan, new.id, on=True)  # a second change of the same item
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    inbox = body.split('id="phone-inbox"', 1)[1]
    assert inbox.count(f'id="o-{new.id}"') == 1
    assert "1 steunbetuiging" in inbox


def test_lijst_verversen_lists_the_most_supported_first(world, room):
    _fac, w = room
    phone = world.phone(w)
    _p, first = _others_post(w, "Eerst gepost, zonder steun", "v1")
    _p, liked = _others_post(w, "Later gepost, veel steun", "v2")
    _p, last = _others_post(w, "Als laatste gepost", "v3")
    for name in ("A", "B"):
        support.toggle_support(participation.join(w, display_name=name), liked.id, on=True)
    listed = phone.client.get(f"/w/{w.join_code}/anderen", headers=HX).get_data(as_text=True)
    order = [int(x) for x in re.findall(r'<li id="o-(\d+)"', listed)]
    assert order == [liked.id, last.id, first.id]  # then the newest first
    assert "2 steunbetuigingen" in listed


def test_an_item_is_kept_under_the_version_it_was_rendered_from(app, world, room, monkeypatch):
    """A request's snapshot may hold an item older than the list names (SQLite reads one
    snapshot per request): what it renders must not stand for the newer version."""
    from flask import g

    from noviwerk.web import other_items as items

    monkeypatch.setattr(items, "_cache", {})  # other tests' databases reuse ids and seqs
    _fac, w = room
    _p, c = _others_post(w, "Oude stand van zaken", "k1")
    with app.test_request_context():
        g.werkplaats = w
        html = items.other_items([support.Listed(c.id, c.seq + 5)], set())
    assert "Oude stand van zaken" in html
    kept = {key[:2] for key in items._cache}
    assert (c.id, c.seq) in kept and (c.id, c.seq + 5) not in kept


def test_in_a_round_at_the_tafels_a_phone_cannot_plus_one_another_tafel_s_input(world, room):
    """The list shows only its own tafel's input; a hand-made +1 for another tafel's item is
    refused in Dutch and counts nothing, while one at its own tafel counts, and a +1 given
    before the phone moved tafels can still be taken back."""
    from noviwerk.services import tafels

    _fac, w = room
    a, b = tafels.save_tafel(w, "Tafel A"), tafels.save_tafel(w, "Tafel B")
    at_a = _others_at(w, a, "Water vasthouden aan A", "a1")
    at_b = _others_at(w, b, "Woningbouw aan B", "b1")
    phone = world.phone(w, tafel=str(a.id))
    refused = phone.support(at_b.id, on=True)
    assert refused.status_code == 422
    assert ("Deze bijdrage is aan een andere tafel ingebracht. In deze ronde steun je wat aan "
            "jouw tafel is gezegd.") in refused.get_data(as_text=True)  # fmt: skip
    assert phone.support(at_a.id, on=True).status_code == 303
    fresh()
    assert [(c.text, c.support_count) for c in contributions(w)] == [
        ("Water vasthouden aan A", 1), ("Woningbouw aan B", 0)]  # fmt: skip
    move = f"/w/{w.join_code}/tafel"
    assert post_form(phone.client, move, {"tafel": str(b.id)}, page=move).status_code == 303
    assert phone.support(at_a.id, on=False).status_code == 303  # taken back from tafel B
    fresh()
    assert [c.support_count for c in contributions(w)] == [0, 0]


def test_a_poll_that_waited_long_for_the_server_brings_others_input_later(
    world, room, monkeypatch
):
    """The server is behind (the poll waited over a second for a thread): only a new state
    comes through; others' input follows at the next poll, none of it skipped."""
    from noviwerk import serving

    _fac, w = room
    phone = world.phone(w)
    url = _poll_url(phone.page())
    _others_post(w, "Punt van een ander", "b1")
    monkeypatch.setattr(serving, "poll_waited", lambda: 2.5)
    assert phone.client.get(url, headers=HX).status_code == 204
    monkeypatch.setattr(serving, "poll_waited", lambda: 0.2)
    r = phone.client.get(url, headers=HX)
    assert r.status_code == 200 and "Punt van een ander" in r.get_data(as_text=True)
    monkeypatch.setattr(serving, "poll_waited", lambda: 2.5)
    set_round(w, 0, state=RoundState.GESLOTEN)  # a new state is never held back
    r = phone.client.get(_poll_url(r.get_data(as_text=True)), headers=HX)
    assert r.status_code == 200 and "Er is nu geen ronde open" in r.get_data(as_text=True)


def test_during_a_vote_others_dots_leave_a_phone_s_poll_with_nothing_to_fetch(world, room):
    """Every dot moves the werkplaats' cursor (the beamer redraws its bars by it), but a
    phone lists nothing by it during a vote: its poll sends no cursor, so the dots of the
    room are answered 204, from the process' cache, until the state changes."""
    from noviwerk.domain import RoundKind
    from noviwerk.extensions import db
    from noviwerk.models import VoteOption

    _fac, w = room
    _p, c = _others_post(w, "Meer groen op het plein", "v1")
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=3)
    db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=c.id, position=1))
    db.session.commit()
    rounds.open_round(w, w.rounds[1].id)
    phone = world.phone(w)
    page = phone.page()
    url = _poll_url(page)
    assert 'id="vote-title"' in page and "s=" not in url
    voters = [participation.join(w, display_name=f"Stemmer {i}") for i in range(3)]
    def last_seq():
        return db.session.get(type(w), w.id, populate_existing=True).last_seq

    seq_before = last_seq()
    for voter in voters:
        voting.vote(voter, None, c.id, 1)
    assert last_seq() == seq_before + 3
    assert phone.client.get(url, headers=HX).status_code == 204
    # The vote closes: a new state, and the whole panel comes with the cursor again.
    rounds.close_round(db.session.get(type(w), w.id), w.rounds[1].id)
    body = phone.client.get(url, headers=HX).get_data(as_text=True)
    assert 'id="round-panel"' in body and "s=" in _poll_url(body)
