"""Team-around-the-family reviews: who came, what the family said, each child's view in their own words (or why it
could not be had; never edited), progress on every goal (0–10), decisions and the next review date.

When the next review is due lives on the plan (`next_review_due_on`, domain.family_help): set by the early help
plan clock when the first goal is added, moved on by each review, cleared by closure. A task for the case-holding
agency follows it, so a due review is on the tasks page as well as the due list and the caseload.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import past_day_problem
from coordination.domain.family_help import (
    BABY_MONTHS,
    BABY_REASON,
    MAX_ATTENDEE,
    MAX_ATTENDEES,
    MAX_TEXT,
    NOT_HAD,
    child_view_problems,
    first_review_due,
    held_on_time,
    next_review_due,
    next_review_problem,
    score_problem,
)
from coordination.domain.permissions import Action, may
from coordination.domain.plan import PLAN_SECTION, ChangeKind, PlanStatus
from coordination.errors import Conflict, FieldErrors
from coordination.models import Family, FamilyPlan, PlanReview, ReviewChildView, ReviewProgress, Task
from coordination.repositories import family_help as repo
from coordination.repositories import plan as plan_repo
from coordination.repositories import users as users_repo
from coordination.services.families import family_view

from .access import family_to_work_on, new_version, plan_for_change
from .views import ChildView, ReviewView

REVIEW_TASK = "plan_review"
REVIEW_TASK_TITLE = "Team around the family review due"


def schedule_first_review(uow: UnitOfWork, family: Family, plan: FamilyPlan) -> None:
    """With the plan's first goal, the first review falls due by the early help plan clock."""
    if plan.status == PlanStatus.OPEN and plan.next_review_due_on is None \
            and repo.count_reviews(uow.session, plan.id) == 0:
        plan.next_review_due_on = first_review_due(uow.today())
        sync_review_task(uow, family, plan)


def sync_review_task(uow: UnitOfWork, family: Family, plan: FamilyPlan) -> None:
    """One open review task per family, due when the plan's next review is (none once the plan is closed)."""
    for stale in repo.open_tasks_of(uow.session, family.id, REVIEW_TASK):
        if stale.due_on != plan.next_review_due_on or plan.status != PlanStatus.OPEN:
            stale.done_at = uow.now()
    due = plan.next_review_due_on
    if plan.status != PlanStatus.OPEN or due is None:
        return
    key = f"review:{plan.id}:{due.isoformat()}"
    task = repo.task_by_key(uow.session, key)
    if task is None:
        plan_repo.add(uow.session, Task(family_id=family.id, agency_id=family.owning_agency_id, kind=REVIEW_TASK,
                                        title=REVIEW_TASK_TITLE, due_on=due, dedupe_key=key, created_at=uow.now()))
    elif task.done_at is not None:
        task.done_at = None


def _texts(errors: FieldErrors, attendees: list[str], family_view: str, decisions: str | None) -> None:
    if not attendees or not any((a or "").strip() for a in attendees):
        errors.add("attendees", "Enter who attended the review")
    elif len(attendees) > MAX_ATTENDEES:
        errors.add("attendees", f"Enter {MAX_ATTENDEES} people or fewer")
    elif any(len(a or "") > MAX_ATTENDEE for a in attendees):
        errors.add("attendees", f"Enter each person in {MAX_ATTENDEE} characters or fewer")
    errors.require_text("family_view", family_view, "what the family said", MAX_TEXT)
    if decisions and len(decisions) > MAX_TEXT:
        errors.add("decisions", f"Enter {MAX_TEXT:,} characters or fewer")


def _baby(uow: UnitOfWork, child, day: dt.date | None) -> bool:
    """Under BABY_MONTHS old on `day` (today when not given): may be left out, recorded as not had."""
    born = child.unseal(uow.keys, "date_of_birth")
    if not born:
        return False
    day = day or uow.today()
    born_on = dt.date.fromisoformat(born)
    return (day.year - born_on.year) * 12 + (day.month - born_on.month) - (day.day < born_on.day) < BABY_MONTHS


def _with_babies(uow: UnitOfWork, family: Family, child_views: list[dict], held_on: dt.date) -> list[dict]:
    """The views given, and for each baby left out a "not had" view with the reason."""
    given = {v.get("child_id") for v in child_views}
    babies = [p for p in family.people if p.role == "child" and p.id not in given and _baby(uow, p, held_on)]
    return [*child_views, *({"child_id": b.id, "method": NOT_HAD, "reason": BABY_REASON} for b in babies)]


