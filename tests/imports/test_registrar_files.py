"""Registrar files as offices really send them: Buddhist Era dates, Excel cells, title rows,
headers in the region's languages, and files that went out through the register's export."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.alumni.services import RegisterFilters
from app.extensions import db
from app.imports import pipeline as P
from app.imports.exports import export_csv, export_xlsx


def test_dates_outside_the_calendar_range_are_errors_not_a_crash():
    dates, bad = P.parse_dates(pd.Series(["01/01/0202", "2021-06-30", "31/12/2300"],
                                         dtype="string"))
    assert bad.tolist() == [True, False, True]
    assert dates[1].date() == date(2021, 6, 30)


def test_buddhist_era_years_are_read_as_their_common_era_date():
    dates, bad, buddhist = P.read_dates(pd.Series(
        ["12/05/2543", "29/02/2567", "2566-06-30", "30/06/2023", None], dtype="string"))
    assert not bad.any()
    assert [d.date() if not pd.isna(d) else None for d in dates] == [
        date(2000, 5, 12), date(2024, 2, 29), date(2023, 6, 30), date(2023, 6, 30), None]
    assert buddhist.tolist() == [True, True, True, False, False]


def test_the_time_of_day_of_a_date_cell_is_dropped():
    dates, bad = P.parse_dates(pd.Series(["2001-05-06 13:45:00"], dtype="string"))
    assert not bad.any() and dates[0] == pd.Timestamp(2001, 5, 6)


def test_a_thai_office_file_with_buddhist_era_dates(world, run_plan):
    plan = run_plan("Student number,Given name,Birth date,Graduation date\n"
                    "T1,Somchai,12/05/2543,30/06/2566\n", commit=True)
    assert plan.counts["create"] == 1 and plan.reject == 0
    warnings = {(e.field, e.message) for e in plan.errors if e.level == "warning"}
    assert ("birth_date", "Read “12/05/2543” as a Buddhist Era date: 12 May 2000.") in warnings
    assert ("graduation_date",
            "Read “30/06/2566” as a Buddhist Era date: 30 Jun 2023.") in warnings
    somchai = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "T1"))
    assert somchai.birth_date == date(2000, 5, 12)
    assert somchai.graduation_date == date(2023, 6, 30)
    assert somchai.cohort_year == 2023


def test_reimporting_dates_with_a_time_of_day_changes_nothing(world, run_plan):
    text = "Student number,Given name,Birth date\nT2,Ann,2001-05-06 13:45:00\n"
    assert run_plan(text, commit=True).create == 1
    again = run_plan(text)
    assert again.counts["unchanged"] == 1 and again.update == 0


def _workbook(rows, formats=None, merge=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_with_a_title_row_and_numbers_shown_with_leading_zeros(app):
    data = _workbook(
        [["Northern Polytechnic: graduates 2025"],
         ["Student No.", "First name", "Mobile", "DOB", "Cohort"],
         [12345, "Ann", 812345678, datetime(2002, 3, 4), 2025],
         ["00777", "Bob", None, datetime(2001, 5, 6, 13, 45), 2025.0],
         [None, None, None, None, None]],
        formats={"A3": "0000000", "C3": "0000000000", "D3": "dd/mm/yyyy"}, merge="A1:E1")
    frame, encoding = P.read_table(data, "graduates.xlsx")
    assert encoding is None
    assert [c for c in frame.columns if c != "_row"] == [
        "Student No.", "First name", "Mobile", "DOB", "Cohort"]
    assert frame["Student No."].tolist() == ["0012345", "00777"]  # as Excel shows them
    assert frame.loc[0, "Mobile"] == "0812345678"
    assert frame["DOB"].tolist() == ["2002-03-04", "2001-05-06 13:45:00"]
    assert frame["Cohort"].tolist() == ["2025", "2025"]
    assert frame["_row"].tolist() == [3, 4]  # the spreadsheet's own row numbers


def test_a_workbook_updates_the_record_whose_number_excel_shows(world, run_plan, make_alumnus):
    make_alumnus(world.home, student_number="0012345", given_name="Ann")
    data = _workbook([["Student number", "Given name", "City"], [12345, "Ann", "Ipoh"]],
                     formats={"A2": "0000000"})
    plan = run_plan(data, name="list.xlsx")
    assert (plan.create, plan.update) == (0, 1)


@pytest.mark.parametrize("text", [
    "Graduates 2025\nStudent number;Given name\nS1;Ann\n",
    "Graduates 2025,,\nStudent number,Given name,Email\nS1,Ann,\n",
    "\nStudent number,Given name\nS1,Ann\n",
])
def test_a_title_or_blank_line_above_the_csv_header_is_skipped(app, text):
    frame, _ = P.read_table(text.encode(), "list.csv")
    assert frame.loc[0, "Student number"] == "S1" and frame.loc[0, "Given name"] == "Ann"
    assert frame["_row"].tolist() == [3]


def test_repeated_and_blank_header_names_are_told_apart(app):
    text = "Student number,Email,Email,,\nS1,a@example.org,b@example.org,note,\n"
    frame, _ = P.read_table(text.encode(), "list.csv")
    assert [c for c in frame.columns if c != "_row"] == [
        "Student number", "Email", "Email (2)", "Column D"]  # column E has nothing in it
    data = _workbook([["Student number", "Email", "Email", None], ["S1", "a@x.org", "b@x.org", 1]])
    frame, _ = P.read_table(data, "list.xlsx")
    assert [c for c in frame.columns if c != "_row"] == [
        "Student number", "Email", "Email (2)", "Column D"]


def test_the_registers_own_export_imports_back_unchanged(world, officer, run_plan,
                                                          make_alumnus):
    make_alumnus(world.home, student_number="EVIL1", given_name="=HYPERLINK(\"x\")",
                 family_name="-Tan", phone="+60123456789")
    filters = RegisterFilters(q="evil1")
    for data, name in ((export_csv(filters, actor=officer), "register.csv"),
                       (export_xlsx(filters, actor=officer), "register.xlsx")):
        plan = run_plan(data, name=name)
        assert plan.counts["unchanged"] == 1 and plan.update == 0, name


@pytest.mark.parametrize(("headers", "fields"), [
    (["รหัสนักศึกษา", "ชื่อ", "นามสกุล", "เพศ", "วันเกิด", "เบอร์โทรศัพท์", "อีเมล์", "จังหวัด",
      "รหัสหลักสูตร", "วันที่สำเร็จการศึกษา", "ปีที่สำเร็จการศึกษา"],
     ["student_number", "given_name", "family_name", "gender", "birth_date", "phone", "email",
      "city", "programme_code", "graduation_date", "cohort_year"]),
    (["Mã số sinh viên", "Họ", "Tên", "Giới tính", "Ngày sinh", "Số điện thoại", "Email",
      "Quốc gia", "Ngành", "Ngày tốt nghiệp", "Năm tốt nghiệp"],
     ["student_number", "family_name", "given_name", "gender", "birth_date", "phone", "email",
      "country", "programme_code", "graduation_date", "cohort_year"]),
    (["No. Matrik", "Nama", "Jantina", "Tarikh Lahir", "No. Telefon", "Emel", "Negara",
      "Bandar", "Kursus", "Tarikh Graduasi", "Tahun Graduasi"],
     ["student_number", "given_name", "gender", "birth_date", "phone", "email", "country",
      "city", "programme_code", "graduation_date", "cohort_year"]),
    (["NIM", "Nama Depan", "Nama Belakang", "Jenis Kelamin", "Tanggal Lahir", "No HP",
      "Surel", "Kota", "Program Studi", "Tanggal Lulus", "Tahun Lulus"],
     ["student_number", "given_name", "family_name", "gender", "birth_date", "phone", "email",
      "city", "programme_code", "graduation_date", "cohort_year"]),
    (["Student No.", "First Name", "Last Name", "Sex", "Birthday", "Cellphone No.",
      "Email Address", "Course", "Date Graduated"],
     ["student_number", "given_name", "family_name", "gender", "birth_date", "phone", "email",
      "programme_code", "graduation_date"]),
])
def test_headers_in_the_regions_languages_are_recognised(world, headers, fields):
    mapping = P.suggest_mapping(headers, P.get_kind("alumni"), world.home.id)
    assert [mapping[h] for h in headers] == fields


def test_no_header_name_is_recognised_for_two_fields():
    seen: dict[str, str] = {}
    for col in P.get_kind("alumni").columns:
        for alias in (col.name, col.label, *col.aliases):
            key = P.header_key(alias)
            assert seen.setdefault(key, col.name) == col.name, alias


def test_the_command_says_which_columns_it_read_and_what_is_wrong(world, runner, tmp_path,
                                                                  import_folder):
    path = tmp_path / "registrar.csv"
    path.write_text("Student No,First name,Email,Remarks\nC1,Ann,ann@example.org,x\n"
                    "C2,Bob,bob@,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "alumni", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("Columns read: Student No → Student number, First name → Given name, "
            "Email → E-mail.") in out
    assert "Left out (not a field of this import): Remarks." in out
    assert "1 problem (a row with a problem is rejected):" in out
    assert "row 3, E-mail: That e-mail address is not valid" in out
    one = tmp_path / "one.csv"
    one.write_text("Student No,First name,Birth date\nC9,Dara,30/06/2566\n", encoding="utf-8")
    out = runner.invoke(args=["import", "alumni", str(one), "--dry-run"]).output
    assert "1 row read from" in out
    assert "1 warning (a warning alone does not reject its row):" in out
    assert "row 2, Birth date: Read “30/06/2566” as a Buddhist Era date: 30 Jun 2023." in out


def test_the_command_lists_at_most_twenty_problems(world, runner, tmp_path, import_folder):
    path = tmp_path / "bad.csv"
    path.write_text("Student No,First name,Email\n"
                    + "".join(f"B{i},Ann,bad@\n" for i in range(25)), encoding="utf-8")
    out = runner.invoke(args=["import", "alumni", str(path), "--dry-run"]).output
    assert out.count(", E-mail: ") == 20
    assert "… and 5 more: every rejected row is in the rejected rows file" in out


def test_two_rows_for_one_record_through_a_merged_number_say_so(world, run_plan,
                                                                make_alumnus):
    from app.alumni.models import StudentNumberAlias

    survivor = make_alumnus(world.home, student_number="S100", given_name="Ann")
    db.session.add(StudentNumberAlias(institution_id=world.home.id, student_number="OLD-7",
                                      number_key="old-7", alumnus_id=survivor.id))
    db.session.commit()
    plan = run_plan("Student number,Given name,City\nold-7,Ann,Ipoh\nS100,Ann,Hue\n"
                    "X1,Bo,\nx1,Bo,\n")
    messages = {(e.row, e.message) for e in plan.errors if e.level == "error"}
    assert messages == {
        (2, "Rows 2, 3 are for one record, S100 (old-7 was merged into it); keep one row."),
        (3, "Rows 2, 3 are for one record, S100 (old-7 was merged into it); keep one row."),
        (4, "This student number is repeated in the file (rows 4, 5)."),
        (5, "This student number is repeated in the file (rows 4, 5)."),
    }


def test_thai_month_names_are_read():
    dates, bad, buddhist = P.read_dates(pd.Series(
        ["1 ม.ค. 2544", "15 มิถุนายน 2566", "3 ก.ย. 2023", "7 ธ.ค. พ.ศ. 2540", "9 ส.ค."],
        dtype="string"))
    assert bad.tolist() == [False, False, False, False, True]
    assert [d.date() for d in dates[:4]] == [date(2001, 1, 1), date(2023, 6, 15),
                                             date(2023, 9, 3), date(1997, 12, 7)]
    assert buddhist.tolist() == [True, True, False, True, False]


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _windows_1258(text: str) -> bytes:
    """Text as Excel on a Vietnamese Windows saves "CSV": tone marks as separate bytes."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


