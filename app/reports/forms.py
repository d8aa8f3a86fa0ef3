"""Forms of the reports pages (shape only; the rules are in wages.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class MinimumWageForm(FlaskForm):
    country = StringField("Country", validators=[Length(max=60)])
    region = StringField("Region (empty: the whole country)",
                         validators=[Optional(), Length(max=120)])
    year = StringField("Year", validators=[Length(max=4)])
    monthly_amount = StringField("Monthly amount", validators=[Length(max=20)])
    currency = StringField("Currency", validators=[Length(max=3)])
    source = StringField("Source", validators=[Optional(), Length(max=300)])


class MinimumWageFileForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])
