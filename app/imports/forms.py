"""Import and merge forms. Forms check shape; the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField


class UploadForm(FlaskForm):
    kind = SelectField("What the file holds")
    institution = SelectField("Institution", coerce=int)
    file = FileField("File (CSV or Excel .xlsx)", validators=[FileRequired("Choose a file.")])
    submit = SubmitField("Upload and map columns")


class MergeForm(FlaskForm):
    survivor = SelectField("Record that stays", choices=[("first", "first"),
                                                          ("second", "second")])
    first_version = HiddenField()
    second_version = HiddenField()
    submit = SubmitField("Merge the two records")
