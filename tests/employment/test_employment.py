"""Employers and employment history: rules, who may change what, the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.core.timeline import timeline_for
from app.employment import services
from app.employment.models import Employer, Employment
from app.employment.services import EmploymentData, normalise_employer_name


def _job(**overrides) -> EmploymentData:
    values = {"status": "wage_employed", "employer_name": "Siam Robotics Co., Ltd.",
              "job_title": "Automation technician", "isco_group": "3", "hours": "full_time",
              "contract": "permanent", "start_date": date(2024, 9, 1), "relevance": "4",
              "income_amount": "18,500", "income_currency": "thb",
              "education_level": "same", "workplace_level": "national"}
    values.update(overrides)
    return EmploymentData(**values)


@pytest.mark.parametrize("name,expected", [
    ("PT. Astra International Tbk", "astra international"),
    ("Siam Robotics Co., Ltd.", "siam robotics"),
    ("Petronas Sdn. Bhd.", "petronas"),
    ("Công ty TNHH Điện Quang", "dien quang"),
    ("The Company", "the company"),  # nothing but legal words: keep them
])
def test_normalised_employer_names(name, expected):
    assert normalise_employer_name(name) == expected


def test_officer_records_a_job_and_employers_are_matched(db, world):
    officer = world.users["officer"]
    first = services.record_employment(world.alumnus, _job(), actor=officer)
    second = services.record_employment(world.second_alumnus,
                                        _job(employer_name="SIAM ROBOTICS CO LTD"),
                                        actor=officer)
    db.session.commit()
    assert first.employer_id == second.employer_id
    assert db.session.scalar(select(func.count(Employer.id))) == 1
    assert first.source == "officer" and first.income_currency == "THB"
    assert str(first.income_amount) == "18500.00" and first.relevance == 4
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "employment.create")) == 2


@pytest.mark.parametrize("overrides,field", [
    ({"status": "retired"}, "status"),
    ({"relevance": "7"}, "relevance"),
    ({"income_amount": "-5"}, "income_amount"),
    ({"income_currency": "baht"}, "income_currency"),
    ({"income_currency": ""}, "income_currency"),
    ({"start_date": date(2030, 1, 1)}, "start_date"),
    ({"end_date": date(2024, 1, 1)}, "end_date"),
    ({"employer_name": ""}, "employer_name"),
    ({"isco_group": "X"}, "isco_group"),
])
def test_bad_values_are_refused(db, world, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        services.record_employment(world.alumnus, _job(**overrides),
                                   actor=world.users["officer"])
    assert field in caught.value.field_errors


@pytest.mark.parametrize("typed", ["1e30", "1e400", "1000000000000", "999999999999.999"])
def test_an_income_too_large_to_store_is_refused_with_the_largest_accepted(db, world, typed):
    """1e30 crashed the rounding (a 500 on every form); 1e12 said 'a positive number'."""
    with pytest.raises(ValidationFailed) as caught:
        services.record_employment(world.alumnus, _job(income_amount=typed),
                                   actor=world.users["officer"])
    assert caught.value.field_errors["income_amount"] == [
        "Enter a monthly income of at most 999,999,999,999.99."]
    largest = services.record_employment(
        world.alumnus, _job(income_amount="999,999,999,999.99"), actor=world.users["officer"])
    db.session.commit()
    assert db.session.get(Employment, largest.id).income_amount == Decimal("999999999999.99")


@pytest.mark.parametrize("path", ["/me/jobs/new", "/alumni/{id}/jobs/new"])
def test_job_forms_show_the_largest_income_next_to_the_field(db, world, as_role, path):
    client = as_role("alumnus" if path.startswith("/me") else "officer")
    page = client.post(path.format(id=world.alumnus.id), data={
        "status": "wage_employed", "employer_name": "Grab Vietnam", "start_date": "2025-01-06",
        "income_amount": "1e30", "income_currency": "VND"})
    assert page.status_code == 200
    assert "at most 999,999,999,999.99" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Employment.id))) == 0


def test_date_errors_say_what_to_do(db, world):
    with pytest.raises(ValidationFailed) as caught:
        services.record_employment(world.alumnus, _job(start_date=date(2099, 1, 1)),
                                   actor=world.users["officer"])
    assert caught.value.field_errors["start_date"] == ["Enter a start date of today or earlier."]
    with pytest.raises(ValidationFailed) as caught:
        services.record_employment(world.alumnus, _job(end_date=date(2024, 1, 1)),
                                   actor=world.users["officer"])
    assert caught.value.field_errors["end_date"] == [
        "Enter an end date on or after the start date."]


def test_no_job_fields_for_people_without_a_job(db, world):
    record = services.record_employment(world.alumnus, _job(status="unemployed_seeking"),
                                        actor=world.users["officer"])
    assert record.employer_id is None and record.income_amount is None
    assert record.relevance is None


def test_quality_staff_and_other_institutions_change_nothing(db, world):
    with pytest.raises(PermissionDenied):
        services.record_employment(world.alumnus, _job(), actor=world.users["quality"])
    with pytest.raises(NotFound):
        services.record_employment(world.alumnus, _job(), actor=world.users["other_officer"])


def test_alumnus_keeps_own_history_only(db, world):
    me = world.users["alumnus"]
    mine = services.record_employment(world.alumnus, _job(verified=True), actor=me)
    assert mine.source == "self" and mine.verified is False
    with pytest.raises(PermissionDenied):
        services.record_employment(world.second_alumnus, _job(), actor=me)


def test_timeline_and_engagement_list_jobs_the_alumnus_reported(db, world):
    services.record_employment(world.alumnus, _job(), actor=world.users["alumnus"])
    services.record_employment(world.alumnus, _job(job_title="Recorded by the office"),
                               actor=world.users["officer"])
    db.session.commit()
    from flask import current_app

    with current_app.test_request_context():
        items = [i for i in timeline_for(world.alumnus) if i.kind == "employment"]
    assert [i.title for i in items] == [
        "Reported a job: Automation technician at Siam Robotics Co., Ltd."]
    assert items[0].url.startswith("/jobs/")
    # reports and background jobs read timelines outside a request: the item, no link
    outside = [i for i in timeline_for(world.alumnus) if i.kind == "employment"]
    assert [(i.title, i.url) for i in outside] == [(items[0].title, None)]
    today = date.today()
    engaged = services.engaged_reporting(world.home.id, today.replace(day=1), today)
    assert engaged == [(world.alumnus.id, today)]
    assert services.engaged_reporting(world.other.id, today.replace(day=1), today) == []


def test_staff_panel_and_officer_pages(db, world, as_role):
    officer = as_role("officer")
    added = officer.post(f"/alumni/{world.alumnus.id}/jobs/new", data={
        "status": "self_employed", "employer_name": "Noi's Bakery", "job_title": "Owner",
        "start_date": "2024-07-01", "relevance": "3", "verified": "y"})
    assert added.status_code == 302
    record = db.session.scalar(select(Employment))
    assert record.status == "self_employed" and record.verified is True
    detail = officer.get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Employment history" in detail and "Noi&#39;s Bakery" in detail
    assert f"/jobs/{record.id}/edit" in detail

    bad = officer.post(f"/jobs/{record.id}/edit", data={"status": "self_employed",
                                                        "relevance": "12"})
    assert bad.status_code == 200 and "Choose one of the listed options." in bad.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Employment, record.id).relevance == 3

    quality = as_role("quality").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Noi&#39;s Bakery" in quality and "Add a record" not in quality


def test_self_service_pages(db, world, as_role):
    client = as_role("alumnus")
    assert client.get("/me/jobs").status_code == 200
    created = client.post("/me/jobs/new", data={
        "status": "wage_employed", "employer_name": "Grab Vietnam", "job_title": "Analyst",
        "start_date": "2025-01-06", "income_amount": "15000000", "income_currency": "VND",
        "verified": "y"})
    assert created.status_code == 302
    job = db.session.scalar(select(Employment))
    assert job.source == "self" and job.verified is False and job.alumnus_id == world.alumnus.id
    assert "Grab Vietnam" in client.get("/me").get_data(as_text=True)
    edited = client.post(f"/me/jobs/{job.id}/edit", data={
        "status": "wage_employed", "employer_name": "Grab Vietnam", "job_title": "Lead analyst",
        "start_date": "2025-01-06"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employment, job.id).job_title == "Lead analyst"

    other = services.record_employment(world.second_alumnus, _job(),
                                       actor=world.users["officer"])
    db.session.commit()
    assert client.get(f"/me/jobs/{other.id}/edit").status_code == 404
    assert client.post(f"/me/jobs/{job.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(Employment.id))) == 1


def test_employer_pages(db, world, as_role):
    officer = as_role("officer")
    made = officer.post("/employers/new", data={"name": "Petronas Sdn Bhd", "country": "MY",
                                                "isic_section": "B",
                                                "contact_email": "hr@petronas.example"})
    assert made.status_code == 302
    again = officer.post("/employers/new", data={"name": "PETRONAS SDN. BHD."})
    assert "already in the list" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Employer.id))) == 1
    listing = officer.get("/employers/?q=petronas").get_data(as_text=True)
    assert "Petronas Sdn Bhd" in listing
    assert as_role("other_officer").get("/employers/?q=petronas").get_data(
        as_text=True).count("Petronas Sdn Bhd") == 0


def test_admin_adds_an_employer_to_the_chosen_or_the_home_institution(db, world, as_role):
    admin = as_role("admin")
    assert admin.post(f"/employers/new?institution={world.other.id}",
                      data={"name": "Vina Foods"}).status_code == 302
    assert admin.post("/employers/new", data={"name": "Vina Foods"}).status_code == 302
    assert sorted(db.session.scalars(select(Employer.institution_id))) == sorted(
        [world.other.id, world.home.id])
    # no such institution: 404, nothing written
    assert admin.post(f"/employers/new?institution={world.other.id + 100}",
                      data={"name": "Ghost Ltd"}).status_code == 404
    assert db.session.scalar(select(func.count(Employer.id))) == 2


def test_employer_entries_keep_the_record_and_what_changed(db, world):
    officer = world.users["officer"]
    employer = services.create_employer(services.EmployerData(
        name="Petronas Sdn Bhd", country="my", contact_email="hr@petronas.example"),
        institution_id=world.home.id, actor=officer)
    services.update_employer(employer, services.EmployerData(
        name="Petronas Dagangan Bhd", country="MY", contact_email="hr@petronas.example"),
        actor=officer)
    db.session.commit()
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "Employer", AuditEntry.entity_id == str(employer.id)))}
    created, updated = entries["employer.create"], entries["employer.update"]
    assert created.before is None
    assert set(created.after) == {c.key for c in Employer.__mapper__.column_attrs}
    assert (created.after["name"], created.after["normalised_name"], created.after["country"],
            created.after["institution_id"]) == ("Petronas Sdn Bhd", "petronas", "MY",
                                                 world.home.id)
    changed = {k: (updated.before[k], updated.after[k]) for k in updated.after
               if k != "updated_at"}
    assert changed == {"name": ("Petronas Sdn Bhd", "Petronas Dagangan Bhd"),
                       "normalised_name": ("petronas", "petronas dagangan")}
    assert "updated_at" in updated.after and updated.actor_id == officer.id


def test_employer_search_matches_an_underscore_as_itself(db, world):
    officer = world.users["officer"]
    for name in ("Petronas Sdn Bhd", "Vina Foods"):
        services.create_employer(services.EmployerData(name=name),
                                 institution_id=world.home.id, actor=officer)
    db.session.commit()

    def found(q: str) -> list[str]:
        return [e.name for e in db.session.scalars(services.employer_list(officer, q))]

    assert found("petronas") == ["Petronas Sdn Bhd"]
    assert found("_") == [] and found("vina_foods") == []
