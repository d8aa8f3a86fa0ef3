"""The alumnus timeline from every source, the engagement score, and the engagement rate E1."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from app.alumni.models import Consent
from app.contributions.services import ContributionData, record_contribution
from app.core import timeline
from app.core.timeline import TimelineItem, add_timeline_source, timeline_for
from app.engagement import services
from app.engagement.events import record_attendance, register_for_event
from app.engagement.services import engagement_score
from app.reports.indicators.engaged import engagement_detail as engagement_rate
from tests.conftest import query_plan, statements_run

TODAY = date.today()


def _gift(alumnus, when, category="donation", **kw):
    if category == "donation":
        return ContributionData(donor_kind="alumnus", alumnus_id=alumnus.id, kind="monetary",
                                category="donation", received_on=when, amount="10",
                                currency="MYR")
    return ContributionData(donor_kind="organisation", organisation_name="Acme",
                            alumnus_id=alumnus.id, kind="in_kind", category=category,
                            received_on=when, description="Places")


@pytest.fixture
def other_source():
    """Another feature's timeline source (jobs reported), as employment would register it."""
    def jobs(alumnus):
        return [TimelineItem(when=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), kind="employment",
                             title=f"Job reported by {alumnus.given_name}")]

    add_timeline_source("test-jobs", jobs)
    yield
    timeline._SOURCES.pop("test-jobs", None)


def test_timeline_merges_every_source_newest_first(app, world, db, make_event, other_source):
    officer = world.users["officer"]
    record_contribution(_gift(world.alumnus, date(2026, 2, 1)), institution=world.home,
                        actor=officer)
    record_contribution(_gift(world.alumnus, date(2025, 11, 3), "internship"),
                        institution=world.home, actor=officer)
    fair = make_event(world.home, title="Career fair", event_date=date(2025, 12, 1))
    record_attendance(fair, student_numbers=world.alumnus.student_number, actor=officer)
    upcoming = make_event(world.home, title="Reunion", event_date=TODAY + timedelta(days=10))
    register_for_event(upcoming, world.alumnus, actor=world.users["alumnus"])
    db.session.commit()

    with app.test_request_context():  # some features' sources link to their pages
        items = timeline_for(world.alumnus)
        second = timeline_for(world.second_alumnus)
    assert [(i.kind, i.title) for i in items] == [
        ("event_registration", "Registered for Reunion"),
        ("contribution", "Contribution: Donation (money)"),
        ("employment", f"Job reported by {world.alumnus.given_name}"),
        ("event", "Attended Career fair"),
        ("linkage", "Enabled: Internship placement at Acme"),
    ]
    assert second == [
        TimelineItem(when=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), kind="employment",
                     title=f"Job reported by {world.second_alumnus.given_name}")]


def _items(kind, n, when=TODAY):
    return [TimelineItem(when=when, kind=kind, title=kind) for _ in range(n)]


def test_score_follows_the_documented_formula():
    as_of = date(2026, 6, 30)
    items = (
        _items("event", 2, date(2026, 6, 1))  # 2 × 2
        + _items("event_lead", 1, date(2026, 1, 1))  # 4
        + _items("contribution", 1, date(2025, 7, 1))  # 3: the window's first day
        + _items("linkage", 1, date(2025, 6, 30))  # a day too old: nothing
        + _items("employment", 7, date(2026, 3, 1))  # capped at 5 × 1
        + _items("event_registration", 1, date(2026, 6, 1))  # 0
        + _items("something_new", 1, date(2026, 6, 1))  # default weight 1
        + _items("survey", 1, date(2026, 7, 1))  # after as_of: nothing
    )
    score = engagement_score(items, as_of=as_of)
    assert (score.since, score.until) == (date(2025, 7, 1), as_of)
    assert score.score == 4 + 4 + 3 + 5 + 0 + 1
    assert ("employment", 7, 1, 5) in score.lines
    assert engagement_score([], as_of=as_of).score == 0
    assert "Score = Σ weight × min(count, 5)" in services.score_formula_text()


