"""SEN2: the placement's SENunitIndicator and ResourcedProvisionIndicator and the day the child started there
(ActivePlans/PlacementDetail's EntryDate), on ehc_details

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 18:50:00

Nothing is backfilled: the SEND team records them (the pre-submission report lists the plans without them).
"""
from alembic import op
import sqlalchemy as sa


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ehc_details', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sen_unit', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('resourced_provision', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('placement_entry_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ehc_details', schema=None) as batch_op:
        batch_op.drop_column('placement_entry_on')
        batch_op.drop_column('resourced_provision')
        batch_op.drop_column('sen_unit')
