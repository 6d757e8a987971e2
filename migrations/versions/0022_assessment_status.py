"""Assessment status: sections marked complete, the agreement with the family, a manager's sign-off, and the
append-only history of these (assessment_status_event)

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-03 13:40:00

Existing assessments start with no section complete, no agreement and no sign-off.
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('completed_by_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessment_section_completed_by_id_staff_user'), 'staff_user',
                                    ['completed_by_id'], ['id'])
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agreed_by_person_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('agreement_recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('agreement_recorded_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signed_off_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('changed_since_sign_off_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessment_agreed_by_person_id_person'), 'person',
                                    ['agreed_by_person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_assessment_agreement_recorded_by_id_staff_user'), 'staff_user',
                                    ['agreement_recorded_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_assessment_signed_off_by_id_staff_user'), 'staff_user',
                                    ['signed_off_by_id'], ['id'])
    op.create_table('assessment_status_event',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('section_key', sa.String(length=40), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_status_event_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_assessment_status_event_family_id_family')),
    sa.ForeignKeyConstraint(['section_key'], ['section_definition.key'], name=op.f('fk_assessment_status_event_section_key_section_definition')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_assessment_status_event_person_id_person')),
    sa.ForeignKeyConstraint(['by_id'], ['staff_user.id'], name=op.f('fk_assessment_status_event_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_status_event'))
    )
    with op.batch_alter_table('assessment_status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_status_event_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_status_event_family_id'), ['family_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assessment_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_status_event_family_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_status_event_assessment_id'))
    op.drop_table('assessment_status_event')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_signed_off_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assessment_agreement_recorded_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assessment_agreed_by_person_id_person'), type_='foreignkey')
        for column in ('changed_since_sign_off_at', 'signed_off_by_id', 'signed_off_at', 'agreement_recorded_by_id',
                       'agreement_recorded_at', 'agreed_by_person_id', 'agreed_on'):
            batch_op.drop_column(column)
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_section_completed_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('completed_by_id')
        batch_op.drop_column('completed_at')
