"""The breach log: each jurisdiction's clock, notifications settling it, closing with lessons,
and overdue clocks on the administrator's landing page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.breaches import services
from app.breaches.models import Breach, BreachNotification
from app.breaches.rules import RULES
from app.core.db import as_utc, utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.extensions import db


def _data(**overrides):
    values = {"title": "Laptop lost", "what_happened": "A laptop with the register was stolen.",
              "discovered_at": utcnow() - timedelta(hours=10), "data_affected": "Names, phones",
              "people_affected": 120, "countries": ["MY"]}
    values.update(overrides)
    return services.BreachData(**values)


def test_the_six_countries_have_a_rule():
    assert set(RULES) == {"MY", "SG", "PH", "TH", "ID", "VN"}
    for rule in RULES.values():
        assert rule.law and rule.authority and rule.starts in ("discovery", "assessment")
        assert rule.hours is None or rule.hours > 0


def test_each_clock_is_due_by_its_country_rule(world):
    admin = world.users["admin"]
    found = utcnow() - timedelta(hours=10)
    assessed = found + timedelta(hours=5)
    breach = services.record_breach(
        _data(discovered_at=found, assessed_at=assessed, countries=list(RULES)), actor=admin)
    db.session.commit()
    clocks = {j.country: as_utc(j.due_at) for j in breach.jurisdictions}
    assert set(clocks) == set(RULES)
    for country, rule in RULES.items():
        start = assessed if rule.starts == "assessment" else found
        assert clocks[country] == start + timedelta(hours=rule.hours), country
    assert clocks["SG"] != clocks["MY"]  # Singapore counts from the assessment


def test_overdue_clock_until_the_authority_is_told(world, as_role):
    admin = world.users["admin"]
    breach = services.record_breach(
        _data(discovered_at=utcnow() - timedelta(hours=80), countries=["MY", "TH"]), actor=admin)
    db.session.commit()
    assert {c.country for c in services.overdue_clocks()} == {"MY", "TH"}
    page = as_role("admin").get("/dashboard").get_data(as_text=True)
    assert "Breach notifications overdue" in page
    assert "Personal Data Protection Commissioner" in page
    assert "Breach notifications overdue" not in as_role("officer").get("/dashboard").get_data(
        as_text=True)

    services.record_notification(breach, services.NotificationData(
        recipient_kind="authority", country="MY", recipient="PDP Commissioner, Putrajaya",
        notified_at=utcnow() - timedelta(hours=1)), actor=admin)
    services.record_notification(breach, services.NotificationData(
        recipient_kind="no_notice", country="TH", recipient="DPO",
        notified_at=utcnow(), note="Encrypted disk: no risk to the people (s. 37(4))."),
        actor=admin)
    db.session.commit()
    assert services.overdue_clocks() == []
    assert "Breach notifications overdue" not in as_role("admin").get("/dashboard").get_data(
        as_text=True)


def test_a_running_clock_is_not_overdue(world):
    services.record_breach(_data(discovered_at=utcnow() - timedelta(hours=71)),
                           actor=world.users["admin"])
    db.session.commit()
    assert services.overdue_clocks() == []
    assert len(services.overdue_clocks(utcnow() + timedelta(hours=2))) == 1


@pytest.mark.parametrize("overrides, field", [
    ({"discovered_at": utcnow() + timedelta(days=1)}, "discovered_at"),
    ({"discovered_at": None}, "discovered_at"),
    ({"countries": []}, "countries"),
    ({"countries": ["FR"]}, "countries"),
    ({"occurred_at": utcnow()}, "occurred_at"),
    ({"title": " "}, "title"),
    ({"people_affected": -1}, "people_affected"),
])
def test_bad_breach_is_refused_whole(world, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        services.record_breach(_data(**overrides), actor=world.users["admin"])
    assert field in exc.value.field_errors
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Breach.id))) == 0


def test_only_administrators(world):
    with pytest.raises(PermissionDenied):
        services.record_breach(_data(), actor=world.users["officer"])


def test_closing_needs_settled_clocks_and_lessons(world):
    admin = world.users["admin"]
    breach = services.record_breach(_data(), actor=admin)
    db.session.commit()
    with pytest.raises(ValidationFailed) as exc:
        services.close_breach(breach, "We now encrypt every laptop.", actor=admin)
    assert "Malaysia" in " ".join(exc.value.field_errors["lessons"])
    db.session.rollback()
    with pytest.raises(ValidationFailed):  # a decision not to notify needs its reason
        services.record_notification(breach, services.NotificationData(
            recipient_kind="no_notice", country="MY", recipient="DPO", notified_at=utcnow()),
            actor=admin)
    db.session.rollback()
    with pytest.raises(ValidationFailed) as exc:  # not before the discovery
        services.record_notification(breach, services.NotificationData(
            recipient_kind="authority", country="MY", recipient="PDP",
            notified_at=utcnow() - timedelta(days=2)), actor=admin)
    assert "notified_at" in exc.value.field_errors
    db.session.rollback()
    services.record_notification(breach, services.NotificationData(
        recipient_kind="authority", country="MY", recipient="PDP", notified_at=utcnow()),
        actor=admin)
    services.close_breach(breach, "We now encrypt every laptop.", actor=admin)
    db.session.commit()
    assert breach.closed_at is not None and breach.lessons.startswith("We now")


def test_pages_record_notify_and_close(world, as_role):
    client = as_role("admin")
    form = {"title": "Mail sent to the wrong list", "what_happened": "A list went to all.",
            "discovered_at": (utcnow() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "data_affected": "E-mail addresses", "people_affected": "300",
            "countries": ["PH", "ID"]}
    bad = client.post("/admin/breaches/new", data={**form, "countries": []})
    assert bad.status_code == 200 and "Choose every country" in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Breach.id))) == 0
    response = client.post("/admin/breaches/new", data=form)
    assert response.status_code == 302
    breach = db.session.scalar(db.select(Breach))
    assert sorted(j.country for j in breach.jurisdictions) == ["ID", "PH"]
    page = client.get(f"/admin/breaches/{breach.id}").get_data(as_text=True)
    assert "Within 72 hours of discovery" in page and "Running" in page
    now = utcnow().strftime("%Y-%m-%dT%H:%M")
    for country in ("PH", "ID"):
        client.post(f"/admin/breaches/{breach.id}", data={
            "n-recipient_kind": "authority", "n-country": country, "n-recipient": "Authority",
            "n-notified_at": now, "n-submit": "y"})
    assert db.session.scalar(db.select(db.func.count(BreachNotification.id))) == 2
    client.post(f"/admin/breaches/{breach.id}", data={
        "c-lessons": "Check the list before sending.", "c-submit": "y"})
    db.session.expire_all()
    assert db.session.get(Breach, breach.id).closed_at is not None
    assert "Closed" in client.get("/admin/breaches").get_data(as_text=True)


def test_singapores_clock_without_an_assessment_counts_from_discovery_and_says_so(world,
                                                                                  as_role):
    """The law counts 3 days from the assessment that a breach is notifiable; without a
    recorded assessment the clock starts at the discovery (earlier, never later), and the
    page says so until an assessment is recorded."""
    admin = world.users["admin"]
    found = utcnow() - timedelta(hours=10)
    breach = services.record_breach(_data(discovered_at=found, countries=["SG", "MY"]),
                                    actor=admin)
    db.session.commit()
    clocks = {j.country: as_utc(j.due_at) for j in breach.jurisdictions}
    assert clocks["SG"] == found + timedelta(hours=72) == clocks["MY"]
    client = as_role("admin")
    page = client.get(f"/admin/breaches/{breach.id}").get_data(as_text=True)
    assert "Within 3 calendar days of assessing it notifiable (counted here as 72 hours)" in page
    assert 'id="counted-SG"' in page and "Counted from the discovery" in page
    assert 'id="counted-MY"' not in page  # Malaysia's clock starts at discovery anyway

    assessed = found + timedelta(hours=6)
    services.update_breach(breach, _data(discovered_at=found, assessed_at=assessed,
                                         countries=["SG", "MY"]), actor=admin)
    db.session.commit()
    db.session.expire_all()
    breach = db.session.get(Breach, breach.id)
    clocks = {j.country: as_utc(j.due_at) for j in breach.jurisdictions}
    assert clocks["SG"] == assessed + timedelta(hours=72)
    page = client.get(f"/admin/breaches/{breach.id}").get_data(as_text=True)
    assert "Counted from the recorded assessment." in page
    assert "Counted from the discovery" not in page
