"""Enum values as a person reads them: English on English pages, the same Dutch as before on
Dutch ones, while stored values, option values and CSS classes stay Dutch.

Real HTTP through the test client; each page is asserted in the spot where the value shows
(a <dd>, a card's meta line, the log), so a word elsewhere on the page cannot hide a miss.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from noviwerk.domain import RoundKind, WerkplaatsKind
from noviwerk.extensions import db
from noviwerk.models import Contribution, ModerationLog
from noviwerk.services import ansichtkaart, rounds
from noviwerk.services import bouwsteen as bouwstenen
from tests.conftest import Phone, fresh, join, login, post_form
from tests.web.test_ansichtkaart import TEXTS as ANSICHTKAART_TEXTS
from tests.web.test_i18n import _compiled_catalogue  # noqa: F401 (autouse: the .mo exists)

# What each language shows for the values these tests produce; the other language's word
# must not be in the same spot.
WORDS = {
    "en": {
        "regionaal": "regional (MIRT)",
        "gepland": "planned",
        "gelabeld": "input with type",
        "opgave": "challenge",
        "kans": "opportunity",
        "maatschappelijk": "civil society",
        "zichtbaar": "visible",
        "flap": "flip chart",
        "ster": "star",
        "onbekend": "unknown",
        "concept": "draft",
        "naar verslag": "Move to report",
        "facilitator": "facilitator",
        "trekker": "lead",
        "verslag": "report",
        "gereed": "final",
        "gegenereerd": "generated",
        "bewerkt": "edited",
        "teruggezet": "restored",
        "groen": "Green",
        "soort": "set type",
        "notulist": "note-taker",
    },
    "nl": {
        "regionaal": "regionaal (MIRT)",
        "gepland": "gepland",
        "gelabeld": "invoer met soort",
        "opgave": "opgave",
        "kans": "kans",
        "maatschappelijk": "maatschappelijk",
        "zichtbaar": "zichtbaar",
        "flap": "flap",
        "ster": "ster",
        "onbekend": "onbekend",
        "concept": "concept",
        "naar verslag": "Naar verslag",
        "facilitator": "facilitator",
        "trekker": "trekker",
        "verslag": "verslag",
        "gereed": "gereed",
        "gegenereerd": "gegenereerd",
        "bewerkt": "bewerkt",
        "teruggezet": "teruggezet",
        "groen": "Groen",
        "soort": "soort",
        "notulist": "notulist",
    },
}
OTHER = {"en": "nl", "nl": "en"}


def _section(html: str, start: str, end: str = "</section>") -> str:
    assert start in html, f"{start!r} not on the page"
    return html.split(start, 1)[1].split(end, 1)[0]


def _contribution(text: str) -> Contribution:
    fresh()
    return db.session.scalar(sa.select(Contribution).where(Contribution.text == text))


def _labelled(w) -> None:
    rounds.configure(
        w,
        w.rounds[0].id,
        kind=RoundKind.LABELLED.value,
        is_support_allowed=False,
        is_premoderated=False,
        votes_per_participant=3,
        grace_seconds=90,
    )




# --- the facilitator's pages -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_werkplaats_page_and_home_show_kind_state_and_role(world, client, lang):
    fac = world.user()
    w = world.werkplaats(facilitators=[fac])  # not opened: gepland
    w.kind = WerkplaatsKind.REGIONAAL
    db.session.commit()
    client.get(f"/?lang={lang}")
    login(client, fac.email)
    says, other = WORDS[lang], WORDS[OTHER[lang]]

    html = client.get(f"/f/werkplaatsen/{w.id}").get_data(as_text=True)
    facts = _section(html, '<dl class="facts">', "</dl>")
    assert f"<dd>{says['regionaal']}</dd>" in facts
    assert f"<dd>{says['gepland']}</dd>" in facts
    assert f"<dd>{other['regionaal']}</dd>" not in facts
    assert f"<dd>{other['gepland']}</dd>" not in facts
    rounds = _section(html, 'id="rondes"')
    assert f'<span class="badge badge-gepland">{says["gepland"]}</span>' in rounds  # class Dutch
    assert f">{other['gepland']}<" not in rounds

    home = client.get("/f/").get_data(as_text=True)
    row = _section(home, "<tbody>", "</tbody>")
    assert f"<td>{says['regionaal']}</td>" in row and f"<td>{says['gepland']}" in row
    assert f"<td>{other['regionaal']}</td>" not in row and f"<td>{other['gepland']}" not in row
    assert f"({says['facilitator']})." in home


def test_round_and_werkplaats_forms_show_kinds_in_english_with_dutch_values(world, client):
    fac, w = world.live()
    client.get("/?lang=en")
    login(client, fac.email)
    html = client.get(f"/f/werkplaatsen/{w.id}/rondes/{w.rounds[0].id}/bewerken").get_data(
        as_text=True
    )
    assert '<option value="gelabeld">input with type</option>' in html
    # RoundKind.OPEN reads "open input", not RoundState.OPEN's "open": equal values, own texts
    assert re.search(
        r'<option (value="open" selected|selected value="open")>open input</option>', html
    )
    assert '<option value="stemmen">voting (dot-voting)</option>' in html
    assert ">invoer met soort<" not in html
    html = client.get(f"/f/werkplaatsen/{w.id}/bewerken").get_data(as_text=True)
    assert '<option value="regionaal">regional (MIRT)</option>' in html
    # selected, with the English text and the Dutch value (in either attribute order)
    assert re.search(
        r'<option (value="inhoudelijk" selected|selected value="inhoudelijk")>thematic</option>',
        html,
    )


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_staff_pickers_show_each_persons_role_in_the_locale(world, client, lang):
    fac = world.user()
    world.user("trek@example.test", role="trekker", name="Tineke Trekker")
    w = world.werkplaats(facilitators=[fac])
    client.get(f"/?lang={lang}")
    login(client, fac.email)
    says, other = WORDS[lang], WORDS[OTHER[lang]]
    html = client.get(f"/f/werkplaatsen/{w.id}/bewerken").get_data(as_text=True)
    # both lists: the facilitators' and the trekkers'
    assert html.count(f">Tineke Trekker ({says['trekker']})</label>") == 2
    if lang == "en":
        assert f">Tineke Trekker ({other['trekker']})</label>" not in html


# --- the regie ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_regie_shows_kind_state_soort_veld_source_and_log_in_the_locale(app, world, lang):
    fac, w = world.live()
    _labelled(w)
    phone, control = app.test_client(), app.test_client()
    join(phone, w.join_code, veld="maatschappelijk")
    assert Phone(phone, w.join_code).post("Water vraagt ruimte", label="opgave").status_code == 303
    c = _contribution("Water vraagt ruimte")

    control.get(f"/?lang={lang}")
    login(control, fac.email)
    regie = f"/f/werkplaatsen/{w.id}/regie"
    r = post_form(control, f"{regie}/bijdragen/{c.id}/ster", page=regie)
    assert r.status_code == 303
    r = post_form(
        control,
        f"{regie}/notitie",
        {"text": "Van de flap", "source": "flap", "label": "kans", "ronde": w.rounds[0].id},
        page=regie,
    )
    assert r.status_code == 303
    note = _contribution("Van de flap")
    assert (note.label, note.source.value) == ("kans", "flap")  # stored Dutch

    html = control.get(regie).get_data(as_text=True)
    says, other = WORDS[lang], WORDS[OTHER[lang]]

    rounds = _section(html, 'id="rondes"')
    assert f'<span class="meta">{says["gelabeld"]}</span>' in rounds
    assert f'<span class="meta">{other["gelabeld"]}</span>' not in rounds

    card = _section(html, f'<li id="m-{c.id}" class="mod-row mod-zichtbaar', "</li>")  # class Dutch
    meta = " ".join(_section(card, '<span class="meta">', "</span></p>").split())
    assert f"{says['opgave']} ·" in meta and f"· {says['maatschappelijk']} ·" in meta
    if lang == "en":
        assert "opgave" not in meta and "maatschappelijk" not in meta
    more = control.get(f"/f/werkplaatsen/{w.id}/regie/bijdragen/{c.id}").get_data(as_text=True)
    picker = _section(more, f'<select id="soort-{c.id}" name="value">', "</select>")
    assert f'<option value="opgave" selected>{says["opgave"]}</option>' in picker
    assert f'<option value="kans">{says["kans"]}</option>' in picker

    note_card = _section(html, f'<li id="m-{note.id}"', "</li>")
    note_meta = " ".join(_section(note_card, '<span class="meta">', "</span></p>").split())
    assert f"{says['kans']} ·" in note_meta and f"· {says['flap']} ·" in note_meta
    if lang == "en":
        assert "· kans" not in note_meta and "· flap" not in note_meta

    form = _section(html, 'id="notulist"')
    assert f'<option value="kans">{says["kans"]}</option>' in form

    velden = _section(html, 'id="signalen"')
    assert f"<td>{says['maatschappelijk']}</td>" in velden
    assert f"<td>{says['onbekend']}</td>" in velden
    assert f"<td>{other['onbekend']}</td>" not in velden

    log = _section(html, 'id="logboek"')
    assert f" · {says['ster']} #{c.id}" in log
    if lang == "en":
        assert " · ster #" not in log


# --- the phone -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_phone_picker_and_own_list_in_the_locale_and_the_stored_label_stays_dutch(app, world, lang):
    _fac, w = world.live()
    _labelled(w)
    phone = app.test_client()
    phone.get(f"/?lang={lang}")
    says, other = WORDS[lang], WORDS[OTHER[lang]]

    r = phone.get(f"/w/{w.join_code}")
    assert r.status_code in (302, 303)
    welcome = phone.get(f"/w/{w.join_code}/welkom").get_data(as_text=True)
    choice = _section(welcome, 'value="maatschappelijk"', "</div>")  # the value stays Dutch
    assert f">{says['maatschappelijk']}</label>" in choice
    join(phone, w.join_code, veld="maatschappelijk")

    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    picker = _section(page, '<select id="post-label" name="label">', "</select>")
    assert f'<option value="opgave">{says["opgave"]}</option>' in picker
    assert f'<option value="kans">{says["kans"]}</option>' in picker
    if lang == "en":
        assert ">opgave<" not in picker and ">kans<" not in picker

    assert Phone(phone, w.join_code).post("Ruimte voor water", label="opgave").status_code == 303
    assert _contribution("Ruimte voor water").label == "opgave"  # stored Dutch

    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    own = " ".join(_section(page, '<li id="own-', "</li>").split())
    assert f"· {says['opgave']}</p>" in own
    assert f"· {other['opgave']}</p>" not in own


# --- the bouwsteen -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_bouwsteen_status_in_the_locale(world, client, lang):
    fac, w = world.live()
    bouwstenen.open_draft(w, fac)
    client.get(f"/?lang={lang}")
    login(client, fac.email)
    html = client.get(f"/f/werkplaatsen/{w.id}/bouwsteen").get_data(as_text=True)
    says, other = WORDS[lang], WORDS[OTHER[lang]]
    assert f'<strong class="status-concept">{says["concept"]}</strong>' in html
    assert f'<strong class="status-concept">{other["concept"]}</strong>' not in html
    actions = _section(html, '<div class="document-actions">', "</div>")
    assert f"{says['naar verslag']}</button>" in actions
    assert f"{other['naar verslag']}</button>" not in actions
    assert 'name="to" value="verslag"' in actions  # the value stays Dutch


# --- the moderation log --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_moderation_log_details_in_the_locale_and_stored_as_dutch_values(app, world, lang):
    """A relabel's "opgave → kans" and a note's source are stored as values, and read in
    the page's language."""
    fac, w = world.live()
    _labelled(w)
    phone, control = app.test_client(), app.test_client()
    join(phone, w.join_code)
    assert Phone(phone, w.join_code).post("Water vraagt ruimte", label="opgave").status_code == 303
    c = _contribution("Water vraagt ruimte")

    control.get(f"/?lang={lang}")
    login(control, fac.email)
    regie = f"/f/werkplaatsen/{w.id}/regie"
    r = post_form(control, f"{regie}/bijdragen/{c.id}/soort", {"value": "kans"}, page=regie)
    assert r.status_code == 303
    r = post_form(
        control,
        f"{regie}/notitie",
        {"text": "Van de flap", "source": "flap", "label": "", "ronde": w.rounds[0].id},
        page=regie,
    )
    assert r.status_code == 303
    note = _contribution("Van de flap")
    fresh()
    details = db.session.scalars(sa.select(ModerationLog.detail).order_by(ModerationLog.id)).all()
    assert details == ["opgave → kans", "flap"]  # stored as the Dutch values, as before

    log = _section(control.get(regie).get_data(as_text=True), 'id="logboek"')
    says, other = WORDS[lang], WORDS[OTHER[lang]]
    assert f" · {says['soort']} #{c.id} ({says['opgave']} → {says['kans']})</li>" in log
    assert f" · {says['notulist']} #{note.id} ({says['flap']})</li>" in log
    if lang == "en":
        assert f"({other['opgave']} → {other['kans']})" not in log
        assert f"({other['flap']})" not in log


