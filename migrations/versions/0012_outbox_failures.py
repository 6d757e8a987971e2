"""outbox_message.failures: how often a message's handling failed or its worker died (poison back-off)

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-03 07:00:00

`attempts` counts hand-overs to Redis (a Redis outage adds to it but says nothing about the message);
`failures` counts handlings that did not finish. From it the relay backs a message off and, after
coordination.domain.outbox.MAX_FAILURES, parks it for an operator (`flask jobs stuck`). Existing rows start at 0.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failures', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('failures')
