"""Mentoring forms. Forms check shape; services check the rules (capacity, states)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.i18n import language_name
from app.mentoring.models import INDUSTRIES, LANGUAGES, SESSION_MODES

RATINGS = [(5, _l("5 — excellent")), (4, _l("4 — good")), (3, _l("3 — fair")),
           (2, _l("2 — poor")), (1, _l("1 — very poor"))]


class MentorProfileForm(FlaskForm):
    """The alumnus's own offer: labels, choices and help in the page's language."""

    expertise = StringField(_l("What you can help with"),
                            validators=[Optional(), Length(max=500)],
                            description=_l("Comma-separated, e.g. networking, PLC programming, "
                                           "job interviews."))
    industries = SelectMultipleField(_l("Industries you work in"),
                                     choices=list(INDUSTRIES.items()), validators=[Optional()])
    languages = SelectMultipleField(_l("Languages you can mentor in"),
                                    choices=list(LANGUAGES.items()))
    capacity = IntegerField(_l("How many students at once"), default=1,
                            validators=[InputRequired(), NumberRange(0, 10)],
                            description=_l("0 to 10. Turn “available” off to pause."))
    available = BooleanField(_l("I am available for new students"), default=True)
    about = TextAreaField(_l("A few words about you"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save my mentoring offer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industries.choices = [(k, gettext(v)) for k, v in INDUSTRIES.items()]
        self.languages.choices = [(k, language_name(k)) for k in LANGUAGES]


class StudentForm(FlaskForm):
    student_number = StringField(_l("Student number"),
                                 validators=[DataRequired(), Length(max=40)])
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    programme_id = SelectField(_l("Programme"), coerce=lambda v: int(v) if v else None)
    expected_graduation = DateField(_l("Expected graduation"), validators=[Optional()])
    industries = SelectMultipleField(_l("Industries aimed at"),
                                     choices=list(INDUSTRIES.items()), validators=[Optional()])
    languages = SelectMultipleField(_l("Languages"), choices=list(LANGUAGES.items()),
                                    validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [("", "—")] + [(p.id, p.label) for p in programmes]
        self.industries.choices = [(k, gettext(v)) for k, v in INDUSTRIES.items()]
        self.languages.choices = [(k, language_name(k)) for k in LANGUAGES]


class ProposeForm(FlaskForm):
    mentor_id = HiddenField(validators=[DataRequired()])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Propose"))


class StatusForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    minutes = IntegerField(_l("Minutes"), validators=[DataRequired(), NumberRange(1, 600)])
    mode = SelectField(_l("How"), choices=list(SESSION_MODES.items()))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Add to the log"))


class OutcomeForm(FlaskForm):
    rating = SelectField(_l("How did it go?"), choices=RATINGS, coerce=int)
    note = TextAreaField(_l("In a few words"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Send"))
