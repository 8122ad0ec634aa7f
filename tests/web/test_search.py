"""The search page over HTTP: a form that works without JavaScript, highlighted results in a
list that link to the contribution and to the bouwsteen section, Dutch messages, and nothing
from a werkplaats the reader may not open."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login, make_bouwsteen, post_form

TEXTS = (
    "Bodemdaling in het veenweidegebied gaat door",
    "De boer moet ruimte krijgen voor natuur",
    "Regio's willen zelf kiezen",
)


@pytest.fixture
def room(world):
    """The with_posts werkplaats (facilitator fac@, trekker trek@) with TEXTS, and a second
    werkplaats of another facilitator in the same programme with a post about boeren."""
    from noviwerk.services import participation

    fac, trekker, w = world.with_posts(TEXTS)
    other_fac = world.user("ander@example.test")
    other = world.werkplaats(w.programme, title="Natuur en landschap", facilitators=[other_fac])
    world.open_werkplaats(other)
    p = participation.join(other)
    participation.post_contribution(p, other.rounds[0].id, "Boeren in het buitengebied")
    return w, other


def _url(w, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/f/programmas/{w.programme_id}/zoeken" + (f"?{query}" if query else "")


def _get(client, url) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def _results(page: str) -> list[str]:
    """The texts of the result lists, tags stripped."""
    lists = re.findall(r'<ol class="search-results"[^>]*>(.*?)</ol>', page, re.S)
    items = [li for ol in lists for li in re.findall(r'<p class="search-text">(.*?)</p>', ol, re.S)]
    return [re.sub(r"<[^>]+>", "", li) for li in items]


def test_programme_and_oogst_pages_link_to_search(client, room):
    w, _other = room
    login(client)
    for page in (f"/f/programmas/{w.programme_id}", f"/f/programmas/{w.programme_id}/oogst"):
        assert f'href="/f/programmas/{w.programme_id}/zoeken"' in _get(client, page)


def test_the_form_is_labelled_and_asks_by_get(client, room):
    w, _other = room
    login(client)
    page = _get(client, _url(w))
    assert re.search(r'<form[^>]*method="get"[^>]*role="search"', page)
    assert '<label class="label" for="q">Zoekwoorden</label>' in page
    assert 'type="search" id="q" name="q"' in page
    for name in ("thema", "kernvraag", "soort", "veld", "werkplaats"):
        assert f'<label class="label" for="{name}">' in page and f'name="{name}"' in page
    assert "Typ een of meer woorden" not in page  # not asked yet: no reproach


def test_results_are_highlighted_and_link_to_the_contribution(client, room):
    w, _other = room
    login(client)
    page = _get(client, _url(w, q="boeren"))
    assert _results(page) == ["De boer moet ruimte krijgen voor natuur"]  # not the other's
    assert "De <mark>boer</mark> moet" in page
    assert "1 resultaat voor ‘boeren’." in page
    href = re.search(r'<a href="(/f/werkplaatsen/\d+/bijdragen#c-(\d+))">De <mark>', page)
    assert href, page
    target = _get(client, href.group(1).split("#")[0])
    assert f'<li id="c-{href.group(2)}"' in target
    assert "De boer moet ruimte krijgen voor natuur" in target


def test_what_is_typed_is_escaped(client, room):
    w, _other = room
    login(client)
    page = _get(client, _url(w, q="<b>boer</b>"))
    assert "<b>boer" not in page and "&lt;b&gt;boer" in page
    assert _results(page) == ["De boer moet ruimte krijgen voor natuur"]


def test_dutch_messages_for_an_empty_query_and_for_nothing_found(client, room):
    w, _other = room
    login(client)
    assert "Typ een of meer woorden om te zoeken." in _get(client, _url(w, q=""))
    assert "woorden als 'de', 'het' en 'en' tellen niet mee" in _get(
        client, _url(w, q="de+het")
    ).replace("&#39;", "'")
    page = _get(client, _url(w, q="zeespiegel"))
    assert "Niets gevonden voor ‘zeespiegel’." in page and _results(page) == []


def test_a_hidden_contribution_is_not_found(client, room):
    from noviwerk.extensions import db
    from noviwerk.models import Contribution

    w, _other = room
    login(client)
    cid = db.session.query(Contribution).filter_by(text=TEXTS[0]).one().id
    assert _results(_get(client, _url(w, q="bodemdaling"))) == [TEXTS[0]]
    r = post_form(
        client,
        f"/f/werkplaatsen/{w.id}/regie/bijdragen/{cid}/verbergen",
        page=f"/f/werkplaatsen/{w.id}/regie",
    )
    assert r.status_code in (200, 303), r.get_data(as_text=True)
    assert _results(_get(client, _url(w, q="bodemdaling"))) == []
    assert f'id="c-{cid}"' not in _get(client, f"/f/werkplaatsen/{w.id}/bijdragen")


def test_a_facilitator_of_another_werkplaats_finds_only_their_own(client, room):
    w, other = room
    login(client, "ander@example.test")
    page = _get(client, _url(w, q="boer"))
    assert _results(page) == ["Boeren in het buitengebied"]
    assert _results(_get(client, _url(w, q="bodemdaling"))) == []
    # The other werkplaats' page of contributions stays shut, and so does its filter.
    assert client.get(f"/f/werkplaatsen/{w.id}/bijdragen").status_code == 403
    page = _get(client, _url(w, q="boer", werkplaats=w.id))
    assert "Die werkplaats kun je in dit programma niet inzien" in page
    werkplaats_select = page.split('id="werkplaats"', 1)[1].split("</select>", 1)[0]
    assert "Natuur en landschap" in werkplaats_select and w.title not in werkplaats_select


def test_the_trekker_searches_the_bouwsteen_and_lands_on_its_section(client, room):
    w, _other = room
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    page = _get(client, _url(w, q="veenweidegebied"))
    links = re.findall(rf'href="/f/werkplaatsen/{w.id}/bouwsteen#([\w-]+)"', page)
    assert links and "bijlage" not in links
    bouwsteen_page = _get(client, f"/f/werkplaatsen/{w.id}/bouwsteen")
    assert all(f'id="{anchor}"' in bouwsteen_page for anchor in links)
    assert "<mark>veenweidegebied</mark>" in page
    # Soort or veld narrows to contributions: the bouwsteen is left out, and says so.
    assert "bouwsteen#" not in _get(client, _url(w, q="veenweidegebied", veld="maatschappelijk"))


def test_a_filter_not_understood_says_so(client, room):
    w, _other = room
    login(client)
    page = _get(client, _url(w, q="boer", soort="praatje"))
    assert "De soort &#39;praatje&#39; bestaat niet; het filter is weggelaten." in page
    assert _results(page) == ["De boer moet ruimte krijgen voor natuur"]


def test_many_results_come_in_pages(client, world):
    from noviwerk.services import participation

    fac, _trekker, w = world.with_posts(())
    p = participation.join(w)
    for i in range(23):
        participation.post_contribution(p, w.rounds[0].id, f"Zonnepanelen op dak {i}")
    login(client)
    first = _get(client, _url(w, q="zonnepanelen"))
    assert len(_results(first)) == 20 and "Pagina 1 van 2" in first
    nxt = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = _get(client, nxt)
    assert len(_results(second)) == 3 and '<ol class="search-results" start="21">' in second


def test_search_needs_a_login(client, room):
    w, _other = room
    r = client.get(_url(w, q="boer"))
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_english(client, room):
    w, _other = room
    login(client)
    page = _get(client, _url(w, q="zeespiegel", lang="en"))
    assert "Nothing found for ‘zeespiegel’." in page
