"""Making and changing the ansichtkaart: generate, regenerate from a newer bouwsteen, edit,
put machine text back, point the QR code anew, restore. Every save is a new version
(``services/versions.py``); reading the card is ``services/ansichtkaart``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import VersionKind
from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, User, Werkplaats
from ..synthesis import ansichtkaart as synthesis
from ..synthesis.ansichtkaart import Card, CardError, Term
from ..synthesis.document import HAND, MACHINE
from . import bouwsteen as bouwstenen
from . import export_jobs, versions
from .ansichtkaart import (
    LinkFor,
    card_of,
    edited,
    find,
    get_version,
    machine_of,
    machine_paragraph,
    term_pool,
)
from .errors import Invalid, NotFound


def _add_version(
    kaart: Ansichtkaart,
    card: Card,
    machine: Card,
    bouwsteen_version: int,
    kind: VersionKind,
    user: User | None,
    note: str = "",
) -> AnsichtkaartVersion:
    version = AnsichtkaartVersion(
        kind=kind.value,
        note=note[:300],
        card=synthesis.to_dict(card),
        machine=synthesis.to_dict(machine),
        bouwsteen_version=bouwsteen_version,
        created_by_id=user.id if user else None,
    )
    versions.add(kaart, version)
    return version


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


def generate(
    werkplaats: Werkplaats,
    user: User | None,
    link_for: LinkFor,
    layout: str = synthesis.DEFAULT_LAYOUT,
    *,
    print_ahead: export_jobs.Settings | None = None,
) -> Made:
    """The card from the current bouwsteen draft, as version 1 (once: again is a no-op).

    A werkplaats without a bouwsteen gets its draft first, saved on its own (with
    ``print_ahead`` as ``bouwsteen.open_draft`` takes it): it stays should the card fail.
    """
    bouwsteen = bouwstenen.open_draft(werkplaats, user, print_ahead=print_ahead)
    return _generate(bouwsteen.id, user, link_for, layout)


@write_transaction
def _generate(bouwsteen_id: int, user: User | None, link_for: LinkFor, layout: str) -> Made:
    bouwsteen = versions.locked(Bouwsteen, bouwsteen_id)  # two cards at once: one is made
    if find(bouwsteen.werkplaats) is not None:
        return Made(None)
    url, turned_on = _share_url(bouwsteen, link_for)
    card = _machine_card(bouwsteen, url, layout)
    kaart = Ansichtkaart(bouwsteen=bouwsteen)
    db.session.add(kaart)
    version = _add_version(kaart, card, card, bouwsteen.current.number, VersionKind.GENERATED, user)
    return Made(version, link_turned_on=turned_on)


def _texts(terms: Sequence[Term]) -> set[str]:
    return {t.text.casefold() for t in terms}


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
    kaart = versions.locked(Ansichtkaart, kaart.id)
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
                replace(merged, terms=term_pool(fresh.terms, current.terms)),
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
    kaart = versions.locked(Ansichtkaart, kaart.id)
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


@write_transaction
def use_machine_paragraph(kaart: Ansichtkaart, n: int, user: User) -> AnsichtkaartVersion:
    """Put the machine's text back in paragraph ``n``: the trekker's choice."""
    kaart = versions.locked(Ansichtkaart, kaart.id)
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


@write_transaction
def refresh_link(kaart: Ansichtkaart, user: User, link_for: LinkFor) -> Made:
    """Point the QR code at the bouwsteen's current read-only link (turned on if off)."""
    kaart = versions.locked(Ansichtkaart, kaart.id)
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
    kaart = versions.locked(Ansichtkaart, kaart.id)
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
