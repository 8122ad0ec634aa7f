"""The trekker makes the ansichtkaart from the draft bouwsteen, edits it on a live preview,
keeps versions and downloads it; the programme team sees all cards in a gallery."""

from __future__ import annotations

import base64
import io
import re
from html import unescape

import pytest

from noviwerk.services import participation
from tests.conftest import ansichtkaart_url, fresh, join, login, post_form

TEXTS = [
    "Meer ruimte voor water in de stad",
    "Ruimte voor water in steden is hard nodig",
    "Bodemdaling in het veenweidegebied gaat door",
    "Waterschappen kunnen meer energie opwekken op hun eigen terrein",
    "Zoute kwel bedreigt de landbouw in de polders",
]
MM_PER_PT = 25.4 / 72


@pytest.fixture
def posted(world):
    """An open werkplaats with a trekker, a facilitator and a few posts from phones."""
    return world.with_posts(TEXTS)


def _make(client, w):
    r = post_form(client, ansichtkaart_url(w, "/maken"), page=ansichtkaart_url(w))
    assert r.status_code == 303, r.get_data(as_text=True)
    return client.get(ansichtkaart_url(w)).get_data(as_text=True)


def _current(w):
    from noviwerk.services import ansichtkaart as svc

    fresh()
    ansichtkaart = svc.find(w)
    return ansichtkaart, svc.content_of(ansichtkaart.current)


def _form(w, **changes):
    """The editor's fields as the current card has them, with ``changes``."""
    _ansichtkaart, content = _current(w)
    data = {
        "title": content.title,
        "paragraph_1": content.paragraphs[0].text,
        "paragraph_2": content.paragraphs[1].text,
        "paragraph_3": content.paragraphs[2].text,
        "terms": [t.text for t in content.terms],
        "layout": content.layout,
    }
    data.update(changes)
    return data


def _version_count(w) -> int:
    ansichtkaart, _content = _current(w)
    return len(ansichtkaart.versions)


# --- generate --------------------------------------------------------------------------------


