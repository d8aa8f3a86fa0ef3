"""`flask backup --out PATH` and `flask restore PATH`: after a round trip every table holds
exactly the rows it held at the backup, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select, text


def _every_row(db) -> dict[str, list[tuple]]:
    db.session.remove()
    with db.engine.connect() as conn:
        return {table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for table in db.metadata.sorted_tables}


def test_backup_and_restore_give_back_every_row(app, db, runner, tmp_path, make_alumnus):
    from app.alumni.models import Alumnus, Institution

    seeded = runner.invoke(args=["seed-demo", "--alumni", "40"])
    assert seeded.exit_code == 0, seeded.output
    before = _every_row(db)
    filled = [name for name, rows in before.items() if rows]
    assert len(filled) >= 20, filled  # the demo fills most tables

    out = tmp_path / "backups" / "alumnet.backup"
    made = runner.invoke(args=["backup", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert out.stat().st_size > 10_000

    # after the backup: records change, others are added, a table is emptied
    db.session.execute(text("UPDATE alumnus SET given_name = 'Changed'"))
    home_id = db.session.scalar(select(Institution.id).where(Institution.is_home.is_(True)))
    db.session.commit()
    make_alumnus(db.session.get(Institution, home_id), student_number="AFTER-BACKUP")
    db.session.execute(text("DELETE FROM audit_entry"))
    db.session.commit()
    assert _every_row(db) != before

    refused = runner.invoke(args=["restore", str(out)], input="n\n")
    assert refused.exit_code != 0 and _every_row(db) != before
    restored = runner.invoke(args=["restore", str(out)], input="y\n")
    assert restored.exit_code == 0, restored.output
    after = _every_row(db)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], f"table {name} differs after restore"

    # the database goes on working: new ids follow the restored ones
    added = make_alumnus(db.session.get(Institution, home_id), student_number="AFTER-RESTORE")
    assert added.id > max(row[0] for row in before["alumnus"])
    gone = select(Alumnus).where(Alumnus.student_number == "AFTER-BACKUP")
    assert db.session.scalar(gone) is None


def test_backup_refuses_to_overwrite_and_restore_refuses_a_wrong_file(runner, tmp_path, db):
    existing = tmp_path / "there.backup"
    existing.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", "--out", str(existing)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert existing.read_bytes() == b"keep me"
    result = runner.invoke(args=["restore", "--yes", str(existing)])
    assert result.exit_code != 0 and "is not a" in result.output
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "missing.backup")])
    assert result.exit_code != 0 and "is not a file" in result.output
