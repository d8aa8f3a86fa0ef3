"""In a browser: an officer records what employers said in a survey year, is told what is
missing beside the field, takes the input through the review to the action, and finds it on
the follow-up page and in the evidence pack's HTML; quality staff read the page without the
form. At 390 px (phone) and 1280 px."""

from __future__ import annotations

import os

import pytest

from app.core.db import today
from tests.conftest import PASSWORD
from tests.e2e.conftest import fits, shot, sign_in_page

ACTION = "Group project with two local firms in module 3, from term 2."


@pytest.fixture
def report_dir(tmp_path):
    return tmp_path / "reports"


@pytest.fixture
def live_settings(report_dir):
    return {"REPORT_FOLDER": str(report_dir)}


def _context(browser, width):
    return browser.new_context(viewport={"width": width, "height": 844},
                               is_mobile=width < 500, has_touch=width < 500)


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_records_employer_follow_up(live_server, browser, world, db, app,
                                               report_dir, width):
    from app.feedback.services import MeetingData, create_meeting

    year = today().year - 1
    create_meeting(MeetingData(programme_id=world.programme.id, held_on=today(),
                               kind="curriculum_review", title="Curriculum review 1"),
                   institution=world.home, actor=world.users["officer"])
    db.session.commit()
    context = _context(browser, width)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.goto(f"{live_server}/feedback/")
    page.get_by_role("link", name="Employer follow-up").click()
    page.wait_for_url("**/feedback/employer-follow-up")
    assert "No employer follow-up recorded" in page.inner_text("main")
    fits(page, width)
    shot(page, "employer-follow-up-empty", width)

    page.get_by_label("Programme", exact=True).select_option(str(world.programme.id))
    page.get_by_label("Survey year", exact=True).fill(str(year))
    page.get_by_label("Competency").select_option("teamwork")
    page.get_by_role("button", name="Record employer input").click()
    page.wait_for_load_state()
    message = page.locator(".invalid-feedback", has_text="Write what the employers said")
    assert message.is_visible()
    fits(page, width)
    shot(page, "employer-follow-up-mistake", width)

    page.get_by_label("What the employers said").fill(
        "4 of 9 employers rated teamwork fair or poor; they ask for more group work.")
    page.get_by_role("button", name="Record employer input").click()
    page.wait_for_url("**/feedback/*")
    assert f"Employer survey {year}" in page.inner_text("main")
    for verb, note, meeting in (("Start review", "Read at the curriculum review.", False),
                                ("Accept", "Add a group project to module 3.", True),
                                ("Mark implemented", ACTION, False)):
        form = page.locator("form", has=page.get_by_role("button", name=verb))
        form.locator("textarea").fill(note)
        if meeting:
            form.locator("select").select_option(label=f"{today():%d %b %Y} — "
                                                       "Curriculum review 1")
        form.get_by_role("button", name=verb).click()
        page.wait_for_load_state()
    assert "Implemented" in page.inner_text("main")

    page.goto(f"{live_server}/feedback/employer-follow-up")
    card = page.locator("article.follow-up")
    assert card.count() == 1
    text = card.inner_text()
    assert f"{year} · {world.programme.code} · Teamwork" in text and ACTION in text
    assert "Accepted at" in text
    fits(page, width)
    shot(page, "employer-follow-up-list", width)
    context.close()

    # quality staff: the list, no form
    context = _context(browser, width)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["quality"].email, PASSWORD)
    page.goto(f"{live_server}/feedback/employer-follow-up")
    assert page.locator("article.follow-up").count() == 1
    assert page.get_by_role("button", name="Record employer input").count() == 0
    fits(page, width)
    shot(page, "employer-follow-up-quality", width)

    # the pack's HTML: the annex after employer satisfaction, its row linking to the record
    from app.packs.services import build_snapshot, check_request

    app.config["REPORT_FOLDER"] = str(report_dir)
    request = check_request(world.home, "ban-pt", [world.programme.id], [year], None,
                            ["html"])
    snapshot = build_snapshot(request, ("html",), built_by="Quality Officer",
                              built_by_id=None, base_url=live_server)
    db.session.commit()
    page.goto(f"{live_server}/reports/snapshots/{snapshot.id}/view")
    annex = page.locator("#annex-employer_follow_up")
    assert "Employer follow-up actions" in annex.inner_text() and ACTION in annex.inner_text()
    folder = os.environ.get("ALUMNET_SCREENSHOTS")
    if folder:  # the annex itself (the whole pack is many screens long)
        annex.screenshot(path=f"{folder}/pack-follow-up-annex-{width}.png")
    with page.expect_navigation():
        annex.get_by_role("link", name="Feedback").first.click()
    assert "Group project" in page.inner_text("main")
    context.close()
