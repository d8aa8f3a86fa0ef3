"""Erasure: the person is anonymised, every indicator of their cohort stays as it was, and the
audit keeps that an erasure happened, not what was erased."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.alumni.privacy import record_consent, request_correction
from app.auth.models import User
from app.core.audit import AuditEntry, record_audit
from app.core.errors import Conflict, PermissionDenied
from app.engagement.lists import _figures as _lists_figures
from app.extensions import db as _db
from app.feedback.models import CurriculumFeedback
from app.mailings.gate import exclusion_reason
from app.privacy import services
from app.privacy.models import RightsRequest
from app.reports import indicators as ind
from app.reports.indicators import Params
from app.reports.indicators.engaged import engagement_detail
from tests.reports.conftest import hand_cohort  # noqa: F401 - the fixture


def _selection(cohort):
    return ind.make_selection(cohort.institution, cohort.programme, 2024, 12,
                              Params(as_of=date(2025, 12, 31)))


def _figures(cohort) -> dict[str, tuple]:
    return {r.key: (r.value, r.numerator, r.denominator)
            for r in ind.all_indicators(_selection(cohort))}


def _e1_ids(cohort) -> tuple[set[int], set[int]]:
    e1 = ind.compute("E1", _selection(cohort), "rate")
    return ({a.id for a in _db.session.scalars(e1.counted.query)},
            {a.id for a in _db.session.scalars(e1.base.query)})


def _page_figures(cohort) -> tuple:
    """The engagement page's figures for the institution (counted afresh, not the cache; the
    page's window ends today) and its lists' sizes in the cohort's window."""
    f = _lists_figures(cohort.institution.id)
    d = engagement_detail(cohort.institution.id, as_of=date(2025, 12, 31))
    return (f.contactable, f.engaged, f.outside, f.by_source, d.contactable, len(d.engaged),
            len(d.not_engaged), len(d.engaged_not_contactable), d.by_source)


def _with_account(db, make_user, alumnus) -> User:
    user = make_user("alumnus", alumnus.institution, email=alumnus.email)
    alumnus.user_id = user.id
    db.session.commit()
    return user


def test_erasure_keeps_every_indicator_of_the_cohort(db, hand_cohort, make_user,  # noqa: F811
                                                     world):
    a1 = hand_cohort.alumni["a1"]  # wage employed, answered two surveys
    user = _with_account(db, make_user, a1)
    record_consent(a1, "tracer", True, method="self_service", actor=user)
    request_correction(a1, "given_name", "My name is A One", actor=user)
    db.session.add(CurriculumFeedback(
        institution_id=a1.institution_id, programme_id=a1.programme_id, source="alumnus",
        alumnus_id=a1.id, anonymous=True, topic_kind="module", topic="Welding",
        skill_gap="Practice on TIG, says A One", received_on=date(2025, 3, 1)))
    # an earlier change to the record, whose before/after name the person
    record_audit(world.users["officer"], "alumnus.update", a1,
                 before={"family_name": None, "phone": None},
                 after={"family_name": "Wiratama", "phone": "+6281234567"})
    db.session.commit()
    email, account_email = a1.email, user.email
    before = _figures(hand_cohort)
    assert len(before) > 80
    engaged, contactable = _e1_ids(hand_cohort)
    assert a1.id in engaged and a1.id in contactable
    page_before = _page_figures(hand_cohort)

    from app.mailings.models import SuppressedMail

    db.session.add(SuppressedMail(address=a1.email, alumnus_id=a1.id, purpose="contact",
                                  kind="mailing", subject="News", reason="no_consent"))
    db.session.commit()
    req = services.request_erasure(a1, "I moved abroad", actor=user)
    db.session.commit()
    services.carry_out_erasure(req, actor=world.users["officer"])
    db.session.commit()
    db.session.expire_all()

    after = _figures(hand_cohort)
    assert set(after) == set(before)
    # Every figure, E1 included: the erased graduate has no e-mail or phone any more, but was
    # contactable when erased, and E1 counts them as they were.
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, changed
    assert _e1_ids(hand_cohort) == (engaged, contactable)
    assert _page_figures(hand_cohort) == page_before
    # ... but nothing reaches them: no address for any mail, and lists show "Erased" only
    for purpose in ("contact", "tracer", "fundraising"):
        assert _db.session.execute(select(exclusion_reason(purpose)).where(
            Alumnus.id == a1.id)).scalar() == "no_address"
    detail = engagement_detail(hand_cohort.institution.id, as_of=date(2025, 12, 31))
    shown = [row.alumnus for row in detail.engaged if row.alumnus.id == a1.id]
    assert shown, "the erased graduate is no longer in the engaged list"
    for person in shown:
        assert (person.given_name, person.family_name, person.email) == ("Erased", None, None)

    erased = db.session.get(Alumnus, a1.id)
    held = db.session.scalar(select(SuppressedMail))
    assert held.address == f"erased-{a1.id}" and held.reason == "no_consent"
    assert erased.given_name == "Erased" and erased.family_name is None
    assert erased.email is None and erased.phone is None and erased.birth_date is None
    assert erased.student_number == f"erased-{a1.id}" and erased.user_id is None
    assert erased.erased_at is not None
    assert (erased.programme_id, erased.cohort_year) == (hand_cohort.programme.id, 2024)
    account = db.session.get(User, user.id)
    assert not account.active and account.password_hash is None
    assert account.email.endswith("@erased.invalid")
    feedback = db.session.scalar(select(CurriculumFeedback))
    assert feedback.skill_gap is None and feedback.topic == "Welding"

    # the log: an erasure happened; nothing of what they held is in it any more
    entries = db.session.scalars(select(AuditEntry)).all()
    text = json.dumps([[e.before, e.after, e.actor_label] for e in entries])
    for held in ("Wiratama", "+6281234567", email, account_email):
        assert held not in text, held
    erasure = [e for e in entries if e.action == "alumnus.erase"]
    assert len(erasure) == 1 and erasure[0].entity_id == str(a1.id)
    assert erasure[0].after == {"erased": True, "reason": "request"}
    assert any(e.action == "alumnus.update" and e.entity_id == str(a1.id) and e.after is None
               for e in entries)  # the change is still on record, not what it was
    assert db.session.get(RightsRequest, req.id).status == "done"


