"""The audit log page in every language: the filters, the entries with their actions and
record types in words, who did it ("system" too), what changed (yes / no in the language, a
new record's many fields folded under "12 fields"), a date that is not one, no entries; and
the download, which keeps English. An administrator opens each and no English text of the
catalogue is left on the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.audit import ACTION_VERBS, MORE_VERBS, AuditEntry
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
SUBJECTS = ("Alumnus", "User", "RightsRequest", "ExchangeParticipation", "Breach", "Event")
SHORT = (">Audit log<", ">What changed<", "Record type", "Part of the e-mail", "12 fields",
         "<dd>yes</dd>", "two-factor sign-in switched on", "Rights request:", ">system<")


def _entries(world):
    """An entry of every worded action (each verb once, across record types), a change with a
    true / false value, a new record of twelve fields, one by the system."""
    officer = world.users["officer"]
    verbs = list(ACTION_VERBS) + list(MORE_VERBS)
    for n, verb in enumerate(verbs):
        subject = SUBJECTS[n % len(SUBJECTS)]
        code = "rights_request" if subject == "RightsRequest" else subject.lower()
        db.session.add(AuditEntry(actor_id=officer.id, actor_label=officer.email,
                                  action=f"{code}.{verb}", entity_type=subject,
                                  entity_id=str(n), origin="127.0.0.1",
                                  created_at=datetime.now(UTC)))
    db.session.add(AuditEntry(actor_label="system", action="user.active", entity_type="User",
                              entity_id="1", before={"active": False}, after={"active": True},
                              created_at=datetime.now(UTC)))
    db.session.add(AuditEntry(actor_label=officer.email, action="event.create",
                              entity_type="Event", entity_id="7",
                              after={f"field_{n}": n for n in range(12)},
                              created_at=datetime.now(UTC)))
    db.session.commit()


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_audit_log_leaves_no_english(app, world, language):
    _entries(world)
    admin = world.users["admin"]
    admin.language = language
    db.session.commit()
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, admin)
    pages = {
        "all": client.get("/admin/audit"),
        "filtered": client.get("/admin/audit?entity=User&action=user.active&who=a"),
        "nothing found": client.get("/admin/audit?who=nobody-at-all"),
        "not a date": client.get("/admin/audit?since=31/03/2026"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        for word in SHORT:
            assert word not in html, (name, word)
    assert "alert-warning" in pages["not a date"].get_data(as_text=True)
    download = client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    assert download.startswith("When (UTC),Who,Action,Record")
    assert "User: reactivated" in download and "active: no → yes" in download
