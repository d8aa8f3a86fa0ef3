"""The alumni directory's visibility table: alumni in every consent and status state, and what
the directory, its search and its detail pages show of each (exactly the fields chosen)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.alumni.models import CONSENT_PURPOSES
from app.alumni.privacy import record_consent, set_privacy_choices
from app.alumni.services import archive_alumnus
from app.directory.models import DIRECTORY_FIELDS, DirectoryProfile
from app.directory.services import save_directory_choices
from app.extensions import db


def _opt_in(alumnus, officer, listed=True):
    """The office records the alumnus's choice (the same service the privacy page calls)."""
    choices = {p: p == "directory" and listed for p in CONSENT_PURPOSES}
    set_privacy_choices(alumnus, choices, listed, expected_version=None, method="officer",
                        actor=officer)
    db.session.commit()


def _show(alumnus, fields):
    """The alumnus's own choice of fields (as the directory's own page saves it)."""
    from app.auth.models import User

    user = db.session.get(User, alumnus.user_id)
    save_directory_choices(alumnus, {f: f in fields for f in DIRECTORY_FIELDS}, actor=user)
    db.session.commit()


def _token(alumnus):
    return db.session.scalar(db.select(DirectoryProfile.token).where(
        DirectoryProfile.alumnus_id == alumnus.id))


@pytest.fixture
def people(world, make_alumnus, make_user, make_programme):
    """One alumnus per state, each with distinctive values in every field."""
    from app.employment.models import Employer, Employment

    officer = world.users["officer"]
    nursing = make_programme(world.home, code="NUR", name="Nursing Diploma")
    made = {}
    states = ["listed_all", "listed_default", "listed_name_only", "unreachable", "never_asked",
              "declined", "withdrawn", "flag_only", "deceased", "opted_out", "archived",
              "other_institution"]
    for i, state in enumerate(states):
        institution = world.other if state == "other_institution" else world.home
        user = make_user("alumnus", institution)
        alumnus = make_alumnus(
            institution, given_name=f"Person{state.replace('_', '')}", family_name="Nguyễn",
            programme_id=(world.other_programme.id if state == "other_institution"
                          else nursing.id),
            cohort_year=2010 + i, city=f"City{state.replace('_', '')}",
            email=f"{state}@example.org", user_id=user.id,
            graduation_date=date(2010 + i, 6, 30))
        employer = Employer(institution_id=institution.id, name=f"Employer{i}Co",
                            normalised_name=f"employer{i}co", isic_section="Q")
        db.session.add(employer)
        db.session.flush()
        db.session.add(Employment(institution_id=institution.id, alumnus_id=alumnus.id,
                                  employer_id=employer.id, status="employed", source="officer"))
        db.session.commit()
        made[state] = alumnus
    for state in ("listed_all", "listed_default", "listed_name_only", "unreachable",
                  "withdrawn", "deceased", "opted_out", "archived"):
        _opt_in(made[state], officer)
    _opt_in(made["other_institution"], world.users["other_officer"])
    _opt_in(made["declined"], officer, listed=False)
    # consent withdrawn by another path than the privacy page (as an unsubscribe link does):
    # the listing flag stays set, the consent in force decides
    record_consent(made["withdrawn"], "directory", False, method="officer", actor=officer)
    db.session.commit()
    # the flag set without directory consent (an old import, say)
    made["flag_only"].directory_visible = True
    db.session.commit()
    _show(made["listed_all"], set(DIRECTORY_FIELDS))
    _show(made["listed_name_only"], set())
    for state, status in (("deceased", "deceased"), ("opted_out", "opted_out"),
                          ("unreachable", "unreachable")):
        made[state].status = status
    archive_alumnus(made["archived"], actor=officer)
    db.session.commit()
    return made


# state -> fields the directory shows (None: not listed at all)
EXPECTED = {
    "listed_all": set(DIRECTORY_FIELDS),
    "listed_default": {"programme", "cohort"},
    "listed_name_only": set(),
    "unreachable": {"programme", "cohort"},
    "never_asked": None, "declined": None, "withdrawn": None, "flag_only": None,
    "deceased": None, "opted_out": None, "archived": None, "other_institution": None,
}


def _values(alumnus):
    return {"programme": "Nursing Diploma", "cohort": str(alumnus.cohort_year),
            "employer": f"Employer{alumnus.cohort_year - 2010}Co",
            "industry": "Human health and social work", "city": alumnus.city,
            "email": alumnus.email}


def _tokens_on(html):
    return set(re.findall(r'/directory/people/([\w-]+)"', html))


