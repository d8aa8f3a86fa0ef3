"""The register: create, search in any script, filters, sorting, pages, edit, archive."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.alumni import services
from app.alumni.models import Alumnus
from app.core.audit import AuditEntry
from app.core.errors import PermissionDenied, ValidationFailed
from tests.conftest import planner_statistics

UNICODE_NAMES = [
    ("สมชาย", "ใจดี", "สมชาย"),  # Thai
    ("Nguyễn Thị", "Hương", "nguyen thi"),  # Vietnamese: found without diacritics
    ("Trần Văn", "Đức", "duc tran"),  # word order and đ
    ("សុភា", "ចាន់", "សុភា"),  # Khmer
    ("အောင်ကျော်", None, "အောင်ကျော်"),  # Burmese, one name
]


@pytest.mark.parametrize("given,family,query", UNICODE_NAMES)
def test_unicode_names_round_trip_create_search_display(as_role, world, db, given, family,
                                                        query):
    client = as_role("officer")
    response = client.post("/alumni/new", data={
        "student_number": "U-2024/001", "given_name": given, "family_name": family or "",
        "programme_id": world.programme.id, "cohort_year": 2024, "status": "active"})
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = db.session.scalar(db.select(Alumnus).where(Alumnus.student_number == "U-2024/001"))
    assert (stored.given_name, stored.family_name) == (given, family)
    listing = client.get("/alumni/", query_string={"q": query}).get_data(as_text=True)
    assert given in listing
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert given in detail and (family or "") in detail


def test_search_matches_number_and_email_and_every_word(world, make_alumnus):
    make_alumnus(world.home, given_name="Siti", family_name="binti Hassan",
                 student_number="22DIT00042", email="siti.h@example.org")
    officer = world.users["officer"]

    def find(q):
        stmt = services.search_alumni(services.RegisterFilters(q=q), actor=officer)
        return [a.given_name for a in services.db.session.scalars(stmt)]

    assert find("22dit00042") == ["Siti"]
    assert find("SITI.H@") == ["Siti"]
    assert find("hassan siti") == ["Siti"]
    assert find("hassan nobody") == []
    assert find("100%") == []  # LIKE wildcards are taken literally


def test_filters_sorting_and_pagination(as_role, world, make_alumnus, make_programme):
    other_programme = make_programme(world.home, code="DME", study_area="mechatronics")
    for i in range(30):
        make_alumnus(world.home, given_name=f"Anh{i:02d}", family_name=f"Z{i:02d}",
                     programme_id=other_programme.id, cohort_year=2022 if i % 2 else 2023,
                     country="VN" if i < 10 else "TH")
    client = as_role("officer")
    page = client.get("/alumni/", query_string={"programme": other_programme.id, "cohort": 2023,
                                                "country": "TH"}).get_data(as_text=True)
    assert "10 records" in page  # i in 10..29, even: 10 of them
    # the country list keeps the chosen country chosen, and only that one
    assert re.findall(r'<option value="([A-Z]{2})" *selected>', page) == ["TH"]
    assert re.search(r'<option value="VN" *>Viet Nam</option>', page)
    first = client.get("/alumni/", query_string={"programme": other_programme.id,
                                                 "sort": "name", "dir": "desc"})
    text = first.get_data(as_text=True)
    assert text.index("Anh29") < text.index("Anh28")
    assert "Anh04" not in text  # 25 per page: the last five are on page 2
    second = client.get("/alumni/", query_string={"programme": other_programme.id,
                                                  "sort": "name", "dir": "desc", "page": 2})
    assert "Anh04" in second.get_data(as_text=True)


def test_officer_sees_only_own_institution(as_role, world):
    listing = as_role("other_officer").get("/alumni/").get_data(as_text=True)
    assert world.other_alumnus.given_name in listing
    assert world.alumnus.given_name not in listing
    assert as_role("other_officer").get(f"/alumni/{world.alumnus.id}").status_code == 404


def test_admin_sees_every_institution(as_role, world):
    listing = as_role("admin").get("/alumni/").get_data(as_text=True)
    assert world.other_alumnus.given_name in listing and world.alumnus.given_name in listing


def test_create_refuses_duplicate_student_number_with_message(as_role, world, db):
    response = as_role("officer").post("/alumni/new", data={
        "student_number": world.alumnus.student_number.lower(), "given_name": "Copy",
        "status": "active"})
    assert response.status_code == 200
    assert "Another alumnus of this institution has this student number." in \
        response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Alumnus.id))) == 3


def test_same_student_number_is_fine_in_another_institution(world, db):
    alumnus = services.create_alumnus(
        services.AlumnusData(student_number=world.alumnus.student_number, given_name="Other"),
        institution=world.other, actor=world.users["other_officer"])
    assert alumnus.id is not None


@pytest.mark.parametrize("field,value,message", [
    ("student_number", "bad number!", "Use letters and digits"),
    ("email", "not-an-email", "not valid"),
    ("phone", "12", "phone number"),
    ("country", "XX", "ISO 3166"),
])
def test_bad_values_get_a_message_next_to_the_field(world, field, value, message):
    values = {"student_number": "OK1", "given_name": "Ok", field: value}
    data = services.AlumnusData(**values)
    with pytest.raises(ValidationFailed) as exc:
        services.create_alumnus(data, institution=world.home, actor=world.users["officer"])
    assert message in " ".join(exc.value.field_errors[field])


def test_phone_is_stored_in_e164_and_cohort_follows_graduation(world):
    alumnus = services.create_alumnus(
        services.AlumnusData(student_number="P1", given_name="Lan", phone="091 234 5678",
                             country="VN", graduation_date=date(2023, 6, 30)),
        institution=world.home, actor=world.users["officer"])
    assert alumnus.phone == "+84912345678"
    assert alumnus.cohort_year == 2023


def test_quality_staff_cannot_write_even_through_services(world):
    with pytest.raises(PermissionDenied):
        services.create_alumnus(services.AlumnusData(student_number="Q1", given_name="Q"),
                                institution=world.home, actor=world.users["quality"])


def test_edit_writes_audit_with_before_and_after(as_role, world, db):
    alumnus = world.second_alumnus
    client = as_role("officer")
    response = client.post(f"/alumni/{alumnus.id}/edit", data={
        "version": alumnus.version, "student_number": alumnus.student_number,
        "given_name": "Renamed", "status": "active"})
    assert response.status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "alumnus.update"))
    assert entry.before["given_name"] == alumnus.given_name
    assert entry.after["given_name"] == "Renamed"
    assert entry.actor_id == world.users["officer"].id


def test_archive_hides_from_list_and_restore_brings_back(as_role, world, db):
    client = as_role("officer")
    alumnus = world.second_alumnus
    assert client.post(f"/alumni/{alumnus.id}/archive").status_code == 302
    assert alumnus.given_name not in client.get("/alumni/").get_data(as_text=True)
    assert alumnus.given_name in client.get("/alumni/?archived=1").get_data(as_text=True)
    client.post(f"/alumni/{alumnus.id}/archive?restore=1")
    assert alumnus.given_name in client.get("/alumni/").get_data(as_text=True)


def test_audit_log_refuses_changes(world, db):
    entry = AuditEntry(action="x", entity_type="Alumnus")
    db.session.add(entry)
    db.session.commit()
    entry.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_working_institution_rules(world, db, make_user):
    """Officers and quality staff work in their own institution, whatever they ask for; an
    administrator in the chosen one, else the home institution; none, NotFound."""
    from app.core.errors import NotFound

    officer, admin = world.users["officer"], world.users["admin"]
    assert services.working_institution(officer) == world.home
    assert services.working_institution(officer, world.other.id) == world.home
    assert services.working_institution(world.users["quality"], world.other.id) == world.home
    assert services.working_institution(world.users["other_officer"]) == world.other
    assert services.working_institution(admin) == world.home
    assert services.working_institution(admin, world.other.id) == world.other
    with pytest.raises(NotFound):
        services.working_institution(admin, world.other.id + 100)
    world.home.is_home = False
    db.session.commit()
    with pytest.raises(NotFound):
        services.working_institution(admin)


def test_admin_adds_an_alumnus_to_the_chosen_or_the_home_institution(as_role, world, db):
    admin = as_role("admin")
    assert "Add an alumnus to Home Polytechnic" in admin.get("/alumni/new").get_data(
        as_text=True)
    response = admin.post(f"/alumni/new?institution={world.other.id}", data={
        "student_number": "X-1", "given_name": "Lan", "programme_id": world.other_programme.id,
        "status": "active"})
    assert response.status_code == 302, response.get_data(as_text=True)
    response = admin.post("/alumni/new", data={"student_number": "H-1", "given_name": "Ana",
                                               "status": "active"})
    assert response.status_code == 302
    placed = dict(db.session.execute(db.select(Alumnus.student_number, Alumnus.institution_id)
                                     .where(Alumnus.student_number.in_(("X-1", "H-1")))).all())
    assert placed == {"X-1": world.other.id, "H-1": world.home.id}
    assert admin.get(f"/alumni/new?institution={world.other.id + 100}").status_code == 404
    # an officer's choice is ignored: their own institution
    page = as_role("officer").get(f"/alumni/new?institution={world.other.id}")
    assert "Add an alumnus to Home Polytechnic" in page.get_data(as_text=True)


def test_a_cohort_later_than_graduation_is_refused(world):
    """The cohort is the graduation year unless stated: a stated one cannot come after it."""
    with pytest.raises(ValidationFailed) as exc:
        services.create_alumnus(
            services.AlumnusData(student_number="C1", given_name="Lan", cohort_year=2025,
                                 graduation_date=date(2023, 6, 30)),
            institution=world.home, actor=world.users["officer"])
    assert "later than the graduation year (2023)" in exc.value.field_errors["cohort_year"][0]


def test_a_cohort_before_graduation_is_saved_with_a_warning(as_role, world, db):
    client = as_role("officer")
    page = client.post("/alumni/new", data={
        "student_number": "C2", "given_name": "Lan", "programme_id": world.programme.id,
        "cohort_year": 2019, "graduation_date": "2023-06-30", "status": "active"},
        follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Lan is in the register." in text
    assert "The cohort (2019) is not the graduation year (2023)" in text
    alumnus = db.session.scalar(db.select(Alumnus).where(Alumnus.student_number == "C2"))
    assert alumnus.cohort_year == 2019
    page = client.post(f"/alumni/{alumnus.id}/edit", data={
        "student_number": "C2", "given_name": "Lan", "programme_id": world.programme.id,
        "cohort_year": 2023, "graduation_date": "2023-06-30", "status": "active",
        "version": alumnus.version}, follow_redirects=True)
    assert "Saved." in page.get_data(as_text=True)
    assert "is not the graduation year" not in page.get_data(as_text=True)


def test_register_errors_say_what_to_do(world):
    with pytest.raises(ValidationFailed) as exc:
        services.create_alumnus(
            services.AlumnusData(student_number=" ", given_name="", cohort_year=1900,
                                 birth_date=date(2099, 1, 1), graduation_date=date(2024, 6, 30),
                                 award_date=date(2024, 1, 1)),
            institution=world.home, actor=world.users["officer"])
    errors = {k: v[0] for k, v in exc.value.field_errors.items()}
    assert errors["student_number"] == "Fill in the student number."
    assert errors["given_name"] == "Fill in the given name."
    assert errors["cohort_year"].startswith("Enter a cohort year from 1950 to ")
    assert errors["award_date"] == "Enter an award date on or after the graduation date."
    assert errors["birth_date"] == "Enter a birth date before the graduation date."


def test_a_buddhist_era_graduation_date_is_refused_with_its_common_era_year(world):
    """2566 is 2023: taken as written it became a cohort of 2566."""
    with pytest.raises(ValidationFailed) as exc:
        services.create_alumnus(
            services.AlumnusData(student_number="BE1", given_name="Suda",
                                 graduation_date=date(2566, 3, 30)),
            institution=world.home, actor=world.users["officer"])
    errors = exc.value.field_errors
    assert "2566 is 2023" in errors["graduation_date"][0]
    assert "cohort_year" not in errors


@pytest.mark.parametrize("statistics", [True, False])
def test_a_search_reads_only_the_records_the_index_found(world, make_alumnus, statistics):
    """The search starts from the text index's few ids and looks each record up by its key;
    no step passes over the register (a scan, the institution's index, or on SQLite the Bloom
    filter it builds for a join by reading the table), with the planner's statistics of a
    register of 100,000 and without any (a database nobody analysed)."""
    for i in range(40):
        make_alumnus(world.home, given_name=f"Minh{i:02d}", family_name="Nguyễn")
    services.db.session.commit()
    conn = services.db.session.connection()
    # as a register of 100,000 has them (40 records make any plan cheap), or none
    planner_statistics(conn, 100_000 if statistics else None)
    stmt = services.search_alumni(services.RegisterFilters(q="nguyen minh07"),
                                  actor=world.users["officer"])
    if conn.dialect.name == "sqlite":
        compiled = stmt.compile(conn)
        params = tuple(compiled.params[k] for k in compiled.positiontup)
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled),
                                                       params)]
        register_steps = [step for step in plan if re.search(r"\balumnus\b(?!_)", step)]
        assert register_steps == ["SEARCH alumnus USING INTEGER PRIMARY KEY (rowid=?)"], plan
    assert [a.given_name for a in services.db.session.scalars(stmt)] == ["Minh07"]


def test_a_search_sorts_names_by_the_page_language_where_the_database_can(app, world,
                                                                          make_alumnus):
    """Thai collation puts a leading vowel after its consonant (เกษม sorts with ก, before ข);
    PostgreSQL's ICU collation does so, SQLite keeps the characters' own order (README)."""
    for given in ("ขวัญ", "เกษม", "กมล"):
        make_alumnus(world.home, given_name=given, family_name="ใจดี")
    services.db.session.commit()
    from app.core.i18n import in_language

    with app.test_request_context("/"), in_language("th", world.home.id):
        stmt = services.search_alumni(services.RegisterFilters(q="ใจดี"),
                                      actor=world.users["officer"])
        names = [a.given_name for a in services.db.session.scalars(stmt)]
    if services.db.session.get_bind().dialect.name == "postgresql":
        assert names == ["กมล", "เกษม", "ขวัญ"]
    else:
        assert names == ["กมล", "ขวัญ", "เกษม"]
