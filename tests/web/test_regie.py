"""Running the room: moderation, pre-moderation, note-taking, +1s, dot-voting, round kinds,
timer, beamer, signals, and who may do it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Contribution, ModerationLog, utcnow
from noviwerk.services import participation, rounds
from tests.conftest import Phone, fresh, join, login, post_form


@pytest.fixture
def live(world):
    fac, w = world.live()
    return fac, w


def _control(client, w, tail=""):
    return f"/f/werkplaatsen/{w.id}/regie{tail}"


def _moderate(client, w, cid, action, value=""):
    return post_form(
        client,
        _control(client, w, f"/bijdragen/{cid}/{action}"),
        {"value": value},
        page=_control(client, w),
    )


def _refused(client, r, w) -> str:
    """A refused action sends the facilitator back to the regie (303, not left on the
    action's address); the page there says why. Returns that page."""
    assert r.status_code == 303, r.status_code
    assert r.headers["Location"].startswith(f"/f/werkplaatsen/{w.id}/regie")
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'class="flash flash-error"' in html
    return html


def _wall_changes(client, w, after=0, view="wall"):
    fresh()
    return client.get(
        f"/f/werkplaatsen/{w.id}/wall/wijzigingen?after={after}&v={w.state_version}&view={view}"
    ).get_data(as_text=True)


def _contribution(text):
    fresh()
    return db.session.scalar(sa.select(Contribution).where(Contribution.text == text))


def test_hide_restore_star_relabel_citaat_are_logged_and_reach_the_wall(app, client, live):
    fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("Meer groen in de wijk")
    c = _contribution("Meer groen in de wijk")
    login(client)
    assert "Meer groen in de wijk" in client.get(_control(client, w)).get_data(as_text=True)

    cursor = c.seq
    assert _moderate(client, w, c.id, "verbergen").status_code == 303
    changes = _wall_changes(client, w, cursor)
    assert f'data-remove="c-{c.id}"' in changes
    assert "Meer groen in de wijk" not in client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(
        as_text=True
    )
    assert _contribution("Meer groen in de wijk").state.value == "verborgen"  # never deleted

    _moderate(client, w, c.id, "terugzetten")
    _moderate(client, w, c.id, "ster")
    _moderate(client, w, c.id, "soort", "kans")
    _moderate(client, w, c.id, "citaat")
    c = _contribution("Meer groen in de wijk")
    assert (c.state.value, c.is_starred, c.label, c.is_citaat) == ("zichtbaar", True, "kans", True)
    changes = _wall_changes(client, w, cursor)
    assert f'id="c-{c.id}"' in changes and "is-starred" in changes and ">kans<" in changes
    actions = [
        e.action.value
        for e in db.session.scalars(sa.select(ModerationLog).order_by(ModerationLog.id))
    ]
    assert actions == ["verbergen", "terugzetten", "ster", "soort", "citaat"]
    log = client.get(_control(client, w)).get_data(as_text=True)
    assert "verbergen" in log and fac.name in log

    r = _moderate(client, w, c.id, "onzin")
    assert r.status_code == 404


def test_hidden_contribution_leaves_the_phones_of_others(app, client, live):
    _fac, w = live
    anna, bert = _two_phones_in_a_plus_one_round(app, w)
    Phone(anna, w.join_code).post("Zichtbaar voor Bert")
    assert "Zichtbaar voor Bert" in bert.get(f"/w/{w.join_code}").get_data(as_text=True)
    login(client)
    _moderate(client, w, _contribution("Zichtbaar voor Bert").id, "verbergen")
    assert "Zichtbaar voor Bert" not in bert.get(f"/w/{w.join_code}").get_data(as_text=True)


def test_merge_shows_one_card_with_a_count_and_unmerge_undoes_it(app, client, live):
    _fac, w = live
    phones = [app.test_client() for _ in range(3)]
    texts = ["Ruimte voor water", "Meer ruimte voor water", "Water heeft ruimte nodig"]
    for phone, text in zip(phones, texts, strict=True):
        join(phone, w.join_code)
        Phone(phone, w.join_code).post(text)
    keep, a, b = (_contribution(t) for t in texts)
    login(client)
    _moderate(client, w, a.id, "samenvoegen", str(keep.id))
    _moderate(client, w, b.id, "samenvoegen", str(a.id))  # into a merged one: lands on keep
    fresh()
    keep = _contribution(texts[0])
    assert keep.merged_count == 2
    assert _contribution(texts[2]).merged_into_id == keep.id
    html = client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert html.count('<li id="c-') == 1 and "× 3" in html
    r = _moderate(client, w, keep.id, "samenvoegen", str(keep.id))
    assert "zichzelf" in _refused(client, r, w)
    _moderate(client, w, a.id, "losmaken")
    assert _contribution(texts[0]).merged_count == 1
    html = client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    assert html.count('<li id="c-') == 2


def test_premoderation_inbox(app, client, live):
    _fac, w = live
    rounds.configure(
        w,
        w.rounds[0].id,
        kind="open",
        is_support_allowed=False,
        is_premoderated=True,
        votes_per_participant=3,
        grace_seconds=90,
    )
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("Eerst even keuren")
    assert "wacht op moderatie" in phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    login(client)
    assert "Eerst even keuren" not in client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(
        as_text=True
    )
    html = client.get(_control(client, w)).get_data(as_text=True)
    assert 'Wacht op moderatie (<span id="inbox-count">1</span>)' in html
    c = _contribution("Eerst even keuren")
    _moderate(client, w, c.id, "goedkeuren")
    assert "Eerst even keuren" in client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    r = _moderate(client, w, c.id, "goedkeuren")
    assert "wacht niet" in _refused(client, r, w)


def test_note_taker_input_counts_without_a_phone(client, live):
    _fac, w = live
    login(client)
    r = post_form(
        client,
        _control(client, w, "/notitie"),
        {
            "text": "Van de flap: meer groen",
            "source": "flap",
            "label": "kans",
            "ronde": w.rounds[0].id,
        },
        page=_control(client, w),
    )
    assert r.status_code == 303
    c = _contribution("Van de flap: meer groen")
    assert c.source.value == "flap" and c.participant_id is None and c.label == "kans"
    assert c.author_id is not None
    assert "flap" in client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)
    r = post_form(
        client,
        _control(client, w, "/notitie"),
        {"text": "", "source": "flap", "ronde": w.rounds[0].id},
        page=_control(client, w),
    )
    assert r.status_code == 422 and "leeg" in r.get_data(as_text=True)


