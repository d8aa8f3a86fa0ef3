"""The alumnus's "My data" page (one-click withdrawal and objection, corrections' status,
the erasure request) and the office's queue with deadlines and overdue requests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.alumni.models import Alumnus, Consent, Institution
from app.alumni.privacy import record_consent, request_correction, resolve_correction
from app.core.db import today
from app.extensions import db as _db
from app.privacy.models import RightsRequest


def _consents(alumnus_id, purpose):
    return [c.granted for c in _db.session.scalars(select(Consent).where(
        Consent.alumnus_id == alumnus_id, Consent.purpose == purpose).order_by(Consent.id))]


def test_withdraw_and_object_in_one_click_each(db, world, as_role):
    me, user = world.alumnus, world.users["alumnus"]
    record_consent(me, "contact", True, method="self_service", actor=user)
    db.session.commit()
    client = as_role("alumnus")
    page = client.get("/me/data").get_data(as_text=True)
    assert "Withdraw my consent" in page and "Object" in page
    assert client.post("/me/data/withdraw/contact").status_code == 302
    assert client.post("/me/data/withdraw/tracer").status_code == 302  # never asked: object
    _db.session.expire_all()
    assert _consents(me.id, "contact") == [True, False]
    assert _consents(me.id, "tracer") == [False]
    again = client.post("/me/data/withdraw/tracer", follow_redirects=True)
    assert "already" in again.get_data(as_text=True)
    assert _consents(me.id, "tracer") == [False]
    assert client.post("/me/data/withdraw/nonsense").status_code == 404


def test_the_alumnus_sees_their_corrections_status(db, world, as_role):
    me, user = world.alumnus, world.users["alumnus"]
    done = request_correction(me, "given_name", "Spell it Siti", actor=user)
    request_correction(me, "cohort_year", "I graduated in 2023", actor=user)
    resolve_correction(done, "Name corrected", actor=world.users["officer"])
    db.session.commit()
    page = as_role("alumnus").get("/me/data").get_data(as_text=True)
    assert "With the office" in page and "Name corrected" in page


def test_an_erasure_request_goes_to_the_queue_with_its_deadline(db, world, as_role):
    world.home.rights_deadline_days = 14
    db.session.commit()
    client = as_role("alumnus")
    too_long = client.post("/me/data/erase", data={"reason": "x" * 2001})
    assert too_long.status_code == 200
    assert "2000" in too_long.get_data(as_text=True) or "2,000" in too_long.get_data(
        as_text=True)
    assert not _db.session.scalar(select(RightsRequest.id))
    sent = client.post("/me/data/erase", data={"reason": "I moved abroad"},
                       follow_redirects=True)
    assert "With the office" in sent.get_data(as_text=True)
    req = _db.session.scalar(select(RightsRequest))
    assert req.kind == "erasure" and req.due_on == today() + timedelta(days=14)

    queue = as_role("officer").get("/privacy/requests").get_data(as_text=True)
    assert "Erase my data" in queue and "I moved abroad" in queue and "Overdue" not in queue
    req.due_on = today() - timedelta(days=1)
    db.session.commit()
    queue = as_role("officer").get("/privacy/requests").get_data(as_text=True)
    assert "Overdue" in queue
    assert as_role("other_officer").get("/privacy/requests").get_data(
        as_text=True).count("I moved abroad") == 0
    assert as_role("quality").post(f"/privacy/requests/{req.id}/erase").status_code == 403
    assert as_role("other_officer").post(f"/privacy/requests/{req.id}/erase").status_code == 404

    as_role("officer").post(f"/privacy/requests/{req.id}/erase")
    _db.session.expire_all()
    assert _db.session.get(Alumnus, world.alumnus.id).erased_at is not None
    assert _db.session.get(RightsRequest, req.id).status == "done"


def test_the_office_refuses_with_a_reason(db, world, as_role):
    as_role("alumnus").post("/me/data/erase", data={"reason": ""})
    req = _db.session.scalar(select(RightsRequest))
    officer = as_role("officer")
    officer.post(f"/privacy/requests/{req.id}/refuse", data={"note": ""})
    _db.session.expire_all()
    assert _db.session.get(RightsRequest, req.id).status == "open"
    officer.post(f"/privacy/requests/{req.id}/refuse",
                 data={"note": "We must keep your record for the accreditation audit."})
    _db.session.expire_all()
    assert _db.session.get(RightsRequest, req.id).status == "refused"
    page = as_role("alumnus").get("/me/data").get_data(as_text=True)
    assert "Refused" in page and "accreditation audit" in page


def test_the_deadline_is_set_on_the_institution_page(db, world, as_role):
    admin = as_role("admin")
    url = f"/admin/institutions/{world.home.id}/edit"
    form = {"code": "HOME", "name": "Home Polytechnic", "country": "MY", "kind": "college",
            "time_zone": "", "is_home": "y"}
    bad = admin.post(url, data={**form, "rights_deadline_days": "120"})
    assert "From 1 to 90 days" in bad.get_data(as_text=True)
    admin.post(url, data={**form, "rights_deadline_days": "21"})
    _db.session.expire_all()
    assert _db.session.get(Institution, world.home.id).rights_deadline_days == 21
    assert "within 21 days" in admin.get(f"/admin/institutions/{world.home.id}").get_data(
        as_text=True)


def test_a_copy_whose_job_failed_is_made_again_by_the_office(db, world, as_role):
    from app.core.jobs import Job, wait_for_idle

    client = as_role("alumnus")
    client.post("/me/data/copy")
    wait_for_idle()
    req = _db.session.scalar(select(RightsRequest))
    # as if the worker had failed: the request stays open
    req.status, req.file_name, req.closed_at = "open", None, None
    _db.session.get(Job, req.job_id).status = "failed"
    db.session.commit()
    officer = as_role("officer")
    assert "Make the copy again" in officer.get("/privacy/requests").get_data(as_text=True)
    assert as_role("quality").post(f"/privacy/requests/{req.id}/retry").status_code == 403
    officer.post(f"/privacy/requests/{req.id}/retry")
    wait_for_idle()
    _db.session.expire_all()
    again = _db.session.get(RightsRequest, req.id)
    assert again.status == "done" and again.file_name
    page = client.get(f"/me/data/copies/{req.id}").get_data(as_text=True)
    assert "Download my data (zip)" in page
