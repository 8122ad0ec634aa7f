"""flask commands: create-user, seed-demo, import-programme, import-werkplaatsen, export,
export-ansichtkaarten, export-bouwstenen, avg-opschonen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app

_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


def _print_import(report) -> None:
    """Counts and notes to stdout, errors to stderr."""
    for line in report.summary():
        click.echo(line)
    if report.notes:
        click.echo(f"Opmerkingen ({len(report.notes)}):")
        for issue in report.notes:
            click.echo(f"  {issue}")
    if report.errors:
        click.echo(f"Fouten ({len(report.errors)}):", err=True)
        for issue in report.errors:
            click.echo(f"  {issue}", err=True)


def _run_import(importer: Callable, file: Path, programme: str, skip_invalid: bool) -> None:
    report = importer(
        file.read_bytes(),
        source=file.name,
        programme_name=programme,
        skip_invalid=skip_invalid,
        max_rows=current_app.config["NOVIWERK_IMPORT_MAX_ROWS"],
    )
    _print_import(report)
    if not report.imported:
        if report.errors and not skip_invalid and not report.unreadable:
            raise click.ClickException(
                "Niets geïmporteerd: het bestand bevat fouten (zie hierboven). Verbeter ze, of "
                "gebruik --skip-invalid om alleen de goede records te importeren."
            )
        raise click.ClickException("Niets geïmporteerd.")


# The folder option of the batch export commands.
_output_dir = click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    required=True,
    help="Map voor de bestanden (wordt zo nodig aangemaakt).",
)


def _programme(ref: str):
    """A programme by id or exact name, or a Dutch error for the command line."""
    from .services import programmes
    from .services.errors import ServiceError

    if ref.isdecimal():
        try:
            return programmes.get_programme(int(ref))
        except ServiceError as e:
            raise click.ClickException(f"Programma {ref} bestaat niet.") from e
    found = next((p for p in programmes.list_programmes() if p.name == ref), None)
    if found is None:
        raise click.ClickException(f"Programma '{ref}' bestaat niet.")
    return found


def _write_files(output: Path, files: list[tuple[str, bytes]]) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, body in files:
            (output / name).write_bytes(body)
            click.echo(output / name)
    except OSError as e:
        raise click.ClickException(f"Kan niet schrijven in {output}: {e.strerror}") from e


def register(app: Flask) -> None:
    from .services.imports import DEMO_PROGRAMME

    @app.cli.command("create-user")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True)
    @click.option(
        "--role", type=click.Choice(["beheerder", "facilitator", "trekker"]), default="facilitator"
    )
    @click.password_option()
    def create_user(email: str, name: str, role: str, password: str) -> None:
        """Create a user account (there is no open registration)."""
        from .services import accounts
        from .services.errors import Invalid

        try:
            user = accounts.create_user(email, name, password, role)
        except Invalid as e:
            raise click.ClickException(e.message) from e
        click.echo(f"Account aangemaakt: {user.email} ({user.role.value})")

    @app.cli.command("import-programme")
    @click.argument("file", type=_FILE)
    @click.option("--programme", default=DEMO_PROGRAMME, show_default=True, help="Programmanaam.")
    @click.option("--skip-invalid", is_flag=True, help="Importeer de goede rijen, sla foute over.")
    def import_programme(file: Path, programme: str, skip_invalid: bool) -> None:
        """Import a programme table (CSV or XLSX: nr,titel,datum,soort,bouwsteen,hoofdonderwerp,
        organisatie). A file with errors imports nothing, unless --skip-invalid."""
        from .services import imports

        _run_import(imports.import_programme, file, programme, skip_invalid)

    @app.cli.command("import-werkplaatsen")
    @click.argument("file", type=_FILE)
    @click.option("--programme", default=DEMO_PROGRAMME, show_default=True, help="Programmanaam.")
    @click.option("--skip-invalid", is_flag=True, help="Importeer de goede, sla foute over.")
    def import_werkplaatsen(file: Path, programme: str, skip_invalid: bool) -> None:
        """Import werkplaatsen with contributions (JSON: {"werkplaatsen": [...]}). Importing the
        same file again adds nothing."""
        from .services import imports

        _run_import(imports.import_werkplaatsen, file, programme, skip_invalid)

    @app.cli.command("export")
    @click.argument("werkplaats_id", type=int)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["md", "csv", "json"]),
        required=True,
        help="Markdown, CSV of JSON.",
    )
    @click.option(
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Schrijf naar dit bestand in plaats van naar stdout.",
    )
    def export(werkplaats_id: int, fmt: str, output: Path | None) -> None:
        """Export the visible contributions of one werkplaats."""
        from .services import contributions, werkplaatsen
        from .services.errors import ServiceError

        try:
            werkplaats = werkplaatsen.get_werkplaats(werkplaats_id)
        except ServiceError as e:
            raise click.ClickException(f"Werkplaats {werkplaats_id} bestaat niet.") from e
        body, _mimetype, filename = contributions.export_werkplaats(werkplaats, fmt)
        if output is None:
            # The byte order mark helps Excel open a CSV file, not a terminal or a pipe.
            click.echo(body.removeprefix("\ufeff"), nl=False)
            return
        try:
            output.write_bytes(body.encode("utf-8"))
        except OSError as e:
            raise click.ClickException(f"Kan {output} niet schrijven: {e.strerror}") from e
        click.echo(f"Geschreven: {output} (voorgestelde naam: {filename})", err=True)

    @app.cli.command("seed-demo")
    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="NOVIWERK_DEMO_DATA",
        show_envvar=True,
        help="Map met werkplaatsen-2015-2016.csv en sample-werkplaatsen.json "
        "(standaard: shared/data naast de repository).",
    )
    def seed_demo(data_dir: Path | None) -> None:
        """Fill the database with the NOVI 2015–2016 demo (safe to run again)."""
        from .domain import format_join_code
        from .services import demo
        from .services.errors import ServiceError

        try:
            result = demo.seed_demo(data_dir)
        except ServiceError as e:
            raise click.ClickException(e.message) from e
        made = " (aangemaakt)" if result.programme_created else " (bestond al)"
        click.echo(f"Programma: {result.programme}{made}")
        for report in result.imports:
            for line in report.summary():
                click.echo(f"  {line}")
            for issue in report.notes:
                click.echo(f"    {issue}")
        for email, _name, role in demo.DEMO_USERS:
            status = "aangemaakt" if email in result.users_created else "bestond al"
            click.echo(f"Account {role.value}: {email} / {demo.DEMO_PASSWORD} ({status})")
        if result.users_created and result.other_users:
            click.echo(
                "Let op: deze database heeft ook andere accounts. De demo-accounts hebben een "
                "openbaar wachtwoord; gebruik seed-demo alleen voor een demo-omgeving.",
                err=True,
            )
        state = "open" + (f", ronde {result.open_round} open" if result.open_round else "")
        named = f"'{demo.DEMO_WERKPLAATS}' (id {result.werkplaats_id})"
        click.echo(f"Demowerkplaats {named}: {state}.")
        click.echo(f"Code om mee te doen: {format_join_code(result.join_code)}")

    @app.cli.command("export-ansichtkaarten")
    @click.argument("programme")
    @_output_dir
    @click.option(
        "--format",
        "formats",
        type=click.Choice(["galerij", "printvel", "png", "pdf", "svg"]),
        multiple=True,
        help="Wat te schrijven (vaker te geven); standaard galerij, printvel en png.",
    )
    def export_ansichtkaarten(programme: str, output: Path, formats: tuple[str, ...]) -> None:
        """Write a programme's ansichtkaarten (PROGRAMME: id or name) into a folder: all in
        one PDF (galerij), four per A4 (printvel), and per ansichtkaart a PNG with its text
        alternative as .txt (png), or a PDF or SVG per ansichtkaart (pdf, svg)."""
        from .services import ansichtkaart

        formats = formats or ("galerij", "printvel", "png")
        found = _programme(programme)
        # The command line reads every card (reader None): it runs on the server itself.
        cards = ansichtkaart.programme_ansichtkaarten(found, reader=None)
        made = [v for _w, v in cards if v is not None]
        if not made:
            raise click.ClickException(f"Programma '{found.name}' heeft nog geen ansichtkaarten.")
        files: list[tuple[str, bytes]] = []
        for kind, fmt in (("galerij", "pdf"), ("printvel", "printvel")):
            if kind in formats:
                body, _mimetype, name = ansichtkaart.gallery_export(found, fmt, reader=None)
                files.append((name, body))
        for fmt in ("png", "pdf", "svg"):
            if fmt not in formats:
                continue
            for version in made:
                body, _mimetype, name = ansichtkaart.export(version.ansichtkaart, fmt, version)
                files.append((name, body))
                if fmt == "png":  # a picture is never handed out without its words
                    text, _mimetype, text_name = ansichtkaart.export(
                        version.ansichtkaart, "txt", version
                    )
                    files.append((text_name, text))
        _write_files(output, files)
        click.echo(
            f"{len(made)} ansichtkaarten van '{found.name}', {len(files)} bestanden.", err=True
        )

    @app.cli.command("export-bouwstenen")
    @click.argument("programme")
    @_output_dir
    @click.option(
        "--format",
        "formats",
        type=click.Choice(["docx", "pdf", "md", "json", "csv"]),
        multiple=True,
        help="Welke formaten (vaker te geven); standaard alle vijf.",
    )
    @click.option(
        "--werkplaats",
        "werkplaats_ids",
        type=int,
        multiple=True,
        help="Alleen deze werkplaats(en), op id.",
    )
    def export_bouwstenen(programme, output, formats, werkplaats_ids) -> None:
        """Write the current bouwsteen of every werkplaats in PROGRAMME (id or name) that has
        contributions, in each format. A werkplaats without a bouwsteen yet gets its draft
        generated first (version 1), as the button "Conceptbouwsteen maken" would."""
        from .services import bouwsteen as svc
        from .services import export_jobs
        from .services.contributions import contribution_records

        found = _programme(programme)
        formats = formats or ("docx", "pdf", "md", "json", "csv")
        files: list[tuple[str, bytes]] = []
        count = 0
        for werkplaats in found.werkplaatsen:
            if werkplaats_ids and werkplaats.id not in werkplaats_ids:
                continue
            if not contribution_records(werkplaats):
                continue
            # A draft made here is not printed ahead (no print_ahead): this process prints
            # what it is asked for and leaves, instead of waiting at exit for unasked prints.
            bouwsteen = svc.find(werkplaats) or svc.open_draft(werkplaats, None)
            count += 1
            for fmt in formats:
                body, _mimetype, name = svc.export(bouwsteen, fmt, options=export_jobs.settings())
                files.append((name, body.encode() if isinstance(body, str) else body))
        if not files:
            raise click.ClickException(f"Programma '{found.name}' heeft nog geen bijdragen.")
        _write_files(output, files)
        click.echo(f"{count} bouwstenen van '{found.name}', {len(files)} bestanden.", err=True)

    @app.cli.command("avg-opschonen")
    def avg_opschonen() -> None:
        """Remove the names, organisations and phone links of participants whose programme's
        retention period has ended (AVG); their contributions stay, without them. The audit
        log's IP addresses go after ``audit.IP_RETENTION_DAYS``. A served app does this daily
        by itself."""
        from .services import audit, avg

        count = avg.clean_up()
        click.echo(f"Gegevens van {count} deelnemers verwijderd (bewaartermijn verstreken).")
        addresses = audit.forget_addresses()
        click.echo(
            f"IP-adres verwijderd uit {addresses} regels van het logboek "
            f"(ouder dan {audit.IP_RETENTION_DAYS} dagen)."
        )
