"""Recording contributions: rules, acknowledgement mail, totals per currency, linkages, pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.contributions.models import Contribution
from app.contributions.services import (
    ContributionData,
    acknowledge_contribution,
    combine_money,
    contribution_totals,
    linkage_summary,
    parse_rates,
    record_contribution,
    void_contribution,
)
from app.core.audit import AuditEntry
from app.core.errors import PermissionDenied, ValidationFailed
from tests.conftest import query_plan, statements_run

DAY = date(2026, 2, 10)


def money(alumnus_id, amount, currency, category="donation", **kw) -> ContributionData:
    return ContributionData(donor_kind="alumnus", alumnus_id=alumnus_id, kind="monetary",
                            category=category, received_on=DAY, amount=amount,
                            currency=currency, **kw)


def in_kind(category, description="Ten laptops", **kw) -> ContributionData:
    values = {"donor_kind": "organisation", "organisation_name": "Acme Sdn Bhd",
              "kind": "in_kind", "category": category, "received_on": DAY,
              "description": description}
    values.update(kw)
    return ContributionData(**values)


def test_rules_are_checked(world):
    officer = world.users["officer"]
    cases = [
        (money(world.alumnus.id, "100", "XYZ"), "currency"),
        (money(world.alumnus.id, "-5", "MYR"), "amount"),
        (money(world.alumnus.id, "100", "MYR", category="equipment"), "category"),
        (money(None, "100", "MYR"), "alumnus_id"),
        (money(world.other_alumnus.id, "100", "MYR"), "alumnus_id"),
        (in_kind("donation"), "category"),
        (in_kind("equipment", organisation_name=" "), "organisation_name"),
        (in_kind("equipment", estimated_value="9000"), "value_currency"),
        (in_kind("equipment", estimated_value="9000", value_currency="MYR"), "valuation_basis"),
        (in_kind("equipment", description=""), "description"),
        (in_kind("equipment", received_on=date(2099, 1, 1)), "received_on"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationFailed) as err:
            record_contribution(data, institution=world.home, actor=officer)
        assert field in err.value.field_errors, (data, err.value.field_errors)


def test_currency_is_normalised_and_decimal_kept(world, db):
    c = record_contribution(money(world.alumnus.id, "1234.5", "myr", purpose="Library fund"),
                            institution=world.home, actor=world.users["officer"])
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Contribution, c.id)
    assert stored.currency == "MYR"
    assert stored.amount == Decimal("1234.50")
    assert stored.purpose == "Library fund"


def test_quality_staff_and_other_institutions_cannot_record(world):
    with pytest.raises(PermissionDenied):
        record_contribution(money(world.alumnus.id, "1", "MYR"), institution=world.home,
                            actor=world.users["quality"])
    with pytest.raises(PermissionDenied):
        record_contribution(money(world.alumnus.id, "1", "MYR"), institution=world.home,
                            actor=world.users["other_officer"])


def test_totals_keep_currencies_apart_and_count_donors(world, db):
    officer = world.users["officer"]
    for data in [
        money(world.alumnus.id, "100", "MYR"),
        money(world.alumnus.id, "25", "MYR", category="scholarship"),
        money(world.second_alumnus.id, "50", "USD"),
        in_kind("equipment", quantity=10, estimated_value="9000", value_currency="MYR",
                valuation_basis="supplier invoice"),
        in_kind("guest_lecture", organisation_name="ACME SDN  BHD", description="Talk",
                hours="2.5"),
    ]:
        record_contribution(data, institution=world.home, actor=officer)
    record_contribution(money(world.other_alumnus.id, "999", "MYR"), institution=world.other,
                        actor=world.users["other_officer"])
    db.session.commit()

    t = contribution_totals(actor=officer)
    assert t.money == {"MYR": {"count": 2, "amount": Decimal("125.00")},
                       "USD": {"count": 1, "amount": Decimal("50.00")}}
    assert t.money_by_category[("MYR", "scholarship")]["amount"] == Decimal("25.00")
    assert t.in_kind["equipment"]["quantity"] == 10
    assert t.in_kind["equipment"]["values"] == {"MYR": Decimal("9000.00")}
    assert t.in_kind["guest_lecture"]["hours"] == Decimal("2.50")
    # two alumni, and "Acme Sdn Bhd" / "ACME SDN  BHD" are one organisation
    assert (t.alumni_donors, t.organisation_donors, t.donors) == (2, 1, 3)

    with pytest.raises(ValidationFailed) as err:
        combine_money(t.money, target="MYR", rates={}, rate_date=date(2026, 2, 28))
    assert "USD" in err.value.field_errors["rates"][0]
    combined = combine_money(t.money, target="MYR", rates=parse_rates("USD 4.50"),
                             rate_date=date(2026, 2, 28))
    assert combined.total == Decimal("350.00")
    assert ("USD", Decimal("50.00"), Decimal("4.50"), Decimal("225.00")) in combined.lines


def _plans_of_totals(db, officer, year) -> list[str]:
    """SQLite's plan of each statement `contribution_totals` runs over the contributions."""
    _, statements = statements_run(db.engine,
                                   lambda: contribution_totals(actor=officer, year=year))
    return [" | ".join(query_plan(db.session.connection(), statement, parameters))
            for statement, parameters in statements
            if "FROM contribution" in statement and ("GROUP BY" in statement
                                                     or "count(DISTINCT" in statement)]


