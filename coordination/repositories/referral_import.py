"""Reads the referral import needs, in batches (a file may hold tens of thousands of rows).

The import is run by the service's operator (a system actor, which sees every family), so these queries are
not narrowed by agency: an imported referral is attached to the child already recorded, whoever holds the case.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from typing import TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coordination.models import Family, Person, Referral

BATCH = 500
T = TypeVar("T")


def _batches(values: Iterable[T]) -> Iterator[list[T]]:
    ordered = sorted(set(values), key=str)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start:start + BATCH]


def people_matching(session: Session, digests: Iterable[str]) -> list[Person]:
    """Everyone with an NHS number, UPN or name-and-date-of-birth blind index among `digests`."""
    found: dict[uuid.UUID, Person] = {}
    for chunk in _batches(d for d in digests if d):
        for person in session.execute(select(Person).where(or_(
                Person.nhs_number_bidx.in_(chunk), Person.upn_bidx.in_(chunk), Person.name_dob_bidx.in_(chunk),
        ))).scalars():
            found[person.id] = person
    return list(found.values())


def imported_keys(session: Session, scope: str, keys: Iterable[str]) -> set[str]:
    """Which of `keys` (source record ids) were already imported under `scope`."""
    done: set[str] = set()
    for chunk in _batches(keys):
        done.update(key for key in session.execute(select(Referral.idempotency_key).where(
            Referral.idempotency_scope == scope, Referral.idempotency_key.in_(chunk))).scalars() if key is not None)
    return done


def closures(session: Session, child_id: uuid.UUID, pathway: str) -> list[dt.datetime]:
    """When the child's referrals on the pathway were closed (for the re-referral flag)."""
    return [closed for closed in session.execute(select(Referral.closed_at).where(
        Referral.child_id == child_id, Referral.pathway == pathway, Referral.closed_at.is_not(None))).scalars()
        if closed is not None]


def families_by_id(session: Session, family_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Family]:
    """The families of the people matched, by id."""
    found: dict[uuid.UUID, Family] = {}
    for chunk in _batches(family_ids):
        found.update((f.id, f) for f in session.execute(select(Family).where(Family.id.in_(chunk))).scalars())
    return found
