"""Making and changing the ansichtkaart: generate, regenerate from a newer bouwsteen, edit,
put machine text back, point the QR code anew, restore. Every save is a new version
(``services/versions.py``); reading it is ``services/ansichtkaart``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from ..database import write_transaction
from ..domain import VersionKind
from ..extensions import db
from ..models import Ansichtkaart, AnsichtkaartVersion, Bouwsteen, User, Werkplaats
from ..synthesis import ansichtkaart as synthesis
from ..synthesis.ansichtkaart import AnsichtkaartContent, AnsichtkaartError, Term
from ..synthesis.document import HAND, MACHINE
from . import bouwsteen as bouwstenen
from . import export_jobs, versions
from .ansichtkaart import (
    LinkFor,
    content_of,
    edited,
    find,
    get_version,
    machine_of,
    machine_paragraph,
    term_pool,
)
from .errors import Invalid, NotFound


def _add_version(
    ansichtkaart: Ansichtkaart,
    content: AnsichtkaartContent,
    machine: AnsichtkaartContent,
    bouwsteen_version: int,
    kind: VersionKind,
    user: User | None,
    note: str = "",
) -> AnsichtkaartVersion:
    version = AnsichtkaartVersion(
        kind=kind.value,
        note=note[:300],
        content=synthesis.to_dict(content),
        machine=synthesis.to_dict(machine),
        bouwsteen_version=bouwsteen_version,
        created_by_id=user.id if user else None,
    )
    versions.add(ansichtkaart, version)
    return version


def _share_url(bouwsteen: Bouwsteen, link_for: LinkFor) -> tuple[str, bool]:
    """The bouwsteen's read-only URL, and whether its link had to be turned on for it."""
    turned_on = bouwsteen.share_token is None
    if turned_on:
        bouwstenen.share(bouwsteen, True)  # joins this transaction
    return link_for(bouwsteen.share_token), turned_on


def _machine_content(bouwsteen: Bouwsteen, url: str | None, layout: str) -> AnsichtkaartContent:
    try:
        return synthesis.generate(
            bouwstenen.document_of(bouwsteen.current), share_url=url, layout=layout
        )
    except AnsichtkaartError as e:
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
    """The ansichtkaart from the current bouwsteen draft, as version 1 (once: again is a no-op).

    A werkplaats without a bouwsteen gets its draft first, saved on its own (with
    ``print_ahead`` as ``bouwsteen.open_draft`` takes it): it stays should the card fail.
    """
    bouwsteen = bouwstenen.open_draft(werkplaats, user, print_ahead=print_ahead)
    return _generate(bouwsteen.id, user, link_for, layout)


@write_transaction
def _generate(bouwsteen_id: int, user: User | None, link_for: LinkFor, layout: str) -> Made:
    bouwsteen = versions.locked(Bouwsteen, bouwsteen_id)  # two at once: one is made
    if find(bouwsteen.werkplaats) is not None:
        return Made(None)
    url, turned_on = _share_url(bouwsteen, link_for)
    content = _machine_content(bouwsteen, url, layout)
    ansichtkaart = Ansichtkaart(bouwsteen=bouwsteen)
    db.session.add(ansichtkaart)
    version = _add_version(
        ansichtkaart, content, content, bouwsteen.current.number, VersionKind.GENERATED, user
    )
    return Made(version, link_turned_on=turned_on)


def _texts(terms: Sequence[Term]) -> set[str]:
    return {t.text.casefold() for t in terms}


def _fit_machine_paragraphs(
    content: AnsichtkaartContent, hand: set[int]
) -> tuple[AnsichtkaartContent, bool] | None:
    """Shorten the machine's paragraphs (never a hand one) until the card fits, or None."""
    shortened = False
    while synthesis.problems(content):
        candidates = []
        for i, paragraph in enumerate(content.paragraphs):
            shorter = None if i in hand else synthesis.shorten_once(paragraph.text)
            if shorter:
                candidates.append((len(paragraph.text), i, shorter))
        if not candidates:
            return None
        _length, i, shorter = max(candidates)
        paragraphs = list(content.paragraphs)
        paragraphs[i] = replace(paragraphs[i], text=shorter)
        content = replace(content, paragraphs=tuple(paragraphs))
        shortened = True
    return content, shortened