def _two_phones_in_a_plus_one_round(app, w):
    """Round 1 open for input with +1s; two phones (Anna, Bert) joined."""
    rounds.configure(
        w,
        w.rounds[0].id,
        kind="open",
        is_support_allowed=True,
        is_premoderated=False,
        votes_per_participant=3,
        grace_seconds=90,
    )
    phones = app.test_client(), app.test_client()
    for phone in phones:
        join(phone, w.join_code)
    return phones


def test_plus_one_once_per_participant(app, live):
    _fac, w = live
    anna, bert = _two_phones_in_a_plus_one_round(app, w)
    Phone(anna, w.join_code).post("Steun mij")
    c = _contribution("Steun mij")
    url = f"/w/{w.join_code}/steun/{c.id}"
    assert post_form(bert, url, {"on": "1"}, page=f"/w/{w.join_code}").status_code == 303
    assert _contribution("Steun mij").support_count == 1
    # A double tap (or a re-sent request) asks for the same again: still one +1.
    assert post_form(bert, url, {"on": "1"}, page=f"/w/{w.join_code}").status_code == 303
    assert _contribution("Steun mij").support_count == 1
    # The button now offers to take it back, and does.
    extra = bert.get(f"/w/{w.join_code}/anderen").get_data(as_text=True)
    assert 'name="on" value="0"' in extra and 'aria-pressed="true"' in extra
    post_form(bert, url, {"on": "0"}, page=f"/w/{w.join_code}")
    assert _contribution("Steun mij").support_count == 0
    post_form(bert, url, {"on": "0"}, page=f"/w/{w.join_code}")
    assert _contribution("Steun mij").support_count == 0
    r = post_form(anna, url, page=f"/w/{w.join_code}")
    assert r.status_code == 422 and "eigen bijdrage" in r.get_data(as_text=True)


