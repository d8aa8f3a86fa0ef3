"""The save steps pages share: commit_or_flash commits, or rolls back and says why."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages

from app.alumni.models import Institution
from app.core.errors import Conflict, PermissionDenied, ValidationFailed
from app.core.forms import commit_or_flash, error_message


def _add(code: str, error: Exception | None = None) -> Institution:
    from app.extensions import db

    inst = Institution(code=code, name=f"Institution {code}", country="TH", kind="polytechnic",
                       is_home=False)
    db.session.add(inst)
    db.session.flush()
    if error is not None:
        raise error
    return inst


def _codes(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Institution.code)))


def test_success_commits_and_returns_the_record(app, db):
    with app.test_request_context():
        saved = commit_or_flash(lambda: _add("OK1"))
        assert saved is not None and saved.code == "OK1"
        assert get_flashed_messages() == []
    db.session.rollback()
    assert _codes(db) == ["OK1"]


def test_domain_error_rolls_back_and_flashes_every_message(app, db):
    error = ValidationFailed({"code": "Code taken.", "name": ["Too long.", "Odd."]})
    with app.test_request_context():
        assert commit_or_flash(lambda: _add("NO1", error), category="warning",
                               prefix="Not saved: ") is None
        assert get_flashed_messages(with_categories=True) == [
            ("warning", "Not saved: Code taken. Too long. Odd.")]
    assert _codes(db) == []


def test_errors_outside_catch_propagate_uncommitted(app, db):
    with app.test_request_context(), pytest.raises(PermissionDenied):
        commit_or_flash(lambda: _add("NO2", PermissionDenied("no")), catch=ValidationFailed)
    db.session.rollback()
    assert _codes(db) == []


def test_error_message_of_a_plain_domain_error_is_its_message():
    assert error_message(Conflict("Changed meanwhile.")) == "Changed meanwhile."


def test_form_data_fills_a_data_class_from_fields_of_the_same_names(app):
    from dataclasses import dataclass

    from flask_wtf import FlaskForm
    from wtforms import IntegerField, StringField

    @dataclass
    class Data:
        name: str | None = None
        size: int | None = 3
        note: str = "kept"

    class Form(FlaskForm):
        name = StringField()
        size = IntegerField()

    from app.core.forms import form_data

    with app.test_request_context(method="POST", data={"name": "Ana", "size": "7"}):
        form = Form(meta={"csrf": False})
        assert form_data(form, Data) == Data(name="Ana", size=7, note="kept")
        del form.size  # a self-service form removes the office's fields
        assert form_data(form, Data) == Data(name="Ana", size=3, note="kept")