def test_making_the_ansichtkaart_turns_the_share_link_on_and_shows_real_text(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    page = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Nog geen ansichtkaart" in page and "leeslink" in page  # says so before making it
    assert "/maken" in page

    html = _make(client, w)
    assert "leeslink van de bouwsteen staat nu aan" in html
    assert "<h1>Ansichtkaart: Water verbindt</h1>" in html
    assert re.search(r'<h2 id="ak-title"[^>]*>NOVI-werkplaats Water verbindt', html)
    ansichtkaart, content = _current(w)
    token = ansichtkaart.bouwsteen.share_token
    assert token and content.qr_url == f"http://localhost/b/{token}"
    assert f'href="http://localhost/b/{token}"' in html
    assert all(p.text in unescape(html) for p in content.paragraphs)
    assert all(f"<li>{t.text}</li>" in html for t in content.terms)
    assert "versie 1 (gegenereerd, Tineke Trekker" in html
    # the picture is there too, as an image with words
    assert re.search(r'<img class="ak-image" src="[^"]+/beeld.svg\?versie=1"[^>]+alt="[^"]+', html)
    # making it again is a no-op: still one version
    post_form(client, ansichtkaart_url(w, "/maken"), page=ansichtkaart_url(w))
    assert _version_count(w) == 1


def test_the_qr_code_honours_the_public_address(app, client, posted):
    _fac, _trekker, w = posted
    app.config["NOVIWERK_PUBLIC_URL"] = "https://noviwerk.example.nl/"
    login(client, "trek@example.test")
    _make(client, w)
    ansichtkaart, content = _current(w)
    assert content.qr_url == f"https://noviwerk.example.nl/b/{ansichtkaart.bouwsteen.share_token}"


def test_the_bouwsteen_and_programme_pages_link_to_the_ansichtkaart_and_gallery(client, posted):
    _fac, _trekker, w = posted
    login(client)
    bouwsteen = f"/f/werkplaatsen/{w.id}/bouwsteen"
    assert post_form(client, bouwsteen + "/maken", page=bouwsteen).status_code == 303
    assert ansichtkaart_url(w) in client.get(bouwsteen).get_data(as_text=True)
    programme = client.get(f"/f/programmas/{w.programme_id}").get_data(as_text=True)
    assert f"/f/programmas/{w.programme_id}/ansichtkaarten" in programme


# --- edit, versions, restore -----------------------------------------------------------------


def test_an_edit_is_a_hand_version_that_can_be_restored(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    editor = client.get(ansichtkaart_url(w, "/bewerken")).get_data(as_text=True)
    assert 'hx-post="' + ansichtkaart_url(w, "/voorbeeld") + '"' in editor
    assert 'type="checkbox"' in editor and 'type="radio"' in editor and "Oker" in editor
    assert "data:image/svg+xml;base64," in editor

    _ansichtkaart, content = _current(w)
    terms = [t.text for t in content.terms][:3]
    data = _form(
        w,
        title="Water verbindt ons allemaal",
        paragraph_2="Wat we hoorden: water vraagt ruimte, in de stad en op het land.",
        terms=terms,
        layout="groen",
    )
    r = post_form(client, ansichtkaart_url(w, "/bewerken"), data, page=ansichtkaart_url(w, "/bewerken"))
    assert r.status_code == 303
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Opgeslagen als versie 2" in html
    assert "Water verbindt ons allemaal" in html and "Alinea 2: met de hand geschreven" in html
    assert "opmaak: Groen" in html and "ak-theme-groen" in html
    _ansichtkaart, content = _current(w)
    assert [t.text for t in content.terms] == terms
    assert [p.origin for p in content.paragraphs] == ["machine", "hand", "machine"]

    versions = client.get(ansichtkaart_url(w, "/versies")).get_data(as_text=True)
    assert "bewerkt: titel, alinea 2, kernwoorden, opmaak" in versions
    assert "Tineke Trekker" in versions
    page = client.get(ansichtkaart_url(w, "/versies/1")).get_data(as_text=True)
    assert "Deze versie terugzetten" in page and "beeld.svg?versie=1" in page

    r = post_form(client, ansichtkaart_url(w, "/versies/1/terugzetten"), page=ansichtkaart_url(w))
    assert r.status_code == 303
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "versie 3 (teruggezet" in html and "Water verbindt ons allemaal" not in html
    # saving without a change makes no version
    post_form(client, ansichtkaart_url(w, "/bewerken"), _form(w), page=ansichtkaart_url(w, "/bewerken"))
    assert _version_count(w) == 3


def test_a_hand_paragraph_can_get_the_machine_text_back(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    _ansichtkaart, machine = _current(w)
    post_form(
        client,
        ansichtkaart_url(w, "/bewerken"),
        _form(w, paragraph_3="Mijn eigen slotzin."),
        page=ansichtkaart_url(w, "/bewerken"),
    )
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Machinetekst terugzetten" in html
    r = post_form(client, ansichtkaart_url(w, "/alineas/3/machinetekst"), page=ansichtkaart_url(w))
    assert r.status_code == 303
    _ansichtkaart, content = _current(w)
    assert content.paragraphs[2] == machine.paragraphs[2]
    # a machine paragraph has nothing to put back
    r = post_form(client, ansichtkaart_url(w, "/alineas/3/machinetekst"), page=ansichtkaart_url(w))
    assert r.status_code == 404


def test_the_trekker_adds_a_term_and_removes_one(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    editor = client.get(ansichtkaart_url(w, "/bewerken")).get_data(as_text=True)
    assert 'name="new_terms"' in editor and "Kernwoorden toevoegen" in editor
    _ansichtkaart, content = _current(w)
    before = [t.text for t in content.terms]
    kept = before[1:]  # the first term's box unticked
    data = _form(w, terms=kept, new_terms="klimaatadaptatie, Deltaprogramma")
    r = post_form(client, ansichtkaart_url(w, "/bewerken"), data, page=ansichtkaart_url(w, "/bewerken"))
    assert r.status_code == 303
    _ansichtkaart, content = _current(w)
    texts = [t.text for t in content.terms]
    assert before[0] not in texts
    assert set(kept) <= set(texts)
    assert {"klimaatadaptatie", "Deltaprogramma"} <= set(texts)
    added = next(t for t in content.terms if t.text == "Deltaprogramma")
    assert added.origin == "hand" and not added.provenance.ids
    # The added term is now one of the editor's boxes, ticked, so it can be removed again.
    editor = client.get(ansichtkaart_url(w, "/bewerken")).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="Deltaprogramma"|value="Deltaprogramma"[^>]*checked', editor)


def test_an_added_term_that_does_not_fit_is_refused_not_cut(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    long = "Waterhuishouding" + "W" * 22
    data = _form(w, new_terms=long)
    r = post_form(client, ansichtkaart_url(w, "/bewerken"), data, page=ansichtkaart_url(w, "/bewerken"))
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    assert f"Het kernwoord ‘{long}’ is te lang voor het beeld." in html
    assert f'value="{long}"' in html  # what was typed stays in the form
    assert _version_count(w) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "De titel is leeg."),
        ({"paragraph_1": ""}, "Alinea 1 is leeg."),
        ({"paragraph_2": "Water verbindt iedereen. " * 30}, "Alinea 2 is te lang voor de kaart"),
        ({"paragraph_3": "x" * 2500}, "hooguit 2000 tekens"),
        ({"title": "Water \u202everbindt"}, "onzichtbaar stuurteken"),
        ({"paragraph_1": "Nul\x00byte"}, "onzichtbaar stuurteken"),
        ({"title": "Water\u2060 verbindt"}, "onzichtbaar stuurteken"),
        ({"title": "Wa" + "\u0301" * 50 + "ter"}, "gestapelde accenttekens"),
        ({"terms": []}, "Kies ten minste één kernwoord"),
        ({"layout": "regenboog"}, "Onbekende opmaak"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_saved(client, posted, changes, message):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    r = post_form(client, ansichtkaart_url(w, "/bewerken"), _form(w, **changes), page=ansichtkaart_url(w, "/bewerken"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert message in unescape(html), unescape(html)[:3000]
    assert _version_count(w) == 1
    # the form keeps what was typed, so nothing is lost
    if "paragraph_2" in changes:
        assert "Water verbindt iedereen. Water verbindt iedereen." in html


def test_markup_stays_text_on_the_page_and_in_the_picture(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    evil = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
    r = post_form(
        client, ansichtkaart_url(w, "/bewerken"), _form(w, paragraph_1=evil), page=ansichtkaart_url(w, "/bewerken")
    )
    assert r.status_code == 303
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    svg = client.get(ansichtkaart_url(w, ".svg")).get_data(as_text=True)
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


# --- the live preview ------------------------------------------------------------------------


def test_the_preview_draws_the_unsaved_ansichtkaart_for_htmx(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    headers = {"HX-Request": "true"}
    r = post_form(
        client,
        ansichtkaart_url(w, "/voorbeeld"),
        _form(w, title="Een nieuwe titel"),
        page=ansichtkaart_url(w, "/bewerken"),
        headers=headers,
    )
    assert r.status_code == 200 and "HX-Request" in r.headers["Vary"]
    html = r.get_data(as_text=True)
    assert "<html" not in html  # a fragment
    assert 'id="ansichtkaart-preview-status" hx-swap-oob="innerHTML"' in html
    src = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = base64.b64decode(src).decode("utf-8")
    assert '<title id="kaart-titel">Een nieuwe titel</title>' in svg
    assert 'alt="Voorbeeld: Ansichtkaart ‘Een nieuwe titel’' in html
    assert _version_count(w) == 1  # nothing saved

    r = post_form(
        client,
        ansichtkaart_url(w, "/voorbeeld"),
        _form(w, paragraph_1="Te lang. " * 200),
        page=ansichtkaart_url(w, "/bewerken"),
        headers=headers,
    )
    assert r.status_code == 422
    assert r.headers["HX-Retarget"] == "#ansichtkaart-preview-status"
    assert "Alinea 1 is te lang voor de kaart" in r.get_data(as_text=True)
    assert _version_count(w) == 1


def test_the_preview_works_without_javascript(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    r = post_form(
        client, ansichtkaart_url(w, "/voorbeeld"), _form(w, title="Zonder script"), page=ansichtkaart_url(w, "/bewerken")
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<h1>Ansichtkaart bewerken</h1>" in html
    assert 'value="Zonder script"' in html and "HX-Request" in r.headers["Vary"]
    assert _version_count(w) == 1


# --- regenerate from a newer bouwsteen ------------------------------------------------------


def test_regenerate_takes_a_newer_bouwsteen_and_keeps_hand_text(app, client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    mine = "Mijn eigen woorden over water."
    _ansichtkaart, content = _current(w)
    picked = [t.text for t in content.terms][1:4]
    data = _form(w, paragraph_2=mine, terms=picked)
    post_form(client, ansichtkaart_url(w, "/bewerken"), data, page=ansichtkaart_url(w, "/bewerken"))
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Bijwerken uit bouwsteen" not in html

    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    for n, text in enumerate(
        [
            "Zoute kwel en bodemdaling vragen om een nationale aanpak",
            "Bodemdaling in het veenweidegebied vraagt een lange adem",
        ]
    ):
        post_form(
            phone,
            f"/w/{w.join_code}/bijdragen",
            {"text": text, "round_id": w.rounds[0].id, "client_key": f"{key}-{n}"},
            page=f"/w/{w.join_code}",
        )
    bouwsteen = f"/f/werkplaatsen/{w.id}/bouwsteen"
    assert post_form(client, bouwsteen + "/bijwerken", page=bouwsteen).status_code == 303

    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Bijwerken uit bouwsteen versie 2" in html
    r = post_form(client, ansichtkaart_url(w, "/bijwerken"), page=ansichtkaart_url(w))
    assert r.status_code == 303
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "Bijgewerkt uit de nieuwste bouwsteen (versie 3)" in html
    assert "Alinea 2 schreef je met de hand; die is bewaard." in html
    ansichtkaart, content = _current(w)
    assert content.paragraphs[1].text == mine and content.paragraphs[1].origin == "hand"
    assert "Je eigen keuze van kernwoorden is bewaard." in html
    assert sorted(t.text for t in content.terms) == sorted(picked)
    assert content.paragraphs[0].origin == content.paragraphs[2].origin == "machine"
    assert ansichtkaart.current.bouwsteen_version == 2 and ansichtkaart.current.kind == "bijgewerkt"
    assert "Bijwerken uit bouwsteen" not in html
    # nothing newer: nothing changes
    post_form(client, ansichtkaart_url(w, "/bijwerken"), page=ansichtkaart_url(w))
    assert _version_count(w) == 3


def test_a_withdrawn_share_link_is_flagged_and_can_be_turned_on_again(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    bouwsteen = f"/f/werkplaatsen/{w.id}/bouwsteen"
    post_form(client, bouwsteen + "/delen", page=bouwsteen)  # withdraw
    html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
    assert "De leeslink van de bouwsteen staat uit" in html
    post_form(client, ansichtkaart_url(w, "/qr-code"), page=ansichtkaart_url(w))
    ansichtkaart, content = _current(w)
    assert content.qr_url == f"http://localhost/b/{ansichtkaart.bouwsteen.share_token}"
    assert ansichtkaart.current.note == "QR-code"
    assert "staat uit" not in client.get(ansichtkaart_url(w)).get_data(as_text=True)


def test_regenerating_never_turns_a_withdrawn_share_link_back_on(client, posted):
    """The trekker turned the bouwsteen's read-only link off: updating the card from a newer
    bouwsteen keeps it off, and the card goes without a QR code to a dead link."""
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    bouwsteen = f"/f/werkplaatsen/{w.id}/bouwsteen"
    post_form(client, bouwsteen + "/delen", page=bouwsteen)  # withdraw
    participant = participation.join(w, display_name="Laat", veld="maatschappelijk")
    participation.post_contribution(
        participant, w.rounds[0].id, "Zoute kwel vraagt om een nationale aanpak", client_key="z"
    )
    assert post_form(client, bouwsteen + "/bijwerken", page=bouwsteen).status_code == 303

    for _twice in range(2):  # with a newer bouwsteen, and again with nothing new
        r = post_form(client, ansichtkaart_url(w, "/bijwerken"), page=ansichtkaart_url(w))
        assert r.status_code == 303
        html = client.get(ansichtkaart_url(w)).get_data(as_text=True)
        assert "staat nu aan" not in html
        assert "De leeslink van de bouwsteen staat uit, dus de kaart heeft geen QR-code." in html
        ansichtkaart, content = _current(w)
        assert ansichtkaart.bouwsteen.share_token is None
        assert content.qr_url is None and "QR-code" not in client.get(
            ansichtkaart_url(w, ".txt")
        ).get_data(as_text=True)
    assert ansichtkaart.current.bouwsteen_version == 2
    assert client.get("/b/" + "x" * 32).status_code == 404


# --- permissions and CSRF ------------------------------------------------------------------


def test_only_its_trekkers_and_facilitators_may_see_or_change_the_ansichtkaart(
    app, client, posted, world
):
    _fac, _trekker, w = posted
    trekker = app.test_client()
    login(trekker, "trek@example.test")
    _make(trekker, w)
    world.user("ander@example.test", role="trekker")
    login(client, "ander@example.test")
    for path in ("", "/bewerken", "/versies", "/versies/1", ".pdf", ".png", "/beeld.svg"):
        assert client.get(ansichtkaart_url(w, path)).status_code == 403, path
    assert client.get(ansichtkaart_url(w, "-afloop.pdf")).status_code == 403
    for path in ("/maken", "/bijwerken", "/bewerken", "/voorbeeld", "/versies/1/terugzetten"):
        assert post_form(client, ansichtkaart_url(w, path), _form(w), page="/f/").status_code == 403, path
    assert client.get(f"/f/programmas/{w.programme_id}/ansichtkaarten").status_code == 403
    facilitator = app.test_client()
    login(facilitator)
    assert facilitator.get(ansichtkaart_url(w)).status_code == 200
    assert facilitator.get(f"/f/programmas/{w.programme_id}/ansichtkaarten").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(ansichtkaart_url(w)).status_code == 302
    assert anonymous.get(ansichtkaart_url(w, ".pdf")).status_code == 302


def test_a_post_without_csrf_token_is_refused(client, posted):
    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    assert client.post(ansichtkaart_url(w, "/maken")).status_code == 400
    _make(client, w)
    data = _form(w, title="Zonder token")
    for path in ("/bewerken", "/voorbeeld"):
        assert client.post(ansichtkaart_url(w, path), data=data).status_code == 400
    assert _version_count(w) == 1


# --- downloads ------------------------------------------------------------------------------


def _mm(box) -> tuple[int, int]:
    return round(float(box.width) * MM_PER_PT), round(float(box.height) * MM_PER_PT)


def _embedded(font) -> bool:
    font = font.get_object()
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"]
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_downloads_read_back(client, posted):
    from PIL import Image
    from pypdf import PdfReader

    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    _make(client, w)
    _ansichtkaart, content = _current(w)

    r = client.get(ansichtkaart_url(w, ".pdf"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=ansichtkaart-")
    pdf = PdfReader(io.BytesIO(r.data))
    assert len(pdf.pages) == 1 and _mm(pdf.pages[0].mediabox) == (148, 105)
    assert "Water verbindt" in pdf.pages[0].extract_text()
    fonts = list(pdf.pages[0]["/Resources"]["/Font"].values())
    assert fonts and all(_embedded(f) for f in fonts)

    bleed = PdfReader(io.BytesIO(client.get(ansichtkaart_url(w, "-afloop.pdf")).data)).pages[0]
    assert _mm(bleed.mediabox) == (154, 111) and _mm(bleed.trimbox) == (148, 105)

    sheet = PdfReader(io.BytesIO(client.get(ansichtkaart_url(w, "-printvel.pdf")).data))
    assert len(sheet.pages) == 1 and _mm(sheet.pages[0].mediabox) == (297, 210)
    assert sheet.pages[0].extract_text().count("NOVI-werkplaats") == 4

    r = client.get(ansichtkaart_url(w, ".png"))
    assert r.mimetype == "image/png"
    with Image.open(io.BytesIO(r.data)) as image:
        assert image.width >= 1800 and abs(image.width / image.height - 148 / 105) < 0.01

    svg = client.get(ansichtkaart_url(w, ".svg"))
    assert svg.mimetype == "image/svg+xml" and content.title in svg.get_data(as_text=True)

    text = client.get(ansichtkaart_url(w, ".txt"))
    assert text.mimetype == "text/plain" and text.get_data(as_text=True).startswith(
        f"Ansichtkaart ‘{content.title}’"
    )
    assert text.get_data(as_text=True).strip() in client.get(ansichtkaart_url(w)).get_data(as_text=True)

    # an older version downloads as it was
    post_form(client, ansichtkaart_url(w, "/bewerken"), _form(w, title="Later"), page=ansichtkaart_url(w, "/bewerken"))
    assert "Later" not in client.get(ansichtkaart_url(w, ".svg?versie=1")).get_data(as_text=True)
    assert "Later" in client.get(ansichtkaart_url(w, ".svg")).get_data(as_text=True)
    assert client.get(ansichtkaart_url(w, ".svg?versie=9")).status_code == 404


# --- the programme's gallery ------------------------------------------------------------------


def test_the_gallery_shows_the_ansichtkaarten_the_viewer_may_read(app, client, posted, world):
    """Each card carries the QR code to its bouwsteen's read-only link: a member of the
    programme sees the cards of their own werkplaatsen only; a beheerder sees them all."""
    from pypdf import PdfReader

    fac, trekker, w = posted
    other = world.werkplaats(w.programme, title="Ruimte voor voedsel", trekkers=[trekker])
    empty = world.werkplaats(w.programme, title="Nog niets", facilitators=[fac])
    world.open_werkplaats(other)
    p = participation.join(other, display_name="Boer", veld="maatschappelijk")
    participation.post_contribution(p, other.rounds[0].id, "Voedsel vraagt ruimte", client_key="v")
    login(client, "trek@example.test")
    _make(client, w)
    _make(client, other)
    fresh()
    from noviwerk.services import ansichtkaart as svc

    foreign_link = svc.find(other).bouwsteen.share_token
    assert foreign_link

    facilitator = app.test_client()  # runs "Water verbindt" and "Nog niets", not the other
    login(facilitator)
    gallery = f"/f/programmas/{w.programme_id}/ansichtkaarten"
    html = facilitator.get(gallery).get_data(as_text=True)
    assert "1 van de 2 werkplaatsen hebben een ansichtkaart." in html
    assert "1 werkplaats van dit programma staat hier niet" in html
    assert f'href="{gallery}.pdf"' in html and f'href="{gallery}-printvel.pdf"' in html
    assert re.search(r"<h2 id=\"kaart-\d+\"><a href=\"" + ansichtkaart_url(w) + '">NOVI-werkplaats Water', html)
    assert "Ruimte voor voedsel" not in html and foreign_link not in html
    images = re.findall(r'<img class="ak-image" src="([^"]+)"[^>]* alt="([^"]+)"', html)
    assert len(images) == 1 and images[0][1].startswith("Ansichtkaart ‘")
    r = facilitator.get(images[0][0])
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert r.headers["Content-Disposition"].startswith("inline;")  # shown, not saved
    assert "Nog zonder ansichtkaart" in html and "Nog niets" in html
    assert facilitator.get(f"{gallery}/{empty.id}.svg").status_code == 404
    assert facilitator.get(f"{gallery}/{other.id}.svg").status_code == 404  # not theirs
    pdf = PdfReader(io.BytesIO(facilitator.get(gallery + ".pdf").data))
    assert len(pdf.pages) == 1 and _mm(pdf.pages[0].mediabox) == (148, 105)
    assert "Ruimte voor voedsel" not in "".join(page.extract_text() for page in pdf.pages)

    world.user("beheer@example.test", role="beheerder")
    beheerder = app.test_client()
    login(beheerder, "beheer@example.test")
    html = beheerder.get(gallery).get_data(as_text=True)
    assert "2 van de 3 werkplaatsen hebben een ansichtkaart." in html
    assert "staat hier niet" not in html and "NOVI-werkplaats Ruimte voor voedsel" in html
    assert beheerder.get(f"{gallery}/{other.id}.svg").status_code == 200
    pdf = PdfReader(io.BytesIO(beheerder.get(gallery + ".pdf").data))
    assert len(pdf.pages) == 2
    sheet = PdfReader(io.BytesIO(beheerder.get(gallery + "-printvel.pdf").data))
    assert len(sheet.pages) == 1 and _mm(sheet.pages[0].mediabox) == (297, 210)


def test_an_empty_gallery_says_so(client, world):
    w = world.werkplaats(facilitators=[world.user()])
    login(client)
    gallery = f"/f/programmas/{w.programme_id}/ansichtkaarten"
    html = client.get(gallery).get_data(as_text=True)
    assert "0 van de 1 werkplaatsen" in html and "Alle kaarten als één PDF" not in html
    r = client.get(gallery + ".pdf")
    assert r.status_code == 422 and "nog geen ansichtkaarten" in r.get_data(as_text=True)


# --- the batch export -----------------------------------------------------------------------


def test_cli_exports_a_programmes_ansichtkaarten_into_a_folder(client, runner, posted, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    _fac, _trekker, w = posted
    login(client, "trek@example.test")
    out = tmp_path / "kaarten"
    result = runner.invoke(args=["export-ansichtkaarten", str(w.programme_id), "-o", str(out)])
    assert result.exit_code == 1 and "nog geen ansichtkaarten" in result.output
    _make(client, w)
    fresh()
    result = runner.invoke(args=["export-ansichtkaarten", w.programme.name, "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"ansichtkaart-{w.id}-water-verbindt-v1-tekstalternatief.txt",
        f"ansichtkaart-{w.id}-water-verbindt-v1.png",
        "ansichtkaarten-werkplaatsen-novi-test-printvel.pdf",
        "ansichtkaarten-werkplaatsen-novi-test.pdf",
    ]
    assert len(PdfReader(out / "ansichtkaarten-werkplaatsen-novi-test.pdf").pages) == 1
    with Image.open(out / f"ansichtkaart-{w.id}-water-verbindt-v1.png") as image:
        assert image.width >= 1800
    result = runner.invoke(
        args=["export-ansichtkaarten", str(w.programme_id), "-o", str(out), "--format", "svg"]
    )
    assert result.exit_code == 0 and (out / f"ansichtkaart-{w.id}-water-verbindt-v1.svg").exists()
    result = runner.invoke(args=["export-ansichtkaarten", "999", "-o", str(out)])
    assert result.exit_code == 1 and "bestaat niet" in result.output


# --- the merge on regenerate, without the web -------------------------------------------------


def test_machine_paragraphs_make_room_for_a_long_hand_paragraph_without_cutting_words():
    from dataclasses import replace

    from noviwerk.services.ansichtkaart_edits import _fit_machine_paragraphs
    from noviwerk.synthesis.ansichtkaart import (
        ContentParagraph,
        generate,
        layout_geometry,
        problems,
    )
    from noviwerk.synthesis.ansichtkaart import layout as L
    from noviwerk.synthesis.bouwsteen import assemble
    from tests.synthesis.builders import sample_werkplaatsen

    werkplaats, contributions = sample_werkplaatsen()[0]
    content = generate(assemble(werkplaats, contributions), share_url="https://example.nl/b/x")
    geo = layout_geometry(content.layout)
    words = " ".join(p.text for p in content.paragraphs).split() * 3
    text = ""
    for word in words:  # the longest hand paragraph that still fits on its own
        longer = f"{text} {word}".strip()
        if len(L.body_lines(longer, geo)) > geo.paragraph_max_lines:
            break
        text = longer
    hand = ContentParagraph(text, content.paragraphs[1].provenance, "hand")
    merged = replace(content, paragraphs=(content.paragraphs[0], hand, content.paragraphs[2]))
    assert problems(merged), "the test needs a card that does not fit as it is"

    fitted, shortened = _fit_machine_paragraphs(merged, {1})
    assert shortened and problems(fitted) == []
    assert fitted.paragraphs[1] == hand  # the hand text is never touched
    for before, after in zip(content.paragraphs[::2], fitted.paragraphs[::2], strict=True):
        if after.text != before.text:  # shortened at a word, with an ellipsis
            assert after.text.endswith("\u2026")
            assert before.text.startswith(after.text[:-1])
            assert before.text[len(after.text) - 1] in " ,;:"
