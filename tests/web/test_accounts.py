"""Accounts by invitation over HTTP: a beheerder invites, the invitee sets a name and a
password and is logged in; links work once and until they expire; a reset link and
switching an account off end its sessions at once."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, fresh, login, post_form

ACCOUNTS = "/f/accounts"
HOME = "/f/"
STRONG = "zeven grijze reigers langs de Vecht"
LINK_RE = re.compile(r'id="link-url" type="text" readonly value="([^"]+)"')


def _beheerder(world):
    return world.user("beheer@example.test", role="beheerder", name="Bea Beheerder")


def _logged_in(client) -> bool:
    r = client.get(HOME)
    assert r.status_code in (200, 302), r.status_code
    return r.status_code == 200


def _as_beheerder(app, world):
    _beheerder(world)
    client = app.test_client()
    login(client, "beheer@example.test")
    return client


def _invite(client, email="nieuw@example.test", role="trekker"):
    r = post_form(client, f"{ACCOUNTS}/uitnodigen", {"email": email, "role": role}, page=ACCOUNTS)
    assert r.status_code == 303, r.get_data(as_text=True)
    return r


def _link_on(client, page: str) -> str:
    """The link a beheerder copies from a link's page, as a path on this server."""
    body = client.get(page).get_data(as_text=True)
    m = LINK_RE.search(body)
    assert m, body
    return "/" + html.unescape(m.group(1)).split("/", 3)[3]


def _invited(app, world, **kw) -> tuple[object, str]:
    beheerder = _as_beheerder(app, world)
    r = _invite(beheerder, **kw)
    return beheerder, _link_on(beheerder, r.headers["Location"])


def _accept(client, path, name="Nina Nieuw", password=STRONG, repeat=None):
    data = {"name": name, "password": password, "password_repeat": repeat or password}
    return post_form(client, path, data, page=path)


def test_an_invitee_sets_name_and_password_and_is_logged_in(app, world):
    beheerder, path = _invited(app, world)
    invitee = app.test_client()
    page = invitee.get(path).get_data(as_text=True)
    assert "nieuw@example.test" in page and "trekker" in page
    r = _accept(invitee, path)
    assert r.status_code == 303 and r.headers["Location"].endswith(HOME)
    home = invitee.get(HOME).get_data(as_text=True)
    assert "Nina Nieuw" in home and "(trekker)" in home
    # A real account: out and in again with the chosen password.
    post_form(invitee, "/logout", page=HOME)
    login(app.test_client(), "nieuw@example.test", STRONG)
    listing = beheerder.get(ACCOUNTS).get_data(as_text=True)
    assert "Nina Nieuw" in listing
    assert "Geen openstaande uitnodigingen" in listing


def test_a_used_link_says_so(app, world):
    _beheerder_client, path = _invited(app, world)
    assert _accept(app.test_client(), path).status_code == 303
    other = app.test_client()
    r = other.get(path)
    assert r.status_code == 410
    assert "Deze link is al gebruikt" in r.get_data(as_text=True)
    data = {"name": "Nog Een", "password": STRONG, "password_repeat": STRONG}
    r = post_form(other, path, data, page="/login")
    assert r.status_code == 410  # posting to it again creates nothing either
    assert not _logged_in(other)


def test_an_expired_link_says_so_and_creates_nothing(app, world, monkeypatch):
    from noviwerk.models import User, utcnow

    _beheerder_client, path = _invited(app, world)
    invitee = app.test_client()
    token = csrf_token(invitee, path)
    later = utcnow() + timedelta(days=7, minutes=1)
    monkeypatch.setattr("noviwerk.services.account_links.utcnow", lambda: later)
    r = invitee.get(path)
    assert r.status_code == 410
    assert "Deze link is verlopen" in r.get_data(as_text=True)
    data = {"csrf_token": token, "name": "Te Laat", "password": STRONG, "password_repeat": STRONG}
    assert invitee.post(path, data=data).status_code == 410
    fresh()
    assert not User.query.filter_by(email="nieuw@example.test").first()


def test_an_unknown_link_says_so(client):
    r = client.get("/account/verzonnen-token")
    assert r.status_code == 404
    assert "Deze link klopt niet" in r.get_data(as_text=True)


