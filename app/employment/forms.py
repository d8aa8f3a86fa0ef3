"""Forms for employers, employment, tracer surveys and the employer survey.

Forms check shape only; the services check the rules and their field errors are shown next
to the fields (so the public answer form shows the same messages as the pages and the API).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.currencies import currency_choices
from app.core.db import today
from app.core.i18n import country_choices_in_language, currency_choices_in_language
from app.core.own_words import add_translation_fields
from app.employment import codes
from app.employment.employer_survey import COMPETENCY_LABELS as EMPLOYER_COMPETENCY_LABELS


def _choices(mapping: dict, blank: str | None = "—") -> list[tuple[str, str]]:
    items = [(str(k), v) for k, v in mapping.items()]
    return ([("", blank)] if blank is not None else []) + items


def _select(label: str, mapping: dict, blank: str | None = "—", *, needed: Needed | None = None,
            **kwargs) -> SelectField:
    return SelectField(label, choices=_choices(mapping, blank), validate_choice=False,
                       validators=[Optional(), *([needed] if needed else [])], **kwargs)


class Needed:
    """Marks an answer the service requires (forms check shape only): the answer pages show
    it as required and give its control aria-required. `when` names the condition of one that
    is required only sometimes ("if you work")."""

    def __init__(self, when: str | None = None) -> None:
        self.field_flags = {"needed": when or "always"}

    def __call__(self, form, field) -> None:
        pass


class EmployerForm(FlaskForm):
    """An employer in the institution's list; labels and code lists in the page's language."""

    CODED = ("employer_type", "isic_section", "size")

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    employer_type = _select(_l("Type"), codes.EMPLOYER_TYPES)
    isic_section = _select(_l("Industry (ISIC section)"), codes.ISIC_SECTIONS)
    size = _select(_l("Size"), codes.EMPLOYER_SIZES)
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=False)
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)],
                               description=_l("Used for the employer satisfaction survey."))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CODED:
            field = getattr(self, name)
            field.choices = _in_language(field.choices)
        self.country.choices = [("", "—"), *country_choices_in_language()]


class EmploymentForm(FlaskForm):
    """A job record: the alumnus's own (self_service) and the office's; labels and choices in
    the page's language."""

    CODED = ("status", "employer_type", "isic_section", "isco_group", "hours", "contract",
             "how_found", "relevance", "education_level", "workplace_level")

    status = _select(_l("Status"), codes.EMPLOYMENT_STATUSES, blank=None)
    employer_name = StringField(_l("Employer / business name"), validators=[Length(max=200)])
    employer_type = _select(_l("Employer type"), codes.EMPLOYER_TYPES)
    isic_section = _select(_l("Industry (ISIC section)"), codes.ISIC_SECTIONS)
    job_title = StringField(_l("Job title"), validators=[Length(max=200)])
    isco_group = _select(_l("Occupation (ISCO-08 major group)"), codes.ISCO_GROUPS)
    hours = _select(_l("Hours"), codes.HOURS)
    contract = _select(_l("Contract"), codes.CONTRACTS)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()],
                         description=_l("Leave empty while it continues."))
    how_found = _select(_l("How the job was found"), codes.HOW_FOUND)
    months_to_find = IntegerField(_l("Months of search"), validators=[Optional()])
    income_amount = StringField(_l("Monthly income"), validators=[Length(max=20)])
    income_currency = _select(_l("Currency"), dict(currency_choices()))
    relevance = _select(_l("Relation of the job to the training"), codes.RELEVANCE)
    education_level = _select(_l("Education level the job needs"), codes.EDUCATION_LEVELS)
    workplace_level = _select(_l("Workplace level"), codes.WORKPLACE_LEVELS)
    work_country = SelectField(_l("Country of work"), validators=[Optional()],
                               validate_choice=False)
    work_city = StringField(_l("City of work"), validators=[Length(max=120)])
    verified = BooleanField(_l("Verified by the office"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, self_service: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CODED:
            field = getattr(self, name)
            field.choices = _in_language(field.choices)
        self.income_currency.choices = [("", "—"), *currency_choices_in_language()]
        self.work_country.choices = [("", "—"), *country_choices_in_language()]
        if self_service:
            del self.verified


class SurveyForm(FlaskForm):
    """A new tracer survey; labels, the reference point's choices and the errors in the page's
    language."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    reference_months = SelectField(_l("Reference point"), coerce=int,
                                   choices=list(codes.REFERENCE_MONTHS.items()), default=12)
    programme_ids = SelectMultipleField(_l("Programmes"), coerce=int,
                                        validators=[DataRequired()])
    cohort_years = StringField(_l("Graduation years"), validators=[DataRequired()],
                               description=_l("One or more, separated by commas: 2023, 2024"))
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()], default=date.today)
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    introduction = TextAreaField(_l("Introduction shown on the form"),
                                 validators=[Optional(), Length(max=3000)])
    submit = SubmitField(_l("Create survey"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_ids.choices = [(p.id, p.label) for p in programmes]
        self.reference_months.choices = [
            (months, ngettext("%(num)d month after graduation",
                              "%(num)d months after graduation", months))
            for months in codes.REFERENCE_MONTHS]

    def years(self) -> list[int] | None:
        try:
            return sorted({int(y) for y in (self.cohort_years.data or "").replace(";", ",")
                           .split(",") if y.strip()})
        except ValueError:
            return None


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"), choices=list(codes.QUESTION_KINDS.items()))
    choices = TextAreaField(_l("Options (for a list, one per line)"),
                            validators=[Optional(), Length(max=3000)])
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Add question"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _in_language(list(codes.QUESTION_KINDS.items()))


def survey_words_form(survey, *, questions: bool, **kwargs) -> FlaskForm:
    """The words of a survey to change: its title and introduction and (with `questions`,
    before anyone answered) each own question's text, each with a field per language; `stamp`
    carries when the survey was saved, so a save over someone else's is refused; a list
    question gets a field per language for its options too."""

    class SurveyWordsForm(FlaskForm):
        title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
        introduction = TextAreaField(_l("Introduction shown on the form"),
                                     validators=[Optional(), Length(max=3000)])
        stamp = HiddenField()
        submit = SubmitField(_l("Save the texts"))

    add_translation_fields(SurveyWordsForm, "title", max_length=200)
    add_translation_fields(SurveyWordsForm, "introduction", max_length=3000, long=True)
    if questions:
        for number, q in enumerate(survey.questions, 1):
            setattr(SurveyWordsForm, f"q{q.id}_label",
                    StringField(gettext("Question %(number)s", number=number),
                                validators=[DataRequired(), Length(max=300)]))
            add_translation_fields(SurveyWordsForm, f"q{q.id}_label", max_length=300)
            if q.kind == "choice" and q.choices:
                # the options in other languages, one a line (the options as entered stay)
                add_translation_fields(SurveyWordsForm, f"q{q.id}_choices", max_length=3000,
                                       long=True)
    return SurveyWordsForm(**kwargs)


# The survey's own words in further languages: one optional field per language (a respondent
# sees their language's text, else the institution's default language's, else the text above).
add_translation_fields(SurveyForm, "title", max_length=200)
add_translation_fields(SurveyForm, "introduction", max_length=3000, long=True)
add_translation_fields(QuestionForm, "label", max_length=300)
add_translation_fields(QuestionForm, "choices", max_length=3000, long=True)


class EmployerSurveyForm(FlaskForm):
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)],
                        default=lambda: today().year)
    ask_again = BooleanField(_l("Ask again employers who were asked or whose answer is "
                                "recorded"),
                             description=_l("Their new answer will count; the earlier one is "
                                            "kept in the history."))
    submit = SubmitField(_l("E-mail the employers"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [(p.id, p.label) for p in programmes]


_LEVELS = _choices(codes.COMPETENCY_SCALE, blank="—")
_YES_NO = [("", "—"), ("yes", "Yes"), ("no", "No")]


def _in_language(choices: list[tuple]) -> list[tuple]:
    """A code list's choices in the page's language (the code lists hold the English words,
    marked for the catalogues with N_)."""
    return [(value, gettext(label) if label != "—" else label) for value, label in choices]


def _yes_no() -> list[tuple[str, str]]:
    return [("", "—"), ("yes", gettext("Yes")), ("no", gettext("No"))]


class AnswerFormBase(FlaskForm):
    """The tracer core. `answer_form(survey)` adds the competencies and own questions; the
    labels are in the respondent's language (lazy), the choices are set when it is built."""

    status = RadioField(_l("What is your main activity now?"),
                        choices=list(codes.EMPLOYMENT_STATUSES.items()),
                        validate_choice=False, validators=[Optional(), Needed()])
    job_within_6_months = SelectField(_l("Did you find a job within 6 months of graduating?"),
                                      choices=_YES_NO, validate_choice=False,
                                      validators=[Optional()])
    months_to_first_job = StringField(_l("How many months after graduating did your first job "
                                         "start? (0 if it started before)"),
                                      validators=[Optional(), Length(max=10)])
    how_found = _select(_l("How did you find your current job?"), codes.HOW_FOUND)
    employer_name = StringField(_l("Name of your employer or business"),
                                validators=[Optional(), Length(max=200),
                                            Needed(_l("required if you are wage employed"))])
    employer_type = _select(_l("Type of employer"), codes.EMPLOYER_TYPES)
    isic_section = _select(_l("Industry"), codes.ISIC_SECTIONS)
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    isco_group = _select(_l("Kind of work (occupation)"), codes.ISCO_GROUPS)
    hours = _select(_l("Hours"), codes.HOURS)
    contract = _select(_l("Contract"), codes.CONTRACTS)
    start_date = DateField(_l("When did this job start?"), validators=[Optional()])
    work_country = SelectField(_l("Country where you work"), validators=[Optional()],
                               validate_choice=False)
    work_city = StringField(_l("City where you work"), validators=[Optional(), Length(max=120)])
    income_amount = StringField(_l("Monthly income (before tax)"),
                                validators=[Optional(), Length(max=20)])
    income_currency = _select(_l("Currency"), dict(currency_choices()))
    relevance = _select(_l("How closely is your job related to your field of study?"),
                        codes.RELEVANCE, needed=Needed(_l("required if you work")))
    education_level = _select(_l("What level of education does your job need?"),
                              codes.EDUCATION_LEVELS, needed=Needed(_l("required if you work")))
    workplace_level = _select(_l("Your workplace operates at a…"), codes.WORKPLACE_LEVELS)
    further_study = SelectField(_l("Are you studying further?"), choices=_YES_NO,
                                validate_choice=False, validators=[Optional()])
    further_study_field = StringField(_l("If so, what and where?"),
                                      validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send my answers"))

    NOW_FIELDS = ("status", "job_within_6_months", "months_to_first_job", "further_study",
                  "further_study_field")
    CORE_JOB_FIELDS = ("how_found", "employer_name", "employer_type", "isic_section",
                       "job_title", "isco_group", "hours", "contract", "start_date",
                       "work_country", "work_city", "income_amount", "income_currency",
                       "relevance", "education_level", "workplace_level")
    COMPETENCY_FIELDS = tuple(f"{key}_{part}" for key in codes.COMPETENCIES
                              for part in ("at_graduation", "required_now"))
    OWN_FIELDS: tuple[str, ...] = ()  # the survey's own questions, set by answer_form

    def in_page_order(self) -> list:
        """The fields in the order the page shows them (for the summary of errors)."""
        return [self[name] for name in (*self.NOW_FIELDS, *self.CORE_JOB_FIELDS,
                                        *self.COMPETENCY_FIELDS, *self.OWN_FIELDS)]


def answer_form(survey, default_currency: str | None = None, **kwargs) -> AnswerFormBase:
    """The answer form of one survey: the core, 7 × 2 competency levels, its own questions,
    in the page's language (countries and currencies named as the language names them)."""

    class AnswerForm(AnswerFormBase):
        pass

    levels = _in_language(_LEVELS)
    for key, label in codes.COMPETENCIES.items():
        setattr(AnswerForm, f"{key}_at_graduation",
                SelectField(gettext("%(competency)s: your level when you graduated",
                                    competency=gettext(label)), choices=levels,
                            validate_choice=False, validators=[Optional(), Needed()]))
        setattr(AnswerForm, f"{key}_required_now",
                SelectField(gettext("%(competency)s: level your work requires now",
                                    competency=gettext(label)), choices=levels,
                            validate_choice=False, validators=[Optional(), Needed()]))
    yes_no = _yes_no()
    for q in survey.questions:
        checks = [Optional(), *([Needed()] if q.required else [])]
        label = q.label_in_language  # the respondent's language, else the default's, else as set
        if q.kind == "long_text":
            field = TextAreaField(label, validators=[*checks, Length(max=2000)])
        elif q.kind == "yes_no":
            field = SelectField(label, choices=yes_no, validate_choice=False,
                                validators=checks)
        elif q.kind == "choice":
            # each option in the respondent's language; the value sent (and stored) stays the
            # option as entered
            field = SelectField(label, choices=[("", "—"), *q.options_in_language],
                                validate_choice=False, validators=checks)
        elif q.kind == "scale":
            field = SelectField(label, choices=levels, validate_choice=False,
                                validators=checks)
        else:
            field = StringField(label, validators=[*checks, Length(max=2000)])
        setattr(AnswerForm, q.field_name, field)
    AnswerForm.OWN_FIELDS = tuple(q.field_name for q in survey.questions)
    form = AnswerForm(**kwargs)
    for name in ("status", "how_found", "employer_type", "isic_section", "isco_group", "hours",
                 "contract", "relevance", "education_level", "workplace_level"):
        form[name].choices = _in_language(form[name].choices)
    form.job_within_6_months.choices = form.further_study.choices = yes_no
    form.work_country.choices = [("", "—"), *country_choices_in_language()]
    form.income_currency.choices = [("", "—"), *currency_choices_in_language()]
    if default_currency and not form.is_submitted():
        form.income_currency.data = default_currency
    return form


class EmployerAnswerFormBase(FlaskForm):
    respondent_name = StringField(_l("Your name"), validators=[Optional(), Length(max=200)])
    respondent_position = StringField(_l("Your position"),
                                      validators=[Optional(), Length(max=200)])
    graduates_employed = StringField(_l("How many of our graduates work with you?"),
                                     validators=[Optional(), Length(max=10)])
    comments = TextAreaField(_l("Comments and suggestions for the programme"),
                             validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Send the ratings"))

    RATING_FIELDS = tuple(f"rating_{key}" for key in codes.COMPETENCIES)

    def in_page_order(self) -> list:
        """The fields in the order the page shows them (for the summary of errors)."""
        return [self[name] for name in (*self.RATING_FIELDS, "graduates_employed", "comments",
                                        "respondent_name", "respondent_position")]


def employer_answer_form(**kwargs) -> EmployerAnswerFormBase:
    class EmployerAnswerForm(EmployerAnswerFormBase):
        pass

    for key, label in EMPLOYER_COMPETENCY_LABELS.items():
        setattr(EmployerAnswerForm, f"rating_{key}",
                RadioField(_l(label), choices=_in_language(list(
                    codes.SATISFACTION_LEVELS.items())),
                           validate_choice=False, validators=[Optional(), Needed()]))
    return EmployerAnswerForm(**kwargs)


def employer_record_form(programmes=(), **kwargs) -> EmployerAnswerFormBase:
    """The employer's answer form for the office, which also says which programme and year
    the ratings are about (an answer given by phone or on paper)."""
    base = type(employer_answer_form())

    class EmployerRecordForm(base):
        programme_id = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
        year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)],
                            default=lambda: today().year)
        submit = SubmitField(_l("Record the ratings"))

        def in_page_order(self) -> list:
            return [self.programme_id, self.year, *super().in_page_order()]

    form = EmployerRecordForm(**kwargs)
    form.programme_id.choices = [(p.id, p.label) for p in programmes]
    return form
