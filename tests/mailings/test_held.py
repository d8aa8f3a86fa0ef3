"""The page of messages the mail gate held back: officers and quality staff see their
institution's, administrators every one, alumni none; paged, filtered by reason; the address
only for those who may see contact details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.mailings.models import SuppressedMail


def _held(db, world):
    now = utcnow()
    rows = [
        SuppressedMail(created_at=now - timedelta(minutes=1), address=world.second_alumnus.email,
                       alumnus_id=world.second_alumnus.id, purpose="contact", kind="mailing",
                       subject="Homecoming at Home", reason="consent_withdrawn"),
        SuppressedMail(created_at=now - timedelta(minutes=2), address=world.alumnus.email,
                       alumnus_id=world.alumnus.id, purpose="tracer", kind="tracer_invite",
                       subject="Where are you now at Home", reason="bounced"),
        SuppressedMail(created_at=now - timedelta(minutes=3),
                       address=world.other_alumnus.email, alumnus_id=world.other_alumnus.id,
                       purpose="contact", kind="mailing", subject="News from Other",
                       reason="no_consent"),
        SuppressedMail(created_at=now - timedelta(minutes=4), address="staff@example.org",
                       alumnus_id=None, purpose="fundraising", kind="mailing",
                       subject="Sent to no alumnus", reason="not_an_alumnus"),
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


# role -> the subjects the page shows, newest first
SEES = {
    "officer": ["Homecoming at Home", "Where are you now at Home"],
    "quality": ["Homecoming at Home", "Where are you now at Home"],
    "other_officer": ["News from Other"],
    "admin": ["Homecoming at Home", "Where are you now at Home", "News from Other",
              "Sent to no alumnus"],
}


def _subjects(page: str) -> list[str]:
    found = [(page.index(s), s) for subjects in SEES.values() for s in set(subjects)
             if s in page]
    return [s for _, s in sorted(set(found))]


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_its_institutions_held_messages(db, world, as_role, role):
    _held(db, world)
    response = as_role(role).get("/mailings/held")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _subjects(page) == SEES[role]
    table = page[page.index('id="held"'):]
    assert ("Consent for this purpose withdrawn" in table) is (role != "other_officer")
    if role in ("officer", "admin"):
        assert world.second_alumnus.display_name in page
    if role != "admin":
        assert "No alumnus record" not in page
    # Only the administrator, who sees every institution's, is told whose each one is.
    assert ("<th>Institution</th>" in table) is (role == "admin")
    if role == "admin":
        assert f"<td>{world.other.code}</td>" in table and f"<td>{world.home.code}</td>" in table


def test_alumni_and_strangers_do_not_get_in(db, world, as_role):
    _held(db, world)
    assert as_role("alumnus").get("/mailings/held").status_code == 403
    anonymous = as_role("anonymous").get("/mailings/held")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_the_address_shows_only_with_contact_details(db, world, as_role):
    _held(db, world)
    address = world.second_alumnus.email
    assert address in as_role("officer").get("/mailings/held").get_data(as_text=True)
    quality = world.users["quality"]
    page = as_role("quality").get("/mailings/held").get_data(as_text=True)
    assert address not in page and "<th>Address</th>" not in page
    quality.contact_details_granted = True
    db.session.commit()
    assert address in as_role("quality").get("/mailings/held").get_data(as_text=True)


def test_filter_by_reason(db, world, as_role):
    _held(db, world)
    officer = as_role("officer")
    page = officer.get("/mailings/held?reason=bounced").get_data(as_text=True)
    assert _subjects(page) == ["Where are you now at Home"]
    page = officer.get("/mailings/held?reason=deceased").get_data(as_text=True)
    assert _subjects(page) == [] and "No messages held back for this reason." in page
    page = officer.get("/mailings/held?reason=nonsense").get_data(as_text=True)
    assert _subjects(page) == SEES["officer"]  # an unknown reason filters nothing


def test_paged_newest_first_by_cursor(db, world, as_role, app, make_alumnus):
    from app.mailings.services import held_messages

    now = utcnow()
    db.session.add_all([SuppressedMail(
        created_at=now - timedelta(hours=i), address=f"p{i}@example.org",
        alumnus_id=world.second_alumnus.id, purpose="contact", kind="mailing",
        subject=f"Message {i:02d}", reason="no_consent") for i in range(25)])
    db.session.commit()
    officer = world.users["officer"]
    first, rows = held_messages(officer, per_page=10)
    assert [r.mail.subject for r in rows] == [f"Message {i:02d}" for i in range(10)]
    assert first.has_next and first.total == 25
    second, rows = held_messages(officer, per_page=10, after=first.next_cursor, page=2)
    assert [r.mail.subject for r in rows] == [f"Message {i:02d}" for i in range(10, 20)]
    last, rows = held_messages(officer, per_page=10, last=True)
    assert [r.mail.subject for r in rows][-1] == "Message 24" and not last.has_next
    # the page's links carry the cursor and the filter
    app.config["PER_PAGE"], saved = 10, app.config["PER_PAGE"]
    try:
        page = as_role("officer").get("/mailings/held?reason=no_consent").get_data(
            as_text=True)
    finally:
        app.config["PER_PAGE"] = saved
    assert "Message 09" in page and "Message 10" not in page
    assert 'rel="next"' in page and "reason=no_consent" in page


def test_the_mailings_pages_link_to_it(db, world, as_role):
    officer = as_role("officer")
    assert 'href="/mailings/held"' in officer.get("/mailings/").get_data(as_text=True)
