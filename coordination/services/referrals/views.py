"""What the referral service hands back: a referral as it stands now (decrypted for the actor who asked), its
clocks (a running clock past its due moment is overdue, so not in time) and its events."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.pathways import Pathway
from coordination.models import Referral, ReferralClock, ReferralEvent

from .access import pathway_of


@dataclass
class ClockView:
    name: str
    title: str
    limit: str
    statutory: bool
    started_on: dt.date
    due_on: dt.date
    due_at: dt.datetime | None
    stopped_on: dt.date | None
    within_target: bool | None
    overdue: bool
    excepted: bool


@dataclass
class EventView:
    kind: str
    occurred_at: dt.datetime
    by_agency_id: uuid.UUID | None
    by_user_id: uuid.UUID | None
    by_key_id: uuid.UUID | None
    note: str | None
    from_agency_id: uuid.UUID | None = None  # a redirect: the team it left
    to_agency_id: uuid.UUID | None = None    # a redirect: the team it went to


@dataclass
class ReferralView:
    id: uuid.UUID
    family_id: uuid.UUID
    child_id: uuid.UUID
    pathway: str
    pathway_title: str
    status: str
    stage: str
    stage_title: str
    urgency: str
    reason: str
    received_on: dt.date
    received_at: dt.datetime
    from_agency_id: uuid.UUID | None
    to_agency_id: uuid.UUID
    referred_by_user_id: uuid.UUID | None
    referred_by_key_id: uuid.UUID | None
    re_referral: bool
    linked_from_id: uuid.UUID | None
    link_kind: str | None
    decision: str | None
    decided_at: dt.datetime | None
    decision_reason: str | None
    signposted_to: str | None
    outcome: str | None
    closed_at: dt.datetime | None
    sections_shared: list[str]
    child_age_at_referral: int | None
    clocks: list[ClockView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    replayed: bool = False  # an Idempotency-Key retry answered with the first referral

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.clocks)


def clock_title(pathway: Pathway | None, name: str) -> str:
    """The clock's title in the pathway (its name when the pathway no longer has it)."""
    try:
        return pathway.clock(name).title if pathway else name
    except StopIteration:
        return name


def is_overdue(row: ReferralClock, now: dt.datetime, today: dt.date) -> bool:
    """A running clock past its due moment (hour clocks) or its due date (England's `today`)."""
    return now > row.due_at if row.due_at else today > row.due_on


def clock_view(uow: UnitOfWork, pathway: Pathway, row: ReferralClock) -> ClockView:
    """A stored clock as it stands now: a running clock past its due date is overdue (and so not in time)."""
    if row.stopped_on is not None:
        within, overdue = row.within_target, False
    else:
        overdue = is_overdue(row, uow.now(), uow.today())
        within = False if overdue else None
    return ClockView(name=row.name, title=clock_title(pathway, row.name), limit=row.limit_text,
                     statutory=row.statutory, started_on=row.started_on, due_on=row.due_on, due_at=row.due_at,
                     stopped_on=row.stopped_on, within_target=within, overdue=overdue, excepted=row.excepted)


def _agency_in(details: dict | None, key: str) -> uuid.UUID | None:
    value = (details or {}).get(key)
    return uuid.UUID(value) if value else None


def _event_view(uow: UnitOfWork, event: ReferralEvent) -> EventView:
    return EventView(kind=event.kind, occurred_at=event.occurred_at, by_agency_id=event.by_agency_id,
                     by_user_id=event.by_user_id, by_key_id=event.by_key_id, note=event.unseal(uow.keys, "note"),
                     from_agency_id=_agency_in(event.details, "from_agency_id"),
                     to_agency_id=_agency_in(event.details, "to_agency_id"))


def _clock_order(pathway: Pathway):
    names = [c.name for c in pathway.clocks]
    return lambda row: names.index(row.name) if row.name in names else len(names)


def referral_view(uow: UnitOfWork, referral: Referral, *, replayed: bool = False) -> ReferralView:
    pathway = pathway_of(referral)
    return ReferralView(
        id=referral.id, family_id=referral.family_id, child_id=referral.child_id, pathway=referral.pathway,
        pathway_title=pathway.title, status=referral.status, stage=referral.stage,
        stage_title=pathway.stage_titles.get(referral.stage, referral.stage), urgency=referral.urgency,
        reason=referral.unseal(uow.keys, "reason") or "", received_on=referral.received_on,
        received_at=referral.received_at, from_agency_id=referral.from_agency_id,
        to_agency_id=referral.to_agency_id, referred_by_user_id=referral.referred_by_user_id,
        referred_by_key_id=referral.referred_by_key_id, re_referral=referral.re_referral,
        linked_from_id=referral.linked_from_id, link_kind=referral.link_kind, decision=referral.decision,
        decided_at=referral.decided_at,
        decision_reason=referral.unseal(uow.keys, "decision_reason"), signposted_to=referral.signposted_to,
        outcome=referral.outcome, closed_at=referral.closed_at,
        sections_shared=list(referral.sections_shared or []), child_age_at_referral=referral.child_age_at_referral,
        clocks=[clock_view(uow, pathway, row) for row in sorted(referral.clocks, key=_clock_order(pathway))],
        events=[_event_view(uow, e) for e in referral.events],
        replayed=replayed,
    )
