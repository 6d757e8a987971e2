"""What is due and overdue across the referrals an actor may see, and who each referral is about (for the web
pages: the due list, the inbox, the journey).

Reads only, scoped in the SQL by repositories.referrals (the case-holding, sending and receiving agencies),
each list audited once as a read of referrals (ids and counts only).
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.pathways import default_pathways
from coordination.repositories import referrals as repo

from .access import check_principal
from .views import clock_title, is_overdue


@dataclass
class DueClock:
    referral_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    pathway: str
    pathway_title: str
    clock: str
    clock_title: str
    statutory: bool
    status: str
    urgency: str
    received_on: dt.date
    due_on: dt.date
    due_at: dt.datetime | None
    overdue: bool
    to_agency_id: uuid.UUID
    from_agency_id: uuid.UUID | None


@dataclass
class DueList:
    clocks: list[DueClock]
    today: dt.date  # England's date the list was made on
    overdue: int
    due_today: int
    due_this_week: int  # within the next 7 days, after today

    @property
    def total(self) -> int:
        return len(self.clocks)


def _names(uow: UnitOfWork, actor: Actor, child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    people = repo.children_referred(uow.session, actor, sorted(set(child_ids), key=str))
    return {p.id: f"{p.unseal(uow.keys, 'given_name') or ''} {p.unseal(uow.keys, 'family_name') or ''}".strip()
            for p in people}


def child_names(uow: UnitOfWork, actor: Actor, child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of the children among `child_ids` that a referral the actor may see is about; the others are left
    out. Not audited on its own: callers show the names beside referrals whose read the referral service audits.
    """
    check_principal(actor)
    return _names(uow, actor, child_ids)


def due(uow: UnitOfWork, actor: Actor, pathway: str | None = None) -> DueList:
    """The running clocks of referrals the actor may see, soonest due first, with counts (audited once)."""
    check_principal(actor)
    pathways = default_pathways()
    if pathway is not None and pathway not in pathways:
        pathway = None
    rows = repo.open_clocks_for(uow.session, actor, pathway=pathway)
    names = _names(uow, actor, [r.child_id for _, r in rows])
    now, today = uow.now(), uow.today()
    clocks = []
    for clock, referral in rows:
        chosen = pathways.get(referral.pathway)
        clocks.append(DueClock(
            referral_id=referral.id, child_id=referral.child_id, child_name=names.get(referral.child_id, ""),
            pathway=referral.pathway, pathway_title=chosen.title if chosen else referral.pathway, clock=clock.name,
            clock_title=clock_title(chosen, clock.name), statutory=clock.statutory, status=referral.status,
            urgency=referral.urgency, received_on=referral.received_on, due_on=clock.due_on, due_at=clock.due_at,
            overdue=is_overdue(clock, now, today), to_agency_id=referral.to_agency_id,
            from_agency_id=referral.from_agency_id))
    clocks.sort(key=lambda c: (not c.overdue, c.due_on, c.due_at or dt.datetime.max.replace(tzinfo=dt.UTC)))
    week = today + dt.timedelta(days=7)
    uow.audit(actor, "read", "referral", None, entries=len(clocks), list="due", pathway=pathway)
    return DueList(clocks=clocks, today=today, overdue=sum(c.overdue for c in clocks),
                   due_today=sum(1 for c in clocks if not c.overdue and c.due_on == today),
                   due_this_week=sum(1 for c in clocks if not c.overdue and today < c.due_on <= week))