def test_only_the_office_erases_and_once(db, world):
    me, user = world.alumnus, world.users["alumnus"]
    req = services.request_erasure(me, "", actor=user)
    db.session.commit()
    with pytest.raises(Conflict):
        services.request_erasure(me, "", actor=user)  # one open request at a time
    for role in ("alumnus", "quality"):
        with pytest.raises(PermissionDenied):
            services.carry_out_erasure(req, actor=world.users[role])
    services.carry_out_erasure(req, actor=world.users["officer"])
    db.session.commit()
    with pytest.raises(Conflict):
        services.carry_out_erasure(req, actor=world.users["officer"])


def test_a_mentors_mentorships_are_in_the_copy_and_their_text_is_erased(db, world):
    from app.mentoring.models import MentorProfile, Mentorship, Student
    from app.privacy.holdings import collect

    me = world.alumnus
    profile = MentorProfile(alumnus_id=me.id, institution_id=world.home.id, industries="C",
                            languages="en", capacity=2, load=1, available=True,
                            expertise="Welding", about="Twenty years at PT Maju")
    student = Student(institution_id=world.home.id, student_number="STU0001",
                      given_name="Budi", family_name="Tan", programme_id=world.programme.id)
    db.session.add_all([profile, student])
    db.session.flush()
    db.session.add(Mentorship(mentor_id=profile.id, student_id=student.id, status="active",
                              institution_id=world.home.id,
                              goals="Find a first job near Siti's workshop"))
    db.session.commit()
    held = collect(me)
    assert [m["goals"] for m in held.tables["mentorship"]] == [
        "Find a first job near Siti's workshop"]

    req = services.request_erasure(me, "", actor=world.users["alumnus"])
    services.carry_out_erasure(req, actor=world.users["officer"])
    db.session.commit()
    db.session.expire_all()
    mentorship = db.session.scalar(select(Mentorship))
    assert mentorship.goals is None and mentorship.status == "active"
    assert db.session.scalar(select(MentorProfile)).about is None


def test_erasure_forgets_what_the_mail_server_said_about_their_address(db, world,
                                                                       make_alumnus):
    from app.mailings.models import MailBounce
    from app.privacy.erasure import erase_alumnus

    me, second = world.alumnus, world.second_alumnus
    shared = make_alumnus(world.home, programme_id=world.programme.id,
                          email=second.email.upper())  # a duplicate holding second's address
    db.session.add_all([MailBounce(address=me.email.lower(), error="550 no such mailbox"),
                        MailBounce(address=second.email.lower(), error="550 no such mailbox")])
    db.session.commit()

    req = services.request_erasure(me, "", actor=world.users["alumnus"])
    services.carry_out_erasure(req, actor=world.users["officer"])
    erase_alumnus(second, actor=world.users["officer"])
    db.session.commit()

    left = set(db.session.scalars(select(MailBounce.address)))
    assert left == {shared.email.lower()}  # the duplicate still holds that address
