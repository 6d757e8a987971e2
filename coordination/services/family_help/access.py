"""Who works on a family's plan, and the one way the plan changes (a new version, in the caller's transaction).

Staff of the agency holding the case (practitioners and managers) and the family's lead practitioner, whichever
agency they work for, change the lead, the team and the plan. Nobody else finds the family here: it is absent
(NotFound), as it is everywhere else. Reading the plan outside that circle goes through the disclosure engine.
"""
from __future__ import annotations

import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, may
from coordination.domain.plan import ChangeKind, PlanStatus, is_lead, may_lead
from coordination.errors import Conflict, FieldErrors, NotFound, NotPermitted
from coordination.models import Family, FamilyPlan, PlanChange
from coordination.repositories import plan as repo
from coordination.repositories import users as users_repo


def check_role(actor: Actor) -> None:
    """:raise NotPermitted: staff whose role reads no cases (admins)."""
    if actor.is_staff and not may_lead(actor.role):
        raise NotPermitted("Your role cannot do this")


def chosen_problems(uow: UnitOfWork, family: Family, errors: FieldErrors, agency_id: uuid.UUID | None,
                    user_id: uuid.UUID | None, person_id: uuid.UUID | None, *, prefix: str = "") -> None:
    """Whom a team member or an action's owner names (one of them, domain.plan's check): an agency that exists, an
    active member of staff, or a person in this family; a problem goes under `prefix` + the id's name."""
    if agency_id and users_repo.get_agency(uow.session, agency_id) is None:
        errors.add(f"{prefix}agency_id", "Choose an agency")
    if user_id and ((user := users_repo.get_user(uow.session, user_id)) is None or not user.active):
        errors.add(f"{prefix}user_id", "Choose a practitioner")
    if person_id and person_id not in {p.id for p in family.people}:
        errors.add(f"{prefix}person_id", "Choose a person in this family")


def reader_kind(uow: UnitOfWork, actor: Actor, family: Family) -> str:
    """"case_holder" or "lead_practitioner": how an actor `working_family` found relates to the family."""
    return "case_holder" if repo.holds_case(uow.session, actor, family.id) else "lead_practitioner"


def family_to_work_on(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> Family:
    """The family, for a change to its lead, team or plan.

    :raise NotPermitted: the actor's role cannot work on cases (admins).
    :raise NotFound: no such family, or the actor neither holds its case nor leads it.
    """
    check_role(actor)
    family = repo.working_family(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not (may(actor, Action.WRITE_CASE) or is_lead(actor, family.lead_practitioner_id)):
        raise NotPermitted("You cannot change this family's plan")
    return family


def plan_for_change(uow: UnitOfWork, family_id: uuid.UUID) -> FamilyPlan:
    """The family's plan, locked so concurrent changes take their versions one after another."""
    plan = repo.get_plan(uow.session, family_id, for_update=True)
    if plan is None:  # families made before plans were: every family has one from migration 0017 on
        repo.add_plan(uow.session, family_id)
        plan = repo.get_plan(uow.session, family_id, for_update=True)
        assert plan is not None
    return plan


def new_version(uow: UnitOfWork, actor: Actor, plan: FamilyPlan, kind: ChangeKind, record_id: uuid.UUID | None,
                *, status: str | None = None, reason: str | None = None) -> int:
    """Record one change as the plan's next version (the plan must be locked by `plan_for_change`).

    :raise Conflict: the plan is closed (only re-opening changes a closed plan).
    """
    if plan.status == PlanStatus.CLOSED and kind != ChangeKind.REOPENED:
        raise Conflict("The plan is closed: re-open it first")
    change = PlanChange(plan_id=plan.id, version=plan.version + 1, kind=kind.value, record_id=record_id,
                        status=status, changed_at=uow.now(), changed_by_id=actor.user_id,
                        changed_by_agency_id=actor.agency_id)
    change.seal(uow.keys, "reason", reason.strip() if reason and reason.strip() else None)
    repo.add(uow.session, change)
    plan.version = change.version
    plan.updated_at = change.changed_at
    plan.updated_by_id = actor.user_id
    return plan.version