def test_engagement_rate_with_known_data(db, make_institution, make_alumnus, make_user,
                                         make_event):
    inst = make_institution(code="RATE")
    officer = make_user("officer", inst)
    engaged = make_alumnus(inst, family_name="A-engaged")
    stale = make_alumnus(inst, family_name="B-stale")  # gave 400 days ago
    phone_only = make_alumnus(inst, family_name="C-phone", email=None, phone="+60123456789")
    unreachable_contact = make_alumnus(inst, family_name="D-none", email=None, phone=None)
    withdrawn = make_alumnus(inst, family_name="E-withdrawn")
    regranted = make_alumnus(inst, family_name="F-regranted")
    archived = make_alumnus(inst, family_name="G-archived",
                            archived_at=datetime.now(UTC))
    deceased = make_alumnus(inst, family_name="H-deceased", status="deceased")
    now = datetime.now(UTC)
    db.session.add_all([
        Consent(alumnus_id=withdrawn.id, purpose="contact", granted=True, method="officer",
                recorded_at=now - timedelta(days=30)),
        Consent(alumnus_id=withdrawn.id, purpose="contact", granted=False, method="officer",
                recorded_at=now - timedelta(days=1)),
        Consent(alumnus_id=regranted.id, purpose="contact", granted=False, method="officer",
                recorded_at=now - timedelta(days=30)),
        Consent(alumnus_id=regranted.id, purpose="contact", granted=True, method="officer",
                recorded_at=now - timedelta(days=1)),
    ])
    db.session.commit()
    record_contribution(_gift(engaged, TODAY - timedelta(days=20)), institution=inst,
                        actor=officer)
    record_contribution(_gift(stale, TODAY - timedelta(days=400)), institution=inst,
                        actor=officer)
    event = make_event(inst, event_date=TODAY - timedelta(days=3))
    record_attendance(event, student_numbers=" ".join(
        a.student_number for a in (engaged, phone_only, withdrawn, archived)), actor=officer)
    # registered but did not attend: not engagement
    later = make_event(inst, event_date=TODAY + timedelta(days=3))
    from app.engagement.models import Participation
    db.session.add(Participation(event_id=later.id, alumnus_id=regranted.id,
                                 institution_id=inst.id, status="registered"))
    db.session.commit()

    r = engagement_rate(inst.id)
    # contactable: engaged, stale, phone_only, regranted (not: no contact, withdrawn,
    # archived, deceased)
    assert r.contactable == 4
    assert [row.alumnus.id for row in r.engaged] == [engaged.id, phone_only.id]
    assert r.rate == pytest.approx(0.5)
    assert {a.id for a in r.not_engaged} == {stale.id, regranted.id}
    assert {row.alumnus.id for row in r.engaged_not_contactable} == {withdrawn.id, archived.id}
    row = r.engaged[0]
    assert row.sources == {"Contributions and linkages": TODAY - timedelta(days=20),
                           "Events attended": TODAY - timedelta(days=3)}
    assert r.by_source["Contributions and linkages"] == 1
    assert r.by_source["Events attended"] == 2
    assert unreachable_contact.id not in {a.id for a in r.not_engaged}
    assert deceased.id not in {a.id for a in r.not_engaged}


def test_a_registered_engagement_source_counts(db, world):
    def surveys(institution_id, since, until):
        return [(world.second_alumnus.id, until)] if institution_id == world.home.id else []

    services.add_engagement_source("test-surveys", "Surveys answered", surveys)
    try:
        r = engagement_rate(world.home.id)
    finally:
        services._SOURCES.pop("test-surveys")
    assert [row.alumnus.id for row in r.engaged] == [world.second_alumnus.id]
    assert r.contactable == 2 and r.rate == pytest.approx(0.5)


def test_rate_page_lists_the_records_behind_the_number(as_role, world, db, make_event):
    event = make_event(world.home, event_date=TODAY - timedelta(days=1))
    record_attendance(event, student_numbers=world.alumnus.student_number,
                      actor=world.users["officer"])
    db.session.commit()
    client = as_role("quality")
    page = client.get("/engagement/rate").get_data(as_text=True)
    assert "50.0 %" in page and world.alumnus.display_name in page
    page = client.get("/engagement/rate?show=not_engaged").get_data(as_text=True)
    assert world.second_alumnus.display_name in page
    assert world.alumnus.display_name not in page
    page = client.get("/engagement/rate?show=not_engaged").get_data(as_text=True)
    assert "<td>Active</td>" in page and "<td>active</td>" not in page
    text = client.get("/engagement/rate.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Group", "Alumnus id", "Student number", "Name", "Cohort"]
    assert sorted(r[:3] for r in rows[1:]) == [
        ["Contactable, not engaged", str(world.second_alumnus.id),
         world.second_alumnus.student_number],
        ["Engaged", str(world.alumnus.id), world.alumnus.student_number]]


