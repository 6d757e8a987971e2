"""Assessment sections confidential to a young person in the family's own view

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-04 18:20:00

A practitioner marks a section confidential to the child it is about: in the family's own view only that young
person sees it (no parent, no other child). Who marked it and when are kept beside it (the change is audited too).
Voice entries already carry `confidential` (0024).
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential_to_person_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('confidential_marked_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('confidential_marked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessment_section_confidential_to_person_id_person'), 'person',
                                    ['confidential_to_person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_assessment_section_confidential_marked_by_id_staff_user'),
                                    'staff_user', ['confidential_marked_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_section_confidential_marked_by_id_staff_user'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assessment_section_confidential_to_person_id_person'),
                                 type_='foreignkey')
        batch_op.drop_column('confidential_marked_at')
        batch_op.drop_column('confidential_marked_by_id')
        batch_op.drop_column('confidential_to_person_id')
