"""The Outcomes page and the records behind a figure, as each role sees them."""

from __future__ import annotations

import re


def outcomes_url(cohort, **extra):
    query = f"programme={cohort.programme.id}&cohort=2024&months=12"
    for k, v in extra.items():
        query += f"&{k}={v}"
    return f"/outcomes?{query}"


def test_officer_and_quality_read_the_figures(hand_cohort, as_role):
    for role in ("officer", "quality", "admin"):
        page = as_role(role).get(outcomes_url(hand_cohort))
        assert page.status_code == 200, role
        html = page.get_data(as_text=True)
        assert "Response rate (gross)" in html
        assert "75.0 %" in html and "9 / 12" in html  # M1 gross
        assert "80.0 %" in html and "4 / 5" in html  # M2 over the labour force
        # the graduates without a programme or a graduation year are named, not hidden
        assert "2 graduates of the register have no programme or graduation year" in html


def test_a_click_opens_the_records_it_counted(hand_cohort, as_role):
    client = as_role("quality")
    html = client.get(outcomes_url(hand_cohort)).get_data(as_text=True)
    link = re.search(r'href="(/outcomes/records\?[^"]*code=M2[^"]*which=counted[^"]*)"', html)
    assert link, "no records link for M2"
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    a = hand_cohort.alumni
    for key in ("a1", "a2", "a3", "a4"):  # the employed
        assert a[key].student_number in text
    for key in ("a5", "a9", "a10"):  # further study, seeking, undeliverable
        assert a[key].student_number not in text
    assert "4 records" in text


def test_the_records_of_a_competency_gap_show_its_two_levels(hand_cohort, as_role):
    page = as_role("quality").get(outcomes_url(hand_cohort).replace(
        "/outcomes?", "/outcomes/records?code=M10&variant=it&which=counted&"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    a = hand_cohort.alumni
    assert a["a1"].student_number in text and a["a2"].student_number not in text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    assert cells[-3:] == ["Use of information technology", "2", "4"]  # a1: at graduation, now
    assert "1 record" in text


def test_the_ban_pt_table_shows_the_minimum(hand_cohort, as_role):
    html = as_role("officer").get(outcomes_url(hand_cohort, framework="ban-pt")).get_data(
        as_text=True)
    assert "8.d.1 · Waiting time for the first job" in html
    assert "TS-2" in html and "TS-1" in html
    assert "49.2 %" in html  # Prmin for 12 graduates


def test_alumni_get_nothing(hand_cohort, as_role):
    client = as_role("alumnus")
    assert client.get(outcomes_url(hand_cohort)).status_code == 403
    assert client.get("/outcomes/records?code=M1&programme="
                      f"{hand_cohort.programme.id}&cohort=2024").status_code == 403


def test_another_institutions_officer_sees_none_of_ours(hand_cohort, as_role):
    client = as_role("other_officer")
    page = client.get(outcomes_url(hand_cohort))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Choose programmes of this institution." in html
    assert "Response rate (gross)" not in html
    records = client.get(f"/outcomes/records?code=M1&variant=gross&which=counted"
                         f"&programme={hand_cohort.programme.id}&cohort=2024")
    assert records.status_code == 404
    assert hand_cohort.alumni["a1"].student_number not in records.get_data(as_text=True)


def test_the_campaign_page_shows_the_cohorts_figures(hand_cohort, as_role):
    html = as_role("officer").get(f"/tracer/{hand_cohort.survey.id}").get_data(as_text=True)
    assert "Outcome figures of the cohort" in html
    # over the whole cohort: 9 of 12 (the campaign's own rate is over those invited)
    assert "Response rate (gross)" in html and "75.0 %" in html and "9 / 12" in html
    assert "Employment rate (labour force)" in html and "80.0 %" in html
    assert "Median monthly income (IDR)" in html and "4,000,000 IDR" in html
