"""Trustworthy records: merged-away records lead to the survivor; institutions have a time
zone and events start and end times; an employer may be asked again for the same programme
and year

Revision ID: 0010_records
Revises: 0009_import_options
Create Date: 2026-12-04

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_records'
down_revision = '0009_import_options'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('merged_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merged_id', sa.Integer(), nullable=False),
    sa.Column('merged_student_number', sa.String(length=40), nullable=False),
    sa.Column('merged_name', sa.String(length=250), nullable=False),
    sa.Column('survivor_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_merged_record_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['merged_by_id'], ['user.id'], name=op.f('fk_merged_record_merged_by_id_user')),
    sa.ForeignKeyConstraint(['survivor_id'], ['alumnus.id'], name=op.f('fk_merged_record_survivor_id_alumnus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merged_record')),
    sa.UniqueConstraint('merged_id', name=op.f('uq_merged_record_merged_id'))
    )
    with op.batch_alter_table('merged_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merged_record_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merged_record_merged_by_id'), ['merged_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merged_record_survivor_id'), ['survivor_id'], unique=False)
    _backfill_merged_records()

    # Plain ADD COLUMN (no table copy: these tables are referenced by others' rows).
    op.add_column('institution', sa.Column('time_zone', sa.String(length=64), nullable=False,
                                           server_default='UTC'))
    _institution_time_zones()
    op.add_column('event', sa.Column('start_time', sa.Time(), nullable=True))
    op.add_column('event', sa.Column('end_time', sa.Time(), nullable=True))
    op.add_column('event', sa.Column('end_date', sa.Date(), nullable=True))

    # SQLite drops a table constraint by copying the table, and its foreign-key check refuses
    # to drop the old copy while employer answers point at it. SQLite's own procedure: the
    # check off for the copy, which it allows only outside a transaction (its DDL is not
    # transactional here anyway), then on again.
    bind = op.get_bind()
    raw = bind.connection.dbapi_connection if bind.dialect.name == 'sqlite' else None
    if raw is not None:
        raw.commit()
        raw.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_employer_feedback_request_employer_id_programme_id_year',
                                 type_='unique')
    if raw is not None:
        raw.commit()
        raw.execute('PRAGMA foreign_keys=ON')


def _institution_time_zones():
    """Each institution starts on its country's main time zone (an administrator can change
    it); the zones come from the tzdata package's zone.tab."""
    from app.core.timezones import default_time_zone

    conn = op.get_bind()
    for ident, country in conn.execute(sa.text("SELECT id, country FROM institution")).all():
        conn.execute(sa.text("UPDATE institution SET time_zone = :zone WHERE id = :id"),
                     {"zone": default_time_zone(country), "id": ident})


