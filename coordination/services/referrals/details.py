"""What the receiving team reads about the people behind a referral: the child's name always (the referral names
its child), and the child's date of birth, the parents and carers in the household and the family's address as
far as a live consent or safeguarding disclosure for the team's agency allows (the disclosure engine answers which
sections are covered; domain/referral_details ties each detail to them). The agency holding the case reads them
all. Both the referral check page (before sending: `details_for_agency`) and the receiving team's referral page
(`referral_details`, audited as a disclosure naming its authority, so the family's access log lists it) use the
same rule and the same engine.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.referral_details import (
    ADDRESS,
    DATE_OF_BIRTH,
    DETAILS,
    PARENTS,
    details_allowed,
)
from coordination.domain.sections import DEFAULT_TEMPLATE, PersonRole
from coordination.repositories import families as families_repo
from coordination.repositories import people as people_repo
from coordination.services.contacts import AddressView, address_view
from coordination.services.families import person_view
from coordination.services.sharing import disclosure

from .access import visible_referral

FACT = "referral_details"
ALL_SECTIONS = [s.key for s in DEFAULT_TEMPLATE]


@dataclass(frozen=True)
class AgencyWillSee:
    """What an agency would read of a family now: the details (domain.referral_details keys) and the sections."""

    details: list[str]
    sections: list[str]
    holds_case: bool


@dataclass
class ReferralDetailsView:
    """The people behind a referral as its reader may see them; a detail not shared is None and named in
    `withheld` (its key), so the page can say why it is missing."""

    child_name: str
    date_of_birth: dt.date | None = None
    parents: list[str] | None = None
    address: AddressView | None = None
    withheld: list[str] = field(default_factory=list)
    holds_case: bool = False


def details_for_agency(uow: UnitOfWork, agency_id: uuid.UUID, owning_agency_id: uuid.UUID,
                       family_id: uuid.UUID) -> AgencyWillSee:
    """What the agency would read of the family now, in the template's order (the engine; reads, audits nothing)."""
    if agency_id == owning_agency_id:
        return AgencyWillSee([d.key for d in DETAILS], list(ALL_SECTIONS), holds_case=True)
    covered = disclosure.may_send(uow, agency_id, family_id, ALL_SECTIONS)
    sections = [k for k in ALL_SECTIONS if k in covered]
    return AgencyWillSee(list(details_allowed(sections)), sections, holds_case=False)


def referral_details(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> ReferralDetailsView:
    """The child, parents and address behind a referral the actor may see, as far as the authority allows.
    Another agency's read of anything beyond the child's name is one "disclose" audit event (fact
    `referral_details`, the details, and the consent(s) or disclosure(s) of the sections that allowed them).

    :raise NotFound / NotPermitted: as for the referral itself.
    """
    referral = visible_referral(uow, actor, referral_id)
    holds = families_repo.get_for(uow.session, actor, referral.family_id) is not None
    permitted = {} if holds else disclosure.permitted_sections(uow.session, actor, referral.family_id, uow.now())
    allowed = details_allowed([k for k in ALL_SECTIONS if k in permitted], holds_case=holds)
    people = [person_view(uow.keys, p) for p in people_repo.people_of_referral_family(uow.session, referral.family_id)]
    child = next((p for p in people if p.id == referral.child_id), None)
    view = ReferralDetailsView(child_name=child.full_name if child else "The child", holds_case=holds,
                               withheld=[d.key for d in DETAILS if d.key not in allowed])
    if DATE_OF_BIRTH in allowed and child is not None:
        view.date_of_birth = child.date_of_birth
    if PARENTS in allowed:
        view.parents = [p.full_name for p in people if p.role == PersonRole.PARENT_CARER and p.in_household]
    if ADDRESS in allowed:
        current = people_repo.current_addresses(uow.session, referral.family_id, None)
        view.address = address_view(uow, current[0]) if current else None
    shared = [k for k in allowed if allowed[k] or holds]
    if holds:
        uow.audit(actor, "read", "family_people", referral.family_id, family_id=referral.family_id,
                  authority={"kind": "case_holder"}, details=shared, referral_id=str(referral.id))
    elif any(allowed.values()):
        used = {s for sections in allowed.values() for s in sections}
        authority = disclosure.authority_record({k: v for k, v in permitted.items() if k in used},
                                                disclosure.Recipient.of(actor), "referral")
        authority.update(fact=FACT, details=[k for k in allowed if allowed[k]])
        uow.audit(actor, "disclose", "family_people", referral.family_id, family_id=referral.family_id,
                  authority=authority, referral_id=str(referral.id))
    return view
