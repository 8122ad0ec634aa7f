"""The text a person reads for a domain enum member, in the current locale.

Stored values, form values and CSS classes keep the Dutch enum values; only what is shown
goes through here. The Dutch texts are written once, in ``enum_texts.TEXTS`` (pure, so Dutch
exports print them as they are); they are the msgids, so Dutch pages show
them unchanged and English ones read "challenge" where the database says "opgave". Templates
read them through the ``|shown`` filter, ``forms`` takes its choices' texts from here, and
services word their messages with it. The ansichtkaart's layout names and the moderation
log's stored details are read back the same way.
"""

from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l

from .domain import Label, ModerationAction, Source
from .enum_texts import TEXTS as DUTCH
from .synthesis.ansichtkaart import LAYOUTS as ANSICHTKAART_LAYOUTS

# Lazy, so forms built at import time are translated when rendered.
TEXTS: dict[type[Enum], dict[Enum, object]] = {
    cls: {member: _l(text) for member, text in table.items()} for cls, table in DUTCH.items()
}

# The ansichtkaart's colour schemes are no enum but a name in ``synthesis.ansichtkaart.LAYOUTS``
# whose ``label`` (extracted by babel.cfg's ``Layout:2``) is the msgid here:
# ``{{ content.layout|shown("Layout") }}``.
LAYOUTS: dict[str, object] = {
    name: _l(layout.label) for name, layout in ANSICHTKAART_LAYOUTS.items()
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
