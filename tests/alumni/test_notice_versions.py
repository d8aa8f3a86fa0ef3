"""Privacy notice versions: each consent records the version shown; a new version asks
signed-in alumni to review their choices until they confirm them."""

from __future__ import annotations

from app.alumni.models import CONSENT_PURPOSES, CURRENT_NOTICE_VERSION, Consent, PrivacyNotice
from app.alumni.privacy import record_consent
from app.extensions import db

NOTICE = "We keep your details to run the alumni network. You may withdraw any consent."


def _consents(alumnus):
    return db.session.scalars(db.select(Consent).where(Consent.alumnus_id == alumnus.id)
                              .order_by(Consent.id)).all()


def test_consent_records_the_version_in_force(world, as_role):
    record_consent(world.alumnus, "contact", True, method="officer",
                   actor=world.users["officer"])
    db.session.commit()
    assert _consents(world.alumnus)[-1].notice_version == CURRENT_NOTICE_VERSION
    admin = as_role("admin")
    response = admin.post("/admin/privacy-notice", data={"version": "2027-01", "text": NOTICE})
    assert response.status_code == 302
    record_consent(world.alumnus, "tracer", True, method="officer",
                   actor=world.users["officer"])
    db.session.commit()
    assert _consents(world.alumnus)[-1].notice_version == "2027-01"


def test_new_version_asks_alumni_to_review_until_they_confirm(world, as_role):
    alumnus_client = as_role("alumnus")
    alumnus_client.post("/me/privacy", data={"consent_contact": "y"})
    assert "privacy-review" not in alumnus_client.get("/me").get_data(as_text=True)
    before = len(_consents(world.alumnus))

    as_role("admin").post("/admin/privacy-notice", data={"version": "2027-01", "text": NOTICE})
    me = alumnus_client.get("/me").get_data(as_text=True)
    assert "privacy-review" in me and "Review your choices" in me
    page = alumnus_client.get("/me/privacy").get_data(as_text=True)
    assert NOTICE in page and "Confirm my choices" in page
    # officers are never asked
    assert "privacy-review" not in as_role("officer").get("/dashboard").get_data(as_text=True)

    # confirming without changing anything records each choice under the new version
    alumnus_client.post("/me/privacy", data={"consent_contact": "y"})
    confirmed = _consents(world.alumnus)[before:]
    assert {c.purpose for c in confirmed} == set(CONSENT_PURPOSES)
    assert {c.notice_version for c in confirmed} == {"2027-01"}
    assert {c.purpose: c.granted for c in confirmed}["contact"] is True
    assert "privacy-review" not in alumnus_client.get("/me").get_data(as_text=True)


def test_publishing_checks_and_is_for_administrators(world, as_role):
    admin = as_role("admin")
    admin.post("/admin/privacy-notice", data={"version": "2027-01", "text": NOTICE})
    again = admin.post("/admin/privacy-notice", data={"version": "2027-01", "text": NOTICE})
    assert again.status_code == 200 and "exists already" in again.get_data(as_text=True)
    short = admin.post("/admin/privacy-notice", data={"version": "2027-02", "text": "short"})
    assert "Write the notice" in short.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PrivacyNotice.id))) == 1
    assert as_role("officer").post("/admin/privacy-notice",
                                   data={"version": "x", "text": NOTICE}).status_code == 403
