"""Typed ORM models, by topic. Writes go through ``services``; views only read."""

from .accounts import AccountLink
from .ansichtkaart import Ansichtkaart, AnsichtkaartVersion
from .audit import AuditEntry
from .bouwsteen import Bouwsteen, BouwsteenEvent, BouwsteenFlag, BouwsteenVersion
from .contributions import Contribution, Participant
from .core import (
    Kernvraag,
    Programme,
    ProgrammeMember,
    Round,
    Theme,
    User,
    Werkplaats,
    WerkplaatsStaff,
    utcnow,
)
from .rounds import ModerationLog, Support, Vote, VoteOption
from .search import BouwsteenPassage
from .tafels import Tafel
from .tags import ContributionTag

__all__ = [
    "AccountLink", "Ansichtkaart", "AnsichtkaartVersion", "AuditEntry", "Bouwsteen", "BouwsteenEvent",
    "BouwsteenFlag", "BouwsteenPassage", "BouwsteenVersion", "Contribution", "ContributionTag",
    "Kernvraag",
    "ModerationLog", "Participant", "Programme", "ProgrammeMember", "Round", "Support", "Tafel", "Theme",
    "User", "Vote", "VoteOption", "Werkplaats", "WerkplaatsStaff", "utcnow",
]  # fmt: skip
