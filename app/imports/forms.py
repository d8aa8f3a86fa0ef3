"""Import and merge forms. Forms check shape; the services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"))
    institution = SelectField(_l("Institution"), coerce=int)
    file = FileField(_l("File (CSV or Excel .xlsx)"),
                     validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload and map columns"))


class MergeForm(FlaskForm):
    survivor = SelectField(_l("Record that stays"), choices=[("first", _l("first")),
                                                              ("second", _l("second"))])
    first_version = HiddenField()
    second_version = HiddenField()
    submit = SubmitField(_l("Merge the two records"))
