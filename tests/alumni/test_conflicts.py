"""Two people editing the same record: the second save is refused, nothing is overwritten."""

from __future__ import annotations

import pytest

from app.alumni import services
from app.alumni.models import Alumnus
from app.core.errors import Conflict


def _form(alumnus, version, **changes):
    data = {"version": version, "student_number": alumnus.student_number,
            "given_name": alumnus.given_name, "family_name": alumnus.family_name or "",
            "email": alumnus.email or "", "status": alumnus.status}
    data.update(changes)
    return data


def test_second_save_with_old_version_is_refused_with_fresh_form(app, world, make_user, db):
    from tests.conftest import sign_in

    alumnus = world.second_alumnus
    first, second = app.test_client(), app.test_client()
    sign_in(first, world.users["officer"])
    sign_in(second, make_user("officer", world.home))
    version = alumnus.version
    # both open the edit form at the same version
    assert first.get(f"/alumni/{alumnus.id}/edit").status_code == 200
    assert second.get(f"/alumni/{alumnus.id}/edit").status_code == 200
    ok = first.post(f"/alumni/{alumnus.id}/edit", data=_form(alumnus, version, city="Hue"))
    assert ok.status_code == 302
    refused = second.post(f"/alumni/{alumnus.id}/edit",
                          data=_form(alumnus, version, city="Da Nang"))
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert page.count("Someone else saved changes to this record") == 1  # once, not flashed too
    assert 'value="Hue"' in page  # the fresh form shows what the first person saved
    assert "Someone else saved" not in second.get(f"/alumni/{alumnus.id}").get_data(
        as_text=True)  # nor left over for the next page
    db.session.expire_all()
    stored = db.session.get(Alumnus, alumnus.id)
    assert stored.city == "Hue"
    assert stored.version == version + 1


def test_service_refuses_stale_version(world):
    alumnus = world.second_alumnus
    data = services.data_from(alumnus)
    with pytest.raises(Conflict):
        services.update_alumnus(alumnus, data, expected_version=alumnus.version - 1,
                                actor=world.users["officer"])


def test_race_after_the_check_is_caught_at_write(world, db, app):
    """The version check passed, then another transaction saved first: the write fails."""
    from sqlalchemy import update

    alumnus = world.second_alumnus
    data = services.data_from(alumnus)
    data.city = "Vientiane"
    version = alumnus.version
    with app.app_context():  # another session commits a change behind our back
        db.session.execute(update(Alumnus).where(Alumnus.id == alumnus.id)
                           .values(city="Luang Prabang", version=version + 1))
        db.session.commit()
    with pytest.raises(Conflict):
        services.update_alumnus(alumnus, data, expected_version=version,
                                actor=world.users["officer"])
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Alumnus, alumnus.id).city == "Luang Prabang"


def test_own_contact_saved_over_an_office_edit_is_refused_with_fresh_form(as_role, world, db):
    alumnus = world.alumnus
    version = alumnus.version
    client = as_role("alumnus")
    assert client.get("/me/contact").status_code == 200
    ok = as_role("officer").post(f"/alumni/{alumnus.id}/edit",
                                 data=_form(alumnus, version, city="Hue"))
    assert ok.status_code == 302
    refused = client.post("/me/contact", data={"version": version, "email": alumnus.email,
                                               "city": "Da Nang"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert page.count("Someone else saved changes to this record") == 1 and 'value="Hue"' in page
    db.session.expire_all()
    assert db.session.get(Alumnus, alumnus.id).city == "Hue"
