"""Rights per programme: its owners (and beheerders) change its name, themes and kernvragen and
add werkplaatsen; its members read its oogst; nobody else touches it."""

from __future__ import annotations

from noviwerk.domain import DEFAULT_KERNVRAGEN
from tests.conftest import fresh, login, post_form


def _programme_form(programme, **changes) -> dict:
    data = {"name": programme.name, "description": programme.description or ""}
    data["themes"] = "\n".join(t.name for t in programme.themes)
    for i, k in enumerate(programme.kernvragen):
        data[f"kernvragen-{i}-title"] = k.title
        data[f"kernvragen-{i}-question"] = k.question
    data.update(changes)
    return data


def test_a_facilitator_cannot_rename_the_kernvragen_of_a_programme_they_do_not_own(
    app, client, world
):
    """Before: any facilitator renamed kernvraag 1 of any programme, and the new title showed
    on the phones and in the bouwstenen of werkplaatsen they do not run."""
    fac, w = world.live()  # fac runs this werkplaats; round 1 is on kernvraag 1
    phone = world.phone(w)
    original = DEFAULT_KERNVRAGEN[0].title
    assert original in phone.page()

    world.user("vreemd@example.test")  # a facilitator of nothing in this programme
    login(client, "vreemd@example.test")
    url = f"/f/programmas/{w.programme_id}/bewerken"
    assert client.get(url).status_code == 403
    r = post_form(client, url, _programme_form(w.programme, **{"kernvragen-0-title": "Gekaapt"}))
    assert r.status_code == 403
    fresh()
    assert w.programme.kernvragen[0].title == original
    page = phone.page()
    assert original in page and "Gekaapt" not in page
    # nor may they add a werkplaats to it
    new = f"/f/programmas/{w.programme_id}/werkplaatsen/nieuw"
    assert client.get(new).status_code == 403
    assert post_form(client, new, {"title": "Indringer", "kind": "inhoudelijk"}).status_code == 403
    fresh()
    assert [x.title for x in w.programme.werkplaatsen] == [w.title]
