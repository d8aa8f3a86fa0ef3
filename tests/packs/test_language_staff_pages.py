"""The pages quality staff use, in every language: the landing page (the register's counts,
the kept figures drawn once per refresh and language, the refresh and its message), the staff
menus, the Outcome figures page and the records behind each figure. A quality staff member
opens each page and no English text of the catalogue is left on it."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.core.i18n import LANGUAGES
from app.core.jobs import wait_for_idle
from app.extensions import db
from app.packs.dashboard import refresh_dashboard
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left
from tests.packs.conftest import build

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# a few words each language must show (the figures' labels are drawn in the page's language)
EXPECTED = {
    "th": ("อัตราการตอบกลับ", "แยกตามหลักสูตร", "สำนักงานศิษย์เก่า", "ทะเบียนศิษย์เก่า"),
    "id": ("Tingkat respons", "Per program studi", "Kantor alumni", "Daftar induk"),
    "ms": ("Kadar maklum balas", "Mengikut program", "Pejabat alumni", "Daftar alumni"),
    "vi": ("Tỷ lệ phản hồi", "Theo chương trình đào tạo", "Phòng cựu sinh viên",
           "Sổ cựu sinh viên"),
    "fil": ("Antas ng pagtugon", "Ayon sa programa", "Tanggapan ng alumni", "Rehistro"),
}


def _quality_in(world, language: str):
    user = world.users["quality"]
    user.language = language
    db.session.commit()
    return user


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_landing_page_of_quality_staff_leaves_no_english(app, world, hand_cohort,
                                                             language):
    refresh_dashboard(hand_cohort.institution.id)
    db.session.commit()
    english = _english_words(language)
    # drawn first in English, by another reader: the kept drawing is per language
    english_reader = app.test_client()
    sign_in(english_reader, world.users["officer"])
    assert "Response rate" in english_reader.get("/dashboard").get_data(as_text=True)

    client = app.test_client()
    sign_in(client, _quality_in(world, language))
    pages = {"landing": client.get("/dashboard"),
             "refreshed": client.post("/dashboard/refresh", follow_redirects=True)}
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        assert "Response rate" not in html and "By programme" not in html, name
        for word in EXPECTED[language]:
            assert word in html, (name, word)
    refreshed = pages["refreshed"].get_data(as_text=True)
    assert "The figures are being counted again" not in refreshed
    assert "The figures are already being counted again" not in refreshed


def test_the_figures_not_yet_counted_say_so_in_the_language(app, world, language="vi"):
    assert app.config["DASHBOARD_AUTO_REFRESH"] is False  # nothing counts them behind the page
    client = app.test_client()
    sign_in(client, _quality_in(world, language))
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Số liệu chưa được tính." in html
    assert not _left(html, _english_words(language))


@pytest.mark.parametrize("language", TRANSLATED)
def test_an_administrator_s_menus_leave_no_english(app, world, language):
    user = world.users["admin"]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert not _left(html, _english_words(language))
    for english in ("Administration", "Outcome figures", "Reports (evidence packs)",
                    "Breach log", "Minimum wages", "Privacy requests"):
        assert f">{english}<" not in html, english


def _record_links(html: str) -> list[str]:
    return sorted({unescape(href) for href in re.findall(r'href="(/outcomes/records\?[^"]+)"',
                                                          html)})


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_outcome_figures_and_their_records_leave_no_english(app, world, hand_cohort,
                                                                language):
    """The Outcome figures page (chosen, not chosen, with errors) and the records behind
    every figure it links: the page, the figures' names, definitions and notes, the columns
    and the code lists in the records, the pager."""
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, _quality_in(world, language))
    programmes = "&".join(f"programme={p.id}" for p in (hand_cohort.programme,
                                                       hand_cohort.other_programme))
    chosen = f"/outcomes?{programmes}&cohort=2023&cohort=2024&months=12"
    pages = {"chosen": client.get(chosen), "nothing chosen": client.get("/outcomes?cohort=1"),
             "errors": client.get("/outcomes?programme=999999&cohort=1800&framework=nope"),
             "default": client.get("/outcomes")}
    links = _record_links(pages["chosen"].get_data(as_text=True))
    assert len(links) > 20
    for link in links:
        pages[link] = client.get(link)
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
    chosen_html = pages["chosen"].get_data(as_text=True)
    for english_text in ("Response rate (gross)", "Respondents / graduates of the cohort",
                         "How it is counted", "Graduate outcomes",
                         "Employed within 12 months", "Waited under 3 months"):
        assert english_text not in chosen_html, english_text
    errors = pages["errors"].get_data(as_text=True)
    assert errors.count('class="alert alert-warning"') == 3


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_reports_page_and_a_snapshot_leave_no_english(app, world, pack_cohort, language):
    """The Reports page (empty form, with errors, the kept snapshots) and a snapshot's page
    (before and after verifying its files), and the build's progress page once it is built."""
    snapshot = build(pack_cohort, formats=("html", "csv"))
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, _quality_in(world, language))
    form = {"framework": "ban-pt", "programme_ids": ["999999"], "cohorts": "twenty",
            "reference_months": "", "formats": ["html"]}
    pages = {"reports": client.get("/reports"),
             "wrong years": client.post("/reports", data=form),
             "wrong programme": client.post("/reports", data=dict(form, cohorts="2022-2024")),
             "snapshot": client.get(f"/reports/snapshots/{snapshot.id}"),
             "verified": client.get(f"/reports/snapshots/{snapshot.id}?verify=1")}
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
    assert "Build the pack" not in pages["reports"].get_data(as_text=True)
    assert "Every file is as built" not in pages["verified"].get_data(as_text=True)
    # the build's progress page, once the pack is built
    started = client.post("/reports", data=dict(
        form, programme_ids=[str(pack_cohort.programme.id)], cohorts="2022-2024"))
    assert started.status_code == 302 and "/reports/builds/" in started.location
    wait_for_idle(120)
    built = client.get(started.location).get_data(as_text=True)
    assert f'<html lang="{language}">' in built
    assert not _left(built, english), _left(built, english)
    assert "kept as snapshot" not in built and "Back to Reports" not in built
