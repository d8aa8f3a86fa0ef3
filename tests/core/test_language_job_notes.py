"""A background job's progress note in the reader's language: the job page and its JSON (the
page's script shows `note`) say the stored English note of a sending, a mailing, an import,
the register export and an evidence pack's build in each language, counts by Babel; the note
stays stored in English, and a note the page does not know shows as stored."""

from __future__ import annotations

import pytest

from app.core.i18n import LANGUAGES
from app.core.job_words import say_note
from app.core.jobs import Job
from app.extensions import db
from tests.conftest import sign_in

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# (the stored note, what each language says)
NOTES = {
    "1,200 sent, 3 undeliverable": {
        "th": "ส่งแล้ว 1,200 ส่งไม่ถึง 3", "id": "1.200 terkirim, 3 tidak dapat dikirim",
        "ms": "1,200 dihantar, 3 tidak dapat dihantar", "vi": "Đã gửi 1.200, không gửi được 3",
        "fil": "1,200 naipadala, 3 hindi maihatid"},
    "6 sent, 1 failed": {"th": "ส่งแล้ว 6 ส่งไม่สำเร็จ 1", "id": "6 terkirim, 1 gagal",
                         "ms": "6 dihantar, 1 gagal", "vi": "Đã gửi 6, thất bại 1",
                         "fil": "6 naipadala, 1 nabigo"},
    "Added 1,000 of 4,900 new records": {
        "th": "เพิ่มข้อมูลใหม่แล้ว 1,000 จาก 4,900 รายการ",
        "id": "1.000 dari 4.900 data baru ditambahkan",
        "ms": "1,000 daripada 4,900 rekod baharu ditambah",
        "vi": "Đã thêm 1.000 trên 4.900 hồ sơ mới",
        "fil": "Naidagdag ang 1,000 sa 4,900 bagong record"},
    "PDF written": {"th": "เขียนไฟล์ PDF แล้ว", "id": "PDF ditulis", "ms": "PDF ditulis",
                    "vi": "Đã ghi tệp PDF", "fil": "Naisulat ang PDF"},
    "Figures of 2024 counted": {"th": "นับตัวเลขของปี 2024 แล้ว", "id": "Angka tahun 2024 dihitung",
                                "ms": "Angka tahun 2024 dikira",
                                "vi": "Đã tính số liệu năm 2024",
                                "fil": "Nabilang ang mga numero ng 2024"},
    "Sending…": {"th": "กำลังส่ง…", "id": "Mengirim…", "ms": "Menghantar…", "vi": "Đang gửi…",
                 "fil": "Ipinapadala…"},
}


def _job(world, note: str) -> Job:
    job = Job(kind="mailing", handler="app.mailings.services:send_mailing_job",
              status="running", done=1_200, total=4_900, message=note,
              institution_id=world.home.id, created_by_id=world.users["officer"].id)
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_job_note_is_said_in_the_reader_language(app, world, language):
    user = world.users["officer"]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    for note, said in NOTES.items():
        job = _job(world, note)
        page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
        assert said[language] in page, (note, language)
        assert note not in page or note == said[language]
        state = client.get(f"/jobs/{job.id}.json").get_json()
        assert state["note"] == said[language]
        assert state["message"] == note  # stored as the job wrote it
        assert db.session.get(Job, job.id).message == note
    unknown = _job(world, "Reading table alumnus")
    assert client.get(f"/jobs/{unknown.id}.json").get_json()["note"] == "Reading table alumnus"


def test_the_job_note_reads_as_stored_in_english(app, world):
    client = app.test_client()
    sign_in(client, world.users["officer"])
    for note in NOTES:
        job = _job(world, note)
        assert f"— {note}" in client.get(f"/jobs/{job.id}").get_data(as_text=True)
        assert client.get(f"/jobs/{job.id}.json").get_json()["note"] == note


def test_a_count_must_be_a_count(app):
    with app.test_request_context():
        assert say_note("many sent, 1 undeliverable") == "many sent, 1 undeliverable"
        assert say_note(None) is None
