"""A child's view at a review confidential to that child in the family's own view

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-04 18:40:00

A practitioner recording a review keeps a child's words to that child: in the family's own view only that young
person sees them (no parent, no other child), as for voice entries (0024) and sections (0028). Staff still see them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_child_view', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('review_child_view', schema=None) as batch_op:
        batch_op.drop_column('confidential')
