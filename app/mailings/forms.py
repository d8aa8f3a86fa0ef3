"""The mailing form. Forms check shape; services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.countries import country_choices
from app.mailings.segments import ENGAGED_CHOICES
from app.mailings.services import MAILING_PURPOSES


class MailingForm(FlaskForm):
    purpose = SelectField("What the message is for", choices=list(MAILING_PURPOSES.items()),
                          description="Only alumni whose consent for this is in force get it; "
                                      "each message has an unsubscribe link for it.")
    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=50_000)],
                         description="Markdown: **bold**, *italic*, [a link](https://…), "
                                     "lists with - at the start of a line, a blank line "
                                     "between paragraphs.")
    programme_ids = SelectMultipleField("Programmes", coerce=int, validators=[Optional()],
                                        description="None chosen: every programme.")
    cohort_from = IntegerField("Cohorts from", validators=[Optional(), NumberRange(1950, 2100)])
    cohort_to = IntegerField("Cohorts to", validators=[Optional(), NumberRange(1950, 2100)])
    country = SelectField("Country they live in", validators=[Optional()])
    engaged = SelectField("Engagement", choices=list(ENGAGED_CHOICES.items()), default="",
                          validators=[Optional()])
    event_id = SelectField("Attended the event", coerce=lambda v: int(v) if v else None,
                           validators=[Optional()])
    exchange_only = BooleanField("Exchange alumni only")
    submit = SubmitField("Preview")

    def __init__(self, *args, programmes=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_ids.choices = [(p.id, p.label) for p in programmes]
        self.country.choices = [("", "Any country")] + country_choices()
        self.event_id.choices = [("", "Any (no event filter)")] + list(events)