def test_a_revoked_invitation_says_so(app, world):
    beheerder, path = _invited(app, world)
    link_page = beheerder.get(ACCOUNTS).get_data(as_text=True)
    link_id = re.search(r"/f/accounts/links/(\d+)/intrekken", link_page).group(1)
    r = post_form(beheerder, f"{ACCOUNTS}/links/{link_id}/intrekken", page=ACCOUNTS)
    assert r.status_code == 303
    r = app.test_client().get(path)
    assert r.status_code == 410
    assert "ingetrokken" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "password", "repeat", "message"),
    [
        ("Nina Nieuw", "kort-maar", None, "minstens 12 tekens"),
        ("Nina Nieuw", "welkom123456", None, "te makkelijk te raden"),
        ("Nina Nieuw", "nieuw@example.test", None, "te makkelijk te raden"),
        ("Nina Nieuw", STRONG, STRONG + "!", "niet gelijk"),
        ("", STRONG, None, "Vul je naam in."),
    ],
)
def test_a_refused_acceptance_says_why_and_the_link_still_works(
    app, world, name, password, repeat, message
):
    _beheerder_client, path = _invited(app, world)
    invitee = app.test_client()
    r = _accept(invitee, path, name, password, repeat)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert not _logged_in(invitee)
    assert _accept(invitee, path).status_code == 303


def test_the_same_link_can_be_copied_again_and_only_its_hash_is_stored(app, world):
    from noviwerk.extensions import db
    from noviwerk.models import AccountLink

    beheerder, path = _invited(app, world)
    listing = beheerder.get(ACCOUNTS).get_data(as_text=True)
    link_id = re.search(r"/f/accounts/links/(\d+)", listing).group(1)
    assert _link_on(beheerder, f"{ACCOUNTS}/links/{link_id}") == path
    token = path.rsplit("/", 1)[1]
    fresh()
    row = db.session.execute(sa.select(AccountLink.__table__)).one()
    assert not any(token in str(value) for value in row)


def test_only_a_beheerder_manages_accounts_and_nobody_registers(app, world, client):
    world.user()  # a facilitator
    login(client)
    assert client.get(ACCOUNTS).status_code == 403
    r = client.post(
        f"{ACCOUNTS}/uitnodigen",
        data={
            "csrf_token": csrf_token(client, HOME),
            "email": "x@example.test",
            "role": "beheerder",
        },
    )
    assert r.status_code == 403
    assert "/f/accounts" not in client.get(HOME).get_data(as_text=True)
    assert app.test_client().get("/registreren").status_code == 404


def test_a_beheerder_finds_the_accounts_page_from_home(app, world):
    beheerder = _as_beheerder(app, world)
    assert 'href="/f/accounts"' in beheerder.get(HOME).get_data(as_text=True)


def test_inviting_an_existing_account_is_refused(app, world):
    world.user()
    beheerder = _as_beheerder(app, world)
    r = post_form(
        beheerder,
        f"{ACCOUNTS}/uitnodigen",
        {"email": "FAC@example.test", "role": "trekker"},
        page=ACCOUNTS,
    )
    assert r.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres" in r.get_data(as_text=True)


def test_a_new_invitation_to_the_same_address_replaces_the_old(app, world):
    beheerder, first = _invited(app, world)
    r = _invite(beheerder)
    second = _link_on(beheerder, r.headers["Location"])
    assert second != first
    assert app.test_client().get(first).status_code == 410
    assert _accept(app.test_client(), second).status_code == 303


# --- mail -------------------------------------------------------------------------------------


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        if self.fail:
            raise OSError("connection refused")
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        self.user = user

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent = []
    FakeSMTP.fail = False
    monkeypatch.setattr("noviwerk.services.mail.smtplib.SMTP", FakeSMTP)
    app.config.update(
        NOVIWERK_SMTP_HOST="smtp.example.test",
        NOVIWERK_SMTP_FROM="noviwerk@example.test",
        NOVIWERK_SMTP_USER="noviwerk",
        NOVIWERK_SMTP_PASSWORD="smtp-geheim",
    )
    return FakeSMTP


def test_an_invitation_is_mailed_where_mail_is_configured(app, world, smtp):
    beheerder = _as_beheerder(app, world)
    r = _invite(beheerder)
    page = beheerder.get(r.headers["Location"]).get_data(as_text=True)
    assert "De link is gemaild" in page
    (message,) = smtp.sent
    assert message["To"] == "nieuw@example.test"
    assert message["Subject"] == "Uitnodiging voor noviwerk"
    path = _link_on(beheerder, r.headers["Location"])
    assert path in message.get_content()
    assert "Bea Beheerder nodigt je uit" in message.get_content()


