"""people and contacts: a person's version (If-Match), leaving the household, contact details; addresses with
their move history; other professionals involved

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 12:00:00

Every new piece of personal text is encrypted, bound to table, field and row (only `*_ct` columns). Existing
people start at version 1, in the household, with no contact details recorded.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

PERSON_TEXT = ('left_reason_ct', 'phone_ct', 'email_ct', 'language_ct', 'gp_practice_ct', 'school_name_ct',
               'school_urn_ct')


def _common(table: str) -> list:
    return [
        sa.Column('family_id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=True),
        sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=f'fk_{table}_family_id_family'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=f'fk_{table}_person_id_person'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=f'fk_{table}_recorded_by_id_staff_user'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{table}'),
    ]


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('interpreter_needed', sa.Boolean(), nullable=True))
        for name in PERSON_TEXT:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    op.create_table('address',
    sa.Column('line_1_ct', sa.Text(), nullable=False),
    sa.Column('line_2_ct', sa.Text(), nullable=True),
    sa.Column('town_ct', sa.Text(), nullable=False),
    sa.Column('postcode_ct', sa.Text(), nullable=False),
    sa.Column('moved_in_on', sa.Date(), nullable=False),
    sa.Column('moved_out_on', sa.Date(), nullable=True),
    *_common('address'),
    )
    op.create_table('professional',
    sa.Column('name_ct', sa.Text(), nullable=False),
    sa.Column('role_ct', sa.Text(), nullable=False),
    sa.Column('organisation_ct', sa.Text(), nullable=False),
    sa.Column('contact_ct', sa.Text(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    *_common('professional'),
    )
    for table in ('address', 'professional'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_family_id', ['family_id'], unique=False)


def downgrade() -> None:
    for table in ('professional', 'address'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_family_id')
        op.drop_table(table)
    with op.batch_alter_table('person', schema=None) as batch_op:
        for name in reversed(PERSON_TEXT):
            batch_op.drop_column(name)
        batch_op.drop_column('interpreter_needed')
        batch_op.drop_column('left_on')
        batch_op.drop_column('version')
