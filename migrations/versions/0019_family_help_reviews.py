"""Family Help: team-around-the-family reviews (child views, progress per goal), closures and hand-overs,
"you said, we did" feedback, family group decision-making; the plan's next review due date

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:24:42

What the family and children said is encrypted, bound to table, field and row. Existing plans have no goal
reviewed yet: their next review is due by the first-review clock from their first goal (set here).
"""
import datetime as dt
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

from coordination.domain.family_help import first_review_due


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('family_feedback',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('from_person_id', sa.Uuid(), nullable=True),
    sa.Column('said_ct', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('we_did_ct', sa.Text(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['staff_user.id'], name=op.f('fk_family_feedback_answered_by_id_staff_user')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_family_feedback_family_id_family')),
    sa.ForeignKeyConstraint(['from_person_id'], ['person.id'], name=op.f('fk_family_feedback_from_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_family_feedback_recorded_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_feedback'))
    )
    with op.batch_alter_table('family_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_feedback_family_id'), ['family_id'], unique=False)
        batch_op.create_index('ix_family_feedback_received_on', ['received_on'], unique=False)

    op.create_table('fgdm_record',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('offered_on', sa.Date(), nullable=True),
    sa.Column('offered_to_id', sa.Uuid(), nullable=True),
    sa.Column('exempt', sa.Boolean(), nullable=False),
    sa.Column('exemption_reason_ct', sa.Text(), nullable=True),
    sa.Column('response', sa.String(length=20), nullable=True),
    sa.Column('response_by_id', sa.Uuid(), nullable=True),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('attendees_ct', sa.Text(), nullable=True),
    sa.Column('child_attended', sa.Boolean(), nullable=True),
    sa.Column('family_plan_ct', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_fgdm_record_family_id_family')),
    sa.ForeignKeyConstraint(['offered_to_id'], ['person.id'], name=op.f('fk_fgdm_record_offered_to_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['family_plan.id'], name=op.f('fk_fgdm_record_plan_id_family_plan')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_fgdm_record_recorded_by_id_staff_user')),
    sa.ForeignKeyConstraint(['response_by_id'], ['person.id'], name=op.f('fk_fgdm_record_response_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fgdm_record'))
    )
    with op.batch_alter_table('fgdm_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fgdm_record_family_id'), ['family_id'], unique=False)

    op.create_table('plan_closure',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('reason_text_ct', sa.Text(), nullable=True),
    sa.Column('feedback_sought', sa.Boolean(), nullable=False),
    sa.Column('handover', sa.Boolean(), nullable=False),
    sa.Column('reopened_on', sa.Date(), nullable=True),
    sa.Column('reopened_within_12_months', sa.Boolean(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_plan_closure_family_id_family')),
    sa.ForeignKeyConstraint(['plan_id'], ['family_plan.id'], name=op.f('fk_plan_closure_plan_id_family_plan')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_plan_closure_recorded_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_closure'))
    )
    with op.batch_alter_table('plan_closure', schema=None) as batch_op:
        batch_op.create_index('ix_plan_closure_closed_on', ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_closure_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_review',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('every_child_heard', sa.Boolean(), nullable=False),
    sa.Column('attendees_ct', sa.Text(), nullable=False),
    sa.Column('family_view_ct', sa.Text(), nullable=False),
    sa.Column('decisions_ct', sa.Text(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_agency_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_plan_review_family_id_family')),
    sa.ForeignKeyConstraint(['plan_id'], ['family_plan.id'], name=op.f('fk_plan_review_plan_id_family_plan')),
    sa.ForeignKeyConstraint(['recorded_by_agency_id'], ['agency.id'], name=op.f('fk_plan_review_recorded_by_agency_id_agency')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_plan_review_recorded_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review'))
    )
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_review_family_id'), ['family_id'], unique=False)
        batch_op.create_index('ix_plan_review_held_on', ['held_on'], unique=False)
        batch_op.create_index('ix_plan_review_plan_id_held_on', ['plan_id', 'held_on'], unique=False)

    op.create_table('plan_goal_outcome',
    sa.Column('closure_id', sa.Uuid(), nullable=False),
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['closure_id'], ['plan_closure.id'], name=op.f('fk_plan_goal_outcome_closure_id_plan_closure')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goal.id'], name=op.f('fk_plan_goal_outcome_goal_id_plan_goal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal_outcome')),
    sa.UniqueConstraint('closure_id', 'goal_id', name=op.f('uq_plan_goal_outcome_closure_id_goal_id'))
    )
    op.create_table('review_child_view',
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('words_ct', sa.Text(), nullable=True),
    sa.Column('reason_ct', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['person.id'], name=op.f('fk_review_child_view_child_id_person')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_review.id'], name=op.f('fk_review_child_view_review_id_plan_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_child_view'))
    )
    with op.batch_alter_table('review_child_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_child_view_review_id'), ['review_id'], unique=False)

    op.create_table('review_progress',
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goal.id'], name=op.f('fk_review_progress_goal_id_plan_goal')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_review.id'], name=op.f('fk_review_progress_review_id_plan_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_progress')),
    sa.UniqueConstraint('review_id', 'goal_id', name=op.f('uq_review_progress_review_id_goal_id'))
    )
    with op.batch_alter_table('review_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_progress_goal_id'), ['goal_id'], unique=False)

    with op.batch_alter_table('family_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_review_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_family_plan_next_review_due_on'), ['next_review_due_on'], unique=False)
    _first_reviews_due()


def _first_reviews_due() -> None:
    """Plans with a goal: the first review is due by the early help plan clock from the first goal's day."""
    bind = op.get_bind()
    plan = sa.table('family_plan', sa.column('id', sa.Uuid()), sa.column('next_review_due_on', sa.Date()))
    goal = sa.table('plan_goal', sa.column('plan_id', sa.Uuid()), sa.column('created_at', sa.DateTime(timezone=True)))
    england = ZoneInfo("Europe/London")
    rows = bind.execute(sa.select(goal.c.plan_id, sa.func.min(goal.c.created_at)).group_by(goal.c.plan_id)).all()
    for plan_id, first in rows:
        moment = first if isinstance(first, dt.datetime) else dt.datetime.fromisoformat(str(first))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        bind.execute(plan.update().where(plan.c.id == plan_id).values(
            next_review_due_on=first_review_due(moment.astimezone(england).date())))


def downgrade() -> None:
    with op.batch_alter_table('family_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_plan_next_review_due_on'))
        batch_op.drop_column('closed_on')
        batch_op.drop_column('next_review_due_on')

    with op.batch_alter_table('review_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_progress_goal_id'))

    op.drop_table('review_progress')
    with op.batch_alter_table('review_child_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_child_view_review_id'))

    op.drop_table('review_child_view')
    op.drop_table('plan_goal_outcome')
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_review_plan_id_held_on')
        batch_op.drop_index('ix_plan_review_held_on')
        batch_op.drop_index(batch_op.f('ix_plan_review_family_id'))

    op.drop_table('plan_review')
    with op.batch_alter_table('plan_closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_closure_plan_id'))
        batch_op.drop_index('ix_plan_closure_closed_on')

    op.drop_table('plan_closure')
    with op.batch_alter_table('fgdm_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fgdm_record_family_id'))

    op.drop_table('fgdm_record')
    with op.batch_alter_table('family_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_family_feedback_received_on')
        batch_op.drop_index(batch_op.f('ix_family_feedback_family_id'))

    op.drop_table('family_feedback')
