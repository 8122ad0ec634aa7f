"""The shape that keeps noviwerk easy to change, read from the code itself (STYLE.md's picture):

    web ──► forms ──► domain
     └────► services ──► models ──► extensions
               ├──────► synthesis ──► domain
               └──────► export ─────► synthesis (its Document)
    cli ───► services            __init__ (wiring) ──► everything

An arrow means "may import", and what it reaches further down too. Beside the picture:
``domain`` is everyone's vocabulary; ``display`` (the UI's words for domain values) serves
forms, services and web; ``database`` (the write transaction) sits with extensions, and so
does ``serving`` (the server's threads, which a request that waits hands its turn). And the
schema comes only from the migrations.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "noviwerk"
MODULES = sorted(PACKAGE.glob("**/*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_name(p) for p in MODULES}


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, relative ones resolved;
    ``from package import module`` counts as importing that module."""
    tree = ast.parse(source if source is not None else path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            submodules = {f"{module}.{a.name}" for a in node.names} & NAMES
            names.update(submodules or {module})
    return names


def _layer(module: str) -> str:
    """noviwerk.services.imports.targets → services; the package itself is the wiring."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


# Which of noviwerk's layers each layer may import: the picture's arrows followed downwards.
# The domain's vocabulary: the enums and records, their Dutch texts, and the NOVI's tag set.
DOMAIN = {"domain", "enum_texts", "tags", "text_rules"}
PURE = {"domain": DOMAIN, "enum_texts": DOMAIN, "tags": DOMAIN, "text_rules": DOMAIN, "synthesis": {"synthesis"} | DOMAIN}
PURE["export"] = {"export"} | PURE["synthesis"]
MAY_IMPORT = {
    **PURE,
    "display": {"display"} | PURE["synthesis"],  # layout names shown as a person reads them
    "config": {"config"},
    "extensions": {"extensions"},
    "serving": {"serving"},
    "database": {"database", "extensions", "serving"},
    "models": {"models", "extensions"} | DOMAIN,
    "forms": {"forms", "display"} | DOMAIN,
}
MAY_IMPORT["services"] = (
    {"services", "display"} | MAY_IMPORT["database"] | MAY_IMPORT["models"] | PURE["export"]
)
MAY_IMPORT["web"] = {"web", "forms", "display"} | MAY_IMPORT["services"]
MAY_IMPORT["cli"] = {"cli"} | MAY_IMPORT["services"]
MAY_IMPORT["__init__"] = {_layer(n) for n in NAMES}


def _ids(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", MODULES, ids=_ids)
def test_each_module_imports_only_downwards(path):
    layer = _layer(_name(path))
    assert layer in MAY_IMPORT, f"{layer} is not in the picture: place it in MAY_IMPORT"
    # "import noviwerk" (for the package's file) is no dependency: every import runs it.
    upward = sorted(
        module
        for module in _imports(path)
        if module.startswith("noviwerk.") and _layer(module) not in MAY_IMPORT[layer]
    )
    assert not upward, f"{layer} may not import {upward}"


# --- domain, synthesis and export stay pure ------------------------------------------------

FRAMEWORKS = ("flask", "flask_*", "sqlalchemy", "werkzeug", "jinja2", "markupsafe", "wtforms")
# export prints its PDFs from HTML templates of its own: it may use Jinja (and markupsafe,
# Jinja's Markup) through an Environment of its own, never Flask's templates or app.
EXPORT_MAY_USE = {"jinja2", "markupsafe"}


def _frameworks(imports: set[str]) -> set[str]:
    return {
        name
        for name in imports
        for f in FRAMEWORKS
        if (name.startswith(f[:-1]) if f.endswith("*") else name.split(".")[0] == f)
    }


PURE_MODULES = [p for p in MODULES if _layer(_name(p)) in PURE]


@pytest.mark.parametrize("path", PURE_MODULES, ids=_ids)
def test_pure_modules_import_no_framework(path):
    bad = {name.split(".")[0] for name in _frameworks(_imports(path))}
    if _layer(_name(path)) == "export":
        bad -= EXPORT_MAY_USE
    assert not bad, f"{_ids(path)} imports {sorted(bad)}"


# --- services: no web, no Flask app ---------------------------------------------------------


def _current_app_uses(source: str) -> list[int]:
    """Lines that reach Flask's ``current_app``: imported by name or read as an attribute."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask"):
            lines += [node.lineno for a in node.names if a.name == "current_app"]
        elif isinstance(node, ast.Attribute) and node.attr == "current_app":
            lines.append(node.lineno)
    return lines


SERVICES = sorted((PACKAGE / "services").glob("**/*.py"))


@pytest.mark.parametrize("path", SERVICES, ids=_ids)
def test_services_take_no_flask_app(path):
    """Settings come in as arguments or from the service's own module, so a service runs the
    same from a view, the CLI, a worker or a test; and no service knows the web layer."""
    lines = _current_app_uses(path.read_text())
    assert not lines, f"{_ids(path)} uses current_app on line(s) {lines}"
    web = sorted(m for m in _imports(path) if _layer(m) == "web")
    assert not web, f"{_ids(path)} imports {web}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected part of ``graph`` with more than one module (or a
    module importing itself), each as the path round it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    parts: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1 or node in graph.get(node, ()):
                parts.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)

    cycles = []
    for part in parts:  # a path round: follow edges inside the part back to its first module
        start, path, seen = part[0], [part[0]], {part[0]}
        while True:
            nxt = sorted(n for n in graph[path[-1]] if n in part)
            step = start if start in nxt else next(n for n in nxt if n not in seen)
            path.append(step)
            if step == start:
                break
            seen.add(step)
        cycles.append(path)
    return cycles


