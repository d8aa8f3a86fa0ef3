"""Event and attendance forms. Forms check shape; services check the rules."""

from __future__ import annotations

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
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=list(EVENT_KINDS.items()))
    event_date = DateField("Date", validators=[DataRequired()])
    start_time = TimeField("Starts at", validators=[Optional()],
                           description="On the institution's clocks (its time zone is shown "
                                       "with the event).")
    end_time = TimeField("Ends at", validators=[Optional()])
    end_date = DateField("Last day", validators=[Optional()],
                         description="Only for an event over several days.")
    mode = SelectField("Mode", choices=list(EVENT_MODES.items()))
    programme_id = SelectField("Programme", coerce=lambda v: int(v) if v else None,
                               validators=[Optional()])
    location = StringField("Place or link", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional()])
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=1)],
                            description="Places alumni can register for; empty for no limit.")
    registration_open = BooleanField("Alumni can register themselves")
    default_hours = DecimalField("Hours per participant", places=2, validators=[Optional()],
                                 description="Used when attendance is entered without hours.")
    submit = SubmitField("Save the event")

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [("", "All programmes")] + [(p.id, p.label)
                                                                for p in programmes]


# The event's own words in further languages: one optional field per language (an alumnus
# sees their language's text, else the institution's default language's, else the text above).
add_translation_fields(EventForm, "title", max_length=200)
add_translation_fields(EventForm, "description", long=True)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(FlaskForm):
    student_numbers = TextAreaField(
        "Student numbers", validators=[Optional()],
        description="Paste from a sign-in sheet: one per line, or separated by commas.")
    alumnus_ids = MultiCheckboxField("Registered alumni who came", coerce=int,
                                     validators=[Optional()])
    role = SelectField("Role", choices=list(PARTICIPANT_ROLES.items()))
    hours = DecimalField("Hours", places=2, validators=[Optional()],
                         description="Empty: the event's hours per participant.")
    submit = SubmitField("Record attendance")


class RemoveParticipantForm(FlaskForm):
    participation_id = HiddenField(validators=[DataRequired()])


class RegisterAlumnusForm(FlaskForm):
    student_number = StringField("Student number", validators=[DataRequired(), Length(max=40)])
    submit = SubmitField("Register")