def test_panels_show_score_and_timeline(as_role, world, db, make_event):
    event = make_event(world.home, title="Guest lecture on IoT", kind="guest_lecture",
                       event_date=TODAY - timedelta(days=1))
    record_attendance(event, student_numbers=world.alumnus.student_number, role="speaker",
                      actor=world.users["officer"])
    db.session.commit()
    staff = as_role("officer").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Speaker at Guest lecture on IoT" in staff
    assert 'engagement-score">4<' in staff and "Score = Σ weight × min(count, 5)" in staff
    own = as_role("alumnus").get("/me").get_data(as_text=True)
    assert "Speaker at Guest lecture on IoT" in own and 'engagement-score">4<' in own
    assert f"/events/{event.id}" not in own  # alumni get no links to staff pages


def test_timeline_only_sources_count_in_the_rate(db, world):
    """A feature with a timeline source but no engagement source still counts (fallback)."""
    recent = TODAY - timedelta(days=5)

    def volunteering(alumnus):  # a kind no engagement source answers for
        if alumnus.id == world.alumnus.id:
            return [TimelineItem(when=recent, kind="volunteering", title="Helped at open day"),
                    TimelineItem(when=TODAY - timedelta(days=500), kind="volunteering",
                                 title="Long ago")]
        if alumnus.id == world.second_alumnus.id:
            # kinds a registered source answers for are not taken from timelines again
            return [TimelineItem(when=recent, kind="event", title="Attended, says the feed"),
                    TimelineItem(when=recent, kind="event_registration", title="Registered")]
        return []

    add_timeline_source("test-volunteering", volunteering)
    try:
        r = engagement_rate(world.home.id)
    finally:
        timeline._SOURCES.pop("test-volunteering", None)
    assert [(row.alumnus.id, row.sources) for row in r.engaged] == [
        (world.alumnus.id, {"volunteering": recent})]
    assert r.by_source["volunteering"] == 1
    assert [a.id for a in r.not_engaged] == [world.second_alumnus.id]


def test_admin_sees_the_rate_of_the_chosen_or_the_home_institution(as_role, world):
    admin = as_role("admin")
    assert "<small class=\"text-body-secondary\">Home Polytechnic" in admin.get(
        "/engagement/rate").get_data(as_text=True)
    page = admin.get(f"/engagement/rate?institution={world.other.id}").get_data(as_text=True)
    assert "<small class=\"text-body-secondary\">Other College" in page
    assert admin.get(f"/engagement/rate?institution={world.other.id + 100}").status_code == 404
    officer_page = as_role("officer").get(f"/engagement/rate?institution={world.other.id}")
    assert "<small class=\"text-body-secondary\">Home Polytechnic" in officer_page.get_data(
        as_text=True)


