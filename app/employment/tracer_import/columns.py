"""The columns of a tracer study file and the words and codes read in them.

English headers first; the aliases include the Indonesian national tracer layout (the f-codes
and the identity columns of the national portal, both namings), so a file laid out for the
portal imports as it is. Values compare without case, accents, spaces or punctuation.
"""

from __future__ import annotations

from app.employment import codes
from app.employment.models import RATING_COLUMNS
from app.imports.pipeline import Column, header_key

# National f-code of each competency pair (odd = at graduation, even = required now), in the
# order of the national layout: ethics, expertise, English, IT, communication, teamwork,
# self-development.
COMPETENCY_CODES = {
    "ethics": ("f1761", "f1762"),
    "expertise": ("f1763", "f1764"),
    "foreign_language": ("f1765", "f1766"),
    "it": ("f1767", "f1768"),
    "communication": ("f1769", "f1770"),
    "teamwork": ("f1771", "f1772"),
    "self_development": ("f1773", "f1774"),
}
COMPETENCY_WORDS = {
    "ethics": ("ethics", "integrity", "etika"),
    "expertise": ("expertise", "expertise in the field", "keahlian", "keahlian bidang ilmu"),
    "foreign_language": ("foreign language", "english", "bahasa inggris", "bahasa asing"),
    "it": ("it", "information technology", "penggunaan teknologi informasi",
           "teknologi informasi"),
    "communication": ("communication", "komunikasi"),
    "teamwork": ("teamwork", "kerja sama tim", "kerjasama tim"),
    "self_development": ("self development", "pengembangan diri"),
}
# (competency, column at graduation, column required now): named as the answer's columns.
COMPETENCY_FIELDS = tuple((key, grad, now) for key, (grad, now) in RATING_COLUMNS.items())


def _competency_columns() -> tuple[Column, ...]:
    out = []
    for key, label in codes.COMPETENCIES.items():
        grad_code, now_code = COMPETENCY_CODES[key]
        words = (label, *COMPETENCY_WORDS[key])
        out.append(Column(f"{key}_at_graduation", f"{label} at graduation",
                          (grad_code, *(f"{w} at graduation" for w in words),
                           *(f"{w} saat lulus" for w in words))))
        out.append(Column(f"{key}_required_now", f"{label} required now",
                          (now_code, *(f"{w} required now" for w in words),
                           *(f"{w} required" for w in words),
                           *(f"{w} diperlukan" for w in words))))
    return tuple(out)


