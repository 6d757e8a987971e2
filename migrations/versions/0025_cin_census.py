"""CIN census items: each person's LAchildID (backfilled), sex, ethnicity, disabilities, UPN unknown reason and
former UPN (sealed); a referral's primary need, NFA flag, reason for closure and assessment factors (sealed);
a team's finer census ReferralSource

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-03 13:30:00

Every existing person is given an LAchildID here: "C" and 11 random Crockford base32 characters, the same form
as domain.cin_census.new_la_child_id (random, so nothing about the child is in it; unique by constraint).
Referrals already declined are no further action (`referral_nfa` true); those accepted are not.
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0023'
branch_labels = None
depends_on = None

PERSON_TEXT = ('sex_ct', 'ethnicity_ct', 'disabilities_ct', 'upn_unknown_ct', 'former_upn_ct')
BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'


def _new_id(taken: set[str]) -> str:
    while True:
        value = 'C' + ''.join(secrets.choice(BASE32) for _ in range(11))
        if value not in taken:
            taken.add(value)
            return value


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('la_child_id', sa.String(length=20), nullable=True))
        for name in PERSON_TEXT:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    conn = op.get_bind()
    person = sa.table('person', sa.column('id', sa.Uuid()), sa.column('la_child_id', sa.String()))
    taken: set[str] = set()
    for (person_id,) in conn.execute(sa.select(person.c.id)).all():
        conn.execute(sa.update(person).where(person.c.id == person_id).values(la_child_id=_new_id(taken)))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('la_child_id', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_unique_constraint('uq_person_la_child_id', ['la_child_id'])
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('primary_need', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('referral_nfa', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('reason_for_closure', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('assessment_factors_ct', sa.Text(), nullable=True))
    referral = sa.table('referral', sa.column('decision', sa.String()), sa.column('referral_nfa', sa.Boolean()))
    conn.execute(sa.update(referral).where(referral.c.decision == 'decline').values(referral_nfa=True))
    conn.execute(sa.update(referral).where(referral.c.decision == 'accept').values(referral_nfa=False))
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('census_referral_source', sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('census_referral_source')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('assessment_factors_ct')
        batch_op.drop_column('reason_for_closure')
        batch_op.drop_column('referral_nfa')
        batch_op.drop_column('primary_need')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint('uq_person_la_child_id', type_='unique')
        for name in reversed(PERSON_TEXT):
            batch_op.drop_column(name)
        batch_op.drop_column('la_child_id')
