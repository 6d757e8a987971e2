"""A manager's team caseload: the open families their agency holds, each with its lead practitioner, its last
contact (the newest case note, not counting oversight notes), its next review and how many of its items are
overdue, filtered, sorted and paged in the query itself.

Scoped by `families.visible` (the actor's own agency's families), so another agency's family is never loaded.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from coordination.domain.actors import Actor
from coordination.domain.notes import OVERSIGHT_KIND
from coordination.domain.plan import ActionStatus, PlanStatus
from coordination.models import CaseNote, Family, FamilyPlan, PlanAction, PlanGoal, Referral, Task, User

from .families import visible

UNALLOCATED = "none"
OPEN_ACTIONS = (ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value)


def _columns(actor: Actor, today: dt.date) -> dict[str, ColumnElement]:
    last_contact = (select(func.max(CaseNote.occurred_at))
                    .where(CaseNote.family_id == Family.id, CaseNote.kind != OVERSIGHT_KIND)
                    .correlate(Family).scalar_subquery())
    overdue_actions = (select(func.count(PlanAction.id)).join(PlanGoal, PlanGoal.id == PlanAction.goal_id)
                       .where(PlanGoal.plan_id == FamilyPlan.id, PlanAction.due_on < today,
                              PlanAction.status.in_(OPEN_ACTIONS))
                       .correlate(FamilyPlan).scalar_subquery())
    overdue_tasks = (select(func.count(Task.id))
                     .where(Task.family_id == Family.id, Task.agency_id == actor.agency_id, Task.done_at.is_(None),
                            Task.due_on < today)
                     .correlate(Family).scalar_subquery())
    return {"last_contact": last_contact, "overdue_items": overdue_actions + overdue_tasks}


def _base(actor: Actor, *, lead: str | None, overdue_only: bool, today: dt.date) -> tuple[Select, dict]:
    columns = _columns(actor, today)
    query = (visible(actor).join(FamilyPlan, FamilyPlan.family_id == Family.id)
             .outerjoin(User, User.id == Family.lead_practitioner_id)
             .where(FamilyPlan.status == PlanStatus.OPEN.value))
    if lead == UNALLOCATED:
        query = query.where(Family.lead_practitioner_id.is_(None))
    elif lead:
        query = query.where(Family.lead_practitioner_id == uuid.UUID(lead))
    if overdue_only:
        query = query.where((columns["overdue_items"] > 0) | (FamilyPlan.next_review_due_on < today))
    return query, columns


def team_caseload(session: Session, actor: Actor, *, today: dt.date, lead: str | None, overdue_only: bool,
                  sort: str, descending: bool, offset: int, limit: int) -> tuple[list[tuple], int]:
    """(family, lead name, last contact, next review due, overdue items) for one page, and the total matching."""
    query, columns = _base(actor, lead=lead, overdue_only=overdue_only, today=today)
    total = session.execute(select(func.count()).select_from(
        query.with_only_columns(Family.id).subquery())).scalar_one()
    order = {"reference": Family.reference, "lead": User.name, "last_contact": columns["last_contact"],
             "next_review": FamilyPlan.next_review_due_on, "overdue": columns["overdue_items"]}[sort]
    order = order.desc() if descending else order.asc()
    rows = session.execute(
        query.add_columns(User.name, columns["last_contact"], FamilyPlan.next_review_due_on,
                          columns["overdue_items"])
        .options(selectinload(Family.people))
        .order_by(order.nulls_last(), Family.reference, Family.id).offset(offset).limit(limit)
    ).all()
    return [tuple(row) for row in rows], total


def count_unallocated(session: Session, actor: Actor) -> int:
    """Open families of the actor's agency with no lead practitioner."""
    query = (visible(actor).join(FamilyPlan, FamilyPlan.family_id == Family.id)
             .where(FamilyPlan.status == PlanStatus.OPEN.value, Family.lead_practitioner_id.is_(None)))
    return session.execute(select(func.count()).select_from(query.with_only_columns(Family.id).subquery())
                           ).scalar_one()


def count_waiting_referrals(session: Session, actor: Actor) -> int:
    """Referrals received by the actor's agency that no one has accepted or declined yet."""
    if actor.agency_id is None:
        return 0
    return session.execute(select(func.count(Referral.id)).where(
        Referral.to_agency_id == actor.agency_id, Referral.status == "received")).scalar_one()


def team_leads(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """(user id, name) of everyone leading an open family of the actor's agency, by name (the lead filter)."""
    query = (visible(actor).join(FamilyPlan, FamilyPlan.family_id == Family.id)
             .join(User, User.id == Family.lead_practitioner_id)
             .where(FamilyPlan.status == PlanStatus.OPEN.value)
             .with_only_columns(User.id, User.name).distinct().order_by(User.name, User.id))
    return [(uid, name) for uid, name in session.execute(query)]
