"""The ansichtkaart of a werkplaats as it stands: its content and versions, what the trekker
may pick from, its files and a programme's gallery of ansichtkaarten.

As for the bouwsteen, every save is a new ``AnsichtkaartVersion`` holding the whole content
(``to_dict``), so each version can be shown, downloaded and restored as it was. A version
also keeps the machine's own card it rests on: its terms are the ones the trekker picks
from, and its title and terms tell hand choices apart when the card is regenerated.
Paragraphs carry their own ``origin``. Making and changing the ansichtkaart: ``ansichtkaart_edits``.

The QR code points to the bouwsteen's read-only page. URLs are the web layer's business: it
passes ``link_for(token) -> url``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import slug
from ..export.ansichtkaart import pdf as ansichtkaart_pdf
from ..export.ansichtkaart import png as ansichtkaart_png
from ..export.ansichtkaart import svg as ansichtkaart_svg
from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, Programme, User, Werkplaats
from ..synthesis import ansichtkaart as synthesis
from ..synthesis.ansichtkaart import AnsichtkaartContent, AnsichtkaartError, ContentParagraph, Term
from ..synthesis.document import HAND
from . import bouwsteen as bouwstenen
from . import permissions
from .errors import Invalid, NotFound

LinkFor = Callable[[str], str]

# (mimetype, how the file name ends) per download
FORMATS = {
    "pdf": (ansichtkaart_pdf.MIMETYPE, ".pdf"),
    "afloop": (ansichtkaart_pdf.MIMETYPE, "-afloop.pdf"),
    "printvel": (ansichtkaart_pdf.MIMETYPE, "-printvel.pdf"),
    "png": (ansichtkaart_png.MIMETYPE, ".png"),
    "svg": (ansichtkaart_svg.MIMETYPE, ".svg"),
    "txt": ("text/plain; charset=utf-8", "-tekstalternatief.txt"),
}


def find(werkplaats: Werkplaats) -> Ansichtkaart | None:
    return db.session.scalar(
        sa.select(Ansichtkaart)
        .join(Bouwsteen, Ansichtkaart.bouwsteen_id == Bouwsteen.id)
        .where(Bouwsteen.werkplaats_id == werkplaats.id)
    )


def content_of(version: AnsichtkaartVersion) -> AnsichtkaartContent:
    return synthesis.from_dict(version.content)


def machine_of(version: AnsichtkaartVersion) -> AnsichtkaartContent:
    return synthesis.from_dict(version.machine)


def get_version(ansichtkaart: Ansichtkaart, number: int) -> AnsichtkaartVersion:
    version = next((v for v in ansichtkaart.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("Deze versie bestaat niet."))
    return version


def newer_bouwsteen(ansichtkaart: Ansichtkaart) -> int | None:
    """The bouwsteen's version number when it would now give another card; else None."""
    current = ansichtkaart.current
    bouwsteen = ansichtkaart.bouwsteen
    if bouwsteen.current is None or bouwsteen.current.number <= current.bouwsteen_version:
        return None
    basis = machine_of(current)
    try:
        fresh = synthesis.generate(
            bouwstenen.document_of(bouwsteen.current), share_url=None, layout=basis.layout
        )
    except AnsichtkaartError:
        return None
    if fresh == replace(basis, qr_url=None):
        return None
    return bouwsteen.current.number


def term_pool(*groups: Sequence[Term]) -> tuple[Term, ...]:
    """Terms of several ansichtkaarten, each text once (the first group wins), heaviest first."""
    seen: set[str] = set()
    out: list[Term] = []
    for group in groups:
        for term in group:
            if term.text.casefold() not in seen:
                seen.add(term.text.casefold())
                out.append(term)
    return tuple(sorted(out, key=lambda t: -t.weight))


def term_choices(
    ansichtkaart: Ansichtkaart, version: AnsichtkaartVersion | None = None
) -> list[Term]:
    """The terms to pick from: the machine's, and any the card shows besides, heaviest first."""
    version = version or ansichtkaart.current
    return list(term_pool(content_of(version).terms, machine_of(version).terms))


def edited(
    ansichtkaart: Ansichtkaart,
    *,
    title: str | None,
    paragraphs: Sequence[str | None],
    terms: Sequence[str],
    layout: str | None,
) -> AnsichtkaartContent:
    """The current content with these texts and choices, checked, not saved (the preview)."""
    current = content_of(ansichtkaart.current)
    pool = replace(current, terms=term_pool(current.terms, machine_of(ansichtkaart.current).terms))
    try:
        return synthesis.edit(
            pool,
            title=title if title is not None else "",
            paragraphs=list(paragraphs),
            terms=list(terms),
            layout=layout,
        )
    except AnsichtkaartError as e:
        raise Invalid(str(e)) from e


def machine_paragraph(ansichtkaart: Ansichtkaart, n: int) -> ContentParagraph | None:
    """The machine's text for paragraph ``n`` (1–3) when the card shows a hand one there."""
    if not 1 <= n <= 3:
        return None
    current = content_of(ansichtkaart.current)
    if current.paragraphs[n - 1].origin != HAND:
        return None
    return machine_of(ansichtkaart.current).paragraphs[n - 1]


