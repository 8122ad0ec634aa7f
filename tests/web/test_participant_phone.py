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
from noviwerk.models import Participant, Round, VoteOption, Werkplaats
from noviwerk.services import rounds, werkplaatsen
from tests.conftest import Phone, contributions, fresh, join, post_form, set_round

ROUND_ID = Phone.ROUND_ID
HX = {"HX-Request": "true"}


@pytest.fixture
def live(world):
    _fac, w = world.live()
    return w


def _page(phone, code) -> str:
    r = phone.get(f"/w/{code}")
    assert r.status_code == 200, r.status_code
    return r.get_data(as_text=True)


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

    r = Phone(phone, w.join_code).post("Net na de bel getypt", page=page)
    assert r.status_code == 303
    [c] = contributions()
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
    r = Phone(phone, w.join_code).post("Te laat", round_id="")
    assert r.status_code == 422 and "geen ronde open" in r.get_data(as_text=True)


def test_a_closed_voting_round_gives_no_grace(app, live):
    w = live
    set_round(w, 0, kind=RoundKind.VOTING)
    phone = app.test_client()
    join(phone, w.join_code)
    rounds.close_round(w, w.rounds[0].id)
    page = _page(phone, w.join_code)
    assert ROUND_ID.search(page).group(1) == "" and "te laat" not in _panel(page)


# --- 4. pending (pre-moderated) contributions --------------------------------------------


def test_a_pending_contribution_can_be_edited_and_withdrawn(app, live):
    w = live
    set_round(w, 0, is_premoderated=True)
    phone = app.test_client()
    join(phone, w.join_code)
    assert Phone(phone, w.join_code).post("Eerst keuren").status_code == 303
    [c] = contributions()
    assert c.state == ContributionState.PENDING
    page = _page(phone, w.join_code)
    assert "wacht op moderatie" in page and "Aanpassen" in page and "Intrekken" in page

    edit = f"/w/{w.join_code}/bijdragen/{c.id}/bewerken"
    assert phone.get(edit).status_code == 200
    r = post_form(phone, edit, {"text": "Eerst keuren, beter gezegd"}, page=edit)
    assert r.status_code == 303, r.get_data(as_text=True)
    [c] = contributions()
    assert (c.text, c.state) == ("Eerst keuren, beter gezegd", ContributionState.PENDING)

    withdraw = f"/w/{w.join_code}/bijdragen/{c.id}/intrekken"
    assert post_form(phone, withdraw, page=f"/w/{w.join_code}").status_code == 303
    assert contributions()[0].state == ContributionState.WITHDRAWN


# --- 5. a strict round id -----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "١", "12³", "99999999999999999999999", " ", "-1", "1.0"])
def test_a_round_id_that_is_not_plain_digits_is_refused_not_a_crash(app, live, raw):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post("Rare ronde", round_id=raw)
    assert r.status_code == 422, r.status_code
    assert "geen ronde open" in r.get_data(as_text=True) and "Rare ronde" in r.get_data(
        as_text=True
    )
    assert contributions() == []


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

    set_round(w, 0, kind=RoundKind.LABELLED)
    page = _page(phone, w.join_code)
    assert re.search(r'id="round-panel" class="round-panel is-labelled"', page)
    v = w.state_version
    poll = phone.get(f"/w/{w.join_code}/status?v={v - 1}", headers=HX).get_data(as_text=True)
    assert "is-labelled" in poll and 'name="label"' not in poll  # a poll never touches it


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_post_keeps_the_picked_label(app, live, htmx):
    w = live
    set_round(w, 0, kind=RoundKind.LABELLED)
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post("x" * 501, label="dilemma", htmx=htmx)
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert '<option value="dilemma" selected>' in body and "te lang" in body
    r = Phone(phone, w.join_code).post("Zonder soort", label="", htmx=htmx)
    assert r.status_code == 422 and "Kies bij deze ronde" in r.get_data(as_text=True)
    r = Phone(phone, w.join_code).post("Met soort", label="dilemma", htmx=htmx)
    assert r.status_code in (200, 303)
    body = r.get_data(as_text=True)
    assert "selected" not in body.split('name="label"', 1)[-1].split("</select>")[0]
    assert [(c.text, c.label) for c in contributions()] == [("Met soort", "dilemma")]


