"""Institutions, programmes, alumni, consent and correction requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.alumni.search_index import attach_search_index
from app.alumni.text import fold
from app.core.db import Base, InstitutionOwned, TimestampMixin, utcnow
from app.core.i18n import N_
from app.core.timezones import default_time_zone

INSTITUTION_KINDS = {  # translated where shown (admin pages); exports keep the English
    "college": N_("TVET college"),
    "polytechnic": N_("Polytechnic"),
    "university_of_technology": N_("University of technology"),
    "institute": N_("Technical institute"),
    "other": N_("Other"),
}

# The seven SEAMEO TVET study areas, plus "other".
STUDY_AREAS = {
    "it": N_("Computer science / IT / informatics"),
    "multimedia": N_("Multimedia / creative industry"),
    "business": N_("Business / entrepreneurship"),
    "hospitality": N_("Hospitality and tourism"),
    "health": N_("Health science"),
    "agriculture": N_("Agriculture / animal science"),
    "mechatronics": N_("Mechatronics / electronics / manufacturing"),
    "other": N_("Other"),
}

QUALIFICATION_LEVELS = {
    "certificate": N_("Certificate"),
    "diploma": N_("Diploma"),
    "higher_diploma": N_("Higher / advanced diploma"),
    "associate": N_("Associate degree"),
    "bachelor": N_("Bachelor (applied)"),
    "master": N_("Master"),
    "other": N_("Other"),
}

# Translated where shown (the records behind a figure); exports keep the English words.
ALUMNUS_STATUSES = {
    "active": N_("Active"),
    "unreachable": N_("Unreachable"),
    "deceased": N_("Deceased"),
    "opted_out": N_("Opted out"),
}

GENDERS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other"),
           "undisclosed": N_("Prefer not to say")}

# Translated where shown (gettext on the page), so exports and the API keep the English words.
CONSENT_PURPOSES = {
    "contact": N_("Contact me about alumni news and events"),
    "tracer": N_("Invite me to tracer surveys about my employment"),
    "directory": N_("List me in the alumni directory"),
    "fundraising": N_("Contact me about giving and contributions"),
    "photos": N_("Use photos of me in institution publications"),
    "mentoring": N_("Tell me about mentoring offers"),
}
# Purposes whose mail goes out until the alumnus says no (the tracer study the institution
# runs for its accreditation: app.employment.tracer.audience); every other purpose needs a
# "yes" in force.
ASKED_UNLESS_WITHDRAWN = ("tracer",)

CONSENT_METHODS = {
    "self_service": N_("Self-service"),
    "officer": N_("Recorded by an officer"),
    "import": N_("Import"),
    "survey": N_("Survey form"),
    "unsubscribe": N_("Unsubscribe link in an e-mail"),
}
# A correction request's status, translated where shown.
CORRECTION_STATUSES = {"open": N_("Open"), "closed": N_("Closed")}

CURRENT_NOTICE_VERSION = "2026-01"


def build_search_text(*parts: str | None) -> str:
    """The folded text the register search matches (names in any script, number, e-mail)."""
    return " | ".join(fold(p) for p in parts if p)


def display_name(given_name: str | None, preferred_name: str | None,
                 family_name: str | None) -> str:
    """The name a page shows: the preferred name (else the given name), then the family
    name; for a record or for its columns read without the object."""
    return " ".join(p for p in (preferred_name or given_name, family_name) if p)


def _country_time_zone(context) -> str:  # noqa: ANN001 - SQLAlchemy's insert context
    """A new institution's default time zone: its country's main one."""
    return default_time_zone(context.get_current_parameters().get("country"))


class Institution(Base):
    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    kind: Mapped[str] = mapped_column(String(30), default="college")
    # IANA name (app.core.timezones): event times are on its clocks.
    time_zone: Mapped[str] = mapped_column(String(64), default=_country_time_zone)
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Administrators must sign in with a second factor when the home institution says so.
    admin_two_factor_required: Mapped[bool] = mapped_column(Boolean, default=False,
                                                            server_default=sa_false())
    # Days the office has to answer an alumnus's request to see, correct or erase their data
    # (the jurisdiction's deadline; 30 under each of the six laws the product serves).
    rights_deadline_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # The language of pages and e-mail when nobody's choice or browser says otherwise
    # (app.core.i18n.LANGUAGES), and whether Thai pages show Buddhist Era years (stored dates
    # stay common era).
    default_language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    buddhist_era: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())

    programmes: Mapped[list[Programme]] = relationship(
        back_populates="institution", order_by="Programme.code"
    )

    def __repr__(self) -> str:
        return f"<Institution {self.code}>"


class Programme(InstitutionOwned, Base):
    __tablename__ = "programme"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    study_area: Mapped[str] = mapped_column(String(30), index=True)
    isced_code: Mapped[str | None] = mapped_column(String(4))  # ISCED-F 2013 field: isced.py
    duration_months: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    institution: Mapped[Institution] = relationship(back_populates="programmes")
    alumni: Mapped[list[Alumnus]] = relationship(back_populates="programme")

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


class Alumnus(InstitutionOwned, TimestampMixin, Base):
    __tablename__ = "alumnus"
    __table_args__ = (
        UniqueConstraint("institution_id", "student_number"),
        CheckConstraint("version >= 1", name="version_positive"),
        # A cohort (programme + graduation year) of an institution: what every indicator reads;
        # with `archived_at`, a cohort's count reads the index alone.
        Index("ix_alumnus_cohort", "institution_id", "programme_id", "cohort_year", "archived_at"),
        # The register's sort keys, computed by the database and never NULL, so a page's
        # position is one row-value comparison over an index (see REGISTER_INDEXES): people
        # with one name (common in Myanmar and parts of Indonesia) sort by it; no cohort or
        # programme sorts as 0. Not mapped: no one sets or reads them but the register query.
        Column("sort_name", String(120), Computed("coalesce(family_name, given_name)")),
        Column("cohort_sort", Integer, Computed("coalesce(cohort_year, 0)")),
        Column("programme_sort", Integer, Computed("coalesce(programme_id, 0)")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_number: Mapped[str] = mapped_column(String(40))
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    preferred_name: Mapped[str | None] = mapped_column(String(120))
    search_text: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    gender: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    graduation_date: Mapped[date | None] = mapped_column(Date)
    award_date: Mapped[date | None] = mapped_column(Date)  # diploma issue date, where it differs
    cohort_year: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    directory_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), unique=True)
    archived_at: Mapped[datetime | None] = mapped_column(index=True)
    # Erased on the person's request or by retention (app.privacy): names, contacts and free
    # text are gone; the record stays so the cohort's figures still count the graduate.
    erased_at: Mapped[datetime | None] = mapped_column()
    # Whether the record held an e-mail or a phone when it was erased: erasure takes them,
    # and E1 (contactable alumni) counts an erased graduate as they were (engagement services).
    contact_at_erasure: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Not indexed on its own: the unique (institution_id, student_number) index starts with
    # it and serves the same lookups; one index fewer to maintain on bulk imports.
    institution_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("institution.id", ondelete="RESTRICT")
    )

    __mapper_args__ = {"version_id_col": version,
                       "exclude_properties": ["sort_name", "cohort_sort", "programme_sort"]}

    institution: Mapped[Institution] = relationship()
    programme: Mapped[Programme | None] = relationship(back_populates="alumni")
    consents: Mapped[list[Consent]] = relationship(
        back_populates="alumnus", order_by="Consent.recorded_at"
    )
    user = relationship("User", back_populates="alumnus", foreign_keys=[user_id])

    @property
    def display_name(self) -> str:
        return display_name(self.given_name, self.preferred_name, self.family_name)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    def refresh_search_text(self) -> None:
        self.search_text = build_search_text(
            self.given_name, self.family_name, self.preferred_name, self.student_number, self.email
        )

    def consent_in_force(self, purpose: str) -> bool:
        """The latest record per purpose is in force; no record means not granted."""
        latest = None
        for c in self.consents:
            if c.purpose == purpose and (latest is None or c.recorded_at >= latest.recorded_at):
                latest = c
        return bool(latest and latest.granted)


SORT_NAME = Alumnus.__table__.c.sort_name
COHORT_SORT = Alumnus.__table__.c.cohort_sort
PROGRAMME_SORT = Alumnus.__table__.c.programme_sort
_IN_REGISTER = text("archived_at IS NULL")
# One index per register sort (the page is a range scan of it, any page number), and one
# the dashboard's counts read without touching the table.
REGISTER_INDEXES = (
    Index("ix_alumnus_register_name", Alumnus.institution_id, SORT_NAME, Alumnus.given_name,
          Alumnus.id, sqlite_where=_IN_REGISTER, postgresql_where=_IN_REGISTER),
    Index("ix_alumnus_register_cohort", Alumnus.institution_id, COHORT_SORT, SORT_NAME,
          Alumnus.id, sqlite_where=_IN_REGISTER, postgresql_where=_IN_REGISTER),
    Index("ix_alumnus_register_programme", Alumnus.institution_id, PROGRAMME_SORT, SORT_NAME,
          Alumnus.id, sqlite_where=_IN_REGISTER, postgresql_where=_IN_REGISTER),
    Index("ix_alumnus_register_counts", Alumnus.institution_id, Alumnus.archived_at,
          Alumnus.user_id, Alumnus.email),
)
attach_search_index(Alumnus.__table__)


class Consent(Base):
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), index=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    method: Mapped[str] = mapped_column(String(20))
    notice_version: Mapped[str] = mapped_column(String(20), default=CURRENT_NOTICE_VERSION)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    alumnus: Mapped[Alumnus] = relationship(back_populates="consents")


class CorrectionRequest(InstitutionOwned, Base):
    """An alumnus asks the office to correct an officer-owned field."""

    __tablename__ = "correction_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    resolution_note: Mapped[str | None] = mapped_column(Text)

    alumnus: Mapped[Alumnus] = relationship()


class MergedRecord(InstitutionOwned, Base):
    """A record merged into another: its old id and student number lead to the survivor.

    `survivor_id` is a foreign key to the alumnus, so a later merge of the survivor re-points
    it too (a chain of merges ends at the record that exists); `merged_id` is not, since that
    record is gone.
    """

    __tablename__ = "merged_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    merged_id: Mapped[int] = mapped_column(Integer, unique=True)
    merged_student_number: Mapped[str] = mapped_column(String(40))
    merged_name: Mapped[str] = mapped_column(String(250), default="")
    survivor_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    survivor: Mapped[Alumnus] = relationship(foreign_keys=[survivor_id])


class StudentNumberAlias(InstitutionOwned, Base):
    """A student number merged away: it still finds (and imports into) the survivor. Written by
    the merge (app.imports); read by every look-up of a student number."""

    __tablename__ = "student_number_alias"
    __table_args__ = (UniqueConstraint("institution_id", "number_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_number: Mapped[str] = mapped_column(String(40))
    number_key: Mapped[str] = mapped_column(String(40), index=True)  # lower-cased
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrivacyNotice(Base):
    """A version of the privacy notice the administrator keeps; the latest published one is in
    force, and each consent records the version shown (`Consent.notice_version`). Before the
    first is published, CURRENT_NOTICE_VERSION stands for the notice the product shipped with."""

    __tablename__ = "privacy_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
