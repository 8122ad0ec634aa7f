"""The demo world: the NOVI 2015–2016 programme, the sample werkplaatsen, demo accounts and
a werkplaats ready to try live, all made through the same importers a user has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import NOVI_THEMES, ProgrammeRole, Role, StaffRole, WerkplaatsState
from ..extensions import db
from ..models import Theme, User, Werkplaats, WerkplaatsStaff
from . import accounts, programmes, rounds, werkplaatsen
from .errors import Invalid, NotFound
from .imports import DEMO_PROGRAMME, ImportReport, import_programme, import_werkplaatsen
from .imports.targets import programme_named

DEMO_PASSWORD = "noviwerk-demo"  # noqa: S105 - published on purpose: demo accounts only
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("beheerder@noviwerk.test", "Demo beheerder", Role.BEHEERDER),
    ("facilitator@noviwerk.test", "Demo facilitator", Role.FACILITATOR),
    ("trekker@noviwerk.test", "Demo trekker", Role.TREKKER),
)
DEMO_SAMPLE_TITLES = ("Water verbindt", "Ruimte voor voedsel in 2040")
DEMO_WERKPLAATS = "Demo: proefwerkplaats"
DEMO_PROGRAMME_FILE = "werkplaatsen-2015-2016.csv"
DEMO_SAMPLE_FILE = "sample-werkplaatsen.json"


def default_demo_data_dir() -> Path:
    """``shared/data`` beside the repository: ``<repo>/../shared/data``."""
    import noviwerk

    return Path(noviwerk.__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class DemoReport:
    programme: str
    programme_created: bool
    imports: list[ImportReport]
    users_created: list[str]
    werkplaats_id: int
    werkplaats_created: bool
    join_code: str
    open_round: int | None
    other_users: int  # accounts besides the demo ones: then this is no demo database


def seed_demo(data_dir: Path | None = None) -> DemoReport:
    """Make the demo world, or complete it: running this twice changes nothing."""
    data_dir = Path(data_dir) if data_dir else default_demo_data_dir()
    files = {}
    for name in (DEMO_PROGRAMME_FILE, DEMO_SAMPLE_FILE):
        path = data_dir / name
        if not path.is_file():
            raise NotFound(_("Demobestand ontbreekt: %(p)s", p=str(path)))
        files[name] = path.read_bytes()
    return _seed(files)


def _failed(report: ImportReport) -> Invalid:
    first = "; ".join(str(e) for e in report.errors[:5])
    return Invalid(_("Import van %(s)s mislukt: %(e)s", s=report.source, e=first))


@write_transaction
def _seed(files: dict[str, bytes]) -> DemoReport:
    programme = programme_named(DEMO_PROGRAMME)
    created = programme is None
    if programme is None:
        programme = programmes.create_programme(DEMO_PROGRAMME, themes=NOVI_THEMES)
    else:
        for name in NOVI_THEMES:
            if programmes.find_theme(programme, name) is None:
                programme.themes.append(Theme(name=name))
        db.session.flush()
    reports = [
        import_programme(files[DEMO_PROGRAMME_FILE], source=DEMO_PROGRAMME_FILE),
        import_werkplaatsen(files[DEMO_SAMPLE_FILE], source=DEMO_SAMPLE_FILE),
    ]
    for report in reports:
        if not report.imported:
            raise _failed(report)

    users: dict[Role, User] = {}
    made: list[str] = []
    for email, name, role in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email, name, DEMO_PASSWORD, role)
            made.append(email)
        users[role] = user
    # The demo facilitator runs the demo programme: its eigenaar.
    programmes.change_member(programme, users[Role.FACILITATOR].id, ProgrammeRole.EIGENAAR, by=None)

    by_title = {w.title: w for w in programme.werkplaatsen}
    for title in DEMO_SAMPLE_TITLES:
        if title in by_title:
            _link(by_title[title], users[Role.FACILITATOR], StaffRole.FACILITATOR)
            _link(by_title[title], users[Role.TREKKER], StaffRole.TREKKER)

    demo = by_title.get(DEMO_WERKPLAATS)
    demo_created = demo is None
    if demo is None:
        theme = programmes.find_theme(programme, "Samen Werken")
        demo = werkplaatsen.save_werkplaats(
            programme,
            title=DEMO_WERKPLAATS,
            starts_at=datetime.combine(date.today(), time()),
            place="Den Haag",
            theme_id=theme.id if theme else None,
            facilitator_ids=[users[Role.FACILITATOR].id],
        )
        rounds.rounds_from_template(demo)
    else:
        _link(demo, users[Role.FACILITATOR], StaffRole.FACILITATOR)
    if demo.state != WerkplaatsState.OPEN:
        werkplaatsen.open_werkplaats(demo)
    if demo.open_round is None and demo.rounds:
        rounds.open_round(demo, min(demo.rounds, key=lambda r: r.position).id)
    db.session.flush()
    return DemoReport(
        programme=programme.name,
        programme_created=created,
        imports=reports,
        users_created=made,
        werkplaats_id=demo.id,
        werkplaats_created=demo_created,
        join_code=demo.join_code or "",
        open_round=demo.open_round.position if demo.open_round else None,
        other_users=db.session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.email.not_in([email for email, _name, _role in DEMO_USERS])
            )
        )
        or 0,
    )


def _link(werkplaats: Werkplaats, user: User, role: StaffRole) -> None:
    if not any(s.user_id == user.id and s.role == role for s in werkplaats.staff):
        werkplaats.staff.append(WerkplaatsStaff(user_id=user.id, role=role))
    programmes.change_member(
        werkplaats.programme, user.id, ProgrammeRole.LID, by=None, keep_role=True
    )