def test_a_plus_one_from_the_phone_answers_with_the_pressed_item_alone(app, live):
    _fac, w = live
    anna, bert = _two_phones_in_a_plus_one_round(app, w)
    Phone(anna, w.join_code).post("Steun dit punt")
    Phone(anna, w.join_code).post("Een ander punt van Anna")
    c = _contribution("Steun dit punt")
    url = f"/w/{w.join_code}/steun/{c.id}"
    hx = {"HX-Request": "true"}
    r = post_form(bert, url, {"on": "1"}, page=f"/w/{w.join_code}", headers=hx)
    item = r.get_data(as_text=True)
    assert r.status_code == 200 and item.lstrip().startswith(f'<li id="o-{c.id}" ')
    assert 'aria-pressed="true"' in item and "1 steunbetuiging" in item
    assert 'name="on" value="0"' in item  # pressing again takes it back
    # Not the list around it: no other contribution, no heading, whatever the list holds.
    assert "Een ander punt van Anna" not in item and "Wat anderen inbrachten" not in item
    r = post_form(bert, url, {"on": "0"}, page=f"/w/{w.join_code}", headers=hx)
    item = r.get_data(as_text=True)
    assert 'aria-pressed="false"' in item and "0 steunbetuigingen" in item
    assert _contribution("Steun dit punt").support_count == 0
    # A refused +1 (one's own) still goes to the status region, not in place of the item.
    own = post_form(anna, url, page=f"/w/{w.join_code}", headers=hx)
    assert own.status_code == 422 and own.headers["HX-Retarget"] == "#flash"


def test_support_is_refused_where_the_round_does_not_allow_it(app, live):
    _fac, w = live
    anna, bert = app.test_client(), app.test_client()
    join(anna, w.join_code)
    join(bert, w.join_code)
    Phone(anna, w.join_code).post("Geen steun hier")
    c = _contribution("Geen steun hier")
    r = post_form(bert, f"/w/{w.join_code}/steun/{c.id}", page=f"/w/{w.join_code}")
    assert r.status_code == 422 and _contribution("Geen steun hier").support_count == 0


def test_labelled_and_citaat_rounds(app, live):
    _fac, w = live
    rounds.configure(
        w,
        w.rounds[0].id,
        kind="gelabeld",
        is_support_allowed=False,
        is_premoderated=False,
        votes_per_participant=3,
        grace_seconds=90,
    )
    phone = app.test_client()
    join(phone, w.join_code)
    r = Phone(phone, w.join_code).post("Zonder soort")
    assert r.status_code == 422 and "Kies bij deze ronde" in r.get_data(as_text=True)
    assert Phone(phone, w.join_code).post("Met soort", label="dilemma").status_code == 303
    assert _contribution("Met soort").label == "dilemma"

    rounds.open_round(w, w.rounds[4].id)
    rounds.configure(
        w,
        w.rounds[4].id,
        kind="citaat",
        is_support_allowed=False,
        is_premoderated=False,
        votes_per_participant=3,
        grace_seconds=90,
    )
    assert Phone(phone, w.join_code).post("Dit mag niet ontbreken").status_code == 303
    c = _contribution("Dit mag niet ontbreken")
    assert c.is_citaat and c.label == "citaat"
    r = Phone(phone, w.join_code).post("En nog een citaat")
    assert r.status_code == 422 and "één citaat" in r.get_data(as_text=True)


