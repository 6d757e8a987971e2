"""Reads for SEN2: every EHC needs assessment request of the local authority received by a day, with its EHC
details and its reg 10(4) exceptions, and the addresses of the children they are about.

The return is the council's, not a team's: these reads are not scoped by agency. Only the SEN2 service calls
them, after checking the actor may run the returns (domain.permissions.Action.RUN_RETURNS).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coordination.models import Address, EhcDetails, Referral, ReferralException


@dataclass
class Sen2Referral:
    referral: Referral
    details: EhcDetails | None
    exceptions: list[ReferralException] = field(default_factory=list)


def ehc_requests(session: Session, last: dt.date) -> list[Sen2Referral]:
    """Requests for an EHC needs assessment received on or before `last` (the ones that ended before the year
    are left out by the SEN2 rule, domain.sen2.request_as_at)."""
    query = (select(Referral, EhcDetails).outerjoin(EhcDetails, EhcDetails.referral_id == Referral.id)
             .where(Referral.pathway == "ehc_needs_assessment", Referral.received_on <= last)
             .order_by(Referral.received_on, Referral.id))
    found = {ref.id: Sen2Referral(ref, details) for ref, details in session.execute(query)}
    if found:
        for row in session.execute(select(ReferralException).where(ReferralException.referral_id.in_(list(found)))
                                   .order_by(ReferralException.created_at)).scalars():
            found[row.referral_id].exceptions.append(row)
    return list(found.values())


def addresses_on(session: Session, family_ids: set[uuid.UUID], day: dt.date) -> list[Address]:
    """The addresses lived at on `day` by the households in `family_ids` or one of their people."""
    if not family_ids:
        return []
    return list(session.execute(
        select(Address).where(Address.family_id.in_(list(family_ids)), Address.moved_in_on <= day,
                              or_(Address.moved_out_on.is_(None), Address.moved_out_on > day))
        .order_by(Address.moved_in_on)).scalars())
