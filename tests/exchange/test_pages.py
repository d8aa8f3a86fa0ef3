"""Exchange pages: who may open them, and what a page does to the database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.core.permissions import PUBLIC
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from tests.test_page_access import ROLES, _effective_role, _routes, _url


@pytest.mark.parametrize("role", ROLES)
def test_every_exchange_page_as_every_role(app, world, as_role, role):
    """The site-wide access test, limited to this feature's pages (runs even when another
    feature's URL parameters are not registered yet)."""
    client = as_role(role)
    failures, checked = [], 0
    for rule, view in _routes(app, "GET"):
        if not rule.endpoint.startswith("exchange."):
            continue
        url, owned = _url(app, rule, world)
        status = client.get(url).status_code
        checked += 1
        allowed = view.allowed_roles
        assert allowed != PUBLIC
        if role == "anonymous":
            ok = status == 302
        elif _effective_role(role) not in allowed:
            ok = status == 403
        elif role == "other_officer" and owned:
            ok = status == 404
        else:
            ok = status in (200, 302)
        if not ok:
            failures.append(f"{rule.endpoint} {url}: {status}")
    assert checked >= 15
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["alumnus", "quality"])
def test_exchange_writes_refused(app, world, as_role, role):
    client = as_role(role)
    for rule, view in _routes(app, "POST"):
        if rule.endpoint.startswith("exchange.") and role not in view.allowed_roles:
            url, _ = _url(app, rule, world)
            assert client.post(url, data={}).status_code == 403, rule.endpoint


def test_officer_adds_a_batch_from_the_page(as_role, db):
    response = as_role("officer").post("/exchange/batches/new", data={
        "name": "SEAMEO TVET Exchange", "year": "2019", "batch_number": "3",
        "mode": "physical", "window_start": "2019-07-01", "window_end": "2019-09-30"})
    assert response.status_code == 302
    batch = db.session.scalar(select(ExchangeBatch))
    assert (batch.year, batch.batch_number, batch.mode) == (2019, 3, "physical")


def test_admin_adds_a_batch_to_the_chosen_or_the_home_institution(as_role, world, db):
    admin = as_role("admin")
    data = {"name": "SEAMEO TVET Exchange", "year": "2019", "batch_number": "3",
            "mode": "physical"}
    assert admin.post(f"/exchange/batches/new?institution={world.other.id}",
                      data=data).status_code == 302
    assert admin.post("/exchange/batches/new", data=data).status_code == 302
    assert sorted(db.session.scalars(select(ExchangeBatch.institution_id))) == sorted(
        [world.other.id, world.home.id])
    # no such institution: 404, nothing written
    assert admin.post(f"/exchange/batches/new?institution={world.other.id + 100}",
                      data=data).status_code == 404
    assert len(db.session.scalars(select(ExchangeBatch.id)).all()) == 2


def test_admin_sets_the_credit_rule_of_the_chosen_or_the_home_institution(as_role, world, db):
    from app.exchange.services import rule_for

    admin = as_role("admin")
    chosen = admin.post(f"/exchange/credit-rule?institution={world.other.id}",
                        data={"hours_per_credit": "30", "rounding": "up"})
    assert chosen.headers["Location"].endswith(
        f"/exchange/credit-rule?institution={world.other.id}")
    assert admin.post("/exchange/credit-rule", data={"hours_per_credit": "45",
                                                     "rounding": "up"}).status_code == 302
    assert (rule_for(world.other.id).hours_per_credit,
            rule_for(world.home.id).hours_per_credit) == (30, 45)
    assert admin.get(f"/exchange/credit-rule?institution={world.other.id + 100}"
                     ).status_code == 404


def test_batch_page_shows_a_rule_error_next_to_the_field(as_role, xw):
    response = as_role("officer").post("/exchange/batches/new", data={
        "name": "Again", "year": "2022", "batch_number": "1", "mode": "virtual"})
    assert response.status_code == 200
    assert "Batch 1 of 2022 is already recorded; choose another number." in response.get_data(
        as_text=True)


