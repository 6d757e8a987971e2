"""keyed audit chain (where the HMAC chain starts, a MAC on the chain head); app instances and their key ids

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 09:00:00

From this revision the audit chain is keyed: each event's hash is an HMAC-SHA256 under AUDIT_CHAIN_KEY, which the
database host never holds, and the one-row head carries an HMAC of (seq, hash, keyed_from), so someone with
write access to the database cannot re-hash an edited tail, or move the head over a cut one unless they kept an
old copy of the head row (the signed checkpoints cover that case).

Existing events keep their unkeyed SHA-256 hashes and keep verifying: `keyed_from` stays NULL here and the
application's first append after the upgrade sets it to the next seq (the cut-over), so events written by the
old code during a deploy are still before it. Stop every web host and worker, upgrade, then start them all
(a rolling restart would let old code append unkeyed events after new code has started the keyed chain).

`app_instance`: each running web or rq worker process records the encryption key ids it holds, refreshed every
minute, so `keys rotate` can refuse a key that a running instance lacks.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keyed_from', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    op.create_table('app_instance',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('key_ids', sa.JSON(), nullable=False),
    sa.Column('current_key_id', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_instance'))
    )
    with op.batch_alter_table('app_instance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_instance_last_seen'), ['last_seen'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('app_instance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_instance_last_seen'))
    op.drop_table('app_instance')
    with op.batch_alter_table('audit_chain_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
        batch_op.drop_column('keyed_from')
