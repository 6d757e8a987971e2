"""consent.extended_reason_ct: why a consent lasts longer than 24 months (encrypted)

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-02 09:00:00

A consent lasts at most 24 months unless the reason for a longer one is recorded, and never more than 5 years
(coordination.domain.consent). Existing consents keep their dates; none has a reason, so the column is nullable.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_reason_ct', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_column('extended_reason_ct')
