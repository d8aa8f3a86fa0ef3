"""The form that asks for an evidence pack (shape only; the rules are in services.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.packs.models import FORMATS

FORMAT_LABELS = {"html": "HTML document", "pdf": "PDF", "xlsx": "Workbook (XLSX)",
                 "csv": "CSV files (zip)"}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PackForm(FlaskForm):
    framework = SelectField("Framework", validators=[DataRequired()])
    programme_ids = CheckboxesField("Programmes (none ticked: all)", coerce=int,
                                    validate_choice=False)  # the service names a wrong one
    cohorts = StringField("Cohorts (graduation years)", validators=[DataRequired(),
                                                                    Length(max=40)],
                          description="Three years for accreditors, e.g. 2022-2024")
    reference_months = SelectField("Reference point", choices=[
        ("", "The framework's"), ("6", "6 months"), ("12", "12 months"), ("24", "24 months")])
    formats = CheckboxesField("Formats", choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
                              default=list(FORMATS))
    submit = SubmitField("Build the pack")

    def __init__(self, *args, programmes=(), frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_ids.choices = [(p.id, f"{p.code} {p.name}") for p in programmes]
        self.framework.choices = [(f.name, f.title) for f in frameworks]
