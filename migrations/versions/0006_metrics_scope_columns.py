"""metrics scope on referral_clock: the referral's agencies, urgency, ward and age copied onto its clocks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 16:00:00

A manager's timeliness figures count clocks of referrals sent to, sent by, or about a family held by their
agency. Until now that scope needed a join to `referral` and `family`, which at a region's scale (1,000,000
referrals) turned every dashboard statement into a scan of `referral`. The referral's fixed facts now live on each
clock row too (filled by services.referrals.recompute_clocks), with one index per scope branch and a partial
index of the open clocks. Existing rows are backfilled here. The materialised summary gains the breakdown and
group in its key; it is a cache rebuilt nightly, so it is emptied here (figures are live until the next refresh).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM metrics_summary")
    op.drop_table('metrics_summary')
    op.create_table('metrics_summary',
    sa.Column('scope_agency_id', sa.Uuid(), nullable=False),
    sa.Column('breakdown', sa.String(length=20), nullable=False),
    sa.Column('grp', sa.String(length=80), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('pathway', sa.String(length=40), nullable=False),
    sa.Column('clock', sa.String(length=40), nullable=False),
    sa.Column('within_target', sa.Boolean(), nullable=False),
    sa.Column('excepted', sa.Boolean(), nullable=False),
    sa.Column('days', sa.Float(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope_agency_id', 'breakdown', 'month', 'pathway', 'clock', 'grp', 'within_target',
                            'excepted', 'days', name=op.f('pk_metrics_summary'))
    )
    op.create_table('referral_summary',
    sa.Column('scope_agency_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('pathway', sa.String(length=40), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('re_referrals', sa.Integer(), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope_agency_id', 'month', 'pathway', name=op.f('pk_referral_summary'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owning_agency_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_referral_owning_agency_id_agency'), 'agency',
                                    ['owning_agency_id'], ['id'])
        batch_op.create_index('ix_referral_to_received', ['to_agency_id', 'received_on'], unique=False)
        batch_op.create_index('ix_referral_from_received', ['from_agency_id', 'received_on'], unique=False)
        batch_op.create_index('ix_referral_owner_received', ['owning_agency_id', 'received_on'], unique=False)
        batch_op.drop_index('ix_referral_received_on')
        batch_op.create_index('ix_referral_received_pathway', ['received_on', 'pathway', 're_referral'], unique=False)

    with op.batch_alter_table('referral_clock', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_agency_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('owning_agency_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('urgency', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('ward', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('child_age_at_referral', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_referral_clock_from_agency_id_agency'), 'agency',
                                    ['from_agency_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_referral_clock_owning_agency_id_agency'), 'agency',
                                    ['owning_agency_id'], ['id'])
        batch_op.drop_index('ix_referral_clock_to_agency_id')
        batch_op.create_index('ix_referral_clock_to_stopped', ['to_agency_id', 'stopped_on'], unique=False)
        batch_op.create_index('ix_referral_clock_from_stopped', ['from_agency_id', 'stopped_on'], unique=False)
        batch_op.create_index('ix_referral_clock_owner_stopped', ['owning_agency_id', 'stopped_on'], unique=False)
        batch_op.create_index('ix_referral_clock_open', ['pathway', 'name', 'due_on'], unique=False,
                              postgresql_where=sa.text('stopped_on IS NULL'),
                              sqlite_where=sa.text('stopped_on IS NULL'))

    op.execute(
        "UPDATE referral SET owning_agency_id = "
        "(SELECT family.owning_agency_id FROM family WHERE family.id = referral.family_id)"
    )
    op.execute(
        "UPDATE referral_clock SET "
        "from_agency_id = (SELECT r.from_agency_id FROM referral r WHERE r.id = referral_clock.referral_id), "
        "owning_agency_id = (SELECT r.owning_agency_id FROM referral r WHERE r.id = referral_clock.referral_id), "
        "urgency = (SELECT r.urgency FROM referral r WHERE r.id = referral_clock.referral_id), "
        "ward = (SELECT r.ward FROM referral r WHERE r.id = referral_clock.referral_id), "
        "child_age_at_referral = (SELECT r.child_age_at_referral FROM referral r "
        "WHERE r.id = referral_clock.referral_id)"
    )


def downgrade() -> None:
    op.drop_table('referral_summary')
    op.drop_table('metrics_summary')
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
    with op.batch_alter_table('referral_clock', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_clock_open', postgresql_where=sa.text('stopped_on IS NULL'),
                            sqlite_where=sa.text('stopped_on IS NULL'))
        batch_op.drop_index('ix_referral_clock_owner_stopped')
        batch_op.drop_index('ix_referral_clock_from_stopped')
        batch_op.drop_index('ix_referral_clock_to_stopped')
        batch_op.create_index(batch_op.f('ix_referral_clock_to_agency_id'), ['to_agency_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_referral_clock_owning_agency_id_agency'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_referral_clock_from_agency_id_agency'), type_='foreignkey')
        batch_op.drop_column('child_age_at_referral')
        batch_op.drop_column('ward')
        batch_op.drop_column('urgency')
        batch_op.drop_column('owning_agency_id')
        batch_op.drop_column('from_agency_id')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_received_pathway')
        batch_op.create_index('ix_referral_received_on', ['received_on'], unique=False)
        batch_op.drop_index('ix_referral_owner_received')
        batch_op.drop_index('ix_referral_from_received')
        batch_op.drop_index('ix_referral_to_received')
        batch_op.drop_constraint(batch_op.f('fk_referral_owning_agency_id_agency'), type_='foreignkey')
        batch_op.drop_column('owning_agency_id')