def review_problems(uow: UnitOfWork, family: Family, plan: FamilyPlan, answers: dict) -> FieldErrors:
    """Every problem with a review's answers at once, by field (child_views.N.words, progress.N.score …)."""
    errors = FieldErrors()
    held_on = answers.get("held_on")
    errors.add("held_on", past_day_problem(held_on, uow.today(), "the review was held"))
    _texts(errors, answers.get("attendees") or [], answers.get("family_view") or "", answers.get("decisions"))
    children = {p.id: p for p in family.people if p.role == "child"}
    seen: set[uuid.UUID] = set()
    for i, view in enumerate(answers.get("child_views") or []):
        child_id = view.get("child_id")
        if child_id not in children or child_id in seen:
            errors.add(f"child_views.{i}.child_id", "Choose each child of this family once")
            continue
        seen.add(child_id)
        for name, message in child_view_problems(view.get("method"), view.get("words"), view.get("reason")).items():
            errors.add(f"child_views.{i}.{name}", message)
    if missing := [c for c in children if c not in seen and not _baby(uow, children[c], held_on)]:
        names = ", ".join(children[c].unseal(uow.keys, "given_name") or "a child" for c in missing)
        errors.add("child_views", f"Record each child's view, or why it could not be had: {names}")
    goals = {g.id for g in plan.goals}
    scored: set[uuid.UUID] = set()
    for i, item in enumerate(answers.get("progress") or []):
        if item.get("goal_id") not in goals or item.get("goal_id") in scored:
            errors.add(f"progress.{i}.goal_id", "Choose each goal of this plan once")
            continue
        scored.add(item["goal_id"])
        errors.add(f"progress.{i}.score", score_problem(item.get("score")))
    if goals - scored:
        errors.add("progress", "Score progress on every goal of the plan, from 0 to 10")
    errors.add("next_review_on", next_review_problem(held_on, answers.get("next_review_on"), uow.review_weeks))
    return errors


def _open_plan(uow: UnitOfWork, family: Family) -> FamilyPlan:
    plan = plan_repo.get_plan(uow.session, family.id)  # with its goals
    if plan is None or plan.status != PlanStatus.OPEN:
        raise Conflict("The plan is closed: re-open it before recording a review")
    return plan


def attendee_labels(uow: UnitOfWork, family: Family, attendees: list) -> list[str]:
    """Who attended, as the words kept with the review: text as given, or a reference made into a name —
    `{person_id}` (someone of this family), `{user_id}` (a practitioner) or `{agency_id}`, or `{name}`, each with an
    optional `role` shown after it, e.g. "Morgan Testfamily (mum)".

    :raise Invalid: a reference to nobody the family or the service knows (attendees.N).
    """
    people = {p.id: p.full_name for p in family_view(uow.keys, family).people}
    labels, errors = [], FieldErrors()
    for i, a in enumerate(attendees):
        if isinstance(a, str):
            labels.append(a)
            continue
        name = a.get("name")
        if a.get("person_id") is not None:
            name = people.get(a["person_id"])
        elif a.get("user_id") is not None:
            name = (user := users_repo.get_user(uow.session, a["user_id"])) and user.name
        elif a.get("agency_id") is not None:
            name = (agency := users_repo.get_agency(uow.session, a["agency_id"])) and agency.name
        if not name:
            errors.add(f"attendees.{i}", "Name someone of this family, a practitioner or an agency")
            continue
        labels.append(f"{name} ({a['role'].strip()})" if (a.get("role") or "").strip() else name)
    errors.raise_if_any("Check who attended the review")
    return labels


def check_review(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, **answers) -> None:
    """Whether `record_review` would accept these answers (writes nothing), for the check-answers page.

    :raise NotFound, Conflict, Invalid: as `record_review`.
    """
    family = family_to_work_on(uow, actor, family_id)
    answers["attendees"] = attendee_labels(uow, family, answers.get("attendees") or [])
    review_problems(uow, family, _open_plan(uow, family), answers).raise_if_any("Check the review")


