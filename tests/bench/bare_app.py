"""The bare baseline: the least a Flask app does per post, served like noviwerk.

One POST inserts one row into the same kind of database (same SQLite pragmas and
BEGIN IMMEDIATE, or PostgreSQL through psycopg with a pool sized like noviwerk's) and
answers a few bytes: no session, no CSRF, no rate limit, no template. noviwerk's post
throughput is reported as a ratio to this.

    DATABASE_URL=... gunicorn -c gunicorn.conf.py tests.bench.bare_app:app
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request

from tests.bench.engines import engine_from_environment

engine = engine_from_environment()

meta = sa.MetaData()
post_table = sa.Table(
    "bare_post",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("client_key", sa.String(64)),
    sa.Column("text", sa.Text),
    sa.Column("created_at", sa.DateTime),
)
meta.create_all(engine)
engine.dispose()  # the app may be preloaded: no connection crosses fork()

app = Flask(__name__)


@app.get("/")
def index():
    return "ok"


@app.post("/post")
def post():
    with engine.begin() as conn:
        conn.execute(
            post_table.insert().values(
                client_key=request.form.get("client_key", ""),
                text=request.form.get("text", ""),
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
    return "Ontvangen"
