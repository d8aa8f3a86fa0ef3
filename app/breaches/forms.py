"""Breach log forms (times are entered in UTC, as they are stored and shown)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
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
from app.breaches.rules import RULES, country_names

FORMAT = "%Y-%m-%dT%H:%M"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class BreachForm(FlaskForm):
    title = StringField(_l("Short name"), validators=[DataRequired(), Length(max=200)])
    what_happened = TextAreaField(_l("What happened"), validators=[DataRequired(),
                                                                   Length(max=10000)])
    occurred_at = DateTimeLocalField(_l("When it happened (UTC, if known)"), format=FORMAT,
                                     validators=[Optional()])
    discovered_at = DateTimeLocalField(_l("When it was discovered (UTC)"), format=FORMAT,
                                       validators=[DataRequired()])
    assessed_at = DateTimeLocalField(
        _l("When it was assessed as notifiable (UTC, if done)"), format=FORMAT,
        validators=[Optional()],
        description=_l("Singapore's clock runs from this assessment; until it is recorded, "
                       "it runs from the discovery (earlier, never later)."))
    data_affected = TextAreaField(_l("Personal data affected"),
                                  validators=[DataRequired(), Length(max=5000)])
    people_affected = IntegerField(_l("Number of people affected (if known)"),
                                   validators=[Optional(), NumberRange(min=0)])
    people_description = TextAreaField(_l("Who they are"), validators=[Optional(),
                                                                       Length(max=5000)])
    countries = SelectMultipleField(
        _l("Countries whose law applies"),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = country_names()
        self.countries.choices = [(c, f"{names[c]} — {_lower_first(r.wording)}")
                                  for c, r in RULES.items()]


class NotificationForm(FlaskForm):
    recipient_kind = SelectField(_l("Whom"))
    country = SelectField(_l("Country"))
    recipient = StringField(_l("Name of the recipient or decision maker"),
                            validators=[DataRequired(), Length(max=200)])
    notified_at = DateTimeLocalField(_l("When (UTC)"), format=FORMAT,
                                     validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Record notification"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipient_kind.choices = [(k, gettext(v)) for k, v in RECIPIENT_KINDS.items()]
        names = country_names()
        self.country.choices = [("", "—")] + [(c, names[c]) for c in RULES]


class CloseBreachForm(FlaskForm):
    lessons = TextAreaField(_l("Lessons learned"), validators=[DataRequired(),
                                                               Length(max=10000)])
    submit = SubmitField(_l("Close the breach"))
