"""Reads for the statutory extracts (SEN2, CIN census): referrals active in a period with their events,
clocks, exceptions, the referring agency's type and any step-down link — scoped by the actor's agency
exactly as the timeliness figures are (repositories.metrics.scope).

Reads the referral tables directly, so the extracts do not depend on the referral services.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from coordination.domain.actors import Actor
from coordination.models import Agency, Referral, ReferralClock, ReferralEvent, ReferralException

from .metrics import scope


@dataclass
class ExtractReferral:
    referral: Referral
    from_agency_type: str | None
    events: list[ReferralEvent] = field(default_factory=list)
    clocks: dict[str, ReferralClock] = field(default_factory=dict)
    exception_codes: list[str] = field(default_factory=list)
    stepped_down: bool = False


def referrals_active_in(session: Session, actor: Actor, pathway: str, first: dt.date,
                        last: dt.date) -> list[ExtractReferral]:
    """Referrals on `pathway` the actor may count that were open at any time in [first, last]:
    received on or before `last` and not closed before `first`."""
    start_of_first = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    sender = aliased(Agency)
    query = (
        select(Referral, sender.type)
        .outerjoin(sender, sender.id == Referral.from_agency_id)
        .where(Referral.pathway == pathway, Referral.received_on <= last,
               or_(Referral.closed_at.is_(None), Referral.closed_at >= start_of_first), scope(actor))
        .order_by(Referral.received_on, Referral.id)
    )
    found = {ref.id: ExtractReferral(ref, agency_type) for ref, agency_type in session.execute(query)}
    if not found:
        return []
    ids = list(found)
    for event in session.execute(select(ReferralEvent).where(ReferralEvent.referral_id.in_(ids))
                                 .order_by(ReferralEvent.occurred_at)).scalars():
        found[event.referral_id].events.append(event)
    for clock in session.execute(select(ReferralClock).where(ReferralClock.referral_id.in_(ids))).scalars():
        found[clock.referral_id].clocks[clock.name] = clock
    for exc in session.execute(select(ReferralException).where(ReferralException.referral_id.in_(ids))
                               .order_by(ReferralException.code)).scalars():
        found[exc.referral_id].exception_codes.append(exc.code)
    for (linked_from,) in session.execute(select(Referral.linked_from_id).where(
            Referral.linked_from_id.in_(ids), Referral.link_kind == "step_down")):
        if linked_from is not None:
            found[linked_from].stepped_down = True
    return list(found.values())
