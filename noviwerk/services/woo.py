"""The Woo-versie of a bouwsteen: its export with the names of people taken out, for
publication under the Wet open overheid. The redacting itself is pure
(``export/bouwsteen/woo.py``); this module knows whose names the werkplaats holds."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import slug
from ..export.bouwsteen import woo
from ..extensions import db
from ..models import Bouwsteen, BouwsteenVersion, Participant
from . import export_jobs
from .bouwsteen import EXPORTERS, export_document
from .errors import Invalid

FORMATS = ("pdf", "docx", "md")


def personal_names(bouwsteen: Bouwsteen) -> list[str]:
    """Every name of a person the werkplaats knows: the names its participants chose, its
    facilitators and trekkers (accounts, and the trekker's name as typed), and whoever wrote
    a version or moved its status (a beheerder, say)."""
    werkplaats = bouwsteen.werkplaats
    names = list(
        db.session.scalars(
            sa.select(Participant.display_name)
            .where(Participant.werkplaats_id == werkplaats.id, Participant.display_name != "")
            .distinct()
        )
    )
    names += [s.user.name for s in werkplaats.staff]
    names.append(werkplaats.trekker_name)
    names += [e.user.name for e in bouwsteen.events if e.user is not None]
    names += [v.created_by.name for v in bouwsteen.versions if v.created_by is not None]
    return names


def common_words(bouwsteen: Bouwsteen) -> list[str]:
    """What the werkplaats is called and where and about what it was: words, not names."""
    w = bouwsteen.werkplaats
    return [w.title, w.place, w.organisation, w.theme.name if w.theme else "", w.programme.name]


def export(
    bouwsteen: Bouwsteen,
    fmt: str,
    version: BouwsteenVersion | None = None,
    *,
    options: export_jobs.Settings,
):
    """(body, mimetype, file name) of the Woo-versie of a version (default: the current one)."""
    if fmt not in FORMATS:
        raise Invalid(_("Onbekend exportformaat; kies pdf, docx of md."), "format")
    module, ext = EXPORTERS[fmt]
    version = version or bouwsteen.current
    document = woo.redact(
        export_document(bouwsteen, version), personal_names(bouwsteen), common_words(bouwsteen)
    )
    if fmt in export_jobs.HEAVY:
        body = export_jobs.render(fmt, document, options)
    else:
        body = module.render(document)
    werkplaats = bouwsteen.werkplaats
    name = f"bouwsteen-{werkplaats.id}-{slug(werkplaats.title)}-v{version.number}-woo.{ext}"
    return body, module.MIMETYPE, name
