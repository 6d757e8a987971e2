"""A referral's clocks, derived from its events, pauses and exceptions (domain.pathways.compute_clocks on the one
WorkingCalendar) and stored as rows so the dashboards can count them. Recomputed after every change."""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.domain.calendar import ENGLAND, WorkingCalendar
from coordination.domain.pathways import clock_events, compute_clocks
from coordination.domain.referrals import Lifecycle
from coordination.models import Referral, ReferralClock
from coordination.repositories import referrals as repo

from .access import pathway_of


def _england(moment: dt.datetime) -> dt.datetime:
    """The moment in England's zone, so `.date()` is the England date every clock counts from."""
    return moment.astimezone(ENGLAND)


def recompute_clocks(uow: UnitOfWork, referral: Referral) -> list[ReferralClock]:
    """Derive the referral's clock rows from its events, pauses and exceptions (delete and insert).

    Event times are taken in England's zone, so started_on, due_on and stopped_on are England dates. Each event
    counts from its first occurrence (the family's wait runs from the original `received`, even after a redirect),
    except `redirected`, which counts from the most recent (domain.pathways.clock_events).
    """
    session = uow.session
    events = clock_events([(e.kind, _england(e.occurred_at)) for e in repo.events_of(session, referral.id)])
    today = uow.today()
    pauses = tuple((p.from_on, p.to_on or today) for p in repo.pauses_of(session, referral.id))
    exceptions = tuple(e.code for e in repo.exceptions_of(session, referral.id))
    states = compute_clocks(pathway_of(referral), events, referral.urgency, _england(uow.now()), WorkingCalendar(),
                            pauses=pauses, exceptions=exceptions)
    if Lifecycle.has_ended(events):
        # A referral that ended before a clock's stop event (declined; closed when the child stepped up) no
        # longer waits for it: the clock measured nothing and is neither completed nor open and overdue.
        states = [s for s in states if s.stopped_at is not None]
    # Moments are stored in UTC (models.base.UtcDateTime); the dates stay England dates.
    rows = [ReferralClock.of(
        referral, name=s.name, started_at=s.started_at, started_on=s.started_on, due_on=s.due_on,
        due_at=s.due if isinstance(s.due, dt.datetime) else None, stopped_at=s.stopped_at,
        stopped_on=s.stopped_on, within_target=s.within_target, excepted=s.excepted, statutory=s.statutory,
        limit_text=s.limit,
    ) for s in states]
    repo.replace_clocks(session, referral, rows)
    return rows
