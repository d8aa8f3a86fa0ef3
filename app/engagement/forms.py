"""Event and attendance forms. Forms check shape; services check the rules."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.own_words import add_translation_fields
from app.engagement.models import EVENT_KINDS, EVENT_MODES, PARTICIPANT_ROLES


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(EVENT_KINDS.items()))
    event_date = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()],
                           description=_l("On the institution's clocks (its time zone is shown "
                                          "with the event)."))
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    end_date = DateField(_l("Last day"), validators=[Optional()],
                         description=_l("Only for an event over several days."))
    mode = SelectField(_l("Mode"), choices=list(EVENT_MODES.items()))
    programme_id = SelectField(_l("Programme"), coerce=lambda v: int(v) if v else None,
                               validators=[Optional()])
    location = StringField(_l("Place or link"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1)],
                            description=_l("Places alumni can register for; empty for no limit."))
    registration_open = BooleanField(_l("Alumni can register themselves"))
    default_hours = DecimalField(_l("Hours per participant"), places=2, validators=[Optional()],
                                 description=_l("Used when attendance is entered without hours."))
    submit = SubmitField(_l("Save the event"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, gettext(v)) for k, v in EVENT_KINDS.items()]
        self.mode.choices = [(k, gettext(v)) for k, v in EVENT_MODES.items()]
        self.programme_id.choices = [("", gettext("All programmes"))] + [
            (p.id, p.label) for p in programmes]


# The event's own words in further languages: one optional field per language (an alumnus
# sees their language's text, else the institution's default language's, else the text above).
add_translation_fields(EventForm, "title", max_length=200)
add_translation_fields(EventForm, "description", long=True)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(FlaskForm):
    student_numbers = TextAreaField(
        _l("Student numbers"), validators=[Optional()],
        description=_l("Paste from a sign-in sheet: one per line, or separated by commas."))
    alumnus_ids = MultiCheckboxField(_l("Registered alumni who came"), coerce=int,
                                     validators=[Optional()])
    role = SelectField(_l("Role"), choices=list(PARTICIPANT_ROLES.items()))
    hours = DecimalField(_l("Hours at the event"), places=2, validators=[Optional()],
                         description=_l("Empty: the event's hours per participant."))
    submit = SubmitField(_l("Record attendance"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(k, gettext(v)) for k, v in PARTICIPANT_ROLES.items()]


class RemoveParticipantForm(FlaskForm):
    participation_id = HiddenField(validators=[DataRequired()])


class RegisterAlumnusForm(FlaskForm):
    student_number = StringField(_l("Student number"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Register the alumnus"))
