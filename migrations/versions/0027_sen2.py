"""SEN2: an EHC needs assessment request's SEN2 items (ehc_details, one row per referral: request and
assessment outcomes, mediation and tribunal, the named plan's start, placement and ceasing, the active plan's
needs and last review) and each person's Unique Learner Number (sealed)

Revision ID: 0027
Revises: 0028
Create Date: 2026-12-04 18:20:00

Nothing is backfilled: the SEND team records these on each request (the pre-submission report lists the gaps).
"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ehc_details',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('referral_id', sa.Uuid(), nullable=False),
        sa.Column('request_by_young_person', sa.Boolean(), nullable=True),
        sa.Column('request_outcome', sa.String(length=1), nullable=True),
        sa.Column('request_outcome_on', sa.Date(), nullable=True),
        sa.Column('request_mediation', sa.Boolean(), nullable=True),
        sa.Column('request_tribunal', sa.Boolean(), nullable=True),
        sa.Column('assessment_outcome', sa.String(length=1), nullable=True),
        sa.Column('assessment_outcome_on', sa.Date(), nullable=True),
        sa.Column('plan_start_on', sa.Date(), nullable=True),
        sa.Column('placement_urn_ct', sa.Text(), nullable=True),
        sa.Column('placement_ukprn_ct', sa.Text(), nullable=True),
        sa.Column('sen_setting', sa.String(length=4), nullable=True),
        sa.Column('placement_rank', sa.Integer(), nullable=True),
        sa.Column('plan_ceased_on', sa.Date(), nullable=True),
        sa.Column('cease_reason', sa.String(length=1), nullable=True),
        sa.Column('sen_needs_ct', sa.Text(), nullable=True),
        sa.Column('review_meeting_on', sa.Date(), nullable=True),
        sa.Column('review_outcome', sa.String(length=1), nullable=True),
        sa.Column('last_review_on', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name='fk_ehc_details_referral_id_referral'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name='fk_ehc_details_updated_by_id_staff_user'),
        sa.PrimaryKeyConstraint('id', name='pk_ehc_details'),
        sa.UniqueConstraint('referral_id', name='uq_ehc_details_referral_id'),
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uln_ct', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('uln_ct')
    op.drop_table('ehc_details')
