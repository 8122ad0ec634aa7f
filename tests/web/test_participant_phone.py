"""The participant's phone after review: late text in the grace period, pending contributions,
strict round ids, the soort picker in the form, a closed werkplaats, a new join code, one
participant per phone, emoji with a zero-width joiner, stable ids for focus after a swap."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from noviwerk.domain import ContributionState, Label, RoundKind
from noviwerk.extensions import db
from noviwerk.models import Contribution, Participant, Round, VoteOption, Werkplaats
from noviwerk.services import rounds, werkplaatsen
from tests.conftest import fresh, join, post_form

ROUND_ID = re.compile(r'name="round_id" form="post-form" id="round-id" value="(\d*)"')
CLIENT_KEY = re.compile(r'name="client_key" type="hidden" value="([^"]+)"')
HX = {"HX-Request": "true"}


@pytest.fixture
def live(world):
    _fac, w = world.live()
    return w


def _contributions() -> list[Contribution]:
    fresh()
    return list(db.session.scalars(sa.select(Contribution).order_by(Contribution.id)))


def _set_round(w, index: int, **attrs) -> None:
    """Change a round's settings directly and tell the phones, as the control room would."""
    fresh()
    rnd = db.session.get(Round, w.rounds[index].id)
    for name, value in attrs.items():
        setattr(rnd, name, value)
    werkplaatsen.bump_state(rnd.werkplaats)
    db.session.commit()


def _page(phone, code) -> str:
    r = phone.get(f"/w/{code}")
    assert r.status_code == 200, r.status_code
    return r.get_data(as_text=True)


def _post(phone, code, text, *, round_id=None, label=None, htmx=False, page=None):
    """Post as the phone's form would: the round id and client key of the page it shows."""
    page = page if page is not None else _page(phone, code)
    data = {
        "text": text,
        "round_id": ROUND_ID.search(page).group(1) if round_id is None else round_id,
        "client_key": CLIENT_KEY.search(page).group(1),
    }
    if label is not None:
        data["label"] = label
    return post_form(
        phone, f"/w/{code}/bijdragen", data, page=f"/w/{code}", headers=HX if htmx else {}
    )


def _panel(html: str) -> str:
    return html.split('id="round-panel"', 1)[1].split("</section>", 1)[0]


# --- 3. the grace period after a close ---------------------------------------------------


