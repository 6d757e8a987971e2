"""Family Help rows around the plan: reviews, closures, feedback and family group decision-making.

Read by family or plan id after the service found the family through `plan.working_family` (the actor holds the
case or leads it); the lists for the due list, the caseload and the measures are scoped by `families.visible`.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from coordination.domain.actors import Actor
from coordination.models import (
    Family,
    FamilyFeedback,
    FamilyPlan,
    FgdmRecord,
    PlanClosure,
    PlanReview,
    ReviewChildView,
    Task,
)

from .families import visible
from .family_access import child_words_seen


def reviews_of(session: Session, plan_id: uuid.UUID, *, family_reader: Actor | None = None) -> list[PlanReview]:
    """The plan's reviews, oldest first, with their child views and scores. For a family member reading their own
    plan (`family_reader`), the child views are those they may see, scoped in the query (a child's words kept to
    them only for that young person: family_access.child_words_seen)."""
    views = selectinload(PlanReview.child_views)
    if family_reader is not None:
        views = selectinload(PlanReview.child_views.and_(
            child_words_seen(family_reader, ReviewChildView.confidential, ReviewChildView.child_id)))
    return list(session.execute(
        select(PlanReview).where(PlanReview.plan_id == plan_id)
        .options(views, selectinload(PlanReview.progress))
        .order_by(PlanReview.held_on, PlanReview.recorded_at, PlanReview.id)
        .execution_options(populate_existing=family_reader is not None)).scalars())


def get_review(session: Session, family_id: uuid.UUID, review_id: uuid.UUID) -> PlanReview | None:
    return session.execute(
        select(PlanReview).where(PlanReview.id == review_id, PlanReview.family_id == family_id)
        .options(selectinload(PlanReview.child_views), selectinload(PlanReview.progress))).scalar_one_or_none()


def count_reviews(session: Session, plan_id: uuid.UUID) -> int:
    return len(session.execute(select(PlanReview.id).where(PlanReview.plan_id == plan_id)).all())


def closures_of(session: Session, plan_id: uuid.UUID) -> list[PlanClosure]:
    """Closures and hand-overs, oldest first, with the goal outcomes recorded."""
    return list(session.execute(
        select(PlanClosure).where(PlanClosure.plan_id == plan_id).options(selectinload(PlanClosure.outcomes))
        .order_by(PlanClosure.closed_on, PlanClosure.recorded_at, PlanClosure.id)).scalars())


def feedback_of(session: Session, family_id: uuid.UUID) -> list[FamilyFeedback]:
    """Newest first."""
    return list(session.execute(
        select(FamilyFeedback).where(FamilyFeedback.family_id == family_id)
        .order_by(FamilyFeedback.received_on.desc(), FamilyFeedback.recorded_at.desc())).scalars())


def get_feedback(session: Session, feedback_id: uuid.UUID, *, for_update: bool = False) -> FamilyFeedback | None:
    query = select(FamilyFeedback).where(FamilyFeedback.id == feedback_id)
    return session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def fgdm_of(session: Session, family_id: uuid.UUID) -> list[FgdmRecord]:
    return list(session.execute(
        select(FgdmRecord).where(FgdmRecord.family_id == family_id).order_by(FgdmRecord.recorded_at)).scalars())


def get_fgdm(session: Session, family_id: uuid.UUID, fgdm_id: uuid.UUID) -> FgdmRecord | None:
    return session.execute(
        select(FgdmRecord).where(FgdmRecord.id == fgdm_id, FgdmRecord.family_id == family_id)).scalar_one_or_none()


def task_by_key(session: Session, key: str) -> Task | None:
    return session.execute(select(Task).where(Task.dedupe_key == key)).scalar_one_or_none()


def open_tasks_of(session: Session, family_id: uuid.UUID, kind: str) -> list[Task]:
    return list(session.execute(
        select(Task).where(Task.family_id == family_id, Task.kind == kind, Task.done_at.is_(None))).scalars())


def reviews_due(session: Session, actor: Actor, by: dt.date, limit: int = 500
                ) -> list[tuple[Family, dt.date | None]]:
    """Open plans of families the actor's agency holds whose next review is due on or before `by`, soonest first."""
    families = visible(actor).subquery()
    return [(f, d) for f, d in session.execute(
        select(Family, FamilyPlan.next_review_due_on).join(FamilyPlan, FamilyPlan.family_id == Family.id)
        .where(Family.id.in_(select(families.c.id)), FamilyPlan.status == "open",
               FamilyPlan.next_review_due_on.is_not(None), FamilyPlan.next_review_due_on <= by)
        .options(selectinload(Family.people))
        .order_by(FamilyPlan.next_review_due_on, Family.id).limit(limit)).all()]


def next_reviews(session: Session, family_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.date | None]:
    """The next review due date of each open plan among `family_ids` (the caseload)."""
    if not family_ids:
        return {}
    return {fid: due for fid, due in session.execute(
        select(FamilyPlan.family_id, FamilyPlan.next_review_due_on)
        .where(FamilyPlan.family_id.in_(family_ids), FamilyPlan.status == "open",
               FamilyPlan.next_review_due_on.is_not(None))).all()}


# ---- the measures ---------------------------------------------------------------------------------------

def reviews_held(session: Session, actor: Actor, first: dt.date, last: dt.date) -> list[PlanReview]:
    families = visible(actor).subquery()
    return list(session.execute(
        select(PlanReview).where(PlanReview.held_on.between(first, last),
                                 PlanReview.family_id.in_(select(families.c.id)))).scalars())


def closures_in(session: Session, actor: Actor, first: dt.date, last: dt.date) -> list[PlanClosure]:
    families = visible(actor).subquery()
    return list(session.execute(
        select(PlanClosure).where(PlanClosure.closed_on.between(first, last),
                                  PlanClosure.family_id.in_(select(families.c.id)))
        .options(selectinload(PlanClosure.outcomes))).scalars())


def feedback_received(session: Session, actor: Actor, first: dt.date, last: dt.date) -> list[FamilyFeedback]:
    families = visible(actor).subquery()
    return list(session.execute(
        select(FamilyFeedback).where(FamilyFeedback.received_on.between(first, last),
                                     FamilyFeedback.family_id.in_(select(families.c.id)))).scalars())
