"""Administration forms."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
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
from app.core.i18n import LANGUAGES, country_choices_in_language
from app.core.permissions import ROLE_LABELS
from app.core.timezones import zone_names


class InstitutionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"))
    time_zone = SelectField(_l("Time zone"), validators=[Optional()],
                            description=_l("Event times are on these clocks. Empty: the "
                                           "country's main time zone."))
    rights_deadline_days = IntegerField(
        _l("Days to answer a privacy request"), default=30,
        validators=[Optional(), NumberRange(min=1, max=90, message=_l("From 1 to 90 days."))],
        description=_l("An alumnus's request to see, correct or erase their data is due this "
                       "many days after it comes (the jurisdiction's deadline; 30 under the "
                       "data-protection laws of Malaysia, Singapore, the Philippines, "
                       "Thailand, Indonesia and Vietnam)."))
    default_language = SelectField(
        _l("Default language"), choices=list(LANGUAGES.items()), default="en",
        description=_l("Pages and e-mail are in it when neither the person's own choice "
                       "nor their browser says otherwise."))
    buddhist_era = BooleanField(_l("Buddhist Era years on Thai pages"), default=True,
                                description=_l("Thai pages show 2569 for 2026; stored dates "
                                               "stay common era."))
    is_home = BooleanField(_l("Home institution of this deployment"),
                           description=_l("One institution is the home one: ticking this "
                                          "here takes the mark from the current home "
                                          "institution."))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices_in_language()
        self.kind.choices = [(k, gettext(v)) for k, v in INSTITUTION_KINDS.items()]
        self.time_zone.choices = [("", gettext("— the country's main time zone —")),
                                  *((z, z) for z in zone_names())]


class ProgrammeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Qualification level"))
    study_area = SelectField(_l("Study area (SEAMEO)"))
    isced_code = StringField(_l("ISCED-F field code"),
                             validators=[Optional(), Length(max=4, message=_l(FORMAT_HINT))],
                             description=_l("ISCED-F 2013: 2 digits for the broad field, 3 "
                                            "narrow, 4 detailed, for example 0714 (electronics "
                                            "and automation); 9999 if not known."))
    duration_months = IntegerField(_l("Duration (months)"), validators=[
        Optional(), NumberRange(1, 120, message=_l("Enter a duration of 1 to 120 months."))])
    active = BooleanField(_l("Open for enrolment"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = [(k, gettext(v)) for k, v in QUALIFICATION_LEVELS.items()]
        self.study_area.choices = [(k, gettext(v)) for k, v in STUDY_AREAS.items()]


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"))
    institution_id = SelectField(_l("Institution"), coerce=lambda v: int(v) if v else None)
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(k, gettext(ROLE_LABELS[k])) for k in STAFF_ROLES]


class NoticeForm(FlaskForm):
    version = StringField(_l("Version"), validators=[DataRequired(), Length(max=20)],
                          description=_l("A name alumni and the consent history show, "
                                         "e.g. 2027-01."))
    text = TextAreaField(_l("Notice"), validators=[DataRequired(), Length(max=50000)])
    submit = SubmitField(_l("Publish this version"))
