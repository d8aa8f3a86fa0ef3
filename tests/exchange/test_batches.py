"""Batches, partner institutions, agreements and agreement documents."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.exchange import services
from app.exchange.services import AgreementData, BatchData, PartnerData


def test_batch_rules(world, db):
    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as exc:
        services.create_batch(BatchData(name="", year=1990, mode="teleport",
                                        window_start=date(2022, 6, 1),
                                        window_end=date(2022, 5, 1)), actor=officer)
    assert set(exc.value.field_errors) == {"name", "year", "mode", "window_end"}
    batch = services.create_batch(BatchData(name="Virtual", year=2022, mode="virtual"),
                                  actor=officer)
    assert batch.institution_id == world.home.id
    with pytest.raises(PermissionDenied):
        services.create_batch(BatchData(name="X", year=2022, mode="virtual"),
                              actor=world.users["quality"])
    with pytest.raises(PermissionDenied):
        services.create_batch(BatchData(name="X", year=2023, mode="virtual"), actor=officer,
                              institution_id=world.other.id)


def test_batch_institution_of_an_administrator(world, db):
    admin = world.users["admin"]
    data = BatchData(name="Virtual", year=2022, mode="virtual")
    chosen = services.create_batch(data, actor=admin, institution_id=world.other.id)
    home = services.create_batch(data, actor=admin)
    assert (chosen.institution_id, home.institution_id) == (world.other.id, world.home.id)
    with pytest.raises(NotFound):
        services.create_batch(BatchData(name="X", year=2023, mode="virtual"), actor=admin,
                              institution_id=world.other.id + 100)
    world.home.is_home = False
    with pytest.raises(ValidationFailed) as exc:
        services.create_batch(BatchData(name="X", year=2024, mode="virtual"), actor=admin)
    assert exc.value.field_errors["institution_id"] == ["There is no home institution yet."]


def test_partner_rules(world, db):
    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as exc:
        services.add_partner_institution(PartnerData(code="HOME", name="", country="XX",
                                                     kind="castle"), actor=officer)
    assert set(exc.value.field_errors) == {"code", "name", "country", "kind"}
    partner = services.add_partner_institution(
        PartnerData(code="pnj-id", name="Politeknik Negeri Jakarta", country="id",
                    kind="polytechnic"), actor=officer)
    assert (partner.code, partner.country, partner.is_home) == ("PNJ-ID", "ID", False)
    assert partner in services.partner_institutions(officer)
    assert world.home not in services.partner_institutions(officer)


def test_agreement_rules(xw, db):
    officer, home, th, vn = xw.officer, xw.world.home, xw.partner_th, xw.partner_vn
    with pytest.raises(ValidationFailed) as exc:
        services.create_agreement(xw.batch, AgreementData(
            first_institution_id=th.id, second_institution_id=vn.id, hours_per_day="30",
            status="signed"), actor=officer)
    assert set(exc.value.field_errors) == {"first_institution_id", "hours_per_day",
                                           "signed_date"}
    with pytest.raises(ValidationFailed):
        services.create_agreement(xw.batch, AgreementData(
            first_institution_id=home.id, second_institution_id=home.id), actor=officer)
    agreement = services.create_agreement(xw.batch, AgreementData(
        first_institution_id=home.id, second_institution_id=vn.id, duration_days=21,
        hours_per_day="3.5", places_first_to_second=4, places_second_to_first=2,
        status="signed", signed_date=date(2022, 4, 1)), actor=officer)
    assert agreement.label == "HOME ⇄ VN-COLL"
    updated = services.update_agreement(agreement, AgreementData(
        first_institution_id=home.id, second_institution_id=vn.id, status="cancelled"),
        actor=officer)
    assert updated.status == "cancelled"


def test_agreement_document_checks(xw, db):
    agreement = services.create_agreement(xw.batch, AgreementData(
        first_institution_id=xw.world.home.id, second_institution_id=xw.partner_th.id),
        actor=xw.officer)

    def attach(name, content_type, content):
        return services.attach_agreement_document(agreement, name, content_type, content,
                                                  actor=xw.officer)

    with pytest.raises(ValidationFailed) as exc:
        attach("x.exe", "application/x-msdownload", b"MZ\x90")
    assert "PDF" in exc.value.field_errors["document"][0]
    with pytest.raises(ValidationFailed) as exc:
        attach("big.pdf", "application/pdf", b"%PDF-" + b"0" * services.MAX_DOCUMENT_BYTES)
    assert "5 MB" in exc.value.field_errors["document"][0]
    with pytest.raises(ValidationFailed):
        attach("empty.pdf", "application/pdf", b"")
    doc = attach("../../MOU 2022.pdf", "application/pdf", b"%PDF-1.7 signed")
    assert doc.filename == ".._.._MOU 2022.pdf" and doc.size == 15
    png = attach("scan.png", "image/png", b"\x89PNG\r\n\x1a\n....")
    assert png.id == doc.id and png.content_type == "image/png"  # replaced, not added
    with pytest.raises(PermissionDenied):
        services.attach_agreement_document(agreement, "a.pdf", "application/pdf", b"%PDF-",
                                           actor=xw.world.users["quality"])
