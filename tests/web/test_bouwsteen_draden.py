"""The trekker shapes the rode draden on the bouwsteen page: rename, merge, move, drop."""

from __future__ import annotations

import re

import pytest

from noviwerk.services import bouwsteen as svc
from noviwerk.services import bouwsteen_draden as draden_svc
from noviwerk.services.errors import Invalid
from tests.conftest import bouwsteen_url, fresh, join, login, make_bouwsteen, post_form
from tests.services.test_bouwsteen import THEMES


@pytest.fixture
def drafted(client, world):
    """The trekker, logged in, on a draft with two rode draden and a loose post."""
    _fac, _trekker, w = world.with_posts(THEMES)
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    return w


def _draden(w) -> dict:
    fresh()
    return {d.label: d for d in draden_svc.draden(svc.find(w))}


def _bodem_stad(w):
    by_label = _draden(w)
    bodem = next(d for label, d in by_label.items() if "odemdaling" in label)
    return bodem, next(d for d in by_label.values() if d is not bodem)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def _rename(client, w, key, name):
    page = bouwsteen_url(w)
    url = bouwsteen_url(w, f"/rode-draden/{key}/naam")
    return post_form(client, url, {f"naam-{key}-label": name}, page=page)


def test_the_trekker_renames_a_draad_and_the_page_and_versions_say_so(client, drafted):
    w = drafted
    bodem, _stad = _bodem_stad(w)
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Rode draden aanpassen" in _section(html, "rode-draden")
    r = _rename(client, w, bodem.key, "Zakkende bodem")
    assert r.status_code == 303 and r.headers["Location"].endswith("#rode-draden")
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "<strong>Zakkende bodem</strong>" in _section(html, "rode-draden")
    assert "zakkende bodem" in _section(html, "samenvatting")
    assert f"Rode draad &#39;{bodem.label}&#39; heet nu &#39;Zakkende bodem&#39; (versie 2)." in html
    versions = client.get(bouwsteen_url(w, "/versies")).get_data(as_text=True)
    assert "bewerkt: Rode draad" in versions and "Tineke Trekker" in versions


def test_merge_move_and_drop_through_the_page(client, drafted):
    w = drafted
    bodem, stad = _bodem_stad(w)
    page = bouwsteen_url(w)
    r = post_form(
        client, bouwsteen_url(w, "/rode-draden/verplaatsen"),
        {"verplaats-number": "6", "verplaats-to": str(stad.key)}, page=page,
    )  # fmt: skip
    assert r.status_code == 303
    assert 6 in _draden(w)[stad.label].numbers
    r = post_form(
        client, bouwsteen_url(w, f"/rode-draden/{stad.key}/samenvoegen"),
        {f"samen-{stad.key}-other": str(bodem.key)}, page=page,
    )  # fmt: skip
    assert r.status_code == 303
    (merged,) = _draden(w).values()  # named by its first contribution, now bodem's
    assert merged.label == stad.label and merged.key == min(bodem.key, stad.key)
    r = post_form(client, bouwsteen_url(w, f"/rode-draden/{merged.key}/weglaten"), page=page)
    assert r.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert _draden(w) == {} and "Rode draden aanpassen" not in html
    assert len(svc.find(w).versions) == 4