def test_a_vietnamese_windows_csv_is_read_with_its_tone_marks(app):
    data = _windows_1258("Mã sinh viên,Họ,Tên\nV1,Nguyễn,Thị Hương\nV2,Trần,Đức Anh\n")
    frame, encoding = P.read_table(data, "vn.csv")
    assert encoding == "cp1258"
    assert list(frame.columns[:3]) == ["Mã sinh viên", "Họ", "Tên"]
    assert frame["Họ"].tolist() == ["Nguyễn", "Trần"]  # composed, as typed on a keyboard
    assert frame["Tên"].tolist() == ["Thị Hương", "Đức Anh"]


@pytest.mark.parametrize("name", ["José Peñaflor", "Zoë Müller", "Renée Dupont", "Ñino Cruz"])
def test_western_names_stay_windows_1252(app, name):
    given, family = name.split(" ")
    data = f"Student No,First name,Surname\nS1,{given},{family}\n".encode("cp1252")
    frame, encoding = P.read_table(data, "x.csv")
    assert encoding == "cp1252" and frame.loc[0, "First name"] == given


def test_decomposed_accents_are_stored_composed(world, run_plan, make_alumnus):
    """A file saved on a Mac has "Nguyễn" as "Nguyê" + a combining tilde: the same name."""
    make_alumnus(world.home, student_number="V7", given_name="Thị Hương", family_name="Nguyễn")
    text = "Student number,Given name,Family name\nV7,Thị Hương,Nguyễn\nV8,Đức,Trần\n"
    plan = run_plan(unicodedata.normalize("NFD", text), commit=True)
    assert (plan.create, plan.update, plan.unchanged) == (1, 0, 1)
    tran = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "V8"))
    assert tran.family_name == "Trần" and unicodedata.is_normalized("NFC", tran.family_name)
