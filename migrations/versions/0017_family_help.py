"""Family Help: lead handovers, the team around the family and the one family plan (goals, actions, versions)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 09:30:00

The family's words (goal titles, action descriptions, reasons) are encrypted, bound to table, field and row.
Every existing family gets its (empty) plan, as every new family does from now on.
"""
import datetime as dt
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('family_plan',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_family_plan_family_id_family')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_family_plan_updated_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_plan')),
    sa.UniqueConstraint('family_id', name=op.f('uq_family_plan_family_id'))
    )
    op.create_table('lead_handover',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('from_user_id', sa.Uuid(), nullable=True),
    sa.Column('to_user_id', sa.Uuid(), nullable=False),
    sa.Column('to_agency_id', sa.Uuid(), nullable=False),
    sa.Column('chosen_with_family', sa.Boolean(), nullable=False),
    sa.Column('reason_ct', sa.Text(), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_agency_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_lead_handover_family_id_family')),
    sa.ForeignKeyConstraint(['from_user_id'], ['staff_user.id'], name=op.f('fk_lead_handover_from_user_id_staff_user')),
    sa.ForeignKeyConstraint(['recorded_by_agency_id'], ['agency.id'], name=op.f('fk_lead_handover_recorded_by_agency_id_agency')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_lead_handover_recorded_by_id_staff_user')),
    sa.ForeignKeyConstraint(['to_agency_id'], ['agency.id'], name=op.f('fk_lead_handover_to_agency_id_agency')),
    sa.ForeignKeyConstraint(['to_user_id'], ['staff_user.id'], name=op.f('fk_lead_handover_to_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_handover'))
    )
    with op.batch_alter_table('lead_handover', schema=None) as batch_op:
        batch_op.create_index('ix_lead_handover_family_id_handed_over_at', ['family_id', 'handed_over_at'], unique=False)

    op.create_table('plan_change',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('reason_ct', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_by_agency_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_agency_id'], ['agency.id'], name=op.f('fk_plan_change_changed_by_agency_id_agency')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff_user.id'], name=op.f('fk_plan_change_changed_by_id_staff_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['family_plan.id'], name=op.f('fk_plan_change_plan_id_family_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change')),
    sa.UniqueConstraint('plan_id', 'version', name=op.f('uq_plan_change_plan_id_version'))
    )
    op.create_table('plan_goal',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('title_ct', sa.Text(), nullable=False),
    sa.Column('outcome_area', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_plan_goal_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['family_plan.id'], name=op.f('fk_plan_goal_plan_id_family_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal'))
    )
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('team_member',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=True),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('added_by_id', sa.Uuid(), nullable=True),
    sa.Column('ended_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['staff_user.id'], name=op.f('fk_team_member_added_by_id_staff_user')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_team_member_agency_id_agency')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['staff_user.id'], name=op.f('fk_team_member_ended_by_id_staff_user')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_team_member_family_id_family')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_team_member_person_id_person')),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_team_member_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member'))
    )
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_member_family_id'), ['family_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('description_ct', sa.Text(), nullable=False),
    sa.Column('owner_agency_id', sa.Uuid(), nullable=True),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('owner_person_id', sa.Uuid(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason_ct', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_plan_action_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goal.id'], name=op.f('fk_plan_action_goal_id_plan_goal')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_plan_action_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['owner_person_id'], ['person.id'], name=op.f('fk_plan_action_owner_person_id_person')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['staff_user.id'], name=op.f('fk_plan_action_owner_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_owner_agency_id'), ['owner_agency_id'], unique=False)

    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_chosen_with_family', sa.Boolean(), nullable=True))
    _plan_for_every_family()


def _plan_for_every_family() -> None:
    bind = op.get_bind()
    family = sa.table('family', sa.column('id', sa.Uuid()))
    plan = sa.table('family_plan', sa.column('id', sa.Uuid()), sa.column('family_id', sa.Uuid()),
                    sa.column('version', sa.Integer()), sa.column('status', sa.String()),
                    sa.column('created_at', sa.DateTime(timezone=True)))
    now = dt.datetime.now(dt.timezone.utc)
    ids = list(bind.execute(sa.select(family.c.id)).scalars())
    for start in range(0, len(ids), 1000):
        op.bulk_insert(plan, [{'id': uuid.uuid4(), 'family_id': fid, 'version': 0, 'status': 'open',
                               'created_at': now} for fid in ids[start:start + 1000]])


def downgrade() -> None:
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.drop_column('lead_chosen_with_family')

    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_owner_agency_id'))
        batch_op.drop_index(batch_op.f('ix_plan_action_goal_id'))

    op.drop_table('plan_action')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_member_family_id'))

    op.drop_table('team_member')
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goal_plan_id'))

    op.drop_table('plan_goal')
    op.drop_table('plan_change')
    with op.batch_alter_table('lead_handover', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_handover_family_id_handed_over_at')

    op.drop_table('lead_handover')
    op.drop_table('family_plan')