@write_transaction
def regenerate(ansichtkaart: Ansichtkaart, user: User | None, link_for: LinkFor) -> Made:
    """Take over the newest bouwsteen version: machine parts follow it, hand parts stay.

    The QR code follows the bouwsteen's read-only link as it is: never turned back on.

    Hand-written paragraphs, a changed title and a hand-picked set of terms are kept; the
    machine's paragraphs around them give up words (never a hand one) when the whole would
    not fit. If even that cannot make room, nothing is saved and the message says why.
    """
    ansichtkaart = versions.locked(Ansichtkaart, ansichtkaart.id)
    bouwsteen = ansichtkaart.bouwsteen
    current, basis = content_of(ansichtkaart.current), machine_of(ansichtkaart.current)
    # A link the trekker turned off stays off: the card then goes without a QR code
    # (turning it on is refresh_link's, at the trekker's own request).
    url = link_for(bouwsteen.share_token) if bouwsteen.share_token else None
    fresh = _machine_content(bouwsteen, url, current.layout)

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
        except AnsichtkaartError:
            kept_terms, terms_reset = False, True

    if merged == current and fresh == basis:
        return Made(None)
    version = _add_version(
        ansichtkaart,
        merged,
        fresh,
        bouwsteen.current.number,
        VersionKind.REGENERATED,
        user,
        note=_("uit bouwsteen versie %(n)d", n=bouwsteen.current.number),
    )
    return Made(
        version,
        kept_paragraphs=tuple(sorted(i + 1 for i in hand)),
        kept_title=kept_title,
        kept_terms=kept_terms,
        shortened=shortened,
        terms_reset=terms_reset,
    )


# --- edit ----------------------------------------------------------------------------------


def _what_changed(old: AnsichtkaartContent, new: AnsichtkaartContent) -> str:
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
    ansichtkaart: Ansichtkaart,
    user: User,
    *,
    title: str | None,
    paragraphs: Sequence[str | None],
    terms: Sequence[str],
    layout: str | None,
) -> AnsichtkaartVersion | None:
    """Save the trekker's texts and choices as a new version; None when nothing changed."""
    ansichtkaart = versions.locked(Ansichtkaart, ansichtkaart.id)
    content = edited(ansichtkaart, title=title, paragraphs=paragraphs, terms=terms, layout=layout)
    current = content_of(ansichtkaart.current)
    if content == current:
        return None
    return _add_version(
        ansichtkaart,
        content,
        machine_of(ansichtkaart.current),
        ansichtkaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_what_changed(current, content),
    )


@write_transaction
def use_machine_paragraph(ansichtkaart: Ansichtkaart, n: int, user: User) -> AnsichtkaartVersion:
    """Put the machine's text back in paragraph ``n``: the trekker's choice."""
    ansichtkaart = versions.locked(Ansichtkaart, ansichtkaart.id)
    machine = machine_paragraph(ansichtkaart, n)
    if machine is None:
        raise NotFound(_("Deze alinea heeft geen eigen tekst om te vervangen."))
    current = content_of(ansichtkaart.current)
    paragraphs = list(current.paragraphs)
    paragraphs[n - 1] = replace(machine, origin=MACHINE)
    content = replace(current, paragraphs=tuple(paragraphs))
    if synthesis.problems(content):
        raise Invalid(
            _(
                "De machinetekst past niet naast je andere alinea's. Maak die eerst korter. "
                "(%(why)s)",
                why=" ".join(synthesis.problems(content)),
            )
        )
    return _add_version(
        ansichtkaart,
        content,
        machine_of(ansichtkaart.current),
        ansichtkaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_("alinea %(n)d: machinetekst", n=n),
    )


@write_transaction
def refresh_link(ansichtkaart: Ansichtkaart, user: User, link_for: LinkFor) -> Made:
    """Point the QR code at the bouwsteen's current read-only link (turned on if off)."""
    ansichtkaart = versions.locked(Ansichtkaart, ansichtkaart.id)
    url, turned_on = _share_url(ansichtkaart.bouwsteen, link_for)
    current = content_of(ansichtkaart.current)
    if current.qr_url == url:
        return Made(None, link_turned_on=turned_on)
    try:
        content = synthesis.edit(current, share_url=url)
    except AnsichtkaartError as e:
        raise Invalid(str(e)) from e
    version = _add_version(
        ansichtkaart,
        content,
        replace(machine_of(ansichtkaart.current), qr_url=url),
        ansichtkaart.current.bouwsteen_version,
        VersionKind.EDITED,
        user,
        note=_("QR-code"),
    )
    return Made(version, link_turned_on=turned_on)


@write_transaction
def restore_version(ansichtkaart: Ansichtkaart, number: int, user: User) -> AnsichtkaartVersion:
    ansichtkaart = versions.locked(Ansichtkaart, ansichtkaart.id)
    old = get_version(ansichtkaart, number)
    return _add_version(
        ansichtkaart,
        content_of(old),
        machine_of(old),
        old.bouwsteen_version,
        VersionKind.RESTORED,
        user,
        note=_("versie %(n)d", n=number),
    )
