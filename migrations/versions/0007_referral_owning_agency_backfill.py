"""referral.owning_agency_id filled from the family wherever it is still empty (data only)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

Migration 0006 added the referral's (and each clock's) copy of the agency holding the family's case and filled it
for the rows then present. Every referral written since sets it itself (the live service and the CSV import);
until now the clock recomputation also back-filled it on every write, in case a loader had left it empty. That
back-fill is gone: this revision fills any referral still without it, and its clocks, once.
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE referral SET owning_agency_id = "
        "(SELECT family.owning_agency_id FROM family WHERE family.id = referral.family_id) "
        "WHERE owning_agency_id IS NULL"
    )
    op.execute(
        "UPDATE referral_clock SET owning_agency_id = "
        "(SELECT r.owning_agency_id FROM referral r WHERE r.id = referral_clock.referral_id) "
        "WHERE owning_agency_id IS NULL"
    )


def downgrade() -> None:
    pass  # the values filled were missing copies of the family's owner: nothing to undo
