"""The directory's search and each listed person's choice of fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.directory.models import DIRECTORY_FIELDS


class DirectorySearchForm(FlaskForm):
    """A GET form: the search is in the address, so a result page can be shared or reloaded."""

    class Meta:
        csrf = False

    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    programme = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    cohort = SelectField(_l("Cohort"), coerce=str, validators=[Optional()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    industry = SelectField(_l("Industry"), coerce=str, validators=[Optional()])


class DirectoryChoicesForm(FlaskForm):
    submit = SubmitField(_l("Save what others see"))


for _name, (_label, _default) in DIRECTORY_FIELDS.items():
    setattr(DirectoryChoicesForm, f"show_{_name}", BooleanField(_l(_label), default=_default))
