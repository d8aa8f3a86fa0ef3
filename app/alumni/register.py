"""The register list: search, filters, sorts, pages and counts that stay fast at any size.

Each sort is a tuple of expressions ending in the id, and each has an index that starts with
the institution and holds the same expressions (models.py, `REGISTER_INDEXES`), so a page is
a range scan of that index whatever its number (`app.core.pagination.seek_page`). The sort
expressions never give NULL (a missing cohort or programme sorts as 0), so a page's position
compares with one row-value comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import joinedload

from app.alumni.models import COHORT_SORT, PROGRAMME_SORT, SORT_NAME, Alumnus, CorrectionRequest
from app.alumni.search_index import MIN_INDEXED, by_key_only, own_text_ids
from app.alumni.text import fold
from app.core import pagination
from app.core.db import contains_pattern
from app.core.figure_cache import kept_figure
from app.core.i18n import collated
from app.core.pagination import SeekPage, seek_page
from app.core.permissions import ADMIN, scope, sees_contacts
from app.extensions import db

SORTS = {
    "name": (SORT_NAME, Alumnus.given_name, Alumnus.id),
    "student_number": (Alumnus.student_number, Alumnus.id),
    "cohort": (COHORT_SORT, SORT_NAME, Alumnus.id),
    "programme": (PROGRAMME_SORT, SORT_NAME, Alumnus.id),
    "updated": (Alumnus.updated_at, Alumnus.id),
}

# More ways a search word finds an alumnus: a function of the word's LIKE pattern (escaped
# with "\\") giving a SELECT of alumnus ids; features add theirs, e.g. student numbers merged
# away into a survivor (app.imports).
SEARCH_MATCHERS: list[Callable[[str], Any]] = []


def add_search_matcher(matcher: Callable[[str], Any]) -> None:
    """Let a feature find records by more than their own columns (from its hooks.py)."""
    if matcher not in SEARCH_MATCHERS:
        SEARCH_MATCHERS.append(matcher)


@dataclass
class RegisterFilters:
    q: str = ""
    programme_id: int | None = None
    cohort_year: int | None = None
    status: str | None = None
    country: str | None = None
    archived: bool = False
    sort: str = "name"
    descending: bool = False


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def register_query(filters: RegisterFilters, *, actor: Any) -> Select:
    """The register's rows for the actor's institution with the filters applied, unsorted."""
    stmt = scope(select(Alumnus), Alumnus, actor)
    words = fold(filters.q).split()
    if words:
        stmt = _search(stmt, words, contacts=sees_contacts(actor))
    if filters.programme_id:
        stmt = stmt.where(PROGRAMME_SORT == filters.programme_id)  # noqa: SIM300
    if filters.cohort_year:  # the sort column: its index counts a cohort without the table
        stmt = stmt.where(COHORT_SORT == filters.cohort_year)  # noqa: SIM300
    if filters.status:
        stmt = stmt.where(Alumnus.status == filters.status)
    if filters.country:
        stmt = stmt.where(Alumnus.country == filters.country)
    return stmt.where(
        Alumnus.archived_at.is_not(None) if filters.archived else Alumnus.archived_at.is_(None)
    )


def _search(stmt: Select, words: list[str], *, contacts: bool = True) -> Select:
    """Every word is found in the record's own text or through a feature's matcher (a student
    number merged into it). The candidates come from the text index (all the words in one
    look-up) and the matchers' few ids; the rows are read from them (a join on PostgreSQL, so
    the planner starts there rather than from the institution's whole index; the ids by key
    on SQLite), each checked word by word.
    Without `contacts` (quality staff without the grant) the words are checked against the
    text without the e-mail address, so a search cannot confirm someone's address.
    """
    patterns = [contains_pattern(w) for w in words]
    text = Alumnus.search_text if contacts else _without_email()
    each_word = [or_(text.like(p, escape="\\"),
                     *(Alumnus.id.in_(matcher(p)) for matcher in SEARCH_MATCHERS))
                 for p in patterns]
    if not _uses_text_index(words):  # one or two letters: no index finds them; the list is
        return stmt.where(*each_word)  # read in its sort order until a page is full
    candidates = [own_text_ids(Alumnus.__table__, words, _dialect()),
                  *(matcher(p) for p in patterns for matcher in SEARCH_MATCHERS)]
    found = union(*candidates) if len(candidates) > 1 else candidates[0]
    if _dialect() == "sqlite":  # the candidates looked up by key (search_index.by_key_only)
        return by_key_only(stmt.where(Alumnus.id.in_(found), *each_word), Alumnus)
    found = found.subquery("found")
    return stmt.join(found, found.c.id == Alumnus.id).where(*each_word)


def _without_email():
    """The search text with the folded e-mail taken out (it is stored as the last part; an
    address is ASCII as a rule, where folding is lower case)."""
    return func.replace(Alumnus.search_text, func.lower(func.coalesce(Alumnus.email, "")), "")


def _uses_text_index(words: list[str]) -> bool:
    return any(len(w) >= MIN_INDEXED for w in words)


def sort_keys(filters: RegisterFilters) -> tuple:
    """The sort's expressions. A search sorts its matches instead of walking the sort's index
    (the planner would walk the whole index looking for a rare name): the same values, as
    expressions no index serves (`x || ''`, `n + 0`), names in the page language's collation
    where the database has it (`collated`)."""
    keys = SORTS.get(filters.sort, SORTS["name"])
    if not _uses_text_index(fold(filters.q).split()):
        return keys
    return tuple(_unindexed(k) for k in keys)


def _unindexed(column):
    if isinstance(column.type, String):  # sorted whole: by the page language's collation
        return collated(column.concat(literal_column("''"))).label(None)
    if isinstance(column.type, Integer):
        return (column + literal_column("0")).label(None)
    return column


def search_alumni(filters: RegisterFilters, *, actor: Any) -> Select:
    """The register query for the actor's institution with filters and sorting applied."""
    order = [c.desc() if filters.descending else c.asc() for c in sort_keys(filters)]
    return (register_query(filters, actor=actor).options(joinedload(Alumnus.programme))
            .order_by(*order))