def test_status_page_refuses_a_skipped_step(as_role, add_participation, db):
    p = add_participation("S1")
    client = as_role("officer")
    response = client.post(f"/exchange/participations/{p.id}/status",
                           data={"status": "completed"}, follow_redirects=True)
    assert "cannot become completed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).status == "nominated"
    client.post(f"/exchange/participations/{p.id}/status", data={"status": "accepted"})
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).status == "accepted"


def test_officer_adds_a_partner_institution(as_role, db):
    from app.alumni.models import Institution
    from app.core.audit import AuditEntry

    response = as_role("officer").post("/exchange/partners/new", data={
        "code": "ph-tesda", "name": "Manila Technical Institute", "country": "PH",
        "kind": "institute"})
    assert response.status_code == 302
    inst = db.session.scalar(select(Institution).where(Institution.code == "PH-TESDA"))
    assert inst is not None and inst.is_home is False and inst.country == "PH"
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "institution.add_partner")) is not None


def test_agreement_document_upload_and_download(as_role, xw, db):
    from app.exchange import services

    agreement = services.create_agreement(xw.batch, services.AgreementData(
        first_institution_id=xw.world.home.id, second_institution_id=xw.partner_th.id,
        duration_days=28, hours_per_day="4", places_first_to_second=5,
        places_second_to_first=5, status="signed", signed_date=date(2022, 4, 1)),
        actor=xw.officer)
    db.session.commit()
    from io import BytesIO

    client = as_role("officer")
    pdf = b"%PDF-1.4\n% agreement\n"
    client.post(f"/exchange/agreements/{agreement.id}/document",
                data={"document": (BytesIO(pdf), "mou.pdf", "application/pdf")},
                content_type="multipart/form-data")
    fake = client.post(f"/exchange/agreements/{agreement.id}/document",
                       data={"document": (BytesIO(b"MZ\x90\x00"), "x.pdf", "application/pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "does not match its type" in fake.get_data(as_text=True)
    download = as_role("quality").get(f"/exchange/agreements/{agreement.id}/document")
    assert download.status_code == 200
    assert download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"


def test_credit_rule_and_recognition_pages(as_role, add_participation, xw, db):
    from decimal import Decimal

    from app.exchange.services import rule_for

    client = as_role("officer")
    bad = client.post("/exchange/credit-rule", data={"hours_per_credit": "", "rounding": "up"})
    assert bad.status_code == 200 and rule_for(xw.world.home.id) is None
    saved = client.post("/exchange/credit-rule", data={"hours_per_credit": "30",
                                                       "rounding": "up", "max_credits": "2"})
    assert saved.status_code == 302
    assert rule_for(xw.world.home.id).hours_per_credit == Decimal("30")
    p = add_participation("REC-1", "completed", hours=Decimal(45))
    client.post(f"/exchange/participations/{p.id}/recognition",
                data={"recognised": "yes", "credits": "", "decision_date": "2022-07-01"})
    db.session.expire_all()
    p = db.session.get(ExchangeParticipation, p.id)
    assert (p.credits_recognised, p.credits) == (True, Decimal(2))  # 45 / 30 = 1.5, up: 2
    page = client.get(f"/exchange/participations/{p.id}").get_data(as_text=True)
    assert "Recognised: 2 credits" in page  # Babel's number: 2, not 2.0


def test_partner_form_returns_only_within_the_site(as_role):
    client = as_role("officer")
    inside = client.post("/exchange/partners/new?next=/exchange/batches/1/agreements/new",
                         data={"code": "A1", "name": "A", "country": "TH", "kind": "college"})
    assert inside.headers["Location"].endswith("/exchange/batches/1/agreements/new")
    outside = client.post("/exchange/partners/new?next=//evil.example/x",
                          data={"code": "A2", "name": "B", "country": "TH", "kind": "college"})
    assert outside.headers["Location"].endswith("/exchange/partners")
