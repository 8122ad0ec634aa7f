"""The trekker shapes the rode draden of the bouwsteen: rename, merge, move, drop, and tags
them with the NOVI's nationale belangen and prioriteiten.

Each choice is added to the Document's ``draad_edits`` and the draft assembled again with
them (``synthesis.draad_edits``), so the rode draden and the samenvatting follow, and
"Bijwerken met nieuwe inbreng" replays them. Each is a new version, kind "bewerkt", whose
note says what changed: shown on the versions page and restorable like a section edit.
Hand-written sections stay as they are, as on every regeneration.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _

from ..domain import VersionKind
from ..models import Bouwsteen, BouwsteenVersion, User
from ..synthesis import draad_edits, editing
from ..synthesis.document import Document, DraadEdit
from ..synthesis.draad_edits import MAX_LABEL_CHARS, ShownDraad, draad_tags, shown_draden
from ..synthesis.phrasing import squash
from ..tags import TAG_BY_KEY, tag_keys, unknown_keys
from .bouwsteen import _add_version, _editable, _locked, _machine_for, _saves, document_of
from .errors import Invalid


def draden(bouwsteen: Bouwsteen) -> tuple[ShownDraad, ...]:
    """The rode draden the current version shows, for the trekker's forms."""
    return shown_draden(document_of(bouwsteen.current))


def _draad(document: Document, key: int, field: str = "draad") -> ShownDraad:
    found = next((d for d in shown_draden(document) if d.key == key), None)
    if found is None:
        raise Invalid(
            _("Deze rode draad staat niet (meer) in de bouwsteen. Laad de pagina opnieuw."), field
        )
    return found


def _shaped(
    bouwsteen: Bouwsteen, document: Document, edit: DraadEdit, user: User, note: str
) -> BouwsteenVersion:
    shaped = replace(document, draad_edits=(*document.draad_edits, edit))
    merged, _conflicts = editing.merge_regenerated(document, _machine_for(bouwsteen, shaped))
    return _add_version(bouwsteen, merged, VersionKind.EDITED, user, note=note)


def _current(bouwsteen: Bouwsteen) -> tuple[Bouwsteen, Document]:
    bouwsteen = _locked(bouwsteen)
    _editable(bouwsteen)
    return bouwsteen, document_of(bouwsteen.current)


@_saves
def rename_draad(bouwsteen: Bouwsteen, key: int, name: str, user: User) -> BouwsteenVersion:
    bouwsteen, document = _current(bouwsteen)
    draad = _draad(document, key)
    name = squash(name or "")
    if not name:
        raise Invalid(_("Geef de rode draad een naam."), "label")
    if len(name) > MAX_LABEL_CHARS:
        raise Invalid(_("Een naam is hooguit %(n)d tekens.", n=MAX_LABEL_CHARS), "label")
    if name == draad.label:
        raise Invalid(_("Zo heet deze rode draad al."), "label")
    same = next((d for d in shown_draden(document) if d.key != key
                 and d.label.casefold() == name.casefold()), None)
    if same is not None:
        raise Invalid(_("Zo heet de rode draad '%(t)s' al. Kies een andere naam, of voeg de "
                        "twee samen.", t=same.label), "label")
    note = _("Rode draad '%(old)s' heet nu '%(new)s'", old=draad.label, new=name)
    return _shaped(bouwsteen, document, draad_edits.rename(key, name), user, note)


@_saves
def merge_draden(bouwsteen: Bouwsteen, key: int, other: int, user: User) -> BouwsteenVersion:
    """``other`` joins the rode draad ``key``, which keeps its name."""
    bouwsteen, document = _current(bouwsteen)
    draad = _draad(document, key)
    if other == key:
        raise Invalid(_("Een rode draad kan niet met zichzelf worden samengevoegd."), "other")
    taken = _draad(document, other, "other")
    note = _("Rode draad '%(b)s' samengevoegd met '%(a)s'", a=draad.label, b=taken.label)
    return _shaped(bouwsteen, document, draad_edits.merge(key, other), user, note)


@_saves
def move_bijdrage(bouwsteen: Bouwsteen, number: int, to: int, user: User) -> BouwsteenVersion:
    """Contribution ``number`` (as the bijlage numbers it) moves into the rode draad ``to``."""
    bouwsteen, document = _current(bouwsteen)
    contribution = editing.number_to_id(document).get(number)
    if contribution is None:
        raise Invalid(
            _("Bijdrage %(n)d staat niet in de bijlage van deze werkplaats.", n=number), "number"
        )
    target = _draad(document, to, "to")
    if contribution in target.members:
        raise Invalid(_("Bijdrage %(n)d hoort al bij '%(t)s'.", n=number, t=target.label), "number")
    note = _("Bijdrage %(n)d naar rode draad '%(t)s'", n=number, t=target.label)
    return _shaped(bouwsteen, document, draad_edits.move(contribution, to), user, note)


@_saves
def drop_draad(bouwsteen: Bouwsteen, key: int, user: User) -> BouwsteenVersion:
    bouwsteen, document = _current(bouwsteen)
    draad = _draad(document, key)
    note = _("Rode draad '%(t)s' weggelaten", t=draad.label)
    return _shaped(bouwsteen, document, draad_edits.drop(key), user, note)


def tags(bouwsteen: Bouwsteen) -> dict[int, tuple[str, ...]]:
    """The tags of each rode draad the current version shows, by its key."""
    return draad_tags(document_of(bouwsteen.current))


@_saves
def tag_draad(bouwsteen: Bouwsteen, key: int, keys: list[str], user: User) -> BouwsteenVersion:
    """The rode draad's tags from now on (none clears them); a version like every choice."""
    bouwsteen, document = _current(bouwsteen)
    draad = _draad(document, key)
    if unknown := unknown_keys(keys):
        raise Invalid(_("Onbekende tag: %(t)s.", t=", ".join(u[:20] for u in unknown[:3])), "tags")
    wanted = tag_keys(keys)
    if wanted == draad_tags(document).get(key, ()):
        raise Invalid(_("Deze rode draad heeft deze tags al."), "tags")
    shown = ", ".join(f"{TAG_BY_KEY[k].kind} {TAG_BY_KEY[k].number}" for k in wanted)
    note = (
        _("Rode draad '%(t)s' getagd: %(tags)s", t=draad.label, tags=shown)
        if wanted
        else _("Tags van rode draad '%(t)s' weggehaald", t=draad.label)
    )
    return _shaped(bouwsteen, document, draad_edits.tag(key, wanted), user, note)


__all__ = [
    "draden", "drop_draad", "merge_draden", "move_bijdrage", "rename_draad", "tag_draad", "tags",
]  # fmt: skip
