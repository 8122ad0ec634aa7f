"""The NOVI's nationale belangen and prioriteiten as tags over HTTP: the facilitator tags a
contribution in the regie's "Meer", the trekker a rode draad, and the oogst counts them."""

from __future__ import annotations

import re

import pytest

from noviwerk.services import bouwsteen as bouwsteen_svc
from noviwerk.services import bouwsteen_draden as draden_svc
from noviwerk.services import moderation
from tests.conftest import bouwsteen_url, contributions, fresh, login, make_bouwsteen, post_form
from tests.services.test_bouwsteen import THEMES


@pytest.fixture
def posted(world):
    """A facilitator (fac@), a trekker (trek@) and a werkplaats with the six THEMES posts."""
    fac, trekker, w = world.with_posts(THEMES)
    return fac, trekker, w


def _tag(client, w, c, *keys, htmx=False):
    more = f"/f/werkplaatsen/{w.id}/regie/bijdragen/{c.id}"
    headers = {"HX-Request": "true"} if htmx else {}
    return post_form(
        client, f"/f/werkplaatsen/{w.id}/bijdragen/{c.id}/tags",
        {"tag": list(keys), "ronde": str(c.round_id)}, page=more, headers=headers,
    )  # fmt: skip


def _counts(client, w) -> dict[str, tuple[int, int, int]]:
    """The oogst's count table: bijdragen, werkplaatsen, rode draden per tag key."""
    r = client.get(f"/f/programmas/{w.programme_id}/oogst/belangen")
    assert r.status_code == 200, r.get_data(as_text=True)
    html = r.get_data(as_text=True)
    return {
        key: tuple(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row))
        for key, row in re.findall(r'<tr id="tag-([a-z0-9-]+)">(.*?)</tr>', html, re.S)
    }


def test_the_facilitator_tags_contributions_and_the_oogst_counts_them(client, posted):
    _fac, _trekker, w = posted
    login(client)
    first, second, *_rest = contributions(w)
    more = client.get(f"/f/werkplaatsen/{w.id}/regie/bijdragen/{first.id}").get_data(as_text=True)
    assert 'name="tag" value="belang-14"' in more and "Waarborgen van de waterveiligheid" in more
    assert _tag(client, w, first, "belang-14", "prioriteit-3").status_code == 303
    r = _tag(client, w, second, "belang-14", htmx=True)
    assert r.status_code == 200 and r.headers["HX-Retarget"] == "#flash"
    assert "Tags van bijdrage" in r.get_data(as_text=True)
    more = client.get(f"/f/werkplaatsen/{w.id}/regie/bijdragen/{first.id}").get_data(as_text=True)
    assert re.search(r'value="belang-14" id="tag-\d+-belang-14" checked', more)
    assert re.search(r'value="prioriteit-3" id="tag-\d+-prioriteit-3" checked', more)
    assert not re.search(r'value="belang-1" id="tag-\d+-belang-1" checked', more)

    oogst = client.get(f"/f/programmas/{w.programme_id}/oogst").get_data(as_text=True)
    assert f'href="/f/programmas/{w.programme_id}/oogst/belangen"' in oogst
    counts = _counts(client, w)
    assert len(counts) == 25
    assert counts["belang-14"] == (2, 1, 0) and counts["prioriteit-3"] == (1, 1, 0)
    assert counts["belang-1"] == (0, 0, 0)
    listed = client.get(f"/f/programmas/{w.programme_id}/oogst/belangen?tag=belang-14")
    page = listed.get_data(as_text=True)
    assert first.text in page and second.text in page and THEMES[2] not in page

    # a hidden contribution leaves the count; no tags left clears them
    moderation.moderate(w, second.id, "verbergen", _fac)
    assert _tag(client, w, first).status_code == 303
    counts = _counts(client, w)
    assert counts["belang-14"] == (0, 0, 0) and counts["prioriteit-3"] == (0, 0, 0)
    bad = client.get(f"/f/programmas/{w.programme_id}/oogst/belangen?tag=geheim")
    assert "Deze tag bestaat niet" in bad.get_data(as_text=True)


def test_tags_are_the_facilitators_and_only_from_the_set(app, client, posted):
    _fac, _trekker, w = posted
    first = contributions(w)[0]
    trekker = app.test_client()
    login(trekker, "trek@example.test")
    r = post_form(trekker, f"/f/werkplaatsen/{w.id}/bijdragen/{first.id}/tags", {"tag": "belang-1"})
    assert r.status_code == 403
    login(client)
    assert _tag(client, w, first, "belang-99").status_code == 422
    fresh()
    from noviwerk.services.tags import tags_of

    assert tags_of([first.id]) == {}


def test_the_trekker_tags_a_rode_draad_and_the_oogst_counts_it(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    fresh()
    bodem = next(d for d in draden_svc.draden(bouwsteen_svc.find(w)) if "odemdaling" in d.label)
    page = bouwsteen_url(w)
    html = client.get(page).get_data(as_text=True)
    url = bouwsteen_url(w, f"/rode-draden/{bodem.key}/tags")
    assert f'action="{url}#rode-draden-aanpassen"' in html
    r = post_form(client, url, {f"tags-{bodem.key}-tags": ["belang-20", "prioriteit-2"]}, page=page)
    assert r.status_code == 303, r.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "getagd: prioriteit 2, nationaal belang 20 (versie 2)." in html
    checked = re.findall(
        rf'<input checked id="tags-{bodem.key}-tags-\d+"[^>]* value="([^"]+)">', html
    )
    assert checked == ["prioriteit-2", "belang-20"]
    again = post_form(
        client, url, {f"tags-{bodem.key}-tags": ["prioriteit-2", "belang-20"]}, page=page
    )
    assert again.status_code == 422 and "heeft deze tags al" in again.get_data(as_text=True)
    counts = _counts(client, w)  # the trekker is a lid of the programme
    assert counts["belang-20"] == (0, 0, 1) and counts["prioriteit-2"] == (0, 0, 1)
    # taken off again
    assert post_form(client, url, {}, page=page).status_code == 303
    assert _counts(client, w)["belang-20"] == (0, 0, 0)
