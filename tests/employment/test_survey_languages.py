"""Tracer survey invitations go out in each recipient's language over real SMTP, and the form
opened from one is in that language, with Buddhist Era years on Thai pages."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.core.jobs import Job, wait_for_idle
from app.employment import tracer
from app.employment.models import Employment, SurveyResponse
from app.extensions import db
from tests.employment.conftest import good_answers, link_in


def _send(campaign, officer, mode="invite") -> Job:
    survey = db.session.get(type(campaign.survey), campaign.survey.id)
    job = tracer.start_sending(survey, mode=mode, actor=officer)
    db.session.commit()
    job_id = job.id
    wait_for_idle()
    db.session.rollback()
    return db.session.get(Job, job_id)


def test_thai_speaking_alumnus_gets_thai_mail_and_a_thai_form(world, campaign, smtp_server,
                                                             client):
    world.users["alumnus"].language = "th"  # chosen from the menu, kept on the account
    db.session.commit()
    job = _send(campaign, world.users["officer"])
    assert job.status == "done", job.error
    closes = campaign.survey.closes_on

    thai = smtp_server.to(world.alumnus.email)[0]
    text = smtp_server.text(thai)
    assert thai["Subject"] == (
        "Home Polytechnic: ตอนนี้ท่านเป็นอย่างไรบ้าง แบบสำรวจสั้น ๆ สำหรับผู้สำเร็จการศึกษา")
    assert text.startswith("เรียน คุณ")
    assert "ใช้เวลาประมาณสิบนาที" in text and "สำนักงานศิษย์เก่า" in text
    assert f"พ.ศ. {closes.year + 543}" in text  # the closing date in Buddhist Era years
    # The body is Thai throughout; the unsubscribe footer the mail gate adds after "-- " is
    # app/mailings' text and still English (README "Languages": not translated yet).
    body = text.split("\n-- \n")[0]
    assert "Dear" not in body and "survey" not in body.lower().replace("/survey/", "")
    assert "?lang=th" in text

    # Alumni without an account get the institution's default language: English here.
    english = smtp_server.to(world.second_alumnus.email)[0]
    assert english["Subject"] == ("Home Polytechnic: where are you now? A short survey for "
                                  "graduates")
    assert smtp_server.text(english).startswith("Dear ")
    assert f"{closes:%d %B %Y}" in smtp_server.text(english)

    # The link opens the form in Thai for a browser that asks for English.
    link = re.search(r"https?://\S+/survey/\S+", text).group(0)
    path = link[link.index("/survey/"):]
    page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="th">' in page
    assert "ปัจจุบันคุณทำอะไรเป็นหลัก" in page and "ส่งคำตอบ" in page
    assert "ทำงานเป็นลูกจ้าง" in page  # the answers' code list too
    assert f"เปิดถึงวันที่ {closes.day} " in page and f"{closes.year + 543}" in page
    assert "What is your main activity now?" not in page
    assert 'value="TH"' in page and "ไทย</option>" in page  # countries named in Thai

    # A wrong answer comes back with Thai messages; a right one stores common-era dates.
    wrong = client.post(path.split("?")[0], data=good_answers(
        **{campaign.survey.questions[0].field_name: "yes", "relevance": ""})
    ).get_data(as_text=True)
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ: มี 1 คำตอบที่ต้องตรวจสอบ" in wrong
    assert "กรุณาตอบคำถามนี้" in wrong
    done = client.post(path.split("?")[0], data=good_answers(
        **{campaign.survey.questions[0].field_name: "yes", "start_date": "2024-10-01"}))
    assert "บันทึกคำตอบของคุณสำหรับ" in done.get_data(as_text=True)
    response = db.session.scalar(select(SurveyResponse))
    assert response.alumnus_id == world.alumnus.id
    assert db.session.get(Employment, response.employment_id).start_date == date(2024, 10, 1)


def test_reminder_follows_the_institution_default_language(world, campaign, smtp_server):
    world.home.default_language = "vi"
    db.session.commit()
    assert _send(campaign, world.users["officer"]).status == "done"
    smtp_server.messages.clear()
    assert _send(campaign, world.users["officer"], mode="remind").status == "done"
    message = smtp_server.to(world.second_alumnus.email)[0]
    assert message["Subject"] == "Nhắc lại: khảo sát sinh viên tốt nghiệp của Home Polytechnic"
    text = smtp_server.text(message)
    assert text.startswith("Kính gửi Anh/Chị ") and "?lang=vi" in text
    assert link_in(smtp_server, message).startswith("/survey/")