@pytest.mark.parametrize(
    ("tail", "data", "message"),
    [
        ("/rode-draden/{b}/naam", {"naam-{b}-label": ""}, "Geef de rode draad een naam."),
        ("/rode-draden/{b}/naam", {"naam-{b}-label": "x" * 81}, "Een naam is hooguit 80 tekens."),
        ("/rode-draden/{b}/naam", {"naam-{b}-label": "{S}"}, "Zo heet de rode draad '{S}' al."),
        ("/rode-draden/{b}/samenvoegen", {"samen-{b}-other": "{b}"}, "Ongeldige keuze."),
        ("/rode-draden/verplaatsen", {"verplaats-number": "", "verplaats-to": "{s}"},
         "Vul het nummer van de bijdrage in."),
        ("/rode-draden/verplaatsen", {"verplaats-number": "42", "verplaats-to": "{s}"},
         "Bijdrage 42 staat niet in de bijlage van deze werkplaats."),
        ("/rode-draden/99999/weglaten", {}, "Deze rode draad staat niet (meer) in de bouwsteen."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_message_and_changes_nothing(client, drafted, tail, data, message):
    w = drafted
    bodem, stad = _bodem_stad(w)

    def filled(s: str) -> str:
        return s.replace("{b}", str(bodem.key)).replace("{s}", str(stad.key)).replace("{S}", stad.label)

    url = bouwsteen_url(w, filled(tail))
    r = post_form(client, url, {filled(k): filled(v) for k, v in data.items()}, page=bouwsteen_url(w))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert filled(message) in html.replace("&#39;", "'")
    assert 'role="alert"' in _section(html, "rode-draden")
    assert "<details" in html and " open>" in _section(html, "rode-draden")
    # the forms post to the page's place of the forms, so a refusal shows there, not at the top
    assert re.search(r'<form method="post" action="[^"]*#rode-draden-aanpassen"', html)
    fresh()
    assert len(svc.find(w).versions) == 1


def test_merging_a_draad_with_itself_is_refused_in_dutch(client, drafted):
    """The form offers only the others; a hand-made request still gets a Dutch message."""
    w = drafted
    bodem, _stad = _bodem_stad(w)
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    form = re.search(rf'name="samen-{bodem.key}-other".*?</select>', html, re.S).group(0)
    assert f'value="{bodem.key}"' not in form
    with pytest.raises(Invalid, match="zichzelf"):
        draden_svc.merge_draden(svc.find(w), bodem.key, bodem.key, svc.find(w).versions[0].created_by)


def test_choices_are_kept_across_bijwerken_met_nieuwe_inbreng(app, client, drafted):
    w = drafted
    bodem, stad = _bodem_stad(w)
    _rename(client, w, bodem.key, "Zakkende bodem")
    post_form(
        client, bouwsteen_url(w, f"/rode-draden/{stad.key}/weglaten"), page=bouwsteen_url(w)
    )
    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    r = post_form(
        phone, f"/w/{w.join_code}/bijdragen",
        {"round_id": w.rounds[0].id, "text": "Bodemdaling maakt dijken duur", "client_key": key},
        page=f"/w/{w.join_code}",
    )  # fmt: skip
    assert r.status_code in (200, 201, 303)
    r = post_form(client, bouwsteen_url(w, "/bijwerken"), page=bouwsteen_url(w))
    assert r.status_code == 303
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Bijgewerkt met de nieuwe inbreng (versie 4)." in html
    draden = _section(html, "rode-draden")
    assert "<strong>Zakkende bodem</strong>" in draden and stad.label not in draden
    assert "Bodemdaling maakt dijken duur" in html
    assert 7 in _draden(w)["Zakkende bodem"].numbers


def test_no_forms_when_gereed_nor_for_readers_of_the_share_link(app, client, drafted):
    w = drafted
    page = bouwsteen_url(w)
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=page)
    token = svc.find(w).share_token
    shared = app.test_client().get(f"/b/{token}").get_data(as_text=True)
    assert "Rode draden aanpassen" not in shared and "/rode-draden/" not in shared
    for to in ("verslag", "gereed"):
        post_form(client, bouwsteen_url(w, "/status"), {"to": to}, page=page)
    html = client.get(page).get_data(as_text=True)
    assert "Rode draden aanpassen" not in html
    bodem, _stad = _bodem_stad(w)
    r = _rename(client, w, bodem.key, "Zakkende bodem")
    assert r.status_code == 422 and "gereed" in r.get_data(as_text=True)
    assert len(svc.find(w).versions) == 1