COLUMNS = (
    Column("student_number", "Student number",
           ("student no", "student id", "student code", "matric no", "matric number",
            "registration number", "nim", "npm", "nomor mhs", "nomor mahasiswa",
            "nomor induk mahasiswa", "nimhsmsmh", "no mhs", "รหัสนักศึกษา", "mã sinh viên",
            "mssv"), key=True),
    Column("response", "Response",
           ("response status", "responded", "survey response", "answered", "respon",
            "status respon", "status pengisian")),
    Column("status", "Status",
           ("status now", "current status", "main activity", "employment status", "activity",
            "f8", "status saat ini", "status pekerjaan")),
    Column("months_to_first_job", "Months to first job",
           ("months to first job", "months to job", "waiting time", "waiting time months",
            "months waited", "f502", "masa tunggu", "masa tunggu bulan",
            "lama mendapatkan pekerjaan")),
    Column("first_job_start", "First job start date",
           ("first job start", "first job started", "job start date", "job started",
            "start date", "date started", "tanggal mulai bekerja", "tanggal mulai kerja")),
    Column("within_6_months", "Job within 6 months",
           ("job within 6 months", "within 6 months", "f504")),
    Column("employer", "Employer",
           ("employer name", "company", "company name", "organisation", "organization",
            "workplace", "f5b", "nama perusahaan", "nama kantor", "tempat kerja",
            "nama instansi")),
    Column("employer_type", "Employer type",
           ("type of employer", "employer kind", "sector", "f1101", "jenis perusahaan",
            "jenis instansi")),
    Column("job_title", "Job title",
           ("position", "job", "occupation title", "designation", "jabatan", "posisi")),
    Column("hours", "Hours",
           ("working hours", "full time or part time", "full part time", "work hours",
            "jam kerja")),
    Column("contract", "Contract",
           ("contract type", "type of contract", "employment contract", "kontrak",
            "status kontrak")),
    Column("relevance", "Relevance (1-5)",
           ("relevance", "job relevance", "relevance to training", "relation to training",
            "relevance 1 5", "relevansi")),
    Column("f14", "Field match (national f14)",
           ("f14", "field match", "hubungan bidang studi dengan pekerjaan",
            "kesesuaian bidang")),
    Column("education_level", "Education level needed",
           ("education level", "level needed", "education level needed for the job",
            "required education level", "f15", "tingkat pendidikan yang sesuai",
            "tingkat pendidikan")),
    Column("workplace_level", "Workplace level",
           ("level of workplace", "workplace scale", "f5d", "tingkat tempat kerja")),
    Column("income", "Monthly income",
           ("income", "monthly salary", "salary", "monthly pay", "take home pay", "f505",
            "pendapatan", "penghasilan", "gaji")),
    Column("currency", "Currency", ("income currency", "salary currency", "mata uang")),
    *_competency_columns(),
    Column("further_study_institution", "Further study institution",
           ("further study", "study institution", "institution of further study", "f18b",
            "perguruan tinggi", "nama perguruan tinggi", "tempat studi lanjut")),
    Column("programme", "Programme",
           ("programme code", "program", "program code", "course", "kode prodi",
            "kdpstmsmh", "prodi", "program studi")),
    Column("cohort_year", "Graduation year",
           ("cohort", "cohort year", "year of graduation", "graduation cohort",
            "tahun lulus", "tahun_lulus")),
)


def word_table(entries: dict[str, tuple[str, ...]], labels: dict | None = None
               ) -> dict[str, str]:
    """{compared word: code}: each code, its label and the listed words."""
    out: dict[str, str] = {}
    for code, words in entries.items():
        for w in (code, *words):
            out[header_key(str(w))] = code
    for code, label in (labels or {}).items():
        out.setdefault(header_key(str(label)), code)
    return out


# National f8 codes are read with their meaning: 1 working, 2 not yet working (not in the
# labour force), 3 self-employed, 4 further study, 5 not working and looking.
STATUS_WORDS = word_table({
    "wage_employed": ("1", "wage employed", "wage employment", "employed", "working", "work",
                      "employee", "in employment", "bekerja", "kerja",
                      "bekerja full time part time"),
    "self_employed": ("3", "self employed", "own business", "entrepreneur", "business owner",
                      "wiraswasta", "wirausaha"),
    "further_study": ("4", "further study", "studying", "study", "in further study",
                      "student", "melanjutkan pendidikan", "melanjutkan studi",
                      "studi lanjut"),
    "unemployed_seeking": ("5", "unemployed seeking", "unemployed and seeking",
                           "unemployed and seeking work", "unemployed", "seeking work",
                           "looking for work", "job seeking", "job seeker", "mencari kerja",
                           "tidak kerja tetapi sedang mencari kerja", "sedang mencari kerja"),
    "not_in_labour_force": ("2", "not in labour force", "not in the labour force",
                            "not in labor force", "not in the labor force", "not working",
                            "not seeking work", "belum memungkinkan bekerja",
                            "tidak bekerja"),
    "military_service": ("military service", "national service", "military",
                         "not available military service", "not available military",
                         "wajib militer"),
    "ordination": ("ordination", "ordained", "monk", "not available ordination"),
    "family_care": ("family care", "caring for family", "not available family care"),
}, codes.EMPLOYMENT_STATUSES)
NOT_AVAILABLE_ALONE = header_key("not available")

