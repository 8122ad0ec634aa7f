"""A participant joins by code on a phone and posts; the wall shows it; bad input changes nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Participant
from tests.conftest import Phone, contributions, csrf_token, fresh, join, login, post_form


@pytest.fixture
def room(world):
    fac, w = world.live()
    return fac, w


def test_join_by_code_with_spaces_and_lower_case(app, room):
    _fac, w = room
    phone = app.test_client()
    typed = w.join_code[:4].lower() + " " + w.join_code[4:]
    r = post_form(phone, "/join", {"code": typed})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/w/{w.join_code}")
    r = phone.get(f"/w/{w.join_code}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/welkom")
    welcome = phone.get(f"/w/{w.join_code}/welkom").get_data(as_text=True)
    assert "We bewaren je bijdragen" in welcome  # the plain notice of what is stored and why
    r = post_form(
        phone,
        f"/w/{w.join_code}/welkom",
        {"display_name": "Anna", "organisation": "Provincie Utrecht", "veld": "interbestuurlijk"},
        page=f"/w/{w.join_code}/welkom",
    )
    assert r.status_code == 303
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    assert w.rounds[0].prompt.replace("'", "&#39;") in page
    assert "Ronde 1 van 5" in page and "Trends en ontwikkelingen" in page
    assert "Hooguit 500 tekens" in page
    fresh()
    p = db.session.scalar(sa.select(Participant))
    assert (p.display_name, p.organisation, p.veld.value) == (
        "Anna",
        "Provincie Utrecht",
        "interbestuurlijk",
    )


@pytest.mark.parametrize("code", ["", "ABCD", "0OIL0OIL", "K7QM4RTXX", "<script>"])
def test_wrong_code_gets_a_clear_message(client, room, code):
    r = post_form(client, "/join", {"code": code})
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Vul de code in" in body or "hoort niet bij een open werkplaats" in body
    assert "<script>" not in body.split('id="code"')[1][:200]  # echoed inert, if at all


def test_closed_werkplaats_code_is_refused_like_a_wrong_one(client, room):
    from noviwerk.services import werkplaatsen

    _fac, w = room
    werkplaatsen.close_werkplaats(w)
    r = post_form(client, "/join", {"code": w.join_code})
    assert r.status_code == 422 and "hoort niet bij een open werkplaats" in r.get_data(as_text=True)
    assert client.get(f"/w/{w.join_code}").status_code == 404


def test_post_plain_form_then_wall_and_own_list(app, room):
    fac, w = room
    phone = app.test_client()
    join(phone, w.join_code, display_name="Bert", veld="maatschappelijk")
    r = Phone(phone, w.join_code).post("Meer ruimte voor water in de stad.")
    assert r.status_code == 303
    page = phone.get(r.headers["Location"]).get_data(as_text=True)
    assert "Ontvangen" in page and "Meer ruimte voor water in de stad." in page
    [c] = contributions()
    assert c.seq == 1 and c.first_seq == 1 and c.veld.value == "maatschappelijk"

    wall = app.test_client()
    login(wall)
    html = wall.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert "Meer ruimte voor water in de stad." in html
    assert 'id="wall-cursor" name="after" value="1"' in html


def test_htmx_post_returns_fresh_form_and_keeps_text_on_error(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post("Eerste punt", htmx=True)
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "Ontvangen" in body and 'hx-swap-oob="afterbegin:#own-items"' in body
    assert "Eerste punt" in body
    assert "<textarea" in body and "Eerste punt</textarea>" not in body  # form is emptied
    long = "x" * 501
    r = Phone(phone, w.join_code).post(long, htmx=True)
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "te lang" in body and long in body  # the text stays on the phone
    assert len(contributions()) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Je bijdrage is leeg"),
        ("   \n\t  ", "Je bijdrage is leeg"),
        ("a" * 501, "te lang: hooguit 500 tekens"),
        ("hallo\x00wereld", "onzichtbare stuurtekens"),
        ("ok\u202eevil", "onzichtbare stuurtekens"),
    ],
)
def test_bad_text_gets_dutch_message_and_stores_nothing(app, room, text, message):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post(text)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert contributions() == []


def test_exactly_500_characters_is_accepted(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    assert Phone(phone, w.join_code).post("é" * 500).status_code == 303
    assert len(contributions()[0].text) == 500


def test_markup_is_stored_as_text_and_shown_inert(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert Phone(phone, w.join_code).post(evil).status_code == 303
    assert contributions()[0].text == evil
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    wall = app.test_client()
    login(wall)
    html = wall.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    changes = wall.get(f"/f/werkplaatsen/{w.id}/wall/wijzigingen?after=0&v={w.state_version}")
    assert "<script>alert" not in changes.get_data(as_text=True)


def test_same_client_key_twice_stores_one(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    r1 = Phone(phone, w.join_code).post("Dubbel getikt", key="key-123")
    r2 = Phone(phone, w.join_code).post("Dubbel getikt", key="key-123")
    assert r1.status_code == r2.status_code == 303
    assert len(contributions()) == 1
    assert Phone(phone, w.join_code).post("Dubbel getikt", key="key-456").status_code == 303
    assert len(contributions()) == 2


def test_posting_into_closed_or_planned_round_is_refused(app, room, world):
    from datetime import timedelta

    from noviwerk.services import rounds

    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    planned = w.rounds[2]
    r = Phone(phone, w.join_code).post("Te vroeg", round_id=planned.id)
    assert r.status_code == 422 and "nog niet geopend" in r.get_data(as_text=True)
    rounds.close_round(w, w.rounds[0].id)
    # past the grace period a closed round takes nothing, and the text stays on the phone
    fresh()
    w.rounds[0].closed_at -= timedelta(seconds=w.rounds[0].grace_seconds + 1)
    db.session.commit()
    r = Phone(phone, w.join_code).post("Te laat", round_id=w.rounds[0].id)
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Deze ronde is gesloten" in body and "Te laat" in body
    r = Phone(phone, w.join_code).post("Geen ronde")
    assert r.status_code == 422 and "geen ronde open" in r.get_data(as_text=True)
    assert contributions() == []


def test_text_sent_just_after_the_round_closed_is_kept_as_late(app, room):
    from noviwerk.services import rounds

    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)  # typed while open
    rounds.close_round(w, w.rounds[0].id)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    r = post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {"text": "Net op tijd getypt", "round_id": w.rounds[0].id, "client_key": key},
        page=f"/w/{w.join_code}",
    )
    assert r.status_code == 303
    [c] = contributions()
    assert c.is_late and c.text == "Net op tijd getypt" and c.round_id == w.rounds[0].id


def test_round_of_another_werkplaats_is_refused(app, room, world):
    _fac, w = room
    other = world.werkplaats(programme=w.programme, title="Andere", facilitators=[_fac])
    world.open_werkplaats(other)
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post("Verkeerde ronde", round_id=other.rounds[0].id)
    assert r.status_code == 404 and "bestaat niet" in r.get_data(as_text=True)
    assert contributions() == []


def test_missing_or_forged_csrf_token_is_refused(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    rid = w.rounds[0].id
    r = phone.post(f"/w/{w.join_code}/bijdragen", data={"text": "zonder token", "round_id": rid})
    assert r.status_code == 400 and "Herlaad de pagina" in r.get_data(as_text=True)
    r = phone.post(
        f"/w/{w.join_code}/bijdragen",
        data={"text": "vals token", "round_id": rid, "csrf_token": "vals"},
    )
    assert r.status_code == 400
    other_phone = app.test_client()
    stolen = csrf_token(other_phone)  # a token from another browser's session
    r = phone.post(
        f"/w/{w.join_code}/bijdragen",
        data={"text": "gestolen", "round_id": rid, "csrf_token": stolen},
    )
    assert r.status_code == 400
    assert contributions() == []


def test_edit_and_withdraw_own_but_not_someone_elses(app, room):
    _fac, w = room
    anna, bert = app.test_client(), app.test_client()
    join(anna, w.join_code)
    join(bert, w.join_code)
    Phone(anna, w.join_code).post("Anna's punt")
    [c] = contributions()
    edit = f"/w/{w.join_code}/bijdragen/{c.id}/bewerken"

    r = bert.get(edit)
    assert r.status_code == 403 and "niet jouw bijdrage" in r.get_data(as_text=True)
    r = post_form(bert, edit, {"text": "Gekaapt"}, page=f"/w/{w.join_code}")
    assert r.status_code == 403
    r = post_form(bert, f"/w/{w.join_code}/bijdragen/{c.id}/intrekken", page=f"/w/{w.join_code}")
    assert r.status_code == 403
    assert contributions()[0].text == "Anna's punt"

    r = post_form(anna, edit, {"text": "Anna's betere punt"}, page=edit)
    assert r.status_code == 303
    c2 = contributions()[0]
    assert c2.text == "Anna's betere punt" and c2.seq == 2 and c2.first_seq == 1
    r = post_form(anna, edit, {"text": ""}, page=edit)
    assert r.status_code == 422 and "leeg" in r.get_data(as_text=True)

    r = post_form(anna, f"/w/{w.join_code}/bijdragen/{c.id}/intrekken", page=f"/w/{w.join_code}")
    assert r.status_code == 303
    c3 = contributions()[0]
    assert c3.state.value == "ingetrokken" and c3.seq == 3
    assert "Anna&#39;s betere punt" not in anna.get(f"/w/{w.join_code}").get_data(as_text=True)


def test_cannot_edit_after_round_closed(app, room):
    from noviwerk.services import rounds

    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("Vastgelegd")
    [c] = contributions()
    rounds.close_round(w, w.rounds[0].id)
    edit = f"/w/{w.join_code}/bijdragen/{c.id}/bewerken"
    assert "kan niet meer worden aangepast" in phone.get(edit).get_data(as_text=True)
    r = post_form(phone, edit, {"text": "Toch anders"}, page=f"/w/{w.join_code}")
    assert r.status_code == 422
    assert contributions()[0].text == "Vastgelegd"


def test_phone_is_remembered_and_state_poll_answers_204_until_change(app, room):
    from noviwerk.services import rounds

    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    v = w.state_version
    r = phone.get(f"/w/{w.join_code}/status?v={v}", headers={"HX-Request": "true"})
    assert r.status_code == 204
    rounds.open_round(w, w.rounds[1].id)
    r = phone.get(f"/w/{w.join_code}/status?v={v}", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and w.rounds[1].prompt in body and "Ronde 2 van 5" in body
    # the same phone comes back later: straight to the round, no second welcome
    assert phone.get(f"/w/{w.join_code}").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1


def test_participant_cannot_call_facilitator_endpoints(app, room):
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    for url in (f"/f/werkplaatsen/{w.id}/wall", f"/f/werkplaatsen/{w.id}/wall/wijzigingen"):
        r = phone.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = post_form(
        phone, f"/f/werkplaatsen/{w.id}/rondes/{w.rounds[1].id}/openen", page=f"/w/{w.join_code}"
    )
    assert r.status_code == 302
    fresh()
    assert w.rounds[1].state.value == "gepland"


def test_post_answer_holds_only_the_new_item_and_a_resend_the_whole_list(app, room):
    """However much a phone has said, the answer to a post stays one item (it used to
    re-render the whole own list); a re-send whose first answer was lost gets the list."""
    _fac, w = room
    phone = app.test_client()
    join(phone, w.join_code)
    for i in range(6):
        assert Phone(phone, w.join_code).post(f"Punt nummer {i}", key=f"k{i}", htmx=True).status_code == 200
    body = Phone(phone, w.join_code).post("Het laatste punt", key="k-last", htmx=True).get_data(as_text=True)
    assert "Het laatste punt" in body
    assert not any(f"Punt nummer {i}" in body for i in range(6))
    assert body.count("<li ") == 1
    again = Phone(phone, w.join_code).post("Het laatste punt", key="k-last", htmx=True)
    assert again.status_code == 200
    body = again.get_data(as_text=True)
    assert 'id="own-list" class="own-list" aria-labelledby="own-title" hx-swap-oob="true"' in body
    assert all(f"Punt nummer {i}" in body for i in range(6)) and body.count('<li id="own-') == 7
    assert len(contributions()) == 7
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    assert page.index("Het laatste punt") < page.index("Punt nummer 5") < page.index("Punt nummer 0")


def test_state_poll_cache_follows_other_processes_within_its_lifetime(app, room):
    """The phones' "anything new?" answer is cached per process; a change committed by
    another process (here: straight into the database) shows once the cache expires."""
    import time

    _fac, w = room
    app.config["NOVIWERK_STATE_CACHE_SECONDS"] = 0.2
    phone, stranger = app.test_client(), app.test_client()
    join(phone, w.join_code)
    url = f"/w/{w.join_code}/status?v={w.state_version}"
    assert phone.get(url, headers={"HX-Request": "true"}).status_code == 204
    # A phone that never joined gets no shortcut, cached version or not.
    assert stranger.get(url, headers={"HX-Request": "true"}).status_code != 204
    with db.engine.begin() as conn:  # another process opens round 2
        conn.execute(
            sa.text("UPDATE round SET state='open', opened_at=CURRENT_TIMESTAMP WHERE id=:id"),
            {"id": w.rounds[1].id},
        )
        conn.execute(
            sa.text("UPDATE round SET state='gesloten', closed_at=CURRENT_TIMESTAMP WHERE id=:id"),
            {"id": w.rounds[0].id},
        )
        conn.execute(
            sa.text("UPDATE werkplaats SET state_version=state_version+1 WHERE id=:id"),
            {"id": w.id},
        )
    time.sleep(0.3)
    r = phone.get(url, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Ronde 2 van 5" in r.get_data(as_text=True)


def test_state_poll_answers_carry_no_cookie(app, room):
    """Every phone polls every few seconds: those answers must not re-sign and re-send the
    session cookie each time (it is sent when the session changes, as on joining)."""
    _fac, w = room
    phone = app.test_client()
    r = phone.get(f"/w/{w.join_code}")
    join(phone, w.join_code)
    r = phone.get(f"/w/{w.join_code}/status?v={w.state_version}", headers={"HX-Request": "true"})
    assert r.status_code == 204 and "Set-Cookie" not in r.headers
    r = phone.get(f"/w/{w.join_code}/status?v=-1", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
