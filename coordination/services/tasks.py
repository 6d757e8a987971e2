"""Tasks raised by the daily jobs: age transitions (14, 17½, 18) and school phase transfer deadlines.

Decisions:
- Every family counts as open (a family has no closed state yet); every child with a recorded date of
  birth is considered. Dates of birth are decrypted here, with `uow.keys`, and never leave this module.
- Which transitions are due is the domain's rule (`domain.referrals.due_transitions`: within 90 days
  ahead, or passed in the last year without a task).
- A task's `dedupe_key` ("age:<person id>:<transition>", "phase:<person id>:<transfer year>") is unique,
  and we look it up before inserting, so running a job twice (or on two hosts a day) raises nothing twice;
  a concurrent duplicate insert fails on the unique key and its transaction rolls back.
- Phase transfers: a child with an open (not closed, not declined) ehc_needs_assessment referral, in
  Year 6 (10 on 31 August of the current school year: deadline 15 February of the transfer year) or in
  Year 11 (15 on 31 August: deadline 31 March).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, Role
from coordination.domain.people import age_on
from coordination.domain.referrals import AGE_TRANSITION_TITLES, due_transitions, phase_transfer_deadline
from coordination.errors import Conflict, NotFound, NotPermitted
from coordination.models import Person, Task
from coordination.repositories import families as families_repo
from coordination.repositories import tasks as repo

EHC_PATHWAY = "ehc_needs_assessment"
OPEN_EXCLUDED = ("closed", "declined")


def _date_of_birth(uow: UnitOfWork, person: Person) -> dt.date | None:
    raw = person.unseal(uow.keys, "date_of_birth")
    return dt.date.fromisoformat(raw) if raw else None


def _existing(uow: UnitOfWork, keys: set[str]) -> set[str]:
    return repo.existing_keys(uow.session, keys)


def raise_age_transition_tasks(uow: UnitOfWork, actor: Actor) -> int:
    """Create a task for each child whose age transition is due; returns how many were created."""
    today = uow.today()
    rows = repo.children_with_birth_dates(uow.session)
    wanted: dict[str, Task] = {}
    for person, agency_id in rows:
        dob = _date_of_birth(uow, person)
        if dob is None:
            continue
        for transition, when in due_transitions(dob, today):
            key = f"age:{person.id}:{transition.value}"
            wanted[key] = Task(family_id=person.family_id, person_id=person.id, agency_id=agency_id,
                               kind="age_transition", title=AGE_TRANSITION_TITLES[transition], due_on=when,
                               dedupe_key=key)
    return _add_new(uow, actor, wanted)


def _school_year_start(today: dt.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def raise_phase_transfer_tasks(uow: UnitOfWork, actor: Actor) -> int:
    """Create the phase transfer deadline task for children with an open EHC needs assessment referral in
    Year 6 or Year 11; returns how many were created."""
    today = uow.today()
    start = _school_year_start(today)
    rows = repo.open_referrals_with_child(uow.session, EHC_PATHWAY, OPEN_EXCLUDED)
    wanted: dict[str, Task] = {}
    for referral, person in rows:
        dob = _date_of_birth(uow, person)
        if dob is None:
            continue
        age = age_on(dob, dt.date(start, 8, 31))
        if age not in (10, 15):
            continue
        to_post16 = age == 15
        deadline = phase_transfer_deadline(start + 1, secondary_to_post16=to_post16)
        key = f"phase:{person.id}:{start + 1}"
        title = ("Phase transfer (Year 11 to post-16): review and amend the EHC plan by 31 March" if to_post16
                 else "Phase transfer (Year 6 to Year 7): review and amend the EHC plan by 15 February")
        wanted[key] = Task(family_id=referral.family_id, person_id=person.id, referral_id=referral.id,
                           agency_id=referral.to_agency_id, kind="phase_transfer", title=title,
                           due_on=deadline, dedupe_key=key)
    return _add_new(uow, actor, wanted)


def _add_new(uow: UnitOfWork, actor: Actor, wanted: dict[str, Task]) -> int:
    existing = _existing(uow, set(wanted))
    created = 0
    for key, task in wanted.items():
        if key in existing:
            continue
        uow.session.add(task)
        uow.session.flush()
        uow.audit(actor, "create", "task", task.id, family_id=task.family_id, kind=task.kind)
        created += 1
    return created


# ---- staff: the tasks of their agency --------------------------------------------------------------------

@dataclass
class TaskView:
    id: uuid.UUID
    kind: str
    title: str
    due_on: dt.date
    overdue: bool
    due_soon: bool
    family_id: uuid.UUID
    referral_id: uuid.UUID | None
    family_reference: str | None  # only for families the actor's agency holds
    child_name: str | None


def _check_staff(actor: Actor) -> None:
    if not actor.is_staff or actor.role == Role.ADMIN or actor.agency_id is None:
        raise NotPermitted("Only practitioners and managers have tasks")


def open_tasks(uow: UnitOfWork, actor: Actor) -> list[TaskView]:
    """The tasks of the actor's agency not yet done, soonest first; children named only where the agency holds
    the family. Audited as a read (it lists children)."""
    _check_staff(actor)
    tasks = repo.open_for(uow.session, actor)
    held = {f.id: f for f in families_repo.list_by_ids(uow.session, actor, {t.family_id for t in tasks})} \
        if tasks else {}
    today = uow.today()
    views = []
    for t in tasks:
        family = held.get(t.family_id)
        child = next((p for p in family.people if p.id == t.person_id), None) if family else None
        name = f"{child.unseal(uow.keys, 'given_name')} {child.unseal(uow.keys, 'family_name')}" if child else None
        views.append(TaskView(t.id, t.kind, t.title, t.due_on, t.due_on < today,
                              today <= t.due_on <= today + dt.timedelta(days=42), t.family_id, t.referral_id,
                              family.reference if family else None, name))
    uow.audit(actor, "read", "task", None, entries=len(views))
    return views


def complete_task(uow: UnitOfWork, actor: Actor, task_id: uuid.UUID) -> Task:
    """Mark one of the agency's tasks done (attributed, audited).

    :raise NotFound: not a task of the actor's agency.  :raise Conflict: already done.
    """
    _check_staff(actor)
    task = repo.get_for(uow.session, actor, task_id, lock=True)
    if task is None:
        raise NotFound("Task not found")
    if task.done_at is not None:
        raise Conflict("This task was already marked as done")
    task.done_at, task.done_by_id = uow.now(), actor.user_id
    uow.audit(actor, "update", "task", task.id, family_id=task.family_id, kind=task.kind, done=True)
    return task
