"""Participants' data under the AVG over HTTP: the privacyverklaring, "Mijn gegevens" on the
phone (see, download, delete), a beheerder's look-up, the programme's retention period, and
the clean-up command."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from noviwerk import create_app
from noviwerk.domain import ContributionState
from noviwerk.extensions import db
from noviwerk.models import Participant, Programme
from noviwerk.services import werkplaatsen
from tests.conftest import (
    _base_config,
    bouwsteen_url,
    contributions,
    fresh,
    login,
    make_bouwsteen,
    post_form,
    werkplaats_url,
)

TEXT = "Een landelijk loket voor bodemdaling waar gemeenten met hun vragen terecht kunnen"
OTHER = "Het Rijk moet de regie nemen over de verdeling van zoet water in droge zomers"
PROFILE = {
    "display_name": "Anna de Vries",
    "organisation": "Gemeente Gouda",
    "veld": "interbestuurlijk",
}


@pytest.fixture
def room(world):
    """A facilitator, an open werkplaats, Anna's phone with one post and Bob's with another."""
    fac, w = world.live()
    anna = world.phone(w, **PROFILE)
    assert anna.post(TEXT).status_code == 303
    bob = world.phone(w, display_name="Bob")
    assert bob.post(OTHER).status_code == 303
    return fac, w, anna, bob


def _mine(phone) -> str:
    return f"{phone.url}/mijn-gegevens"


def test_the_privacyverklaring_is_public_and_linked_from_footer_and_welcome(client, world):
    _fac, w = world.live()
    page = client.get("/privacy")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for point in ("Wat we bewaren", "Waarvoor", "Wie wat ziet", "Hoe lang", "Jouw rechten"):
        assert point in text
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    client.get(f"/w/{w.join_code}")
    welcome = client.get(f"/w/{w.join_code}/welkom").get_data(as_text=True)
    assert 'href="/privacy"' in welcome
    # Names are shown on the screen in the room, not in the verslag: the notice says so.
    assert "in het verslag." not in welcome and "Je naam komt niet in het verslag" in welcome


def test_a_phone_sees_and_downloads_its_own_data(room):
    _fac, w, anna, _bob = room
    assert f'href="{_mine(anna)}"' in anna.page()
    page = anna.client.get(_mine(anna)).get_data(as_text=True)
    assert "Anna de Vries" in page and "Gemeente Gouda" in page and TEXT in page
    assert OTHER not in page  # only one's own
    r = anna.client.get(_mine(anna) + ".json")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    assert data["deelnemer"]["naam"] == "Anna de Vries"
    assert [c["tekst"] for c in data["bijdragen"]] == [TEXT]
    body = anna.client.get(_mine(anna) + ".csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["naam"] == "Anna de Vries" and rows[0]["tekst"] == TEXT
    assert anna.client.get(_mine(anna) + ".xml").status_code == 404


def test_a_phone_that_has_not_joined_has_no_data_to_see(client, world):
    _fac, w = world.live()
    r = client.get(f"/w/{w.join_code}/mijn-gegevens")
    assert r.status_code == 302 and r.headers["Location"].endswith("/welkom")


def test_deleting_my_data_takes_a_confirmation_and_then_withdraws_everything(room, client):
    fac, w, anna, bob = room
    url = _mine(anna) + "/verwijderen"
    confirm = anna.client.get(url).get_data(as_text=True)
    assert "Weet je het zeker?" in confirm and 'name="bevestigd" value="1"' in confirm
    # Without the confirmation nothing happens.
    r = post_form(anna.client, url, {}, page=url)
    assert r.status_code == 422
    fresh()
    assert (
        db.session.get(Participant, contributions(w)[0].participant_id).display_name
        == "Anna de Vries"
    )

    r = post_form(anna.client, url, {"bevestigd": "1"}, page=url)
    assert r.status_code == 303 and r.headers["Location"].endswith("/")
    assert "Je gegevens zijn verwijderd" in anna.client.get("/").get_data(as_text=True)
    mine, theirs = contributions(w)
    assert mine.state == ContributionState.WITHDRAWN and mine.text == ""
    assert theirs.text == OTHER and theirs.state == ContributionState.VISIBLE
    anna_row = db.session.get(Participant, mine.participant_id)
    assert (anna_row.display_name, anna_row.organisation, anna_row.token) == ("", "", None)
    # The phone no longer reaches the data, and the wall no longer shows it.
    assert anna.client.get(_mine(anna)).status_code == 302
    login(client)
    wall = client.get(werkplaats_url(w, "wall")).get_data(as_text=True)
    assert TEXT not in wall and "Anna de Vries" not in wall and OTHER in wall


def test_a_closed_werkplaats_still_lets_its_phones_see_and_delete_their_data(room):
    _fac, w, anna, _bob = room
    werkplaatsen.close_werkplaats(w)
    assert TEXT in anna.client.get(_mine(anna)).get_data(as_text=True)
    url = _mine(anna) + "/verwijderen"
    assert post_form(anna.client, url, {"bevestigd": "1"}, page=url).status_code == 303
    assert contributions(w)[0].text == ""


def test_withdrawing_on_the_phone_takes_the_text_out_of_earlier_bouwsteen_exports(room, client):
    _fac, w, anna, _bob = room
    login(client)
    make_bouwsteen(client, w)
    assert TEXT in client.get(bouwsteen_url(w, ".md?versie=1")).get_data(as_text=True)
    mine = contributions(w)[0]
    assert anna.withdraw(mine.id).status_code == 303
    for fmt in ("md", "json", "csv"):
        body = client.get(bouwsteen_url(w, f".{fmt}?versie=1")).get_data(as_text=True)
        assert "loket voor bodemdaling" not in body and "ingetrokken" in body, fmt
        assert OTHER in body
    assert "loket voor bodemdaling" not in client.get(bouwsteen_url(w, "/versies/1")).get_data(
        as_text=True
    )


def test_a_beheerder_finds_a_participant_by_name_and_deletes_their_data(room, client, world):
    fac, w, anna, _bob = room
    login(client)  # a facilitator of the werkplaats: not for them
    assert client.get(werkplaats_url(w, "deelnemers")).status_code == 403
    assert werkplaats_url(w, "deelnemers") not in client.get(f"/f/werkplaatsen/{w.id}").get_data(
        as_text=True
    )
    beheer = world.app.test_client()
    world.user("beheer@example.test", role="beheerder")
    login(beheer, "beheer@example.test")
    assert werkplaats_url(w, "deelnemers") in beheer.get(f"/f/werkplaatsen/{w.id}").get_data(
        as_text=True
    )
    found = beheer.get(werkplaats_url(w, "deelnemers?naam=anna")).get_data(as_text=True)
    assert "Anna de Vries" in found and "Bob" not in found
    pid = contributions(w)[0].participant_id
    data = json.loads(
        beheer.get(werkplaats_url(w, f"deelnemers/{pid}.json")).get_data(as_text=True)
    )
    assert [c["tekst"] for c in data["bijdragen"]] == [TEXT]
    from noviwerk.models import AuditEntry  # a staff action: the audit log says who took it

    fresh()
    (taken,) = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "deelnemergegevens gedownload")
    ).all()
    assert taken.subject_id == w.id and taken.detail.endswith(".json")
    url = werkplaats_url(w, f"deelnemers/{pid}/verwijderen")
    assert "Weet je het zeker?" in beheer.get(url).get_data(as_text=True)
    assert post_form(beheer, url, {}, page=url).status_code == 422
    assert post_form(beheer, url, {"bevestigd": "1"}, page=url).status_code == 303
    fresh()
    assert contributions(w)[0].text == "" and db.session.get(Participant, pid).token is None
    after = beheer.get(werkplaats_url(w, "deelnemers")).get_data(as_text=True)
    assert "Anna de Vries" not in after and "gegevens verwijderd" in after
    # Another werkplaats' participant is not found through this one.
    assert beheer.get(werkplaats_url(w, f"deelnemers/{10**6}.json")).status_code == 404


def test_the_programme_form_sets_the_retention_period(client, world):
    world.user()
    login(client)
    url = "/f/programmas/nieuw"
    form = client.get(url).get_data(as_text=True)
    assert 'name="retention_months"' in form and 'value="12"' in form
    data = {"name": "Kort bewaard", "retention_months": "0"}
    r = post_form(client, url, data, page=url)
    assert r.status_code == 422 and "Kies 1 tot 120 maanden." in r.get_data(as_text=True)
    r = post_form(client, url, {**data, "retention_months": "6"}, page=url)
    assert r.status_code == 303
    fresh()
    programme = db.session.scalar(db.select(Programme).where(Programme.name == "Kort bewaard"))
    assert programme.retention_months == 6
    assert "6 maanden" in client.get(f"/f/programmas/{programme.id}").get_data(as_text=True)


def _past_retention(world):
    _fac, w = world.live()
    phone = world.phone(w, **PROFILE)
    phone.post(TEXT)
    werkplaatsen.close_werkplaats(w)
    fresh()
    w.closed_at = datetime(2020, 1, 1)  # long ago: the period has ended
    w.starts_at = datetime(2020, 1, 1)
    db.session.commit()
    return w


def test_the_clean_up_command_removes_names_past_their_period(runner, world):
    w = _past_retention(world)
    result = runner.invoke(args=["avg-opschonen"])
    assert result.exit_code == 0 and "1 deelnemers" in result.output
    c = contributions(w)[0]
    assert c.text == TEXT and c.organisation == ""
    assert db.session.get(Participant, c.participant_id).display_name == ""
    assert "0 deelnemers" in runner.invoke(args=["avg-opschonen"]).output


def test_a_served_app_cleans_up_at_its_first_request(world, database_url):
    import time

    w = _past_retention(world)
    served = create_app({**_base_config(database_url), "NOVIWERK_AVG_DAILY": True})
    assert served.test_client().get("/healthz").status_code == 200
    for _ in range(100):
        fresh()
        if db.session.get(Participant, contributions(w)[0].participant_id).token is None:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the clean-up did not run")
    with served.app_context():
        db.engine.dispose()


def test_the_clean_up_command_blanks_old_ip_addresses_in_the_audit_log(runner, world):
    """The log keeps who did what; the IP address goes after the retention period."""
    from noviwerk.domain import AuditAction
    from noviwerk.models import AuditEntry
    from noviwerk.models.core import utcnow
    from noviwerk.services import audit

    old = audit.record(AuditAction.LOGIN_FAILED, detail="oud", ip="192.0.2.7")
    recent = audit.record(AuditAction.LOGIN_FAILED, detail="nieuw", ip="192.0.2.8")
    old.at = utcnow() - timedelta(days=audit.IP_RETENTION_DAYS + 1)
    db.session.commit()
    result = runner.invoke(args=["avg-opschonen"])
    assert result.exit_code == 0 and "uit 1 regels" in result.output
    fresh()
    assert db.session.get(AuditEntry, old.id).ip == ""
    assert db.session.get(AuditEntry, old.id).detail == "oud"  # the entry itself stays
    assert db.session.get(AuditEntry, recent.id).ip == "192.0.2.8"


def test_the_privacy_page_says_how_long_ip_addresses_stay(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "IP-adres wordt na 180 dagen verwijderd" in html
