"""The breach log in every language: the list (an open breach with an overdue clock, a settled
one, a closed breach), a breach's page (the clocks with each country's rule, law and
authority, Singapore's clock counted from the discovery, the notifications made, the two
forms with their errors), the log and edit forms with their errors, the flash messages, and
the overdue clocks on the administrator's landing page. No English text of the catalogue is
left on them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.breaches import services
from app.core.db import utcnow
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
FORMAT = "%Y-%m-%dT%H:%M"
# short words the catalogue check skips (_english_words keeps texts over 12 characters)
SHORT = (">Breach log<", ">Log a breach<", ">Overdue<", ">Settled<", ">Running<",
         ">Discovered<", ">Authority clocks<", "Within 72 hours", ">Whom<", ">Lessons learned<",
         "hours ago")


def _breaches(admin):
    """An overdue open breach (Malaysia, Singapore, Vietnam: one clock settled), and a closed
    one."""
    now = utcnow()
    overdue = services.record_breach(services.BreachData(
        title="Laptop lost", what_happened="A laptop with the register was stolen.",
        discovered_at=now - timedelta(hours=100), data_affected="Names, phones",
        people_affected=1200, people_description="Graduates of 2023",
        countries=["MY", "SG", "VN"]), actor=admin)
    services.record_notification(overdue, services.NotificationData(
        recipient_kind="authority", country="VN", recipient="A05",
        notified_at=now - timedelta(hours=50), note="By the online form."), actor=admin)
    services.record_notification(overdue, services.NotificationData(
        recipient_kind="people", recipient="Every graduate of 2023",
        notified_at=now - timedelta(hours=40)), actor=admin)
    closed = services.record_breach(services.BreachData(
        title="Wrong list", what_happened="A mailing went to the wrong list.",
        discovered_at=now - timedelta(hours=10), data_affected="E-mail addresses",
        countries=["PH"]), actor=admin)
    services.record_notification(closed, services.NotificationData(
        recipient_kind="no_notice", country="PH", recipient="Data protection officer",
        notified_at=now - timedelta(hours=5), note="Only staff addresses, no risk."),
        actor=admin)
    services.close_breach(closed, "Check the list before sending.", actor=admin)
    db.session.commit()
    return overdue, closed


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_breach_log_leaves_no_english(app, world, language):
    admin = world.users["admin"]
    admin.language = language
    overdue, closed = _breaches(admin)
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, admin)
    now = utcnow()
    form = {"title": "Mail sent to the wrong list", "what_happened": "A list went to all.",
            "discovered_at": (now - timedelta(hours=2)).strftime(FORMAT),
            "data_affected": "E-mail addresses", "people_affected": "300",
            "countries": ["PH", "ID", "TH"]}
    wrong = {"title": "", "what_happened": "", "data_affected": "",
             "discovered_at": (now + timedelta(days=2)).strftime(FORMAT),
             "occurred_at": (now + timedelta(days=3)).strftime(FORMAT),
             "assessed_at": (now + timedelta(days=1)).strftime(FORMAT),
             "people_affected": "-4", "countries": []}
    notification = {"n-recipient_kind": "authority", "n-country": "", "n-recipient": "PDP",
                    "n-notified_at": (now + timedelta(days=1)).strftime(FORMAT),
                    "n-submit": "y"}
    pages = {
        "log": client.get("/admin/breaches"),
        "overdue breach": client.get(f"/admin/breaches/{overdue.id}"),
        "closed breach": client.get(f"/admin/breaches/{closed.id}"),
        "new": client.get("/admin/breaches/new"),
        "new with errors": client.post("/admin/breaches/new", data=wrong),
        "new against the rules": client.post("/admin/breaches/new", data=dict(
            wrong, title="Too early", what_happened="x", data_affected="x",
            people_affected="")),
        "edit": client.get(f"/admin/breaches/{overdue.id}/edit"),
        "edit with errors": client.post(f"/admin/breaches/{overdue.id}/edit", data=dict(
            wrong, title="Laptop lost", what_happened="x", data_affected="x",
            discovered_at=(now - timedelta(hours=100)).strftime(FORMAT),
            assessed_at=(now - timedelta(hours=200)).strftime(FORMAT),
            occurred_at="", people_affected="", countries=["SG"])),
        "notification errors": client.post(f"/admin/breaches/{overdue.id}", data=notification),
        "notification form errors": client.post(f"/admin/breaches/{overdue.id}", data=dict(
            notification, **{"n-recipient": "", "n-notified_at": ""})),
        "no notice without reason": client.post(f"/admin/breaches/{overdue.id}", data=dict(
            notification, **{"n-recipient_kind": "no_notice", "n-country": "PH",
                             "n-recipient": "DPO", "n-notified_at": (
                                 now - timedelta(hours=200)).strftime(FORMAT)})),
        "close too early": client.post(f"/admin/breaches/{overdue.id}", data={
            "c-lessons": "short", "c-submit": "y"}),
        "landing": client.get("/dashboard"),
        "logged": client.post("/admin/breaches/new", data=form, follow_redirects=True),
        "saved": client.post(f"/admin/breaches/{overdue.id}/edit", follow_redirects=True,
                             data=dict(form, title="Laptop lost", countries=["MY", "SG", "VN"])),
        "notified": client.post(f"/admin/breaches/{overdue.id}", follow_redirects=True, data={
            "n-recipient_kind": "authority", "n-country": "MY", "n-recipient": "PDP",
            "n-notified_at": now.strftime(FORMAT), "n-submit": "y"}),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        for word in SHORT:
            assert word not in html, (name, word)
    assert pages["new with errors"].get_data(as_text=True).count("invalid-feedback") >= 4
    assert pages["new against the rules"].get_data(as_text=True).count("invalid-feedback") >= 3
    assert pages["notification errors"].get_data(as_text=True).count("invalid-feedback") >= 2
    assert "Record the notification" not in pages["close too early"].get_data(as_text=True)
    assert "breach-clocks-title" in pages["landing"].get_data(as_text=True)
    assert "Counted from the discovery" not in pages["overdue breach"].get_data(as_text=True)
