"""Typed ORM models, by topic. Writes go through ``services``; views only read."""

from .ansichtkaart import Ansichtkaart, AnsichtkaartVersion
from .audit import AuditEntry
from .bouwsteen import Bouwsteen, BouwsteenEvent, BouwsteenFlag, BouwsteenVersion
from .core import (
    Contribution,
    Kernvraag,
    Participant,
    Programme,
    Round,
    Theme,
    User,
    Werkplaats,
    WerkplaatsStaff,
    utcnow,
)
from .rounds import ModerationLog, Support, Vote, VoteOption

__all__ = [
    "Ansichtkaart", "AnsichtkaartVersion", "AuditEntry", "Bouwsteen", "BouwsteenEvent", "BouwsteenFlag",
    "BouwsteenVersion", "Contribution", "Kernvraag", "ModerationLog", "Participant",
    "Programme", "Round", "Support", "Theme", "User", "Vote", "VoteOption", "Werkplaats",
    "WerkplaatsStaff", "utcnow",
]  # fmt: skip
