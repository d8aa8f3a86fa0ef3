"""An upload's refusals and the mapping's in every language: a file too large, one with too
many rows, an empty one, an unreadable workbook, a file of another type, a cell too long, a
file without a student-number column, a column mapped twice, the key changes an officer did
not accept, and a tracer import's setting left out. An officer sees each at once, in the
page's language (numbers by Babel, the column's name in the language); the refusal itself
keeps its English (`str()`: a job's stored error), and English pages read as before."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.core.i18n import LANGUAGES
from app.extensions import db
from app.imports.models import ImportBatch
from app.imports.reading import ImportRefused, label
from tests.conftest import sign_in
from tests.core.test_mail_languages import _english, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
GOOD = "Student number,Given name,Family name\nN1,Ann,Lee\nN2,Bob,Ray\n"
# each language's words: too large (the limit by Babel: 0.5 / 0,5), no student-number
# column, mapped twice, an empty file, a setting left out
EXPECTED = {
    "th": ("ขีดจำกัด 0.5 MB", "ไฟล์ไม่มีคอลัมน์รหัสนักศึกษา", "มีสองคอลัมน์ที่จับคู่กับ “ชื่อ”",
           "ไฟล์ว่างเปล่า", "เลือกจุดอ้างอิง"),
    "id": ("batas 0,5 MB", "tidak memiliki kolom nomor induk mahasiswa",
           "Dua kolom dipetakan ke", "File ini kosong.", "Pilih titik acuan."),
    "ms": ("had 0.5 MB", "tiada lajur nombor pelajar", "Dua lajur dipetakan kepada",
           "Fail ini kosong.", "Pilih titik rujukan."),
    "vi": ("giới hạn 0,5 MB", "không có cột mã số sinh viên", "Có hai cột được gán cho",
           "Tệp trống.", "Hãy chọn mốc tham chiếu."),
    "fil": ("limitasyong 0.5 MB", "Walang column na student number",
            "Dalawang column ang naka-map sa", "Walang laman ang file.",
            "Piliin ang reference point."),
}
# the refusals' English (none may be left on a page in another language)
REFUSED_ENGLISH = ("rows, the limit", "MB limit", "The file is empty", "could not be read",
                   "Upload a CSV", "longer than", "column (or it is not mapped)",
                   "Two columns are mapped", "Choose the reference point", "changes the cohort")


def _officer(app, world, language: str):
    user = world.users["officer"]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def _upload(client, institution_id: int, data: bytes, name: str = "registrar.csv",
            kind: str = "alumni"):
    return client.post("/imports/new", data={
        "kind": kind, "institution": str(institution_id), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def _latest() -> ImportBatch:
    return db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()


def _pages(app, client, world) -> dict:
    home = world.home.id
    pages = {"empty": _upload(client, home, b"   "),
             "not a spreadsheet": _upload(client, home, b"%PDF-1.4", "list.pdf"),
             "unreadable workbook": _upload(client, home, b"PK\x03\x04 broken", "list.xlsx"),
             "cell too long": _upload(client, home, (
                 "Student number,Given name\nN1," + "x" * 40_000 + "\n").encode())}
    app.config["IMPORT_MAX_ROWS"] = 2
    pages["too many rows"] = _upload(client, home, (GOOD + "N3,Cy,Ho\nN4,Di,Ko\n").encode())
    app.config["IMPORT_MAX_ROWS"] = 1_000
    app.config["IMPORT_MAX_BYTES"] = 512 * 1024
    pages["too large"] = _upload(client, home, GOOD.encode() + b"x" * 600_000)
    app.config.pop("IMPORT_MAX_BYTES")
    assert _upload(client, home, GOOD.encode()).status_code == 302
    batch = _latest()
    url = f"/imports/{batch.id}/mapping"
    pages["no student number"] = client.post(url, data={
        "map-0": "", "map-1": "given_name", "map-2": "family_name"})
    pages["mapped twice"] = client.post(url, data={
        "map-0": "student_number", "map-1": "given_name", "map-2": "given_name"})
    # a tracer survey import without its reference point (the kind's own words stay)
    assert _upload(client, home, b"Student number,Status\nN1,wage_employed\n",
                   kind="tracer").status_code == 302
    pages["setting left out"] = client.post(f"/imports/{_latest().id}/mapping", data={
        "map-0": "student_number", "map-1": "status"})
    return pages


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_refusals_are_said_in_the_page_language(app, world, import_folder, language):
    client = _officer(app, world, language)
    english = _english(language)
    shown = []
    for name, page in _pages(app, client, world).items():
        html = page.get_data(as_text=True)
        assert page.status_code == 200, (name, page.status_code)
        assert f'<html lang="{language}">' in html, name
        left = [w for w in _left(html, english) if any(r in w for r in REFUSED_ENGLISH)]
        assert not left, (name, left)
        for text in REFUSED_ENGLISH:
            assert text not in html, (name, text)
        assert "alert-danger" in html or "invalid-feedback" in html or "is-invalid" in html, name
        shown.append(html)
    shown_text = "".join(shown)
    for word in EXPECTED[language]:
        assert word in shown_text, word


def test_the_refusals_read_as_before_in_english(app, world, import_folder):
    client = _officer(app, world, "en")
    pages = {name: page.get_data(as_text=True)
             for name, page in _pages(app, client, world).items()}
    assert "The file has 4 rows; the limit is 2. Split it into smaller files." in \
        pages["too many rows"]
    assert "The file is larger than the 0.5 MB limit; split it." in pages["too large"]
    assert "A cell in column “Given name”, row 2, is longer than 32,767 characters" in \
        pages["cell too long"]
    assert ("The file has no student number column (or it is not mapped); every row needs one "
            "to be matched. Nothing was imported.") in pages["no student number"]
    assert "Two columns are mapped to “Given name”; choose one." in pages["mapped twice"]
    assert "Choose the reference point." in pages["setting left out"]
    assert "Upload a CSV (.csv) or Excel (.xlsx) file." in pages["not a spreadsheet"]


def test_a_refusal_keeps_its_english_for_what_is_stored(app):
    """`str()` (a background job's stored error) is English whatever the language in force;
    `message` says it in that language, a count by Babel."""
    from app.core.i18n import in_language

    refused = ImportRefused("The file has %(rows)s rows; the limit is %(limit)s. Split it "
                            "into smaller files.", rows=12_000, limit=10_000)
    missing = ImportRefused("The file has no %(column)s column (or it is not mapped); every "
                            "row needs one to be matched. Nothing was imported.",
                            column=label("Student number", lower=True))
    with app.test_request_context(), in_language("id"):
        assert str(refused).startswith("The file has 12,000 rows; the limit is 10,000.")
        assert refused.message.startswith("File memiliki 12.000 baris; batasnya 10.000.")
        assert str(missing).startswith("The file has no student number column")
        assert "kolom nomor induk mahasiswa" in missing.message
