"""Contribution forms. Forms check shape; services check the rules."""

from __future__ import annotations

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
from app.core.currencies import currency_choices


class ContributionForm(FlaskForm):
    donor_kind = RadioField("Given by", choices=list(DONOR_KINDS.items()), default="alumnus")
    student_number = StringField(
        "Alumnus (student number)", validators=[Optional(), Length(max=40)],
        description="The alumnus who gave it, or for an organisation's gift the alumnus who "
                    "enabled it (counts as an alumni-enabled link).")
    organisation_name = StringField("Organisation (employer)",
                                    validators=[Optional(), Length(max=200)])
    contact_email = EmailField("E-mail for the acknowledgement",
                               validators=[Optional(), Length(max=254)],
                               description="Empty: the alumnus's e-mail in the register.")
    kind = RadioField("Kind", choices=list(KINDS.items()), default="monetary")
    category = SelectField("Category", choices=list(CATEGORIES.items()))
    received_on = DateField("Received on", validators=[DataRequired()])
    amount = DecimalField("Amount", places=2, validators=[Optional()])
    currency = SelectField("Currency", validators=[Optional()])
    purpose = StringField("Purpose or fund", validators=[Optional(), Length(max=200)])
    description = TextAreaField("What was given (in kind)", validators=[Optional()])
    quantity = IntegerField("Quantity", validators=[Optional(), NumberRange(min=1)])
    estimated_value = DecimalField("Estimated value", places=2, validators=[Optional()])
    value_currency = SelectField("Currency of the value", validators=[Optional()])
    valuation_basis = StringField("Valuation basis", validators=[Optional(), Length(max=200)],
                                  description="e.g. supplier invoice, market price, "
                                              "hourly rate × hours")
    hours = DecimalField("Hours given", places=2, validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional()])
    send_acknowledgement = BooleanField("E-mail the acknowledgement with the receipt now",
                                        default=True)
    submit = SubmitField("Record the contribution")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = [("", "—"), *currency_choices()]
        self.value_currency.choices = [("", "—"), *currency_choices()]


class VoidForm(FlaskForm):
    reason = StringField("Why is it voided?", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Void this record")
