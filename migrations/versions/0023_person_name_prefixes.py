"""Partial name search within an agency's own families: blind-indexed starts of names

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-03 13:40:00

Each row is a keyed digest (HMAC under BLIND_INDEX_KEY and the holding agency's id) of the first 3 to 10
characters of a person's first or last name match key. A migration holds no keys, so existing people get theirs
from `flask keys reindex` (which `make run` runs after `db upgrade`); until then partial search finds only people
recorded or corrected since.
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person_name_prefix',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_name_prefix_person_id_person'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'digest', name=op.f('pk_person_name_prefix'))
    )
    with op.batch_alter_table('person_name_prefix', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_name_prefix_digest'), ['digest'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_name_prefix', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_name_prefix_digest'))
    op.drop_table('person_name_prefix')
