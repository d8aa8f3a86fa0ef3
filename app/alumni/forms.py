"""Register and self-service forms. Forms check shape; services check the rules."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.alumni.models import ALUMNUS_STATUSES, CONSENT_PURPOSES, GENDERS
from app.alumni.services import OFFICE_FIELDS
from app.core.i18n import country_choices_in_language

OFFICE_FIELD_LABELS = {
    "student_number": _l("Student number"),
    "given_name": _l("Given name"),
    "family_name": _l("Family name"),
    "programme_id": _l("Programme"),
    "graduation_date": _l("Graduation date"),
    "award_date": _l("Award (diploma issue) date"),
    "cohort_year": _l("Cohort"),
    "birth_date": _l("Birth date"),
}


def _blank_first(choices: list[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


class AlumnusForm(FlaskForm):
    version = HiddenField()
    student_number = StringField(_l("Student number"),
                                 validators=[DataRequired(), Length(max=40)])
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=120)],
                              description=_l("Leave empty for people with one name."))
    preferred_name = StringField(_l("Preferred name"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)],
                        description=_l("With country code, e.g. +66 81 234 5678."))
    country = SelectField(_l("Country"), validators=[Optional()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    gender = SelectField(_l("Gender"), validators=[Optional()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    programme_id = SelectField(_l("Programme"), coerce=lambda v: int(v) if v else None,
                               validators=[Optional()])
    graduation_date = DateField(_l("Graduation date"), validators=[Optional()])
    award_date = DateField(_l("Award (diploma issue) date"), validators=[Optional()],
                           description=_l("Only where it differs from graduation."))
    # Text, not a number field: the register's rule (app.alumni.rules) says what is wrong,
    # in the same words as the import.
    cohort_year = StringField(_l("Cohort (graduation year)"),
                              validators=[Optional(), Length(max=10)],
                              render_kw={"inputmode": "numeric"},
                              description=_l("Leave empty to use the year of the graduation "
                                             "date."))
    status = SelectField(_l("Status"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Code lists in the page's language (the stored value stays the code).
        self.gender.choices = _blank_first([(k, gettext(v)) for k, v in GENDERS.items()])
        self.status.choices = [(k, gettext(v)) for k, v in ALUMNUS_STATUSES.items()]
        self.country.choices = _blank_first(country_choices_in_language())
        self.programme_id.choices = [("", "—")] + [(p.id, p.label) for p in programmes]


class ContactForm(FlaskForm):
    version = HiddenField()
    preferred_name = StringField(_l("Preferred name"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)],
                       description=_l("You sign in with it and we write to it. A new address "
                                      "takes effect when you open the link we send to it."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)],
                        description=_l("With country code, e.g. +84 91 234 5678."))
    country = SelectField(_l("Country you live in"), validators=[Optional()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Save my details"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _blank_first(country_choices_in_language())


class PrivacyForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Save my choices"))


def privacy_form(consents_in_force: dict[str, bool], **kwargs) -> PrivacyForm:
    """A privacy form with one checkbox per consent purpose; the directory consent is also the
    choice to be listed (one question, not two)."""

    class _Form(PrivacyForm):
        pass

    for purpose, text in CONSENT_PURPOSES.items():
        setattr(_Form, f"consent_{purpose}",
                BooleanField(_l(text), default=consents_in_force.get(purpose, False)))
    return _Form(**kwargs)


class CorrectionForm(FlaskForm):
    field = SelectField(_l("Which detail is wrong?"),
                        choices=[(f, OFFICE_FIELD_LABELS[f]) for f in OFFICE_FIELDS])
    message = TextAreaField(_l("What is right?"),
                            validators=[DataRequired(), Length(min=5, max=2000)])
    submit = SubmitField(_l("Send to the alumni office"))


class ResolveCorrectionForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Close request"))
