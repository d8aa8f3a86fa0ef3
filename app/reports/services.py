"""What the Outcomes page asks of the indicators: the choices it offers, the selection it
reads from a request's values, and who is outside every cohort."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext
from sqlalchemy import select

from app.alumni.models import Institution, Programme
from app.alumni.register import count_outside_cohorts, institution_cohort_years
from app.extensions import db
from app.reports.frameworks import Framework, frameworks
from app.reports.indicators import Params, Selection, make_selection
from app.reports.listing import (  # noqa: F401 - values and figures' names as people read them
    format_value,  # in English (exports, packs)
    page_value,  # in the page's language (a campaign's page shows its figures)
    say,
)

REFERENCE_CHOICES = (6, 12, 24)


@dataclass
class OutcomeChoice:
    """The choices on the page, checked: programmes of the institution, years, framework."""

    programmes: list[Programme]
    years: list[int]
    reference_months: int
    framework: Framework | None
    errors: list[str]

    def selection(self, institution: Institution) -> Selection | None:
        if not self.programmes or not self.years:
            return None
        params = self.framework.params if self.framework else Params()
        return make_selection(institution, self.programmes, self.years,
                              self.reference_months, replace(params))


def programmes_of(institution: Institution) -> list[Programme]:
    return list(db.session.scalars(select(Programme).where(
        Programme.institution_id == institution.id).order_by(Programme.code)))


def cohort_years_of(institution: Institution) -> list[int]:
    """The graduation years of the register's (not archived) records, newest first: the
    cohorts the figures count (one index step per year)."""
    return institution_cohort_years(institution.id)


def outside_cohorts(institution_id: int) -> int:
    """Alumni (not archived) without a programme or a graduation year: in no cohort."""
    return count_outside_cohorts(institution_id)


def read_choice(institution: Institution, programme_ids: list[int], years: list[int],
                months: int | None, framework_name: str | None) -> OutcomeChoice:
    """The page's choices from request values; anything not the institution's is dropped
    and said so."""
    errors = []
    own = {p.id: p for p in programmes_of(institution)}
    chosen = [own[i] for i in programme_ids if i in own]
    if len(chosen) != len(set(programme_ids)):
        errors.append(gettext("Choose programmes of this institution."))
    framework = None
    if framework_name:
        framework = frameworks().get(framework_name)
        if framework is None:
            errors.append(gettext("Choose one of the listed frameworks."))
    if months not in REFERENCE_CHOICES:
        months = framework.reference_months if framework else 12
    if not years:
        known = cohort_years_of(institution)
        depth = framework.years if framework else 3
        years = sorted(known[:depth])
    good_years = sorted({y for y in years if 1950 <= y <= 2100})
    if len(good_years) != len(set(years)):
        errors.append(gettext("Give graduation years from %(first)d to %(last)d.", first=1950,
                              last=2100))
    return OutcomeChoice(chosen, good_years, months, framework, errors)


@dataclass
class CohortFigures:
    """A tracer survey's cohort (programme and year) with its outcome figures."""

    programme: Programme
    year: int
    figures: list  # Indicator, in CAMPAIGN_FIGURES order


CAMPAIGN_FIGURES = (("M1", "gross"), ("M2", "labour_force"), ("M5", "median"), ("M6", "high"),
                    ("M8", "median_all"))


def campaign_figures(survey) -> list[CohortFigures]:
    """Per cohort of a tracer survey, at its reference point: the response rate over the whole
    cohort, employment rate, waiting time, job match, income and the largest competency gap,
    from the same indicator functions as the Outcomes page."""
    from app.reports.indicators import shared_queries

    with shared_queries():
        return [_cohort_figures(survey, cohort) for cohort in survey.cohorts]


def kept_campaign_figures(survey) -> tuple[list[CohortFigures], datetime]:
    """campaign_figures kept a while (`FIGURE_CACHE_SECONDS`; counted again in the background
    when old) with when they were counted: the campaign page shows them on every view and
    they read every answer of the cohorts. The programmes are kept as plain values."""
    from app.core.figure_cache import cached_figure

    survey_id = survey.id

    def count() -> list[CohortFigures]:
        from app.employment.models import TracerSurvey

        # Kept as plain values: the programme's id and names, the figures without the
        # queries of their records (the page shows the values).
        return [replace(c, programme=SimpleNamespace(id=c.programme.id, code=c.programme.code,
                                                    name=c.programme.name),
                        figures=[replace(f, counted=None, base=None) for f in c.figures])
                for c in campaign_figures(db.session.get(TracerSurvey, survey_id))]

    return cached_figure(("campaign_figures", survey_id), count)


def _cohort_figures(survey, cohort) -> CohortFigures:
    from app.employment import codes as employment_codes
    from app.reports.indicators import compute

    sel = make_selection(survey.institution_id, [cohort.programme_id], [cohort.cohort_year],
                         survey.reference_months)
    figures = [compute(code, sel, variant) for code, variant in CAMPAIGN_FIGURES]
    gaps = [compute("M10", sel, c) for c in employment_codes.COMPETENCIES]
    gaps = [g for g in gaps if g.value is not None]
    if gaps:
        figures.append(max(gaps, key=lambda g: g.value))
    return CohortFigures(cohort.programme, cohort.cohort_year, figures)
