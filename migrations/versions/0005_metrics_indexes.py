"""metrics indexes and the materialised timeliness summary

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('metrics_summary',
    sa.Column('scope_agency_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('pathway', sa.String(length=40), nullable=False),
    sa.Column('clock', sa.String(length=40), nullable=False),
    sa.Column('within_target', sa.Boolean(), nullable=False),
    sa.Column('excepted', sa.Boolean(), nullable=False),
    sa.Column('days', sa.Float(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope_agency_id', 'month', 'pathway', 'clock', 'within_target', 'excepted', 'days',
                            name=op.f('pk_metrics_summary'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_received_on', ['received_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_received_on')
    op.drop_table('metrics_summary')
