"""Privacy forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ErasureForm(FlaskForm):
    reason = TextAreaField(_l("Anything the office should know (optional)"),
                           validators=[Optional(), Length(max=2000)])


class RefuseForm(FlaskForm):
    note = TextAreaField(_l("Why the request is refused (the alumnus reads this)"),
                         validators=[DataRequired(), Length(max=2000)])
