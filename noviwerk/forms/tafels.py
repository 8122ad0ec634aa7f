"""The forms of tafels: setting one up, and a phone picking (or changing) its tafel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField

from ..domain import MAX_NAME_CHARS
from . import FlaskForm


class TafelForm(FlaskForm):
    """A tafel's name, focus and tafelvoorzitter; the choices are set by the view and the
    service says what is wrong, in Dutch."""

    refuses_invisible = True
    name = StringField(_l("Naam van de tafel"), render_kw={"maxlength": MAX_NAME_CHARS})
    focus = SelectField(_l("Focus (niet verplicht)"), choices=[], validate_choice=False)
    voorzitter_name = StringField(_l("Tafelvoorzitter (niet verplicht)"))
    voorzitter_id = SelectField(
        _l("Account van de tafelvoorzitter (niet verplicht)"), choices=[], validate_choice=False
    )


class SeatForm(FlaskForm):
    """A phone's tafel: choices are the werkplaats' open tafels (set by the view)."""

    tafel = RadioField(_l("Aan welke tafel zit je?"), choices=[], validate_choice=False)
