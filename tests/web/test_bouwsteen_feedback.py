"""The draft bouwsteen as a trekker and a reader meet it: confirmations where the page lands,
flags named by their section, and a signed-off bouwsteen that says so everywhere."""

from __future__ import annotations

import re

import pytest

from noviwerk.services import participation
from tests.conftest import bouwsteen_url, login, make_bouwsteen, post_form


@pytest.fixture
def posted(world):
    return world.with_posts()


def _section_html(html: str, section_id: str) -> str:
    start = html.index(f'<section class="doc-section origin-hand" id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_a_saved_section_confirms_inside_that_section_once(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    r = post_form(client, edit, {"text": "Water vraagt ruimte. [1]"}, page=edit)
    assert r.status_code == 303 and r.headers["Location"].endswith("#samenvatting")
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    # the browser scrolls to the section, so the confirmation must be there, not at the top
    assert "opgeslagen als nieuwe versie" in _section_html(html, "samenvatting")
    assert html.count("opgeslagen als nieuwe versie") == 1
    assert "opgeslagen als nieuwe versie" not in client.get(bouwsteen_url(w)).get_data(as_text=True)


def test_a_confirmation_is_not_shown_on_another_page(client, posted, world):
    fac, _trekker, w = posted
    other = world.werkplaats(w.programme, title="Ruimte voor voedsel", facilitators=[fac])
    login(client)
    make_bouwsteen(client, w)
    make_bouwsteen(client, other)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    post_form(client, edit, {"text": "Water vraagt ruimte. [1]"}, page=edit)
    assert "opgeslagen als nieuwe versie" not in client.get(bouwsteen_url(other)).get_data(as_text=True)
    assert "opgeslagen als nieuwe versie" not in client.get(bouwsteen_url(w)).get_data(as_text=True)


def test_making_the_share_link_confirms_in_the_share_card(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    r = post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    assert r.headers["Location"].endswith("#delen")
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    card = html[html.index('id="delen"') : html.index("</section>", html.index('id="delen"'))]
    assert "Leeslink gemaakt" in card


def test_a_reader_is_thanked_in_the_section_flagged(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    link = re.search(r'href="(/b/[^"]+)"', client.get(bouwsteen_url(w)).get_data(as_text=True)).group(1)
    reader = app.test_client()
    reader.get(link)
    data = {"section_id": "samenvatting", "comment": "Dit mis ik"}
    r = post_form(reader, link, data, page=link)
    assert r.status_code == 303
    html = reader.get(link).get_data(as_text=True)
    start = html.index('id="samenvatting"')
    assert "Dank je wel" in html[start : html.index("</section>", start)]


def _share_and_flag(app, client, w, section_id, comment):
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    link = re.search(r'href="(/b/[^"]+)"', client.get(bouwsteen_url(w)).get_data(as_text=True)).group(1)
    reader = app.test_client()
    data = {"section_id": section_id, "comment": comment}
    assert post_form(reader, link, data, page=link).status_code == 303
    return link, reader


def test_flags_name_the_section_as_the_trekker_reads_it(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    _share_and_flag(app, client, w, "afwijkende-geluiden", "Wij zeiden iets anders")
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    flags = html[
        html.index('id="reacties"') : html.index("</section>", html.index('id="reacties"'))
    ]
    assert '<a href="#afwijkende-geluiden">Afwijkende geluiden</a>' in flags
    assert ">afwijkende-geluiden<" not in flags


def _to_gereed(client, w):
    for to in ("verslag", "gereed"):
        assert post_form(client, bouwsteen_url(w, "/status"), {"to": to}, page=bouwsteen_url(w)).status_code == 303


def test_a_signed_off_bouwsteen_tells_readers_reacting_is_over(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    link, reader = _share_and_flag(app, client, w, "samenvatting", "Mis ik iets")
    _to_gereed(client, w)
    html = reader.get(link).get_data(as_text=True)
    assert "reageren kan niet meer" in html
    assert "Laat het hieronder weten" not in html and "Conceptbouwsteen" not in html
    assert 'id="herken-ik-niet"' not in html


def test_the_editor_of_a_signed_off_bouwsteen_sends_back_with_the_reason(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    _to_gereed(client, w)
    r = client.get(bouwsteen_url(w, "/secties/samenvatting"))
    assert r.status_code == 303 and r.headers["Location"].endswith(bouwsteen_url(w))
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert html.count("Deze bouwsteen is gereed en alleen te lezen") == 2  # flash and the bar
    # a refused save keeps its form and the typed text
    edit = bouwsteen_url(w, "/secties/samenvatting")
    r = post_form(client, edit, {"text": "Mijn tekst [1]"}, page=bouwsteen_url(w))
    assert r.status_code == 422 and "Mijn tekst [1]" in r.get_data(as_text=True)


def test_a_conflict_links_to_the_new_input_it_is_about(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/kernvraag-1")
    post_form(client, edit, {"text": "Mijn eigen woorden over water. [1]"}, page=edit)
    p = participation.join(w, display_name="Nieuw", veld="maatschappelijk")
    participation.post_contribution(p, w.rounds[0].id, "Hittestress in de stad", client_key="n")
    # before regenerating, the new input is not in this version's bijlage: a count only
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    box = html[
        html.index('id="conflicts-title"') : html.index("</section>", html.index("conflicts"))
    ]
    assert "1 nieuwe bijdrage" in box and "#bijlage-" not in box
    post_form(client, bouwsteen_url(w, "/bijwerken"), page=bouwsteen_url(w))
    html = client.get(bouwsteen_url(w)).get_data(as_text=True)
    box = html[
        html.index('id="conflicts-title"') : html.index("</section>", html.index("conflicts"))
    ]
    assert "1 nieuwe bijdrage" in box and 'href="#bijlage-3"' in box
    assert 'id="bijlage-3"' in html and "Hittestress in de stad" in html


def test_every_contribution_behind_a_passage_is_linked(client, world):
    fac = world.user()
    w = world.werkplaats(facilitators=[fac])
    world.open_werkplaats(w)
    for i in range(15):
        p = participation.join(w, display_name=f"D{i}", veld="maatschappelijk")
        participation.post_contribution(
            p, w.rounds[0].id, f"Water in de stad, punt {i}", client_key=f"k{i}"
        )
    login(client)
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    post_form(client, edit, {"text": "Iedereen zei iets over water. [1–15]"}, page=edit)
    section = _section_html(client.get(bouwsteen_url(w)).get_data(as_text=True), "samenvatting")
    for n in range(1, 16):
        assert f'href="#bijlage-{n}"' in section


def _shared(app, client, w):
    """The share link of the werkplaats' bouwsteen, and a reader's client that opened it."""
    post_form(client, bouwsteen_url(w, "/delen"), {"aan": "1"}, page=bouwsteen_url(w))
    link = re.search(r'href="(/b/[^"]+)"', client.get(bouwsteen_url(w)).get_data(as_text=True)).group(1)
    reader = app.test_client()
    return link, reader


def _in_section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}" aria-labelledby=')
    return html[start : html.index("</section>", start)]


def test_a_reader_flags_a_section_beside_it(app, client, posted):
    """"Herken ik niet" stands in every section of the share page (not the bijlage), and
    sends that section: no list of sections to pick from far away from the text."""
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    link, reader = _shared(app, client, w)
    html = reader.get(link).get_data(as_text=True)
    assert "Welke sectie herken je niet?" not in html  # the select at the top is gone
    for section_id in ("samenvatting", "afwijkende-geluiden"):
        own = _in_section(html, section_id)
        assert "Herken ik niet" in own
        assert f'name="section_id" value="{section_id}"' in own
    assert "Herken ik niet" not in _in_section(html, "bijlage")

    r = post_form(reader, link, {"section_id": "afwijkende-geluiden", "comment": "Wij zeiden iets anders"}, page=link)
    assert r.status_code == 303 and r.headers["Location"].endswith("#afwijkende-geluiden")
    html = reader.get(link).get_data(as_text=True)
    assert "Dank je wel" in _in_section(html, "afwijkende-geluiden")
    trekker_page = client.get(bouwsteen_url(w)).get_data(as_text=True)
    assert "Wij zeiden iets anders" in trekker_page


def test_an_empty_reaction_is_refused_in_its_own_section(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    link, reader = _shared(app, client, w)
    r = post_form(reader, link, {"section_id": "samenvatting", "comment": "  "}, page=link)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    own = _in_section(html, "samenvatting")
    assert '<details class="flag-section" open>' in own
    assert "Schrijf kort wat je niet herkent." in own and 'aria-invalid="true"' in own
    assert '<details class="flag-section" open>' not in _in_section(html, "afwijkende-geluiden")


def test_a_signed_off_bouwsteen_has_no_flag_beside_its_sections(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    link, reader = _shared(app, client, w)
    _to_gereed(client, w)
    html = reader.get(link).get_data(as_text=True)
    assert "Herken ik niet" not in html and 'name="section_id"' not in html
