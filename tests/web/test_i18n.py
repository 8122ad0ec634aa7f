"""Dutch by default, English on request: ?lang=en (kept in the session) or Accept-Language.

The English catalogue is noviwerk/translations/en/LC_MESSAGES/messages.po. Its compiled .mo is
gitignored and normally made by ``make install`` (``pybabel compile``). So that these tests
do not depend on that step, the module-scoped fixture ``_compiled_catalogue`` below compiles
the .po into messages.mo itself (babel.messages.mofile.write_mo, written atomically) when the
.mo is missing or older than the .po, before any app of this module is created.

After adding or changing strings in the code:
    .venv/bin/pybabel extract -F babel.cfg -o noviwerk/translations/messages.pot .
    .venv/bin/pybabel update -i noviwerk/translations/messages.pot -d noviwerk/translations
then translate what is new or fuzzy; test_every_message_is_translated says which, and
test_catalogue_covers_the_code catches a string added to the code without that update.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import noviwerk
from tests.conftest import join, login, post_form

TRANSLATIONS = Path(noviwerk.__file__).resolve().parent / "translations"
ROOT = TRANSLATIONS.parent.parent  # the repository: babel.cfg, noviwerk/, templates/
BABEL_CFG = ROOT / "babel.cfg"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
HTML_LANG = re.compile(r'<html lang="([^"]+)"')


def _read_catalogue():
    with EN_PO.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue() -> None:
    """Compile the English .po into its .mo when that is missing or stale (see the module
    docstring). Fuzzy entries are left out, as pybabel compile does."""
    if EN_MO.exists() and EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime:
        return
    catalogue = _read_catalogue()
    fd, tmp = tempfile.mkstemp(dir=EN_MO.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalogue, use_fuzzy=False)
        os.chmod(tmp, 0o644)  # as pybabel compile would leave it, not mkstemp's 0600
        os.replace(tmp, EN_MO)  # atomic: a parallel run never reads half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _lang(html: str) -> str:
    m = HTML_LANG.search(html)
    assert m, "no <html lang> on the page"
    return m.group(1)


# --- the catalogue ------------------------------------------------------------------------


def test_every_message_is_translated():
    catalogue = _read_catalogue()
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 200  # the whole UI, not an empty template
    untranslated = [
        m.id
        for m in messages
        if not all(s.strip() for s in ([m.string] if isinstance(m.string, str) else m.string))
    ]
    assert not untranslated, f"untranslated in {EN_PO.name}: {untranslated}"
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) in {EN_PO.name}: {fuzzy}"
    plural = [m for m in messages if m.pluralizable]
    assert plural and all(len(m.string) == catalogue.num_plurals == 2 for m in plural)


def _translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return bool(strings) and all(s.strip() for s in strings)


def test_catalogue_covers_the_code(tmp_path):
    """Extract the messages from the code as `make extract` does (babel.cfg, plus the lazy
    keywords) into a temporary .pot: every msgid there must be in the English .po, with the
    same plural form, translated and checked. A string added to the code without running
    extract/update and translating it fails here, not in front of an English participant."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(["_l", "lazy_gettext"])}
    template = Catalog(locale=None, project="noviwerk", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path / "messages.pot"
    with pot.open("wb") as f:
        write_po(f, template)
    with pot.open("rb") as f:
        extracted = [m for m in read_po(f) if m.id]
    assert len(extracted) > 200, "extraction found (almost) nothing: is babel.cfg still right?"

    catalogue = _read_catalogue()

    def where(m) -> str:
        return ", ".join(f"{path}:{line}" for path, line in m.locations[:2])

    missing, plural, untranslated = [], [], []
    for m in extracted:
        entry = catalogue.get(m.id, context=m.context)
        if entry is None:
            missing.append(f"{m.id!r} ({where(m)})")
        elif entry.id != m.id:  # same msgid, but singular/plural or plural text changed
            plural.append(f"{m.id!r} is {entry.id!r} in the .po ({where(m)})")
        elif entry.fuzzy or not _translated(entry):
            untranslated.append(f"{m.id!r} ({where(m)})")
    hint = " (run `make extract`, then translate in " + EN_PO.name + ")"
    assert not missing, f"{len(missing)} msgid(s) from the code not in the .po{hint}: {missing}"
    assert not plural, f"plural forms differ from the code{hint}: {plural}"
    assert not untranslated, f"untranslated or fuzzy in the .po{hint}: {untranslated}"


def test_placeholders_match_the_dutch():
    """Babel's own checks: %(name)s placeholders of msgid and msgstr agree."""
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _read_catalogue().check()]
    assert not problems, problems


# --- choosing the language ----------------------------------------------------------------


def test_dutch_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert "Doe mee met een werkplaats" in html
    assert "Join a workshop" not in html
    assert _lang(html) == "nl"


