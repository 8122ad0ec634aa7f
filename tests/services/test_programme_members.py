"""A programme's members through the services: one function changes them and checks who may,
and the migration gives existing programmes their members."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from noviwerk.domain import ProgrammeRole
from noviwerk.services import programmes
from noviwerk.services.errors import Forbidden, Invalid
from tests.conftest import _base_config, fresh


def _members(programme) -> list[tuple[int, str]]:
    fresh()
    return sorted((m.user_id, m.role.value) for m in programme.members)


def test_only_a_beheerder_or_eigenaar_changes_members(world):
    owner = world.user("eigen@example.test")
    lid = world.user("lid@example.test")
    other = world.user("ander@example.test")
    prog = world.programme(owner=owner)
    programmes.change_member(prog, lid.id, ProgrammeRole.LID, by=owner)
    with pytest.raises(Forbidden):
        programmes.change_member(prog, other.id, ProgrammeRole.EIGENAAR, by=lid)
    with pytest.raises(Forbidden):
        programmes.change_member(prog, lid.id, ProgrammeRole.EIGENAAR, by=other)
    assert _members(prog) == [(owner.id, "eigenaar"), (lid.id, "lid")]


def test_the_last_eigenaar_stays_unless_a_beheerder_says_otherwise(world):
    owner = world.user("eigen@example.test")
    beheerder = world.user("beheer@example.test", role="beheerder")
    prog = world.programme(owner=owner)
    for role in (None, ProgrammeRole.LID):
        with pytest.raises(Invalid, match="minstens één eigenaar"):
            programmes.change_member(prog, owner.id, role, by=owner)
    assert _members(prog) == [(owner.id, "eigenaar")]
    programmes.change_member(prog, owner.id, None, by=beheerder)
    assert _members(prog) == []


def test_staff_become_leden_and_an_eigenaar_stays_eigenaar(world):
    owner = world.user("eigen@example.test")
    trekker = world.user("trek@example.test", role="trekker")
    prog = world.programme(owner=owner)
    world.werkplaats(prog, facilitators=[owner], trekkers=[trekker])
    assert _members(prog) == [(owner.id, "eigenaar"), (trekker.id, "lid")]


def test_the_migration_makes_the_staff_of_a_programmes_werkplaatsen_its_leden(
    _instance_dir, tmp_path
):
    """Programmes from before had no recorded maker: no eigenaar (a beheerder names them),
    and everyone who works in one of its werkplaatsen becomes a lid."""
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.extensions import db

    app = create_app(_base_config(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with app.app_context():
        upgrade(revision="0006")
        rows = [
            "INSERT INTO user (id, email, name, password_hash, role, is_active_account, "
            "session_token, created_at) VALUES "
            "(1, 'a@x.test', 'A', '-', 'facilitator', 1, 't1', '2026-01-01'), "
            "(2, 'b@x.test', 'B', '-', 'trekker', 1, 't2', '2026-01-01'), "
            "(3, 'c@x.test', 'C', '-', 'facilitator', 1, 't3', '2026-01-01')",
            "INSERT INTO programme (id, name, description, created_at) VALUES "
            "(1, 'P1', '', '2026-01-01'), (2, 'P2', '', '2026-01-01')",
            "INSERT INTO werkplaats (id, programme_id, title, place, kind, organisation, "
            "trekker_name, history_note, state, last_seq, state_version, created_at) VALUES "
            "(1, 1, 'W1', '', 'inhoudelijk', '', '', '', 'gepland', 0, 0, '2026-01-01'), "
            "(2, 1, 'W2', '', 'inhoudelijk', '', '', '', 'gepland', 0, 0, '2026-01-01')",
            "INSERT INTO werkplaats_staff (werkplaats_id, user_id, role) VALUES "
            "(1, 1, 'facilitator'), (1, 2, 'trekker'), (2, 1, 'facilitator'), (2, 2, 'facilitator')",
        ]
        with db.engine.begin() as conn:
            for sql in rows:
                conn.execute(sa.text(sql))
        upgrade()
        with db.engine.connect() as conn:
            members = conn.execute(
                sa.text("SELECT programme_id, user_id, role FROM programme_member ORDER BY 1, 2")
            ).all()
        db.engine.dispose()
    assert [tuple(m) for m in members] == [(1, 1, "lid"), (1, 2, "lid")]
