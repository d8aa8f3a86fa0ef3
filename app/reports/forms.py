"""Forms of the reports pages (shape only; the rules are in wages.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class MinimumWageForm(FlaskForm):
    country = StringField(_l("Country"), validators=[Length(max=60)])
    region = StringField(_l("Region (empty: the whole country)"),
                         validators=[Optional(), Length(max=120)])
    year = StringField(_l("Year"), validators=[Length(max=4)])
    monthly_amount = StringField(_l("Monthly amount"), validators=[Length(max=20)])
    currency = StringField(_l("Currency"), validators=[Length(max=3)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])


class MinimumWageFileForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
