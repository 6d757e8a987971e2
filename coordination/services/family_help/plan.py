"""The one family plan: goals in the family's words, each with its outcome area, and their actions (what, who,
by when, how it stands). Every change is a new version of the plan with its audit event; every read of the plan
is audited: as a read for those who work on it, as a disclosure (through the engine, so the family's access log
lists it) for anyone else, who reads it only while a live consent or disclosure covers `family_plan`.
"""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.plan import (
    MAX_ACTION_DESCRIPTION,
    MAX_GOAL_TITLE,
    OUTCOME_AREAS,
    PLAN_SECTION,
    ActionStatus,
    ChangeKind,
    due_problem,
    owner_problem,
    status_problem,
)
from coordination.errors import FieldErrors, NotFound
from coordination.models import Family, FamilyPlan, PlanAction, PlanGoal, User
from coordination.repositories import plan as repo
from coordination.repositories import users as users_repo
from coordination.services.families import family_view
from coordination.services.sharing import disclosure
from coordination.services.views import FamilyView

from .access import check_role, chosen_problems, family_to_work_on, new_version, plan_for_change, reader_kind
from .closure import closures_of
from .lead import lead_of
from .reviews import reviews_of, schedule_first_review
from .team import team_views
from .views import ActionView, GoalView, OwnerView, PlanView


def _owner(action: PlanAction, names: dict[uuid.UUID, str] | None) -> OwnerView:
    owner = OwnerView(agency_id=action.owner_agency_id, user_id=action.owner_user_id,
                      person_id=action.owner_person_id)
    if names is not None:
        owner.name = names.get(action.owner_agency_id or action.owner_user_id or action.owner_person_id)  # type: ignore[arg-type]
    return owner


def _names(uow: UnitOfWork, family: Family, plan: FamilyPlan, owner_users: dict[uuid.UUID, User]
           ) -> dict[uuid.UUID, str]:
    """Names of every owner of an action: agencies, staff (with their agency) and family members."""
    actions = [a for g in plan.goals for a in g.actions]
    names = {i: a.name for i, a in users_repo.agencies_by_id(uow.session, [a.owner_agency_id for a in actions]).items()}
    for i, u in owner_users.items():
        names[i] = f"{u.name} ({u.agency.name})"
    for p in family.people:
        names[p.id] = f"{p.unseal(uow.keys, 'given_name')} {p.unseal(uow.keys, 'family_name')}"
    return names


def _plan_view(uow: UnitOfWork, actor: Actor, family: Family, plan: FamilyPlan | None, reader: str) -> PlanView:
    working = reader != "disclosure"
    owner_users = users_repo.users_by_id(  # one query: for the names and for "owned by the caller's agency"
        uow.session, [a.owner_user_id for g in (plan.goals if plan else []) for a in g.actions])
    names = _names(uow, family, plan, owner_users) if working and plan is not None else None
    caller_users = {u.id for u in owner_users.values()
                    if actor.agency_id is not None and u.agency_id == actor.agency_id}
    goals = []
    for goal in plan.goals if plan else []:
        view = GoalView(id=goal.id, title=goal.unseal(uow.keys, "title") or "", outcome_area=goal.outcome_area,
                        status=goal.status)
        for a in goal.actions:
            mine = (a.owner_agency_id is not None and a.owner_agency_id == actor.agency_id) or (
                a.owner_user_id is not None and (a.owner_user_id == actor.user_id or a.owner_user_id in caller_users)
            ) or (actor.is_family and a.owner_person_id is not None and a.owner_person_id == actor.person_id)
            view.actions.append(ActionView(
                id=a.id, goal_id=goal.id, description=a.unseal(uow.keys, "description") or "",
                owner=_owner(a, names), due_on=a.due_on, status=a.status,
                status_reason=a.unseal(uow.keys, "status_reason"), owned_by_caller=mine))
        goals.append(view)
    reviews = reviews_of(uow, plan, names, family_reader=actor if actor.is_family else None) \
        if plan is not None else []
    by_goal = {g.id: g for g in goals}
    for r in reviews:
        for p in r.progress:
            if p["goal_id"] in by_goal:
                by_goal[p["goal_id"]].progress.append({"review_id": r.id, "score": p["score"]})
    return PlanView(family_id=family.id, reference=family.reference, version=plan.version if plan else 0,
                    status=plan.status if plan else "open", lead=lead_of(uow, family),
                    team=team_views(uow, family, with_names=working, with_cover=False), goals=goals, reader=reader,
                    family=family_view(uow.keys, family) if working else None,
                    updated_at=plan.updated_at if plan else None,
                    next_review_due_on=plan.next_review_due_on if plan else None,
                    reviews=reviews if working else [],
                    closures=closures_of(uow, plan) if working and plan is not None else [])


