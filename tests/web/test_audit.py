"""The audit log over HTTP: staff actions are written down (who, what, when, from where, never
a password), and a beheerder reads them filtered, paged and as CSV; nobody else can."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import (
    bouwsteen_url,
    fresh,
    login,
    make_bouwsteen,
    post_form,
    werkplaats_url,
)

PASSWORD = "geheim-wachtwoord"


def entries(action=None):
    """Every entry as committed now, oldest first (of ``action``, if given)."""
    from noviwerk.extensions import db
    from noviwerk.models import AuditEntry

    fresh()
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action.value)
    return list(db.session.scalars(query))


@pytest.fixture
def beheerder(world):
    return world.user("baas@example.test", role="beheerder", name="Bea Beheerder")


def test_logins_logouts_and_password_changes_are_logged_without_passwords(client, world):
    from noviwerk.domain import AuditAction

    fac = world.user()
    r = post_form(client, "/login", {"email": "fac@example.test", "password": "fout-fout-fout"},
                  page="/login")  # fmt: skip
    assert r.status_code == 422
    r = post_form(client, "/login", {"email": "niemand@example.test", "password": "raden"},
                  page="/login")  # fmt: skip
    login(client)
    new = "een heel ander wachtwoord 42"
    r = post_form(client, "/wachtwoord",
                  {"current_password": PASSWORD, "password": new, "password_repeat": new},
                  page="/wachtwoord")  # fmt: skip
    assert r.status_code == 303, r.get_data(as_text=True)
    post_form(client, "/logout", page="/f/")

    log = entries()
    assert [e.action for e in log] == [
        AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED, AuditAction.LOGIN,
        AuditAction.PASSWORD_CHANGED, AuditAction.LOGOUT,
    ]  # fmt: skip
    # A wrong password for a real account names it; an unknown e-mail is kept as typed.
    assert (log[0].user_id, log[0].detail) == (fac.id, "fac@example.test")
    assert (log[1].user_id, log[1].detail) == (None, "niemand@example.test")
    assert all(e.user_id == fac.id for e in log[2:])
    assert all(e.ip == "127.0.0.1" for e in log)
    for e in log:
        stored = " ".join(str(v) for v in (e.action, e.subject_type, e.detail, e.ip))
        assert "fout-fout-fout" not in stored and "raden" not in stored
        assert PASSWORD not in stored and new not in stored


def test_werkplaats_rounds_bouwsteen_status_and_downloads_are_logged(client, world):
    from noviwerk.domain import AuditAction

    fac, trekker, w = world.with_posts()  # opens the werkplaats and round 1, not over HTTP
    before = len(entries())
    login(client)
    rnd = w.rounds[0]
    regie = werkplaats_url(w, "regie")
    post_form(client, f"{regie}/rondes/{rnd.id}/sluiten", page=regie)
    post_form(client, f"{regie}/rondes/{w.rounds[1].id}/openen", page=regie)
    make_bouwsteen(client, w)
    post_form(client, bouwsteen_url(w, "/status"), {"to": "verslag"}, page=bouwsteen_url(w))
    assert client.get(bouwsteen_url(w, ".md")).status_code == 200
    assert client.get(werkplaats_url(w, "bijdragen.csv")).status_code == 200
    assert client.get(f"/f/programmas/{w.programme_id}/oogst.csv").status_code == 200
    page = werkplaats_url(w, "")
    post_form(client, werkplaats_url(w, "sluiten"), page=page)

    got = [(e.action, e.subject_type, e.subject_id, e.detail) for e in entries()[before + 1 :]]
    assert got == [
        (AuditAction.ROUND_CLOSED, "werkplaats", w.id, "ronde 1"),
        (AuditAction.ROUND_OPENED, "werkplaats", w.id, "ronde 2"),
        (AuditAction.BOUWSTEEN_STATUS, "werkplaats", w.id, "concept → verslag"),
        (AuditAction.BOUWSTEEN_DOWNLOAD, "werkplaats", w.id, f"bouwsteen-{w.id}-water-verbindt-v1.md"),
        (AuditAction.BIJDRAGEN_DOWNLOAD, "werkplaats", w.id, AnyText(".csv")),
        (AuditAction.OOGST_DOWNLOAD, "programme", w.programme_id, "oogst-werkplaatsen-novi-test.csv"),
        (AuditAction.WERKPLAATS_CLOSED, "werkplaats", w.id, ""),
    ]  # fmt: skip
    assert {e.user_id for e in entries()[before + 1 :]} == {fac.id}


class AnyText(str):
    """Equal to any text that ends in it."""

    def __eq__(self, other):
        return isinstance(other, str) and other.endswith(str(self))

    __hash__ = str.__hash__


def test_a_programme_edit_says_what_changed(client, world, beheerder):
    from noviwerk.domain import AuditAction

    programme = world.programme()
    login(client, "baas@example.test")
    url = f"/f/programmas/{programme.id}/bewerken"
    form = {"name": "Werkplaatsen NOVEX", "description": "", "themes": "Klimaat\nNatuur\nWater"}
    for i, kv in enumerate(programme.kernvragen):
        form[f"kernvragen-{i}-title"] = kv.title
        form[f"kernvragen-{i}-question"] = kv.question
    assert post_form(client, url, form, page=url).status_code == 303
    [edit] = entries(AuditAction.PROGRAMME_EDITED)
    assert (edit.user_id, edit.subject_id, edit.detail) == (beheerder.id, programme.id,
                                                            "naam, thema's")  # fmt: skip


def test_only_a_beheerder_reads_the_log(client, world):
    world.user()
    assert client.get("/f/logboek").status_code == 302  # to the login page
    login(client)
    assert client.get("/f/logboek").status_code == 403
    assert client.get("/f/logboek.csv").status_code == 403
    assert "Logboek" not in client.get("/f/").get_data(as_text=True)


def _spread_entries(world, beheerder):
    """70 downloads by the facilitator, one a day back from 10 January 2026, and a status
    change by the beheerder; beside the programme's and werkplaats' creation (by no one, now)."""
    from noviwerk.domain import AuditAction
    from noviwerk.extensions import db
    from noviwerk.services import audit

    fac = world.user()
    w = world.werkplaats(facilitators=[fac])
    now = datetime(2026, 1, 10, 12, 0)  # UTC; 13:00 in Amsterdam
    for day in range(70):
        entry = audit.record(AuditAction.BIJDRAGEN_DOWNLOAD, w, user=fac, detail=f"dag {day}",
                             ip="192.0.2.7")  # fmt: skip
        audit_at(entry, now - timedelta(days=day))
    entry = audit.record(AuditAction.BOUWSTEEN_STATUS, w, user=beheerder, detail="=1+2")
    audit_at(entry, now - timedelta(days=3, hours=1))
    db.session.commit()
    return fac, w


def audit_at(entry, when):
    """Move an entry in time (as if it had been written then)."""
    from noviwerk.database import write_transaction
    from noviwerk.extensions import db
    from noviwerk.models import AuditEntry

    @write_transaction
    def move():
        db.session.get(AuditEntry, entry.id).at = when

    move()


def test_the_log_filters_by_action_user_and_period_and_pages(client, world, beheerder):
    fac, w = _spread_entries(world, beheerder)
    login(client, "baas@example.test")

    page = client.get("/f/logboek").get_data(as_text=True)
    # 73 entries with the beheerder's own login: 50 on the first page, newest first.
    assert "74 regels" in page and "Pagina 1 van 2" in page
    assert page.index("ingelogd") < page.index("<td>dag 0</td>") < page.index("<td>dag 1</td>")
    assert "<td>dag 45</td>" in page and "<td>dag 46</td>" not in page
    assert 'href="/f/logboek?pagina=2"' in page
    second = client.get("/f/logboek?pagina=2").get_data(as_text=True)
    assert "<td>dag 46</td>" in second and "<td>dag 69</td>" in second
    assert "Pagina 2 van 2" in second and "<td>dag 45</td>" not in second

    only = client.get("/f/logboek?actie=bouwsteen+status").get_data(as_text=True)
    assert "1 regel" in only and "=1+2" in only and "dag 0" not in only
    assert f'href="/f/werkplaatsen/{w.id}"' in only  # the subject, linked
    mine = client.get(f"/f/logboek?gebruiker={beheerder.id}").get_data(as_text=True)
    assert "2 regels" in mine and "dag 0" not in mine
    # A period in local days (Europe/Amsterdam), both ends included.
    period = client.get("/f/logboek?van=2026-01-05&tot=2026-01-07").get_data(as_text=True)
    assert "4 regels" in period  # dag 3, 4, 5 and the status change
    assert "<td>dag 5</td>" in period and "<td>dag 6</td>" not in period
    assert "<td>dag 2</td>" not in period
    assert "192.0.2.7" in period

    bad = client.get("/f/logboek?actie=drop+table&van=gisteren&gebruiker=x&pagina=-1")
    assert bad.status_code == 200
    text = bad.get_data(as_text=True)
    assert "bestaat niet" in text and "geen datum" in text and "74 regels" in text


def test_the_log_downloads_as_csv_with_its_filter_and_that_is_logged(client, world, beheerder):
    from noviwerk.domain import AuditAction

    fac, w = _spread_entries(world, beheerder)
    login(client, "baas@example.test")
    r = client.get(f"/f/logboek.csv?gebruiker={fac.id}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 70  # every page
    assert rows[0]["actie"] == "bijdragen gedownload" and rows[0]["detail"] == "dag 0"
    assert rows[0]["gebruiker"] == fac.name and rows[0]["e-mail"] == fac.email
    assert rows[0]["onderwerp"] == "Water verbindt" and rows[0]["ip"] == "192.0.2.7"
    assert rows[0]["tijdstip"] == "2026-01-10T13:00:00+01:00"  # local time, with its offset
    everything = client.get("/f/logboek.csv").get_data(as_text=True)
    assert "'=1+2" in everything  # no formula in a spreadsheet
    [download, _] = entries(AuditAction.AUDIT_DOWNLOAD)
    assert (download.user_id, download.detail) == (beheerder.id, f"gebruiker={fac.id}")


def test_a_beheerder_finds_the_log_in_the_menu(client, beheerder):
    login(client, "baas@example.test")
    assert 'href="/f/logboek"' in client.get("/f/").get_data(as_text=True)


def test_accounts_and_programme_members_are_logged_by_who_changed_them(app, client, world, beheerder):
    from noviwerk.domain import AuditAction

    login(client, beheerder.email)
    r = post_form(client, "/f/accounts/uitnodigen", {"email": "nieuw@example.test", "role": "trekker"},
                  page="/f/accounts")  # fmt: skip
    assert r.status_code == 303
    (sent,) = entries(AuditAction.INVITATION_SENT)
    assert sent.user_id == beheerder.id and "nieuw@example.test" in sent.detail

    fac = world.user()
    r = post_form(client, f"/f/accounts/{fac.id}/uitzetten", page="/f/accounts")
    assert r.status_code == 303
    post_form(client, f"/f/accounts/{fac.id}/aanzetten", page="/f/accounts")
    changed = entries(AuditAction.ACCOUNT_CHANGED)
    assert [(e.subject_id, e.detail, e.user_id) for e in changed] == [
        (fac.id, "uitgezet", beheerder.id),
        (fac.id, "aangezet", beheerder.id),
    ]

    prog = world.programme(owner=fac)
    base = f"/f/programmas/{prog.id}"
    r = post_form(client, base + "/leden", {"user_id": beheerder.id, "role": "lid"}, page=base)
    assert r.status_code == 303
    (member,) = entries(AuditAction.PROGRAMME_MEMBERS_CHANGED)  # the maker's eigenaar is no act
    assert member.subject_id == prog.id and member.user_id == beheerder.id
    assert member.detail == f"{beheerder.email}: lid"
