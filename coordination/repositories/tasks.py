"""Tasks raised by the daily jobs, scoped to the agency a task is for (in the SQL)."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.domain.actors import Actor
from coordination.models import Family, Person, Referral, Task


def open_for(session: Session, actor: Actor, limit: int = 500) -> list[Task]:
    """The actor's agency's tasks not yet done, soonest due first."""
    if actor.agency_id is None:
        return []
    return list(session.execute(
        select(Task).where(Task.agency_id == actor.agency_id, Task.done_at.is_(None))
        .order_by(Task.due_on, Task.id).limit(limit)
    ).scalars())


def get_for(session: Session, actor: Actor, task_id: uuid.UUID, *, lock: bool = False) -> Task | None:
    if actor.agency_id is None:
        return None
    query = select(Task).where(Task.id == task_id, Task.agency_id == actor.agency_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def existing_keys(session: Session, keys: set[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.execute(select(Task.dedupe_key).where(Task.dedupe_key.in_(keys))).scalars())


def children_with_birth_dates(session: Session) -> list[tuple[Person, uuid.UUID]]:
    """Every child with a recorded date of birth, with the agency holding the family (for the daily job)."""
    return [(p, a) for p, a in session.execute(
        select(Person, Family.owning_agency_id).join(Family, Family.id == Person.family_id)
        .where(Person.role == "child", Person.date_of_birth_ct.is_not(None))
    ).all()]


def open_referrals_with_child(session: Session, pathway: str, excluded: tuple[str, ...]
                              ) -> list[tuple[Referral, Person]]:
    return [(r, p) for r, p in session.execute(
        select(Referral, Person).join(Person, Person.id == Referral.child_id)
        .where(Referral.pathway == pathway, Referral.status.not_in(excluded))
    ).all()]
