"""Migration 0006 copies each referral's agencies, urgency, ward and age onto its existing clock rows, so an
authority upgrading with history keeps the same manager figures."""
from __future__ import annotations

import datetime as dt
import uuid

from alembic import command
from sqlalchemy import select

from coordination.migrate import alembic_config, upgrade
from coordination.models import Agency, Family, Person, Referral, ReferralClock

from .migration_support import as_then

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


def test_upgrade_backfills_clock_scope_from_referral_and_family(fresh_database):
    engine = fresh_database.engine
    command.downgrade(alembic_config(engine), "0005")
    # Rows as a 0005 database holds them (only the columns that existed then).
    owner, sender, receiver = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    family, child, referral = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        as_then(conn, Agency, [
            {"id": a, "name": n, "type": "council_early_help", "created_at": NOW}
            for a, n in ((owner, "Eastmere Early Help"), (sender, "Eastmere Primary"), (receiver, "Eastmere CSC"))])
        as_then(conn, Family, dict(
            id=family, reference="F-0006", owning_agency_id=owner, created_at=NOW, updated_at=NOW))
        as_then(conn, Person, dict(id=child, family_id=family, role="child", position=0,
                                   given_name_ct="x", family_name_ct="x", created_at=NOW))
        as_then(conn, Referral, dict(
            id=referral, family_id=family, child_id=child, pathway="social_care", from_agency_id=sender,
            to_agency_id=receiver, urgency="urgent", status="received", stage="referral", received_on=NOW.date(),
            received_at=NOW, re_referral=False, sections_shared=[], child_age_at_referral=11, ward="Riverside",
            created_at=NOW, updated_at=NOW))
        as_then(conn, ReferralClock, dict(
            id=uuid.uuid4(), referral_id=referral, pathway="social_care", name="decision", to_agency_id=receiver,
            started_at=NOW, started_on=NOW.date(), due_on=NOW.date(), excepted=False, statutory=True,
            limit_text="1 working day"))

    upgrade(engine)

    with engine.connect() as conn:
        assert conn.execute(select(Referral.owning_agency_id)).scalar_one() == owner
        row = conn.execute(select(ReferralClock.from_agency_id, ReferralClock.owning_agency_id,
                                  ReferralClock.urgency, ReferralClock.ward,
                                  ReferralClock.child_age_at_referral)).one()
    assert tuple(row) == (sender, owner, "urgent", "Riverside", 11)