def link_state(ansichtkaart: Ansichtkaart, link_for: LinkFor) -> str:
    """ "ok"; "uit" when the bouwsteen's read-only link is off; "anders" when the card's QR
    code points elsewhere (the link was made anew, or the public address changed)."""
    token = ansichtkaart.bouwsteen.share_token
    if token is None:
        return "uit"
    return "ok" if content_of(ansichtkaart.current).qr_url == link_for(token) else "anders"


# --- downloads -----------------------------------------------------------------------------


def render(content: AnsichtkaartContent, fmt: str) -> bytes:
    if fmt == "pdf":
        return ansichtkaart_pdf.render(content)
    if fmt == "afloop":
        return ansichtkaart_pdf.render(content, bleed=True)
    if fmt == "printvel":  # one card, four times on an A4: to cut at the office
        return ansichtkaart_pdf.print_sheet([content] * ansichtkaart_pdf.SHEET_SLOTS)
    if fmt == "png":
        return ansichtkaart_png.render(content)
    if fmt == "svg":
        return ansichtkaart_svg.render(content)
    if fmt == "txt":
        return (synthesis.alt_text(content) + "\n").encode("utf-8")
    raise Invalid(_("Onbekend formaat; kies pdf, afloop, printvel, png, svg of txt."), "format")


def file_stem(werkplaats: Werkplaats) -> str:
    return f"ansichtkaart-{werkplaats.id}-{slug(werkplaats.title)}"


def export(ansichtkaart: Ansichtkaart, fmt: str, version: AnsichtkaartVersion | None = None):
    """(body, mimetype, file name) of a version (default: the current one) in ``fmt``."""
    if fmt not in FORMATS:
        raise Invalid(_("Onbekend formaat; kies pdf, afloop, printvel, png, svg of txt."), "format")
    mimetype, ending = FORMATS[fmt]
    version = version or ansichtkaart.current
    body = render(content_of(version), fmt)
    name = f"{file_stem(ansichtkaart.bouwsteen.werkplaats)}-v{version.number}{ending}"
    return body, mimetype, name


# --- a programme's ansichtkaarten ----------------------------------------------------------


def programme_ansichtkaarten(
    programme: Programme, *, reader: User | None
) -> list[tuple[Werkplaats, AnsichtkaartVersion | None]]:
    """The werkplaatsen of the programme that ``reader`` may read, in order, each with its
    ansichtkaart's current version (if it has one); ``reader`` None: the command line, which
    reads them all. A card's QR code is its bouwsteen's read-only link, so nobody sees the
    cards of werkplaatsen they are not part of. One query for all ansichtkaarten, and only
    their newest versions."""
    readable = [
        w
        for w in programme.werkplaatsen
        if reader is None or permissions.can_read_ansichtkaart(reader, w)
    ]
    newest = (
        sa.select(
            AnsichtkaartVersion.ansichtkaart_id,
            sa.func.max(AnsichtkaartVersion.number).label("number"),
        )
        .group_by(AnsichtkaartVersion.ansichtkaart_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Bouwsteen.werkplaats_id, AnsichtkaartVersion)
        .join(Ansichtkaart, AnsichtkaartVersion.ansichtkaart_id == Ansichtkaart.id)
        .join(Bouwsteen, Ansichtkaart.bouwsteen_id == Bouwsteen.id)
        .join(Werkplaats, Bouwsteen.werkplaats_id == Werkplaats.id)
        .join(
            newest,
            (newest.c.ansichtkaart_id == AnsichtkaartVersion.ansichtkaart_id)
            & (newest.c.number == AnsichtkaartVersion.number),
        )
        .where(Werkplaats.programme_id == programme.id)
    )
    found = {werkplaats_id: version for werkplaats_id, version in rows}
    return [(w, found.get(w.id)) for w in readable]


def programme_ansichtkaart(
    programme: Programme, werkplaats_id: int, *, reader: User | None
) -> AnsichtkaartVersion:
    """The current version of a werkplaats' ansichtkaart, if the werkplaats is in ``programme``
    and ``reader`` may read it (a card they may not read is as absent as one not made)."""
    for werkplaats, version in programme_ansichtkaarten(programme, reader=reader):
        if werkplaats.id == werkplaats_id and version is not None:
            return version
    raise NotFound(_("Deze werkplaats heeft (nog) geen ansichtkaart in dit programma."))


def gallery_export(
    programme: Programme, fmt: str, *, reader: User | None
) -> tuple[bytes, str, str]:
    """The ansichtkaarten of a programme that ``reader`` may read: "pdf" one per page,
    "printvel" four to an A4."""
    made = [
        content_of(v)
        for _w, v in programme_ansichtkaarten(programme, reader=reader)
        if v is not None
    ]
    if not made:
        raise Invalid(_("Dit programma heeft nog geen ansichtkaarten."))
    stem = f"ansichtkaarten-{slug(programme.name)}"
    if fmt == "pdf":
        body = ansichtkaart_pdf.gallery_pdf(made, title=programme.name)
        return body, ansichtkaart_pdf.MIMETYPE, f"{stem}.pdf"
    if fmt == "printvel":
        return ansichtkaart_pdf.print_sheet(made), ansichtkaart_pdf.MIMETYPE, f"{stem}-printvel.pdf"
    raise Invalid(_("Onbekend formaat; kies pdf of printvel."), "format")
