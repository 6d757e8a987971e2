"""Open referral clocks by the agency they are due at: what the daily digest reads (a system job, per agency)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.models import ReferralClock


def open_due_by(session: Session, agency_id: uuid.UUID, horizon: dt.date) -> list[ReferralClock]:
    """Running clocks of referrals to the agency due on or before `horizon`, soonest first."""
    return list(session.execute(
        select(ReferralClock).where(ReferralClock.to_agency_id == agency_id, ReferralClock.stopped_on.is_(None),
                                    ReferralClock.due_on <= horizon)
        .order_by(ReferralClock.due_on, ReferralClock.referral_id, ReferralClock.name)).scalars())


def agencies_with_open_due_by(session: Session, horizon: dt.date) -> list[uuid.UUID]:
    """The agencies with a running clock due on or before `horizon`, in id order."""
    return sorted(set(session.execute(
        select(ReferralClock.to_agency_id).where(ReferralClock.stopped_on.is_(None), ReferralClock.due_on <= horizon)
    ).scalars()))
