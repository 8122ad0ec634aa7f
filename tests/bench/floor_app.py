"""The floor: the least a post with noviwerk's guarantees costs, on the same stack minus the ORM.

Per POST, what a noviwerk post cannot drop: the session cookie (the phone's participant
token), a CSRF check (Flask-WTF's ``CSRFProtect``), one query for werkplaats and participant
by join code and token, the client-key look-up (no doubles), the werkplaats' next seq by
``UPDATE … RETURNING`` (gap-free cursors for the walls), the INSERT, and an answer rendered
by Jinja with a fresh CSRF token and client key. Every statement is built once and run as
SQLAlchemy Core; there is no ORM, no WTForms form, no rate limit and no translation.

``tests/bench/bench_phone_paths.py`` measures it beside noviwerk's post and the bare INSERT
(``bare_app.py``), to show how close to the bare baseline a post with these guarantees can
come at all. Same SQLite pragmas and BEGIN IMMEDIATE as noviwerk and the bare app.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, abort, render_template_string, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf

from tests.bench.engines import engine_from_environment

engine = engine_from_environment()  # SQLite in bench_phone_paths

meta = sa.MetaData()
werkplaats = sa.Table(
    "floor_werkplaats",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("join_code", sa.String(16), unique=True),
    sa.Column("state", sa.String(16)),
    sa.Column("last_seq", sa.Integer, nullable=False, default=0),
)
participant = sa.Table(
    "floor_participant",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("werkplaats_id", sa.ForeignKey("floor_werkplaats.id")),
    sa.Column("token", sa.String(64), unique=True),
)
contribution = sa.Table(
    "floor_contribution",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("werkplaats_id", sa.ForeignKey("floor_werkplaats.id")),
    sa.Column("participant_id", sa.ForeignKey("floor_participant.id")),
    sa.Column("seq", sa.Integer),
    sa.Column("client_key", sa.String(64)),
    sa.Column("text", sa.Text),
    sa.Column("created_at", sa.DateTime),
    sa.UniqueConstraint("werkplaats_id", "seq"),
    sa.UniqueConstraint("participant_id", "client_key"),
)
meta.create_all(engine)
CODE = "FLOOR123"
with engine.begin() as conn:
    if conn.execute(sa.select(werkplaats.c.id)).first() is None:
        conn.execute(werkplaats.insert().values(join_code=CODE, state="open", last_seq=0))
engine.dispose()

FIND = (
    sa.select(werkplaats.c.id, werkplaats.c.state, participant.c.id)
    .join(participant, participant.c.werkplaats_id == werkplaats.c.id)
    .where(werkplaats.c.join_code == sa.bindparam("code"))
    .where(participant.c.token == sa.bindparam("token"))
)
BY_KEY = sa.select(contribution.c.id).where(
    contribution.c.participant_id == sa.bindparam("p"),
    contribution.c.client_key == sa.bindparam("k"),
)
TAKE_SEQ = (
    sa.update(werkplaats)
    .where(werkplaats.c.id == sa.bindparam("w"), werkplaats.c.state == "open")
    .values(last_seq=werkplaats.c.last_seq + 1)
    .returning(werkplaats.c.last_seq)
)
INSERT = contribution.insert().returning(contribution.c.id)

ANSWER = """<form id="post-form" method="post" action="/w/{{ code }}/bijdragen">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<input type="hidden" name="client_key" value="{{ key }}">
<label for="text">Jouw bijdrage</label><textarea id="text" name="text" rows="4"></textarea>
<button type="submit">Versturen</button><p class="post-status">Ontvangen. Dank je wel!</p>
</form>
<ol hx-swap-oob="afterbegin:#own-items"><li id="own-{{ cid }}"><p>{{ text }}</p></li></ol>"""

app = Flask(__name__)
app.config.update(SECRET_KEY="floor", SESSION_REFRESH_EACH_REQUEST=False)
CSRFProtect(app)


@app.get("/join")
def join():
    """A phone joins: a participant token in its session; the answer carries a CSRF token."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        wid = conn.execute(sa.select(werkplaats.c.id).where(werkplaats.c.join_code == CODE))
        conn.execute(participant.insert().values(werkplaats_id=wid.scalar_one(), token=token))
    session["deelnemer"] = {"w": token}
    return generate_csrf()


@app.post("/w/<code>/bijdragen")
def post(code: str):
    token = (session.get("deelnemer") or {}).get("w")
    text = (request.form.get("text") or "").strip()
    key = request.form.get("client_key") or None
    if not token or not text or len(text) > 500:
        abort(422)
    with engine.begin() as conn:
        found = conn.execute(FIND, {"code": code, "token": token}).first()
        if found is None or found.state != "open":
            abort(404)
        wid, pid = found[0], found[2]
        cid = conn.execute(BY_KEY, {"p": pid, "k": key}).scalar() if key else None
        if cid is None:
            seq = conn.execute(TAKE_SEQ, {"w": wid}).scalar_one()
            cid = conn.execute(
                INSERT,
                {
                    "werkplaats_id": wid,
                    "participant_id": pid,
                    "seq": seq,
                    "client_key": key,
                    "text": text,
                    "created_at": datetime.now(UTC).replace(tzinfo=None),
                },
            ).scalar_one()
    return render_template_string(ANSWER, code=code, key=uuid.uuid4().hex, cid=cid, text=text)
