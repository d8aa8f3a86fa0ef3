"""The staff pages hold their layout on a phone (390 px) in Vietnamese and Thai, the longest
translations: the landing page with its kept figures, the Outcome figures page with the
figures' names and definitions, the register with a record and its form, and an import's
batch page, and a tracer campaign's page (its figures after the page's script refreshed them)."""

from __future__ import annotations

import pytest

from app.packs.dashboard import refresh_dashboard
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page
from tests.employment.conftest import campaign, good_answers, link_in  # noqa: F401 - fixture
from tests.reports.conftest import hand_cohort  # noqa: F401 - the fixture

WORDS = {"vi": ("Tỷ lệ phản hồi", "Số liệu kết quả đầu ra", "Tỷ lệ phản hồi (gộp)"),
         "th": ("อัตราการตอบกลับ", "ตัวเลขผลลัพธ์", "อัตราการตอบกลับ (รวม)")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_landing_and_outcome_pages_fit_a_phone(live_server, browser, hand_cohort,  # noqa: F811
                                               world, db, language):
    refresh_dashboard(hand_cohort.institution.id)
    quality = world.users["quality"]
    quality.language = language
    db.session.commit()
    figure, heading, title = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, quality.email, PASSWORD)
    page.goto(f"{live_server}/dashboard")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert figure in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-landing-{language}", 390)

    programmes = (hand_cohort.programme.id, hand_cohort.other_programme.id)
    page.goto(f"{live_server}/outcomes?programme={programmes[0]}&programme={programmes[1]}"
              "&cohort=2023&cohort=2024&months=12")
    assert heading in page.inner_text("h1")
    assert title in page.inner_text("main")
    page.locator("details summary").first.click()  # a definition opened
    fits(page, 390)
    shot(page, f"staff-outcomes-{language}", 390)
    context.close()


REGISTER = {"vi": ("Sổ cựu sinh viên", "Sự đồng ý đang có hiệu lực"),
            "th": ("ทะเบียนศิษย์เก่า", "ความยินยอมที่มีผลอยู่")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_register_and_a_record_fit_a_phone(live_server, browser, world, db, language):
    officer = world.users["officer"]
    officer.language = language
    db.session.commit()
    heading, consent = REGISTER[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/alumni/")
    assert page.locator("html").get_attribute("lang") == language
    assert heading in page.inner_text("h1")
    fits(page, 390)
    shot(page, f"staff-register-{language}", 390)
    page.goto(f"{live_server}/alumni/{world.alumnus.id}")
    assert consent in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-record-{language}", 390)
    page.goto(f"{live_server}/alumni/new")
    fits(page, 390)
    shot(page, f"staff-record-form-{language}", 390)
    context.close()


BATCH_CSV = ("Student number,Given name,Programme,Graduation date,Cohort,Gender\n"
             "P1,Ann,DIT,2022-06-30,2020,F\n"
             "P2,Bob,ZZZ,30/06/2566,,maybe\n"
             "P3,,DIT,someday,20x4,\n")
BATCH = {"vi": ("Xem trước", "Mã chương trình “ZZZ” không có"),
         "th": ("ตัวอย่าง", "ไม่รู้จักรหัสหลักสูตร “ZZZ”")}


@pytest.fixture
def live_settings(tmp_path):
    return {"IMPORT_FOLDER": str(tmp_path / "imports")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_an_import_batch_page_fits_a_phone(live_server, browser, world, db, language):
    officer = world.users["officer"]
    officer.language = language
    db.session.commit()
    preview, problem = BATCH[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/imports/new")
    fits(page, 390)
    page.set_input_files("input[type=file]", files=[{
        "name": "registrar.csv", "mimeType": "text/csv", "buffer": BATCH_CSV.encode()}])
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    assert page.locator("html").get_attribute("lang") == language
    fits(page, 390)
    shot(page, f"staff-import-mapping-{language}", 390)
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    text = page.inner_text("main")
    assert preview in text and problem in text
    assert page.locator("#errors").is_visible()  # the row-by-row list, every problem said
    fits(page, 390)
    shot(page, f"staff-import-batch-{language}", 390)
    context.close()


CAMPAIGN = {"vi": ("tỷ lệ phản hồi (gộp)", "Số liệu kết quả đầu ra của khóa", "Cập nhật lúc"),
            "th": ("อัตราการตอบกลับ (รวม)", "ตัวเลขผลลัพธ์ของรุ่น", "อัปเดตเมื่อ")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_a_tracer_campaign_page_fits_a_phone(live_server, browser, app, world, db,
                                             campaign, smtp_server, language):  # noqa: F811
    from app.core.jobs import wait_for_idle
    from app.employment import tracer

    officer = world.users["officer"]
    tracer.start_sending(campaign.survey, mode="invite", actor=officer)
    db.session.commit()
    wait_for_idle()
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    question = campaign.survey.questions[0].field_name
    assert app.test_client().post(path, data=good_answers(**{question: "yes"})).status_code \
        == 200
    officer.language = language
    db.session.commit()
    rate, outcomes, updated = CAMPAIGN[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/tracer/{campaign.survey.id}")
    assert page.locator("html").get_attribute("lang") == language
    text = page.inner_text("main")
    assert rate in text and outcomes in text
    fits(page, 390)
    shot(page, f"staff-campaign-{language}", 390)
    # the page's script writes the refreshed figures in the page's words
    before = page.inner_text("#as-of")
    page.wait_for_function("t => document.getElementById('as-of').textContent !== t",
                           arg=before, timeout=15000)
    assert page.inner_text("#as-of").startswith(updated)
    assert page.inner_text("[data-k=invited]") == "7"
    fits(page, 390)
    page.goto(f"{live_server}/tracer/")
    fits(page, 390)
    shot(page, f"staff-surveys-{language}", 390)
    context.close()


@pytest.mark.parametrize("language", ["th"])
def test_the_new_survey_form_fits_a_phone(live_server, browser, world, db, language):
    """The new survey form in Thai, empty and refused with its errors, with the title's other
    languages unfolded."""
    officer = world.users["officer"]
    officer.language = language
    db.session.commit()
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/tracer/new")
    assert page.locator("html").get_attribute("lang") == language
    assert "12 เดือนหลังสำเร็จการศึกษา" in page.inner_text("main")
    fits(page, 390)
    page.fill("#title", "")
    page.fill("#cohort_years", "twenty")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "กรุณากรอกช่องนี้" in text, text
    page.click("#title-languages summary")
    fits(page, 390)
    shot(page, f"staff-survey-new-{language}", 390)
    context.close()
