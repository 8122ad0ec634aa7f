"""Every endpoint declares who may call it, and the app keeps to it.

The first test fails as soon as a route has no declared policy (``web/decorators.policy``).
The second walks the whole URL map as every kind of visitor — anonymous, a participant's
phone of this werkplaats and of another, a facilitator and a trekker of this werkplaats and
of another, an eigenaar of the programme, a beheerder — and checks the answer against the
table below: a page opens (GET) for who may, and refuses everyone else (403, or the login
page, or the phone's welcome page); a POST by who may not is refused and changes nothing.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from noviwerk.services.permissions import Policy
from noviwerk.web.decorators import FRAMEWORK_POLICIES, policy_of
from tests.conftest import Phone, csrf_token, login

STAFF = {"fac_here", "fac_other", "trekker_here", "trekker_other", "owner", "beheerder"}
PHONES = {"phone_here", "phone_other"}
ROLES = {"anonymous"} | PHONES | STAFF
READERS = {"owner", "fac_here", "trekker_here", "beheerder"}  # of this programme

# Who may call an endpoint of each policy, on this werkplaats / programme.
ALLOWED: dict[Policy, set[str]] = {
    Policy.PUBLIC: ROLES,
    Policy.SHARED: ROLES,
    Policy.PARTICIPANT: {"phone_here"},
    Policy.ACCOUNT: STAFF,
    Policy.SCHEDULER: {"fac_here", "fac_other", "owner", "beheerder"},
    Policy.BEHEERDER: {"beheerder"},
    Policy.WERKPLAATS_VIEW: {"fac_here", "trekker_here", "beheerder"},
    Policy.WERKPLAATS_CONTROL: {"fac_here", "beheerder"},
    Policy.PROGRAMME_READ: READERS,
    Policy.PROGRAMME_MANAGE: {"owner", "beheerder"},
    Policy.AGENDA: READERS,  # and a calendar with the token (tests/web/test_oogst.py)
}

# Open to anyone (or anyone with the link): a conscious choice, so a new one is added here
# by hand.
PUBLIC = {
    "static",
    "public.index",
    "public.accessibility",
    "public.healthz",
    "auth.login",
    "participant.join_by_code",
    "participant.qr_entry",
    "participant.welcome",
    "bouwsteen.shared",
    "accounts.link",
    "public.privacy",
    # A tafel's screen: its link's secret is the key, as for a bouwsteen's read-only link.
    "tafel_screen.screen",
    "tafel_screen.changes",
    "tafel_screen.live_wait",
    "tafel_screen.note",
    "tafel_screen.point",
}

# Where a URL variable of this name points; `any(...)` takes its cheapest choice.
CHEAP = ("txt", "svg", "csv", "md", "json")


def _endpoints(app) -> dict[str, Policy | None]:
    return {
        rule.endpoint: FRAMEWORK_POLICIES.get(rule.endpoint)
        or policy_of(app.view_functions[rule.endpoint])
        for rule in app.url_map.iter_rules()
    }


def test_every_endpoint_declares_a_policy(app):
    declared = _endpoints(app)
    missing = sorted(e for e, p in declared.items() if p is None)
    assert not missing, f"endpoints without a declared policy (web/decorators.policy): {missing}"
    public = {e for e, p in declared.items() if p in (Policy.PUBLIC, Policy.SHARED)}
    assert public == PUBLIC, "open to anyone, but not listed in PUBLIC (or the other way)"
    assert set(ALLOWED) == set(Policy), "a policy without expectations in ALLOWED"


def test_a_second_declaration_is_refused():
    from noviwerk.web.decorators import policy

    @policy(Policy.WERKPLAATS_VIEW)
    def view(wid: int):
        return ""

    with pytest.raises(TypeError):
        policy(Policy.PUBLIC)(view)


# --- the walk ----------------------------------------------------------------------------------


@pytest.fixture
def visitors(app, world):
    """This werkplaats (open, with contributions, a bouwsteen, an ansichtkaart and its read-only
    link) in this programme, another werkplaats in another programme, and a client per role."""
    from noviwerk.services import ansichtkaart_edits, bouwsteen, participation

    users = {
        "fac_here": world.user("fac@example.test"),
        "trekker_here": world.user("trek@example.test", role="trekker"),
        "fac_other": world.user("fac2@example.test"),
        "trekker_other": world.user("trek2@example.test", role="trekker"),
        "owner": world.user("eigen@example.test"),
        "beheerder": world.user("beheer@example.test", role="beheerder"),
    }
    programme = world.programme(owner=users["owner"])
    here = world.werkplaats(
        programme, facilitators=[users["fac_here"]], trekkers=[users["trekker_here"]]
    )
    other = world.werkplaats(
        world.programme("Ander programma"),
        title="Elders",
        facilitators=[users["fac_other"]],
        trekkers=[users["trekker_other"]],
    )
    world.open_werkplaats(here)
    world.open_werkplaats(other)
    participant = participation.join(here, display_name="Deelnemer", veld="maatschappelijk")
    contribution, _ = participation.post_contribution(
        participant, here.rounds[0].id, "Meer ruimte voor water in de stad", client_key="k1"
    )
    participation.post_contribution(
        participant, here.rounds[0].id, "Bodemdaling gaat door", client_key="k2"
    )
    ansichtkaart_edits.generate(
        here, users["trekker_here"], lambda token: f"http://localhost/b/{token}"
    )
    share_token = bouwsteen.open_draft(here, users["trekker_here"]).share_token
    assert share_token

    clients = {"anonymous": app.test_client()}
    for role, user in users.items():
        clients[role] = app.test_client()
        login(clients[role], user.email)
    clients["phone_here"] = Phone.join(app, here.join_code).client
    clients["phone_other"] = Phone.join(app, other.join_code).client
    values = {
        "wid": here.id,
        "pid": programme.id,
        "rid": here.rounds[0].id,
        "cid": contribution.id,
        "number": 1,
        "n": 1,
        "key": 1,
        "flag_id": 1,
        "section_id": "samenvatting",
        "code": here.join_code,
        "token": share_token,
        "uid": users["owner"].id,
        "user_id": users["owner"].id,
        "link_id": 1,
        "fmt": "json",
        "action": "verbergen",
        "upload_id": "a" * 22,
        "tid": 1,  # an oogst upload that is not (or no longer) kept
    }
    return clients, values, here.join_code


def _url(rule, values: dict) -> str:
    args = dict(rule.defaults or {})
    for name in rule.arguments - set(args):
        converter = rule._converters.get(name)
        items = getattr(converter, "items", None)
        if items:
            args[name] = next((c for c in CHEAP if c in items), sorted(items)[0])
        else:
            args[name] = values[name]
    return rule.build(args, append_unknown=False)[1]


def _snapshot() -> dict:
    """Every row of every table, as committed now."""
    from noviwerk.extensions import db

    db.session.rollback()
    with db.engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(sa.select(t)).all()))
            for t in db.metadata.sorted_tables
        }


def _refused(policy: Policy, role: str, method: str, response, code: str) -> bool:
    status, where = response.status_code, response.headers.get("Location", "")
    if policy == Policy.PARTICIPANT:
        if method == "GET":
            return status in (302, 303) and f"/w/{code}/welkom" in where
        return 400 <= status < 500
    if policy == Policy.AGENDA or role in STAFF:
        return status == 403
    return status in (302, 303) and "/login" in where


def test_every_route_answers_every_role_as_its_policy_says(app, visitors):
    clients, values, code = visitors
    tokens = {role: csrf_token(client, "/") for role, client in clients.items()}
    problems: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        policy = policy_of(app.view_functions[rule.endpoint])
        url = _url(rule, values)
        allowed = ALLOWED[policy]
        if "GET" in rule.methods:
            for role in sorted(ROLES):
                r = clients[role].get(url)
                refused = _refused(policy, role, "GET", r, code)
                if r.status_code >= 500 or refused == (role in allowed):
                    where = r.headers.get("Location", "")
                    problems.append(f"GET {url} ({policy}) as {role}: {r.status_code} {where}")
        if "POST" in rule.methods:
            before = _snapshot()
            for role in sorted(ROLES - allowed):
                r = clients[role].post(url, data={"csrf_token": tokens[role]})
                if not _refused(policy, role, "POST", r, code):
                    problems.append(f"POST {url} ({policy}) as {role}: {r.status_code}")
                if _snapshot() != before:
                    problems.append(f"POST {url} ({policy}) as {role} changed the database")
                    before = _snapshot()
    assert not problems, "\n".join(problems)


def test_the_walk_sees_every_route(app, visitors):
    """No route is left out for want of a value for one of its URL variables."""
    _clients, values, _code = visitors
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            assert re.match(r"^/", _url(rule, values))