def test_no_import_cycle_between_services():
    """Counting imports inside functions too: a late import hides a cycle, it does not end it."""
    graph = {
        _name(p): {m for m in _imports(p) if _layer(m) == "services" and m in NAMES}
        for p in SERVICES
    }
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


# --- views never write ----------------------------------------------------------------------

SESSION_WRITES = {
    "add", "add_all", "delete", "commit", "flush", "merge", "begin", "begin_nested",
    "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings",
}  # fmt: skip
SQL_WRITES = {"insert", "update", "delete"}
WRITE_SQL = re.compile(r"^\s*(insert|update|delete|merge|truncate|drop|alter|create)\b", re.I)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return node.id if isinstance(node, ast.Name) else "?"


def _writes(source: str) -> list[str]:
    """Database writes in a module: session writes, INSERT/UPDATE/DELETE statements built with
    SQLAlchemy or written out, and the services' write transaction."""
    tree = ast.parse(source)
    sessions = {"session"} | {  # names bound to a session: ``s = db.session``
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _dotted(node.value).endswith("session")
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "write_transaction":
            found.append(f"line {node.lineno}: write_transaction")
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        receiver, _, verb = name.rpartition(".")
        last = receiver.rpartition(".")[2]
        if verb in SESSION_WRITES and (last in sessions or last.endswith("engine")):
            found.append(f"line {node.lineno}: {name}()")
        elif (verb or name) in SQL_WRITES and receiver in ("", "sa", "sqlalchemy"):
            found.append(f"line {node.lineno}: {name}()")
        elif verb in ("text", "exec_driver_sql") and node.args:
            sql = node.args[0]
            if isinstance(sql, ast.Constant) and WRITE_SQL.match(str(sql.value)):
                found.append(f"line {node.lineno}: {sql.value!r}")
        elif verb in ("delete", "update") and ".query" in receiver:
            found.append(f"line {node.lineno}: {name}()")
    return found


WEB = sorted((PACKAGE / "web").glob("**/*.py"))


@pytest.mark.parametrize("path", WEB, ids=_ids)
def test_views_never_write_to_the_database(path):
    """Every write goes through a service, which owns its transaction and commit."""
    writes = _writes(path.read_text())
    assert not writes, f"{_ids(path)} writes to the database itself: {writes}"


# --- htmx -----------------------------------------------------------------------------------

HX_HEADER = re.compile(r"^hx-|^http_hx_", re.I)  # as sent, or as WSGI's environ names it


def _hx_headers(source: str) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and HX_HEADER.match(node.value)
    ]


def test_only_htmx_module_knows_hx_headers():
    """Header names are case-insensitive, so ``hx-request`` and ``Hx-Target`` count too."""
    offenders = {
        _ids(p): found
        for p in MODULES
        if p != PACKAGE / "web" / "htmx.py" and (found := _hx_headers(p.read_text()))
    }
    assert offenders == {}


# --- the checks above catch what they look for ------------------------------------------------


@pytest.mark.parametrize(
    ("check", "source"),
    [
        (_current_app_uses, "from flask import current_app"),
        (_current_app_uses, "import flask\nflask.current_app.config"),
        (_writes, "from ..extensions import db\ndb.session.add(x)\n"),
        (_writes, "s = db.session\ns.commit()\n"),
        (_writes, "db.session.execute(sa.update(Round).values(kind='x'))"),
        (_writes, "db.session.execute(db.text('DELETE FROM round'))"),
        (_writes, "@write_transaction\ndef f(): pass\n"),
        (_hx_headers, "request.headers.get('hx-request')"),
        (_hx_headers, "request.headers['Hx-Target']"),
        (_hx_headers, "request.environ.get('HTTP_HX_REQUEST')"),
    ],
)
def test_each_check_finds_its_offence(check, source):
    assert check(source)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("models/x.py", "from ..services import rounds"),
        ("services/x.py", "def f():\n    from ..web.htmx import is_htmx\n"),
        ("export/x.py", "from noviwerk.models import Round"),
        ("domain.py", "from .synthesis import document"),
    ],
)
def test_an_upward_import_is_seen(module, source):
    layer = _layer(_name(PACKAGE / module))
    assert any(_layer(m) not in MAY_IMPORT[layer] for m in _imports(PACKAGE / module, source))


def test_reads_are_no_writes():
    assert not _writes("db.session.execute(db.text('SELECT 1'))\ndb.session.scalar(q)\n")


def test_cycles_are_found_through_late_imports():
    a = PACKAGE / "services" / "a.py"
    graph = {
        "a": {m.rpartition(".")[2] for m in _imports(a, "def f():\n    from .b import g\n")},
        "b": {"c"},
        "c": {"a"},
        "d": {"a"},
    }
    assert _cycles(graph) == [["a", "b", "c", "a"]]


# --- the schema -----------------------------------------------------------------------------


def test_migrations_match_models(app):
    """`flask db upgrade` on an empty database gives exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from noviwerk.extensions import db

    # As `flask db migrate` compares: without the full-text engines' own tables and indexes.
    opts = {"include_name": app.extensions["migrate"].configure_args["include_name"]}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
