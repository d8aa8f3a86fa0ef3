"""Curriculum feedback forms. Forms check shape; services check the workflow rules."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.core.i18n import N_
from app.feedback.models import MEETING_KINDS, TOPIC_KINDS


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


RELEVANCE = [(5, N_("5 — essential in my work")), (4, N_("4 — very relevant")),
             (3, N_("3 — relevant")), (2, N_("2 — a little relevant")),
             (1, N_("1 — not relevant"))]


class FeedbackForm(FlaskForm):
    """The alumnus's own feedback: labels, choices and help in the page's language."""

    topic_kind = SelectField(_l("About a"), choices=list(TOPIC_KINDS.items()))
    topic = StringField(_l("Module or competency"), validators=[DataRequired(), Length(max=200)],
                        description=_l("e.g. “PLC programming” or “Customer communication”."))
    # Starts unset: a pre-chosen rating would be sent by anyone who skips the question.
    # Required by the service, which says so next to the field.
    relevance = SelectField(_l("How relevant is it to your work?"),
                            choices=[("", "Choose 1 to 5")] + RELEVANCE, coerce=_int_or_none,
                            validators=[Optional()])
    skill_gap = TextAreaField(_l("What was missing when you started work?"),
                              validators=[Optional(), Length(max=4000)])
    suggestion = TextAreaField(_l("What should the programme change?"),
                               validators=[Optional(), Length(max=4000)])
    anonymous = BooleanField(_l("Do not show my name to staff"),
                             description=_l("Staff see the feedback but not who gave it. "
                                            "You still see it in your own list."))
    submit = SubmitField(_l("Send my feedback"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_kind.choices = [(k, gettext(v)) for k, v in TOPIC_KINDS.items()]
        self.relevance.choices = [("", gettext("Choose 1 to 5")),
                                  *((v, gettext(label)) for v, label in RELEVANCE)]


class CommitteeInputForm(FlaskForm):
    meeting_id = SelectField(_l("Meeting"), coerce=_int_or_none)
    topic_kind = SelectField(_l("About a"), choices=list(TOPIC_KINDS.items()))
    topic = StringField(_l("Module or competency"), validators=[DataRequired(), Length(max=200)])
    relevance = SelectField(_l("Relevance (if rated)"), choices=[("", "—")] + RELEVANCE,
                            coerce=_int_or_none, validators=[Optional()])
    skill_gap = TextAreaField(_l("Skill gap"), validators=[Optional(), Length(max=4000)])
    suggestion = TextAreaField(_l("Suggestion"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Record input"))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_id.choices = [(m.id, f"{m.programme.code}: {m.label_in_language}")
                                   for m in meetings]
        self.topic_kind.choices = [(k, gettext(v)) for k, v in TOPIC_KINDS.items()]
        self.relevance.choices = [("", "—"), *((v, gettext(label)) for v, label in RELEVANCE)]


class MeetingForm(FlaskForm):
    programme_id = SelectField(_l("Programme"), coerce=_int_or_none)
    held_on = DateField(_l("Held on"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=list(MEETING_KINDS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    minutes_ref = StringField(_l("Minutes reference"), validators=[Optional(), Length(max=200)],
                              description=_l("Where the minutes are filed, e.g. a document "
                                             "number."))
    submit = SubmitField(_l("Save meeting"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [("", "—")] + [(p.id, p.label) for p in programmes]
        self.kind.choices = [(k, gettext(v)) for k, v in MEETING_KINDS.items()]


class DecisionForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Decision note"), validators=[Optional(), Length(max=4000)])
    meeting_id = SelectField(_l("Review meeting"), coerce=_int_or_none, validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_id.choices = [("", "—")] + [(m.id, m.label_in_language) for m in meetings]


class EmployerFollowUpForm(FlaskForm):
    """What employers said in a year's survey, taken into the curriculum review."""

    programme_id = SelectField(_l("Programme"), coerce=_int_or_none)
    survey_year = IntegerField(_l("Survey year"), validators=[Optional()],
                               description=_l("The year the employers were asked about."))
    competency = SelectField(_l("Competency"), choices=[])
    said = TextAreaField(_l("What the employers said"),
                         validators=[Optional(), Length(max=4000)],
                         description=_l("Their ratings or comments, e.g. '4 of 9 rated teamwork "
                                        "fair or poor; they ask for more group projects'."))
    suggestion = TextAreaField(_l("What they asked for (if they did)"),
                               validators=[Optional(), Length(max=4000)])
    noted_on = DateField(_l("Taken in on"), validators=[Optional()],
                         description=_l("The day the office read the answers; empty: today."))
    submit = SubmitField(_l("Record employer input"))

    def __init__(self, *args, programmes=(), competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [("", "—")] + [(p.id, p.label) for p in programmes]
        self.competency.choices = [("", "—"), *competencies]
