"""On a phone (390 px) the tracer survey form from its link shows the institution's own words
in Thai (title, introduction, own question) and holds its layout, and so does "My events"
with an event's Thai title."""

from __future__ import annotations

from datetime import date, timedelta

from app.core.db import utcnow
from app.core.tokens import new_token
from app.employment.models import SurveyInvitation
from app.engagement.models import Event
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits, shot, sign_in_page
from tests.employment.conftest import campaign  # noqa: F401 (fixture)

TITLE_TH = "การติดตามผู้สำเร็จการศึกษา ปีการศึกษา 2567 หลังสำเร็จการศึกษา 12 เดือน"
INTRO_TH = ("แบบสำรวจนี้ช่วยให้วิทยาลัยปรับปรุงหลักสูตรสำหรับนักศึกษารุ่นต่อไป "
            "คำตอบของคุณจะถูกเก็บเป็นความลับและใช้เพื่อการวางแผนเท่านั้น")
QUESTION_TH = "คุณแนะนำหลักสูตรนี้ให้รุ่นน้องหรือไม่ (เช่น เพื่อนบ้านหรือญาติที่สนใจเรียนสายอาชีพ)"


def _within(locator, width: int = 390) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_survey_form_in_thai_with_the_institutions_own_words(live_server, phone, world,
                                                             campaign):  # noqa: F811
    survey = campaign.survey
    survey.title_translations = {"th": TITLE_TH}
    survey.introduction = "This survey helps the college improve its programmes."
    survey.introduction_translations = {"th": INTRO_TH}
    survey.questions[0].label_translations = {"th": QUESTION_TH}
    raw, digest = new_token()
    db.session.add(SurveyInvitation(
        survey_id=survey.id, institution_id=survey.institution_id,
        alumnus_id=world.second_alumnus.id, email=world.second_alumnus.email,
        token_hash=digest, expires_at=utcnow() + timedelta(days=30), sent_at=utcnow()))
    db.session.commit()

    phone.goto(f"{live_server}/survey/{raw}?lang=th")
    fits(phone, 390)
    assert phone.locator("html").get_attribute("lang") == "th"
    assert phone.inner_text("h1") == TITLE_TH
    assert _within(phone.get_by_text(INTRO_TH))
    question = phone.get_by_text(QUESTION_TH)
    assert _within(question)
    assert "Would you recommend the programme?" not in phone.content()
    shot(phone, "own-words-survey-th", 390)


def test_my_events_in_thai_with_the_event_title(live_server, phone, world):
    db.session.add(Event(institution_id=world.home.id, title="Alumni homecoming",
                         title_translations={"th": "งานคืนสู่เหย้าศิษย์เก่าประจำปี 2569"},
                         kind="reunion", mode="on_site",
                         event_date=date.today() + timedelta(days=10),
                         registration_open=True))
    world.users["alumnus"].language = "th"
    db.session.commit()
    sign_in_page(phone, live_server, world.users["alumnus"].email, PASSWORD)
    phone.goto(f"{live_server}/me/events")
    fits(phone, 390)
    assert _within(phone.get_by_text("งานคืนสู่เหย้าศิษย์เก่าประจำปี 2569"))
    assert "Alumni homecoming" not in phone.content()
    shot(phone, "own-words-events-th", 390)
