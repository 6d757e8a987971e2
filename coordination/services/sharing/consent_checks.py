"""Checking the answers of a consent decision (services.sharing.consent.record_consent).

Each check adds its field errors through `err(field, message)`, in the order the form asks the questions, so
the error summary lists every problem at once and in page order.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping

from coordination.db import UnitOfWork
from coordination.domain.actors import AgencyType
from coordination.domain.consent import (
    YOUNG_PERSON_CAPACITIES,
    Capacity,
    ConsentMethod,
    Decision,
    competence_problem,
    consent_period_problems,
    default_expiry,
    young_person_sections_problem,
)
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.sections import ABOUT_THE_CHILD, PersonRole
from coordination.models import Family, Person
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import users as users_repo
from coordination.services.families import person_view

Err = Callable[[str, str], None]


def giver(family: Family, given_by: uuid.UUID, capacity: str, decision: str, method: str | None,
                 err: Err) -> Person | None:
    people = {p.id: p for p in family.people}
    giver = people.get(uuid_or_none(given_by)) if given_by else None  # type: ignore[arg-type]
    if giver is None:
        err("given_by", "Choose the person in this family who gave or refused consent")
    if capacity not in {c.value for c in Capacity}:
        err("capacity", "Choose parent with parental responsibility, young person or competent child")
    if decision not in {d.value for d in Decision}:
        err("decision", "Choose whether consent was given or refused")
    if method is not None and method not in {m.value for m in ConsentMethod}:
        err("method", "Choose written, verbal or digital")
    return giver


def capacity(uow: UnitOfWork, giver: Person, cap: Capacity, assessor: uuid.UUID | None,
                    assessed_on: dt.date | None, today: dt.date, err: Err) -> None:
    """A parent decides as a parent; a child of the family as a young person (16 or over) or competent child."""
    if cap == Capacity.PARENT_WITH_PR and giver.role != PersonRole.PARENT_CARER:
        err("given_by", "Only a parent or carer with parental responsibility can decide as a parent")
    if cap not in YOUNG_PERSON_CAPACITIES:
        return
    if giver.role != PersonRole.CHILD:
        err("given_by", "Only a child of this family can decide as a young person or competent child")
        return
    if cap == Capacity.COMPETENT_CHILD:
        if assessor is None or not users_repo.users_by_id(uow.session, [assessor]):
            err("competence_assessed_by", "Choose the member of staff who assessed competence")
        if assessed_on is None:
            err("competence_assessed_on", "Enter the date competence was assessed")
        elif assessed_on > today:
            err("competence_assessed_on", "The date competence was assessed must not be in the future")
    dob = person_view(uow.keys, giver).date_of_birth
    problem = competence_problem(cap, dob, today, assessor is not None and assessed_on is not None)
    if problem and cap == Capacity.YOUNG_PERSON:
        err("capacity", problem)


def sections(uow: UnitOfWork, sections: Iterable[str], capacity: str, err: Err) -> list[str]:
    keys = list(dict.fromkeys(sections or []))
    definitions = assessment_repo.list_definitions(uow.session)
    known = {d.key for d in definitions}
    if not keys:
        err("sections", "Choose at least one section")
    elif set(keys) - known:
        err("sections", "Choose sections of the assessment")
    else:
        problem = young_person_sections_problem(capacity, keys, ABOUT_THE_CHILD, {d.key: d.title for d in definitions})
        if problem:
            err("sections", problem)
    return keys


def recipients(uow: UnitOfWork, recipients: Mapping[str, Iterable],
                      err: Err) -> tuple[list[uuid.UUID | None], list[str]]:
    agency_ids = [uuid_or_none(a) for a in dict.fromkeys((recipients or {}).get("agencies") or [])]
    agency_types = list(dict.fromkeys(str(t) for t in (recipients or {}).get("agency_types") or []))
    if not agency_ids and not agency_types:
        err("recipients", "Choose at least one agency or type of agency")
    found_agencies = users_repo.agencies_by_id(uow.session, [a for a in agency_ids if a])
    if any(a is None or a not in found_agencies for a in agency_ids):
        err("recipients.agencies", "Choose agencies known to the service")
    if set(agency_types) - {t.value for t in AgencyType}:
        err("recipients.agency_types", "Choose known types of agency")
    return agency_ids, agency_types


def purpose(text: str, limit: int, err: Err) -> None:
    if not (text or "").strip():
        err("purpose", "Enter what the information will be shared for")
    elif len(text) > limit:
        err("purpose", f"Enter {limit:,} characters or fewer")


def period(valid_from: dt.date | None, expires_on: dt.date | None, today: dt.date, extended_reason: str | None,
           err: Err) -> tuple[dt.date, dt.date]:
    """(start, end): from `valid_from` (default today) to `expires_on` (default 12 months on), within the limits
    of domain.consent (end in the future; at most 24 months without `extended_reason`, never over 5 years)."""
    start = valid_from or today
    problems = consent_period_problems(start, expires_on, today, extended_reason)
    for name, messages in problems.items():
        err(name, messages[0])
    if problems:
        return start, expires_on or start  # refused: the default expiry of a far-off start may not exist
    return start, expires_on or default_expiry(start)
