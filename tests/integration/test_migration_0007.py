"""Migration 0007 fills the referral's (and its clocks') copy of the family's owning agency where a loader left it
empty, now that recomputing the clocks no longer back-fills it on every write."""
from __future__ import annotations

import datetime as dt
import uuid

from alembic import command
from sqlalchemy import select

from coordination.migrate import alembic_config, upgrade
from coordination.models import Agency, Family, Person, Referral, ReferralClock

from .migration_support import as_then

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


def test_upgrade_fills_an_empty_owning_agency_from_the_family_and_keeps_one_already_set(fresh_database):
    engine = fresh_database.engine
    command.downgrade(alembic_config(engine), "0006")
    owner, receiver = uuid.uuid4(), uuid.uuid4()
    family, child = uuid.uuid4(), uuid.uuid4()
    empty, kept = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        as_then(conn, Agency, [
            {"id": a, "name": n, "type": "council_early_help", "created_at": NOW}
            for a, n in ((owner, "Eastmere Early Help"), (receiver, "Eastmere CSC"))])
        as_then(conn, Family, dict(
            id=family, reference="F-0007", owning_agency_id=owner, created_at=NOW, updated_at=NOW))
        as_then(conn, Person, dict(id=child, family_id=family, role="child", position=0,
                                   given_name_ct="x", family_name_ct="x", created_at=NOW))
        as_then(conn, Referral, [dict(
            id=rid, family_id=family, child_id=child, pathway="social_care", to_agency_id=receiver,
            owning_agency_id=set_to, urgency="routine", status="received", stage="referral", received_on=NOW.date(),
            received_at=NOW, re_referral=False, sections_shared=[], created_at=NOW, updated_at=NOW)
            for rid, set_to in ((empty, None), (kept, receiver))])
        as_then(conn, ReferralClock, dict(
            id=uuid.uuid4(), referral_id=empty, pathway="social_care", name="decision", to_agency_id=receiver,
            owning_agency_id=None, urgency="routine", started_at=NOW, started_on=NOW.date(), due_on=NOW.date(),
            excepted=False, statutory=True, limit_text="1 working day"))

    upgrade(engine)

    with engine.connect() as conn:
        owners = dict(conn.execute(select(Referral.id, Referral.owning_agency_id)).all())
        clock_owner = conn.execute(select(ReferralClock.owning_agency_id)).scalar_one()
    assert owners == {empty: owner, kept: receiver}  # one already set is left as it is
    assert clock_owner == owner