def test_directory_lists_exactly_the_opted_in(people, as_role):
    client = as_role("alumnus")
    html = client.get("/directory").get_data(as_text=True)
    listed = {s for s, fields in EXPECTED.items() if fields is not None}
    for state, alumnus in people.items():
        assert (alumnus.given_name in html) == (state in listed), state
    assert _tokens_on(html) == {_token(people[s]) for s in listed}
    assert f"{len(listed)} people" in html
    # no page by record id, and the token is not the id
    assert all(not t.isdigit() and len(t) >= 20 for t in _tokens_on(html))


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_detail_page_shows_exactly_the_chosen_fields(people, as_role, state):
    client = as_role("alumnus")
    alumnus = people[state]
    token = _token(alumnus)
    if EXPECTED[state] is None:
        if token is not None:
            assert client.get(f"/directory/people/{token}").status_code == 404
        return
    page = client.get(f"/directory/people/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert alumnus.given_name in html
    for name, value in _values(alumnus).items():
        assert (value in html) == (name in EXPECTED[state]), (state, name)


def test_list_shows_only_chosen_fields(people, as_role):
    html = as_role("alumnus").get("/directory").get_data(as_text=True)
    assert people["listed_all"].city in html and "Employer0Co" in html
    for state in ("listed_default", "listed_name_only", "unreachable"):
        assert people[state].city not in html
        assert people[state].email not in html
    assert str(people["listed_name_only"].cohort_year) not in html


@pytest.mark.parametrize("query, found", [
    ({"name": "nguyen personlistedall"}, {"listed_all"}),
    ({"name": "NGUYỄN"}, {"listed_all", "listed_default", "listed_name_only", "unreachable"}),
    ({"name": "personwithdrawn"}, set()),
    ({"name": "listed_default@example.org"}, set()),  # no search by a hidden e-mail
    ({"cohort": "2011"}, {"listed_default"}),
    ({"cohort": "2012"}, set()),  # hidden cohort is not searchable
    ({"city": "citylistedall"}, {"listed_all"}),
    ({"city": "citylisteddefault"}, set()),  # hidden city is not searchable
    ({"industry": "Q"}, {"listed_all"}),
])
def test_search_matches_only_shown_fields(people, as_role, query, found):
    html = as_role("alumnus").get("/directory", query_string=query).get_data(as_text=True)
    assert _tokens_on(html) == {_token(people[s]) for s in found}


def test_programme_search(people, as_role):
    nursing = people["listed_all"].programme_id
    html = as_role("alumnus").get("/directory", query_string={"programme": nursing}
                                  ).get_data(as_text=True)
    expected = {"listed_all", "listed_default", "unreachable"}  # name_only hides programme
    assert _tokens_on(html) == {_token(people[s]) for s in expected}


def test_withdrawing_hides_at_once_and_opting_out_again(people, as_role, world):
    client = as_role("alumnus")
    token = _token(people["listed_default"])
    assert client.get(f"/directory/people/{token}").status_code == 200
    _opt_in(people["listed_default"], world.users["officer"], listed=False)
    assert client.get(f"/directory/people/{token}").status_code == 404
    assert token not in client.get("/directory").get_data(as_text=True)


def test_merged_away_record_is_gone_from_the_directory(people, as_role, world):
    from app.imports.merge import merge_alumni

    survivor, merged = people["listed_default"], people["unreachable"]
    merged.user_id = None
    db.session.commit()
    old = _token(merged)
    merge_alumni(survivor, merged, {}, actor=world.users["officer"])
    db.session.commit()
    client = as_role("alumnus")
    assert client.get(f"/directory/people/{old}").status_code == 404
    html = client.get("/directory").get_data(as_text=True)
    assert old not in html and _token(survivor) in html
    assert db.session.scalar(db.select(db.func.count(DirectoryProfile.id)).where(
        DirectoryProfile.alumnus_id == survivor.id)) == 1


def test_own_choices_page_saves_and_audits(world, as_role):
    from app.core.audit import AuditEntry

    _opt_in(world.alumnus, world.users["officer"])
    client = as_role("alumnus")
    assert "You are listed" in client.get("/directory/me").get_data(as_text=True)
    response = client.post("/directory/me", data={"show_city": "y", "show_programme": "y"})
    assert response.status_code == 302
    profile = db.session.scalar(db.select(DirectoryProfile).where(
        DirectoryProfile.alumnus_id == world.alumnus.id))
    assert (profile.show_city, profile.show_programme, profile.show_cohort,
            profile.show_email) == (True, True, False, False)
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "directory.choices"))
    assert entry.after["city"] is True and entry.before["city"] is False


def test_staff_are_refused(world, as_role):
    for role in ("officer", "quality", "admin"):
        assert as_role(role).get("/directory").status_code == 403


def test_the_list_sorts_names_by_the_page_language_where_the_database_can(world, as_role,
                                                                          make_alumnus):
    """A Thai page lists เกษม with the ก names (before ข) on PostgreSQL (ICU collation); on
    SQLite names keep their characters' order (README "Languages")."""
    officer = world.users["officer"]
    for given in ("ขวัญ", "เกษม", "กมล"):
        _opt_in(make_alumnus(world.home, given_name=given, family_name="ใจดี"), officer)
    html = as_role("alumnus").get("/directory?lang=th").get_data(as_text=True)
    order = sorted(("ขวัญ", "เกษม", "กมล"), key=html.index)
    if db.session.get_bind().dialect.name == "postgresql":
        assert order == ["กมล", "เกษม", "ขวัญ"]
    else:
        assert order == ["กมล", "ขวัญ", "เกษม"]
