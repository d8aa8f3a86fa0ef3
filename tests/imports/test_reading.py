"""Reading files: encodings, XLSX, delimiters, limits, and header recognition."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from app.imports import pipeline as P

HEADER = "Student No,First name,Surname,Email\n"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "Nguyễn Thị Đào"), ("utf-8-sig", "Nguyễn Thị Đào"), ("cp1252", "José Müller"),
     ("cp874", "สมชาย ใจดี"), ("tis-620", "สมศรี มีสุข"), ("utf-16", "ស៊ុន សុខា")],
)
def test_encodings_are_detected(app, encoding, name):
    given, family = name.split(" ", 1)
    data = (HEADER + f"S1,{given},{family},a@example.org\n").encode(encoding)
    frame, detected = P.read_table(data, "x.csv")
    assert frame.loc[0, "First name"] == given
    assert frame.loc[0, "Surname"] == family
    assert frame.loc[0, "_row"] == 2
    if encoding in ("cp874", "tis-620"):
        assert detected == "cp874"
    elif encoding == "utf-16":
        assert detected == "utf-16"
    else:
        assert detected == encoding


def test_unrecognisable_encoding_is_refused(app):
    data = HEADER.encode() + b"S1,\x81\xdb\xfc\x90,x,a@example.org\n"
    with pytest.raises(P.ImportRefused, match="CSV UTF-8"):
        P.read_table(data, "x.csv")


def test_semicolon_delimiter_and_blank_rows(app):
    data = b"Student No;First name\nS1;Ann\n;\nS2;Bob\n"
    frame, _ = P.read_table(data, "x.csv")
    assert frame["Student No"].tolist() == ["S1", "S2"]
    assert frame["_row"].tolist() == [2, 4]  # the blank line keeps its row number


def test_xlsx_with_real_date_cells(app):
    wb = Workbook()
    ws = wb.active
    ws.append(["Student number", "Given name", "Graduation date"])
    ws.append(["S1", "Ann", datetime(2021, 6, 30)])
    out = io.BytesIO()
    wb.save(out)
    frame, encoding = P.read_table(out.getvalue(), "list.xlsx")
    assert encoding is None
    dates, bad = P.parse_dates(frame["Graduation date"])
    assert not bad.any()
    assert dates[0].date() == date(2021, 6, 30)


def test_broken_workbook_is_refused(app):
    with pytest.raises(P.ImportRefused, match="workbook could not be read"):
        P.read_table(b"PK\x03\x04 not really a zip", "list.xlsx")


def test_other_file_types_are_refused(app):
    with pytest.raises(P.ImportRefused, match="CSV"):
        P.read_table(b"%PDF-1.4", "list.pdf")


@pytest.mark.parametrize("data", [b"", b"   \n", b"Student No,First name\n", b"a,b\n,\n,\n"])
def test_empty_files_are_refused(app, data):
    with pytest.raises(P.ImportRefused, match="empty"):
        P.read_table(data, "x.csv")


def test_size_limit(app, import_folder):
    app.config["IMPORT_MAX_BYTES"] = 100
    with pytest.raises(P.ImportRefused, match="larger than"):
        P.read_table((HEADER + "S1,Ann,Lee,a@example.org\n" * 10).encode(), "x.csv")


def test_row_limit(app, import_folder):
    app.config["IMPORT_MAX_ROWS"] = 3
    with pytest.raises(P.ImportRefused, match="limit is 3"):
        P.read_table((HEADER + "S1,Ann,Lee,a@example.org\n" * 4).encode(), "x.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021-06-30", date(2021, 6, 30)), ("30/06/2021", date(2021, 6, 30)),
     ("30-Jun-2021", date(2021, 6, 30)), ("30 June 2021", date(2021, 6, 30)),
     ("2021-06-30 00:00:00", date(2021, 6, 30)), ("01/02/2000", date(2000, 2, 1))],
)
def test_common_date_formats(text, expected):
    import pandas as pd

    dates, bad = P.parse_dates(pd.Series([text], dtype="string"))
    assert not bad.any()
    assert dates[0].date() == expected


def test_unreadable_dates_are_flagged():
    import pandas as pd

    _, bad = P.parse_dates(pd.Series(["31/02/2021", "June", None, "2021-13-01"],
                                     dtype="string"))
    assert bad.tolist() == [True, True, False, True]


def test_headers_are_recognised_and_mapping_remembered(world):
    kind = P.get_kind("alumni")
    headers = ["Student No.", "FIRST NAME", "Surname", "E-mail address", "DOB", "Notes"]
    mapping = P.suggest_mapping(headers, kind, world.home.id)
    assert mapping == {"Student No.": "student_number", "FIRST NAME": "given_name",
                       "Surname": "family_name", "E-mail address": "email",
                       "DOB": "birth_date", "Notes": ""}
    P.remember_mapping(world.home.id, kind, {"Notes": "city", "Student No.": "student_number"})
    again = P.suggest_mapping(headers, kind, world.home.id)
    assert again["Notes"] == "city"
    # Another institution does not get this one's mapping.
    assert P.suggest_mapping(headers, kind, world.other.id)["Notes"] == ""


def test_file_without_student_number_column_is_refused(world):
    kind = P.get_kind("alumni")
    with pytest.raises(P.ImportRefused, match="no student number column"):
        P.check_mapping({"First name": "given_name"}, kind)
    with pytest.raises(P.ImportRefused, match="Two columns"):
        P.check_mapping({"A": "student_number", "B": "student_number"}, kind)


@pytest.mark.parametrize(
    ("cell", "value"),
    [(" S1", "S1"), ("S1 ", "S1"), ('" S1 "', "S1"), ("S1\u00a0", "S1"), ("\u3000S1", "S1"),
     ('"S1\n"', "S1"), ("S 1", "S 1"), ("S1", "S1"), ("   ", None)],
)
def test_values_lose_surrounding_white_space_only(app, cell, value):
    data = (HEADER + f"{cell},Ann,Lee,a@example.org\nS2,Bo , Tan,b@example.org\n").encode()
    frame, _ = P.read_table(data, "x.csv")
    first = frame.loc[0, "Student No"]
    assert (pd.isna(first) if value is None else first == value)
    assert frame.loc[1, "First name"] == "Bo" and frame.loc[1, "Surname"] == "Tan"
    assert frame.loc[0, "First name"] == "Ann"
