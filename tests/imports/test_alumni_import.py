"""The alumni import: every error kind, matching and updating, idempotency, atomic commit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.alumni.models import Alumnus, Consent
from app.core.audit import AuditEntry
from app.core.errors import Conflict
from app.extensions import db
from app.imports import pipeline as P

HEADER = ("Student number,Given name,Family name,Email,Phone,Country,Gender,Birth date,"
          "Programme,Graduation date,Award date,Cohort,Status\n")


def errors_by_row(plan):
    out = {}
    for e in plan.errors:
        out.setdefault(e.row, []).append((e.field, e.level, e.message))
    return out


def count_alumni(institution):
    return db.session.scalar(select(func.count(Alumnus.id)).where(
        Alumnus.institution_id == institution.id))


def test_a_clean_file_creates_records_with_normalised_values(world, run_plan):
    plan = run_plan(HEADER
                    + "N1,Ann,Lee,Ann.Lee@Example.ORG,012-345 6789,,F,01/02/2000,dit,"
                      "30-Jun-2021,2021-07-15,,\n"
                    + "N2,Nguyễn,Văn An,an@example.org,+66812345678,th,male,,DIT,2022-06-30,"
                      ",2022,Active\n", commit=True)
    assert plan.counts == {"read": 2, "create": 2, "update": 0, "unchanged": 0, "reject": 0}
    ann = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "N1"))
    assert ann.email == "ann.lee@example.org"  # one case for every address
    assert ann.phone == "+60123456789"  # read with the institution's country (MY)
    assert ann.gender == "female"
    assert ann.birth_date == date(2000, 2, 1)
    assert ann.graduation_date == date(2021, 6, 30)
    assert ann.award_date == date(2021, 7, 15)
    assert ann.cohort_year == 2021  # the graduation year, as the register does
    assert ann.programme_id == world.programme.id
    assert ann.status == "active" and ann.version == 1
    an = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "N2"))
    assert an.country == "TH" and an.phone == "+66812345678"
    assert "nguyen" in an.search_text and "van an" in an.search_text


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (",Ann,Lee,,,,,,,,,,", "student_number", "Fill in the student number"),
        ("N 1,Ann,Lee,,,,,,,,,,", "student_number", "letters and digits"),
        ("N1,,Lee,,,,,,,,,,", "given_name", "Fill in the given name"),
        ("N1,Ann,Lee,ann@,,,,,,,,,", "email", "e-mail address is not valid"),
        ("N1,Ann,Lee,ann@site.test,,,,,,,,,", "email", "e-mail address is not valid"),
        ("N1,Ann,Lee,,,,,,,,,,gone", "status", "Choose one of"),
        ("N1,Ann,Lee,,,,,,,June 2021,,,", "graduation_date", "Cannot read the date"),
        ("N1,Ann,Lee,,,,,,NOPE,,,,", "programme_code", "Unknown programme code “NOPE”"),
        ("N1,Ann,Lee,,,,,,XIT,,,,", "programme_code", "Unknown programme code"),  # other inst.
        ("N1,Ann,Lee,,,,,,,,,twenty,", "cohort_year", "is a year"),
        ("N1,Ann,Lee,,,,,,,,,1900,", "cohort_year", "Enter a cohort year from 1950"),
        ("N1,Ann,Lee,,,,,,,2021-06-30,2021-06-01,,", "award_date", "on or after the graduation"),
        ("N1,Ann,Lee,,,,,,,2021-06-30,,2022,", "cohort_year", "later than the graduation year"),
    ],
)
def test_every_error_kind_names_row_and_field(world, run_plan, row, field, message):
    """Key fields reject their row (optional ones: tests/imports/test_kept_rows.py)."""
    plan = run_plan(HEADER + "OK1,Good,Row,,,,,,,,,,\n" + row + "\n")
    assert plan.create == 1 and plan.reject == 1
    (err,) = [e for e in plan.errors if e.level == "error"]
    assert (err.row, err.field) == (3, field)
    assert message in err.message


def test_student_number_repeated_in_file_rejects_every_copy(world, run_plan):
    plan = run_plan(HEADER + "N1,Ann,,,,,,,,,,,\nN2,Bob,,,,,,,,,,,\nn1,Annie,,,,,,,,,,,\n")
    assert plan.create == 1 and plan.reject == 2
    rows = errors_by_row(plan)
    assert set(rows) == {2, 4}
    assert "repeated in the file (rows 2, 4)" in rows[2][0][2]


def test_known_alumni_update_field_by_field_and_blanks_never_erase(world, run_plan):
    known = world.second_alumnus  # has e-mail, family name, cohort 2024
    before_email = known.email
    plan = run_plan(HEADER + f"{known.student_number.lower()},,New-Family,,,,,,,,,,\n",
                    commit=True)
    assert plan.counts == {"read": 1, "create": 0, "update": 1, "unchanged": 0, "reject": 0}
    db.session.refresh(known)
    assert known.family_name == "New-Family"
    assert known.email == before_email and known.given_name  # blanks did not erase
    assert known.version == 2
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "alumnus.import_update", AuditEntry.entity_id == str(known.id)))
    assert entry.after["family_name"] == "New-Family"
    assert entry.before["family_name"] != "New-Family"


def test_reimporting_the_same_file_changes_nothing_and_says_so(world, run_plan):
    text = (HEADER + "N1,Ann,Lee,ann@example.org,+66812345678,TH,female,2000-02-01,DIT,"
            "2021-06-30,,2021,active\nN2,Bob,,,,,,,,,,,\n")
    run_plan(text, commit=True)
    snapshot = db.session.execute(select(Alumnus.id, Alumnus.version, Alumnus.updated_at)).all()
    plan = run_plan(text, commit=True)
    assert plan.counts == {"read": 2, "create": 0, "update": 0, "unchanged": 2, "reject": 0}
    assert plan.changes_nothing
    assert P.describe_result(plan).startswith("Nothing to change")
    assert db.session.execute(select(Alumnus.id, Alumnus.version, Alumnus.updated_at)).all() \
        == snapshot


def test_consents_from_the_file(world, run_plan):
    text = "Student number,Given name,Consent contact,Consent tracer\nN1,Ann,yes,no\n"
    run_plan(text, commit=True)
    ann = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "N1"))
    assert ann.consent_in_force("contact") and not ann.consent_in_force("tracer")
    assert {c.method for c in ann.consents} == {"import"}
    # The same file again records nothing new; a changed answer is appended to the history.
    assert run_plan(text, commit=True).unchanged == 1
    plan = run_plan("Student number,Consent tracer\nN1,yes\n", commit=True)
    assert plan.update == 1
    assert db.session.scalar(select(func.count(Consent.id))) == 3
    bad = run_plan("Student number,Consent tracer\nN1,maybe\n")
    assert bad.reject == 1


def test_atomic_commit_a_failure_part_way_leaves_nothing(world, officer, run_plan,
                                                          monkeypatch):
    from app.imports import alumni_commit, services

    monkeypatch.setattr(alumni_commit, "CHUNK", 2)
    before = count_alumni(world.home)
    data = (HEADER + "".join(f"N{i},Given{i},,,,,,,,,,,\n" for i in range(7))).encode()
    batch = services.upload_import(data, "seven.csv", "alumni", institution=world.home,
                                   actor=officer)
    services.preview_import(batch, batch.mapping, actor=officer)
    db.session.commit()
    calls = []

    def failing_progress(done, total=None, message=None):
        calls.append(done)
        if len(calls) == 2:  # after two chunks were inserted
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        services.commit_import(batch, actor=officer, progress=failing_progress)
    db.session.rollback()
    assert calls == [2, 4]  # rows had been written in this transaction before the failure
    assert count_alumni(world.home) == before
    db.session.refresh(batch)
    assert batch.status == "previewed"
    # ...and the same batch then imports in full.
    services.commit_import(batch, actor=officer)
    db.session.commit()
    assert count_alumni(world.home) == before + 7


def test_commit_refuses_when_the_register_changed_since_preview(world, officer, run_plan,
                                                                 make_alumnus):
    plan = run_plan(HEADER + "N1,Ann,,,,,,,,,,,\n")
    make_alumnus(world.home, student_number="n1")  # someone added it meanwhile
    with pytest.raises(Conflict, match="since the preview"):
        P.commit_plan(plan, P.get_kind("alumni"), P.ImportContext(world.home, officer))
    db.session.rollback()
    plan = run_plan(HEADER + f"{world.second_alumnus.student_number},,Changed,,,,,,,,,,\n")
    world.second_alumnus.family_name = "Edited by hand"
    db.session.commit()  # bumps the version the plan was made against
    with pytest.raises(Conflict, match="changed since the preview"):
        P.commit_plan(plan, P.get_kind("alumni"), P.ImportContext(world.home, officer))


def test_rejected_rows_csv_can_be_fixed_and_reimported(world, run_plan, tmp_path):
    text = HEADER + "N1,Ann,,,,,,,,,,,\nN2,Bob,,bob@,,,,,,,,,\n"
    raw, _ = P.read_table(text.encode(), "x.csv")
    plan = run_plan(text, commit=True)
    path = P.write_rejected(raw, plan, str(tmp_path / "rejected.csv"))
    with open(path, encoding="utf-8-sig") as fh:
        content = fh.read()
    assert content.splitlines()[0].endswith(",row,error")
    assert "E-mail: That e-mail address is not valid" in content
    fixed = content.replace("bob@", "bob@example.org")
    again = run_plan(fixed.encode("utf-8-sig"), commit=True)
    assert again.counts["create"] == 1 and again.reject == 0
    assert db.session.scalar(select(Alumnus.email).where(Alumnus.student_number == "N2")) \
        == "bob@example.org"


def test_fast_email_path_agrees_with_the_validator():
    from email_validator import EmailNotValidError, validate_email

    from app.imports.alumni_values import normalise_email

    samples = ["Ann.Lee@Example.ORG", "a+b@x.co", "x@sub.domain.museum", "a..b@x.org",
               "a@b-.org", "a@-b.org", "user@localhost", "u@x.local", "u@x.c0", ".a@x.org",
               "a.@x.org", "o'neil@x.ie", "a@1.2.3.com", "a" * 65 + "@x.org", "ñ@x.org"]
    for s in samples:
        try:
            expected = validate_email(s, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            expected = None
        try:
            got = normalise_email(s)
        except ValueError:
            got = None
        assert got == expected, s


def test_phone_shortcut_agrees_with_normalise_phone():
    import random

    from app.core.countries import normalise_phone
    from app.imports.alumni_values import PhoneReader

    rng = random.Random(3)
    reader = PhoneReader()
    codes = ["66", "84", "60", "63", "62", "855", "95", "65", "856", "673", "670", "1", "44",
             "86", "81", "82", "61", "49", "91", "39", "7"]
    samples = [f"+{rng.choice(codes)}{rng.randint(0, 10**rng.randint(5, 12))}"
               for _ in range(3000)]
    samples += ["+660812345678", "+6681234567", "+668123456789", "+66 81 234 5678",
                "0812345678", "+1234", "+99912345678"]
    for value in samples:
        for country in ("TH", None):
            try:
                expected = normalise_phone(value, country)
            except ValueError as exc:
                expected = str(exc)
            try:
                got = reader(value, country)
            except ValueError as exc:
                got = str(exc)
            assert got == expected, (value, country)


def test_an_imported_record_is_stored_as_the_register_page_stores_it(world, officer, run_plan):
    """The bulk write (executemany on SQLite, COPY on PostgreSQL) stores the same values as the
    register's own create, column by column."""
    from sqlalchemy import inspect

    from app.alumni.services import AlumnusData, create_alumnus

    plan = run_plan("Student number,Given name,Family name,Email,Phone,Country,City,Gender,"
                    "Birth date,Programme,Graduation date,Award date,Cohort,Status\n"
                    "IMP-1,Nguyễn Thị,Đào,Dao.Nguyen@Example.org,0812345678,TH,Chiang Mai,"
                    "female,29/02/2000,DIT,2021-06-30,15-Jul-2021,2021,active\n", commit=True)
    assert plan.counts["create"] == 1, plan.errors
    made = create_alumnus(AlumnusData(
        student_number="MAN-1", given_name="Nguyễn Thị", family_name="Đào",
        email="Dao.Nguyen@Example.org", phone="0812345678", country="TH", city="Chiang Mai",
        gender="female", birth_date=date(2000, 2, 29), programme_id=world.programme.id,
        graduation_date=date(2021, 6, 30), award_date=date(2021, 7, 15), cohort_year=2021,
        status="active"), institution=world.home, actor=officer)
    db.session.commit()
    made_id = made.id
    db.session.expunge_all()
    imported = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "IMP-1"))
    made = db.session.get(Alumnus, made_id)
    differ = {c.key: (getattr(imported, c.key), getattr(made, c.key))
              for c in inspect(Alumnus).column_attrs
              if getattr(imported, c.key) != getattr(made, c.key)}
    assert set(differ) <= {"id", "student_number", "search_text", "created_at", "updated_at"}
    assert imported.search_text == made.search_text.replace("man-1", "imp-1")
    assert imported.created_at.tzinfo is not None and imported.birth_date == date(2000, 2, 29)


