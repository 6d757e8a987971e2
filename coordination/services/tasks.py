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

from sqlalchemy import select

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.referrals import AGE_TRANSITION_TITLES, due_transitions, phase_transfer_deadline
from coordination.models import Family, Person, Referral, Task

EHC_PATHWAY = "ehc_needs_assessment"
OPEN_EXCLUDED = ("closed", "declined")


def _date_of_birth(uow: UnitOfWork, person: Person) -> dt.date | None:
    raw = person.unseal(uow.keys, "date_of_birth")
    return dt.date.fromisoformat(raw) if raw else None


def _existing(uow: UnitOfWork, keys: set[str]) -> set[str]:
    if not keys:
        return set()
    return set(uow.session.execute(select(Task.dedupe_key).where(Task.dedupe_key.in_(keys))).scalars())


def raise_age_transition_tasks(uow: UnitOfWork, actor: Actor) -> int:
    """Create a task for each child whose age transition is due; returns how many were created."""
    today = uow.today()
    rows = uow.session.execute(
        select(Person, Family.owning_agency_id).join(Family, Family.id == Person.family_id)
        .where(Person.role == "child", Person.date_of_birth_ct.is_not(None))
    ).all()
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


def _age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def raise_phase_transfer_tasks(uow: UnitOfWork, actor: Actor) -> int:
    """Create the phase transfer deadline task for children with an open EHC needs assessment referral in
    Year 6 or Year 11; returns how many were created."""
    today = uow.today()
    start = _school_year_start(today)
    rows = uow.session.execute(
        select(Referral, Person).join(Person, Person.id == Referral.child_id)
        .where(Referral.pathway == EHC_PATHWAY, Referral.status.not_in(OPEN_EXCLUDED))
    ).all()
    wanted: dict[str, Task] = {}
    for referral, person in rows:
        dob = _date_of_birth(uow, person)
        if dob is None:
            continue
        age = _age_on(dob, dt.date(start, 8, 31))
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