def _backfill_merged_records():
    """Merges done before this revision are in the audit log ("alumnus.merged_away"): their
    ids lead to the survivor too, following later merges to the record that exists."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT entity_id, institution_id, actor_id, created_at, \"before\", \"after\" "
        "FROM audit_entry WHERE action = 'alumnus.merged_away' ORDER BY id")).all()
    into, details = {}, {}
    for entity_id, institution_id, actor_id, created_at, before, after in rows:
        before = json.loads(before) if isinstance(before, str) else (before or {})
        after = json.loads(after) if isinstance(after, str) else (after or {})
        if not str(entity_id or "").isdigit() or not after.get("merged_into"):
            continue
        merged_id = int(entity_id)
        into[merged_id] = int(after["merged_into"])
        name = " ".join(p for p in (before.get("given_name"), before.get("family_name")) if p)
        details[merged_id] = (institution_id, actor_id, created_at,
                              before.get("student_number") or "", name)
    existing = {r[0] for r in conn.execute(sa.text("SELECT id FROM alumnus"))}
    table = sa.table('merged_record', sa.column('merged_id'), sa.column('merged_student_number'),
                     sa.column('merged_name'), sa.column('survivor_id'), sa.column('merged_at'),
                     sa.column('merged_by_id'), sa.column('institution_id'))
    out = []
    for merged_id, survivor in into.items():
        seen = set()
        while survivor in into and survivor not in seen:
            seen.add(survivor)
            survivor = into[survivor]
        institution_id, actor_id, created_at, number, name = details[merged_id]
        if survivor in existing and institution_id is not None:
            out.append({"merged_id": merged_id, "merged_student_number": number[:40],
                        "merged_name": name[:250], "survivor_id": survivor,
                        "merged_at": created_at, "merged_by_id": actor_id,
                        "institution_id": institution_id})
    if out:
        op.bulk_insert(table, out)


def downgrade():
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_employer_feedback_request_employer_id_programme_id_year',
            ['employer_id', 'programme_id', 'year'])
    op.drop_column('event', 'end_date')
    op.drop_column('event', 'end_time')
    op.drop_column('event', 'start_time')
    op.drop_column('institution', 'time_zone')
    with op.batch_alter_table('merged_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merged_record_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merged_record_merged_by_id'), ['merged_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merged_record_survivor_id'), ['survivor_id'], unique=False)
    _backfill_merged_records()

    # Plain ADD COLUMN (no table copy: these tables are referenced by others' rows).
    op.add_column('institution', sa.Column('time_zone', sa.String(length=64), nullable=False,
                                           server_default='UTC'))
    _institution_time_zones()
    op.add_column('event', sa.Column('start_time', sa.Time(), nullable=True))
    op.add_column('event', sa.Column('end_time', sa.Time(), nullable=True))
    op.add_column('event', sa.Column('end_date', sa.Date(), nullable=True))

    # SQLite drops a table constraint by copying the table, and its foreign-key check refuses
    # to drop the old copy while employer answers point at it. SQLite's own procedure: the
    # check off for the copy, which it allows only outside a transaction (its DDL is not
    # transactional here anyway), then on again.
    bind = op.get_bind()
    raw = bind.connection.dbapi_connection if bind.dialect.name == 'sqlite' else None
    if raw is not None:
        raw.commit()
        raw.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_employer_feedback_request_employer_id_programme_id_year',
                                 type_='unique')
    if raw is not None:
        raw.commit()
        raw.execute('PRAGMA foreign_keys=ON')


def _institution_time_zones():
    """Each institution starts on its country's main time zone (an administrator can change
    it); the zones come from the tzdata package's zone.tab."""
    from app.core.timezones import default_time_zone

    conn = op.get_bind()
    for ident, country in conn.execute(sa.text("SELECT id, country FROM institution")).all():
        conn.execute(sa.text("UPDATE institution SET time_zone = :zone WHERE id = :id"),
                     {"zone": default_time_zone(country), "id": ident})


def _backfill_merged_records():
    """Merges done before this revision are in the audit log ("alumnus.merged_away"): their
    ids lead to the survivor too, following later merges to the record that exists."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT entity_id, institution_id, actor_id, created_at, \"before\", \"after\" "
        "FROM audit_entry WHERE action = 'alumnus.merged_away' ORDER BY id")).all()
    into, details = {}, {}
    for entity_id, institution_id, actor_id, created_at, before, after in rows:
        before = json.loads(before) if isinstance(before, str) else (before or {})
        after = json.loads(after) if isinstance(after, str) else (after or {})
        if not str(entity_id or "").isdigit() or not after.get("merged_into"):
            continue
        merged_id = int(entity_id)
        into[merged_id] = int(after["merged_into"])
        name = " ".join(p for p in (before.get("given_name"), before.get("family_name")) if p)
        details[merged_id] = (institution_id, actor_id, created_at,
                              before.get("student_number") or "", name)
    existing = {r[0] for r in conn.execute(sa.text("SELECT id FROM alumnus"))}
    table = sa.table('merged_record', sa.column('merged_id'), sa.column('merged_student_number'),
                     sa.column('merged_name'), sa.column('survivor_id'), sa.column('merged_at'),
                     sa.column('merged_by_id'), sa.column('institution_id'))
    out = []
    for merged_id, survivor in into.items():
        seen = set()
        while survivor in into and survivor not in seen:
            seen.add(survivor)
            survivor = into[survivor]
        institution_id, actor_id, created_at, number, name = details[merged_id]
        if survivor in existing and institution_id is not None:
            out.append({"merged_id": merged_id, "merged_student_number": number[:40],
                        "merged_name": name[:250], "survivor_id": survivor,
                        "merged_at": created_at, "merged_by_id": actor_id,
                        "institution_id": institution_id})
    if out:
        op.bulk_insert(table, out)


def downgrade():
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_employer_feedback_request_employer_id_programme_id_year',
            ['employer_id', 'programme_id', 'year'])
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('end_date')
        batch_op.drop_column('end_time')
        batch_op.drop_column('start_time')
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
    with op.batch_alter_table('merged_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merged_record_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_merged_record_merged_by_id'))
        batch_op.drop_index(batch_op.f('ix_merged_record_institution_id'))
    op.drop_table('merged_record')
