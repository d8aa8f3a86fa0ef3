"""What each exchange page does when a save goes through, and when the service refuses it:
where it goes, what it says, and that a refused save leaves nothing behind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.exchange.models import ExchangeAgreement, ExchangeBatch, ExchangeParticipation


def _participant(xw, number: str, **overrides) -> dict[str, str]:
    return {"student_number": number, "given_name": "Lan", "family_name": "Tran",
            "sending_institution_id": str(xw.world.home.id),
            "receiving_institution_id": str(xw.partner_th.id), "study_area": "it",
            "level": "", "performance_result": "", **overrides}


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_participant_page_saves_and_shows_a_rule_error_next_to_the_field(as_role, xw, db):
    client = as_role("officer")
    url = f"/exchange/batches/{xw.batch.id}/participations/new"
    added = client.post(url, data=_participant(xw, "S-100"))
    p = db.session.scalar(select(ExchangeParticipation))
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/exchange/participations/{p.id}")
    again = client.post(url, data=_participant(xw, "s-100"))
    assert again.status_code == 200
    assert "This student is already in this batch." in again.get_data(as_text=True)
    assert _count(db, ExchangeParticipation) == 1


def test_participant_edit_page_saves_or_keeps_the_form(as_role, add_participation, xw, db):
    first, second = add_participation("S-1"), add_participation("S-2")
    client = as_role("officer")
    refused = client.post(f"/exchange/participations/{second.id}/edit",
                          data=_participant(xw, "S-1"))
    assert refused.status_code == 200
    assert "This student is already in this batch." in refused.get_data(as_text=True)
    saved = client.post(f"/exchange/participations/{first.id}/edit",
                        data=_participant(xw, "S-1", given_name="Mai"), follow_redirects=True)
    assert "Saved." in saved.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, first.id).given_name == "Mai"
    assert db.session.get(ExchangeParticipation, second.id).student_number == "S-2"


def test_batch_edit_page_refuses_a_taken_batch_number(as_role, xw, db):
    client = as_role("officer")
    client.post("/exchange/batches/new", data={"name": "Second", "year": "2022",
                                               "batch_number": "2", "mode": "virtual"})
    refused = client.post(f"/exchange/batches/{xw.batch.id}/edit", data={
        "name": "Renamed", "year": "2022", "batch_number": "2", "mode": "virtual"})
    assert refused.status_code == 200
    assert "Batch 2 of 2022 is already recorded; choose another number." in refused.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeBatch, xw.batch.id).name == "SEAMEO TVET Virtual Exchange"


def test_agreement_pages_save_or_show_the_error(as_role, xw, db):
    client = as_role("officer")
    terms = {"first_institution_id": str(xw.world.home.id),
             "second_institution_id": str(xw.world.home.id), "duration_days": "28",
             "places_first_to_second": "5", "places_second_to_first": "5", "status": "draft"}
    url = f"/exchange/batches/{xw.batch.id}/agreements/new"
    same = client.post(url, data=terms)
    assert same.status_code == 200
    assert "Choose two different institutions." in same.get_data(as_text=True)
    assert _count(db, ExchangeAgreement) == 0
    added = client.post(url, data={**terms, "second_institution_id": str(xw.partner_vn.id)})
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/exchange/batches/{xw.batch.id}")
    agreement = db.session.scalar(select(ExchangeAgreement))
    edit = f"/exchange/agreements/{agreement.id}/edit"
    unsigned = client.post(edit, data={**terms, "second_institution_id": str(xw.partner_vn.id),
                                       "status": "signed"})
    assert unsigned.status_code == 200
    assert "Enter the date the agreement was signed." in unsigned.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeAgreement, agreement.id).status == "draft"


def test_partner_page_shows_a_taken_code_next_to_the_field(as_role, xw, db):
    before = _count(db, AuditEntry)
    refused = as_role("officer").post("/exchange/partners/new", data={
        "code": "TH-POLY", "name": "Again", "country": "TH", "kind": "college"})
    assert refused.status_code == 200
    assert _count(db, AuditEntry) == before
    assert "TH-POLY" in refused.get_data(as_text=True)


def test_document_upload_without_a_file_says_so(as_role, xw, db):
    client = as_role("officer")
    client.post(f"/exchange/batches/{xw.batch.id}/agreements/new", data={
        "first_institution_id": str(xw.world.home.id),
        "second_institution_id": str(xw.partner_vn.id), "status": "draft"})
    agreement = db.session.scalar(select(ExchangeAgreement))
    response = client.post(f"/exchange/agreements/{agreement.id}/document", data={},
                           follow_redirects=True)
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_recognition_refused_before_completion_is_flashed(as_role, add_participation, db):
    p = add_participation("REC-2", "in_progress", hours=Decimal(45))
    response = as_role("officer").post(
        f"/exchange/participations/{p.id}/recognition",
        data={"recognised": "yes", "credits": "2", "decision_date": "2022-07-01"},
        follow_redirects=True)
    assert "Complete the exchange before recording credits." in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).credits_recognised is not True


def test_status_page_flashes_the_hours_a_completion_needs(as_role, add_participation, db):
    p = add_participation("S-H", "in_progress", hours=None)
    response = as_role("officer").post(f"/exchange/participations/{p.id}/status",
                                       data={"status": "completed"}, follow_redirects=True)
    assert "Record the hours before completing the exchange." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).status == "in_progress"


def test_status_page_flashes_when_the_exchange_has_not_ended(as_role, add_participation, db):
    p = add_participation("S-F", "in_progress", start_date=date(2022, 5, 16),
                          end_date=date(2099, 3, 1))
    response = as_role("officer").post(f"/exchange/participations/{p.id}/status",
                                       data={"status": "completed"}, follow_redirects=True)
    assert ("The exchange ends on 01 Mar 2099; mark it completed from then."
            in response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).status == "in_progress"


def test_credit_rule_page_says_what_to_enter_for_zero_hours(as_role, xw):
    """0 hours per credit said 'This field is required.' (a required number read 0 as empty)."""
    page = as_role("officer").post("/exchange/credit-rule", data={
        "hours_per_credit": "0", "rounding": "down"}).get_data(as_text=True)
    assert "This field is required." not in page
    assert "Enter hours per credit above 0 and at most 1000." in page
    empty = as_role("officer").post("/exchange/credit-rule", data={
        "hours_per_credit": "", "rounding": "down"}).get_data(as_text=True)
    assert "Enter the hours per credit." in empty


def test_participation_errors_say_what_to_do(xw):
    import pytest

    from app.core.errors import ValidationFailed
    from app.exchange import services

    home = xw.world.home
    with pytest.raises(ValidationFailed) as exc:
        services.create_participation(xw.batch, services.ParticipationData(
            student_number="", given_name="", sending_institution_id=home.id,
            receiving_institution_id=home.id, study_area="it", hours="5000",
            start_date=date(2022, 6, 1), end_date=date(2022, 5, 1)), actor=xw.officer)
    errors = exc.value.field_errors
    assert errors["student_number"] == ["Fill in the student number."]
    assert errors["given_name"] == ["Fill in the given name."]
    assert errors["receiving_institution_id"] == [
        "Choose a receiving institution other than the sending one."]
    assert errors["end_date"] == ["Enter an end date on or after the start date."]
    assert errors["hours"][0].startswith("Enter hours from 0 to ")


def test_add_to_batch_pages_start_with_our_institution_and_offer_a_new_partner(as_role, xw):
    client = as_role("officer")
    home = xw.world.home.id
    for path, ours in (("participations/new", "sending_institution_id"),
                       ("agreements/new", "first_institution_id")):
        url = f"/exchange/batches/{xw.batch.id}/{path}"
        page = client.get(url).get_data(as_text=True)
        picker = page.split(f'name="{ours}"', 1)[1].split("</select>", 1)[0]
        assert f'<option selected value="{home}">' in picker, path
        assert f"/exchange/partners/new?next={url}" in page.replace("%2F", "/"), path
