"""The ansichtkaart of a werkplaats: generate, regenerate, edit, restore, export, a gallery.

As for the bouwsteen, every save is a new ``AnsichtkaartVersion`` holding the whole card
(``to_dict``), so each version can be shown, downloaded and restored as it was. A version
also keeps the machine's own card it rests on: its terms are the ones the trekker picks
from, and its title and terms tell hand choices apart when the card is regenerated.
Paragraphs carry their own ``origin``.

The QR code points to the bouwsteen's read-only page, so making a card turns that link on.
URLs are the web layer's business: it passes ``link_for(token) -> url``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa
from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import VersionKind
from ..export.ansichtkaart import pdf as ansichtkaart_pdf
from ..export.ansichtkaart import png as ansichtkaart_png
from ..export.ansichtkaart import svg as ansichtkaart_svg
from ..export.contributions import slug
from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, Programme, User, Werkplaats
from ..synthesis import ansichtkaart as synthesis
from ..synthesis.ansichtkaart import Card, CardError, CardParagraph, Term
from ..synthesis.document import HAND, MACHINE
from . import bouwsteen as bouwstenen
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


def card_of(version: AnsichtkaartVersion) -> Card:
    return synthesis.from_dict(version.card)


def machine_of(version: AnsichtkaartVersion) -> Card:
    return synthesis.from_dict(version.machine)


def get_version(kaart: Ansichtkaart, number: int) -> AnsichtkaartVersion:
    version = next((v for v in kaart.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("Deze versie bestaat niet."))
    return version


def _add_version(
    kaart: Ansichtkaart,
    card: Card,
    machine: Card,
    bouwsteen_version: int,
    kind: VersionKind,
    user: User | None,
    note: str = "",
) -> AnsichtkaartVersion:
    number = (kaart.current.number + 1) if kaart.current else 1
    version = AnsichtkaartVersion(
        number=number,
        kind=kind.value,
        note=note[:300],
        card=synthesis.to_dict(card),
        machine=synthesis.to_dict(machine),
        bouwsteen_version=bouwsteen_version,
        created_by_id=user.id if user else None,
    )
    kaart.versions.append(version)
    db.session.flush()
    return version


def _locked(model, row_id: int):
    """The row, locked until the transaction ends (PostgreSQL), so two saves cannot both
    take the same version number; SQLite's BEGIN IMMEDIATE already serialises writers."""
    row = db.session.scalars(sa.select(model).where(model.id == row_id).with_for_update()).one()
    if isinstance(row, Ansichtkaart):
        db.session.refresh(row, ["versions"])  # as committed by a save we may have waited for
    return row


def _share_url(bouwsteen: Bouwsteen, link_for: LinkFor) -> tuple[str, bool]:
    """The bouwsteen's read-only URL, and whether its link had to be turned on for it."""
    turned_on = bouwsteen.share_token is None
    if turned_on:
        bouwstenen.share(bouwsteen, True)  # joins this transaction
    return link_for(bouwsteen.share_token), turned_on


def _machine_card(bouwsteen: Bouwsteen, url: str, layout: str) -> Card:
    try:
        return synthesis.generate(
            bouwstenen.document_of(bouwsteen.current), share_url=url, layout=layout
        )
    except CardError as e:
        raise Invalid(str(e)) from e


# --- generate and regenerate --------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    version: AnsichtkaartVersion | None  # None: nothing changed
    link_turned_on: bool = False
    kept_paragraphs: tuple[int, ...] = ()  # hand-written paragraphs (1–3) that stayed
    kept_title: bool = False
    kept_terms: bool = False
    shortened: bool = False  # machine paragraphs gave up words to make room for hand text
    terms_reset: bool = False  # the hand-picked terms no longer fitted: the machine's again


@write_transaction
def generate(
    werkplaats: Werkplaats,
    user: User | None,
    link_for: LinkFor,
    layout: str = synthesis.DEFAULT_LAYOUT,
) -> Made:
    """The card from the current bouwsteen draft, as version 1 (once: again is a no-op)."""
    bouwsteen = _locked(Bouwsteen, bouwstenen.open_draft(werkplaats, user).id)
    if find(bouwsteen.werkplaats) is not None:
        return Made(None)
    url, turned_on = _share_url(bouwsteen, link_for)
    card = _machine_card(bouwsteen, url, layout)
    kaart = Ansichtkaart(bouwsteen=bouwsteen)
    db.session.add(kaart)
    version = _add_version(kaart, card, card, bouwsteen.current.number, VersionKind.GENERATED, user)
    return Made(version, link_turned_on=turned_on)


