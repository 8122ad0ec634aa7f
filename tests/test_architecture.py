"""The shape that keeps noviwerk easy to change: pure core, schema only from migrations."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "noviwerk"
FORBIDDEN = (
    "flask",
    "flask_",
    "sqlalchemy",
    "jinja2",
    "werkzeug",
    "noviwerk.models",
    "noviwerk.services",
    "noviwerk.web",
    "noviwerk.extensions",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = ".".join(
                    path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                )
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module or "")
    return names


PURE = (
    [PACKAGE / "domain.py", PACKAGE / "enum_texts.py"]
    + sorted((PACKAGE / "synthesis").glob("**/*.py"))
    + sorted((PACKAGE / "export").glob("**/*.py"))
)


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_modules_import_no_framework(path):
    bad = {
        name
        for name in _imports(path)
        if any(
            name == f
            or name.startswith(f if f.endswith("_") else f + ".")
            or (f.endswith("_") and name.startswith(f))
            for f in FORBIDDEN
        )
    }
    # jinja2 is allowed in export only for rendering document templates, never Flask's.
    if "export" in path.parts:
        bad.discard("jinja2")
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_only_htmx_module_reads_hx_headers():
    offenders = [
        p.name
        for p in (PACKAGE / "web").glob("*.py")
        if p.name != "htmx.py" and ("HX-" in p.read_text())
    ]
    assert offenders == []


def test_migrations_match_models(app):
    """`flask db upgrade` on an empty database gives exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from noviwerk.extensions import db

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
