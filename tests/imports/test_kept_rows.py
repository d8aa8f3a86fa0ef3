"""Country names, local gender codes, and rows kept when only an optional field is bad
(issue 11, items 6, 7 and 13's e-mail case)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.core.countries import normalise_country
from app.extensions import db

HEADER = "Student number,Given name,Country,Gender,Phone,Birth date,City,Email\n"


def _record(number: str) -> Alumnus:
    return db.session.scalar(select(Alumnus).where(Alumnus.student_number == number))


@pytest.mark.parametrize(("written", "code"), [
    ("Thailand", "TH"), ("ประเทศไทย", "TH"), ("ไทย", "TH"), ("Viet Nam", "VN"),
    ("Việt Nam", "VN"), ("Vietnam", "VN"), ("VIET NAM", "VN"), ("Filipinas", "PH"),
    ("Pilipinas", "PH"), ("Philippines", "PH"), ("Malaysia", "MY"), ("Indonesia", "ID"),
    ("Kemboja", "KH"), ("Burma", "MM"), ("Lao PDR", "LA"), ("THA", "TH"), ("vn", "VN"),
    ("Thái Lan", "TH"), ("Korea, Republic of", "KR"), ("Timor-Leste", "TL"),
])
def test_countries_are_read_by_name_in_english_and_local_languages(written, code):
    assert normalise_country(written) == code


def test_an_unknown_country_lists_what_is_accepted():
    with pytest.raises(ValueError, match="Thailand, ประเทศไทย, Việt Nam") as caught:
        normalise_country("Atlantis")
    assert "ISO 3166 code (TH, VN" in str(caught.value)


def test_country_names_and_local_gender_codes_import(world, run_plan):
    plan = run_plan(HEADER
                    + "N1,Siti,Indonesia,P,,,,\n"
                    + "N2,Budi,Indonesia,L,,,,\n"
                    + "N3,Somchai,ประเทศไทย,ชาย,,,,\n"
                    + "N4,Lan,Việt Nam,Nữ,,,,\n"
                    + "N5,Maria,Filipinas,babae,,,,\n", commit=True)
    assert plan.reject == 0 and plan.warning_count == 0, plan.errors
    got = {a.student_number: (a.country, a.gender) for a in db.session.scalars(
        select(Alumnus).where(Alumnus.student_number.like("N%")))}
    assert got == {"N1": ("ID", "female"), "N2": ("ID", "male"), "N3": ("TH", "male"),
                   "N4": ("VN", "female"), "N5": ("PH", "female")}


@pytest.mark.parametrize(("cells", "field", "message"), [
    ("Atlantis,,,,", "country", "Thailand, ประเทศไทย"),
    (",robot,,,", "gender", "male (M, L, laki-laki"),
    (",,12,,", "phone", "possible phone number"),
    (",,,31/02/2000,", "birth_date", "Cannot read the date"),
    (",,,2099-01-01,", "birth_date", "Enter a birth date in the past"),
    (",,,," + "x" * 130, "city", "Longer than"),
])
def test_a_bad_optional_field_is_left_out_and_the_row_kept(world, run_plan, cells, field,
                                                           message):
    plan = run_plan(HEADER + f"N1,Ann,{cells},ann@example.org\n", commit=True)
    assert plan.reject == 0 and plan.create == 1
    (warning,) = plan.errors
    assert (warning.row, warning.field, warning.level, warning.dropped) == (
        2, field, "warning", True)
    assert message in warning.message and "left out" in warning.message
    assert plan.dropped_rows == [2]
    ann = _record("N1")
    assert ann.given_name == "Ann" and ann.email == "ann@example.org"
    assert getattr(ann, field) is None


def test_a_known_record_keeps_its_value_when_the_file_has_a_bad_one(world, run_plan,
                                                                    make_alumnus):
    make_alumnus(world.home, student_number="K1", given_name="Siti", country="MY",
                 gender="female", phone="+60123456789", birth_date=date(1999, 5, 1),
                 city="Ipoh")
    plan = run_plan(HEADER + "K1,Siti,Narnia,robot,12,31/02/2000,Kuala Lumpur,\n",
                    commit=True)
    assert plan.reject == 0 and plan.update == 1
    assert sorted(e.field for e in plan.errors) == ["birth_date", "country", "gender", "phone"]
    assert plan.dropped_rows == [2]
    siti = _record("K1")
    assert (siti.country, siti.gender, siti.phone, siti.birth_date, siti.city) == (
        "MY", "female", "+60123456789", date(1999, 5, 1), "Kuala Lumpur")


def test_key_fields_still_reject_the_row(world, run_plan):
    plan = run_plan("Student number,Given name,Programme,Graduation date\n"
                    "N1,Ann,NOPE,\nN2,,DIT,\nN3,Cy,DIT,June 2021\nN4,Di,DIT,2021-06-30\n")
    assert plan.rejected_rows == [2, 3, 4] and plan.create == 1 and not plan.dropped_rows


def test_the_preview_counts_rows_kept_with_a_field_left_out(world, as_role, import_folder):
    import io

    from app.imports.models import ImportBatch

    client = as_role("officer")
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO((HEADER + "N1,Ann,Atlantis,,,,,\nN2,Bo,Thailand,Q,,,,\n"
                             "N3,Cy,TH,F,,,,\n").encode()), "list.csv")},
        content_type="multipart/form-data")
    batch = db.session.scalars(select(ImportBatch)).one()
    mapping = {f"map-{i}": f for i, f in enumerate(batch.mapping.values())}
    client.post(f"/imports/{batch.id}/mapping", data=mapping)
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "2 rows are kept with a field left out" in page
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).dropped == 2


def test_email_case_alone_is_not_a_change_and_addresses_are_kept_in_lower_case(
        world, run_plan, make_alumnus):
    make_alumnus(world.home, student_number="K1", email="siti@example.org")
    plan = run_plan("Student number,Email\nK1,Siti@Example.ORG\n")
    assert plan.update == 0 and plan.unchanged == 1
    run_plan("Student number,Given name,Email\nN1,Ann,Ann.Lee@Example.ORG\n", commit=True)
    assert _record("N1").email == "ann.lee@example.org"


def test_a_changed_cohort_year_is_listed_as_a_year_when_others_have_none(world, run_plan,
                                                                          make_alumnus):
    # A register with a record lacking its cohort reads the column as floats; the preview
    # must still say 2019, not 2019.0.
    make_alumnus(world.home, student_number="Y1", cohort_year=2019,
                 graduation_date=date(2019, 6, 30))
    make_alumnus(world.home, student_number="Y2", cohort_year=None, graduation_date=None)
    plan = run_plan("Student number,Cohort year,Graduation date\nY1,2020,2020-06-30\n")
    change = next(c for c in plan.changes if c["field"] == "cohort_year")
    assert (change["before"], change["after"]) == ("2019", "2020")