# --- versions of the bouwsteen and the ansichtkaart ----------------------------------------


def _posted(world):
    """A trekker and an open werkplaats with input enough for a bouwsteen and an ansichtkaart."""
    return world.with_posts(ANSICHTKAART_TEXTS)[2]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_bouwsteen_versions_status_events_and_messages_in_the_locale(world, client, lang):
    w = _posted(world)
    client.get(f"/?lang={lang}")
    login(client, "trek@example.test")
    says, other = WORDS[lang], WORDS[OTHER[lang]]
    url = f"/f/werkplaatsen/{w.id}/bouwsteen"
    assert post_form(client, f"{url}/maken", page=url).status_code == 303  # version 1
    edit = f"{url}/secties/samenvatting"
    r = post_form(client, edit, {"text": "Water vraagt ruimte in de stad. [1, 2]"}, page=edit)
    assert r.status_code == 303
    assert post_form(client, f"{url}/versies/1/terugzetten", page=url).status_code == 303

    # a refused step names the statuses, and their order, in the page's language
    r = post_form(client, f"{url}/status", {"to": "gereed"}, page=url)
    assert r.status_code == 422
    order = " → ".join(says[s] for s in ("concept", "verslag", "gereed"))
    refused = {
        "en": f"You cannot go from {says['concept']} to {says['gereed']}; the order is {order}.",
        "nl": f"Van {says['concept']} naar {says['gereed']} kan niet; de volgorde is {order}.",
    }
    assert refused[lang] in r.get_data(as_text=True)
    assert post_form(client, f"{url}/status", {"to": "verslag"}, page=url).status_code == 303

    html = client.get(url).get_data(as_text=True)
    assert f"Status: {says['verslag']}." in html  # the flash
    assert f"({says['teruggezet']}, Tineke Trekker," in html
    assert f"({other['teruggezet']}, " not in html

    versions = client.get(f"{url}/versies").get_data(as_text=True)
    table = _section(versions, "<tbody>", "</tbody>")
    assert f"<td>{says['gegenereerd']}</td>" in table
    assert f"<td>{says['bewerkt']}: " in table and f"<td>{says['teruggezet']}: " in table
    events = _section(versions, "<ul>", "</ul>")
    assert f"<li>{says['concept']} → {says['verslag']}: Tineke Trekker," in events
    if lang == "en":
        assert "gegenereerd" not in table and "bewerkt" not in table
        assert "teruggezet" not in table and "concept →" not in events
    version = client.get(f"{url}/versies/3").get_data(as_text=True)
    assert f": {says['teruggezet']}</h1>" in version

    fresh()
    bouwsteen = bouwstenen.find(w)
    assert [v.kind for v in bouwsteen.versions] == ["gegenereerd", "bewerkt", "teruggezet"]
    assert [(e.from_status, e.to_status) for e in bouwsteen.events] == [("concept", "verslag")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_ansichtkaart_versions_and_layout_in_the_locale(world, client, lang):
    w = _posted(world)
    client.get(f"/?lang={lang}")
    login(client, "trek@example.test")
    says, other = WORDS[lang], WORDS[OTHER[lang]]
    url = f"/f/werkplaatsen/{w.id}/ansichtkaart"
    assert post_form(client, f"{url}/maken", page=url).status_code == 303
    html = client.get(url).get_data(as_text=True)
    assert f"({says['gegenereerd']}, Tineke Trekker," in html

    editor = client.get(f"{url}/bewerken").get_data(as_text=True)
    choices = _section(editor, "ak-layout-choices", "</fieldset>")
    assert re.search(rf'value="groen"[^>]*>.*?>{says["groen"]}</label>', choices, re.S)
    if lang == "en":
        assert ">Groen</label>" not in choices

    fresh()
    content = ansichtkaart.content_of(ansichtkaart.find(w).current)
    data = {
        "title": content.title,
        "paragraph_1": content.paragraphs[0].text,
        "paragraph_2": content.paragraphs[1].text,
        "paragraph_3": content.paragraphs[2].text,
        "terms": [t.text for t in content.terms],
        "layout": "groen",
    }
    assert post_form(client, f"{url}/bewerken", data, page=f"{url}/bewerken").status_code == 303
    html = client.get(url).get_data(as_text=True)
    bar = " ".join(_section(html, '<div class="document-bar card">', "</div>").split())
    assert f"({says['bewerkt']}, Tineke Trekker," in bar
    assert f": {says['groen']} ·" in bar and f": {other['groen']} ·" not in bar

    versions = _section(client.get(f"{url}/versies").get_data(as_text=True), "<tbody>", "</tbody>")
    assert f"<td>{says['gegenereerd']}</td>" in versions and f"<td>{says['bewerkt']}: " in versions
    if lang == "en":
        assert "gegenereerd" not in versions and "bewerkt" not in versions
    version = client.get(f"{url}/versies/2").get_data(as_text=True)
    assert f": {says['bewerkt']}</h1>" in version

    fresh()
    ansichtkaart_row = ansichtkaart.find(w)
    assert [v.kind for v in ansichtkaart_row.versions] == ["gegenereerd", "bewerkt"]  # stored Dutch
    assert ansichtkaart.content_of(ansichtkaart_row.current).layout == "groen"