def test_a_cohort_before_the_graduation_year_is_taken_with_a_warning(world, run_plan):
    plan = run_plan(HEADER + "C1,Ann,Lee,,,,,,,2023-06-30,,2019,\n"
                    "C2,Bob,Tan,,,,,,,2023-06-30,,,\n", commit=True)
    assert plan.create == 2 and plan.reject == 0
    (warning,) = [e for e in plan.errors if e.field == "cohort_year"]
    assert warning.level == "warning" and warning.row == 2
    assert "not the graduation year (2023)" in warning.message
    cohorts = dict(db.session.execute(select(Alumnus.student_number, Alumnus.cohort_year)
                                      .where(Alumnus.student_number.in_(["C1", "C2"]))).all())
    assert cohorts == {"C1": 2019, "C2": 2023}


def test_an_import_leaves_the_search_index_merged(world, run_plan, as_role):
    """The imported people are found at once; on PostgreSQL the import batches the trigram
    index's new entries and merges them before its commit (the first search reads no pending
    list), and every other connection keeps the pending list small."""
    from sqlalchemy import text

    from app import SEARCH_PENDING_LIMIT
    from app.alumni.search_index import TRGM_INDEX

    rows = "".join(f"Q{n},Quynh{n},Tran{n},q{n}@example.org,,,,,DIT,2022-06-30,,2022,Active\n"
                   for n in range(300))
    plan = run_plan(HEADER + rows, commit=True)
    assert plan.counts["create"] == 300
    page = as_role("officer").get("/alumni/?q=tran150").get_data(as_text=True)
    assert "Quynh150" in page and "Quynh151" not in page
    if db.engine.dialect.name == "postgresql":
        assert db.session.scalar(text("SHOW gin_pending_list_limit")) == SEARCH_PENDING_LIMIT
        assert db.session.scalar(text("SELECT gin_clean_pending_list(CAST(:name AS regclass))"),
                                 {"name": TRGM_INDEX}) == 0
