"""The registrar's alumni list: kind "alumni" of the import pipeline.

Its columns and the header names recognised for them are here; the preview (checks and
matching) is `app.imports.alumni_plan`, the commit `app.imports.alumni_commit`.
"""

from __future__ import annotations

from app.alumni.models import CONSENT_PURPOSES
from app.imports.alumni_commit import commit_alumni
from app.imports.alumni_plan import plan_alumni
from app.imports.pipeline import Column, ImportContext, ImportKind, register_kind

COLUMNS = (
    Column("student_number", "Student number",
           ("student no", "student id", "studentid", "student code", "matric no",
            "matric number", "matriculation number", "registration number", "reg no",
            "nim", "nis", "id number", "student", "รหัสนักศึกษา", "mã sinh viên"), key=True),
    Column("given_name", "Given name",
           ("first name", "firstname", "forename", "given names", "name", "ชื่อ", "tên"),
           required=True),
    Column("family_name", "Family name",
           ("last name", "lastname", "surname", "family", "นามสกุล", "họ")),
    Column("preferred_name", "Preferred name", ("nickname", "known as", "ชื่อเล่น")),
    Column("email", "E-mail", ("email address", "e-mail address", "mail", "personal email",
                               "อีเมล")),
    Column("phone", "Phone", ("mobile", "mobile number", "telephone", "tel", "phone number",
                              "contact number", "hp", "เบอร์โทร")),
    Column("country", "Country", ("country code", "nationality country")),
    Column("city", "City", ("town", "province", "city town")),
    Column("gender", "Gender", ("sex",)),
    Column("birth_date", "Birth date", ("date of birth", "dob", "birthdate", "birthday",
                                        "born")),
    Column("programme_code", "Programme code",
           ("programme", "program", "program code", "course", "course code", "major",
            "study programme", "programme id")),
    Column("graduation_date", "Graduation date",
           ("graduated", "date of graduation", "graduation", "completion date",
            "date graduated")),
    Column("award_date", "Award date", ("diploma date", "date of award", "certificate date",
                                        "award", "diploma issue date")),
    Column("cohort_year", "Cohort", ("cohort year", "graduation year", "year of graduation",
                                     "batch", "year")),
    Column("status", "Status", ("alumnus status",)),
    *(Column(f"consent_{p}", f"Consent: {p}", (f"{p} consent", f"consent {p}"))
      for p in CONSENT_PURPOSES),
)

def refresh_duplicates(ctx: ImportContext) -> None:
    """New and changed records join the possible-duplicates queue."""
    from app.imports.duplicates import scan_duplicates

    scan_duplicates(ctx.institution, actor=None)


ALUMNI_KIND = ImportKind(
    name="alumni",
    label="Registrar alumni list",
    description="One row per graduate: student number, names, contact details, programme, "
                "graduation and cohort. Known student numbers are updated where the file has "
                "a value; blanks never erase.",
    columns=COLUMNS,
    plan=plan_alumni,
    commit=commit_alumni,
    after_commit=refresh_duplicates,
    after_commit_message="Looking for possible duplicates",
)
register_kind(ALUMNI_KIND)
