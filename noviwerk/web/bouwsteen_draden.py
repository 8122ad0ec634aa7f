"""The trekker shapes the rode draden on the bouwsteen page: rename, merge, move, drop, and
tags them with the NOVI's nationale belangen and prioriteiten.

Small forms inside the Rode draden section, plain POSTs that work without JavaScript; each
save is a version (services/bouwsteen_draden.py). A refused one shows the page again with
the message beside the form and what was typed still in it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..forms import ActionForm, DraadMergeForm, DraadMoveForm, DraadNameForm, DraadTagForm
from ..services import bouwsteen_draden as svc
from ..services.errors import Invalid
from ..synthesis.document import RODE_DRADEN
from ..tags import TAGS
from .bouwsteen import PREFIX, _back, _bouwsteen, _confirm_at, _page, bp, print_ahead
from .decorators import werkplaats_access


def shaping(bouwsteen, posted: tuple[str, int | None] | None = None, error: str = "") -> dict:
    """The forms of the panel, one set per rode draad (prefixed, so no two fields share an
    id). ``posted`` names the form this request sent: that one reads the request."""
    draden = svc.draden(bouwsteen)
    labels = [SelectChoice(d.key, d.label) for d in draden]

    def made(cls, kind: str, key: int | None, **data):
        sent = {} if posted == (kind, key) else {"formdata": None}
        return cls(prefix=f"{kind}-{key}" if key is not None else kind, **sent, **data)

    merge = {d.key: made(DraadMergeForm, "samen", d.key) for d in draden}
    for key, form in merge.items():
        form.other.choices = [c for c in labels if c.value != key]
    move = made(DraadMoveForm, "verplaats", None)
    move.to.choices = labels
    tagged = svc.tags(bouwsteen)
    tag_choices = [SelectChoice(t.key, f"{t.kind.capitalize()} {t.number}: {t.text}") for t in TAGS]
    tag = {
        d.key: made(DraadTagForm, "tags", d.key, tags=list(tagged.get(d.key, ()))) for d in draden
    }
    for form in tag.values():
        form.tags.choices = tag_choices
    return {
        "draden": draden,
        "rename": {d.key: made(DraadNameForm, "naam", d.key, label=d.label) for d in draden},
        "merge": merge,
        "drop": {d.key: made(ActionForm, "weg", d.key) for d in draden},
        "move": move,
        "tag": tag,
        "tagged": tagged,
        "error": error,
    }


def _save(kind: str, key: int | None, form_of, call):
    """Validate the posted form, call the service; on a refusal the page again, with why."""
    bouwsteen = _bouwsteen()
    panel = shaping(bouwsteen, (kind, key))
    form = form_of(panel)
    if form is None:  # a rode draad that is gone since the page was loaded
        panel["error"] = _(
            "Deze rode draad staat niet (meer) in de bouwsteen. Laad de pagina opnieuw."
        )
    elif form.validate_on_submit():
        try:
            version = call(bouwsteen, form)
        except Invalid as e:
            field = getattr(form, e.field or "", None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [e.message]
            panel["error"] = e.message
        else:
            _confirm_at(
                RODE_DRADEN, _("%(what)s (versie %(n)d).", what=version.note, n=version.number)
            )
            return _back("#" + RODE_DRADEN)
    else:
        panel["error"] = next(iter(e for errors in form.errors.values() for e in errors), "")
    return _page(bouwsteen, shaping=panel, shaping_at=(kind, key)), 422


@bp.post(PREFIX + "/rode-draden/<int:key>/naam")
@werkplaats_access(control=False)
def rename_draad(wid: int, key: int):
    return _save(
        "naam",
        key,
        lambda panel: panel["rename"].get(key),
        lambda b, form: svc.rename_draad(
            b, key, form.label.data or "", current_user, print_ahead=print_ahead()
        ),
    )


@bp.post(PREFIX + "/rode-draden/<int:key>/samenvoegen")
@werkplaats_access(control=False)
def merge_draden(wid: int, key: int):
    return _save(
        "samen",
        key,
        lambda panel: panel["merge"].get(key),
        lambda b, form: svc.merge_draden(
            b, key, form.other.data, current_user, print_ahead=print_ahead()
        ),
    )


@bp.post(PREFIX + "/rode-draden/<int:key>/weglaten")
@werkplaats_access(control=False)
def drop_draad(wid: int, key: int):
    return _save(
        "weg",
        key,
        lambda panel: panel["drop"].get(key),
        lambda b, form: svc.drop_draad(b, key, current_user, print_ahead=print_ahead()),
    )


@bp.post(PREFIX + "/rode-draden/verplaatsen")
@werkplaats_access(control=False)
def move_bijdrage(wid: int):
    return _save(
        "verplaats",
        None,
        lambda panel: panel["move"],
        lambda b, form: svc.move_bijdrage(
            b, form.number.data, form.to.data, current_user, print_ahead=print_ahead()
        ),
    )


@bp.post(PREFIX + "/rode-draden/<int:key>/tags")
@werkplaats_access(control=False)
def tag_draad(wid: int, key: int):
    return _save(
        "tags",
        key,
        lambda panel: panel["tag"].get(key),
        lambda b, form: svc.tag_draad(
            b, key, form.tags.data or [], current_user, print_ahead=print_ahead()
        ),
    )


__all__ = ["shaping"]
