"""Many phones posting and +1ing at once over real HTTP: every post stored once, in seq order,
every +1 counted, no 5xx.

SQLite allows one writer; service writes begin IMMEDIATE and wait their turn (busy
timeout) instead of failing with "database is locked"."""

from __future__ import annotations

import re
import threading

import httpx
import sqlalchemy as sa

from noviwerk.extensions import db
from noviwerk.models import Contribution
from tests.conftest import fresh

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _phone(base: str, code: str) -> tuple[httpx.Client, str, str]:
    c = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = c.get(f"/w/{code}/welkom").text
    c.post(f"/w/{code}/welkom", data={"csrf_token": TOKEN.search(page).group(1)})
    page = c.get(f"/w/{code}").text
    rid = re.search(r'id="round-id" value="(\d+)"', page).group(1)
    return c, TOKEN.search(page).group(1), rid


def test_concurrent_posts_are_all_stored_once_in_seq_order(live_server, world):
    _fac, w = world.live()
    phones = [_phone(live_server.url, w.join_code) for _ in range(12)]
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(phones))

    def run(i: int, client: httpx.Client, token: str, rid: str) -> None:
        barrier.wait()
        for n in range(5):
            r = client.post(
                f"/w/{w.join_code}/bijdragen",
                data={
                    "csrf_token": token,
                    "round_id": rid,
                    "text": f"telefoon {i} punt {n}",
                    "client_key": f"k-{i}-{n}",
                },
                headers={"HX-Request": "true"},
            )
            # a retry of the same key, as a phone would after a lost answer
            r2 = client.post(
                f"/w/{w.join_code}/bijdragen",
                data={
                    "csrf_token": token,
                    "round_id": rid,
                    "text": f"telefoon {i} punt {n}",
                    "client_key": f"k-{i}-{n}",
                },
                headers={"HX-Request": "true"},
            )
            with lock:
                statuses.extend([r.status_code, r2.status_code])

    threads = [threading.Thread(target=run, args=(i, *p)) for i, p in enumerate(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses.count(200) == len(statuses) == 12 * 5 * 2
    fresh()
    rows = list(db.session.scalars(sa.select(Contribution).order_by(Contribution.seq)))
    assert len(rows) == 60
    assert len({r.text for r in rows}) == 60
    assert [r.seq for r in rows] == list(range(1, 61))  # no gaps, no doubles: the cursor is safe


def test_copies_of_one_post_racing_are_stored_once(live_server, world):
    """A phone that sends the same post on several connections at once (a retry while the
    first is still on its way) gets "ontvangen" for each, and the post is stored once, with
    no gap in the werkplaats' seqs. On PostgreSQL the copies really race: they pass the key
    look-up together, and all but the first meet the client-key constraint."""
    _fac, w = world.live()
    phone, token, rid = _phone(live_server.url, w.join_code)
    copies = 8
    clients = [
        httpx.Client(base_url=live_server.url, cookies=phone.cookies, timeout=30)
        for _ in range(copies)
    ]
    barrier = threading.Barrier(copies)
    statuses: list[int] = []
    lock = threading.Lock()

    def send(client: httpx.Client) -> None:
        barrier.wait()
        r = client.post(
            f"/w/{w.join_code}/bijdragen",
            data={"csrf_token": token, "round_id": rid, "text": "Eén keer", "client_key": "dubbel"},
            headers={"HX-Request": "true"},
        )
        with lock:
            statuses.append(r.status_code)
            print(r.text[:300])

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [200] * copies
    r = phone.post(
        f"/w/{w.join_code}/bijdragen",
        data={"csrf_token": token, "round_id": rid, "text": "Daarna", "client_key": "later"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    fresh()
    rows = list(db.session.scalars(sa.select(Contribution).order_by(Contribution.seq)))
    assert [r.text for r in rows] == ["Eén keer", "Daarna"]
    assert [r.seq for r in rows] == [1, 2]  # the copies' seqs were rolled back with them


def test_concurrent_plus_ones_on_one_contribution_are_each_counted(live_server, world):
    """Twelve phones +1 the same contribution at once, then half take it back at once: the
    count every wall and phone shows equals the +1s that stand (none lost to a race)."""
    _fac, w = world.live()
    w.rounds[0].is_support_allowed = True
    db.session.commit()
    code = w.join_code
    author, author_token, rid = _phone(live_server.url, code)
    r = author.post(f"/w/{code}/bijdragen", headers={"HX-Request": "true"}, data={
        "csrf_token": author_token, "round_id": rid, "text": "Steun dit", "client_key": "k"})
    assert r.status_code == 200
    fresh()
    cid = db.session.scalar(sa.select(Contribution.id))
    phones = [_phone(live_server.url, code) for _ in range(12)]

    def press(wish: str, chosen) -> list[int]:
        statuses: list[int] = []
        barrier = threading.Barrier(len(chosen))

        def run(client: httpx.Client, token: str, _rid: str) -> None:
            barrier.wait()
            r = client.post(f"/w/{code}/steun/{cid}", headers={"HX-Request": "true"},
                            data={"csrf_token": token, "on": wish})
            statuses.append(r.status_code)

        threads = [threading.Thread(target=run, args=p) for p in chosen]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return statuses

    assert press("1", phones) == [200] * 12
    fresh()
    assert db.session.get(Contribution, cid).support_count == 12
    assert press("0", phones[::2]) == [200] * 6
    assert press("1", phones[1:4:2]) == [200] * 2  # still on: a double tap changes nothing
    fresh()
    assert db.session.get(Contribution, cid).support_count == 6
    page = phones[1][0].get(f"/w/{code}/anderen", headers={"HX-Request": "true"}).text
    assert "6 steunbetuigingen" in page


def test_dots_tapped_at_once_are_each_counted_and_never_pass_a_phones_budget(
    live_server, world
):
    """Eight phones spend their three dots at once, and one phone taps "+" six times at once:
    every dot acknowledged is stored, none is lost to a race, and the hasty phone ends with
    its three dots, the other taps refused in Dutch (the beamer's tally counts the same).
    Each answer says how many dots its phone has used, its own included: 1, 2 and 3."""
    from noviwerk.domain import RoundKind
    from noviwerk.models import Vote, VoteOption
    from noviwerk.services import rounds
    from tests.conftest import set_round

    _fac, w = world.live()
    code = w.join_code
    author, author_token, rid = _phone(live_server.url, code)
    for i in range(2):
        r = author.post(f"/w/{code}/bijdragen", headers={"HX-Request": "true"}, data={
            "csrf_token": author_token, "round_id": rid, "text": f"Optie {i}",
            "client_key": f"k{i}"})
        assert r.status_code == 200
    fresh()
    options = list(db.session.scalars(sa.select(Contribution.id).order_by(Contribution.id)))
    set_round(w, 1, kind=RoundKind.VOTING, votes_per_participant=3)
    for pos, cid in enumerate(options, 1):
        db.session.add(VoteOption(round_id=w.rounds[1].id, contribution_id=cid, position=pos))
    db.session.commit()
    rounds.open_round(w, w.rounds[1].id)
    phones = [_phone_in_vote(live_server.url, code) for _ in range(9)]
    taps = [(client, token, options[i % 2]) for client, token in phones[:8] for i in range(3)]
    hasty_client, hasty_token = phones[8]
    taps += [(hasty_client, hasty_token, options[i % 2]) for i in range(6)]
    answers: list[tuple[httpx.Client, int, int, str]] = []
    barrier = threading.Barrier(len(taps))

    def tap(client: httpx.Client, token: str, cid: int) -> None:
        barrier.wait()
        r = client.post(f"/w/{code}/stem/{cid}", headers={"HX-Request": "true"},
                        data={"csrf_token": token, "delta": "1"})
        answers.append((client, cid, r.status_code, r.text))

    threads = [threading.Thread(target=tap, args=t) for t in taps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    others = sorted(status for client, _, status, _ in answers if client is not hasty_client)
    assert others == [200] * 24
    hasty = sorted(status for client, _, status, _ in answers if client is hasty_client)
    assert hasty == [200] * 3 + [422] * 3
    assert all("al je 3 stemmen gebruikt" in text for _, _, s, text in answers if s == 422)
    for client, _token in phones:  # each answer counts the phone's dots with its own
        said = [re.search(r"Je hebt (\d) van je 3 stemmen gebruikt", text)
                for c, _, s, text in answers if c is client and s == 200]
        assert sorted(int(m.group(1)) for m in said if m) == [1, 2, 3]
    fresh()
    votes = db.session.scalars(sa.select(Vote).where(Vote.round_id == w.rounds[1].id)).all()
    for cid in options:  # every dot acknowledged is stored, on the option it went to
        acknowledged = sum(1 for _, c, s, _ in answers if c == cid and s == 200)
        assert sum(1 for v in votes if v.contribution_id == cid) == acknowledged
    per_phone: dict[int, int] = {}
    for v in votes:
        per_phone[v.participant_id] = per_phone.get(v.participant_id, 0) + 1
    assert sorted(per_phone.values()) == [3] * 9


def _phone_in_vote(base: str, code: str) -> tuple[httpx.Client, str]:
    """A phone joined while a vote is open (its page has no text box to post with)."""
    c = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = c.get(f"/w/{code}/welkom").text
    c.post(f"/w/{code}/welkom", data={"csrf_token": TOKEN.search(page).group(1)})
    return c, TOKEN.search(c.get(f"/w/{code}").text).group(1)
