"""Flask-WTF forms. Limits come from ``domain``; the rules that matter live in services too."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from enum import Enum

from babel.support import Translations
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..display import TEXTS
from ..domain import (
    DEFAULT_RETENTION_MONTHS,
    MAX_CONTRIBUTION_CHARS,
    MAX_NAME_CHARS,
    MAX_ORGANISATION_CHARS,
    MAX_RETENTION_MONTHS,
    Label,
    ProgrammeRole,
    Role,
    RoundKind,
    Source,
    Veld,
    WerkplaatsKind,
)
from ..text_rules import strip_control


def _shown_choices(cls: type[Enum], members: Iterable[Enum] | None = None) -> list[SelectChoice]:
    """Choices for enum members: the stored (Dutch) value, and the text a person reads in
    the current locale (``display.TEXTS``, lazy, so it is translated when rendered)."""
    return [SelectChoice(m.value, TEXTS[cls][m]) for m in (members or cls)]


@functools.cache
def _wtforms_translations(locale: str) -> Translations:
    from wtforms.i18n import messages_path

    return Translations.load(messages_path(), [locale], domain="wtforms")


class FlaskForm(_FlaskForm):
    """Flask-WTF's form with WTForms' own messages translated as before, but loaded once per
    locale instead of from disk on every request (a measurable share of a phone's post)."""

    # Forms whose service refuses invisible characters with a message (the participant's
    # own text) set this; every other form has them stripped from its text fields.
    refuses_invisible = False

    class Meta:
        def get_translations(self, form):
            if not has_request_context():
                return None
            return _wtforms_translations(str(get_locale()))

        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            if (
                issubclass(kind, StringField)
                and not issubclass(kind, PasswordField | HiddenField)
                and not getattr(form, "refuses_invisible", False)
            ):
                options["filters"] = (*options.get("filters", ()), _strip_invisible)
            return unbound_field.bind(form=form, **options)


def _strip_invisible(value: object) -> object:
    """Typed text without the characters ``text_rules.text_problem`` refuses (see there)."""
    return strip_control(value) if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that POSTs: only the CSRF token."""


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul je e-mailadres in."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul je wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordForm(FlaskForm):
    """Change one's own password; the rules themselves are ``credentials.check_password_rules``."""

    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul je huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Vul een nieuw wachtwoord in."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_repeat = PasswordField(
        _l("Nieuw wachtwoord nog eens"),
        validators=[
            DataRequired(_l("Vul het nieuwe wachtwoord nog eens in.")),
            EqualTo("password", _l("De twee nieuwe wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordForm(FlaskForm):
    """Choose a password through an account link; an invitation also asks for a name."""

    name = StringField(
        _l("Je naam"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul een wachtwoord in."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_repeat = PasswordField(
        _l("Wachtwoord nog eens"),
        validators=[
            DataRequired(_l("Vul het wachtwoord nog eens in.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(
        _l("Rol"),
        choices=_shown_choices(Role),
        default=Role.FACILITATOR.value,
        validate_choice=True,
    )


class JoinForm(FlaskForm):
    code = StringField(
        _l("Code van de werkplaats"),
        validators=[DataRequired(_l("Vul de code in die op het scherm staat."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ProfileForm(FlaskForm):
    refuses_invisible = True
    display_name = StringField(
        _l("Naam (niet verplicht)"),
        validators=[Optional(), Length(max=MAX_NAME_CHARS)],
        render_kw={"autocomplete": "name"},
    )
    organisation = StringField(
        _l("Organisatie (niet verplicht)"),
        validators=[Optional(), Length(max=MAX_ORGANISATION_CHARS)],
        render_kw={"autocomplete": "organization"},
    )
    veld = RadioField(
        _l("Vanuit welk veld doe je mee? (niet verplicht)"),
        choices=[SelectChoice("", _l("Zeg ik liever niet"))] + _shown_choices(Veld),
        default="",
        validate_choice=True,
    )


class ContributionForm(FlaskForm):
    refuses_invisible = True
    text = TextAreaField(
        _l("Jouw bijdrage"),
        render_kw={"rows": 4, "data-limit": MAX_CONTRIBUTION_CHARS},
    )
    round_id = HiddenField()
    client_key = HiddenField()


class EditContributionForm(FlaskForm):
    refuses_invisible = True
    text = TextAreaField(
        _l("Bijdrage aanpassen"), render_kw={"rows": 4, "data-limit": MAX_CONTRIBUTION_CHARS}
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class KernvraagForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField(_l("Kernvraag (kort)"), validators=[Optional(), Length(max=120)])
    question = TextAreaField(_l("Vraag"), validators=[Optional(), Length(max=500)])


class ProgrammeForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Geef het programma een naam.")), Length(max=200)]
    )
    description = TextAreaField(_l("Omschrijving"), validators=[Optional(), Length(max=2000)])
    themes = TextAreaField(_l("Thema's (één per regel)"), validators=[Optional(), Length(max=4000)])
    kernvragen = FieldList(FormField(KernvraagForm), min_entries=5, max_entries=12)
    retention_months = IntegerField(
        _l("Bewaartermijn deelnemersgegevens (maanden)"),
        default=DEFAULT_RETENTION_MONTHS,
        # Left out (an older page): a new programme gets the default, an edited one keeps its own.
        validators=[
            Optional(),
            NumberRange(1, MAX_RETENTION_MONTHS, _l("Kies 1 tot %(max)s maanden.")),
        ],
    )


class MemberForm(FlaskForm):
    """Add an account to a programme's members, or change its role there."""

    user_id = SelectField(_l("Account"), coerce=int, choices=[], validate_choice=True)
    role = SelectField(
        _l("Rol in dit programma"), choices=_shown_choices(ProgrammeRole), default="lid"
    )


class WerkplaatsForm(FlaskForm):
    title = StringField(
        _l("Titel"), validators=[DataRequired(_l("Geef de werkplaats een titel.")), Length(max=200)]
    )
    date = DateField(_l("Datum"), validators=[Optional()])
    time = TimeField(_l("Begintijd"), validators=[Optional()])
    place = StringField(_l("Plaats"), validators=[Optional(), Length(max=200)])
    kind = SelectField(
        _l("Soort"),
        choices=_shown_choices(WerkplaatsKind),
        default="inhoudelijk",
    )
    theme_id = SelectField(_l("Thema"), coerce=int, choices=[], validate_choice=True)
    organisation = StringField(
        _l("Organiserende organisatie"), validators=[Optional(), Length(max=200)]
    )
    facilitator_ids = MultiCheckboxField(_l("Facilitatoren"), coerce=int, choices=[])
    trekker_ids = MultiCheckboxField(_l("Trekkers (met account)"), coerce=int, choices=[])
    trekker_name = StringField(
        _l("Trekker zonder account (naam)"), validators=[Optional(), Length(max=200)]
    )


class RoundForm(FlaskForm):
    """The round's question and plan, and how it works in the room."""

    prompt = TextAreaField(
        _l("Vraag of opdracht voor deze ronde"),
        validators=[DataRequired(_l("Geef de ronde een vraag of opdracht.")), Length(max=500)],
        render_kw={"rows": 2},
    )
    kernvraag_id = SelectField(_l("Kernvraag"), coerce=int, choices=[])
    planned_minutes = IntegerField(
        _l("Geplande minuten"),
        default=15,
        validators=[
            InputRequired(_l("Vul het aantal minuten in.")),
            NumberRange(1, 600, _l("Plan een ronde op 1 tot 600 minuten.")),
        ],
    )
    kind = SelectField(
        _l("Soort ronde"),
        choices=_shown_choices(RoundKind),
        default=RoundKind.OPEN.value,
    )
    is_support_allowed = BooleanField(_l("Deelnemers zien elkaars bijdragen en kunnen +1 geven"))
    is_premoderated = BooleanField(_l("Voormoderatie: bijdragen wachten op goedkeuring"))
    votes_per_participant = IntegerField(
        _l("Stemmen per deelnemer (stemronde)"),
        default=3,
        validators=[NumberRange(1, 20, _l("Geef elke deelnemer 1 tot 20 stemmen."))],
    )
    grace_seconds = IntegerField(
        _l("Uitloop na sluiten (seconden)"),
        default=90,
        validators=[NumberRange(0, 600, _l("Een uitlooptijd is 0 tot 600 seconden."))],
    )


class SectionForm(FlaskForm):
    text = TextAreaField(
        _l("Tekst van de sectie"),
        render_kw={"rows": 16},
        validators=[Length(max=20_000, message=_l("Een sectie is hooguit 20.000 tekens."))],
    )


class DraadNameForm(FlaskForm):
    # No Length validator: the service says "hooguit 80 tekens" after squashing spaces.
    label = StringField(
        _l("Nieuwe naam"),
        validators=[DataRequired(_l("Geef de rode draad een naam."))],
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )


class DraadMergeForm(FlaskForm):
    other = SelectField(_l("Samenvoegen met"), coerce=int, choices=[])


class DraadTagForm(FlaskForm):
    tags = MultiCheckboxField(_l("Nationale belangen en prioriteiten"), choices=[])


class DraadMoveForm(FlaskForm):
    number = IntegerField(
        _l("Bijdrage (nummer in de bijlage)"),
        validators=[InputRequired(_l("Vul het nummer van de bijdrage in."))],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    to = SelectField(_l("Naar rode draad"), coerce=int, choices=[])


class FlagForm(FlaskForm):
    section_id = SelectField(_l("Welke sectie herken je niet?"), choices=[])
    comment = TextAreaField(
        _l("Wat klopt er niet, of wat mis je?"),
        validators=[DataRequired(_l("Schrijf kort wat je niet herkent."))],
        render_kw={"rows": 4},
    )


class NoteForm(FlaskForm):
    """A note-taker types in what was said or written on a flip-chart."""

    text = TextAreaField(
        _l("Bijdrage van de flap of uit het gesprek"),
        render_kw={"rows": 3, "data-limit": MAX_CONTRIBUTION_CHARS},
    )
    source = RadioField(
        _l("Bron"),
        choices=_shown_choices(Source, (Source.FLAP, Source.MONDELING)),
        default="flap",
    )
    label = SelectField(
        _l("Soort (niet verplicht)"),
        choices=[SelectChoice("", _l("(geen)"))] + _shown_choices(Label),
        default="",
    )


class AnsichtkaartForm(FlaskForm):
    refuses_invisible = True  # synthesis.ansichtkaart.editing says what is wrong
    """The ansichtkaart's texts and choices. The card's own rules (``ansichtkaart.edit``) say
    what fits, in Dutch; term and layout choices are set by the view."""

    title = StringField(_l("Titel"))
    paragraph_1 = TextAreaField(_l("Alinea 1"), render_kw={"rows": 5})
    paragraph_2 = TextAreaField(_l("Alinea 2"), render_kw={"rows": 5})
    paragraph_3 = TextAreaField(_l("Alinea 3"), render_kw={"rows": 5})
    terms = MultiCheckboxField(_l("Kernwoorden in het beeld"), choices=[], validate_choice=False)
    new_terms = StringField(_l("Kernwoorden toevoegen"))
    layout = RadioField(_l("Opmaak en kleuren"), choices=[], validate_choice=False)

    @property
    def paragraphs(self) -> list[str | None]:
        return [self.paragraph_1.data, self.paragraph_2.data, self.paragraph_3.data]

    @property
    def chosen_terms(self) -> list[str]:
        """The ticked terms, then the ones typed, separated by commas (empty parts skipped:
        the card's own rules refuse a term that does not fit, it is never cut)."""
        typed = [t for t in (self.new_terms.data or "").split(",") if t.strip()]
        return list(self.terms.data or []) + typed
