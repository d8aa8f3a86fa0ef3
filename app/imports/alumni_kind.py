"""The registrar's alumni list: kind "alumni" of the import pipeline.

Its columns and the header names recognised for them are here; the preview (checks and
matching) is `app.imports.alumni_plan`, the commit `app.imports.alumni_commit`.
"""

from __future__ import annotations

from app.alumni.models import CONSENT_PURPOSES
from app.core.i18n import N_
from app.imports.alumni_commit import commit_alumni
from app.imports.alumni_plan import plan_alumni
from app.imports.pipeline import Column, ImportContext, ImportKind

# Labels are N_: English in the file's header names, the rejected rows and the command,
# translated where a page shows them (app.imports.words.column_label).
# Header names as registrars write them, in English and in the region's languages (Thai,
# Vietnamese, Malay, Indonesian, Filipino); they compare without case, accents or punctuation.
COLUMNS = (
    Column("student_number", N_("Student number"),
           ("student no", "student id", "studentid", "student code", "matric no",
            "matric number", "matriculation number", "registration number", "reg no",
            "nim", "nis", "npm", "nomor induk mahasiswa", "id number", "student",
            "no matrik", "nombor matrik", "no pelajar", "รหัสนักศึกษา", "รหัสประจำตัว",
            "mã sinh viên", "mã số sinh viên", "mssv", "msv"), key=True),
    Column("given_name", N_("Given name"),
           ("first name", "firstname", "forename", "given names", "name", "nama",
            "nama depan", "pangalan", "ชื่อ", "tên"),
           required=True),
    Column("family_name", N_("Family name"),
           ("last name", "lastname", "surname", "family", "nama belakang", "nama keluarga",
            "apelyido", "นามสกุล", "họ", "họ đệm")),
    Column("preferred_name", N_("Preferred name"), ("nickname", "known as", "nama panggilan",
                                                "ชื่อเล่น")),
    Column("email", N_("E-mail"), ("email address", "e-mail address", "mail", "personal email",
                               "emel", "e-mel", "surel", "อีเมล", "อีเมล์", "thư điện tử")),
    Column("phone", N_("Phone"), ("mobile", "mobile number", "mobile no", "telephone", "tel",
                              "phone number", "contact number", "contact no", "cellphone",
                              "cellphone no", "hp", "no hp", "nomor hp", "telepon",
                              "nomor telepon", "no telp", "telefon", "no telefon", "no tel",
                              "เบอร์โทร", "เบอร์โทรศัพท์", "โทรศัพท์", "số điện thoại",
                              "điện thoại", "sđt")),
    Column("country", N_("Country"), ("country code", "nationality country", "negara", "bansa",
                                  "ประเทศ", "quốc gia")),
    Column("city", N_("City"), ("town", "province", "city town", "bandar", "kota", "จังหวัด",
                            "thành phố", "tỉnh")),
    Column("gender", N_("Gender"), ("sex", "jantina", "jenis kelamin", "kasarian", "เพศ",
                                "giới tính")),
    Column("birth_date", N_("Birth date"), ("date of birth", "dob", "birthdate", "birthday",
                                        "born", "tarikh lahir", "tanggal lahir",
                                        "วันเกิด", "วันเดือนปีเกิด", "ngày sinh")),
    Column("programme_code", N_("Programme code"),
           ("programme", "program", "program code", "course", "course code", "major",
            "study programme", "programme id", "kursus", "program studi", "prodi",
            "หลักสูตร", "รหัสหลักสูตร", "สาขาวิชา", "ngành", "ngành học", "mã ngành")),
    Column("graduation_date", N_("Graduation date"),
           ("graduated", "date of graduation", "graduation", "completion date",
            "date graduated", "tarikh graduasi", "tanggal lulus", "tanggal kelulusan",
            "วันที่สำเร็จการศึกษา", "วันสำเร็จการศึกษา", "ngày tốt nghiệp")),
    Column("award_date", N_("Award date"), ("diploma date", "date of award", "certificate date",
                                        "award", "diploma issue date", "ngày cấp bằng")),
    Column("cohort_year", N_("Cohort"), ("cohort year", "graduation year", "year of graduation",
                                     "batch", "year", "tahun graduasi", "tahun lulus",
                                     "ปีที่สำเร็จการศึกษา", "ปีที่จบ", "năm tốt nghiệp")),
    Column("status", N_("Status"), ("alumnus status", "สถานะ", "trạng thái")),
    *(Column(f"consent_{p}", f"Consent: {p}", (f"{p} consent", f"consent {p}"))
      for p in CONSENT_PURPOSES),
)


def refresh_duplicates(ctx: ImportContext) -> None:
    """New and changed records join the possible-duplicates queue."""
    from app.imports.duplicates import scan_duplicates

    scan_duplicates(ctx.institution, actor=None)


ALUMNI_KIND = ImportKind(
    name="alumni",
    label=N_("Registrar alumni list"),
    description=N_("One row per graduate: student number, names, contact details, programme, "
                   "graduation and cohort. Known student numbers are updated where the file "
                   "has a value; blanks never erase."),
    columns=COLUMNS,
    plan=plan_alumni,
    commit=commit_alumni,
    after_commit=refresh_duplicates,
    after_commit_message="Looking for possible duplicates",
    writes_alumni=True,
    tables=("alumnus",),
)
