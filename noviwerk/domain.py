"""The vocabulary of noviwerk: enums, plain records and small rules, no framework.

Glossary (code names English, domain words kept Dutch):

- programma ``Programme``: a series of werkplaatsen with its kernvragen and themes.
- werkplaats ``Werkplaats``: one co-creation workshop; ``kind`` is its soort.
- kernvraag ``Kernvraag``: one of the programme's core questions (default five).
- thema / hoofdonderwerp ``Theme``.
- gespreksronde ``Round``: a timed round aimed at one kernvraag, with a prompt.
- bijdrage ``Contribution``: one contribution; ``label`` is its soort bijdrage.
- deelnemer ``Participant``: anonymous unless they choose a name; ``veld`` is their field.
- trekker: the lead who owns the bouwsteen; facilitator: runs the room; beheerder: admin.
- bouwsteen ``Bouwsteen`` and ansichtkaart ``Ansichtkaart``: what a werkplaats yields.

This module is imported by forms, services, synthesis and export alike, so it must never
import Flask, SQLAlchemy or Jinja (a test checks that).
"""

from __future__ import annotations

import enum
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_CONTRIBUTION_CHARS = 500
MAX_NAME_CHARS = 80
MAX_ORGANISATION_CHARS = 120
JOIN_CODE_LENGTH = 8
DEFAULT_VOTES = 3
DEFAULT_GRACE_SECONDS = 90
# AVG: months after a werkplaats that its participants' names, organisations and phone links
# are kept (per programme); their contributions stay, without them.
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or off a beamer is typed right the first time.
JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


class StrEnum(enum.StrEnum):
    """A str-valued enum whose members print as their value (for templates and exports)."""

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class Role(StrEnum):
    BEHEERDER = "beheerder"
    FACILITATOR = "facilitator"
    TREKKER = "trekker"


class LinkPurpose(StrEnum):
    """What an account link (``AccountLink``) is for: a new account, or a new password."""

    INVITE = "uitnodiging"
    RESET = "herstel"


class StaffRole(StrEnum):
    """How a user is linked to one werkplaats."""

    FACILITATOR = "facilitator"
    TREKKER = "trekker"


class ProgrammeRole(StrEnum):
    """How a user belongs to one programme: its eigenaren change it, its leden read its oogst."""

    EIGENAAR = "eigenaar"
    LID = "lid"


class WerkplaatsKind(StrEnum):
    INHOUDELIJK = "inhoudelijk"
    STRATEGISCH = "strategisch"
    REGIONAAL = "regionaal"  # the MIRT werkplaatsen


class WerkplaatsState(StrEnum):
    GEPLAND = "gepland"
    OPEN = "open"
    GESLOTEN = "gesloten"


class RoundState(StrEnum):
    GEPLAND = "gepland"
    OPEN = "open"
    GESLOTEN = "gesloten"


class RoundKind(StrEnum):
    """What a round asks of the participants."""

    OPEN = "open"  # free input
    LABELLED = "gelabeld"  # the participant picks opgave, kans, dilemma… when posting
    CITAAT = "citaat"  # "Wat mag echt niet ontbreken?": one per participant
    VOTING = "stemmen"  # dot-voting on contributions picked from earlier rounds


class ModerationAction(StrEnum):
    HIDE = "verbergen"
    RESTORE = "terugzetten"
    MERGE = "samenvoegen"
    UNMERGE = "losmaken"
    STAR = "ster"
    UNSTAR = "ster weg"
    RELABEL = "soort"
    CITAAT = "citaat"
    UNCITAAT = "geen citaat"
    APPROVE = "goedkeuren"
    REJECT = "afwijzen"
    NOTE = "notulist"


class Veld(StrEnum):
    INTERDEPARTEMENTAAL = "interdepartementaal"
    INTERBESTUURLIJK = "interbestuurlijk"
    KENNIS_EN_ADVIES = "kennis en advies"
    MAATSCHAPPELIJK = "maatschappelijk"


class Label(StrEnum):
    """Soort bijdrage."""

    TREND = "trend"
    ONTWIKKELING = "ontwikkeling"
    OPGAVE = "opgave"
    KANS = "kans"
    DILEMMA = "dilemma"
    VERBINDING = "verbinding"
    CITAAT = "citaat"


class Source(StrEnum):
    """Where a contribution came from."""

    TELEFOON = "telefoon"
    FLAP = "flap"
    MONDELING = "mondeling"
    IMPORT = "import"


class ContributionState(StrEnum):
    VISIBLE = "zichtbaar"
    WITHDRAWN = "ingetrokken"
    HIDDEN = "verborgen"
    PENDING = "wacht"  # pre-moderation: waits in the facilitator's inbox


class BouwsteenStatus(StrEnum):
    CONCEPT = "concept"
    VERSLAG = "verslag"
    GEREED = "gereed"


class VersionKind(StrEnum):
    """How a version of a bouwsteen or an ansichtkaart came about (its ``kind`` column)."""

    GENERATED = "gegenereerd"  # the first, from the input
    REGENERATED = "bijgewerkt"  # machine text taken over from newer input
    EDITED = "bewerkt"  # by hand
    RESTORED = "teruggezet"  # an earlier version again


