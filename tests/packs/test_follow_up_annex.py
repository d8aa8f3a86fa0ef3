"""The employer satisfaction annex is followed by the follow-up actions the institution took
on what employers said, in the HTML, the PDF, the workbook (its own sheet, frozen header) and
the CSV zip (its own file); each row links to its record."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from app.feedback.follow_up import EmployerInputData, record_employer_input
from app.feedback.services import MeetingData, create_meeting, decide_feedback
from app.packs.services import file_path
from tests.packs.conftest import build

SHEET = "A8 Employer follow-up actions"
CSV = "A8-employer-follow-up-actions.csv"
ACTION = "Group project with two firms in module 3 since term 2."


def _body(snapshot, fmt) -> bytes:
    return file_path(snapshot, next(f for f in snapshot.files if f.fmt == fmt)).read_bytes()


@pytest.fixture
def followed(pack_cohort, world, db, make_programme):
    """Employer input on 2024 taken to an action; one on 2024 not decided yet; one of 2021
    and one of another programme (neither in the pack)."""
    officer, home = world.users["officer"], pack_cohort.institution
    programme = pack_cohort.programme

    def said(year, competency, text, programme_id=programme.id):
        return record_employer_input(EmployerInputData(
            programme_id=programme_id, survey_year=year, competency=competency, said=text,
            noted_on=date(2025, 2, 1)), institution=home, actor=officer)

    acted = said(2024, "teamwork", "Teamwork rated fair by 4 of 9 employers.")
    waiting = said(2024, "foreign_language", "English rated poor by 3 employers.")
    said(2021, "it", "Old survey, outside the cohorts.")
    other = make_programme(home, code="OTH")
    said(2024, "ethics", "Another programme's survey.", programme_id=other.id)
    meeting = create_meeting(MeetingData(programme_id=programme.id, held_on=date(2025, 3, 1),
                                         kind="curriculum_review", title="Review 1/2025"),
                             institution=home, actor=officer)
    decide_feedback(acted, "under_review", note="Heard at the review.", actor=officer)
    decide_feedback(acted, "accepted", note="Add a group project.", meeting_id=meeting.id,
                    actor=officer)
    decide_feedback(acted, "implemented", note=ACTION, actor=officer)
    db.session.commit()
    return pack_cohort, acted, waiting


def test_the_follow_up_annex_follows_employer_satisfaction_everywhere(followed, as_role,
                                                                     tmp_path):
    cohort, acted, waiting = followed
    pack = build(cohort)
    html = _body(pack, "html").decode("utf-8")
    sections = re.findall(r'<section id="annex-(\w+)"', html)
    assert sections[sections.index("employer_satisfaction") + 1] == "employer_follow_up"
    annex = html.split('id="annex-employer_follow_up"')[1].split("</section>")[0]
    assert "A8 · Employer follow-up actions" in annex
    assert ACTION in annex and "Teamwork rated fair by 4 of 9 employers." in annex
    assert "Accepted at" in annex and "Review 1/2025" in annex
    assert "English rated poor" in annex and "none recorded yet" in annex
    assert "Old survey" not in annex and "Another programme" not in annex
    links = re.findall(r'<a href="(http://[^"]+/feedback/(\d+))">Feedback \d+</a>', annex)
    assert sorted(int(i) for _, i in links) == sorted([acted.id, waiting.id])
    # the link opens the record, with its review steps
    path = "/" + links[0][0].split("/", 3)[3]
    assert as_role("quality").get(path).status_code == 200

    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(_body(pack, "pdf"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    squeezed = re.sub(r"[\s\u2010]+", "", text)  # WeasyPrint hyphenates narrow columns
    assert "Employerfollow-upactions" in squeezed and re.sub(r"\s+", "", ACTION) in squeezed

    wb = load_workbook(io.BytesIO(_body(pack, "xlsx")))
    names = wb.sheetnames
    assert names[names.index(SHEET) - 1] == "A7 Employer satisfaction per co"
    sheet = wb[SHEET]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Survey year" and header[-1] == "Record"
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    done = next(r for r in rows if r[6] == ACTION)
    assert done[0] == 2024 and done[1] == "DIT" and done[2] == "Teamwork"
    assert done[-1].endswith(f"/feedback/{acted.id}")
    assert len(rows) == 2

    with zipfile.ZipFile(io.BytesIO(_body(pack, "csv"))) as zf:
        assert CSV in zf.namelist()
        lines = zf.read(CSV).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Survey year,Programme,Competency,What employers said")
    assert any(ACTION in line and line.endswith(f"/feedback/{acted.id}") for line in lines)
    assert len(lines) == 3


def test_without_follow_up_the_annex_says_so(pack_cohort):
    html = _body(build(pack_cohort, formats=("html",)), "html").decode("utf-8")
    annex = html.split('id="annex-employer_follow_up"')[1].split("</section>")[0]
    assert "No records." in annex and "Employer follow-up" in annex