def newer_bouwsteen(kaart: Ansichtkaart) -> int | None:
    """The bouwsteen's version number when it would now give another card; else None."""
    current = kaart.current
    bouwsteen = kaart.bouwsteen
    if bouwsteen.current is None or bouwsteen.current.number <= current.bouwsteen_version:
        return None
    basis = machine_of(current)
    try:
        fresh = synthesis.generate(
            bouwstenen.document_of(bouwsteen.current), share_url=None, layout=basis.layout
        )
    except CardError:
        return None
    if fresh == replace(basis, qr_url=None):
        return None
    return bouwsteen.current.number


def _texts(terms: Sequence[Term]) -> set[str]:
    return {t.text.casefold() for t in terms}


def _pool(*groups: Sequence[Term]) -> tuple[Term, ...]:
    """Terms of several cards, each text once (the first group wins), heaviest first."""
    seen: set[str] = set()
    out: list[Term] = []
    for group in groups:
        for term in group:
            if term.text.casefold() not in seen:
                seen.add(term.text.casefold())
                out.append(term)
    return tuple(sorted(out, key=lambda t: -t.weight))


def _fit_machine_paragraphs(card: Card, hand: set[int]) -> tuple[Card, bool] | None:
    """Shorten the machine's paragraphs (never a hand one) until the card fits, or None."""
    shortened = False
    while synthesis.problems(card):
        candidates = []
        for i, paragraph in enumerate(card.paragraphs):
            shorter = None if i in hand else synthesis.shorten_once(paragraph.text)
            if shorter:
                candidates.append((len(paragraph.text), i, shorter))
        if not candidates:
            return None
        _length, i, shorter = max(candidates)
        paragraphs = list(card.paragraphs)
        paragraphs[i] = replace(paragraphs[i], text=shorter)
        card = replace(card, paragraphs=tuple(paragraphs))
        shortened = True
    return card, shortened


@write_transaction
def regenerate(kaart: Ansichtkaart, user: User | None, link_for: LinkFor) -> Made:
    """Take over the newest bouwsteen version: machine parts follow it, hand parts stay.

    Hand-written paragraphs, a changed title and a hand-picked set of terms are kept; the
    machine's paragraphs around them give up words (never a hand one) when the whole would
    not fit. If even that cannot make room, nothing is saved and the message says why.
    """
    kaart = _locked(Ansichtkaart, kaart.id)
    bouwsteen = kaart.bouwsteen
    current, basis = card_of(kaart.current), machine_of(kaart.current)
    url, turned_on = _share_url(bouwsteen, link_for)
    fresh = _machine_card(bouwsteen, url, current.layout)

    hand = {i for i, p in enumerate(current.paragraphs) if p.origin == HAND}
    kept_title = current.title != basis.title
    merged = replace(
        fresh,
        title=current.title if kept_title else fresh.title,
        paragraphs=tuple(
            current.paragraphs[i] if i in hand else fresh.paragraphs[i] for i in range(3)
        ),
    )
    fitted = _fit_machine_paragraphs(merged, hand)
    if fitted is None:
        raise Invalid(
            _(
                "De kaart kan niet worden bijgewerkt zonder je eigen tekst in te korten. Maak je "
                "eigen alinea's korter, of zet ze terug naar de machinetekst, en probeer het "
                "opnieuw."
            )
        )
    merged, shortened = fitted

    kept_terms = _texts(current.terms) != _texts(basis.terms)
    terms_reset = False
    if kept_terms:
        try:
            merged = synthesis.edit(
                replace(merged, terms=_pool(fresh.terms, current.terms)),
                terms=[t.text for t in current.terms],
            )
        except CardError:
            kept_terms, terms_reset = False, True

    if merged == current and fresh == basis:
        return Made(None, link_turned_on=turned_on)
    version = _add_version(
        kaart,
        merged,
        fresh,
        bouwsteen.current.number,
        VersionKind.REGENERATED,
        user,
        note=_("uit bouwsteen versie %(n)d", n=bouwsteen.current.number),
    )
    return Made(
        version,
        link_turned_on=turned_on,
        kept_paragraphs=tuple(sorted(i + 1 for i in hand)),
        kept_title=kept_title,
        kept_terms=kept_terms,
        shortened=shortened,
        terms_reset=terms_reset,
    )


