"""The student exchange staff pages hold their layout on a phone (390 px) in Vietnamese and
Thai, the longest translations: the exchange figures (X1-X5 with the records behind one) and a
batch with its agreement and participants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page

WORDS = {"vi": ("Số liệu trao đổi", "Người tham gia theo quốc gia đối tác", "Thêm người tham gia"),
         "th": ("ตัวเลขโครงการแลกเปลี่ยน", "ผู้เข้าร่วมแยกตามประเทศของคู่ความร่วมมือ",
                "เพิ่มผู้เข้าร่วม")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_exchange_figures_and_a_batch_fit_a_phone(live_server, browser, world, db,
                                                      make_institution, language):
    from app.exchange import services

    officer = world.users["officer"]
    officer.language = language
    partner = make_institution(code="TH-POLY", name="Bangkok Polytechnic", country="TH")
    batch = services.create_batch(services.BatchData(
        name="SEAMEO TVET Virtual Exchange", year=2022, batch_number=1, mode="virtual",
        window_start=date(2022, 5, 16), window_end=date(2022, 6, 24)), actor=officer)
    services.create_agreement(batch, services.AgreementData(
        first_institution_id=world.home.id, second_institution_id=partner.id,
        duration_days=30, hours_per_day="4", places_first_to_second=5,
        places_second_to_first=5, status="signed", signed_date=date(2022, 4, 1)),
        actor=officer)
    for number, area in ((world.alumnus.student_number, "it"), ("EX-2", "hospitality")):
        p = services.create_participation(batch, services.ParticipationData(
            student_number=number, given_name="Nguyễn Thị", family_name="Minh Khai",
            sending_institution_id=world.home.id, receiving_institution_id=partner.id,
            study_area=area, hours=Decimal(90)), actor=officer)
        for step in ("accepted", "in_progress", "completed"):
            services.change_status(p, step, actor=officer)
    db.session.commit()
    heading, by_country, add = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/exchange/figures?show=X2")
    assert page.locator("html").get_attribute("lang") == language
    assert heading in page.inner_text("h1")
    assert by_country in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-exchange-figures-{language}", 390)
    page.goto(f"{live_server}/exchange/batches/{batch.id}")
    assert add in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-exchange-batch-{language}", 390)
    context.close()
