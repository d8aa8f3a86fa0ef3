"""Mailings from the pages: write, preview with the segment's count and exclusions, send as a
job over real SMTP, the counts kept; the one-click unsubscribe link; who may do what."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from sqlalchemy import select

from app.alumni.models import Consent
from app.core.audit import AuditEntry
from app.core.jobs import wait_for_idle
from app.mailings.models import MailBounce, Mailing, UnsubscribeLink
from app.mailings.services import body_html


def _consent(db, alumnus, granted=True, purpose="contact"):
    db.session.add(Consent(alumnus_id=alumnus.id, purpose=purpose, granted=granted,
                           method="officer"))


def _segment(db, world, make_programme, make_alumnus):
    """A programme with alumni in every state the count tells apart."""
    p = make_programme(world.home, code="MECH")
    people = {
        "yes": make_alumnus(world.home, programme_id=p.id, given_name="Yes"),
        "yes2": make_alumnus(world.home, programme_id=p.id, given_name="Yes2"),
        "refused": make_alumnus(world.home, programme_id=p.id,
                                email="undeliverable.someone@example.org"),
        "no": make_alumnus(world.home, programme_id=p.id),
        "never": make_alumnus(world.home, programme_id=p.id),
        "deceased": make_alumnus(world.home, programme_id=p.id, status="deceased"),
    }
    for key in ("yes", "yes2", "refused", "deceased"):
        _consent(db, people[key])
    _consent(db, people["no"], granted=False)
    db.session.commit()
    return p, people


FORM = {"purpose": "contact", "subject": "Homecoming 2026",
        "body": "Dear alumni,\n\n**Homecoming** is on *1 March*.\n\n<script>alert(1)</script>"
                "[Register](https://example.org/r)"}


def test_write_preview_send_and_the_counts_are_kept(db, world, as_role, smtp_server,
                                                    make_programme, make_alumnus):
    p, people = _segment(db, world, make_programme, make_alumnus)
    officer = as_role("officer")
    response = officer.post("/mailings/new", data={**FORM, "programme_ids": [str(p.id)]})
    assert response.status_code == 302
    mailing = db.session.scalar(select(Mailing))
    page = officer.get(f"/mailings/{mailing.id}").get_data(as_text=True)
    assert "<strong>Homecoming</strong>" in page and "<script>alert" not in page
    assert re.search(r"<strong>3 alumni</strong> of 6 in the segment will get it", page)
    assert "Send to 3 alumni" in page
    for words in ("Consent for this purpose withdrawn", "Consent for this purpose never given",
                  "Deceased"):
        assert words in page
    assert smtp_server.messages == []  # a preview sends nothing

    sent = officer.post(f"/mailings/{mailing.id}/send")
    assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
    wait_for_idle()
    db.session.expire_all()
    mailing = db.session.get(Mailing, mailing.id)
    assert mailing.status == "sent"
    assert (mailing.recipients, mailing.sent_count, mailing.failed_count) == (6, 2, 1)
    assert mailing.excluded == {"consent_withdrawn": 1, "no_consent": 1, "deceased": 1}
    assert {m["To"] for m in smtp_server.messages} == {people["yes"].email,
                                                      people["yes2"].email}
    html = smtp_server.messages[0].get_body(preferencelist=("html",)).get_content()
    assert "<strong>Homecoming</strong>" in html and "<script>" not in html
    # the unsubscribe footer the gate adds is inside the document's body, not after it
    footer = html.index("/unsubscribe/")
    assert footer < html.lower().rindex("</body>") < html.lower().rindex("</html>")
    # the refused address is remembered: the next mailing excludes it as bounced
    assert db.session.scalar(select(MailBounce.address)) == people["refused"].email
    page = officer.get(f"/mailings/{mailing.id}").get_data(as_text=True)
    assert "Sent" in page and "Excluded: Deceased" in page
    assert officer.post(f"/mailings/{mailing.id}/send").status_code == 302
    assert len(smtp_server.messages) == 2  # sent once only

    again = officer.post("/mailings/new", data={**FORM, "programme_ids": [str(p.id)]})
    second = db.session.get(Mailing, int(again.headers["Location"].rsplit("/", 1)[1]))
    text = officer.get(f"/mailings/{second.id}").get_data(as_text=True)
    assert "Address refused by the mail server before" in text
    assert re.search(r"<strong>2 alumni</strong> of 6 in the segment will get it", text)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(db, world, as_role):
    officer = as_role("officer")
    page = officer.post("/mailings/new", data={"purpose": "contact", "subject": "News",
                                               "body": "x", "cohort_from": "2024",
                                               "cohort_to": "2020"})
    assert page.status_code == 200 and db.session.scalar(select(Mailing)) is None
    assert "The last cohort year comes after the first." in page.get_data(as_text=True)
    page = officer.post("/mailings/new", data={"purpose": "photos", "subject": "News",
                                               "body": "x"})
    assert "Not a valid choice" in page.get_data(as_text=True)  # photos are not mail
    assert db.session.scalar(select(Mailing)) is None


def test_quality_staff_read_mailings_but_never_send(db, world, as_role, smtp_server,
                                                    make_alumnus):
    _consent(db, world.second_alumnus)
    db.session.commit()
    as_role("officer").post("/mailings/new", data=FORM)
    mailing = db.session.scalar(select(Mailing))
    quality = as_role("quality")
    page = quality.get(f"/mailings/{mailing.id}")
    assert page.status_code == 200 and "Send to" not in page.get_data(as_text=True)
    assert quality.post(f"/mailings/{mailing.id}/send").status_code == 403
    assert quality.post("/mailings/new", data=FORM).status_code == 403
    assert as_role("other_officer").get(f"/mailings/{mailing.id}").status_code == 404
    assert as_role("other_officer").post(f"/mailings/{mailing.id}/send").status_code == 404
    db.session.expire_all()
    assert db.session.get(Mailing, mailing.id).status == "draft"
    assert smtp_server.messages == []


def _mail_one(db, world, as_role, smtp_server, purpose="contact"):
    _consent(db, world.second_alumnus, purpose=purpose)
    db.session.commit()
    officer = as_role("officer")
    officer.post("/mailings/new", data={**FORM, "purpose": purpose})
    mailing = db.session.scalar(select(Mailing))
    officer.post(f"/mailings/{mailing.id}/send")
    wait_for_idle()
    [message] = smtp_server.to(world.second_alumnus.email)
    return message["List-Unsubscribe"].strip().strip("<>")


def test_unsubscribe_link_works_once_without_signing_in_and_says_what_changed(
        db, world, as_role, smtp_server, client):
    link = _mail_one(db, world, as_role, smtp_server)
    path = urlparse(link).path
    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Stop these e-mails?" in text
    assert "Contact me about alumni news and events" in text
    db.session.expire_all()
    assert db.session.get(type(world.second_alumnus), world.second_alumnus.id
                          ).consent_in_force("contact")  # a GET changes nothing
    done = client.post(path)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "You are unsubscribed" in text
    assert re.search(r"Before</dt><dd[^>]*>Yes</dd>", text)
    db.session.expire_all()
    alumnus = db.session.get(type(world.second_alumnus), world.second_alumnus.id)
    assert not alumnus.consent_in_force("contact")
    latest = alumnus.consents[-1]
    assert (latest.method, latest.granted, latest.recorded_by_id) == ("unsubscribe", False, None)
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "consent.record", AuditEntry.actor_label == "unsubscribe link"))
    # once: the second use changes nothing and says so
    again = client.post(path)
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert len(db.session.get(type(alumnus), alumnus.id).consents) == 2
    assert client.get("/unsubscribe/not-a-token").status_code == 404


def test_one_click_post_from_a_mail_program_needs_no_form_token(
        app, db, world, as_role, smtp_server, client):
    link = _mail_one(db, world, as_role, smtp_server, purpose="fundraising")
    path = urlparse(link).path
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(path, data="List-Unsubscribe=One-Click",
                               content_type="application/x-www-form-urlencoded")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    db.session.expire_all()
    alumnus = db.session.get(type(world.second_alumnus), world.second_alumnus.id)
    assert not alumnus.consent_in_force("fundraising")
    assert alumnus.consent_in_force("contact") is False  # never given; untouched
    assert db.session.scalar(select(UnsubscribeLink.used_at)) is not None


def test_markdown_body_is_sanitised():
    html = body_html("# Hi\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b**")
    assert "<h1>Hi</h1>" in html and "<strong>b</strong>" in html
    assert "onerror" not in html and "javascript:" not in html


def test_counts_of_people_take_the_right_number():
    from app.core.labels import alumni_count

    assert [alumni_count(n) for n in (0, 1, 2, 1204)] == [
        "0 alumni", "1 alumnus", "2 alumni", "1,204 alumni"]