RESPONDED, NO_RESPONSE, UNDELIVERABLE = "responded", "no_response", "undeliverable"
RESPONSE_WORDS = word_table({
    RESPONDED: ("responded", "response", "answered", "yes", "y", "returned", "completed",
                "mengisi", "sudah mengisi", "ya"),
    NO_RESPONSE: ("no response", "not responded", "no answer", "did not respond",
                  "non response", "nonresponse", "no", "n", "not answered", "none",
                  "tidak mengisi", "belum mengisi", "tidak"),
    UNDELIVERABLE: ("undeliverable", "bounced", "unreachable", "not delivered",
                    "wrong address", "returned to sender", "tidak terkirim",
                    "tidak dapat dihubungi"),
})
RESPONSE_LABELS = {RESPONDED: "responded", NO_RESPONSE: "no response",
                   UNDELIVERABLE: "undeliverable"}

HOURS_WORDS = word_table({
    "full_time": ("full time", "fulltime", "ft", "penuh waktu"),
    "part_time": ("part time", "parttime", "paruh waktu"),
}, codes.HOURS)
CONTRACT_WORDS = word_table({
    "permanent": ("permanent", "regular", "tetap", "pegawai tetap"),
    "temporary": ("temporary", "fixed term", "contract", "contractual", "kontrak",
                  "temporary fixed term"),
    "freelance": ("freelance", "casual", "lepas", "pekerja lepas", "freelance casual"),
}, codes.CONTRACTS)
# f15: 1 higher, 2 same, 3 lower, 4 none needed.
EDUCATION_WORDS = word_table({
    "higher": ("1", "higher", "higher level", "lebih tinggi", "setingkat lebih tinggi"),
    "same": ("2", "same", "same level", "tingkat yang sama", "sama"),
    "lower": ("3", "lower", "lower level", "setingkat lebih rendah", "lebih rendah"),
    "none": ("4", "none", "not needed", "none needed", "no particular level",
             "tidak perlu pendidikan tinggi", "tidak perlu"),
}, codes.EDUCATION_LEVELS)
# f5d: 1 local or unregistered, 2 national or registered, 3 multinational.
WORKPLACE_WORDS = word_table({
    "local": ("1", "local", "lokal", "local unregistered", "lokal wilayah",
              "lokal tidak berbadan hukum"),
    "national": ("2", "national", "nasional", "national registered", "nasional berbadan hukum"),
    "multinational": ("3", "multinational", "international", "multinasional",
                      "internasional"),
}, codes.WORKPLACE_LEVELS)
# f1101: 1 government, 2 non-profit, 3 private, 4 own business, 5 other, 6 state or regional
# enterprise, 7 multilateral.
EMPLOYER_TYPE_WORDS = word_table({
    "government": ("1", "government", "public service", "instansi pemerintah", "pemerintah"),
    "ngo": ("2", "non profit", "nonprofit", "ngo", "organisasi non profit",
            "lembaga swadaya masyarakat", "lsm"),
    "private": ("3", "private", "private company", "perusahaan swasta", "swasta"),
    "own_business": ("4", "own business", "wiraswasta", "perusahaan sendiri"),
    "other": ("5", "other", "lainnya"),
    "state_enterprise": ("6", "state owned enterprise", "state enterprise", "bumn", "bumd",
                         "bumn bumd"),
    "international": ("7", "multilateral", "international organisation",
                      "institusi organisasi multilateral"),
}, codes.EMPLOYER_TYPES)
YES_NO_WORDS = word_table({"yes": ("1", "yes", "y", "ya"), "no": ("2", "no", "n", "tidak")})

# The export's codes: each stored value as the national layout writes it.
F8 = {"wage_employed": "1", "not_in_labour_force": "2", "military_service": "2",
      "ordination": "2", "family_care": "2", "self_employed": "3", "further_study": "4",
      "unemployed_seeking": "5"}
F15 = {"higher": "1", "same": "2", "lower": "3", "none": "4"}
F5D = {"local": "1", "national": "2", "multinational": "3"}
F1101 = {"government": "1", "ngo": "2", "private": "3", "own_business": "4", "other": "5",
         "state_enterprise": "6", "international": "7"}
