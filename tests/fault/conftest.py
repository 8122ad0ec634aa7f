"""Fault tests: real gunicorn servers on 127.0.0.1, phones and walls over HTTP, and faults
injected while they work (a worker killed, the server restarted, PostgreSQL stopped).

They run on the database the suite runs on: SQLite in the plain run, PostgreSQL when
NOVIWERK_TEST_DATABASE_URL is set (``make test-postgres``). The PostgreSQL ones start a
throwaway cluster of their own (initdb/pg_ctl), so stopping it cannot disturb the suite's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.bench.harness import PgCluster, Room, prepare_room

BACKEND = "postgres" if os.environ.get("NOVIWERK_TEST_DATABASE_URL") else "sqlite"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fault: starts gunicorn (and PostgreSQL) and injects faults while phones post"
    )


@pytest.fixture(scope="session")
def pg_cluster():
    if BACKEND != "postgres":
        yield None
        return
    cluster = PgCluster().init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def room_template(pg_cluster, tmp_path_factory) -> Room:
    """The schema and the demo world, built once (flask db upgrade + flask seed-demo)."""
    base = tmp_path_factory.mktemp("fault-template")
    if pg_cluster is not None:
        pg_cluster.execute("CREATE DATABASE fault_template")
        room = prepare_room(pg_cluster.url("fault_template"), base / "instance")
        return room
    return prepare_room(f"sqlite:///{base / 'template.sqlite'}", base / "instance")


@pytest.fixture
def room(room_template, pg_cluster, tmp_path, request) -> Room:
    """A fresh copy of the demo database for one test."""
    instance = tmp_path / "instance"
    shutil.copytree(room_template.instance, instance)
    if pg_cluster is not None:
        name = "fault_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
        pg_cluster.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg_cluster.execute(f'CREATE DATABASE "{name}" TEMPLATE fault_template')
        url = pg_cluster.url(name)
    else:
        src = Path(room_template.database_url.removeprefix("sqlite:///"))
        dst = tmp_path / "noviwerk.sqlite"
        shutil.copy(src, dst)
        url = f"sqlite:///{dst}"
    return Room(url, instance, room_template.werkplaats_id, room_template.code)