def test_dot_voting_round(app, client, live):
    _fac, w = live
    phones = [app.test_client() for _ in range(3)]
    texts = ["Optie A", "Optie B", "Optie C"]
    for phone, text in zip(phones, texts, strict=True):
        join(phone, w.join_code)
        Phone(phone, w.join_code).post(text)
    a, b, c = (_contribution(t) for t in texts)
    vote_round = w.rounds[1]
    rounds.configure(
        w,
        vote_round.id,
        kind="stemmen",
        is_support_allowed=False,
        is_premoderated=False,
        votes_per_participant=2,
        grace_seconds=90,
    )
    login(client)
    url = _control(client, w, f"/rondes/{vote_round.id}/keuzes")
    r = post_form(client, url, {"bijdrage": [str(a.id)]}, page=_control(client, w))
    assert "minstens twee" in _refused(client, r, w)
    post_form(
        client, url, {"bijdrage": [str(a.id), str(b.id), str(c.id)]}, page=_control(client, w)
    )
    rounds.open_round(w, vote_round.id)

    def vote(phone, cid, delta=1):
        return post_form(
            phone, f"/w/{w.join_code}/stem/{cid}", {"delta": str(delta)}, page=f"/w/{w.join_code}"
        )

    page = phones[0].get(f"/w/{w.join_code}").get_data(as_text=True)
    assert "Je hebt 0 van je 2 stemmen gebruikt." in page and "Optie B" in page
    assert vote(phones[0], b.id).status_code == 303
    assert vote(phones[0], b.id).status_code == 303
    r = vote(phones[0], a.id)
    assert r.status_code == 422 and "al je 2 stemmen" in r.get_data(as_text=True)
    vote(phones[1], b.id)
    vote(phones[1], c.id)
    vote(phones[2], c.id, -1)  # nothing to take back
    r = Phone(phones[2], w.join_code).post("Posten in een stemronde")
    assert r.status_code == 422

    fresh()
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert "4 stemmen uitgebracht" in beamer and "vote-bar" not in beamer  # hidden until revealed
    post_form(
        client,
        _control(client, w, f"/rondes/{vote_round.id}/uitslag"),
        {"tonen": "1"},
        page=_control(client, w),
    )
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    ranked = re.findall(r'<span class="vote-text">([^<]+)</span>', beamer)
    assert ranked == ["Optie B", "Optie C", "Optie A"]
    assert "3 stemmen" in beamer and "w100" in beamer


def test_timer_start_extend_stop_and_phone_countdown(app, client, live):
    _fac, w = live
    login(client)
    rid = w.rounds[0].id
    url = _control(client, w, f"/rondes/{rid}/timer")
    post_form(client, url, {"actie": "start", "minuten": "10"}, page=_control(client, w))
    fresh()
    left = (w.rounds[0].ends_at - utcnow()).total_seconds()
    assert 590 < left <= 600
    post_form(client, url, {"actie": "verlengen", "minuten": "5"}, page=_control(client, w))
    fresh()
    assert 890 < (w.rounds[0].ends_at - utcnow()).total_seconds() <= 900
    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    assert 'role="timer"' in page and "data-ends-at=" in page
    r = post_form(client, url, {"actie": "start", "minuten": "0"}, page=_control(client, w))
    assert "1 tot 1440 minuten" in _refused(client, r, w)
    post_form(client, url, {"actie": "stop"}, page=_control(client, w))
    fresh()
    assert w.rounds[0].ends_at is None
    assert 'role="timer"' not in phone.get(f"/w/{w.join_code}").get_data(as_text=True)


def test_beamer_shows_the_chosen_round(app, client, live):
    _fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("In ronde een")
    login(client)
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert "In ronde een" in beamer and w.join_code[:4] in beamer and "qr.svg" in beamer
    post_form(
        client, _control(client, w, "/beamer"), {"ronde": w.rounds[2].id}, page=_control(client, w)
    )
    beamer = client.get(f"/f/werkplaatsen/{w.id}/beamer").get_data(as_text=True)
    assert "In ronde een" not in beamer and w.rounds[2].prompt.replace("'", "&#39;") in beamer


def test_closing_round_accepts_late_text_marked_late(app, client, live):
    _fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    page = phone.get(f"/w/{w.join_code}").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    login(client)
    post_form(
        client, _control(client, w, f"/rondes/{w.rounds[0].id}/sluiten"), page=_control(client, w)
    )
    r = post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {"text": "Nog net", "round_id": w.rounds[0].id, "client_key": key},
        page=f"/w/{w.join_code}",
    )
    assert r.status_code == 303
    assert _contribution("Nog net").is_late
    assert "te laat" in client.get(f"/f/werkplaatsen/{w.id}/wall").get_data(as_text=True)


