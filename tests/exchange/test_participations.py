"""Participations: the rules, the status workflow, and linking to alumni on graduation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from app.alumni.models import Alumnus, build_search_text
from app.alumni.services import AlumnusData, create_alumnus, update_alumnus
from app.alumni.written import alumni_written
from app.core.audit import AuditEntry
from app.core.db import utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.exchange import services
from app.exchange.models import TRANSITIONS, ExchangeParticipation
from app.exchange.services import ParticipationData


def test_direction_follows_which_side_is_ours(xw, add_participation):
    assert add_participation("S1").direction == "outgoing"
    assert add_participation("P1", incoming=True).direction == "incoming"


def test_participation_rules(xw, db):
    home, th, vn = xw.world.home, xw.partner_th, xw.partner_vn
    with pytest.raises(ValidationFailed) as exc:
        services.create_participation(xw.batch, ParticipationData(
            student_number="X1", given_name="A", sending_institution_id=th.id,
            receiving_institution_id=vn.id, study_area="it"), actor=xw.officer)
    assert "sending_institution_id" in exc.value.field_errors  # neither side is ours
    with pytest.raises(ValidationFailed) as exc:
        services.create_participation(xw.batch, ParticipationData(
            student_number="X1", given_name="", sending_institution_id=home.id,
            receiving_institution_id=th.id, study_area="space", hours="-3",
            start_date=date(2022, 6, 1), end_date=date(2022, 5, 1)), actor=xw.officer)
    assert set(exc.value.field_errors) >= {"given_name", "study_area", "hours", "end_date"}
    services.create_participation(xw.batch, ParticipationData(
        student_number="X1", given_name="Ann", sending_institution_id=home.id,
        receiving_institution_id=th.id, study_area="it"), actor=xw.officer)
    with pytest.raises(ValidationFailed) as exc:
        services.create_participation(xw.batch, ParticipationData(
            student_number="x1", given_name="Ann", sending_institution_id=home.id,
            receiving_institution_id=vn.id, study_area="it"), actor=xw.officer)
    assert "already in this batch" in exc.value.field_errors["student_number"][0]
    with pytest.raises(PermissionDenied):
        services.create_participation(xw.batch, ParticipationData(),
                                      actor=xw.world.users["quality"])


def test_transition_table_is_enforced(xw, add_participation):
    officer = xw.officer
    statuses = list(TRANSITIONS)
    for i, current in enumerate(("nominated", "accepted", "in_progress", "completed")):
        for j, target in enumerate(statuses):
            p = add_participation(f"T{i}-{j}", current)
            if target in TRANSITIONS[current]:
                services.change_status(p, target, actor=officer)
                assert p.status == target
            else:
                with pytest.raises(ValidationFailed):
                    services.change_status(p, target, actor=officer)
                assert p.status == current
    gone = add_participation("W1", "withdrawn", withdrawn_from="accepted")
    assert gone.withdrawn_from == "accepted"
    for target in statuses:
        with pytest.raises(ValidationFailed):
            services.change_status(gone, target, actor=officer)


def test_completion_gives_a_certificate_number_and_needs_hours(xw, add_participation):
    p = add_participation("S1", "in_progress", hours=None)
    with pytest.raises(ValidationFailed):
        services.change_status(p, "completed", actor=xw.officer)
    p.hours = Decimal(60)
    services.change_status(p, "completed", actor=xw.officer)
    assert p.certificate_number == f"HOME-2022-B1-{p.id:05d}"


def test_an_exchange_is_not_under_way_or_completed_before_its_dates(xw, add_participation,
                                                                     db):
    """A participation dated next year went to completed today, got a certificate and
    counted in the completion rate."""
    from datetime import timedelta

    start, end = date.today() + timedelta(days=10), date.today() + timedelta(days=80)
    p = add_participation("F1", "accepted", start_date=start, end_date=end)
    with pytest.raises(ValidationFailed) as exc:
        services.change_status(p, "in_progress", actor=xw.officer)
    assert exc.value.field_errors["status"] == [
        f"The exchange starts on {start:%d %b %Y}; mark it in progress from then."]
    p.start_date = date.today() - timedelta(days=1)
    services.change_status(p, "in_progress", actor=xw.officer)
    with pytest.raises(ValidationFailed) as exc:
        services.change_status(p, "completed", actor=xw.officer)
    assert exc.value.field_errors["status"] == [
        f"The exchange ends on {end:%d %b %Y}; mark it completed from then."]
    assert (p.status, p.certificate_number) == ("in_progress", None)
    # without an end date, the start date is the earliest it can be completed
    p.end_date, p.start_date = None, start
    with pytest.raises(ValidationFailed):
        services.change_status(p, "completed", actor=xw.officer)
    p.start_date = p.end_date = date.today()
    services.change_status(p, "completed", actor=xw.officer)
    assert p.status == "completed" and p.certificate_number
    # withdrawing before the start stays possible
    q = add_participation("F2", "accepted", start_date=start, end_date=end)
    services.change_status(q, "withdrawn", actor=xw.officer)


def test_linked_at_once_when_already_an_alumnus(xw, add_participation):
    p = add_participation(xw.world.alumnus.student_number.lower())
    assert p.alumnus_id == xw.world.alumnus.id


def test_linked_when_the_student_graduates_later(xw, add_participation, db):
    p = add_participation("GRAD-2024-001")
    incoming = add_participation("GRAD-2024-001", incoming=True, partner=xw.partner_vn)
    assert p.alumnus_id is None
    # the register calls the "alumni records written" hook, which links
    alumnus = create_alumnus(AlumnusData(student_number="GRAD-2024-001", given_name="Nok"),
                             institution=xw.world.home, actor=xw.world.users["officer"])
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id == alumnus.id
    # a partner's student with the same number is another person
    assert db.session.get(ExchangeParticipation, incoming.id).alumnus_id is None
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "exchange_participation.link_alumnus",
        AuditEntry.entity_id == str(p.id))) is not None


def test_renumbered_in_the_register_links_and_a_bare_orm_add_does_not(xw, add_participation,
                                                                        make_alumnus, db):
    """The link follows the register's explicit hook, not a listener on every flush."""
    p = add_participation("GRAD-2024-002")
    q = add_participation("GRAD-2024-003")
    alumnus = make_alumnus(xw.world.home, student_number="TYPO-002")
    bare = make_alumnus(xw.world.home, student_number="GRAD-2024-003")  # a flush, no hook
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, q.id).alumnus_id is None
    alumni_written(xw.world.home.id, ["GRAD-2024-003"])
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, q.id).alumnus_id == bare.id
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id is None
    update_alumnus(alumnus, AlumnusData(student_number="GRAD-2024-002", given_name="Nok"),
                   expected_version=None, actor=xw.world.users["officer"])
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id == alumnus.id


