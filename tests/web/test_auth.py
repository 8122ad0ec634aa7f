"""Log-in, logout and password change over HTTP: a session ends everywhere at once, and a
shared laptop keeps nothing of its previous user."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, join, login, post_form

HOME = "/f/"
NEW_PASSWORD = "zeven grijze reigers langs de Vecht"


def _copy_of(client, app):
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _logged_in(client) -> bool:
    r = client.get(HOME)
    assert r.status_code in (200, 302), r.status_code
    return r.status_code == 200


def _change_password(client, current="geheim-wachtwoord", new=NEW_PASSWORD, repeat=None):
    data = {"current_password": current, "password": new, "password_repeat": repeat or new}
    return post_form(client, "/wachtwoord", data, page="/wachtwoord")


def test_a_cookie_copied_before_logout_no_longer_works_after_it(app, world, client):
    world.user()
    login(client)
    copy = _copy_of(client, app)
    assert _logged_in(copy)
    r = post_form(client, "/logout", page=HOME)
    assert r.status_code == 303
    assert not _logged_in(client)
    assert not _logged_in(copy)
    r = copy.get(HOME)
    assert "/login" in r.headers["Location"]


def test_logging_in_again_after_logout_works(app, world, client):
    world.user()
    login(client)
    post_form(client, "/logout", page=HOME)
    login(client)
    assert _logged_in(client)


def test_a_password_change_logs_out_every_other_session(app, world, client):
    world.user()
    login(client)
    laptop = app.test_client()
    login(laptop)
    r = _change_password(client)
    assert r.status_code == 303, r.get_data(as_text=True)
    assert _logged_in(client)  # the browser that changed it stays in
    assert not _logged_in(laptop)
    laptop2 = app.test_client()
    r = post_form(
        laptop2,
        "/login",
        {"email": "fac@example.test", "password": "geheim-wachtwoord"},
        page="/login",
    )
    assert r.status_code == 422
    login(laptop2, password=NEW_PASSWORD)


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("verkeerd-wachtwoord", NEW_PASSWORD, None, "Je huidige wachtwoord klopt niet."),
        ("geheim-wachtwoord", "kort-maar", None, "minstens 12 tekens"),
        ("geheim-wachtwoord", "x" * 129, None, "hoogstens 128 tekens"),
        ("geheim-wachtwoord", "password1234", None, "te makkelijk te raden"),
        ("geheim-wachtwoord", "welkom123456", None, "te makkelijk te raden"),
        ("geheim-wachtwoord", "fac@example.test1", None, "te makkelijk te raden"),
        ("geheim-wachtwoord", NEW_PASSWORD, NEW_PASSWORD + "!", "niet gelijk"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    app, world, client, current, new, repeat, message
):
    world.user()
    login(client)
    laptop = app.test_client()
    login(laptop)
    r = _change_password(client, current, new, repeat)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert _logged_in(laptop)
    login(app.test_client())  # the old password still works


def test_login_clears_participant_tokens_and_csrf_state(app, world, client):
    world.user()
    w = _open_werkplaats(world)
    join(client, w.join_code)
    assert client.get(f"/w/{w.join_code}").status_code == 200  # remembered as participant
    old_token = csrf_token(client, "/login")
    login(client)
    r = client.get(f"/w/{w.join_code}")
    assert r.status_code in (302, 303)
    assert "/welkom" in r.headers["Location"]
    r = post_form(client, "/logout", {"csrf_token": old_token})
    assert r.status_code == 400  # the CSRF secret from before the login is gone
    assert _logged_in(client)


def test_logout_clears_the_session_for_the_next_user(app, world, client):
    world.user()
    login(client)
    w = _open_werkplaats(world)
    join(client, w.join_code)
    post_form(client, "/logout", page=HOME)
    r = client.get(f"/w/{w.join_code}")
    assert "/welkom" in r.headers["Location"]


def _open_werkplaats(world):
    w = world.werkplaats()
    return world.open_werkplaats(w)


@pytest.mark.parametrize(
    ("password", "message"),
    [("kort-maar", "minstens 12 tekens"), ("welkom123456", "te makkelijk te raden")],
)
def test_create_user_refuses_a_weak_password(runner, password, message):
    args = ["create-user", "--email", "nieuw@example.test", "--name", "Nieuw"]
    result = runner.invoke(args=[*args, "--password", password])
    assert result.exit_code == 1
    assert message in result.output
    result = runner.invoke(args=[*args, "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Account aangemaakt: nieuw@example.test" in result.output


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password-hash check the log-in does, with the hash it was checked against."""
    from werkzeug.security import check_password_hash

    calls = []

    def counting(pwhash, password):
        calls.append(pwhash)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr("noviwerk.models.core.check_password_hash", counting)  # a real account
    monkeypatch.setattr("noviwerk.services.credentials.check_password_hash", counting)  # none
    return calls


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("fac@example.test", "fout-wachtwoord"),  # a known account, wrong password
        ("onbekend@example.test", "fout-wachtwoord"),  # no such account
        ("uit@example.test", "geheim-wachtwoord"),  # a switched-off account
    ],
)
def test_every_failed_login_does_the_same_password_hash_work(
    app, world, client, hash_checks, email, password
):
    from noviwerk.services import accounts

    world.user()
    beheerder = world.user("beheer@example.test", role="beheerder")
    off = world.user("uit@example.test")
    accounts.deactivate(beheerder, off.id)
    r = post_form(client, "/login", {"email": email, "password": password}, page="/login")
    assert r.status_code == 422
    assert "E-mailadres of wachtwoord klopt niet." in r.get_data(as_text=True)
    (checked,) = hash_checks  # one check each, whether the account exists or not
    real = accounts.account_by_email("fac@example.test").password_hash
    assert checked.split("$")[0] == real.split("$")[0]  # same algorithm and cost


def test_a_cookie_from_before_login_does_not_share_the_login(app, world, client):
    """No session fixation: what someone planted in the browser before the log-in (or copied
    from it) is not the logged-in session."""
    world.user()
    client.get("/login")
    planted = client.get_cookie("session").value
    login(client)
    assert client.get_cookie("session").value != planted
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert not _logged_in(attacker)
    assert _logged_in(client)


def test_logout_clears_the_csrf_state(app, world, client):
    world.user()
    login(client)
    old_token = csrf_token(client, HOME)
    post_form(client, "/logout", page=HOME)
    data = {"email": "fac@example.test", "password": "geheim-wachtwoord", "csrf_token": old_token}
    assert client.post("/login", data=data).status_code == 400
    login(client)