def test_a_label_left_in_the_hidden_picker_does_not_stick_to_an_open_round(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    assert Phone(phone, w.join_code).post("Open ronde", label="kans").status_code == 303
    [c] = contributions()
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
    assert Phone(phone, w.join_code).post("Bewaard voor het verslag").status_code == 303
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
        r = Phone(phone, w.join_code).post("Nog één gedachte", page=page, htmx=htmx)
        body = r.get_data(as_text=True)
        assert r.status_code == 422, (htmx, r.status_code)
        assert "Deze werkplaats is gesloten" in body and "Nog één gedachte</textarea>" in body
    assert [c.text for c in contributions()] == ["Bewaard voor het verslag"]

    # An answer lost before the close: the retry with the same key still says "stored".
    [c] = contributions()
    r = post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {"text": c.text, "round_id": str(c.round_id), "client_key": c.client_key},
        page=f"/w/{w.join_code}",
        headers=HX,
    )
    assert r.status_code == 200 and len(contributions()) == 1

    r = post_form(phone, f"/w/{w.join_code}/bijdragen/{c.id}/intrekken", page=f"/w/{w.join_code}")
    assert r.status_code == 422 and "gesloten" in r.get_data(as_text=True)
    assert contributions()[0].state == ContributionState.VISIBLE


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
    assert Phone(phone, new).post("Na de nieuwe code").status_code == 303
    [c] = contributions()
    assert c.participant.display_name == "Anna"
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1


def test_a_phone_that_joined_before_the_change_keeps_its_participant_too(app, live):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    fresh()
    [token] = db.session.scalars(sa.select(Participant.token))
    with phone.session_transaction() as s:  # as the phone's cookie was: keyed by join code
        del s["telefoon"]
        s["deelnemer"] = {w.join_code: token}
    werkplaatsen.open_werkplaats(w, new_code=True)
    fresh()
    new = db.session.get(Werkplaats, w.id).join_code
    assert phone.get(f"/w/{new}").status_code == 200
    with phone.session_transaction() as s:
        assert s["deelnemer"] == {f"w:{w.id}": token}


def test_a_phone_holding_tokens_by_werkplaats_id_keeps_them_and_joins_more_with_one_secret(
    app, world
):
    """The cookie of before (a token per werkplaats id) still counts, and is not grown."""
    fac = world.user()
    programme = world.programme()
    first, second = (
        world.werkplaats(programme, title=t, facilitators=[fac]) for t in ("Een", "Twee")
    )
    world.open_werkplaats(first)
    world.open_werkplaats(second)
    phone = app.test_client()
    join(phone, first.join_code)
    fresh()
    [token] = db.session.scalars(sa.select(Participant.token))
    with phone.session_transaction() as s:
        del s["telefoon"]
        s["deelnemer"] = {f"w:{first.id}": token}
    assert phone.get(f"/w/{first.join_code}").status_code == 200
    join(phone, second.join_code)
    assert phone.get(f"/w/{first.join_code}").status_code == 200
    assert phone.get(f"/w/{second.join_code}").status_code == 200
    with phone.session_transaction() as s:
        assert s["deelnemer"] == {f"w:{first.id}": token}
    fresh()
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 2


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
    assert Phone(phone, w.join_code).post(text).status_code == 303
    assert contributions()[0].text == text


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u200e", "\u200f", "\u2066", "\u202a"])
def test_invisible_direction_and_space_characters_are_still_refused(app, live, char):
    w = live
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post(f"ok{char}evil")
    assert r.status_code == 422 and "onzichtbare stuurtekens" in r.get_data(as_text=True)
    assert contributions() == []


# --- focus after a swap and labels for assistive technology ------------------------------