# --- edit ----------------------------------------------------------------------------------


def term_choices(kaart: Ansichtkaart, version: AnsichtkaartVersion | None = None) -> list[Term]:
    """The terms to pick from: the machine's, and any the card shows besides, heaviest first."""
    version = version or kaart.current
    return list(_pool(card_of(version).terms, machine_of(version).terms))


def edited(
    kaart: Ansichtkaart,
    *,
    title: str | None,
    paragraphs: Sequence[str | None],
    terms: Sequence[str],
    layout: str | None,
) -> Card:
    """The current card with these texts and choices, checked, not saved (the preview)."""
    current = card_of(kaart.current)
    pool = replace(current, terms=_pool(current.terms, machine_of(kaart.current).terms))
    try:
        return synthesis.edit(
            pool,
            title=title if title is not None else "",
            paragraphs=list(paragraphs),
            terms=list(terms),
            layout=layout,
        )
    except CardError as e:
        raise Invalid(str(e)) from e


def _what_changed(old: Card, new: Card) -> str:
    parts = []
    if old.title != new.title:
        parts.append(_("titel"))
    parts.extend(
        _("alinea %(n)d", n=n)
        for n, (a, b) in enumerate(zip(old.paragraphs, new.paragraphs, strict=True), start=1)
        if a.text != b.text
    )
    if [t.text for t in old.terms] != [t.text for t in new.terms]:
        parts.append(_("kernwoorden"))
    if old.layout != new.layout:
        parts.append(_("opmaak"))
    return ", ".join(parts)


@write_transaction
def save_edit(
    kaart: Ansichtkaart,
    user: User,
    *,
    title: str | None,
    paragraphs: Sequence[str | None],
    terms: Sequence[str],
    layout: str | None,
) -> AnsichtkaartVersion | None:
    """Save the trekker's texts and choices as a new version; None when nothing changed."""
    kaart = _locked(Ansichtkaart, kaart.id)
    card = edited(kaart, title=title, paragraphs=paragraphs, terms=terms, layout=layout)
    current = card_of(kaart.current)
    if card == current:
        return None
    return _add_version(
        kaart,
        card,
        machine_of(kaart.current),
        kaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_what_changed(current, card),
    )


def machine_paragraph(kaart: Ansichtkaart, n: int) -> CardParagraph | None:
    """The machine's text for paragraph ``n`` (1–3) when the card shows a hand one there."""
    if not 1 <= n <= 3:
        return None
    current = card_of(kaart.current)
    if current.paragraphs[n - 1].origin != HAND:
        return None
    return machine_of(kaart.current).paragraphs[n - 1]


@write_transaction
def use_machine_paragraph(kaart: Ansichtkaart, n: int, user: User) -> AnsichtkaartVersion:
    """Put the machine's text back in paragraph ``n``: the trekker's choice."""
    kaart = _locked(Ansichtkaart, kaart.id)
    machine = machine_paragraph(kaart, n)
    if machine is None:
        raise NotFound(_("Deze alinea heeft geen eigen tekst om te vervangen."))
    current = card_of(kaart.current)
    paragraphs = list(current.paragraphs)
    paragraphs[n - 1] = replace(machine, origin=MACHINE)
    card = replace(current, paragraphs=tuple(paragraphs))
    if synthesis.problems(card):
        raise Invalid(
            _(
                "De machinetekst past niet naast je andere alinea's. Maak die eerst korter. "
                "(%(why)s)",
                why=" ".join(synthesis.problems(card)),
            )
        )
    return _add_version(
        kaart,
        card,
        machine_of(kaart.current),
        kaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_("alinea %(n)d: machinetekst", n=n),
    )


def link_state(kaart: Ansichtkaart, link_for: LinkFor) -> str:
    """ "ok"; "uit" when the bouwsteen's read-only link is off; "anders" when the card's QR
    code points elsewhere (the link was made anew, or the public address changed)."""
    token = kaart.bouwsteen.share_token
    if token is None:
        return "uit"
    return "ok" if card_of(kaart.current).qr_url == link_for(token) else "anders"


