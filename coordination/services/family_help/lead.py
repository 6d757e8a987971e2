"""The family's lead practitioner: staff of any agency, whether the family chose them, and each change kept as a
handover (a timeline event) with its reason, audited and counted as a version of the plan."""
from __future__ import annotations

import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.plan import MAX_REASON, ChangeKind, may_lead
from coordination.errors import FieldErrors
from coordination.models import Family, LeadHandover
from coordination.repositories import plan as repo
from coordination.repositories import users as users_repo

from .access import family_to_work_on, new_version, plan_for_change
from .views import HandoverView, LeadView

CHOSEN_BY_FAMILY = "The family chose their new lead practitioner"


def lead_of(uow: UnitOfWork, family: Family) -> LeadView:
    user = users_repo.get_user(uow.session, family.lead_practitioner_id) if family.lead_practitioner_id else None
    return LeadView(user_id=family.lead_practitioner_id, agency_id=user.agency_id if user else None,
                    chosen_with_family=family.lead_chosen_with_family, name=user.name if user else None,
                    agency_name=user.agency.name if user else None)


def set_lead(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, user_id: uuid.UUID | None,
             chosen_with_family: bool | None, reason: str | None = None) -> LeadView:
    """Make `user_id` (a practitioner or manager of any agency) the family's lead, or record whether the family
    chose the lead they have. A change of lead needs a reason, unless the family chose the new lead (that is the
    reason, recorded as such). Unchanged: nothing is written.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise NotPermitted: the actor's role cannot work on cases.
    :raise Invalid: user_id (not an active practitioner or manager), chosen_with_family, reason.
    """
    family = family_to_work_on(uow, actor, family_id)
    errors = FieldErrors()
    user = users_repo.get_user(uow.session, user_id) if user_id else None
    if user is None or not user.active or not may_lead(user.role):
        errors.add("user_id", "Choose a practitioner or manager who will be the lead practitioner")
    if chosen_with_family is None:
        errors.add("chosen_with_family", "Select whether the family chose their lead practitioner")
    changing = user is not None and family.lead_practitioner_id not in (None, user.id)
    if changing and not (reason or "").strip() and chosen_with_family is not True:
        errors.add("reason", "Enter why the lead practitioner is changing")
    elif reason and len(reason) > MAX_REASON:
        errors.add("reason", f"Enter {MAX_REASON:,} characters or fewer")
    errors.raise_if_any("Check the lead practitioner")
    assert user is not None and chosen_with_family is not None
    if family.lead_practitioner_id == user.id and family.lead_chosen_with_family == chosen_with_family:
        return lead_of(uow, family)
    plan = plan_for_change(uow, family.id)
    handover = LeadHandover(family_id=family.id, from_user_id=family.lead_practitioner_id, to_user_id=user.id,
                            to_agency_id=user.agency_id, chosen_with_family=chosen_with_family,
                            handed_over_at=uow.now(), recorded_by_id=actor.user_id,
                            recorded_by_agency_id=actor.agency_id)
    handover.seal(uow.keys, "reason", reason.strip() if reason and reason.strip()
                  else (CHOSEN_BY_FAMILY if chosen_with_family else None))
    repo.add(uow.session, handover)
    previous = family.lead_practitioner_id
    family.lead_practitioner_id, family.lead_chosen_with_family = user.id, chosen_with_family
    version = new_version(uow, actor, plan, ChangeKind.LEAD_CHANGED, handover.id)
    uow.audit(actor, "update", "family_lead", handover.id, family_id=family.id, version=version,
              from_user_id=str(previous) if previous else None, to_user_id=str(user.id),
              to_agency_id=str(user.agency_id), chosen_with_family=chosen_with_family, handover=changing)
    return lead_of(uow, family)


def handovers(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> tuple[LeadView, list[HandoverView]]:
    """The current lead and every change of lead, newest first (for the change page). Audited as a read."""
    family = family_to_work_on(uow, actor, family_id)
    rows = repo.list_handovers(uow.session, family.id)
    uow.audit(actor, "read", "family_lead", None, family_id=family.id, authority={"kind": "working_on_plan"},
              entries=len(rows))
    return lead_of(uow, family), [
        HandoverView(id=h.id, from_user_id=h.from_user_id, to_user_id=h.to_user_id, to_agency_id=h.to_agency_id,
                     chosen_with_family=h.chosen_with_family, reason=h.unseal(uow.keys, "reason"),
                     handed_over_at=h.handed_over_at, recorded_by=h.recorded_by_id) for h in rows]


def possible_leads(uow: UnitOfWork) -> list[tuple[uuid.UUID, str, str]]:
    """(user id, name, agency name) of everyone who may be a lead practitioner, by name."""
    return [(u.id, u.name, u.agency.name) for u in repo.possible_leads(uow.session)]
