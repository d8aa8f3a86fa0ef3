"""import batches: rows kept with a field left out, key changes to accept, files removed;
e-mail addresses in lower case

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dropped', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('key_changes', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('files_removed_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_import_batch_files_removed_at'),
                              ['files_removed_at'], unique=False)
    # The register keeps every address in one case, so matching never depends on the typing.
    op.execute("UPDATE alumnus SET email = LOWER(email) WHERE email IS NOT NULL "
               "AND email <> LOWER(email)")


def downgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_files_removed_at'))
        batch_op.drop_column('files_removed_at')
        batch_op.drop_column('key_changes')
        batch_op.drop_column('dropped')