@write_transaction
def refresh_link(kaart: Ansichtkaart, user: User, link_for: LinkFor) -> Made:
    """Point the QR code at the bouwsteen's current read-only link (turned on if off)."""
    kaart = _locked(Ansichtkaart, kaart.id)
    url, turned_on = _share_url(kaart.bouwsteen, link_for)
    current = card_of(kaart.current)
    if current.qr_url == url:
        return Made(None, link_turned_on=turned_on)
    try:
        card = synthesis.edit(current, share_url=url)
    except CardError as e:
        raise Invalid(str(e)) from e
    version = _add_version(
        kaart,
        card,
        replace(machine_of(kaart.current), qr_url=url),
        kaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_("QR-code"),
    )
    return Made(version, link_turned_on=turned_on)


@write_transaction
def restore_version(kaart: Ansichtkaart, number: int, user: User) -> AnsichtkaartVersion:
    kaart = _locked(Ansichtkaart, kaart.id)
    old = get_version(kaart, number)
    return _add_version(
        kaart,
        card_of(old),
        machine_of(old),
        old.bouwsteen_version,
        VersionKind.RESTORED,
        user,
        note=_("versie %(n)d", n=number),
    )


# --- downloads -----------------------------------------------------------------------------


def render(card: Card, fmt: str) -> bytes:
    if fmt == "pdf":
        return ansichtkaart_pdf.render(card)
    if fmt == "afloop":
        return ansichtkaart_pdf.render(card, bleed=True)
    if fmt == "printvel":  # one card, four times on an A4: to cut at the office
        return ansichtkaart_pdf.print_sheet([card] * ansichtkaart_pdf.SHEET_SLOTS)
    if fmt == "png":
        return ansichtkaart_png.render(card)
    if fmt == "svg":
        return ansichtkaart_svg.render(card)
    if fmt == "txt":
        return (synthesis.alt_text(card) + "\n").encode("utf-8")
    raise Invalid(_("Onbekend formaat; kies pdf, afloop, printvel, png, svg of txt."), "format")


def file_stem(werkplaats: Werkplaats) -> str:
    return f"ansichtkaart-{werkplaats.id}-{slug(werkplaats.title)}"


def export(kaart: Ansichtkaart, fmt: str, version: AnsichtkaartVersion | None = None):
    """(body, mimetype, file name) of a version (default: the current one) in ``fmt``."""
    if fmt not in FORMATS:
        raise Invalid(_("Onbekend formaat; kies pdf, afloop, printvel, png, svg of txt."), "format")
    mimetype, ending = FORMATS[fmt]
    version = version or kaart.current
    body = render(card_of(version), fmt)
    name = f"{file_stem(kaart.bouwsteen.werkplaats)}-v{version.number}{ending}"
    return body, mimetype, name


# --- a programme's cards -------------------------------------------------------------------


def programme_cards(
    programme: Programme,
) -> list[tuple[Werkplaats, AnsichtkaartVersion | None]]:
    """Every werkplaats of the programme in its order, with its card's current version (if
    it has a card). One query for all cards, and only their newest versions."""
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
    return [(w, found.get(w.id)) for w in programme.werkplaatsen]


def programme_card(programme: Programme, werkplaats_id: int) -> AnsichtkaartVersion:
    """The current version of a werkplaats' card, if the werkplaats is in ``programme``."""
    for werkplaats, version in programme_cards(programme):
        if werkplaats.id == werkplaats_id and version is not None:
            return version
    raise NotFound(_("Deze werkplaats heeft (nog) geen ansichtkaart in dit programma."))


def gallery_export(programme: Programme, fmt: str) -> tuple[bytes, str, str]:
    """All cards of a programme: "pdf" one per page, "printvel" four to an A4."""
    made = [card_of(v) for _w, v in programme_cards(programme) if v is not None]
    if not made:
        raise Invalid(_("Dit programma heeft nog geen ansichtkaarten."))
    stem = f"ansichtkaarten-{slug(programme.name)}"
    if fmt == "pdf":
        body = ansichtkaart_pdf.gallery_pdf(made, title=programme.name)
        return body, ansichtkaart_pdf.MIMETYPE, f"{stem}.pdf"
    if fmt == "printvel":
        return ansichtkaart_pdf.print_sheet(made), ansichtkaart_pdf.MIMETYPE, f"{stem}-printvel.pdf"
    raise Invalid(_("Onbekend formaat; kies pdf of printvel."), "format")