def test_after_a_close_the_phone_posts_into_the_round_in_grace_and_says_so(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    v = w.state_version
    rounds.close_round(w, w.rounds[0].id)
    fresh()
    r1 = w.rounds[0]

    # The poll (what htmx swaps in) and the full page both carry round 1 while in grace.
    r = phone.get(f"/w/{w.join_code}/status?v={v}", headers=HX)
    assert r.status_code == 200
    poll = r.get_data(as_text=True)
    assert ROUND_ID.search(poll).group(1) == str(r1.id)
    assert "Ronde 1 is gesloten; wat je nu nog verstuurt, wordt als ‘te laat’ meegenomen." in poll
    page = _page(phone, w.join_code)
    assert ROUND_ID.search(page).group(1) == str(r1.id)

    r = _post(phone, w.join_code, "Net na de bel getypt", page=page)
    assert r.status_code == 303
    [c] = _contributions()
    assert (c.round_id, c.is_late, c.text) == (r1.id, True, "Net na de bel getypt")


def test_when_the_grace_runs_out_the_poll_drops_it_without_a_state_change(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    rounds.close_round(w, w.rounds[0].id)
    fresh()
    page = _page(phone, w.join_code)
    poll_url = re.search(r'hx-get="([^"]+/status[^"]*)"', page).group(1).replace("&amp;", "&")
    assert f"g={w.rounds[0].id}" in poll_url
    assert phone.get(poll_url, headers=HX).status_code == 204  # still in grace: no change

    rnd = db.session.get(Round, w.rounds[0].id)
    rnd.closed_at -= timedelta(seconds=rnd.grace_seconds + 1)
    db.session.commit()
    r = phone.get(poll_url, headers=HX)
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert ROUND_ID.search(body).group(1) == "" and "te laat" not in _panel(body)
    r = _post(phone, w.join_code, "Te laat", round_id="")
    assert r.status_code == 422 and "geen ronde open" in r.get_data(as_text=True)


def test_a_closed_voting_round_gives_no_grace(app, live):
    w = live
    _set_round(w, 0, kind=RoundKind.VOTING)
    phone = app.test_client()
    join(phone, w.join_code)
    rounds.close_round(w, w.rounds[0].id)
    page = _page(phone, w.join_code)
    assert ROUND_ID.search(page).group(1) == "" and "te laat" not in _panel(page)


# --- 4. pending (pre-moderated) contributions --------------------------------------------


def test_a_pending_contribution_can_be_edited_and_withdrawn(app, live):
    w = live
    _set_round(w, 0, is_premoderated=True)
    phone = app.test_client()
    join(phone, w.join_code)
    assert _post(phone, w.join_code, "Eerst keuren").status_code == 303
    [c] = _contributions()
    assert c.state == ContributionState.PENDING
    page = _page(phone, w.join_code)
    assert "wacht op moderatie" in page and "Aanpassen" in page and "Intrekken" in page

    edit = f"/w/{w.join_code}/bijdragen/{c.id}/bewerken"
    assert phone.get(edit).status_code == 200
    r = post_form(phone, edit, {"text": "Eerst keuren, beter gezegd"}, page=edit)
    assert r.status_code == 303, r.get_data(as_text=True)
    [c] = _contributions()
    assert (c.text, c.state) == ("Eerst keuren, beter gezegd", ContributionState.PENDING)

    withdraw = f"/w/{w.join_code}/bijdragen/{c.id}/intrekken"
    assert post_form(phone, withdraw, page=f"/w/{w.join_code}").status_code == 303
    assert _contributions()[0].state == ContributionState.WITHDRAWN


# --- 5. a strict round id -----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "١", "12³", "99999999999999999999999", " ", "-1", "1.0"])
def test_a_round_id_that_is_not_plain_digits_is_refused_not_a_crash(app, live, raw):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    r = _post(phone, w.join_code, "Rare ronde", round_id=raw)
    assert r.status_code == 422, r.status_code
    assert "geen ronde open" in r.get_data(as_text=True) and "Rare ronde" in r.get_data(
        as_text=True
    )
    assert _contributions() == []


# --- 12. the soort picker lives in the form -----------------------------------------------


def test_the_label_picker_is_in_the_form_and_follows_the_round_kind(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    page = _page(phone, w.join_code)
    form = page.split('id="post-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="label"' in form and 'name="label"' not in _panel(page)
    wanted = [label.value for label in Label if label != Label.CITAAT]
    assert re.findall(r'<option value="([^"]+)"', form) == wanted
    assert 'id="round-panel" class="round-panel"' in page  # an open round: no picker shown

    _set_round(w, 0, kind=RoundKind.LABELLED)
    page = _page(phone, w.join_code)
    assert re.search(r'id="round-panel" class="round-panel is-labelled"', page)
    v = w.state_version
    poll = phone.get(f"/w/{w.join_code}/status?v={v - 1}", headers=HX).get_data(as_text=True)
    assert "is-labelled" in poll and 'name="label"' not in poll  # a poll never touches it


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_post_keeps_the_picked_label(app, live, htmx):
    w = live
    _set_round(w, 0, kind=RoundKind.LABELLED)
    phone = app.test_client()
    join(phone, w.join_code)
    r = _post(phone, w.join_code, "x" * 501, label="dilemma", htmx=htmx)
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert '<option value="dilemma" selected>' in body and "te lang" in body
    r = _post(phone, w.join_code, "Zonder soort", label="", htmx=htmx)
    assert r.status_code == 422 and "Kies bij deze ronde" in r.get_data(as_text=True)
    r = _post(phone, w.join_code, "Met soort", label="dilemma", htmx=htmx)
    assert r.status_code in (200, 303)
    body = r.get_data(as_text=True)
    assert "selected" not in body.split('name="label"', 1)[-1].split("</select>")[0]
    assert [(c.text, c.label) for c in _contributions()] == [("Met soort", "dilemma")]


def test_a_label_left_in_the_hidden_picker_does_not_stick_to_an_open_round(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    assert _post(phone, w.join_code, "Open ronde", label="kans").status_code == 303
    [c] = _contributions()
    assert c.label is None


# --- 14. the form while a post is in flight -----------------------------------------------


def test_textarea_and_button_are_disabled_while_a_post_is_in_flight(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    page = _page(phone, w.join_code)
    assert 'hx-disabled-elt="find button, find textarea"' in page
    assert f'data-outbox-key="w-{w.id}"' in page


# --- 15. a closed werkplaats -------------------------------------------------------------


def test_a_phone_that_took_part_sees_a_calm_closed_page_and_keeps_its_text(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    assert _post(phone, w.join_code, "Bewaard voor het verslag").status_code == 303
    page = _page(phone, w.join_code)  # what the phone had open
    v = w.state_version
    werkplaatsen.close_werkplaats(w)

    r = phone.get(f"/w/{w.join_code}/status?v={v}", headers=HX)
    assert r.status_code == 200
    poll = r.get_data(as_text=True)
    assert "Deze werkplaats is gesloten." in poll and "je bijdragen zijn bewaard" in poll
    panel_tag = poll.split('id="round-panel"', 1)[1].split(">", 1)[0]
    assert "hx-trigger" not in panel_tag and "hx-get" not in panel_tag  # the poll ends
    assert "Controleer de code" not in poll and "Bewaard voor het verslag" in poll

    r = phone.get(f"/w/{w.join_code}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Deze werkplaats is gesloten." in html and "Bewaard voor het verslag" in html
    assert "hx-trigger" not in html.split('id="round-panel"', 1)[1].split(">", 1)[0]

    for htmx in (False, True):
        r = _post(phone, w.join_code, "Nog één gedachte", page=page, htmx=htmx)
        body = r.get_data(as_text=True)
        assert r.status_code == 422, (htmx, r.status_code)
        assert "Deze werkplaats is gesloten" in body and "Nog één gedachte</textarea>" in body
    assert [c.text for c in _contributions()] == ["Bewaard voor het verslag"]

    # An answer lost before the close: the retry with the same key still says "stored".
    [c] = _contributions()
    r = post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {"text": c.text, "round_id": str(c.round_id), "client_key": c.client_key},
        page=f"/w/{w.join_code}",
        headers=HX,
    )
    assert r.status_code == 200 and len(_contributions()) == 1

    r = post_form(phone, f"/w/{w.join_code}/bijdragen/{c.id}/intrekken", page=f"/w/{w.join_code}")
    assert r.status_code == 422 and "gesloten" in r.get_data(as_text=True)
    assert _contributions()[0].state == ContributionState.VISIBLE


def test_a_phone_without_a_participant_gets_the_wrong_code_answer_for_a_closed_one(app, live):
    w = live
    werkplaatsen.close_werkplaats(w)
    stranger = app.test_client()
    r = stranger.get(f"/w/{w.join_code}")
    assert r.status_code == 404 and "hoort niet bij een open werkplaats" in r.get_data(as_text=True)
    r = stranger.get(f"/w/{w.join_code}/status?v=0", headers=HX)
    assert r.status_code == 404 and "hoort niet bij een open werkplaats" in r.get_data(as_text=True)
    assert stranger.get(f"/w/{w.join_code}/welkom").status_code == 404
    r = post_form(stranger, f"/w/{w.join_code}/bijdragen", {"text": "x", "round_id": "1"})
    assert r.status_code == 404 and "hoort niet bij" in r.get_data(as_text=True)


# --- 16. a new join code -----------------------------------------------------------------


def test_a_new_code_keeps_the_participant(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code, display_name="Anna")
    old = w.join_code
    werkplaatsen.open_werkplaats(w, new_code=True)
    fresh()
    new = db.session.get(Werkplaats, w.id).join_code
    assert new != old
    r = phone.get(f"/w/{new}")
    assert r.status_code == 200, r.headers.get("Location")
    assert _post(phone, new, "Na de nieuwe code").status_code == 303
    [c] = _contributions()
    assert c.participant.display_name == "Anna"
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1


def test_a_phone_that_joined_before_the_change_keeps_its_participant_too(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    with phone.session_transaction() as s:  # as the phone's cookie was: keyed by join code
        [token] = s["deelnemer"].values()
        s["deelnemer"] = {w.join_code: token}
    werkplaatsen.open_werkplaats(w, new_code=True)
    fresh()
    new = db.session.get(Werkplaats, w.id).join_code
    assert phone.get(f"/w/{new}").status_code == 200
    with phone.session_transaction() as s:
        assert s["deelnemer"] == {f"w:{w.id}": token}


# --- 17. one participant per phone -------------------------------------------------------


def test_the_welcome_form_again_updates_the_profile_instead_of_a_second_participant(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code, display_name="Anna")
    welkom = f"/w/{w.join_code}/welkom"
    r = post_form(phone, welkom, {"display_name": "Anna B.", "veld": "maatschappelijk"}, page="/")
    assert r.status_code == 303
    fresh()
    [p] = db.session.scalars(sa.select(Participant)).all()
    assert (p.display_name, p.veld.value) == ("Anna B.", "maatschappelijk")


# --- 33. emoji with a zero-width joiner ---------------------------------------------------


@pytest.mark.parametrize("text", ["Samen 👩‍💻 bouwen", "Trots 🏳️‍🌈", "می‌خواهم"])
def test_emoji_and_scripts_with_zwj_or_zwnj_are_stored_exactly(app, live, text):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    assert _post(phone, w.join_code, text).status_code == 303
    assert _contributions()[0].text == text


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u200e", "\u200f", "\u2066", "\u202a"])
def test_invisible_direction_and_space_characters_are_still_refused(app, live, char):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    r = _post(phone, w.join_code, f"ok{char}evil")
    assert r.status_code == 422 and "onzichtbare stuurtekens" in r.get_data(as_text=True)
    assert _contributions() == []


# --- focus after a swap and labels for assistive technology ------------------------------


def test_support_and_vote_buttons_have_stable_ids_and_no_aria_label_on_a_span(app, live):
    w = live
    _set_round(w, 0, is_support_allowed=True)
    anna, bert = app.test_client(), app.test_client()
    join(anna, w.join_code)
    join(bert, w.join_code)
    _post(anna, w.join_code, "Steun mij")
    _post(anna, w.join_code, "Of mij")
    c, d = _contributions()
    page = _page(bert, w.join_code)
    assert f'id="steun-{c.id}"' in page and f'id="steun-{d.id}"' in page

    rounds.open_round(w, w.rounds[1].id)
    _set_round(w, 1, kind=RoundKind.VOTING)
    for pos, x in enumerate((c, d), 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=x.id, position=pos))
    db.session.commit()
    page = _page(bert, w.join_code)
    assert f'id="stem-plus-{c.id}"' in page and f'id="stem-min-{d.id}"' in page
    assert not re.search(r"<span[^>]*aria-label", page)
    assert '<span class="visually-hidden">jouw stemmen: </span>' in page
