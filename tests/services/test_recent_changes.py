"""The phones' shared copy of recent changes (services/recent_changes.py): read from the
database once per change, each poll's slice taken from memory."""

from __future__ import annotations

from noviwerk.services import participation, recent_changes
from tests.conftest import fresh, statements


def _statements(fn) -> tuple[int, object]:
    """(reads of the contribution table while ``fn`` runs, its result)."""
    return statements(fn, match="FROM contribution")


def _post(w, n: int, prefix: str) -> None:
    for i in range(n):
        p = participation.join(w, display_name=f"{prefix}{i}")
        participation.post_contribution(p, w.rounds[0].id, f"Punt {prefix} {i}", client_key=f"{prefix}{i}")


def test_phones_that_loaded_before_the_first_poll_are_answered_from_memory(world):
    _fac, w = world.live()
    _post(w, 3, "a")  # phones loaded their page at seq 0; then three posts came
    fresh()
    first, rows = _statements(lambda: recent_changes.after(w.id, w.last_seq, 0, 100))
    assert [r.seq for r in rows] == [1, 2, 3] and first == 1
    # Every other phone, whatever older cursor it holds, from memory: no statement.
    for cursor in (0, 1, 2):
        n, rows = _statements(lambda c=cursor: recent_changes.after(w.id, w.last_seq, c, 100))
        assert n == 0 and [r.seq for r in rows] == list(range(cursor + 1, 4))
    # A new change is read once, by the first poll that sees the werkplaats past it.
    _post(w, 2, "b")
    fresh()
    n, rows = _statements(lambda: recent_changes.after(w.id, w.last_seq, 0, 100))
    assert n == 1 and [r.seq for r in rows] == [1, 2, 3, 4, 5]
    n, rows = _statements(lambda: recent_changes.after(w.id, w.last_seq, 4, 100))
    assert n == 0 and [r.seq for r in rows] == [5]
