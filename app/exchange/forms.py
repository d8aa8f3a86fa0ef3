"""Exchange forms. Forms check shape; services check the rules."""

from __future__ import annotations

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
from app.core.countries import country_choices
from app.exchange.models import AGREEMENT_STATUSES, MODES, PERFORMANCE_RESULTS, ROUNDING_MODES


def _id_or_none(value):
    return int(value) if value not in (None, "", "None") else None


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
    name = StringField("Name", validators=[DataRequired(), Length(max=200)],
                       description="E.g. SEAMEO TVET Virtual Student Exchange 2022")
    year = IntegerField("Year", validators=[DataRequired(), NumberRange(2000, 2100)])
    batch_number = IntegerField("Batch number", default=1, validators=[NumberRange(1, 99)])
    mode = SelectField("Mode", choices=list(MODES.items()))
    window_start = DateField("Core window starts", validators=[Optional()])
    window_end = DateField("Core window ends", validators=[Optional()])
    coordinator = StringField("Coordinator", validators=[Optional(), Length(max=200)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Save")


class PartnerForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=20)],
                       description="A short code used in spreadsheets, e.g. PNJ-ID")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    country = SelectField("Country", validators=[DataRequired()])
    kind = SelectField("Kind", choices=list(INSTITUTION_KINDS.items()))
    submit = SubmitField("Add partner")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", "—")] + country_choices()


class AgreementForm(_InstitutionPickers):
    PICKERS = ("first_institution_id", "second_institution_id")

    first_institution_id = SelectField("Institution", coerce=_id_or_none)
    second_institution_id = SelectField("Partner institution", coerce=_id_or_none)
    duration_days = IntegerField("Agreed duration (days)",
                                 validators=[Optional(), NumberRange(1, 365)])
    hours_per_day = DecimalField("Hours per day", places=1,
                                 validators=[Optional(), NumberRange(0, 24)])
    places_first_to_second = IntegerField("Places from the first to the second", default=0,
                                          validators=[Optional(), NumberRange(0, 10000)])
    places_second_to_first = IntegerField("Places from the second to the first", default=0,
                                          validators=[Optional(), NumberRange(0, 10000)])
    status = SelectField("Status", choices=list(AGREEMENT_STATUSES.items()))
    signed_date = DateField("Signed on", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Save")


class DocumentForm(FlaskForm):
    document = FileField("Agreement document (PDF, PNG, JPEG or DOCX, at most 5 MB)",
                         validators=[FileRequired()])
    submit = SubmitField("Upload")


class ParticipationForm(_InstitutionPickers):
    PICKERS = ("sending_institution_id", "receiving_institution_id")

    student_number = StringField("Student number", validators=[DataRequired(), Length(max=40)],
                                 description="At the sending institution.")
    given_name = StringField("Given name", validators=[DataRequired(), Length(max=120)])
    family_name = StringField("Family name", validators=[Optional(), Length(max=120)])
    email = StringField("E-mail", validators=[Optional(), Length(max=254)])
    programme_code = StringField("Programme code", validators=[Optional(), Length(max=30)])
    sending_institution_id = SelectField("Sending institution", coerce=_id_or_none)
    receiving_institution_id = SelectField("Receiving institution", coerce=_id_or_none)
    study_area = SelectField("Study area", choices=list(STUDY_AREAS.items()))
    level = SelectField("Qualification level",
                        choices=[("", "—")] + list(QUALIFICATION_LEVELS.items()))
    start_date = DateField("Start", validators=[Optional()])
    end_date = DateField("End", validators=[Optional()])
    hours = DecimalField("Hours", places=1, validators=[Optional(), NumberRange(0, 2000)])
    project = StringField("Project", validators=[Optional(), Length(max=300)])
    mentor_teacher = StringField("Mentor teacher", validators=[Optional(), Length(max=200)])
    e_buddy = StringField("E-buddy", validators=[Optional(), Length(max=200)])
    industry_partner = StringField("Industry partner", validators=[Optional(), Length(max=200)])
    performance_result = SelectField("Performance result",
                                     choices=[("", "—")] + list(PERFORMANCE_RESULTS.items()))
    evaluation_submitted = BooleanField("Evaluation form submitted")
    certificate_number = StringField("Certificate number", validators=[Optional(), Length(max=60)],
                                     description="Left empty, one is given on completion.")
    submit = SubmitField("Save")


class StatusForm(FlaskForm):
    status = SelectField("Move to", choices=[])
    submit = SubmitField("Change status")


class RecognitionForm(FlaskForm):
    recognised = SelectField("Credits recognised?", choices=[("yes", "Yes"), ("no", "No")])
    credits = DecimalField("Credits", places=1, validators=[Optional(), NumberRange(0, 1000)],
                           description="Left empty, your institution's credit rule gives them.")
    decision_date = DateField("Decision date", validators=[DataRequired()])
    submit = SubmitField("Record decision")


class CreditRuleForm(FlaskForm):
    hours_per_credit = DecimalField(
        "Hours per credit", places=2,
        validators=[InputRequired("Enter the hours per credit."),  # 0 is not "empty"
                    NumberRange(0.01, 1000, "Enter hours per credit above 0 and at most 1000.")])
    rounding = SelectField("Rounding", choices=list(ROUNDING_MODES.items()))
    max_credits = DecimalField("Maximum credits", places=1,
                               validators=[Optional(), NumberRange(0, 1000)])
    min_hours = DecimalField("Minimum hours", places=1,
                             validators=[Optional(), NumberRange(0, 2000)],
                             description="Below this, no credits are recognised.")
    submit = SubmitField("Save rule")
