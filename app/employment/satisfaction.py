"""Employer satisfaction (M11): one figure per programme and year, made by one function that
also lists what it counted.

Rules:
* One employer, one answer per programme and year: the latest counts (by the time it was
  given, then by its id); earlier answers (an office-recorded rating and a later answer by
  link, say) are kept as history and listed, never counted.
* The denominator is the employers asked: every employer sent a link for the programme and
  year, and every employer whose answer the office recorded (asked some other way), each
  once however often they were asked.
* Shares per competency are of the counted answers that rated it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.alumni.models import Programme
from app.core.db import as_utc
from app.core.permissions import scope
from app.employment import codes
from app.employment.models import Employer, EmployerFeedback, EmployerFeedbackRequest
from app.extensions import db


@dataclass
class SatisfactionFigure:
    """Employer satisfaction for one programme and year, with the records behind it."""

    programme: Programme | None
    programme_id: int
    year: int
    asked: list[Employer] = field(default_factory=list)  # the denominator, each employer once
    answers: list[EmployerFeedback] = field(default_factory=list)  # counted: latest each
    earlier: list[EmployerFeedback] = field(default_factory=list)  # kept, not counted
    undeliverable: list[Employer] = field(default_factory=list)  # asked, link bounced

    @property
    def programme_label(self) -> str:
        return self.programme.label if self.programme else str(self.programme_id)

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def recorded_without_link(self) -> int:
        return sum(1 for a in self.answers if a.request_id is None)

    @property
    def competencies(self) -> dict[str, dict[str, Any]]:
        """Per competency: the share (%) of counted answers at each level, and n."""
        out = {}
        for competency in codes.COMPETENCIES:
            levels = dict.fromkeys(codes.SATISFACTION_LEVELS, 0)
            for answer in self.answers:
                for rating in answer.ratings:
                    if rating.competency == competency and rating.level in levels:
                        levels[rating.level] += 1
            n = sum(levels.values())
            out[competency] = {lvl: (round(100.0 * c / n, 1) if n else None)
                               for lvl, c in levels.items()} | {"n": n}
        return out

    @property
    def comments(self) -> list[tuple[str, str]]:
        return [(a.employer.name, a.comments) for a in self.answers if a.comments]


def _order(answer: EmployerFeedback) -> tuple:
    return (as_utc(answer.submitted_at), answer.id)


def satisfaction_figures(actor: Any, *, programme_id: int | None = None,
                         year: int | None = None) -> list[SatisfactionFigure]:
    """Employer satisfaction per programme and year in the actor's scope (newest year first),
    each with the employers asked, the answers counted and the earlier answers kept."""
    answers_q = scope(select(EmployerFeedback), EmployerFeedback, actor).options(
        selectinload(EmployerFeedback.ratings), selectinload(EmployerFeedback.employer))
    requests_q = scope(select(EmployerFeedbackRequest), EmployerFeedbackRequest, actor).options(
        selectinload(EmployerFeedbackRequest.employer))
    if programme_id is not None:
        answers_q = answers_q.where(EmployerFeedback.programme_id == programme_id)
        requests_q = requests_q.where(EmployerFeedbackRequest.programme_id == programme_id)
    if year is not None:
        answers_q = answers_q.where(EmployerFeedback.year == year)
        requests_q = requests_q.where(EmployerFeedbackRequest.year == year)

    by_employer: dict[tuple[int, int], dict[int, list[EmployerFeedback]]] = defaultdict(
        lambda: defaultdict(list))
    asked: dict[tuple[int, int], dict[int, Employer]] = defaultdict(dict)
    bounced: dict[tuple[int, int], dict[int, Employer]] = defaultdict(dict)
    for answer in db.session.scalars(answers_q):
        key = (answer.programme_id, answer.year)
        by_employer[key][answer.employer_id].append(answer)
        asked[key][answer.employer_id] = answer.employer
    for req in db.session.scalars(requests_q):
        key = (req.programme_id, req.year)
        asked[key][req.employer_id] = req.employer
        if req.undeliverable_at is not None and req.responded_at is None:
            bounced[key][req.employer_id] = req.employer
    programmes = {p.id: p for p in db.session.scalars(
        scope(select(Programme), Programme, actor))}

    figures = []
    for key in sorted(asked, key=lambda k: (-k[1], k[0])):
        figure = SatisfactionFigure(programme=programmes.get(key[0]), programme_id=key[0],
                                    year=key[1])
        figure.asked = sorted(asked[key].values(), key=lambda e: (e.normalised_name, e.id))
        for answers in by_employer[key].values():
            answers.sort(key=_order)
            figure.answers.append(answers[-1])
            figure.earlier.extend(answers[:-1])
        figure.answers.sort(key=lambda a: (a.employer.normalised_name, a.employer_id))
        figure.earlier.sort(key=_order)
        figure.undeliverable = [e for i, e in bounced[key].items() if i not in by_employer[key]]
        figures.append(figure)
    return figures


def answered_employer_ids(programme_id: int, year: int) -> set[int]:
    """Employers whose answer for the programme and year is already recorded."""
    return set(db.session.scalars(select(EmployerFeedback.employer_id).where(
        EmployerFeedback.programme_id == programme_id, EmployerFeedback.year == year)))


@cache
def latest_answers() -> Select:
    """SQL: the ids of the answers that count, the latest per employer, programme and year
    (the rule of this module, for figures computed in SQL such as M11 in app/reports). Built
    once: a statement is immutable, and the pack asks for it a few hundred times."""
    mine, later = aliased(EmployerFeedback), aliased(EmployerFeedback)
    newer = select(later.id).where(
        later.employer_id == mine.employer_id, later.programme_id == mine.programme_id,
        later.year == mine.year,
        or_(later.submitted_at > mine.submitted_at,
            and_(later.submitted_at == mine.submitted_at, later.id > mine.id)))
    return select(mine.id).where(~newer.exists())