def test_totals_are_read_from_their_indexes_not_the_table(world, db):
    """Each of the totals' statements reads one covering index of the contributions that
    are not voided (SQLite's plan names it, covering: no read of the table), with the page's
    year filter too."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan; PostgreSQL chooses by its own statistics")
    officer = world.users["officer"]
    for data in [money(world.alumnus.id, "100", "MYR"),
                 in_kind("equipment", quantity=10, estimated_value="9000", value_currency="MYR",
                         valuation_basis="supplier invoice")]:
        record_contribution(data, institution=world.home, actor=officer)
    db.session.commit()
    for year in (None, date.today().year):
        plans = _plans_of_totals(db, officer, year)
        assert len(plans) == 3, plans
        for plan, index in zip(plans, ["ix_contribution_money_totals",
                                       "ix_contribution_in_kind_totals",
                                       "ix_contribution_donors"], strict=True):
            assert f"USING COVERING INDEX {index}" in plan, plan
        # the two grouped sums seek their kind and group in the index's order (no sort)
        for plan in plans[:2]:
            assert "(institution_id=? AND kind=?)" in plan and "GROUP BY" not in plan, plan


@pytest.mark.parametrize("typed", ["1e30", "1e20", "1000000000000"])
def test_amounts_too_large_to_store_are_refused_with_the_largest_accepted(world, db, typed):
    """1e30 crashed the rounding (a 500); 1e20 was saved into Numeric(14, 2), which
    PostgreSQL refuses (a 500 at the commit)."""
    officer = world.users["officer"]
    largest = "Enter at most 999,999,999,999.99."
    with pytest.raises(ValidationFailed) as err:
        record_contribution(money(world.alumnus.id, typed, "MYR"), institution=world.home,
                            actor=officer)
    assert err.value.field_errors["amount"] == [largest]
    with pytest.raises(ValidationFailed) as err:
        record_contribution(in_kind("equipment", estimated_value=typed, value_currency="MYR",
                                    valuation_basis="Invoice", hours=typed,
                                    quantity=10**20),
                            institution=world.home, actor=officer)
    assert err.value.field_errors["estimated_value"] == [largest]
    assert err.value.field_errors["hours"] == ["Enter at most 999,999.99."]
    assert err.value.field_errors["quantity"] == ["Enter a quantity of at most 1,000,000."]
    c = record_contribution(money(world.alumnus.id, "999999999999.99", "MYR"),
                            institution=world.home, actor=officer)
    db.session.commit()
    assert db.session.get(Contribution, c.id).amount == Decimal("999999999999.99")


def test_contribution_form_shows_the_largest_amount_next_to_the_field(as_role, world, db):
    page = as_role("officer").post("/contributions/new", data={
        "donor_kind": "alumnus", "student_number": world.alumnus.student_number,
        "kind": "monetary", "category": "donation", "received_on": "2026-02-01",
        "amount": "1e30", "currency": "MYR"})
    assert page.status_code == 200
    assert "Enter at most 999,999,999,999.99." in page.get_data(as_text=True)
    assert db.session.scalar(select(Contribution)) is None


def test_rate_table_errors_are_in_words_and_huge_rates_refused(as_role, world, db):
    with pytest.raises(ValidationFailed) as err:
        parse_rates("USD 4.70\nTHB abc\nSGD 1e400")
    assert err.value.field_errors["rates"] == [
        "Line 2: write the rate as a number, e.g. 4.70",
        "Line 3: the rate must be at most 1,000,000"]
    record_contribution(money(world.alumnus.id, "10", "USD"), institution=world.home,
                        actor=world.users["officer"])
    db.session.commit()
    page = as_role("quality").get("/contributions/totals?target=MYR&rate_date=2026-02-28"
                                   "&rates=USD+1e400")
    assert page.status_code == 200
    assert "the rate must be at most 1,000,000" in page.get_data(as_text=True)


def test_rate_table_is_checked():
    assert parse_rates("USD 4.70\n\nthb=0.13") == {"USD": Decimal("4.70"),
                                                   "THB": Decimal("0.13")}
    with pytest.raises(ValidationFailed):
        parse_rates("USD")
    with pytest.raises(ValidationFailed):
        parse_rates("ABC 1.0")
    with pytest.raises(ValidationFailed):
        parse_rates("USD -1")


def test_linkages_count_what_alumni_enabled(world, db):
    officer = world.users["officer"]
    record_contribution(in_kind("internship", description="3 internship places",
                                alumnus_id=world.alumnus.id), institution=world.home,
                        actor=officer)
    record_contribution(in_kind("hire", description="Hired a 2025 graduate",
                                organisation_name="Beta Co", alumnus_id=world.second_alumnus.id),
                        institution=world.home, actor=officer)
    record_contribution(in_kind("mou", description="MOU signed", alumnus_id=world.alumnus.id),
                        institution=world.home, actor=officer)
    # not an alumni-enabled link: nobody credited, or not a linkage category
    record_contribution(in_kind("job_posting", description="Posting"), institution=world.home,
                        actor=officer)
    record_contribution(in_kind("equipment", alumnus_id=world.alumnus.id),
                        institution=world.home, actor=officer)
    db.session.commit()
    s = linkage_summary(actor=officer)
    assert s.total == 3
    assert s.by_category["internship"] == 1 and s.by_category["hire"] == 1
    assert s.by_category["mou"] == 1 and s.by_category["job_posting"] == 0
    assert (s.alumni, s.organisations) == (2, 2)


def test_acknowledgement_reaches_the_smtp_server(world, db, smtp_server):
    c = record_contribution(money(world.alumnus.id, "300", "THB", purpose="Scholarship fund"),
                            institution=world.home, actor=world.users["officer"])
    db.session.commit()
    acknowledge_contribution(c, actor=world.users["officer"])
    db.session.commit()
    [message] = smtp_server.to(world.alumnus.email)
    body = smtp_server.text(message)
    assert c.receipt_number in message["Subject"]
    assert "HOME-2026-000001" in body and "THB300.00" in body and "Scholarship fund" in body
    db.session.expire_all()
    stored = db.session.get(Contribution, c.id)
    assert stored.acknowledged_at is not None
    assert stored.acknowledged_to == world.alumnus.email


def test_refused_acknowledgement_is_not_recorded(world, db, smtp_server):
    c = record_contribution(money(world.alumnus.id, "1", "MYR",
                                  contact_email="undeliverable@example.org"),
                            institution=world.home, actor=world.users["officer"])
    db.session.commit()
    acknowledge_contribution(c, actor=world.users["officer"])
    db.session.commit()  # the message leaves now, and the server refuses the mailbox
    assert smtp_server.messages == []
    db.session.expire_all()
    assert db.session.get(Contribution, c.id).acknowledged_at is None
    refused = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "contribution.acknowledge_refused"))
    assert refused.entity_id == str(c.id) and "550" in refused.after["error"]


def test_acknowledgement_waits_for_the_commit_and_a_rollback_sends_nothing(world, db,
                                                                           smtp_server):
    c = record_contribution(money(world.alumnus.id, "5", "THB"), institution=world.home,
                            actor=world.users["officer"])
    acknowledge_contribution(c, actor=world.users["officer"])  # recorded and acknowledged at once
    assert smtp_server.messages == []
    db.session.rollback()
    assert smtp_server.messages == [] and db.session.scalar(select(Contribution)) is None


def test_officer_records_through_the_page_and_the_donor_gets_mail(as_role, world, db,
                                                                   smtp_server):
    client = as_role("officer")
    response = client.post("/contributions/new", data={
        "donor_kind": "organisation", "student_number": world.alumnus.student_number,
        "organisation_name": "Gamma Engineering", "contact_email": "hr@gamma.example",
        "kind": "in_kind", "category": "internship", "received_on": "2026-02-01",
        "description": "Four internship places", "quantity": "4",
        "send_acknowledgement": "y",
    })
    assert response.status_code == 302
    c = db.session.scalar(select(Contribution))
    assert c.receipt_number == "HOME-2026-000001"
    assert c.alumnus_id == world.alumnus.id and c.is_linkage
    assert len(smtp_server.to("hr@gamma.example")) == 1
    page = client.get(response.headers["Location"])
    assert b"HOME-2026-000001" in page.data and b"hr@gamma.example" in page.data


def test_form_errors_are_shown_and_nothing_saved(as_role, db):
    response = as_role("officer").post("/contributions/new", data={
        "donor_kind": "alumnus", "student_number": "NOPE", "kind": "monetary",
        "category": "donation", "received_on": "2026-02-01", "amount": "10", "currency": "MYR",
    })
    assert response.status_code == 200
    assert b"No alumnus with student number NOPE" in response.data
    assert db.session.scalar(select(Contribution)) is None


def test_totals_page_states_the_rates(as_role, world, db):
    officer = world.users["officer"]
    record_contribution(money(world.alumnus.id, "100", "MYR"), institution=world.home,
                        actor=officer)
    record_contribution(money(world.alumnus.id, "10", "USD"), institution=world.home,
                        actor=officer)
    db.session.commit()
    client = as_role("quality")
    plain = client.get("/contributions/totals").get_data(as_text=True)
    # each currency's total by Babel in the page's language (English: "MYR100.00", "$10.00")
    assert "MYR100.00" in plain and "$10.00" in plain and 'id="combined"' not in plain
    combined = client.get("/contributions/totals?target=MYR&rate_date=2026-02-28"
                          "&rates=USD+4.00").get_data(as_text=True)
    assert "MYR140.00" in combined and "28 Feb 2026" in combined and "4.00" in combined
    missing = client.get("/contributions/totals?target=MYR&rate_date=2026-02-28")
    assert "State a rate for: USD" in missing.get_data(as_text=True)


def test_organisation_links_to_the_employer_register(world, db):
    from app.employment.models import Employer
    from app.employment.services import normalise_employer_name

    employer = Employer(institution_id=world.home.id, name="PT Nusantara Digital",
                        normalised_name=normalise_employer_name("PT Nusantara Digital"))
    db.session.add(employer)
    db.session.commit()
    officer = world.users["officer"]
    a = record_contribution(in_kind("equipment", organisation_name="Nusantara Digital"),
                            institution=world.home, actor=officer)
    b = record_contribution(in_kind("training", organisation_name="Unknown Foundation",
                                    description="Course"), institution=world.home,
                            actor=officer)
    c = record_contribution(in_kind("materials", organisation_name="PT. Nusantara Digital",
                                    description="Cables"), institution=world.home,
                            actor=officer)
    db.session.commit()
    assert (a.employer_id, b.employer_id, c.employer_id) == (employer.id, None, employer.id)
    assert a.organisation_name == "Nusantara Digital"  # as given, for the receipt
    assert contribution_totals(actor=officer).organisation_donors == 2


def test_a_voided_record_keeps_its_number_and_leaves_the_totals(world, db, as_role):
    officer = world.users["officer"]
    first = record_contribution(money(world.alumnus.id, "100", "MYR"), institution=world.home,
                                actor=officer)
    link = record_contribution(in_kind("hire", description="Hire", alumnus_id=world.alumnus.id),
                               institution=world.home, actor=officer)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        void_contribution(first, " ", actor=officer)
    with pytest.raises(PermissionDenied):
        void_contribution(first, "typo", actor=world.users["quality"])
    response = as_role("officer").post(f"/contributions/{first.id}/void",
                                       data={"reason": "Entered twice"})
    assert response.status_code == 302
    void_contribution(link, "Not a hire after all", actor=officer)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contribution, first.id).void_reason == "Entered twice"
    t = contribution_totals(actor=officer)
    assert (t.count, t.money, t.donors) == (0, {}, 0)
    assert linkage_summary(actor=officer).total == 0
    with pytest.raises(ValidationFailed):
        acknowledge_contribution(db.session.get(Contribution, first.id), actor=officer)
    db.session.rollback()
    nxt = record_contribution(money(world.alumnus.id, "5", "MYR"), institution=world.home,
                              actor=officer)
    assert nxt.receipt_number == "HOME-2026-000003"  # voided numbers stay used
    listed = as_role("officer").get("/contributions/?void=1").get_data(as_text=True)
    assert "HOME-2026-000001" in listed and "Void" in listed
    assert "HOME-2026-000001" not in as_role("officer").get("/contributions/").get_data(
        as_text=True)


def test_pages_say_why_an_acknowledgement_or_a_void_was_refused(world, db, as_role,
                                                                   smtp_server):
    c = record_contribution(in_kind("equipment"), institution=world.home,
                            actor=world.users["officer"])
    db.session.commit()
    client = as_role("officer")
    refused = client.post(f"/contributions/{c.id}/acknowledge", follow_redirects=True)
    assert ("Acknowledgement not sent. There is no e-mail address to send it to."
            in refused.get_data(as_text=True))
    assert client.post(f"/contributions/{c.id}/void", data={"reason": "Twice"}).status_code == 302
    again = client.post(f"/contributions/{c.id}/void", data={"reason": "Twice"},
                        follow_redirects=True)
    assert "This record is already voided." in again.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Contribution, c.id)
    assert saved.acknowledged_at is None and saved.void_reason == "Twice"
    assert smtp_server.messages == []


def test_recording_acknowledging_and_voiding_are_audited(world, db, smtp_server):
    from app.core.audit import AuditEntry

    officer = world.users["officer"]
    c = record_contribution(in_kind("equipment", contact_email="hr@acme.example"),
                            institution=world.home, actor=officer)
    db.session.commit()
    acknowledge_contribution(c, actor=officer)
    void_contribution(c, "Entered twice", actor=officer)
    db.session.commit()
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "Contribution", AuditEntry.entity_id == str(c.id)))}
    created = entries["contribution.create"]
    assert created.before is None
    assert set(created.after) == {col.key for col in Contribution.__mapper__.column_attrs}
    assert (created.after["receipt_number"], created.after["contact_email"],
            created.after["institution_id"]) == (c.receipt_number, "hr@acme.example",
                                                 world.home.id)
    ack, void = entries["contribution.acknowledge"], entries["contribution.void"]
    assert ack.before == {"acknowledged_at": None, "acknowledged_to": None}
    assert ack.after["acknowledged_to"] == "hr@acme.example" and ack.after["acknowledged_at"]
    assert void.before == {"voided_at": None, "void_reason": None}
    assert void.after["void_reason"] == "Entered twice" and void.after["voided_at"]
    assert ack.actor_id == void.actor_id == officer.id


def test_admin_records_for_the_chosen_or_the_home_institution(as_role, world, db):
    admin = as_role("admin")
    gift = {"donor_kind": "organisation", "organisation_name": "Gamma Engineering",
            "kind": "monetary", "category": "donation", "received_on": "2026-02-01",
            "amount": "10", "currency": "MYR"}
    assert admin.post(f"/contributions/new?institution={world.other.id}",
                      data=gift).status_code == 302
    assert admin.post("/contributions/new", data=gift).status_code == 302
    assert sorted(db.session.execute(select(Contribution.receipt_number,
                                            Contribution.institution_id)).all()) == [
        ("HOME-2026-000001", world.home.id), ("OTHER-2026-000001", world.other.id)]
