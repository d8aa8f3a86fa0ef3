"""Breach log forms (times are entered in UTC, as they are stored and shown)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.breaches.models import RECIPIENT_KINDS
from app.breaches.rules import COUNTRY_NAMES, RULES

FORMAT = "%Y-%m-%dT%H:%M"


class BreachForm(FlaskForm):
    title = StringField("Short name", validators=[DataRequired(), Length(max=200)])
    what_happened = TextAreaField("What happened", validators=[DataRequired(),
                                                               Length(max=10000)])
    occurred_at = DateTimeLocalField("When it happened (UTC, if known)", format=FORMAT,
                                     validators=[Optional()])
    discovered_at = DateTimeLocalField("When it was discovered (UTC)", format=FORMAT,
                                       validators=[DataRequired()])
    assessed_at = DateTimeLocalField(
        "When it was assessed as notifiable (UTC, if done)", format=FORMAT,
        validators=[Optional()],
        description=("Singapore's clock runs from this assessment; until it is recorded, "
                     "it runs from the discovery (earlier, never later)."))
    data_affected = TextAreaField("Personal data affected", validators=[DataRequired(),
                                                                        Length(max=5000)])
    people_affected = IntegerField("Number of people affected (if known)",
                                   validators=[Optional(), NumberRange(min=0)])
    people_description = TextAreaField("Who they are", validators=[Optional(),
                                                                   Length(max=5000)])
    countries = SelectMultipleField(
        "Countries whose law applies",
        choices=[(c, f"{COUNTRY_NAMES[c]} — {r.wording.lower()}") for c, r in RULES.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField("Save")


class NotificationForm(FlaskForm):
    recipient_kind = SelectField("Whom", choices=list(RECIPIENT_KINDS.items()))
    country = SelectField("Country",
                          choices=[("", "—")] + [(c, COUNTRY_NAMES[c]) for c in RULES])
    recipient = StringField("Name of the recipient or decision maker",
                            validators=[DataRequired(), Length(max=200)])
    notified_at = DateTimeLocalField("When (UTC)", format=FORMAT, validators=[DataRequired()])
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Record notification")


class CloseBreachForm(FlaskForm):
    lessons = TextAreaField("Lessons learned", validators=[DataRequired(),
                                                           Length(max=10000)])
    submit = SubmitField("Close the breach")