def read_plan_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, channel: str = "api") -> PlanView:
    """The plan as the actor may read it now: whole for the case holder and the lead practitioner (audited as a
    read), otherwise only while a live consent or disclosure covers `family_plan` for the actor's agency (audited
    as a disclosure naming it, so it is in the family's access log).

    :raise NotFound: not working on the plan and not covered (as for a family that does not exist).
    :raise NotPermitted: an admin, or an API key without the read:assessment scope.
    """
    check_role(actor)
    family = repo.working_family(uow.session, actor, family_id)
    authority: dict
    if actor.is_family:  # a family member reads their own family's plan (services.family_view), nobody else's
        family = repo.get_family(uow.session, family_id) if family_id == actor.family_id else None
        if family is None:
            raise NotFound("Family not found")
        reader, authority, action = "family", {"kind": "family", "channel": channel}, "read"
    elif family is not None:
        reader = reader_kind(uow, actor, family)
        authority = {"kind": reader}
        action = "read"
    else:
        authority = disclosure.cover_for(uow, actor, family_id, PLAN_SECTION, channel=channel)
        family = repo.get_family(uow.session, family_id)
        if family is None:
            raise NotFound("Family not found")
        reader, action = "disclosure", "disclose"
    plan = repo.get_plan(uow.session, family.id)
    view = _plan_view(uow, actor, family, plan, reader)
    uow.audit(actor, action, "family_plan", plan.id if plan else None, family_id=family.id, sections=[PLAN_SECTION],
              authority=authority, version=view.version, goals=len(view.goals))
    return view


def goal_problems(title: str, outcome_area: str) -> FieldErrors:
    errors = FieldErrors()
    errors.require_text("title", title, "the goal, in the family's own words", MAX_GOAL_TITLE)
    if outcome_area not in OUTCOME_AREAS:
        errors.add("outcome_area", "Select the outcome area the goal is about")
    return errors


def add_goal(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, title: str, outcome_area: str) -> GoalView:
    """Add a goal, in the family's own words, to the plan.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise Invalid: title, outcome_area.
    """
    family = family_to_work_on(uow, actor, family_id)
    goal_problems(title or "", outcome_area or "").raise_if_any("Check the goal")
    plan = plan_for_change(uow, family.id)
    goal = PlanGoal(plan_id=plan.id, outcome_area=outcome_area, status="open", created_by_id=actor.user_id,
                    position=repo.count_goals(uow.session, plan.id), created_at=uow.now())
    goal.seal(uow.keys, "title", title.strip())
    repo.add(uow.session, goal)
    version = new_version(uow, actor, plan, ChangeKind.GOAL_ADDED, goal.id)
    schedule_first_review(uow, family, plan)
    uow.audit(actor, "create", "plan_goal", goal.id, family_id=family.id, sections=[PLAN_SECTION], version=version,
              outcome_area=outcome_area)
    return GoalView(id=goal.id, title=title.strip(), outcome_area=outcome_area, status=goal.status)