def _bert_and_two_of_annas(app, w, *texts):
    """Two phones joined; Anna posts ``texts``. Bert's phone and her two contributions."""
    anna, bert = app.test_client(), app.test_client()
    join(anna, w.join_code)
    join(bert, w.join_code)
    for text in texts:
        Phone(anna, w.join_code).post(text)
    return bert, *contributions()


def test_support_and_vote_buttons_have_stable_ids_and_no_aria_label_on_a_span(app, live):
    w = live
    set_round(w, 0, is_support_allowed=True)
    bert, c, d = _bert_and_two_of_annas(app, w, "Steun mij", "Of mij")
    page = _page(bert, w.join_code)
    assert f'id="steun-{c.id}"' in page and f'id="steun-{d.id}"' in page

    rounds.open_round(w, w.rounds[1].id)
    set_round(w, 1, kind=RoundKind.VOTING)
    for pos, x in enumerate((c, d), 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=x.id, position=pos))
    db.session.commit()
    page = _page(bert, w.join_code)
    assert f'id="stem-plus-{c.id}"' in page and f'id="stem-min-{d.id}"' in page
    assert not re.search(r"<span[^>]*aria-label", page)
    assert '<span class="visually-hidden">jouw stemmen: </span>' in page


def test_a_dot_answers_with_its_option_alone_until_the_last_dot_changes_every_plus(app, live):
    """A dot from the phone (htmx) gets back just the option it went to, the budget and
    the status line; the dot that spends the last one (or frees it) gets the whole vote
    back, with every "+" off (or on again). A dot too many is refused in Dutch and changes
    nothing."""
    w = live
    bert, c, d = _bert_and_two_of_annas(app, w, "Optie een", "Optie twee")
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=2)
    for pos, x in enumerate((c, d), 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=x.id, position=pos))
    db.session.commit()
    rounds.open_round(w, w.rounds[1].id)
    page = f"/w/{w.join_code}"

    def dot(cid, delta=1):
        return post_form(bert, f"/w/{w.join_code}/stem/{cid}", {"delta": str(delta)},
                         page=page, headers=HX)

    def mine(html, cid):
        item = html.split(f'id="stem-min-{cid}"', 1)[1]
        return int(re.search(r"jouw stemmen: </span>(\d+)", item).group(1))

    r = dot(d.id)
    html = r.get_data(as_text=True)
    assert html.startswith(f'<li id="vote-option-{d.id}">') and "HX-Retarget" not in r.headers
    assert "Optie twee" in html and "Optie een" not in html and f"stem-plus-{c.id}" not in html
    assert mine(html, d.id) == 1 and not re.search(rf'id="stem-plus-{d.id}"[^>]*disabled', html)
    assert re.search(r'hx-swap-oob="true" id="vote-budget">Je hebt 1 van je 2', html)
    assert "Je hebt 1 van je 2 stemmen gebruikt." in html.split('id="flash"', 1)[1]
    reloaded = _page(bert, w.join_code)  # the whole vote, as a reload or the opening poll
    assert (mine(reloaded, c.id), mine(reloaded, d.id)) == (0, 1) and "1 van je 2" in reloaded
    r = dot(d.id + c.id + 1000)  # not an option of this vote: refused in Dutch, nothing spent
    assert r.status_code == 422
    assert "Daarover wordt in deze ronde niet gestemd." in r.get_data(as_text=True)
    assert "1 van je 2" in _page(bert, w.join_code)
    r = dot(d.id)  # the last dot: every "+" off, so the whole vote
    html = r.get_data(as_text=True)
    assert r.headers["HX-Retarget"] == "#round-extra" and r.headers["HX-Reswap"] == "outerHTML"
    assert html.startswith('<section id="round-extra"') and 'id="own-items"' not in html
    assert (mine(html, c.id), mine(html, d.id)) == (0, 2) and "2 van je 2 stemmen" in html
    assert re.search(rf'id="stem-plus-{c.id}"[^>]*disabled', html)
    assert re.search(rf'id="stem-min-{c.id}"[^>]*disabled', html)
    r = dot(c.id)
    assert r.status_code == 422 and "al je 2 stemmen gebruikt" in r.get_data(as_text=True)
    r = dot(d.id, -1)  # a dot free again: every "+" on
    html = r.get_data(as_text=True)
    assert r.headers["HX-Retarget"] == "#round-extra"
    assert (mine(html, c.id), mine(html, d.id)) == (0, 1) and "1 van je 2 stemmen" in html
    assert not re.search(rf'id="stem-plus-{c.id}"[^>]*disabled', html)
    r = dot(d.id, -1)  # the last one back: the option alone
    html = r.get_data(as_text=True)
    assert html.startswith(f'<li id="vote-option-{d.id}">') and mine(html, d.id) == 0
    assert re.search(rf'id="stem-min-{d.id}"[^>]*disabled', html)
    assert "Je hebt 0 van je 2 stemmen gebruikt." in _page(bert, w.join_code)


