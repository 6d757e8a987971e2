"""Closing the plan, handing it over, and re-opening it.

A step-up (to children's social care) or step-down (to universal or community support) hands the same plan to
the receiving team: it stays open, with the same id, goals, actions, team and reviews, and its review clock runs
on. Any other reason closes it, recording each goal's outcome (met, partly met, not met) and whether the
family's feedback was sought. A closed plan changes only by re-opening it; re-opening within 12 months of the
closure is flagged (domain.family_help).
"""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import past_day_problem
from coordination.domain.family_help import (
    CLOSURE_REASONS,
    GOAL_OUTCOMES,
    MAX_TEXT,
    ClosureReason,
    first_review_due,
    is_handover,
    reopened_within_flag,
)
from coordination.domain.plan import PLAN_SECTION, ChangeKind, PlanStatus
from coordination.errors import Conflict, FieldErrors
from coordination.models import FamilyPlan, GoalOutcomeRecord, PlanClosure
from coordination.repositories import family_help as repo
from coordination.repositories import plan as plan_repo

from .access import family_to_work_on, new_version, plan_for_change
from .reviews import sync_review_task
from .views import ClosureView

KINDS = {ClosureReason.STEP_UP.value: ChangeKind.STEPPED_UP, ClosureReason.STEP_DOWN.value: ChangeKind.STEPPED_DOWN}


def closure_view(uow: UnitOfWork, closure: PlanClosure, status: str) -> ClosureView:
    return ClosureView(id=closure.id, plan_id=closure.plan_id, closed_on=closure.closed_on, reason=closure.reason,
                       reason_text=closure.unseal(uow.keys, "reason_text"), feedback_sought=closure.feedback_sought,
                       handover=closure.handover, status=status,
                       goals=[{"goal_id": o.goal_id, "outcome": o.outcome} for o in closure.outcomes],
                       reopened_on=closure.reopened_on, reopened_within_12_months=closure.reopened_within_12_months)


def closures_of(uow: UnitOfWork, plan: FamilyPlan) -> list[ClosureView]:
    return [closure_view(uow, c, plan.status) for c in repo.closures_of(uow.session, plan.id)]


def _problems(uow: UnitOfWork, plan: FamilyPlan, closed_on: dt.date | None, reason: str, reason_text: str | None,
              goals: list[dict]) -> FieldErrors:
    errors = FieldErrors()
    errors.add("closed_on", past_day_problem(closed_on, uow.today(), "the plan closed"))
    if reason not in CLOSURE_REASONS:
        errors.add("reason", "Select why the plan is closing")
    elif reason == ClosureReason.OTHER:
        errors.require_text("reason_text", reason_text, "why the plan is closing", MAX_TEXT)
    if reason_text and len(reason_text) > MAX_TEXT:
        errors.add("reason_text", f"Enter {MAX_TEXT:,} characters or fewer")
    known, given = {g.id for g in plan.goals}, set()
    for i, item in enumerate(goals):
        if item.get("goal_id") not in known or item.get("goal_id") in given:
            errors.add(f"goals.{i}.goal_id", "Choose each goal of this plan once")
            continue
        given.add(item["goal_id"])
        if item.get("outcome") not in GOAL_OUTCOMES:
            errors.add(f"goals.{i}.outcome", "Select whether the goal was met, partly met or not met")
    if reason in CLOSURE_REASONS and not is_handover(reason) and known - given:
        errors.add("goals", "Select the outcome of every goal of the plan")
    return errors


def close_plan(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, closed_on: dt.date | None, reason: str,
               goals: list[dict] | None = None, feedback_sought: bool = False,
               reason_text: str | None = None) -> ClosureView:
    """Close the plan, or hand it over (step_up, step_down: the same plan carries on, open).

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise Conflict: the plan is closed already.
    :raise Invalid: closed_on, reason, reason_text (needed for `other`), goals(.N.goal_id|outcome): every goal's
        outcome when the plan closes.
    """
    family = family_to_work_on(uow, actor, family_id)
    plan = plan_repo.get_plan(uow.session, family.id)
    if plan is None or plan.status == PlanStatus.CLOSED:
        raise Conflict("The plan is closed already")
    goals = goals or []
    _problems(uow, plan, closed_on, reason or "", reason_text, goals).raise_if_any("Check the closure")
    assert closed_on is not None
    plan = plan_for_change(uow, family.id)
    handover = is_handover(reason)
    closure = PlanClosure(plan_id=plan.id, family_id=family.id, closed_on=closed_on, reason=reason,
                          feedback_sought=bool(feedback_sought), handover=handover, recorded_at=uow.now(),
                          recorded_by_id=actor.user_id)
    closure.seal(uow.keys, "reason_text", reason_text.strip() if reason_text and reason_text.strip() else None)
    plan_repo.add(uow.session, closure)
    for item in goals:
        plan_repo.add(uow.session, GoalOutcomeRecord(closure_id=closure.id, goal_id=item["goal_id"],
                                                     outcome=item["outcome"]))
    version = new_version(uow, actor, plan, KINDS.get(reason, ChangeKind.CLOSED), closure.id, status=reason)
    if not handover:
        plan.status, plan.closed_on, plan.next_review_due_on = PlanStatus.CLOSED.value, closed_on, None
        sync_review_task(uow, family, plan)
    uow.audit(actor, "update" if handover else "close", "family_plan", plan.id, family_id=family.id,
              sections=[PLAN_SECTION], version=version, closure_reason=reason, handover=handover,
              closed_on=closed_on.isoformat(), feedback_sought=bool(feedback_sought),
              outcomes={o: sum(1 for g in goals if g["outcome"] == o) for o in GOAL_OUTCOMES})
    uow.session.refresh(closure)
    return closure_view(uow, closure, plan.status)


def reopen_plan(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, reason: str) -> ClosureView:
    """Re-open a closed plan (the same plan: goals and history kept); flagged when within 12 months of closing.
    The first review of the new episode falls due by the early help plan clock from today.

    :raise NotFound: as `close_plan`.  :raise Conflict: the plan is open.  :raise Invalid: reason.
    """
    family = family_to_work_on(uow, actor, family_id)
    errors = FieldErrors()
    errors.require_text("reason", reason, "why the plan is re-opening", MAX_TEXT)
    errors.raise_if_any("Check the re-opening")
    plan = plan_for_change(uow, family.id)
    closures = [c for c in repo.closures_of(uow.session, plan.id) if not c.handover]
    if plan.status != PlanStatus.CLOSED or not closures:
        raise Conflict("The plan is open")
    closure, today = closures[-1], uow.today()
    closure.reopened_on = today
    closure.reopened_within_12_months = reopened_within_flag(closure.closed_on, today)
    plan.status, plan.closed_on = PlanStatus.OPEN.value, None
    plan.next_review_due_on = first_review_due(today)
    version = new_version(uow, actor, plan, ChangeKind.REOPENED, closure.id, reason=reason,
                          status="within_12_months" if closure.reopened_within_12_months else None)
    sync_review_task(uow, family, plan)
    uow.audit(actor, "reopen", "family_plan", plan.id, family_id=family.id, sections=[PLAN_SECTION], version=version,
              within_12_months=closure.reopened_within_12_months, closed_on=closure.closed_on.isoformat())
    return closure_view(uow, closure, plan.status)