def test_a_failed_mail_still_shows_the_link_to_copy(app, world, smtp):
    smtp.fail = True
    beheerder = _as_beheerder(app, world)
    r = _invite(beheerder)
    page = beheerder.get(r.headers["Location"]).get_data(as_text=True)
    assert "De e-mail kon niet worden verstuurd" in page
    assert _accept(app.test_client(), _link_on(beheerder, r.headers["Location"])).status_code == 303


def test_without_mail_the_page_says_to_copy_the_link(app, world):
    beheerder = _as_beheerder(app, world)
    r = _invite(beheerder)
    assert "er is geen mailserver ingesteld" in beheerder.get(r.headers["Location"]).get_data(
        as_text=True
    )


# --- resets and switching accounts off --------------------------------------------------------


def _user_id(email: str) -> int:
    from noviwerk.models import User

    fresh()
    return User.query.filter_by(email=email).one().id


def test_a_reset_link_ends_every_session_and_sets_a_new_password(app, world):
    world.user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone)
    login(laptop)
    beheerder = _as_beheerder(app, world)
    uid = _user_id("fac@example.test")
    r = post_form(beheerder, f"{ACCOUNTS}/{uid}/wachtwoordlink", page=ACCOUNTS)
    assert r.status_code == 303
    assert not _logged_in(phone) and not _logged_in(laptop)  # at once, before the link is used
    path = _link_on(beheerder, r.headers["Location"])
    page = laptop.get(path).get_data(as_text=True)
    assert "Nieuw wachtwoord kiezen" in page and 'name="name"' not in page
    r = post_form(laptop, path, {"password": STRONG, "password_repeat": STRONG}, page=path)
    assert r.status_code == 303
    assert _logged_in(laptop)
    assert not _logged_in(phone)
    r = post_form(
        app.test_client(),
        "/login",
        {"email": "fac@example.test", "password": "geheim-wachtwoord"},
        page="/login",
    )
    assert r.status_code == 422  # the old password is gone
    assert app.test_client().get(path).status_code == 410


def test_a_deactivated_account_is_out_everywhere_and_cannot_log_in(app, world):
    world.user()
    victim = app.test_client()
    login(victim)
    copy = app.test_client()
    copy.set_cookie("session", victim.get_cookie("session").value)
    beheerder = _as_beheerder(app, world)
    uid = _user_id("fac@example.test")
    r = post_form(beheerder, f"{ACCOUNTS}/{uid}/uitzetten", page=ACCOUNTS)
    assert r.status_code == 303
    assert "staat uit" in beheerder.get(ACCOUNTS).get_data(as_text=True)
    assert not _logged_in(victim) and not _logged_in(copy)
    r = post_form(
        app.test_client(),
        "/login",
        {"email": "fac@example.test", "password": "geheim-wachtwoord"},
        page="/login",
    )
    assert r.status_code == 422
    assert "E-mailadres of wachtwoord klopt niet." in r.get_data(as_text=True)
    r = post_form(beheerder, f"{ACCOUNTS}/{uid}/aanzetten", page=ACCOUNTS)
    assert r.status_code == 303
    assert not _logged_in(copy)  # switched on again, the old cookie stays ended
    login(app.test_client())


def test_a_beheerder_cannot_switch_themselves_off(app, world):
    beheerder = _as_beheerder(app, world)
    uid = _user_id("beheer@example.test")
    r = post_form(beheerder, f"{ACCOUNTS}/{uid}/uitzetten", page=ACCOUNTS)
    assert r.status_code == 303
    assert "Je kunt je eigen account niet uitzetten." in beheerder.get(ACCOUNTS).get_data(
        as_text=True
    )
    assert _logged_in(beheerder)


def test_the_accounts_page_shows_role_state_and_last_login(app, world):
    world.user()
    login(app.test_client())
    beheerder = _as_beheerder(app, world)
    page = beheerder.get(ACCOUNTS).get_data(as_text=True)
    row = re.search(r"<tr>\s*<td>Fac</td>.*?</tr>", page, re.S).group(0)
    assert "fac@example.test" in row and "facilitator" in row and "actief" in row
    assert "—" not in row  # it has logged in
