"""The Dutch text a person reads for each enum member: the one table of them.

Pages show it in the reader's language (``display.shown`` translates it: the Dutch text is
the msgid), Dutch documents print it as it is (``dutch``). Stored values, form values and CSS
classes stay the members' values. Pure, like ``domain``: exports read it too.
"""

from __future__ import annotations

from .domain import (
    AuditAction,
    BouwsteenStatus,
    ContributionState,
    Label,
    ModerationAction,
    ProgrammeRole,
    Role,
    RoundKind,
    RoundState,
    Source,
    StaffRole,
    StrEnum,
    Veld,
    VersionKind,
    WerkplaatsKind,
    WerkplaatsState,
)


def N_(text: str) -> str:
    """Marks a Dutch text for the translators' catalogue (Babel's default no-op keyword)."""
    return text


# Per class, not one flat dict: StrEnum members compare equal to their value, so
# RoundState.OPEN ("open") and RoundKind.OPEN ("open", read "open invoer") would collide.
TEXTS: dict[type[StrEnum], dict[StrEnum, str]] = {
    Role: {
        Role.BEHEERDER: N_("beheerder"),
        Role.FACILITATOR: N_("facilitator"),
        Role.TREKKER: N_("trekker"),
    },
    StaffRole: {
        StaffRole.FACILITATOR: N_("facilitator"),
        StaffRole.TREKKER: N_("trekker"),
    },
    ProgrammeRole: {
        ProgrammeRole.EIGENAAR: N_("eigenaar"),
        ProgrammeRole.LID: N_("lid"),
    },
    WerkplaatsKind: {
        WerkplaatsKind.INHOUDELIJK: N_("inhoudelijk"),
        WerkplaatsKind.STRATEGISCH: N_("strategisch"),
        WerkplaatsKind.REGIONAAL: N_("regionaal (MIRT)"),
    },
    WerkplaatsState: {
        WerkplaatsState.GEPLAND: N_("gepland"),
        WerkplaatsState.OPEN: N_("open"),
        WerkplaatsState.GESLOTEN: N_("gesloten"),
    },
    RoundState: {
        RoundState.GEPLAND: N_("gepland"),
        RoundState.OPEN: N_("open"),
        RoundState.GESLOTEN: N_("gesloten"),
    },
    RoundKind: {
        RoundKind.OPEN: N_("open invoer"),
        RoundKind.LABELLED: N_("invoer met soort"),
        RoundKind.CITAAT: N_("citaat (één per deelnemer)"),
        RoundKind.VOTING: N_("stemmen (dot-voting)"),
    },
    ModerationAction: {
        ModerationAction.HIDE: N_("verbergen"),
        ModerationAction.RESTORE: N_("terugzetten"),
        ModerationAction.MERGE: N_("samenvoegen"),
        ModerationAction.UNMERGE: N_("losmaken"),
        ModerationAction.STAR: N_("ster"),
        ModerationAction.UNSTAR: N_("ster weg"),
        ModerationAction.RELABEL: N_("soort"),
        ModerationAction.CITAAT: N_("citaat"),
        ModerationAction.UNCITAAT: N_("geen citaat"),
        ModerationAction.APPROVE: N_("goedkeuren"),
        ModerationAction.REJECT: N_("afwijzen"),
        ModerationAction.NOTE: N_("notulist"),
    },
    Veld: {
        Veld.INTERDEPARTEMENTAAL: N_("interdepartementaal"),
        Veld.INTERBESTUURLIJK: N_("interbestuurlijk"),
        Veld.KENNIS_EN_ADVIES: N_("kennis en advies"),
        Veld.MAATSCHAPPELIJK: N_("maatschappelijk"),
    },
    Label: {
        Label.TREND: N_("trend"),
        Label.ONTWIKKELING: N_("ontwikkeling"),
        Label.OPGAVE: N_("opgave"),
        Label.KANS: N_("kans"),
        Label.DILEMMA: N_("dilemma"),
        Label.VERBINDING: N_("verbinding"),
        Label.CITAAT: N_("citaat"),
    },
    Source: {
        Source.TELEFOON: N_("telefoon"),
        Source.FLAP: N_("flap"),
        Source.MONDELING: N_("mondeling"),
        Source.IMPORT: N_("import"),
    },
    ContributionState: {
        ContributionState.VISIBLE: N_("zichtbaar"),
        ContributionState.WITHDRAWN: N_("ingetrokken"),
        ContributionState.HIDDEN: N_("verborgen"),
        ContributionState.PENDING: N_("wacht"),
    },
    BouwsteenStatus: {
        BouwsteenStatus.CONCEPT: N_("concept"),
        BouwsteenStatus.VERSLAG: N_("verslag"),
        BouwsteenStatus.GEREED: N_("gereed"),
    },
    VersionKind: {
        VersionKind.GENERATED: N_("gegenereerd"),
        VersionKind.REGENERATED: N_("bijgewerkt"),
        VersionKind.EDITED: N_("bewerkt"),
        VersionKind.RESTORED: N_("teruggezet"),
    },
    AuditAction: {
        AuditAction.LOGIN: N_("ingelogd"),
        AuditAction.LOGIN_FAILED: N_("inloggen mislukt"),
        AuditAction.LOGOUT: N_("uitgelogd"),
        AuditAction.PASSWORD_CHANGED: N_("wachtwoord gewijzigd"),
        AuditAction.PROGRAMME_CREATED: N_("programma aangemaakt"),
        AuditAction.PROGRAMME_EDITED: N_("programma gewijzigd"),
        AuditAction.WERKPLAATS_SAVED: N_("werkplaats opgeslagen"),
        AuditAction.WERKPLAATS_OPENED: N_("werkplaats geopend"),
        AuditAction.WERKPLAATS_CLOSED: N_("werkplaats gesloten"),
        AuditAction.ROUND_OPENED: N_("ronde geopend"),
        AuditAction.ROUND_CLOSED: N_("ronde gesloten"),
        AuditAction.BOUWSTEEN_STATUS: N_("status bouwsteen"),
        AuditAction.BOUWSTEEN_DOWNLOAD: N_("bouwsteen gedownload"),
        AuditAction.ANSICHTKAART_DOWNLOAD: N_("ansichtkaart gedownload"),
        AuditAction.BIJDRAGEN_DOWNLOAD: N_("bijdragen gedownload"),
        AuditAction.OOGST_DOWNLOAD: N_("oogst gedownload"),
        AuditAction.OOGST_UPLOAD: N_("oogst ingelezen"),
        AuditAction.AUDIT_DOWNLOAD: N_("logboek gedownload"),
        AuditAction.PARTICIPANT_DATA_DOWNLOAD: N_("deelnemergegevens gedownload"),
        AuditAction.ACCOUNT_CREATED: N_("account aangemaakt"),
        AuditAction.ACCOUNT_CHANGED: N_("account gewijzigd"),
        AuditAction.INVITATION_SENT: N_("uitnodiging verstuurd"),
        AuditAction.PROGRAMME_MEMBERS_CHANGED: N_("programmaleden gewijzigd"),
    },
}


def dutch(member: StrEnum) -> str:
    """The Dutch text of ``member``; its value where the table has none."""
    return TEXTS.get(type(member), {}).get(member, member.value)
