"""What the app keeps on disk is its own user's alone: the instance directory and the export
cache 0700, the SQLite database (with its -wal and -shm), the secret key and every cached
export 0600. Also where an older install left them readable by others."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fresh_instance(tmp_path, monkeypatch) -> Path:
    """An instance directory as a first start finds it: nothing set in the environment."""
    instance = tmp_path / "instance"
    monkeypatch.setenv("NOVIWERK_INSTANCE_PATH", str(instance))
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "NOVIWERK_DATABASE_URL",
        "NOVIWERK_EXPORT_CACHE_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    old = os.umask(0o022)  # the usual umask, whatever the test runner has
    yield instance
    os.umask(old)


def _start(instance: Path) -> tuple[object, dict[str, int]]:
    """Start the app as ``flask db upgrade`` does, write to the database and keep an export;
    the modes of the database's files while it is open (the -wal and -shm go at close)."""
    from flask_migrate import upgrade

    from noviwerk import create_app
    from noviwerk.export.cache import store
    from noviwerk.extensions import db
    from noviwerk.services import export_jobs

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO theme (programme_id, name) SELECT 1, 'x' WHERE 0")
            names = ("noviwerk.sqlite", "noviwerk.sqlite-wal", "noviwerk.sqlite-shm")
            open_modes = {name: mode(instance / name) for name in names}
        store(export_jobs.settings().cache_dir, "abc", "pdf", b"%PDF-")
        db.engine.dispose()
    return app, open_modes


def test_a_first_start_makes_everything_private(fresh_instance):
    _app, open_modes = _start(fresh_instance)
    assert mode(fresh_instance) == 0o700
    assert mode(fresh_instance / "secret_key") == 0o600
    assert open_modes == dict.fromkeys(open_modes, 0o600)
    assert mode(fresh_instance / "exports") == 0o700
    assert mode(fresh_instance / "exports" / "abc.pdf") == 0o600


def test_a_start_takes_back_what_an_older_install_left_open(fresh_instance):
    fresh_instance.mkdir(mode=0o755)
    fresh_instance.chmod(0o755)
    (fresh_instance / "secret_key").write_text("an old key")
    (fresh_instance / "noviwerk.sqlite").write_bytes(b"")
    (fresh_instance / "exports").mkdir()
    for path in (fresh_instance / "secret_key", fresh_instance / "noviwerk.sqlite"):
        path.chmod(0o644)
    (fresh_instance / "exports").chmod(0o755)

    app, _open_modes = _start(fresh_instance)
    assert app.config["SECRET_KEY"] == "an old key"  # kept, only its permissions changed
    assert mode(fresh_instance) == 0o700
    assert mode(fresh_instance / "secret_key") == 0o600
    assert mode(fresh_instance / "noviwerk.sqlite") == 0o600
    assert mode(fresh_instance / "exports") == 0o700
