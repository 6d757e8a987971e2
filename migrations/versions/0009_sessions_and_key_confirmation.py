"""session epochs on staff users; partner API keys issued by one person and confirmed by another

Revision ID: 0009
Revises: 0011
Create Date: 2026-12-01 10:00:00

`staff_user.session_epoch` is part of every session's identity: bumping it (sign-out, password, role,
deactivation) ends every session issued before. Sessions from before this revision carry no epoch and end
too: everyone signs in again once.

An API key issued in the web UI is pending until a second person confirms it (`confirmed_at`,
`confirmed_by_id`); its secret is in two parts, one shown to the issuer and one to the confirmer
(`first_part_digest` is the SHA-256 of the first; `digest`, the lookup digest of the whole key, is set at
confirmation, so it is empty while the key is pending). Keys that already exist stay working: they are
marked confirmed at their creation time, by nobody.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_part_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_key_confirmed_by_id_staff_user'), 'staff_user',
                                    ['confirmed_by_id'], ['id'])
        batch_op.alter_column('digest', existing_type=sa.String(length=64), nullable=True)
    op.execute("UPDATE api_key SET confirmed_at = created_at")


def downgrade() -> None:
    op.execute("DELETE FROM api_key WHERE digest IS NULL")
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.alter_column('digest', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_api_key_confirmed_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('first_part_digest')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