def test_signals_count_velden_unheard_and_repeats(app, client, live):
    _fac, w = live
    for veld, text in [
        ("maatschappelijk", "Meer ruimte voor water in de stad"),
        ("maatschappelijk", "Meer ruimte voor water in steden"),
        ("interbestuurlijk", "Bodemdaling gaat door in het veen"),
    ]:
        p = participation.join(w, veld=veld)
        participation.post_contribution(p, w.rounds[0].id, text)
    participation.join(w, veld="kennis en advies")  # in the room, silent so far
    login(client)
    html = client.get(_control(client, w)).get_data(as_text=True)
    assert (
        "Nog niet gehoord in deze ronde" in html
        and "kennis en advies" in html.split("Nog niet gehoord")[1][:200]
    )
    assert "3 van 4 deelnemers brachten iets in" in html
    assert "herhaling: 33%" in html


def test_only_the_werkplaats_facilitators_control_it(app, client, live, world):
    _fac, w = live
    world.user("ander@example.test")
    world.user("trek@example.test", role="trekker")
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("Van de telefoon")
    c = _contribution("Van de telefoon")
    # a participant's session
    r = post_form(
        phone, f"/f/werkplaatsen/{w.id}/regie/bijdragen/{c.id}/verbergen", page=f"/w/{w.join_code}"
    )
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    for email in ("ander@example.test", "trek@example.test"):
        other = app.test_client()
        login(other, email)
        assert other.get(_control(other, w)).status_code == 403
        r = _moderate(other, w, c.id, "verbergen")
        assert r.status_code == 403
        r = post_form(
            other,
            _control(other, w, f"/rondes/{w.rounds[0].id}/timer"),
            {"actie": "stop"},
            page="/f/",
        )
        assert r.status_code == 403
        assert other.get(f"/f/werkplaatsen/{w.id}/beamer").status_code == 403
    assert _contribution("Van de telefoon").state.value == "zichtbaar"


def test_wall_changes_after_a_restart_have_no_gaps_or_duplicates(app, client, live):
    """A wall that comes back with an old cursor gets every change once, in seq order."""
    _fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    for i in range(5):
        Phone(phone, w.join_code).post(f"Punt {i}")
    login(client)
    _moderate(client, w, _contribution("Punt 1").id, "verbergen")
    body = _wall_changes(client, w, 2)
    ids = re.findall(r'<li id="c-(\d+)"', body)
    removed = re.findall(r'data-remove="c-(\d+)"', body)
    assert len(ids) == len(set(ids)) == 3 and removed == [str(_contribution("Punt 1").id)]
    assert 'id="wall-cursor" name="after" value="6"' in body
    assert (
        client.get(
            f"/f/werkplaatsen/{w.id}/wall/wijzigingen?after=6&v={w.state_version}"
        ).status_code
        == 204
    )


def test_stale_grace_is_refused(app, live):
    _fac, w = live
    rounds.close_round(w, w.rounds[0].id)
    fresh()
    w.rounds[0].closed_at = utcnow() - timedelta(seconds=w.rounds[0].grace_seconds + 5)
    db.session.commit()
    phone = app.test_client()
    join(phone, w.join_code)
    r = post_form(
        phone,
        f"/w/{w.join_code}/bijdragen",
        {"text": "Veel te laat", "round_id": w.rounds[0].id, "client_key": "k1"},
        page=f"/w/{w.join_code}",
    )
    assert r.status_code == 422 and _contribution("Veel te laat") is None


def test_round_settings_form_switches_kind_support_and_premoderation(client, live):
    _fac, w = live
    login(client)
    url = f"/f/werkplaatsen/{w.id}/rondes/{w.rounds[1].id}/bewerken"
    page = client.get(url).get_data(as_text=True)
    assert "Soort ronde" in page and "Voormoderatie" in page
    r = post_form(client, url, {
        "prompt": "Stem op wat telt", "kernvraag_id": "0", "planned_minutes": "10",
        "kind": "stemmen", "votes_per_participant": "4", "grace_seconds": "30",
        "is_premoderated": "y",
    }, page=url)
    assert r.status_code == 303
    fresh()
    rnd = w.rounds[1]
    assert (rnd.kind.value, rnd.votes_per_participant, rnd.grace_seconds, rnd.is_premoderated) == (
        "stemmen", 4, 30, True)
    r = post_form(client, url, {
        "prompt": "Stem op wat telt", "kernvraag_id": "0", "planned_minutes": "10",
        "kind": "stemmen", "votes_per_participant": "99", "grace_seconds": "30",
    }, page=url)
    assert r.status_code == 422 and "1 tot 20 stemmen" in r.get_data(as_text=True)


