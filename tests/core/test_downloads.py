"""The figure and list pages staff use as evidence offer CSV and XLSX downloads, written by the
shared spreadsheet helpers: the same rows in both, a header first, formula-like cells made
plain text, staff only, and only the institution's own records."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.contributions.services import ContributionData, record_contribution
from app.core.spreadsheet import FORMULA_STARTS, XLSX_MIMETYPE, table_download, xlsx_bytes
from app.employment.codes import COMPETENCIES
from app.employment.models import Employer, EmployerFeedback, EmployerRating
from app.engagement.models import Event, Participation
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.extensions import db

# (page, download without the extension, who reads it, the header's first cells)
DOWNLOADS = [
    ("/employers/satisfaction", "/employers/satisfaction", "quality",
     ["Programme", "Year", "Employers asked", "Employers answered"]),
    ("/contributions/totals", "/contributions/totals", "quality",
     ["Part", "Currency", "Category", "Records"]),
    ("/contributions/linkages", "/contributions/linkages", "quality",
     ["Receipt", "Date", "Category", "Alumnus"]),
    ("/exchange/figures", "/exchange/figures", "quality", ["Code", "Figure", "Part"]),
    ("/exchange/alumni", "/exchange/alumni", "quality", ["Student number", "Name"]),
    ("/mentoring/", "/mentoring/figures", "quality", ["Programme", "Students", "Mentored"]),
    ("/events/?when=all", "/events", "quality", ["Date", "Event", "Programme", "Kind"]),
    ("/events/{event}", "/events/{event}/attendance", "quality",
     ["Event", "Date", "Alumnus", "Student number"]),
    ("/admin/audit", "/admin/audit", "admin", ["When (UTC)", "Who", "Action", "Record"]),
    ("/engagement/rate", "/engagement/rate", "quality", ["Group", "Alumnus id"]),
]
EVIL = '=HYPERLINK("http://example.org/x","click")'


@pytest.fixture
def evidence(world):
    """Records of the home institution with formula-like text, and one of the other."""
    officer = world.users["officer"]
    world.alumnus.given_name = "@Ánh"
    record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="in_kind",
        category="internship", received_on=date(2025, 3, 1), description=EVIL, quantity=2),
        institution=world.home, actor=officer)
    record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
        category="scholarship", received_on=date(2025, 4, 1), amount="1500", currency="THB"),
        institution=world.home, actor=officer)
    ours = Event(institution_id=world.home.id, title="-1 reunion (planning)", kind="reunion",
                 event_date=date.today() - timedelta(days=3), mode="on_site")
    theirs = Event(institution_id=world.other.id, title="Their career fair", kind="career_fair",
                   event_date=date.today() - timedelta(days=3), mode="on_site")
    db.session.add_all([ours, theirs])
    db.session.flush()
    db.session.add(Participation(event_id=ours.id, alumnus_id=world.alumnus.id, role="speaker",
                                 institution_id=world.home.id,
                                 hours=Decimal("2.5"), status="attended"))
    batch = ExchangeBatch(institution_id=world.home.id, name="Virtual exchange", year=2022,
                          batch_number=1, mode="virtual", window_start=date(2022, 5, 16),
                          window_end=date(2022, 6, 24))
    db.session.add(batch)
    db.session.flush()
    db.session.add(ExchangeParticipation(
        institution_id=world.home.id, batch_id=batch.id, direction="outgoing",
        student_number=world.alumnus.student_number, given_name=world.alumnus.given_name,
        family_name=world.alumnus.family_name, alumnus_id=world.alumnus.id,
        sending_institution_id=world.home.id, receiving_institution_id=world.other.id,
        study_area="it", hours=Decimal(90), status="completed", certificate_number="C-1"))
    employer = Employer(institution_id=world.home.id, name="Siam Robotics",
                        normalised_name="siam robotics", country="TH")
    db.session.add(employer)
    db.session.flush()
    feedback = EmployerFeedback(institution_id=world.home.id, employer_id=employer.id,
                                programme_id=world.programme.id, year=2025)
    feedback.ratings = [EmployerRating(competency=c, level="good") for c in COMPETENCIES]
    db.session.add(feedback)
    db.session.commit()
    return {"event": ours.id, "their_event": theirs.id}


def _csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel then reads any script
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} is not quoted"
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(("page", "download", "role", "header"), DOWNLOADS)
def test_each_figure_page_downloads_csv_and_xlsx(as_role, evidence, page, download, role,
                                                 header):
    client = as_role(role)
    page, download = page.format(**evidence), download.format(**evidence)
    html = client.get(page).get_data(as_text=True)
    query = "?when=all" if download == "/events" else ""
    assert f'href="{download}.csv{query}"' in html and f'href="{download}.xlsx{query}"' in html
    as_csv = client.get(f"{download}.csv{query}")
    as_xlsx = client.get(f"{download}.xlsx{query}")
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    assert as_xlsx.status_code == 200 and as_xlsx.mimetype == XLSX_MIMETYPE
    assert "attachment" in as_csv.headers["Content-Disposition"]
    csv_rows, xlsx_rows = _csv(as_csv.data), _xlsx(as_xlsx.data)
    assert csv_rows[0][:len(header)] == header and xlsx_rows[0] == csv_rows[0]
    assert len(csv_rows) == len(xlsx_rows) >= 2  # every page has a row for these records
    for row in csv_rows[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    assert client.get(f"{download}.pdf").status_code == 404


def test_formula_like_text_stays_text(as_role, evidence):
    client = as_role("quality")
    csv_rows = _csv(client.get("/contributions/linkages.csv").data)
    xlsx_rows = _xlsx(client.get("/contributions/linkages.xlsx").data)
    assert "'" + EVIL in csv_rows[1]
    assert EVIL in xlsx_rows[1]  # shown as written, stored as quoted text (checked in _xlsx)
    assert _csv(client.get("/exchange/alumni.csv").data)[1][1].startswith("'@Ánh ")
    event = _csv(client.get("/events.csv?when=past").data)
    assert event[1][1] == "'-1 reunion (planning)"


def test_figures_match_the_pages(as_role, world, evidence):
    client = as_role("quality")
    totals = _xlsx(client.get("/contributions/totals.xlsx").data)
    assert ["Money", "THB", "Total in THB", 1, "", "", 1500] in totals
    assert ["Donors", "", "1 alumni, 0 organisations", 1, "", "", ""] in totals
    attendance = _xlsx(client.get(f"/events/{evidence['event']}/attendance.xlsx").data)
    assert attendance[1][0] == "-1 reunion (planning)"
    assert attendance[1][3:6] == [world.alumnus.student_number, "Speaker", 2.5]
    satisfaction = _xlsx(client.get("/employers/satisfaction.xlsx").data)
    # asked, answered, recorded without a link; the competency; very good, good, fair, poor %; n
    assert satisfaction[1][2:] == [1, 1, 1, "Ethics / integrity", 0, 100, 0, 0, 1]
    figures = _csv(client.get("/exchange/figures.csv").data)
    assert figures[1][:4] == ["X1a", "Participants by batch", "All", "1"]
    assert next(row[:2] for row in figures if row[0] == "X2") == ["X2", "Completion rate"]


def test_downloads_are_staff_only_and_scoped(as_role, evidence):
    assert as_role("alumnus").get("/events.csv").status_code == 403
    assert as_role("anonymous").get("/contributions/totals.xlsx").status_code == 302
    assert as_role("officer").get("/admin/audit.csv").status_code == 403
    theirs = _csv(as_role("other_officer").get("/events.csv?when=all").data)
    assert [row[1] for row in theirs[1:]] == ["Their career fair"]
    assert as_role("other_officer").get(
        f"/events/{evidence['event']}/attendance.csv").status_code == 404
    assert _csv(as_role("other_officer").get("/contributions/linkages.csv").data)[1:] == []


def test_spreadsheet_helpers(app):
    body = xlsx_bytes("Totals: 2025/26 [draft]", ["Name", "Amount", "When"],
                      [["สมชาย ใจดี", Decimal("12.50"), date(2025, 1, 2)], ["=1+1", None, None]])
    rows = _xlsx(body)
    assert rows[0] == ["Name", "Amount", "When"]
    assert rows[1][:2] == ["สมชาย ใจดี", 12.5] and rows[2][0] == "=1+1"
    assert load_workbook(io.BytesIO(body)).active.title == "Totals  2025 26  draft"
    with app.test_request_context():
        response = table_download("csv", "รายงาน HOME 2025/26", "x", ["a"], [])
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="HOME-2025-26.csv"')
        with pytest.raises(Exception) as refused:
            table_download("pdf", "x", "x", ["a"], [])
    assert getattr(refused.value, "code", None) == 404
