"""The mailing form. Forms check shape; services check the rules. Labels and choices are in
the page's language (the code lists hold the English words, marked with N_)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
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

from app.core.i18n import country_choices_in_language
from app.mailings.segments import ENGAGED_CHOICES
from app.mailings.services import MAILING_PURPOSES


def _in_language(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, gettext(label)) for code, label in mapping.items()]


class MailingForm(FlaskForm):
    purpose = SelectField(_l("What the message is for"),
                          choices=list(MAILING_PURPOSES.items()),
                          description=_l("Only alumni whose consent for this is in force get "
                                         "it; each message has an unsubscribe link for it."))
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=50_000)],
                         description=_l("Markdown: **bold**, *italic*, [a link](https://…), "
                                        "lists with - at the start of a line, a blank line "
                                        "between paragraphs."))
    programme_ids = SelectMultipleField(_l("Programmes"), coerce=int, validators=[Optional()],
                                        description=_l("None chosen: every programme."))
    cohort_from = IntegerField(_l("Cohorts from"),
                               validators=[Optional(), NumberRange(1950, 2100)])
    cohort_to = IntegerField(_l("Cohorts to"), validators=[Optional(), NumberRange(1950, 2100)])
    country = SelectField(_l("Country they live in"), validators=[Optional()])
    engaged = SelectField(_l("Engagement"), choices=list(ENGAGED_CHOICES.items()), default="",
                          validators=[Optional()])
    event_id = SelectField(_l("Attended the event"), coerce=lambda v: int(v) if v else None,
                           validators=[Optional()])
    exchange_only = BooleanField(_l("Exchange alumni only"))
    submit = SubmitField(_l("Preview"))

    def __init__(self, *args, programmes=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose.choices = _in_language(MAILING_PURPOSES)
        self.engaged.choices = _in_language(ENGAGED_CHOICES)
        self.programme_ids.choices = [(p.id, p.label) for p in programmes]
        self.country.choices = [("", gettext("Any country")), *country_choices_in_language()]
        self.event_id.choices = [("", gettext("Any (no event filter)")), *events]
