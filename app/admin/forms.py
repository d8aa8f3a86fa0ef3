"""Administration forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.alumni.isced import FORMAT_HINT
from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS
from app.auth.services import STAFF_ROLES
from app.core.countries import country_choices
from app.core.i18n import LANGUAGES
from app.core.permissions import ROLE_LABELS
from app.core.timezones import zone_names


class InstitutionForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=30)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    country = SelectField("Country", validators=[DataRequired()])
    kind = SelectField("Kind", choices=list(INSTITUTION_KINDS.items()))
    time_zone = SelectField("Time zone", validators=[Optional()],
                            description="Event times are on these clocks. Empty: the "
                                        "country's main time zone.")
    rights_deadline_days = IntegerField(
        "Days to answer a privacy request", default=30,
        validators=[Optional(), NumberRange(min=1, max=90, message="From 1 to 90 days.")],
        description="An alumnus's request to see, correct or erase their data is due this "
                    "many days after it comes (the jurisdiction's deadline; 30 under the "
                    "data-protection laws of Malaysia, Singapore, the Philippines, Thailand, "
                    "Indonesia and Vietnam).")
    default_language = SelectField(
        "Default language", choices=list(LANGUAGES.items()), default="en",
        description="Pages and e-mail are in it when neither the person's own choice nor "
                    "their browser says otherwise.")
    buddhist_era = BooleanField("Buddhist Era years on Thai pages", default=True,
                                description="Thai pages show 2569 for 2026; stored dates stay "
                                            "common era.")
    is_home = BooleanField("Home institution of this deployment",
                           description="One institution is the home one: ticking this here "
                                       "takes the mark from the current home institution.")
    submit = SubmitField("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.time_zone.choices = [("", "— the country's main time zone —"),
                                  *((z, z) for z in zone_names())]


class ProgrammeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=30)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    level = SelectField("Qualification level", choices=list(QUALIFICATION_LEVELS.items()))
    study_area = SelectField("Study area (SEAMEO)", choices=list(STUDY_AREAS.items()))
    isced_code = StringField("ISCED-F field code",
                             validators=[Optional(), Length(max=4, message=FORMAT_HINT)],
                             description="ISCED-F 2013: 2 digits for the broad field, 3 narrow, "
                                         "4 detailed, for example 0714 (electronics and "
                                         "automation); 9999 if not known.")
    duration_months = IntegerField("Duration (months)",
                                   validators=[Optional(), NumberRange(1, 120)])
    active = BooleanField("Open for enrolment", default=True)
    submit = SubmitField("Save")


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField("Full name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=[(k, ROLE_LABELS[k]) for k in STAFF_ROLES])
    institution_id = SelectField("Institution", coerce=lambda v: int(v) if v else None)
    submit = SubmitField("Create account")


class NoticeForm(FlaskForm):
    version = StringField("Version", validators=[DataRequired(), Length(max=20)],
                          description="A name alumni and the consent history show, e.g. 2027-01.")
    text = TextAreaField("Notice", validators=[DataRequired(), Length(max=50000)])
    submit = SubmitField("Publish this version")