class AuditAction(StrEnum):
    """What the audit log records of staff (``services/audit.py``): the one list of its names.

    Stored as these values in a plain text column, so a new action needs no migration; never
    rename a value, old entries keep it. The Dutch texts shown for them are in ``enum_texts``.
    """

    LOGIN = "inloggen"
    LOGIN_FAILED = "inloggen mislukt"
    LOGOUT = "uitloggen"
    PASSWORD_CHANGED = "wachtwoord gewijzigd"  # noqa: S105 - an action, no password
    PROGRAMME_CREATED = "programma aangemaakt"
    PROGRAMME_EDITED = "programma gewijzigd"
    WERKPLAATS_SAVED = "werkplaats opgeslagen"  # new or edited, facilitators and trekkers too
    WERKPLAATS_OPENED = "werkplaats geopend"
    WERKPLAATS_CLOSED = "werkplaats gesloten"
    ROUND_OPENED = "ronde geopend"
    ROUND_CLOSED = "ronde gesloten"
    BOUWSTEEN_STATUS = "bouwsteen status"  # concept → verslag → gereed (sign-off), and back
    BOUWSTEEN_DOWNLOAD = "bouwsteen gedownload"
    ANSICHTKAART_DOWNLOAD = "ansichtkaart gedownload"
    BIJDRAGEN_DOWNLOAD = "bijdragen gedownload"
    OOGST_DOWNLOAD = "oogst gedownload"
    OOGST_UPLOAD = "oogst ingelezen"  # the programme table uploaded and applied
    AUDIT_DOWNLOAD = "logboek gedownload"
    PARTICIPANT_DATA_DOWNLOAD = "deelnemergegevens gedownload"  # a beheerder, on request
    # Accounts and rights: recorded by the code that manages them.
    ACCOUNT_CREATED = "account aangemaakt"
    ACCOUNT_CHANGED = "account gewijzigd"  # role, name, e-mail, (de)activated
    INVITATION_SENT = "uitnodiging verstuurd"
    PROGRAMME_MEMBERS_CHANGED = "programmaleden gewijzigd"


@dataclass(frozen=True)
class KernvraagSpec:
    title: str
    question: str


DEFAULT_KERNVRAGEN: tuple[KernvraagSpec, ...] = (
    KernvraagSpec(
        "Trends en ontwikkelingen",
        "Welke trends en ontwikkelingen zien we op dit thema, richting 2050?",
    ),
    KernvraagSpec("Opgaven en kansen", "Welke opgaven en kansen komen daaruit voort?"),
    KernvraagSpec(
        "Verbindingen",
        "Welke betekenisvolle verbindingen zijn er, tussen sectoren, regio's, "
        "schaalniveaus en in de tijd?",
    ),
    KernvraagSpec(
        "Samen werken",
        "Hoe pakken we dit samen aan: wie doet wat, en welke rol past het Rijk?",
    ),
    KernvraagSpec(
        "Wat mag niet ontbreken",
        "Wat mag echt niet ontbreken in de Nationale Omgevingsagenda?",
    ),
)

NOVI_THEMES: tuple[str, ...] = (
    "Natuur",
    "Klimaat",
    "Energie",
    "Welvaart",
    "Samen Werken",
    "Beleidsverkenning",
    "MIRT",
    "Strategie",
)


def slug(text: str, max_length: int = 60) -> str:
    """ASCII, lower case, words joined by dashes: safe in a file name and a header."""
    text = re.sub(r"['’‘`]", "", text)  # "Regio's" → regios, not regio-s
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:max_length].rstrip("-")
    return out or "werkplaats"


def parse_id(raw: str | None) -> int | None:
    """A database id typed or sent as text ("12", " #12 "), or None.

    Strictly ASCII 0-9 (``isdigit()`` lets "²" through to ``int()``, which then raises) and
    within a 64-bit integer column.
    """
    text = (raw or "").strip().removeprefix("#").strip()
    if not (text.isascii() and text.isdecimal() and len(text) <= 18):
        return None
    return int(text)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, dashes."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def join_code_looks_valid(code: str) -> bool:
    return len(code) == JOIN_CODE_LENGTH and all(c in JOIN_CODE_ALPHABET for c in code)


def format_join_code(code: str) -> str:
    """Show a code as two groups of four, easier to read from a beamer."""
    return f"{code[:4]} {code[4:]}" if len(code) == JOIN_CODE_LENGTH else code


# --- plain records handed to synthesis and export ---------------------------------------


@dataclass(frozen=True)
class ContributionRecord:
    """One visible contribution as synthesis and export see it."""

    id: int
    number: int  # 1-based position in the bijlage of its werkplaats
    round_position: int
    round_prompt: str
    kernvraag_position: int | None
    kernvraag_title: str | None
    text: str
    label: str | None = None
    veld: str | None = None
    organisation: str | None = None
    participant_key: str | None = None  # stable per participant, never a name
    source: str = Source.TELEFOON.value
    support: int = 0  # +1s
    votes: int = 0
    is_starred: bool = False
    is_citaat: bool = False
    merged_into: int | None = None
    created_at: datetime | None = None
    tafel: str | None = None  # the name of the tafel it was posted at, if any

    @property
    def backing(self) -> int:
        """+1s and dots together (never below zero): how much the room backed it."""
        return max(0, self.support) + max(0, self.votes)


@dataclass(frozen=True)
class WerkplaatsRecord:
    """The head of a werkplaats as synthesis and export see it."""

    id: int
    title: str
    programme: str
    nr: int | None = None
    starts_on: date | None = None
    place: str | None = None
    kind: str | None = None
    theme: str | None = None
    organisation: str | None = None
    trekker: str | None = None
    kernvragen: tuple[KernvraagSpec, ...] = field(default_factory=tuple)


def retention_ends(reference: datetime, months: int) -> datetime:
    """``months`` calendar months after ``reference`` (the 31st falls back to a month's last day)."""
    total = reference.month - 1 + months
    year, month = reference.year + total // 12, total % 12 + 1
    for day in range(reference.day, 27, -1):
        try:
            return reference.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return reference.replace(year=year, month=month, day=min(reference.day, 28))
