"""Exchange forms. Forms check shape; services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS
from app.core.i18n import country_choices_in_language
from app.exchange.models import AGREEMENT_STATUSES, MODES, PERFORMANCE_RESULTS, ROUNDING_MODES


def _id_or_none(value):
    return int(value) if value not in (None, "", "None") else None


def _in_language(codes: dict[str, str]) -> list[tuple[str, str]]:
    """A code list's choices, said in the page's language (the list's words are marked N_)."""
    return [(code, _l(word)) for code, word in codes.items()]


def _institution_choices(institutions) -> list[tuple[int | str, str]]:
    return [("", "—")] + [(i.id, f"{i.code} — {i.name} ({i.country})") for i in institutions]


class _InstitutionPickers(FlaskForm):
    """A form whose `PICKERS` fields choose among the `institutions` it is given."""

    PICKERS: tuple[str, ...] = ()

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _institution_choices(institutions)
        for name in self.PICKERS:
            getattr(self, name).choices = choices


class BatchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("E.g. SEAMEO TVET Virtual Student Exchange 2022"))
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    batch_number = IntegerField(_l("Batch number"), default=1, validators=[NumberRange(1, 99)])
    mode = SelectField(_l("Mode"), choices=_in_language(MODES))
    window_start = DateField(_l("Core window starts"), validators=[Optional()])
    window_end = DateField(_l("Core window ends"), validators=[Optional()])
    coordinator = StringField(_l("Coordinator"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class PartnerForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)],
                       description=_l("A short code used in spreadsheets, e.g. PNJ-ID"))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=_in_language(INSTITUTION_KINDS))
    submit = SubmitField(_l("Add partner"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", "—"), *country_choices_in_language()]


class AgreementForm(_InstitutionPickers):
    PICKERS = ("first_institution_id", "second_institution_id")

    first_institution_id = SelectField(_l("Institution"), coerce=_id_or_none)
    second_institution_id = SelectField(_l("Partner institution"), coerce=_id_or_none)
    duration_days = IntegerField(_l("Agreed duration (days)"),
                                 validators=[Optional(), NumberRange(1, 365)])
    hours_per_day = DecimalField(_l("Hours per day"), places=1,
                                 validators=[Optional(), NumberRange(0, 24)])
    places_first_to_second = IntegerField(_l("Places from the first to the second"), default=0,
                                          validators=[Optional(), NumberRange(0, 10000)])
    places_second_to_first = IntegerField(_l("Places from the second to the first"), default=0,
                                          validators=[Optional(), NumberRange(0, 10000)])
    status = SelectField(_l("Status"), choices=_in_language(AGREEMENT_STATUSES))
    signed_date = DateField(_l("Signed on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class DocumentForm(FlaskForm):
    document = FileField(_l("Agreement document (PDF, PNG, JPEG or DOCX, at most 5 MB)"),
                         validators=[FileRequired()])
    submit = SubmitField(_l("Upload"))


class ParticipationForm(_InstitutionPickers):
    PICKERS = ("sending_institution_id", "receiving_institution_id")

    student_number = StringField(_l("Student number"), validators=[DataRequired(), Length(max=40)],
                                 description=_l("At the sending institution."))
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    programme_code = StringField(_l("Programme code"), validators=[Optional(), Length(max=30)])
    sending_institution_id = SelectField(_l("Sending institution"), coerce=_id_or_none)
    receiving_institution_id = SelectField(_l("Receiving institution"), coerce=_id_or_none)
    study_area = SelectField(_l("Study area"), choices=_in_language(STUDY_AREAS))
    level = SelectField(_l("Qualification level"),
                        choices=[("", "—")] + _in_language(QUALIFICATION_LEVELS))
    start_date = DateField(_l("Start"), validators=[Optional()])
    end_date = DateField(_l("End"), validators=[Optional()])
    hours = DecimalField(_l("Exchange hours"), places=1,
                         validators=[Optional(), NumberRange(0, 2000)])
    project = StringField(_l("Project"), validators=[Optional(), Length(max=300)])
    mentor_teacher = StringField(_l("Mentor teacher"), validators=[Optional(), Length(max=200)])
    e_buddy = StringField(_l("E-buddy"), validators=[Optional(), Length(max=200)])
    industry_partner = StringField(_l("Industry partner"), validators=[Optional(), Length(max=200)])
    performance_result = SelectField(_l("Performance result"),
                                     choices=[("", "—")] + _in_language(PERFORMANCE_RESULTS))
    evaluation_submitted = BooleanField(_l("Evaluation form submitted"))
    certificate_number = StringField(_l("Certificate number"),
                                     validators=[Optional(), Length(max=60)],
                                     description=_l("Left empty, one is given on completion."))
    submit = SubmitField(_l("Save"))


class StatusForm(FlaskForm):
    status = SelectField(_l("Move to"), choices=[])
    submit = SubmitField(_l("Change status"))


class RecognitionForm(FlaskForm):
    recognised = SelectField(_l("Credits recognised?"), choices=[("yes", _l("Yes")),
                                                                 ("no", _l("No"))])
    credits = DecimalField(_l("Credits"), places=1, validators=[Optional(), NumberRange(0, 1000)],
                           description=_l("Left empty, your institution's credit rule gives them."))
    decision_date = DateField(_l("Decision date"), validators=[DataRequired()])
    submit = SubmitField(_l("Record decision"))


class CreditRuleForm(FlaskForm):
    hours_per_credit = DecimalField(
        _l("Hours per credit"), places=2,
        validators=[InputRequired(_l("Enter the hours per credit.")),  # 0 is not "empty"
                    NumberRange(0.01, 1000,
                                _l("Enter hours per credit above 0 and at most 1000."))])
    rounding = SelectField(_l("Rounding"), choices=_in_language(ROUNDING_MODES))
    max_credits = DecimalField(_l("Maximum credits"), places=1,
                               validators=[Optional(), NumberRange(0, 1000)])
    min_hours = DecimalField(_l("Minimum hours"), places=1,
                             validators=[Optional(), NumberRange(0, 2000)],
                             description=_l("Below this, no credits are recognised."))
    submit = SubmitField(_l("Save rule"))