def record_review(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, held_on: dt.date | None,
                  attendees: list, family_view: str, child_views: list[dict], progress: list[dict],
                  decisions: str | None = None, next_review_on: dt.date | None = None) -> ReviewView:
    """Record a team-around-the-family review: a new plan version; the next review falls due.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise Conflict: the plan is closed.
    `child_views` items: {child_id, method, words, reason, confidential}; `confidential` keeps that child's view to
    them in the family's own view (no parent, no other child).
    :raise Invalid: held_on, attendees, family_view, child_views(.N.child_id|method|words|reason),
        progress(.N.goal_id|score), decisions, next_review_on.
    """
    family = family_to_work_on(uow, actor, family_id)
    attendees = attendee_labels(uow, family, attendees)
    answers = {"held_on": held_on, "attendees": attendees, "family_view": family_view, "child_views": child_views,
               "progress": progress, "decisions": decisions, "next_review_on": next_review_on}
    review_problems(uow, family, _open_plan(uow, family), answers).raise_if_any("Check the review")
    assert held_on is not None
    child_views = _with_babies(uow, family, child_views, held_on)
    plan = plan_for_change(uow, family.id)
    due = plan.next_review_due_on
    review = PlanReview(plan_id=plan.id, family_id=family.id, held_on=held_on, due_on=due,
                        on_time=held_on_time(held_on, due), next_review_on=next_review_on,
                        every_child_heard=all(v["method"] != NOT_HAD for v in child_views),
                        recorded_at=uow.now(), recorded_by_id=actor.user_id, recorded_by_agency_id=actor.agency_id)
    review.seal(uow.keys, "attendees", json.dumps([a.strip() for a in attendees if a.strip()]))
    review.seal(uow.keys, "family_view", family_view.strip())
    review.seal(uow.keys, "decisions", decisions.strip() if decisions and decisions.strip() else None)
    plan_repo.add(uow.session, review)
    for i, v in enumerate(child_views):
        row = ReviewChildView(review_id=review.id, child_id=v["child_id"], method=v["method"], position=i,
                              confidential=bool(v.get("confidential")))
        row.seal(uow.keys, "words", v.get("words") if v["method"] != NOT_HAD else None)
        row.seal(uow.keys, "reason", (v.get("reason") or "").strip() or None if v["method"] == NOT_HAD else None)
        plan_repo.add(uow.session, row)
    for item in progress:
        plan_repo.add(uow.session, ReviewProgress(review_id=review.id, goal_id=item["goal_id"], score=item["score"]))
    plan.next_review_due_on = next_review_due(held_on, next_review_on, uow.review_weeks)
    version = new_version(uow, actor, plan, ChangeKind.REVIEW_HELD, review.id)
    sync_review_task(uow, family, plan)
    uow.audit(actor, "create", "plan_review", review.id, family_id=family.id, sections=[PLAN_SECTION],
              version=version, held_on=held_on.isoformat(), on_time=review.on_time, children=len(child_views),
              every_child_heard=review.every_child_heard, goals=len(progress),
              confidential_views=sum(bool(v.get("confidential")) for v in child_views),
              next_review_due_on=plan.next_review_due_on.isoformat())
    uow.session.refresh(review)
    return review_view(uow, review)


def review_view(uow: UnitOfWork, review: PlanReview, names: dict[uuid.UUID, str] | None = None) -> ReviewView:
    return ReviewView(
        id=review.id, held_on=review.held_on, due_on=review.due_on, on_time=review.on_time,
        every_child_heard=review.every_child_heard,
        attendees=json.loads(review.unseal(uow.keys, "attendees") or "[]"),
        family_view=review.unseal(uow.keys, "family_view") or "",
        child_views=[ChildView(child_id=c.child_id, method=c.method, words=c.unseal(uow.keys, "words"),
                               reason=c.unseal(uow.keys, "reason"), name=(names or {}).get(c.child_id),
                               confidential=bool(c.confidential))
                     for c in review.child_views],
        progress=[{"goal_id": p.goal_id, "score": p.score} for p in review.progress],
        decisions=review.unseal(uow.keys, "decisions"), next_review_on=review.next_review_on,
        recorded_at=review.recorded_at)


def reviews_of(uow: UnitOfWork, plan: FamilyPlan, names: dict[uuid.UUID, str] | None = None, *,
               family_reader: Actor | None = None) -> list[ReviewView]:
    """The plan's reviews, oldest first (the plan read is the audited read). A family member (`family_reader`)
    gets only the children's views they may see: one kept to a young person is that young person's alone."""
    return [review_view(uow, r, names) for r in repo.reviews_of(uow.session, plan.id, family_reader=family_reader)]


@dataclass
class ReviewDue:
    family_id: uuid.UUID
    reference: str
    family_name: str
    due_on: dt.date
    overdue: bool


def reviews_due(uow: UnitOfWork, actor: Actor, *, within_days: int = 14) -> list[ReviewDue]:
    """Open plans of the families the actor's agency holds whose review is overdue or due within `within_days`,
    soonest first (the due list and the caseload). Audited as a read: it names families."""
    if not may(actor, Action.READ_CASE):
        return []
    today = uow.today()
    rows = [ReviewDue(f.id, f.reference, family_view(uow.keys, f).name, due, due < today)
            for f, due in repo.reviews_due(uow.session, actor, today + dt.timedelta(days=within_days))
            if due is not None]
    uow.audit(actor, "read", "family_plan", None, listing="reviews_due", entries=len(rows))
    return rows


def next_reviews(uow: UnitOfWork, family_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.date | None]:
    """The next review due of each open plan among families the caller already read (the caseload)."""
    return repo.next_reviews(uow.session, family_ids)