def test_merge_by_typed_number_and_a_control_view_that_grows_linearly(app, client, live):
    """A merge target may be typed ("#12" works, anything not a plain number is refused in
    Dutch), and the regie lists each contribution once, as one compact row with no menu of
    other contributions or soorten per card (that grew with the square of a round)."""
    _fac, w = live
    phones = [app.test_client() for _ in range(40)]
    for i, phone in enumerate(phones):
        join(phone, w.join_code)
        Phone(phone, w.join_code).post(f"Punt {i:02d} over water en ruimte")
    keep = _contribution("Punt 00 over water en ruimte")
    other = _contribution("Punt 01 over water en ruimte")
    login(client)
    html = client.get(f"/f/werkplaatsen/{w.id}/regie").get_data(as_text=True)
    rows = html.split('id="mod-list"')[1].split("</ol>")[0]
    assert rows.count('<li id="m-') == 40 and "<option" not in rows and "<form" not in rows
    for bad in ("", "twaalf", "²", "12a", "9" * 30):
        r = _moderate(client, w, other.id, "samenvoegen", bad)
        assert "vul haar nummer in" in _refused(client, r, w), bad
    url = _control(client, w, f"/bijdragen/{other.id}/samenvoegen")
    r = post_form(client, url, {"value": "", "nummer": f" #{keep.id} "}, page=_control(client, w))
    assert r.status_code == 303
    fresh()
    assert _contribution("Punt 01 over water en ruimte").merged_into_id == keep.id


def test_a_refused_moderation_action_returns_to_the_regie(app, client, live):
    """A merge number that is no contribution is refused in Dutch, and the facilitator is
    back in the regie (its cards and note form), not on an error page or the action's
    address with no way back."""
    _fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    Phone(phone, w.join_code).post("Ruimte voor water langs de rivier")
    card = _contribution("Ruimte voor water langs de rivier")
    login(client)
    r = _moderate(client, w, card.id, "samenvoegen", "999999")
    html = _refused(client, r, w)
    assert "Deze bijdrage bestaat niet" in html and "Dat lukte niet" not in html
    assert "Ruimte voor water langs de rivier" in html and 'id="notulist"' in html
    fresh()
    assert _contribution("Ruimte voor water langs de rivier").merged_into_id is None
    # From htmx the same refusal stays the small message fragment for the page's status area.
    url = _control(client, w, f"/bijdragen/{card.id}/samenvoegen")
    r = post_form(client, url, {"value": "abc"}, page=_control(client, w),
                  headers={"HX-Request": "true"})
    assert r.status_code == 422 and r.headers["HX-Retarget"] == "#flash"
    assert "vul haar nummer in" in r.get_data(as_text=True)


