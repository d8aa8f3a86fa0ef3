"""Institutions, programmes and accounts, through the pages and the command line."""

from __future__ import annotations

from app.alumni.models import Alumnus, Institution, Programme
from app.auth.models import User


def test_admin_creates_institution_and_programme_through_pages(as_role, db):
    client = as_role("admin")
    response = client.post("/admin/institutions/new", data={
        "code": "kmitl", "name": "Institute of Technology", "country": "TH",
        "kind": "university_of_technology"})
    assert response.status_code == 302
    inst = db.session.scalar(db.select(Institution).where(Institution.code == "KMITL"))
    response = client.post(f"/admin/institutions/{inst.id}/programmes/new", data={
        "code": "mte", "name": "Mechatronics", "level": "bachelor", "study_area": "mechatronics",
        "isced_code": "0714", "duration_months": 48, "active": "y"})
    assert response.status_code == 302
    prog = db.session.scalar(db.select(Programme).where(Programme.institution_id == inst.id))
    assert (prog.code, prog.study_area, prog.isced_code) == ("MTE", "mechatronics", "0714")


def test_bad_programme_values_are_shown_next_to_the_field(as_role, world):
    response = as_role("admin").post(f"/admin/institutions/{world.home.id}/programmes/new", data={
        "code": world.programme.code, "name": "Again", "level": "diploma", "study_area": "it",
        "isced_code": "x1"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already has a programme with this code" in text
    assert "ISCED-F field code has 2 to 4 digits" in text


def test_only_one_home_institution(as_role, world, db):
    as_role("admin").post(f"/admin/institutions/{world.other.id}/edit", data={
        "code": "OTHER", "name": "Other College", "country": "VN", "kind": "college",
        "is_home": "y"})
    homes = db.session.scalars(db.select(Institution.code).where(Institution.is_home)).all()
    assert homes == ["OTHER"]


def test_admin_creates_and_deactivates_a_staff_account(as_role, world, db, client):
    admin = as_role("admin")
    response = admin.post("/admin/users/new", data={
        "email": "New.Officer@Example.org", "role": "officer", "institution_id": world.home.id})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new.officer@example.org"))
    assert user.institution_id == world.home.id
    assert user.password_hash is None  # they choose it from the invitation
    admin.post(f"/admin/users/{user.id}/active")
    db.session.expire_all()
    assert not db.session.get(User, user.id).active


def test_officer_account_needs_an_institution(as_role, db):
    response = as_role("admin").post("/admin/users/new", data={
        "email": "x@example.org", "role": "officer", "institution_id": ""})
    assert "belong to an institution" in response.get_data(as_text=True)


def test_cli_sets_up_an_institution_programme_and_user(runner, db):
    result = runner.invoke(args=["add-institution", "np1", "Northern Polytechnic",
                                 "--country", "th", "--home"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["add-programme", "DME", "Diploma in Mechatronics",
                                 "--institution", "NP1", "--study-area", "mechatronics",
                                 "--level", "diploma", "--isced", "0714"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-user", "officer@np1.example", "--role", "officer",
                                 "--institution", "NP1"], input="a-long-password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "officer@np1.example"))
    assert user.check_password("a-long-password")
    assert user.institution.code == "NP1"


def test_cli_errors_give_a_message_and_non_zero_exit(runner, db):
    result = runner.invoke(args=["add-institution", "X1", "Bad", "--country", "ZZ"])
    assert result.exit_code == 2
    assert "ISO 3166" in result.output
    result = runner.invoke(args=["create-user", "a@b.example", "--role", "officer",
                                 "--institution", "NOPE"], input="a-long-password\n")
    assert result.exit_code != 0 and "no institution" in result.output
    result = runner.invoke(args=["add-institution", "X2", "Ok", "--country", "TH"])
    assert "Added institution X2 (Ok) as home." in result.output  # the first one is home
    result = runner.invoke(args=["add-institution", "X3", "Ok", "--country", "TH", "--home"])
    assert "Added institution X3 (Ok) as home in place of X2." in result.output
    result = runner.invoke(args=["create-user", "a@b.example", "--role", "officer"],
                           input="short\n")
    assert result.exit_code == 2 and "at least 10 characters" in result.output


def test_seed_demo_is_reproducible_and_refuses_a_full_database(app, runner, db):
    from tests.conftest import _wipe

    def seeded_names():
        result = runner.invoke(args=["seed-demo", "--alumni", "40", "--seed", "7"])
        assert result.exit_code == 0, result.output
        assert "officer@demo.alumnet.example" in result.output
        assert "demo-officer-pass" in result.output
        return db.session.scalars(db.select(Alumnus.given_name).order_by(Alumnus.id)).all()

    first = seeded_names()
    from app.auth.demo import DEMO_LOGINS

    for role, email, password, _ in DEMO_LOGINS:  # every printed login works on the page
        response = app.test_client().post("/auth/login", data={"email": email,
                                                               "password": password})
        assert response.status_code == 302, (role, response.get_data(as_text=True)[:500])
    db.session.rollback()  # end this session's transaction, or the wipe would wait on it
    _wipe(app)
    names = seeded_names()
    assert names == first and len(names) == 40
    assert any(any(ord(ch) >= 0x0E00 for ch in n) for n in names)  # names from the region
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0 and "already has institutions" in again.output
    quiet = runner.invoke(args=["seed-demo", "--if-empty"])
    assert quiet.exit_code == 0 and "demo-alumnus-pass" in quiet.output


def test_programme_changes_leave_audit_entries(as_role, world, db):
    from app.core.audit import AuditEntry

    client = as_role("admin")
    values = {"code": "mte", "name": "Mechatronics", "level": "bachelor",
              "study_area": "mechatronics", "isced_code": "0714", "duration_months": 48,
              "active": "y"}
    client.post(f"/admin/institutions/{world.home.id}/programmes/new", data=values)
    prog = db.session.scalar(db.select(Programme).where(Programme.code == "MTE"))
    client.post(f"/admin/programmes/{prog.id}/edit", data={**values, "name": "Mechatronics 2"})
    entries = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.entity_type == "Programme").order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity_id, e.institution_id) for e in entries] == [
        ("programme.create", str(prog.id), world.home.id),
        ("programme.update", str(prog.id), world.home.id)]
    assert entries[0].after["code"] == "MTE"
    assert (entries[1].before, entries[1].after) == ({"name": "Mechatronics"},
                                                     {"name": "Mechatronics 2"})


def test_admin_cannot_deactivate_their_own_account(as_role, world, db):
    admin = world.users["admin"]
    page = as_role("admin").post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert page.request.path == "/admin/users"
    assert "You cannot deactivate your own account." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_account_page_offers_no_alumnus_role_and_refuses_one(as_role, world, db):
    admin = as_role("admin")
    page = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'value="officer"' in page and 'value="alumnus"' not in page
    assert "claiming their profile from an invitation" in page
    response = admin.post("/admin/users/new", data={
        "email": "lone.alumnus@example.org", "role": "alumnus", "institution_id": world.home.id})
    assert response.status_code == 200
    assert db.session.scalar(db.select(User).where(
        User.email == "lone.alumnus@example.org")) is None


def test_programme_isced_code_is_an_isced_f_2013_field(as_role, world, db):
    """2 digits broad, 3 narrow, 4 detailed; 99999 or a field ISCED-F does not have is
    refused next to the field, with what to enter."""
    client = as_role("admin")
    values = {"name": "Mechatronics", "level": "bachelor", "study_area": "mechatronics",
              "active": "y"}
    for n, (code, refusal) in enumerate([("99999", "has 2 to 4 digits"),
                                         ("1234", "1234 is not an ISCED-F 2013 field"),
                                         ("0760", "0760 is not an ISCED-F 2013 field")]):
        page = client.post(f"/admin/institutions/{world.home.id}/programmes/new",
                           data={**values, "code": f"BAD{n}", "isced_code": code})
        assert page.status_code == 200 and refusal in page.get_data(as_text=True), code
    for n, code in enumerate(["07", "071", "0714", "0788", "9999"]):
        response = client.post(f"/admin/institutions/{world.home.id}/programmes/new",
                               data={**values, "code": f"OK{n}", "isced_code": code})
        assert response.status_code == 302, code
    assert db.session.scalar(db.select(db.func.count(Programme.id)).where(
        Programme.code.like("BAD%"))) == 0
    page = client.get(f"/admin/institutions/{world.home.id}").get_data(as_text=True)
    assert "0714 Electronics and automation" in page


def test_moving_the_home_mark_says_so_and_is_audited(as_role, world, db):
    from app.core.audit import AuditEntry

    other = {"code": "OTHER", "name": "Other College", "country": "VN", "kind": "college"}
    page = as_role("admin").post(f"/admin/institutions/{world.other.id}/edit",
                                 data={**other, "is_home": "y"}, follow_redirects=True)
    assert ("Saved. Other College is now the home institution, in place of Home Polytechnic"
            in page.get_data(as_text=True))
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.entity_type == "Institution", AuditEntry.entity_id == str(world.home.id)))
    assert (entry.action, entry.before, entry.after) == (
        "institution.update", {"is_home": True}, {"is_home": False})
    page = as_role("admin").post(f"/admin/institutions/{world.other.id}/edit", data=other)
    assert page.status_code == 200  # unticked on the home one: nothing would be home
    assert "tick “Home institution” on that one" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Institution, world.other.id).is_home


def test_institution_pages_name_the_country(as_role, world):
    client = as_role("admin")
    assert "<td>Viet Nam</td>" in client.get("/admin/institutions").get_data(as_text=True)
    page = client.get(f"/admin/institutions/{world.home.id}").get_data(as_text=True)
    assert " · Malaysia" in page