def test_linked_after_a_later_bulk_registrar_import(xw, add_participation, db):
    """A registrar import writes alumni with Core insert (no ORM events), then calls
    link_exchange_alumni for the institution."""
    p1 = add_participation("R-1")
    p2 = add_participation("R-2")
    home = xw.world.home
    rows = [{"institution_id": home.id, "student_number": n, "given_name": "G",
             "search_text": build_search_text("G", n), "status": "active",
             "directory_visible": False, "version": 1, "created_at": utcnow(),
             "updated_at": utcnow()} for n in ("r-1", "R-9")]
    db.session.execute(insert(Alumnus), rows)
    assert db.session.get(ExchangeParticipation, p1.id).alumnus_id is None
    assert services.link_exchange_alumni(home.id) == 1
    db.session.commit()
    linked = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "r-1"))
    assert db.session.get(ExchangeParticipation, p1.id).alumnus_id == linked.id
    assert db.session.get(ExchangeParticipation, p2.id).alumnus_id is None
    assert services.link_exchange_alumni(home.id) == 0  # idempotent


def test_cli_link_alumni(xw, add_participation, runner, db):
    p = add_participation("C-1")
    home = xw.world.home
    db.session.execute(insert(Alumnus), [{
        "institution_id": home.id, "student_number": "C-1", "given_name": "G",
        "search_text": "g", "status": "active", "directory_visible": False, "version": 1,
        "created_at": utcnow(), "updated_at": utcnow()}])
    db.session.commit()
    result = runner.invoke(args=["exchange", "link-alumni", "--institution", "HOME"])
    assert result.exit_code == 0, result.output
    assert "1 participation" in result.output
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id is not None


def test_exchange_alumni_list_and_panels(xw, add_participation, as_role, db):
    add_participation(xw.world.alumnus.student_number, "completed")
    page = as_role("officer").get("/exchange/alumni").get_data(as_text=True)
    assert xw.world.alumnus.display_name in page
    assert xw.world.second_alumnus.display_name not in page
    staff = as_role("officer").get(f"/alumni/{xw.world.alumnus.id}").get_data(as_text=True)
    assert "Bangkok Polytechnic" in staff
    me = as_role("alumnus").get("/me").get_data(as_text=True)
    assert "My exchanges" in me and "Certificate" in me


def test_timeline_source(app, xw, add_participation):
    from app.core.timeline import timeline_for

    p = add_participation(xw.world.alumnus.student_number, "completed",
                          start_date=date(2022, 5, 16), end_date=date(2022, 6, 10))
    items = [i for i in timeline_for(xw.world.alumnus) if i.kind == "exchange"]
    assert len(items) == 1 and items[0].when == date(2022, 5, 16)
    assert "Bangkok Polytechnic" in items[0].title
    assert items[0].url is None  # read outside a request (reports, jobs): no link
    with app.test_request_context():
        linked = [i for i in timeline_for(xw.world.alumnus) if i.kind == "exchange"]
    assert linked[0].url == f"/exchange/participations/{p.id}"


def test_linked_when_an_alumnus_gets_the_number_later(xw, add_participation, db):
    from app.alumni.services import data_from, update_alumnus

    p = add_participation("LATE-1")
    second = xw.world.second_alumnus
    data = data_from(second)
    data.student_number = "LATE-1"
    update_alumnus(second, data, expected_version=None, actor=xw.officer)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id == second.id


def test_linked_through_a_merged_student_number(xw, add_participation, db):
    from app.alumni.models import StudentNumberAlias

    p = add_participation("OLD-7")
    db.session.add(StudentNumberAlias(institution_id=xw.world.home.id, student_number="OLD-7",
                                      number_key="old-7", alumnus_id=xw.world.alumnus.id))
    db.session.commit()
    assert services.link_exchange_alumni(xw.world.home.id) == 1
    db.session.commit()
    assert db.session.get(ExchangeParticipation, p.id).alumnus_id == xw.world.alumnus.id
