"""The form that asks for an evidence pack (shape only; the rules are in services.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.i18n import LANGUAGES
from app.packs.models import FORMATS
from app.reports.frameworks import framework_word

FORMAT_LABELS = {"html": _l("HTML document"), "pdf": _l("PDF"), "xlsx": _l("Workbook (XLSX)"),
                 "csv": _l("CSV files (zip)")}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PackForm(FlaskForm):
    framework = SelectField(_l("Framework"), validators=[DataRequired()])
    programme_ids = CheckboxesField(_l("Programmes (none ticked: all)"), coerce=int,
                                    validate_choice=False,  # the service names a wrong one
                           description=_l("Of the pack's headings, cover and notes; the CSV "
                                          "files keep English headers."))
    cohorts = StringField(_l("Cohorts (graduation years)"), validators=[DataRequired(),
                                                                        Length(max=40)],
                          description=_l("Three years for accreditors, e.g. 2022-2024"))
    reference_months = SelectField(_l("Reference point"), choices=[
        ("", _l("The framework's")), ("6", _l("6 months")), ("12", _l("12 months")),
        ("24", _l("24 months"))])
    formats = CheckboxesField(_l("Formats"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
                              default=list(FORMATS))
    # the language of the pack's fixed text, each named in its own language as in the menu
    language = SelectField(_l("Language"), choices=list(LANGUAGES.items()),
                           validate_choice=False,  # the service names a wrong one
                           description=_l("Of the pack's headings, cover and notes; the CSV "
                                          "files keep English headers."))
    submit = SubmitField(_l("Build the pack"))

    def __init__(self, *args, programmes=(), frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_ids.choices = [(p.id, f"{p.code} {p.name}") for p in programmes]
        self.framework.choices = [(f.name, framework_word(f.title)) for f in frameworks]
