"""The office's queue of privacy requests in every language: the counts, an open erasure
request with the alumnus's note, an overdue one, a refused one with its reason, an erased
record's, a copy whose job failed; the buttons, the flash messages and every refusal, as an
officer (who acts) and as quality staff (who read). No English text of the catalogue is left
on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.alumni.privacy import request_correction
from app.core.db import today
from app.core.i18n import LANGUAGES
from app.core.jobs import Job
from app.extensions import db
from app.privacy.models import RightsRequest
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
SHORT = (">Overdue<", ">Erase now<", ">Refuse<", "Erase my data", "Copy of my data",
         ">Open requests<", ">Asked<")


def _request(world, alumnus, kind, *, status="open", due=7, note=None, job=None):
    req = RightsRequest(alumnus_id=alumnus.id, institution_id=world.home.id, kind=kind,
                        status=status, due_on=today() + timedelta(days=due), note=note,
                        job_id=job.id if job else None)
    db.session.add(req)
    return req


def _queue(world, make_alumnus):
    """Open erasure (with a note), overdue erasure, refused erasure, an erased record's done
    request, and a copy whose job failed."""
    erased = make_alumnus(world.home, programme_id=world.programme.id)
    failed_job = Job(kind="privacy_download", handler="app.privacy.export:make_copy",
                     status="failed", error="disk full", institution_id=world.home.id)
    db.session.add(failed_job)
    db.session.flush()
    open_one = _request(world, world.alumnus, "erasure", note="I moved abroad")
    overdue = _request(world, world.second_alumnus, "erasure", due=-3)
    _request(world, world.second_alumnus, "erasure", status="refused",
             note="We must keep it for the accreditation audit.")
    _request(world, erased, "erasure", status="done")
    erased.erased_at = erased.created_at
    copy = _request(world, world.alumnus, "download", job=failed_job)
    request_correction(world.alumnus, "given_name", "Spell it Siti",
                       actor=world.users["alumnus"])
    db.session.commit()
    return open_one, overdue, copy


def _signed_in(app, world, role, language):
    user = world.users[role]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def _check(pages, language, english):
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        for word in SHORT:
            assert word not in html, (name, word)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_privacy_queue_leaves_no_english(app, world, make_alumnus, language):
    open_one, overdue, copy = _queue(world, make_alumnus)
    english = _english_words(language)
    quality = _signed_in(app, world, "quality", language)
    officer = _signed_in(app, world, "officer", language)
    base = "/privacy/requests"
    pages = {
        "quality, open": quality.get(base),
        "quality, all": quality.get(f"{base}?show=all"),
        "officer, open": officer.get(base),
        "officer, all": officer.get(f"{base}?show=all"),
        "refuse without a reason": officer.post(f"{base}/{open_one.id}/refuse",
                                                data={"note": ""}, follow_redirects=True),
        "refuse too short": officer.post(f"{base}/{open_one.id}/refuse", data={"note": "no"},
                                         follow_redirects=True),
        "copy of an erasure": officer.post(f"{base}/{open_one.id}/retry",
                                           follow_redirects=True),
        "copy again": officer.post(f"{base}/{copy.id}/retry", follow_redirects=True),
        "refused": officer.post(f"{base}/{open_one.id}/refuse", follow_redirects=True,
                                data={"note": "We must keep your record for the audit."}),
        "already closed": officer.post(f"{base}/{open_one.id}/refuse", follow_redirects=True,
                                       data={"note": "We must keep your record."}),
        "erase a closed one": officer.post(f"{base}/{open_one.id}/erase",
                                           follow_redirects=True),
        "erased": officer.post(f"{base}/{overdue.id}/erase", follow_redirects=True),
    }
    _check(pages, language, english)
    for name in ("refuse without a reason", "refuse too short", "copy of an erasure",
                 "already closed", "erase a closed one"):
        assert "alert-warning" in pages[name].get_data(as_text=True), name
    for name in ("copy again", "refused", "erased"):
        assert "alert-success" in pages[name].get_data(as_text=True), name
    read_only = pages["quality, open"].get_data(as_text=True)
    assert "I moved abroad" in read_only and "/erase" not in read_only
    assert "table-danger" in pages["officer, open"].get_data(as_text=True)
