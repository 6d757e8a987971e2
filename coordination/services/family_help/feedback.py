""""You said, we did": feedback from a family member or a child at any time (or at closure), and what the team
did about it. The lead practitioner is told by email (an outbox message, ids only: the email carries no words);
until it is answered the feedback is a task for the agency holding the case, due 20 working days after it was
given (the measure's target, domain.family_help)."""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_help import MAX_TEXT, feedback_due
from coordination.errors import Conflict, FieldErrors, NotFound
from coordination.models import Family, FamilyFeedback, Task
from coordination.repositories import families as families_repo
from coordination.repositories import family_help as repo
from coordination.repositories import plan as plan_repo
from coordination.services.outbox import publish

from .access import family_to_work_on
from .views import FeedbackView

FEEDBACK_TASK = "feedback"
FEEDBACK_TASK_TITLE = "Answer the family's feedback (you said, we did)"
TOPIC = "feedback.received"


def feedback_view(uow: UnitOfWork, row: FamilyFeedback, names: dict[uuid.UUID, str] | None = None) -> FeedbackView:
    return FeedbackView(id=row.id, family_id=row.family_id, from_person_id=row.from_person_id,
                        said=row.unseal(uow.keys, "said") or "", received_on=row.received_on,
                        we_did=row.unseal(uow.keys, "we_did"), answered_on=row.answered_on,
                        from_name=(names or {}).get(row.from_person_id) if row.from_person_id else None)


def add_feedback(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, said: str,
                 from_person_id: uuid.UUID | None = None, received_on: dt.date | None = None) -> FeedbackView:
    """Record what a family member or child said ("you said"); tell the lead; a task until it is answered.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise Invalid: said, from_person_id, received_on.
    """
    family = _family(uow, actor, family_id)
    if actor.is_family:  # a family member gives their own feedback, in their own view, today
        from_person_id, received_on = actor.person_id, uow.today()
    received_on = received_on or uow.today()
    errors = FieldErrors()
    errors.require_text("said", said, "what they said", MAX_TEXT)
    if from_person_id is not None and from_person_id not in {p.id for p in family.people}:
        errors.add("from_person_id", "Choose a person in this family")
    if received_on > uow.today():
        errors.add("received_on", "The date it was given must be today or in the past")
    errors.raise_if_any("Check the feedback")
    row = FamilyFeedback(family_id=family.id, from_person_id=from_person_id, received_on=received_on,
                         recorded_at=uow.now(), recorded_by_id=actor.user_id)
    row.seal(uow.keys, "said", said.strip())
    plan_repo.add(uow.session, row)
    plan_repo.add(uow.session, Task(family_id=family.id, agency_id=family.owning_agency_id, kind=FEEDBACK_TASK,
                                    title=FEEDBACK_TASK_TITLE, due_on=feedback_due(received_on),
                                    dedupe_key=f"feedback:{row.id}", created_at=uow.now()))
    if family.lead_practitioner_id is not None:
        publish(uow, TOPIC, {"feedback_id": str(row.id), "family_id": str(family.id),
                             "user_id": str(family.lead_practitioner_id)})
    uow.audit(actor, "create", "family_feedback", row.id, family_id=family.id,
              from_person=str(from_person_id) if from_person_id else None, received_on=received_on.isoformat(),
              authority={"kind": "family", "channel": "family"} if actor.is_family else None)
    return feedback_view(uow, row)


def respond(uow: UnitOfWork, actor: Actor, feedback_id: uuid.UUID, *, we_did: str) -> FeedbackView:
    """Record what the team did ("we did"); the task is done.

    :raise NotFound: no such feedback, or the actor neither holds the family's case nor leads it.
    :raise Conflict: it has been answered already.  :raise Invalid: we_did.
    """
    row = repo.get_feedback(uow.session, feedback_id, for_update=True)
    if row is None:
        raise NotFound("No such feedback")
    family_to_work_on(uow, actor, row.family_id)
    if row.answered_on is not None:
        raise Conflict("This feedback has been answered already")
    errors = FieldErrors()
    errors.require_text("we_did", we_did, "what the team did about it", MAX_TEXT)
    errors.raise_if_any("Check the response")
    row.seal(uow.keys, "we_did", we_did.strip())
    row.answered_on, row.answered_at, row.answered_by_id = uow.today(), uow.now(), actor.user_id
    task = repo.task_by_key(uow.session, f"feedback:{row.id}")
    if task is not None and task.done_at is None:
        task.done_at, task.done_by_id = uow.now(), actor.user_id
    uow.audit(actor, "update", "family_feedback", row.id, family_id=row.family_id, answered=True,
              working_days_target=str(feedback_due(row.received_on)))
    return feedback_view(uow, row)


def feedback_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[FeedbackView]:
    """The family's feedback, newest first, with who gave it. Audited as a read.

    :raise NotFound: as `add_feedback`.
    """
    family = _family(uow, actor, family_id)
    names = {p.id: f"{p.unseal(uow.keys, 'given_name')} {p.unseal(uow.keys, 'family_name')}" for p in family.people}
    rows = [feedback_view(uow, r, names) for r in repo.feedback_of(uow.session, family.id)
            if not actor.is_family or r.from_person_id == actor.person_id]  # a family member: their own only
    uow.audit(actor, "read", "family_feedback", None, family_id=family.id, entries=len(rows),
              authority={"kind": "family", "channel": "family"} if actor.is_family else None)
    return rows


def _family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> Family:
    """The family to give or read feedback on: for staff, one they work on; for a family member, their own.

    :raise NotFound: neither."""
    if actor.is_family:
        family = families_repo.get_for(uow.session, actor, family_id)
        if family is None:
            raise NotFound("Family not found")
        return family
    return family_to_work_on(uow, actor, family_id)


def get_feedback(uow: UnitOfWork, actor: Actor, feedback_id: uuid.UUID) -> FeedbackView:
    """One feedback entry (for the response page). :raise NotFound: as `respond`."""
    row = repo.get_feedback(uow.session, feedback_id)
    if row is None:
        raise NotFound("No such feedback")
    family = family_to_work_on(uow, actor, row.family_id)
    names = {p.id: f"{p.unseal(uow.keys, 'given_name')} {p.unseal(uow.keys, 'family_name')}" for p in family.people}
    uow.audit(actor, "read", "family_feedback", row.id, family_id=row.family_id)
    return feedback_view(uow, row, names)