def action_problems(uow: UnitOfWork, family: Family, description: str, owner: dict, due_on: dt.date | None
                    ) -> FieldErrors:
    errors = FieldErrors()
    errors.require_text("description", description, "what will be done", MAX_ACTION_DESCRIPTION)
    agency_id, user_id, person_id = owner.get("agency_id"), owner.get("user_id"), owner.get("person_id")
    problem = owner_problem(agency_id, user_id, person_id)
    errors.add("owner", problem)
    if not problem:
        chosen_problems(uow, family, errors, agency_id, user_id, person_id, prefix="owner.")
    errors.add("due_on", due_problem(due_on, uow.today()))
    return errors


def add_action(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, goal_id: uuid.UUID, *, description: str,
               owner: dict, due_on: dt.date | None) -> ActionView:
    """Add an action to a goal: what, who (`owner`: one of agency_id, user_id, person_id) and by when.

    :raise NotFound: no such family or goal (or the actor may not know of them).
    :raise Invalid: description, owner (none or several), owner.agency_id|user_id|person_id, due_on.
    """
    family = family_to_work_on(uow, actor, family_id)
    plan = plan_for_change(uow, family.id)
    goal = repo.get_goal(uow.session, plan.id, goal_id)
    if goal is None:
        raise NotFound("No such goal")
    action_problems(uow, family, description or "", owner or {}, due_on).raise_if_any("Check the action")
    action = PlanAction(goal_id=goal.id, owner_agency_id=owner.get("agency_id"), owner_user_id=owner.get("user_id"),
                        owner_person_id=owner.get("person_id"), due_on=due_on, status=ActionStatus.NOT_STARTED.value,
                        created_by_id=actor.user_id, created_at=uow.now(), updated_at=uow.now())
    action.seal(uow.keys, "description", description.strip())
    repo.add(uow.session, action)
    version = new_version(uow, actor, plan, ChangeKind.ACTION_ADDED, action.id, status=action.status)
    uow.audit(actor, "create", "plan_action", action.id, family_id=family.id, sections=[PLAN_SECTION],
              version=version, goal_id=str(goal.id), owner_kind=_owner_kind(owner))
    return ActionView(id=action.id, goal_id=goal.id, description=description.strip(), owner=_owner(action, None),
                      due_on=action.due_on, status=action.status, status_reason=None)


def _owner_kind(owner: dict) -> str:
    return "agency" if owner.get("agency_id") else "practitioner" if owner.get("user_id") else "family_member"


def set_action_status(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, goal_id: uuid.UUID,
                      action_id: uuid.UUID, *, status: str, reason: str | None = None) -> ActionView:
    """Move an action on (not started, in progress, done, dropped: a drop needs a reason).

    :raise NotFound: no such family, goal or action (or the actor may not know of them).
    :raise Invalid: status, reason.
    """
    family = family_to_work_on(uow, actor, family_id)
    plan = plan_for_change(uow, family.id)
    action = repo.get_action(uow.session, plan.id, goal_id, action_id)
    if action is None:
        raise NotFound("No such action")
    errors = FieldErrors()
    for name, message in status_problem(status or "", reason).items():
        errors.add(name, message)
    errors.raise_if_any("Check the action's status")
    previous = action.status
    reason = reason.strip() if reason and reason.strip() else None
    action.status, action.updated_at = status, uow.now()
    action.seal(uow.keys, "status_reason", reason)
    version = new_version(uow, actor, plan, ChangeKind.ACTION_STATUS, action.id, status=status, reason=reason)
    uow.audit(actor, "update", "plan_action", action.id, family_id=family.id, sections=[PLAN_SECTION],
              version=version, status=status, previous_status=previous)
    return ActionView(id=action.id, goal_id=goal_id, description=action.unseal(uow.keys, "description") or "",
                      owner=_owner(action, None), due_on=action.due_on, status=status, status_reason=reason)


def family_to_plan_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> FamilyView:
    """The family and its people, for a page that changes its lead, team or plan (the lead practitioner of another
    agency too). Audited as a read of the family.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    """
    family = family_to_work_on(uow, actor, family_id)
    view = family_view(uow.keys, family)
    uow.audit(actor, "read", "family", family.id, family_id=family.id, people=len(view.people),
              authority={"kind": reader_kind(uow, actor, family)})
    return view
