"""Reads for the statutory returns: every social care referral of the local authority that may fall in a census
year, with its stage events, the referring team's type and census source, and the children they are about.

The returns are the council's, not a team's: these reads are not scoped by agency. Only the returns service
calls them, after checking the actor may run the returns (domain.permissions.Action.RUN_RETURNS).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from coordination.models import Agency, Person, Referral, ReferralEvent


@dataclass
class CensusReferral:
    referral: Referral
    from_agency_type: str | None
    from_agency_source: str | None
    events: list[ReferralEvent] = field(default_factory=list)


def social_care_referrals(session: Session, first: dt.date, reference: dt.date) -> list[CensusReferral]:
    """Referrals to children's social care received on or before `reference` and not closed before `first`
    (an NFA referral of an earlier year is left out by the census rule, domain.cin_census.episode_as_at)."""
    start_of_first = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC) - dt.timedelta(hours=1)
    sender = aliased(Agency)
    query = (
        select(Referral, sender.type, sender.census_referral_source)
        .outerjoin(sender, sender.id == Referral.from_agency_id)
        .where(Referral.pathway == "social_care", Referral.received_on <= reference,
               or_(Referral.closed_at.is_(None), Referral.closed_at >= start_of_first),
               or_(Referral.decision.is_(None), Referral.decision != "decline", Referral.received_on >= first))
        .order_by(Referral.received_on, Referral.id)
    )
    found = {ref.id: CensusReferral(ref, kind, source) for ref, kind, source in session.execute(query)}
    if found:
        for event in session.execute(select(ReferralEvent).where(ReferralEvent.referral_id.in_(list(found)))
                                     .order_by(ReferralEvent.occurred_at)).scalars():
            found[event.referral_id].events.append(event)
    return list(found.values())


def people(session: Session, ids: set[uuid.UUID]) -> list[Person]:
    if not ids:
        return []
    return list(session.execute(select(Person).where(Person.id.in_(list(ids)))).scalars())