def test_rate_csv_opens_in_a_spreadsheet_with_names_in_any_script(as_role, world, db,
                                                                 make_event, make_alumnus):
    """UTF-8 with a byte-order mark (else Excel garbles Thai, Khmer and Burmese names) and no
    cell that a spreadsheet would run as a formula, as the register and feedback exports."""
    thai = make_alumnus(world.home, given_name="สมชาย", family_name="ใจดี")
    formula = make_alumnus(world.home, given_name="=HYPERLINK(\"http://evil\")",
                           family_name="X")
    event = make_event(world.home, event_date=TODAY - timedelta(days=1))
    record_attendance(event, student_numbers=f"{thai.student_number} {formula.student_number}",
                      actor=world.users["officer"])
    db.session.commit()
    response = as_role("officer").get("/engagement/rate.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    names = {r[2]: r[3] for r in rows[1:]}
    assert names[thai.student_number] == "สมชาย ใจดี"
    assert names[formula.student_number] == "'=HYPERLINK(\"http://evil\") X"


def test_a_list_page_looks_each_source_up_per_alumnus_on_postgresql(world, db):
    """PostgreSQL turns an EXISTS inside OR into a hash of every activity row of the window
    (30 ms a page at 100,000 alumni, growing with the activity); the lists' condition keeps
    each source an index look-up per alumnus read, while the counts keep the hashed form."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner")
    from sqlalchemy import text

    from app.engagement.lists import KEYS, list_query
    from app.engagement.services import contactable_alumni
    from app.reports.indicators.engaged import engaged_condition, window

    since, until = window()

    def plan(stmt) -> str:
        sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        return "\n".join(r[0] for r in db.session.execute(text(f"EXPLAIN {sql}")))

    for show in ("engaged", "not_engaged"):
        page = list_query(world.home.id, show, since, until, per_row=True).order_by(
            *KEYS).limit(51)
        assert "SubPlan" in plan(page) and "hashed SubPlan" not in plan(page), show
    # the same page with the counts' form of the condition: what the lists' form avoids
    hashed = contactable_alumni(world.home.id, one_by_one=True).where(
        engaged_condition(world.home.id, since, until)).order_by(*KEYS).limit(51)
    assert "hashed SubPlan" in plan(hashed)


def test_the_figures_read_each_source_once_not_once_per_alumnus(world, db):
    """E1 and the page's figures over every contactable alumnus read each source's activity
    in the window once, as a set (an OR of correlated EXISTS looked every alumnus up in
    each source: 2.3 s on PostgreSQL and 0.45 s on SQLite at 100,000 alumni, against 0.24 s).
    On SQLite no step of their plans is a subquery run per row."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    from app.engagement.lists import _figures

    figures, statements = statements_run(db.engine, lambda: _figures(world.home.id))
    counts = [s for s in statements if "count(" in s[0]]
    assert figures.contactable == 2 and len(counts) == 2  # E1 with each source's; outside
    # the first passes over every contactable alumnus (the second over the few engaged
    # alumni who are not contactable, each looked up)
    plan = query_plan(db.session.connection(), *counts[0])
    assert not [step for step in plan if "CORRELATED" in step], plan


def test_the_first_page_of_each_list_is_kept_with_the_figures(
        as_role, world, db, make_event, make_alumnus, app, monkeypatch):
    """With the figures kept, each list's first page is the one counted with them (its
    alumni read now, by id: a new name shows at once), later pages are read now from the
    cursor after it (each alumnus once), and a recount brings in who became engaged since.
    Figures kept before there were first pages are read too: their lists are read now."""
    import re

    from app.core.db import utcnow
    from app.core.figure_cache import KeptFigure, _keep, _name, wait_for_recounts
    from app.engagement import lists

    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    event = make_event(world.home, event_date=TODAY - timedelta(days=1))
    people = [make_alumnus(world.home, given_name=f"Attendee {n}", family_name=f"Ab{n}")
              for n in range(3)]
    record_attendance(event, student_numbers=",".join(a.student_number for a in people),
                      actor=world.users["officer"])
    db.session.commit()
    client = as_role("quality")

    def names(html):
        return re.findall(r'<td><a href="/alumni/\d+">([^<]+)</a></td>', html)

    first = client.get("/engagement/rate").get_data(as_text=True)
    assert names(first) == ["Attendee 0 Ab0", "Attendee 1 Ab1"]
    late = make_alumnus(world.home, given_name="Aaron", family_name="Aa")  # sorts first
    record_attendance(event, student_numbers=late.student_number, actor=world.users["officer"])
    people[1].given_name = "Renamed"
    db.session.commit()
    kept = client.get("/engagement/rate").get_data(as_text=True)
    assert names(kept) == ["Attendee 0 Ab0", "Renamed Ab1"]  # the kept page, names now
    following = re.search(r'rel="next" href="([^"]+)"', kept).group(1).replace("&amp;", "&")
    rest = names(client.get(following).get_data(as_text=True))
    assert "Attendee 2 Ab2" in rest and "Attendee 0 Ab0" not in rest  # after it, read now
    db.session.execute(KeptFigure.__table__.update().values(
        counted_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    client.get("/engagement/rate")
    wait_for_recounts()
    assert names(client.get("/engagement/rate").get_data(as_text=True))[0] == "Aaron Aa"
    # a value kept by the release before (no first pages): the lists are read now
    old = lists._figures(world.home.id)
    del old.__dict__["first_pages"]  # as pickled before the field was there
    _keep(_name(("engagement_figures", world.home.id)), old, utcnow())
    assert names(client.get("/engagement/rate").get_data(as_text=True))[0] == "Aaron Aa"
