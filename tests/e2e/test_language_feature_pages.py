"""On a phone (390 px), in Vietnamese and Thai (the longest translations), the alumnus's
mentoring and curriculum feedback pages, events and the directory hold their layout: nothing
scrolls sideways, the page's buttons stay on the screen, errors and flash messages included."""

from __future__ import annotations

from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits, shot, sign_in_page
from tests.employment.test_language_crawl_features import _records

WORDS = {
    "vi": {"offer": "Lưu đề nghị cố vấn của tôi", "log": "Thêm vào nhật ký",
           "accept": "Chấp nhận", "send": "Gửi góp ý", "register": "Đăng ký tham dự",
           "rate": "Lưu", "gap": "Hãy cho chúng tôi biết kỹ năng còn thiếu",
           "logged": "Đã ghi buổi gặp."},
    "th": {"offer": "บันทึกข้อเสนอการเป็นพี่เลี้ยง", "log": "เพิ่มในบันทึก",
           "accept": "ตอบรับ", "send": "ส่งข้อเสนอแนะ", "register": "ลงชื่อเข้าร่วม",
           "rate": "บันทึก", "gap": "บอกเราถึงทักษะที่ยังขาด", "logged": "บันทึกการพบแล้ว"},
}


def _within(locator, width: int = 390) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _button(page, text: str):
    return page.locator("main button[type=submit]", has_text=text).first


def test_mentoring_and_feedback_pages_fit_a_phone_in_vietnamese_and_thai(
        live_server, phone, world, make_institution):
    states, _participation, _open = _records(world, make_institution)
    user = world.users["alumnus"]
    for language in ("vi", "th"):
        words = WORDS[language]
        user.language = language
        db.session.commit()
        phone.context.clear_cookies()
        sign_in_page(phone, live_server, user.email, PASSWORD)
        pages = {"mentoring": ("/me/mentoring", None),
                 "mentoring-offer": ("/me/mentoring/offer", words["offer"]),
                 "mentorship-proposed": (f"/me/mentoring/{states['proposed'].id}",
                                         words["accept"]),
                 "mentorship-active": (f"/me/mentoring/{states['active'].id}", words["log"]),
                 "mentorship-completed": (f"/me/mentoring/{states['completed'].id}",
                                          words["rate"]),
                 "feedback": ("/me/feedback", None),
                 "feedback-new": ("/me/feedback/new", words["send"]),
                 "events": ("/me/events", words["register"]),
                 "directory": ("/directory", None),
                 "directory-me": ("/directory/me", None)}
        for name, (url, button) in pages.items():
            phone.goto(f"{live_server}{url}")
            fits(phone, 390)
            assert phone.locator("html").get_attribute("lang") == language, url
            assert _within(phone.locator(".navbar-toggler")), url
            assert _within(phone.locator("main h1").first), url
            if button:
                assert _within(_button(phone, button)), (language, url, button)
            shot(phone, f"{name}-{language}", 390)

        # A session logged from the phone: the flash and the log fit.
        phone.goto(f"{live_server}/me/mentoring/{states['active'].id}")
        phone.fill("#held_on", "2020-01-01")
        phone.fill("#minutes", "45")
        with phone.expect_navigation():
            _button(phone, words["log"]).click()
        fits(phone, 390)
        assert phone.locator(".alert").count() >= 1
        shot(phone, f"mentorship-session-error-{language}", 390)

        # The feedback form sent half-filled: the service's messages beside the fields fit.
        phone.goto(f"{live_server}/me/feedback/new")
        phone.fill("input[name=topic]", "Lập trình PLC và bảo trì hệ thống tự động hóa")
        with phone.expect_navigation():
            _button(phone, words["send"]).click()
        fits(phone, 390)
        assert words["gap"] in phone.inner_text("main")
        assert _within(_button(phone, words["send"]))
        shot(phone, f"feedback-errors-{language}", 390)
