"""The audit trail off the hot path: audit_pending, where PostgreSQL writers leave events for the sealer

Revision ID: 0026
Revises: 0022
Create Date: 2026-12-03 13:40:00

Writers insert their events here (one statement, no lock) and the sealer chains them into audit_event under
the head row's lock (audit.chain.seal). Nothing to move: every existing event is already chained.
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_pending',
    sa.Column('pos', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_user_id', sa.String(length=36), nullable=True),
    sa.Column('actor_key_id', sa.String(length=36), nullable=True),
    sa.Column('actor_agency_id', sa.String(length=36), nullable=True),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=True),
    sa.Column('family_id', sa.String(length=36), nullable=True),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('authority', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('pos', name=op.f('pk_audit_pending')),
    sa.UniqueConstraint('id', name=op.f('uq_audit_pending_id'))
    )
    with op.batch_alter_table('audit_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_pending_family_id'), ['family_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # A pending event is never edited: it is inserted by its writer and deleted only as the sealer chains it.
        op.execute("""
            CREATE FUNCTION audit_pending_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_pending is never updated: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END $$;
        """)
        op.execute("""
            CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
            FOR EACH ROW EXECUTE FUNCTION audit_pending_refuse_update();
        """)


def downgrade() -> None:
    # Events still pending would be lost: chain them first (`flask audit seal`), then downgrade.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_pending_no_update ON audit_pending")
        op.execute("DROP FUNCTION IF EXISTS audit_pending_refuse_update()")
    with op.batch_alter_table('audit_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_pending_family_id'))
    op.drop_table('audit_pending')