def test_lang_parameter_switches_to_english_and_the_session_keeps_it(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Join a workshop" in html and "Doe mee met een werkplaats" not in html
    assert _lang(html) == "en"

    # the next request has no ?lang: the session remembers, also on another page
    html = client.get("/").get_data(as_text=True)
    assert "Join a workshop" in html and _lang(html) == "en"
    html = client.get("/login").get_data(as_text=True)
    assert "Email address" in html and "Password" in html  # lazy_gettext form labels
    assert _lang(html) == "en"

    # and back
    html = client.get("/?lang=nl").get_data(as_text=True)
    assert "Doe mee met een werkplaats" in html and _lang(html) == "nl"
    assert _lang(client.get("/").get_data(as_text=True)) == "nl"


def test_accept_language_english(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "Join a workshop" in html and _lang(html) == "en"
    html = client.get("/", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert "Doe mee met een werkplaats" in html and _lang(html) == "nl"


def test_session_choice_beats_accept_language(client):
    client.get("/?lang=nl")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Doe mee met een werkplaats" in html and _lang(html) == "nl"


def test_unknown_lang_parameter_is_ignored(client):
    html = client.get("/?lang=fr").get_data(as_text=True)
    assert "Doe mee met een werkplaats" in html and _lang(html) == "nl"


# --- translated messages from services and templates ---------------------------------------


def _post_contribution(client, code: str, text: str):
    page = client.get(f"/w/{code}").get_data(as_text=True)
    round_id = re.search(r'name="round_id" form="post-form" id="round-id" value="(\d*)"', page)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page)
    assert round_id and key, "no contribution form on the phone page"
    return post_form(
        client,
        f"/w/{code}/bijdragen",
        {"text": text, "round_id": round_id.group(1), "client_key": key.group(1)},
        page=f"/w/{code}",
    )


def test_service_error_in_english_for_an_english_session(world, client):
    _fac, w = world.live()
    client.get("/?lang=en")
    join(client, w.join_code)
    page = client.get(f"/w/{w.join_code}").get_data(as_text=True)
    assert "Round 1 of 5" in page and "500 characters at most" in page

    r = _post_contribution(client, w.join_code, "   ")
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Your contribution is empty" in body  # raised by services.participation
    assert "Je bijdrage is leeg" not in body
    assert _lang(body) == "en"

    r = _post_contribution(client, w.join_code, "Meer ruimte voor water in de stad.")
    assert r.status_code == 303
    assert "Received. Thank you!" in client.get(f"/w/{w.join_code}").get_data(as_text=True)


def test_same_error_stays_dutch_for_a_dutch_session(world, client):
    _fac, w = world.live()
    join(client, w.join_code)
    body = _post_contribution(client, w.join_code, "").get_data(as_text=True)
    assert "Je bijdrage is leeg" in body and "Your contribution is empty" not in body
    assert _lang(body) == "nl"


def test_facilitator_pages_and_plurals_in_english(world, app):
    fac, w = world.live()
    facilitator, phone = app.test_client(), app.test_client()
    facilitator.get("/?lang=en")
    login(facilitator, fac.email)

    home = facilitator.get("/f/").get_data(as_text=True)
    assert "My workshops" in home and f"Signed in as {fac.name}" in home

    wall = facilitator.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert "0 participants" in wall and "0 contributions" in wall  # ngettext, plural

    join(phone, w.join_code)
    assert _post_contribution(phone, w.join_code, "Water verbindt ons.").status_code == 303
    wall = facilitator.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert "1 participant<" in wall and "1 contribution<" in wall  # ngettext, singular
    assert "Pause wall" in wall and _lang(wall) == "en"


def test_control_room_and_building_block_in_english(world, client):
    fac, w = world.live()
    client.get("/?lang=en")
    login(client, fac.email)

    control = client.get(f"/f/werkplaatsen/{w.id}/regie")
    assert control.status_code == 200
    html = control.get_data(as_text=True)
    assert f"Control room: {w.title}" in html and "Moderation log" in html  # h1, h2
    assert "Timer for round 1" in html and "Open projector screen (new window)" in html
    assert "Logboek moderatie" not in html and "Beamer openen" not in html
    assert _lang(html) == "en"

    bouwsteen = f"/f/werkplaatsen/{w.id}/bouwsteen"
    assert "Make the draft building block" in client.get(bouwsteen).get_data(as_text=True)
    assert post_form(client, f"{bouwsteen}/maken", page=bouwsteen).status_code == 303
    page = client.get(bouwsteen)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Building block: {w.title}" in html and "Share with participants" in html  # h1, h2
    assert "Create read-only link" in html and "All versions" in html
    assert "Delen met deelnemers" not in html and "Leeslink maken" not in html
    assert _lang(html) == "en"
