"""On a phone (390 px) the tracer survey form holds its layout in Thai and Vietnamese (the
longest translations), and the language menu switches a visitor's page in a real browser."""

from __future__ import annotations

from app.core.jobs import wait_for_idle
from app.employment import tracer
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits, shot, sign_in_page
from tests.employment.conftest import campaign, link_in  # noqa: F401 (fixture)


def _within(locator, width: int = 390) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_survey_form_fits_a_phone_in_thai_and_vietnamese(live_server, phone, world,
                                                         campaign, smtp_server):  # noqa: F811
    tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    wait_for_idle()
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])

    phone.goto(f"{live_server}{path}?lang=th")
    fits(phone, 390)
    assert phone.locator("html").get_attribute("lang") == "th"
    assert _within(phone.get_by_role("button", name="ส่งคำตอบ"))
    assert _within(phone.locator("#language-menu button.dropdown-toggle"))
    assert "พ.ศ." in phone.inner_text("#survey-closes")
    shot(phone, "survey-th", 390)

    # The menu: open it, choose Tiếng Việt; the same form comes back in Vietnamese.
    phone.click("#language-menu button.dropdown-toggle")
    with phone.expect_navigation():
        phone.click("#language-menu button[value=vi]")
    fits(phone, 390)
    assert phone.locator("html").get_attribute("lang") == "vi"
    assert "lang=" not in phone.url
    assert _within(phone.get_by_role("button", name="Gửi câu trả lời"))
    for label in ("Hiện nay công việc chính của bạn là gì?",
                  "Bạn có tìm được việc làm trong vòng 6 tháng sau khi tốt nghiệp không?"):
        assert _within(phone.get_by_text(label).first), label
    shot(phone, "survey-vi", 390)

    # Send it half-filled: the summary of what to fix fits too.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi câu trả lời").click()
    fits(phone, 390)
    assert "Chưa có gì được lưu" in phone.inner_text("#answers-to-check")
    shot(phone, "survey-vi-errors", 390)


def test_alumnus_pages_hold_on_a_phone_in_thai(live_server, phone, world):
    world.users["alumnus"].language = "th"
    db.session.commit()
    sign_in_page(phone, live_server, world.users["alumnus"].email, PASSWORD)
    for url in ("/me", "/me/jobs", "/me/surveys"):
        phone.goto(f"{live_server}{url}")
        fits(phone, 390)
        assert phone.locator("html").get_attribute("lang") == "th"
        assert _within(phone.locator(".navbar-toggler"))
        assert _within(phone.locator("#language-menu button.dropdown-toggle"))
    phone.click(".navbar-toggler")
    assert phone.locator("button:has-text('ออกจากระบบ')").count() == 1  # in the account menu
    shot(phone, "me-th", 390)


ALUMNUS_PAGES = ("/me", "/me/contact", "/me/privacy", "/me/correction", "/me/jobs",
                 "/me/jobs/new", "/me/surveys", "/me/data", "/auth/password")


def test_translated_alumnus_pages_fit_a_phone_in_vietnamese_and_thai(live_server, phone,
                                                                     world):
    """Every translated page of the alumnus (README "Languages") at 390 px in the two longest
    translations: nothing scrolls sideways, the menu button and each page's main button stay
    on the screen, and the page is in the language."""
    from datetime import date

    from app.alumni.privacy import request_correction
    from app.employment.services import EmploymentData, record_employment

    alumnus, user = world.alumnus, world.users["alumnus"]
    record_employment(alumnus, EmploymentData(
        status="wage_employed", employer_name="Công ty TNHH Cơ khí Chính xác Miền Nam",
        job_title="Kỹ thuật viên bảo trì hệ thống tự động hóa", start_date=date(2024, 7, 1)),
        actor=user)
    request_correction(alumnus, "graduation_date", "Tháng 6, không phải tháng 5.", actor=user)
    db.session.commit()
    buttons = {"vi": {"/me/contact": "Lưu thông tin của tôi", "/me/privacy": "Lưu lựa chọn",
                      "/me/correction": "Gửi đến phòng cựu sinh viên",
                      "/me/data": "Tạo bản sao dữ liệu của tôi", "/auth/password": "Đổi mật khẩu"},
               "th": {"/me/contact": "บันทึกข้อมูลของฉัน", "/me/privacy": "บันทึกตัวเลือก",
                      "/me/correction": "ส่งถึงสำนักงานศิษย์เก่า",
                      "/me/data": "จัดทำสำเนาข้อมูลของฉัน", "/auth/password": "เปลี่ยนรหัสผ่าน"}}
    for language in ("vi", "th"):
        user.language = language
        db.session.commit()
        phone.context.clear_cookies()
        sign_in_page(phone, live_server, user.email, PASSWORD)
        for url in ALUMNUS_PAGES:
            phone.goto(f"{live_server}{url}")
            fits(phone, 390)
            assert phone.locator("html").get_attribute("lang") == language, url
            assert _within(phone.locator(".navbar-toggler")), url
            if url in buttons[language]:
                button = phone.locator("main button[type=submit]", has_text=buttons[language][url])
                assert _within(button.first), (language, url)
            shot(phone, f"alumnus-{language}{url.replace('/', '-')}", 390)
        # The sign-in page of a visitor whose browser asks for the language.
        phone.context.clear_cookies()
        phone.goto(f"{live_server}/auth/login?lang={language}")
        fits(phone, 390)
        shot(phone, f"alumnus-{language}-login", 390)
