"""The audit log page: what changed as readable lines, actions in words, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.audit import AuditEntry, action_label
from app.extensions import db as _db


def _entry(actor, action, entity_type, entity_id, *, before=None, after=None, when=None):
    entry = AuditEntry(actor_id=actor.id, actor_label=actor.email, action=action,
                       entity_type=entity_type, entity_id=str(entity_id), before=before,
                       after=after, origin="127.0.0.1",
                       created_at=when or datetime.now(UTC))
    _db.session.add(entry)
    _db.session.commit()
    return entry


def test_actions_read_as_words():
    assert action_label("alumnus.self_update") == "Alumnus: own details changed"
    assert action_label("exchange_participation.create") == "Exchange participation: added"
    assert action_label("event.remove_participant") == "Event: participant removed"
    assert action_label("something.new_thing") == "Something: new thing"  # any feature's


def test_changes_are_lines_of_field_old_and_new_not_json(as_role, world, db):
    officer = world.users["officer"]
    long_text = "word " * 60
    _entry(officer, "alumnus.update", "Alumnus", world.alumnus.id,
           before={"city": "Hue", "phone": None}, after={"city": long_text, "phone": "+849"})
    _entry(officer, "event.create", "Event", 7,
           after={f"field_{n}": n for n in range(12)} | {"empty": None})
    page = as_role("admin").get("/admin/audit").get_data(as_text=True)
    assert "<code>{" not in page and "&#34;city&#34;" not in page
    assert "<td>Alumnus: changed</td>" in page and ">alumnus.update<" not in page
    assert 'class="audit-change' in page  # wrapped, never wider than its column
    assert "<dt>city</dt>" in page and "<s>Hue</s>" in page and long_text.strip() in page
    assert "<dt>phone</dt><dd><s>—</s> → +849</dd>" in page
    assert "<summary>12 fields</summary>" in page  # a new record's many fields fold away
    assert "<dt>empty</dt>" not in page  # an empty field of a new record says nothing


def test_filters_by_person_action_and_date(as_role, world, db):
    officer, alumnus_user = world.users["officer"], world.users["alumnus"]
    old = datetime.now(UTC) - timedelta(days=40)
    _entry(officer, "alumnus.update", "Alumnus", 1, after={"city": "Old"}, when=old)
    _entry(officer, "event.create", "Event", 2, after={"title": "Fair"})
    _entry(alumnus_user, "alumnus.self_update", "Alumnus", 3, after={"city": "Mine"})
    admin = as_role("admin")

    def rows(**args):
        page = admin.get("/admin/audit", query_string=args).get_data(as_text=True)
        return [value for value in ("Old", "Fair", "Mine") if f"→ {value}<" in page
                or f"<dd>{value}</dd>" in page]

    assert rows() == ["Old", "Fair", "Mine"]
    assert rows(who=officer.email.upper()[:8]) == ["Old", "Fair"]  # part of the e-mail
    assert rows(action="alumnus.self_update") == ["Mine"]
    assert rows(entity="Alumnus") == ["Old", "Mine"]
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    assert rows(since=since) == ["Fair", "Mine"]
    until = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    assert rows(until=until) == ["Old"]
    page = admin.get("/admin/audit", query_string={"since": "not-a-date"})
    assert page.status_code == 200 and "Give dates as" in page.get_data(as_text=True)
    form = admin.get("/admin/audit").get_data(as_text=True)
    assert '<option value="alumnus.self_update">Alumnus: own details changed</option>' in form
