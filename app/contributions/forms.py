"""Contribution forms. Forms check shape; services check the rules. Labels and choices are
in the page's language (the code lists hold the English words, marked with N_)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.contributions.models import CATEGORIES, DONOR_KINDS, KINDS
from app.core.i18n import currency_choices_in_language


def _in_language(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, gettext(label)) for code, label in mapping.items()]


class ContributionForm(FlaskForm):
    donor_kind = RadioField(_l("Given by"), choices=list(DONOR_KINDS.items()), default="alumnus")
    student_number = StringField(
        _l("Alumnus (student number)"), validators=[Optional(), Length(max=40)],
        description=_l("The alumnus who gave it, or for an organisation's gift the alumnus who "
                       "enabled it (counts as an alumni-enabled link)."))
    organisation_name = StringField(_l("Organisation (employer)"),
                                    validators=[Optional(), Length(max=200)])
    contact_email = EmailField(_l("E-mail for the acknowledgement"),
                               validators=[Optional(), Length(max=254)],
                               description=_l("Empty: the alumnus's e-mail in the register."))
    kind = RadioField(_l("Kind"), choices=list(KINDS.items()), default="monetary")
    category = SelectField(_l("Category"), choices=list(CATEGORIES.items()))
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    amount = DecimalField(_l("Amount"), places=2, validators=[Optional()])
    currency = SelectField(_l("Currency"), validators=[Optional()])
    purpose = StringField(_l("Purpose or fund"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("What was given (in kind)"), validators=[Optional()])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1)])
    estimated_value = DecimalField(_l("Estimated value"), places=2, validators=[Optional()])
    value_currency = SelectField(_l("Currency of the value"), validators=[Optional()])
    valuation_basis = StringField(_l("Valuation basis"),
                                  validators=[Optional(), Length(max=200)],
                                  description=_l("e.g. supplier invoice, market price, "
                                                 "hourly rate × hours"))
    hours = DecimalField(_l("Hours given"), places=2, validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
    send_acknowledgement = BooleanField(_l("E-mail the acknowledgement with the receipt now"),
                                        default=True)
    submit = SubmitField(_l("Record the contribution"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.donor_kind.choices = _in_language(DONOR_KINDS)
        self.kind.choices = _in_language(KINDS)
        self.category.choices = _in_language(CATEGORIES)
        self.currency.choices = [("", "—"), *currency_choices_in_language()]
        self.value_currency.choices = [("", "—"), *currency_choices_in_language()]


class VoidForm(FlaskForm):
    reason = StringField(_l("Why is it voided?"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Void this record"))