def register_page(filters: RegisterFilters, *, actor: Any, per_page: int,
                  page: int | None = None,
                  after: str | None = None, before: str | None = None,
                  last: bool = False) -> SeekPage:
    """One page of the register (seek paging: any page costs what the first does)."""
    stmt = register_query(filters, actor=actor).options(joinedload(Alumnus.programme))
    return seek_page(stmt, sort_keys(filters), descending=filters.descending,
                     per_page=per_page, page=page, after=after, before=before, last=last,
                     total=_far_beyond_the_count(filters, actor))


def register_counts_key(actor: Any) -> tuple:
    """The kept figure of `register_counts` for this actor's register (the landing page's)."""
    return ("register_counts", actor.role, actor.institution_id)


# How old the landing page's kept count may be for the pager to trust it as a bound.
KEPT_COUNT_AGE = timedelta(hours=1)


def _far_beyond_the_count(filters: RegisterFilters, actor: Any) -> tuple[int, bool] | None:
    """The pager's total for the whole register (no filter) when the landing page's kept count
    (at most an hour old) is at least twice the pager's limit: "more than 10,000" without
    counting 10,001 index entries on every view (2-3 ms of each register page at 100,000
    alumni). Otherwise None: the page counts, as for any filtered list."""
    if filters != RegisterFilters(sort=filters.sort, descending=filters.descending):
        return None
    counts = kept_figure(register_counts_key(actor), KEPT_COUNT_AGE)
    if counts is not None and counts["alumni"] >= 2 * pagination.COUNT_LIMIT:
        return pagination.COUNT_LIMIT, True
    return None


def cohort_years(actor: Any) -> list[int]:
    """The cohorts of the register's (not archived) records, newest first: one index step per
    cohort (a "loose index scan" of the cohort sort index), not a pass over every record."""
    if actor.role == ADMIN:
        return sorted(db.session.scalars(select(Alumnus.cohort_year).distinct().where(
            Alumnus.cohort_year.is_not(None))), reverse=True)
    return institution_cohort_years(actor.institution_id)


def institution_cohort_years(institution_id: int) -> list[int]:
    """The graduation years of an institution's (not archived) records, newest first, one
    index step per year over the cohort sort index: what the register's cohort filter and
    the Outcomes and evidence-pack pages offer."""
    # The column and condition are the cohort sort index's own (models.REGISTER_INDEXES).
    rows = db.session.execute(text(
        "WITH RECURSIVE years(year) AS ("
        " SELECT max(cohort_sort) FROM alumnus"
        "  WHERE institution_id = :inst AND archived_at IS NULL"
        " UNION ALL"
        " SELECT (SELECT max(cohort_sort) FROM alumnus"
        "  WHERE institution_id = :inst AND archived_at IS NULL AND cohort_sort < years.year)"
        " FROM years WHERE years.year > 0)"
        " SELECT year FROM years WHERE year > 0"), {"inst": institution_id})
    return [r[0] for r in rows]


def outside_cohorts(institution_id: int):
    """SQL condition on Alumnus: an institution's (not archived) record without a programme or
    a graduation year, so in no cohort and no figure (the register's sort keys are 0 there)."""
    return ((Alumnus.institution_id == institution_id) & Alumnus.archived_at.is_(None)
            & ((COHORT_SORT == 0) | (PROGRAMME_SORT == 0)))


def count_outside_cohorts(institution_id: int) -> int:
    """How many records `outside_cohorts` lists: the records without a year plus those with a
    year but no programme, each a count over its register sort index (no pass over the
    register, which an OR of the two would be)."""
    mine = and_(Alumnus.institution_id == institution_id, Alumnus.archived_at.is_(None))
    no_year = select(func.count()).select_from(Alumnus).where(mine, COHORT_SORT == 0)
    no_programme = (select(func.count()).select_from(Alumnus)
                    .where(mine, PROGRAMME_SORT == 0, COHORT_SORT != 0))
    return db.session.scalar(select(no_year.scalar_subquery()
                                    + no_programme.scalar_subquery())) or 0


def register_counts(actor: Any) -> dict[str, int]:
    """Counts for the officer's dashboard: one pass over the institution + archived + account
    + e-mail index (no table rows read), and the open correction requests."""
    empty_email = or_(Alumnus.email.is_(None), Alumnus.email == "")
    row = db.session.execute(
        scope(select(func.count(literal_column("1")), func.count(Alumnus.user_id),
                     func.count(case((empty_email, 1)))), Alumnus, actor)
        .where(Alumnus.archived_at.is_(None))).one()
    return {
        "alumni": row[0] or 0,
        "claimed": row[1] or 0,
        "no_email": row[2] or 0,
        "open_corrections": db.session.scalar(
            scope(select(func.count(CorrectionRequest.id)), CorrectionRequest, actor)
            .where(CorrectionRequest.status == "open")) or 0,
    }