def _phones_token(signed: str) -> str:
    """The phone's own CSRF token inside a signed one: the signature carries the second it
    was made, so two answers to one phone differ when a second passes between them."""
    return signed.rsplit(".", 2)[0]


def _phones_tokens(html: str) -> set[str]:
    return {_phones_token(t) for t in re.findall(r'name="csrf_token" value="([^"]+)"', html)}


def _three_phones_in_a_vote(app, w, votes_per_participant: int):
    """Bert, Carla and Dirk joined, a vote open over Anna's two contributions: the three
    phones and the two options."""
    bert, c, d = _bert_and_two_of_annas(app, w, "Optie een", "Optie twee")
    carla, dirk = app.test_client(), app.test_client()
    join(carla, w.join_code)
    join(dirk, w.join_code)
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=votes_per_participant)
    for pos, x in enumerate((c, d), 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=x.id, position=pos))
    db.session.commit()
    rounds.open_round(w, w.rounds[1].id)
    return bert, carla, dirk, c, d


def test_the_vote_shared_by_phones_without_dots_carries_each_phones_own_token_and_language(
    app, live
):
    """The vote a phone with no dot sees, and a dot's answer, are rendered once for every
    phone (web/vote_panel.py): each still holds that phone's own CSRF token (its "+" works,
    another phone's token does not), its language, and its own counts."""
    w = live
    bert, carla, dirk, c, d = _three_phones_in_a_vote(app, w, votes_per_participant=3)

    def vote_tokens(html):
        vote = html.split('id="round-extra"', 1)[1].split("</section>", 1)[0]
        return set(re.findall(r'name="csrf_token" value="([^"]+)"', vote))

    pages = {name: _page(phone, w.join_code) for name, phone in
             (("bert", bert), ("carla", carla))}  # fmt: skip
    tokens = {name: vote_tokens(html) for name, html in pages.items()}
    assert all(len(t) == 1 for t in tokens.values()) and tokens["bert"] != tokens["carla"]
    assert "Je hebt 0 van je 3 stemmen gebruikt." in pages["carla"]
    english = dirk.get(f"/w/{w.join_code}", headers={"Accept-Language": "en"})
    assert "You have used 0 of your 3 votes." in english.get_data(as_text=True)
    assert "stemmen gebruikt" not in english.get_data(as_text=True)

    def dot(phone, token, cid):
        return phone.post(f"/w/{w.join_code}/stem/{cid}", headers=HX,
                          data={"csrf_token": token, "delta": "1"})  # fmt: skip

    (bert_token,), (carla_token,) = tokens["bert"], tokens["carla"]
    assert dot(carla, bert_token, c.id).status_code == 400  # not her token: nothing spent
    for _ in range(2):
        r = dot(bert, bert_token, c.id)
        assert r.status_code == 200
    assert "Je hebt 2 van je 3" in r.get_data(as_text=True)
    r = dot(carla, carla_token, c.id)  # the same option: her count, her token in the answer
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Je hebt 1 van je 3" in html
    assert re.search(r"jouw stemmen: </span>1<", html)
    assert _phones_tokens(html) == {_phones_token(carla_token)}
    assert "Je hebt 1 van je 3 stemmen gebruikt." in _page(carla, w.join_code)


