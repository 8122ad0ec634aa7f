"""The text a person reads for a domain enum member, in the current locale.

Stored values, form values and CSS classes keep the Dutch enum values; only what is shown
goes through here. The msgids are the Dutch texts the pages always showed, so Dutch pages
are unchanged and the English ones read "challenge" where the database says "opgave".
``domain`` stays free of Flask, so the table lives here, beside it: templates read it through
the ``|shown`` filter, ``forms`` takes its choices' texts from it, and services word their
messages with it. The ansichtkaart's layout names and the moderation log's stored details are
read back the same way. Exports are Dutch documents and keep using the domain's own texts
(``RoundKind.label``, ``.value``).
"""

from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l

from .domain import (
    BouwsteenStatus,
    ContributionState,
    Label,
    ModerationAction,
    Role,
    RoundKind,
    RoundState,
    Source,
    StaffRole,
    Veld,
    VersionKind,
    WerkplaatsKind,
    WerkplaatsState,
)

# Per enum class, not one flat dict: StrEnum members compare equal to their value, so
# RoundState.OPEN ("open") and RoundKind.OPEN ("open", shown "open invoer") would collide.
TEXTS: dict[type[Enum], dict[Enum, object]] = {
    Role: {
        Role.BEHEERDER: _l("beheerder"),
        Role.FACILITATOR: _l("facilitator"),
        Role.TREKKER: _l("trekker"),
    },
    StaffRole: {
        StaffRole.FACILITATOR: _l("facilitator"),
        StaffRole.TREKKER: _l("trekker"),
    },
    WerkplaatsKind: {
        WerkplaatsKind.INHOUDELIJK: _l("inhoudelijk"),
        WerkplaatsKind.STRATEGISCH: _l("strategisch"),
        WerkplaatsKind.REGIONAAL: _l("regionaal (MIRT)"),
    },
    WerkplaatsState: {
        WerkplaatsState.GEPLAND: _l("gepland"),
        WerkplaatsState.OPEN: _l("open"),
        WerkplaatsState.GESLOTEN: _l("gesloten"),
    },
    RoundState: {
        RoundState.GEPLAND: _l("gepland"),
        RoundState.OPEN: _l("open"),
        RoundState.GESLOTEN: _l("gesloten"),
    },
    RoundKind: {
        RoundKind.OPEN: _l("open invoer"),
        RoundKind.LABELLED: _l("invoer met soort"),
        RoundKind.CITAAT: _l("citaat (één per deelnemer)"),
        RoundKind.VOTING: _l("stemmen (dot-voting)"),
    },
    ModerationAction: {
        ModerationAction.HIDE: _l("verbergen"),
        ModerationAction.RESTORE: _l("terugzetten"),
        ModerationAction.MERGE: _l("samenvoegen"),
        ModerationAction.UNMERGE: _l("losmaken"),
        ModerationAction.STAR: _l("ster"),
        ModerationAction.UNSTAR: _l("ster weg"),
        ModerationAction.RELABEL: _l("soort"),
        ModerationAction.CITAAT: _l("citaat"),
        ModerationAction.UNCITAAT: _l("geen citaat"),
        ModerationAction.APPROVE: _l("goedkeuren"),
        ModerationAction.REJECT: _l("afwijzen"),
        ModerationAction.NOTE: _l("notulist"),
    },
    Veld: {
        Veld.INTERDEPARTEMENTAAL: _l("interdepartementaal"),
        Veld.INTERBESTUURLIJK: _l("interbestuurlijk"),
        Veld.KENNIS_EN_ADVIES: _l("kennis en advies"),
        Veld.MAATSCHAPPELIJK: _l("maatschappelijk"),
    },
    Label: {
        Label.TREND: _l("trend"),
        Label.ONTWIKKELING: _l("ontwikkeling"),
        Label.OPGAVE: _l("opgave"),
        Label.KANS: _l("kans"),
        Label.DILEMMA: _l("dilemma"),
        Label.VERBINDING: _l("verbinding"),
        Label.CITAAT: _l("citaat"),
    },
    Source: {
        Source.TELEFOON: _l("telefoon"),
        Source.FLAP: _l("flap"),
        Source.MONDELING: _l("mondeling"),
        Source.IMPORT: _l("import"),
    },
    ContributionState: {
        ContributionState.VISIBLE: _l("zichtbaar"),
        ContributionState.WITHDRAWN: _l("ingetrokken"),
        ContributionState.HIDDEN: _l("verborgen"),
        ContributionState.PENDING: _l("wacht"),
    },
    BouwsteenStatus: {
        BouwsteenStatus.CONCEPT: _l("concept"),
        BouwsteenStatus.VERSLAG: _l("verslag"),
        BouwsteenStatus.GEREED: _l("gereed"),
    },
    VersionKind: {
        VersionKind.GENERATED: _l("gegenereerd"),
        VersionKind.REGENERATED: _l("bijgewerkt"),
        VersionKind.EDITED: _l("bewerkt"),
        VersionKind.RESTORED: _l("teruggezet"),
    },
}

# The ansichtkaart's colour schemes are no enum but a name in ``synthesis.ansichtkaart.LAYOUTS``,
# whose ``label`` is the Dutch text here: ``{{ card.layout|shown("Layout") }}``.
LAYOUTS: dict[str, object] = {
    "rijksblauw": _l("Rijksblauw"),
    "groen": _l("Groen"),
    "oker": _l("Oker"),
    "donker": _l("Donker"),
}

_BY_NAME: dict[str, type[Enum]] = {cls.__name__: cls for cls in TEXTS}


def shown(value: object, kind: type[Enum] | str | None = None) -> str:
    """The display text of ``value`` in the current locale: ``{{ r.kind|shown }}``.

    An enum member is looked up in its own table. Plain text stored from an enum (a
    contribution's ``label``, a veld counted by name) is read as a member of ``kind`` (the
    class or its name, as templates have no domain classes), ``Label`` when none is given.
    ``"Layout"`` reads an ansichtkaart layout's name. Text that is no member, and enums
    without a table, are shown as they are.
    """
    if value is None:
        return ""
    if kind == "Layout":
        return str(LAYOUTS.get(value, value))
    if isinstance(value, Enum):
        table = TEXTS.get(type(value))
        return str(table[value]) if table and value in table else str(value.value)
    cls = _BY_NAME[kind] if isinstance(kind, str) else (kind or Label)
    try:
        member = cls(value)
    except ValueError:
        return str(value)
    return str(TEXTS[cls][member])


def shown_log_detail(detail: str, action: ModerationAction) -> str:
    """A moderation log entry's detail in the current locale: ``{{ e.detail|shown_log_detail(
    e.action) }}``. It is stored as the values it names, not as prose: "opgave → kans" for a
    relabel (``-`` for none), the source ("flap") for a note, "→ 12" for a merge; so its words
    are read back as the members they are, and anything else is shown as it is.
    """
    if action == ModerationAction.RELABEL:
        return " → ".join(shown(part, Label) for part in detail.split(" → "))
    if action == ModerationAction.NOTE:
        return shown(detail, Source)
    return detail
