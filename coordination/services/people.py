"""The people of a family over time: add one (a newborn, a new partner, a fifth child), correct one (names, date
of birth, NHS number, UPN: audited with the reason and the fields changed, never the values; blind indexes
recomputed; duplicates checked), and mark one as having left the household (kept, with the day and why).

Duplicates are checked by the one rule in services.families (`find_duplicates`), with the same blind indexes.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from typing import Any

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.contacts import LIMITS
from coordination.domain.identifiers import clean_nhs_number, clean_upn
from coordination.domain.people import NewPerson, left_on_problem
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, FieldErrors, Invalid, NotFound, NotPermitted
from coordination.models import Person
from coordination.repositories import people as repo
from coordination.services.families import (
    family_for,
    find_duplicates,
    person_problems,
    person_view,
    seal_identity,
)
from coordination.services.views import PersonView

IDENTITY = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn")
REFUSAL = "You cannot change this family's record"


def person_for(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, action: Action, *,
               for_update: bool = False) -> Person:
    """The person, for a use case needing `action`.

    :raise NotFound: no such person, or the actor may not know their family exists (checked first).
    :raise NotPermitted: the actor sees the family but may not do `action`.
    """
    person = repo.get_person(uow.session, actor, person_id, for_update=for_update)
    if person is None:
        raise NotFound("Person not found")
    if not may(actor, action):
        raise NotPermitted(REFUSAL)
    return person


def add_person(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, new: NewPerson, *,
               confirm_new: bool = False) -> PersonView:
    """Add someone to a family's household.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    :raise NotPermitted: the actor's role may not write to a case.
    :raise Invalid: every problem with the details, by field.
    :raise Conflict: they match someone in a family the actor may see (`details["candidates"]`), unless
        `confirm_new`.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, REFUSAL)
    if errors := person_problems(new, uow.today()):
        raise Invalid("Check the person's details", errors)
    if not confirm_new and (candidates := find_duplicates(uow, actor, [new])):
        raise Conflict("This person may already be recorded", candidates=candidates)
    person = Person(family_id=family.id, role=new.role, position=repo.next_position(uow.session, family.id),
                    version=1, created_at=uow.now())
    seal_identity(uow, person, new, family.owning_agency_id)
    repo.add(uow.session, person)
    family.updated_at = uow.now()
    uow.audit(actor, "create", "person", person.id, family_id=family.id, role=new.role,
              confirmed_not_duplicate=confirm_new)
    return person_view(uow.keys, person)


def _normalised(field: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    if value and field == "nhs_number":
        return clean_nhs_number(value)
    if value and field == "upn":
        return clean_upn(value)
    return value


def stale(uow: UnitOfWork, person: Person, expected_version: int | None) -> None:
    """:raise Conflict: with the person as now recorded, when someone changed them since `expected_version`."""
    if expected_version is not None and person.version != expected_version:
        raise Conflict(f"These details were changed (now version {person.version}) since you opened them",
                       current=person_view(uow.keys, person))


def correct_person(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, changes: dict[str, Any], reason: str,
                   expected_version: int | None, *, confirm_new: bool = False) -> PersonView:
    """Correct a person's names, date of birth, NHS number or UPN (`changes`: only the fields sent).

    :raise NotFound / NotPermitted: as `person_for`.
    :raise Conflict: stale `expected_version` (`details["current"]`), or the corrected person matches someone
        else the actor may see (`details["candidates"]`) unless `confirm_new`.
    :raise Invalid: every problem, by field (a reason is required; so is at least one change).
    """
    person = person_for(uow, actor, person_id, Action.WRITE_CASE, for_update=True)
    missing = FieldErrors()
    missing.require_text("reason", reason, "the reason for the change", LIMITS["reason"])
    if missing and expected_version is not None and expected_version != person.version:
        missing.raise_if_any("Check the corrected details")  # a request missing its reason is wrong at any version
    stale(uow, person, expected_version)
    now = person_view(uow.keys, person)
    wanted = {f: _normalised(f, changes[f]) for f in IDENTITY if f in changes}
    changed = [f for f, value in wanted.items() if value != getattr(now, f)]
    values = {**asdict(now), **wanted}
    new = NewPerson(now.role, values["given_name"] or "", values["family_name"] or "", values["date_of_birth"],
                    values["nhs_number"], values["upn"])
    errors = FieldErrors()
    for field, messages in person_problems(new, uow.today()).items():
        if field in changed:
            for message in messages:
                errors.add(field, message)
    errors.require_text("reason", reason, "the reason for the change", LIMITS["reason"])
    if not changed and not errors:
        errors.add("_schema", "Change at least one detail: these are the details already recorded")
    errors.raise_if_any("Check the corrected details")
    known = [person.nhs_number_bidx, person.upn_bidx, person.name_dob_bidx, person.surname_dob_bidx]
    if not confirm_new and (candidates := find_duplicates(uow, actor, [new], person.id, known)):
        raise Conflict("This person may already be recorded", candidates=candidates)
    seal_identity(uow, person, new, person.family.owning_agency_id)
    person.version += 1
    person.family.updated_at = uow.now()
    uow.session.flush()
    uow.audit(actor, "update", "person", person.id, family_id=person.family_id, reason=reason.strip(),
              fields=changed, version=person.version, confirmed_not_duplicate=confirm_new)
    return person_view(uow.keys, person)


def mark_left(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, left_on: dt.date | None, reason: str
              ) -> PersonView:
    """Record that someone left the household on `left_on`: they stay in the family's history.

    :raise NotFound / NotPermitted: as `person_for`.
    :raise Invalid: the date or the reason (both required).
    :raise Conflict: already recorded as having left.
    """
    person = person_for(uow, actor, person_id, Action.WRITE_CASE, for_update=True)
    if person.left_on is not None:
        raise Conflict("They are already recorded as having left the household")
    dob = person.unseal(uow.keys, "date_of_birth")
    errors = FieldErrors()
    errors.add("left_on", left_on_problem(left_on, uow.today(), dt.date.fromisoformat(dob) if dob else None))
    errors.require_text("reason", reason, "why they left", LIMITS["reason"])
    errors.raise_if_any("Check the date and reason")
    person.left_on = left_on
    person.seal(uow.keys, "left_reason", reason.strip())
    person.version += 1
    person.family.updated_at = uow.now()
    uow.session.flush()
    uow.audit(actor, "update", "person", person.id, family_id=person.family_id, change="left_household",
              version=person.version)
    return person_view(uow.keys, person)


def get_person(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID) -> PersonView:
    """One person, audited as a read of the family's people.

    :raise NotFound: no such person, or the actor may not know their family exists.
    """
    person = person_for(uow, actor, person_id, Action.READ_CASE)
    uow.audit(actor, "read", "person", person.id, family_id=person.family_id)
    return person_view(uow.keys, person)
