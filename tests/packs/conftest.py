"""The hand-built cohort of the indicator tests, with names in Thai and Burmese, and a report
folder of the test's own."""

from __future__ import annotations

import pytest

from tests.reports.conftest import hand_cohort  # noqa: F401

THAI = ("สมชาย", "ใจดี")
BURMESE = ("အောင်", "ကျော်")


@pytest.fixture(autouse=True)
def report_folder(app, tmp_path):
    saved = app.config.get("REPORT_FOLDER")
    app.config["REPORT_FOLDER"] = str(tmp_path / "reports")
    yield tmp_path / "reports"
    app.config["REPORT_FOLDER"] = saved


@pytest.fixture
def pack_cohort(db, world, hand_cohort):  # noqa: F811
    """The hand cohort with a1 named in Thai and a2 in Burmese; a1 found an internship place
    (a linkage) in 2024 and a2 went on an exchange in 2023."""
    from datetime import date
    from decimal import Decimal

    from app.contributions.services import ContributionData, record_contribution
    from app.exchange.models import ExchangeBatch, ExchangeParticipation

    a = hand_cohort.alumni
    home = hand_cohort.institution
    a["a1"].given_name, a["a1"].family_name = THAI
    a["a2"].given_name, a["a2"].family_name = BURMESE
    for alumnus in (a["a1"], a["a2"]):
        alumnus.refresh_search_text()
    record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=a["a1"].id, kind="in_kind", category="internship",
        received_on=date(2024, 3, 1), description="Two internship places",
        estimated_value="1500000", value_currency="IDR", valuation_basis="Stipend paid"),
        institution=home, actor=world.users["officer"])
    record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=a["a3"].id, kind="monetary", category="scholarship",
        received_on=date(2024, 5, 2), amount="250000", currency="IDR"),
        institution=home, actor=world.users["officer"])
    other = world.other
    batch = ExchangeBatch(institution_id=home.id, name="Virtual exchange", year=2023,
                          batch_number=1, mode="virtual", window_start=date(2023, 5, 1),
                          window_end=date(2023, 6, 1))
    db.session.add(batch)
    db.session.flush()
    db.session.add(ExchangeParticipation(
        institution_id=home.id, batch_id=batch.id, direction="outgoing",
        student_number=a["a2"].student_number, given_name=BURMESE[0], family_name=BURMESE[1],
        alumnus_id=a["a2"].id, sending_institution_id=home.id,
        receiving_institution_id=other.id, study_area="it", hours=Decimal(90),
        status="completed", certificate_number="C-PACK-1"))
    db.session.commit()
    return hand_cohort


def build(cohort, formats=("html", "pdf", "xlsx", "csv"), framework="ban-pt",
          years=(2022, 2023, 2024), programmes=None, language="en"):
    """Build a snapshot of the cohort's pack as the command does (no job), its fixed text in
    `language`."""
    from app.extensions import db
    from app.packs.services import build_snapshot, check_request

    request = check_request(cohort.institution, framework,
                            programmes if programmes is not None else [cohort.programme.id],
                            list(years), None, list(formats), language)
    snapshot = build_snapshot(request, tuple(formats), built_by="Quality Officer",
                              built_by_id=None)
    db.session.commit()
    return snapshot