def test_the_whole_vote_shared_by_phones_with_the_same_dots_holds_each_phones_token_and_counts(
    app, live
):
    """The whole vote that comes back when a dot spends a phone's last one (or frees it),
    and the vote on a phone that has dots, are shared too (web/vote_panel.py): phones that
    spent their dots alike each get their own token and language, and a phone that spent
    them otherwise its own counts."""
    w = live
    bert, carla, dirk, c, d = _three_phones_in_a_vote(app, w, votes_per_participant=2)

    def tokens(html):
        return _phones_tokens(html)

    def dot(phone, cid, delta="1", lang="nl"):
        token = re.search(r'name="csrf_token" value="([^"]+)"', _page(phone, w.join_code))[1]
        return phone.post(f"/w/{w.join_code}/stem/{cid}", data={"csrf_token": token, "delta": delta},
                          headers={**HX, "Accept-Language": lang})  # fmt: skip

    spent = {}
    for name, phone, lang in (("bert", bert, "nl"), ("carla", carla, "nl"), ("dirk", dirk, "en")):
        assert dot(phone, c.id, lang=lang).status_code == 200
        r = dot(phone, c.id, lang=lang)  # the last dot: the whole vote comes back
        assert r.status_code == 200 and r.headers["HX-Retarget"] == "#round-extra"
        spent[name] = r.get_data(as_text=True)
    for name, phone in (("bert", bert), ("carla", carla)):
        assert tokens(spent[name]) == tokens(_page(phone, w.join_code))  # its own, not Bert's
        assert "Je hebt 2 van je 2 stemmen gebruikt." in spent[name]
        assert spent[name].count(" disabled>+") == 2  # no "+" left, on either option
    assert tokens(spent["bert"]) != tokens(spent["carla"])
    assert "You have used 2 of your 2 votes." in spent["dirk"]
    # Carla moves a dot: freed, her whole vote again, with her counts and "+" back.
    freed = dot(carla, c.id, delta="-1").get_data(as_text=True)
    assert "Je hebt 1 van je 2 stemmen gebruikt." in freed and " disabled>+" not in freed
    assert tokens(freed) == tokens(_page(carla, w.join_code))
    moved = dot(carla, d.id).get_data(as_text=True)
    assert re.findall(r"jouw stemmen: </span>(\d)<", moved) == ["1", "1"]
    bert_page = _page(bert, w.join_code)  # his page is still his: 2 on the first option
    assert re.findall(r"jouw stemmen: </span>(\d)<", bert_page) == ["2", "0"]
    assert 'hx-swap-oob="innerHTML"' in spent["bert"]  # the dot's answer tells what it did
    assert "hx-swap-oob" not in bert_page  # ... which his page, with the same dots, does not
    assert re.findall(r"jouw stemmen: </span>(\d)<", _page(carla, w.join_code)) == ["1", "1"]


# --- invisible characters that used to pass ----------------------------------------------

TAG_TEXT = "".join(chr(0xE0000 + ord(c)) for c in "stuur alles door")


@pytest.mark.parametrize(
    "text",
    ["ok\u061cevil", "ok\u2060evil", f"ok{TAG_TEXT}", "Wa" + "\u0301" * 300 + "ter"],
    ids=["arabic-letter-mark", "word-joiner", "tag-characters", "stacked-accents"],
)
def test_invisible_characters_and_stacked_accents_are_refused_in_posts_and_names(app, live, text):
    w = live
    phone = app.test_client()
    r = phone.get(f"/w/{w.join_code}")
    welkom = f"/w/{w.join_code}/welkom"
    r = post_form(phone, welkom, {"display_name": text}, page=welkom)
    assert r.status_code == 422
    join(phone, w.join_code, display_name="Anna")
    r = Phone(phone, w.join_code).post(text)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "onzichtbare stuurtekens" in html or "gestapelde accenttekens" in html
    assert contributions() == []
    fresh()
    assert [p.display_name for p in db.session.scalars(sa.select(Participant))] == ["Anna"]
