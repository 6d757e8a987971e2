"""case_note: visits, calls, meetings and messages, attributed and never edited (a correction is a new note)

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-03 09:00:00

Who the practitioner spoke with and what was said are encrypted, bound to table, field and row, like the
assessment's sections. Notes are listed by family and moment (the chronology reads them newest first).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_note',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('with_whom_ct', sa.Text(), nullable=False),
    sa.Column('text_ct', sa.Text(), nullable=False),
    sa.Column('child_seen', sa.Boolean(), nullable=True),
    sa.Column('seen_alone', sa.Boolean(), nullable=True),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_agency_id', sa.Uuid(), nullable=True),
    sa.Column('corrects_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['case_note.id'], name=op.f('fk_case_note_corrects_id_case_note')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_case_note_family_id_family')),
    sa.ForeignKeyConstraint(['recorded_by_agency_id'], ['agency.id'],
                            name=op.f('fk_case_note_recorded_by_agency_id_agency')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_case_note_recorded_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.create_index('ix_case_note_family_id_occurred_at', ['family_id', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_index('ix_case_note_family_id_occurred_at')
    op.drop_table('case_note')