def test_the_regie_shows_the_newest_cards_and_all_on_request(app, client, live, monkeypatch):
    """A round of 1,000 phones made the whole list 8.7 MB per load: the regie shows the
    newest cards, says how many there are, and shows them all when asked."""
    from noviwerk.web import regie

    monkeypatch.setattr(regie, "REGIE_CARDS", 3)
    _fac, w = live
    for i in range(5):
        participation.post_contribution(participation.join(w), w.rounds[0].id, f"Punt nummer {i}")
    login(client)
    html = client.get(_control(client, w)).get_data(as_text=True)
    cards = re.findall(r'<li id="m-(\d+)"', html)
    assert len(cards) == 3 and all(f"Punt nummer {i}" in html for i in (2, 3, 4))
    assert "Punt nummer 0" not in html.split('id="notulist"')[0]
    assert 'Bijdragen in ronde 1 (<span id="bijdragen-count">5</span>)' in html
    assert "de nieuwste 3 van 5 bijdragen" in html and "Toon alle 5" in html
    # Merging into an older one that is not shown works by its number.
    oldest = _contribution("Punt nummer 0")
    r = _moderate(client, w, int(cards[0]), "samenvoegen", str(oldest.id))
    assert r.status_code == 303
    fresh()
    assert _contribution("Punt nummer 0").merged_count == 1
    # All of them on request; an action taken there comes back to all of them.
    every = client.get(_control(client, w, f"?ronde={w.rounds[0].id}&alle=1"))
    html = every.get_data(as_text=True)
    assert len(re.findall(r'<li id="m-', html)) == 5 and "Toon alle" not in html
    r = post_form(client, _control(client, w, f"/bijdragen/{oldest.id}/ster"),
                  {"ronde": str(w.rounds[0].id), "alle": "1"}, page=_control(client, w))
    assert r.status_code == 303 and "alle=1" in r.headers["Location"]
    assert f"#m-{oldest.id}" in r.headers["Location"]


def test_signals_estimate_repeats_from_the_newest_in_a_big_round(app, client, live, monkeypatch):
    from noviwerk.services import signals

    monkeypatch.setattr(signals, "REPEAT_SAMPLE", 4)
    _fac, w = live
    texts = ["Bodemdaling gaat door in het veen", "Fietspaden langs de dijk",
             "Meer ruimte voor water in de stad", "Meer ruimte voor water in steden",
             "Meer ruimte voor water in onze stad", "Meer ruimte voor water in de steden"]
    for text in texts:
        participation.post_contribution(participation.join(w), w.rounds[0].id, text)
    rnd = w.rounds[0]
    found = signals.for_round(rnd)
    # The newest four are one point said four times: three repeats, scaled to six texts.
    assert found.repeat_sample == 4 and found.repeats == round(3 * 6 / 4)
    login(client)
    html = client.get(_control(client, w)).get_data(as_text=True)
    assert "geschat uit de nieuwste 4" in html


def test_a_dot_updates_the_beamers_tally_without_redrawing_it_until_the_result_shows(
    app, client, live
):
    """While the result is hidden, the beamer's fetch after a dot brings the new "n stemmen
    uitgebracht" line alone; once revealed, the whole beamer with its bars."""
    _fac, w = live
    phone = app.test_client()
    join(phone, w.join_code)
    for text in ("Optie A", "Optie B"):
        Phone(phone, w.join_code).post(text)
    a, b = (_contribution(t) for t in ("Optie A", "Optie B"))
    vote_round = w.rounds[1]
    rounds.configure(w, vote_round.id, kind="stemmen", is_support_allowed=False,
                     is_premoderated=False, votes_per_participant=2, grace_seconds=0)
    login(client)
    post_form(client, _control(client, w, f"/rondes/{vote_round.id}/keuzes"),
              {"bijdrage": [str(a.id), str(b.id)]}, page=_control(client, w))
    rounds.open_round(w, vote_round.id)
    fresh()
    cursor, version = w.last_seq, w.state_version

    def beamer_changes():
        return client.get(f"/f/werkplaatsen/{w.id}/wall/wijzigingen",
                          query_string={"after": cursor, "v": version, "view": "beamer"},
                          headers={"HX-Request": "true"})

    r = post_form(phone, f"/w/{w.join_code}/stem/{b.id}", {"delta": "1"},
                  page=f"/w/{w.join_code}")
    assert r.status_code == 303
    changes = beamer_changes()
    body = changes.get_data(as_text=True)
    assert changes.status_code == 200 and "HX-Retarget" not in changes.headers
    assert re.search(r'<p id="beamer-votes-cast"[^>]*hx-swap-oob="true">1 stem uitgebracht', body)
    assert "beamer-prompt" not in body
    rounds.reveal_results(w, vote_round.id, True)
    fresh()
    version = w.state_version
    changes = beamer_changes()
    assert changes.headers.get("HX-Retarget") == "#beamer"
    assert re.findall(r'<span class="vote-text">([^<]+)</span>', changes.get_data(as_text=True)) \
        == ["Optie B", "Optie A"]
