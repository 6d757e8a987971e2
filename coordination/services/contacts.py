"""How to reach a family and who else is involved: each person's phone, email, preferred language, interpreter
need, GP practice and school (with its URN); the household's addresses with their move history; the other
professionals involved. Personal text is encrypted; audit events name the fields changed, never their values.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.contacts import (
    LIMITS,
    clean_postcode,
    email_problem,
    moved_in_problem,
    phone_problem,
    postcode_problem,
    urn_problem,
)
from coordination.domain.permissions import Action
from coordination.errors import Conflict, FieldErrors, NotFound
from coordination.models import Address, Family, Person, Professional
from coordination.repositories import people as repo
from coordination.services.families import family_for, family_view
from coordination.services.people import REFUSAL, person_for, stale
from coordination.services.views import PersonView

CONTACT_FIELDS = ("phone", "email", "language", "gp_practice", "school_name", "school_urn")
CASE_HOLDER = {"kind": "case_holder"}


@dataclass
class ContactView:
    person_id: uuid.UUID
    version: int
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    interpreter_needed: bool | None = None
    gp_practice: str | None = None
    school_name: str | None = None
    school_urn: str | None = None


@dataclass
class AddressView:
    id: uuid.UUID
    person_id: uuid.UUID | None
    line_1: str
    line_2: str | None
    town: str
    postcode: str
    moved_in_on: dt.date
    moved_out_on: dt.date | None

    @property
    def current(self) -> bool:
        return self.moved_out_on is None


@dataclass
class ProfessionalView:
    id: uuid.UUID
    person_id: uuid.UUID | None
    name: str
    role: str
    organisation: str
    contact: str | None
    ended_on: dt.date | None


@dataclass
class HouseholdView:
    """A family's people with their contact details, addresses (newest first) and professionals."""

    family_id: uuid.UUID
    reference: str
    name: str
    people: list[PersonView]
    contacts: dict[uuid.UUID, ContactView] = field(default_factory=dict)
    addresses: list[AddressView] = field(default_factory=list)
    professionals: list[ProfessionalView] = field(default_factory=list)


def contact_view(uow: UnitOfWork, person: Person) -> ContactView:
    values = {name: person.unseal(uow.keys, name) for name in CONTACT_FIELDS}
    return ContactView(person_id=person.id, version=person.version, interpreter_needed=person.interpreter_needed,
                       **values)


def address_view(uow: UnitOfWork, row: Address) -> AddressView:
    return AddressView(id=row.id, person_id=row.person_id, line_1=row.unseal(uow.keys, "line_1") or "",
                       line_2=row.unseal(uow.keys, "line_2"), town=row.unseal(uow.keys, "town") or "",
                       postcode=row.unseal(uow.keys, "postcode") or "", moved_in_on=row.moved_in_on,
                       moved_out_on=row.moved_out_on)


def professional_view(uow: UnitOfWork, row: Professional) -> ProfessionalView:
    return ProfessionalView(id=row.id, person_id=row.person_id, name=row.unseal(uow.keys, "name") or "",
                            role=row.unseal(uow.keys, "role") or "",
                            organisation=row.unseal(uow.keys, "organisation") or "",
                            contact=row.unseal(uow.keys, "contact"), ended_on=row.ended_on)


def household(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> HouseholdView:
    """The family's people and how to reach them, for staff of the agency holding the case: audited as one read.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    """
    family: Family = family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    view = family_view(uow.keys, family)
    result = HouseholdView(
        family_id=family.id, reference=family.reference, name=view.name, people=view.people,
        contacts={p.id: contact_view(uow, p) for p in family.people},
        addresses=[address_view(uow, a) for a in repo.list_addresses(uow.session, actor, family_id)],
        professionals=[professional_view(uow, p) for p in repo.list_professionals(uow.session, actor, family_id)])
    uow.audit(actor, "read", "family_people", family.id, family_id=family.id, authority=CASE_HOLDER,
              people=len(result.people), addresses=len(result.addresses))
    return result


def _optional(errors: FieldErrors, name: str, value: str | None) -> str | None:
    text = (value or "").strip() or None
    if text and len(text) > LIMITS[name]:
        errors.add(name, f"Enter {LIMITS[name]:,} characters or fewer")
    return text


def update_contact(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, *, phone: str | None = None,
                   email: str | None = None, language: str | None = None, interpreter_needed: bool | None = None,
                   gp_practice: str | None = None, school_name: str | None = None, school_urn: str | None = None,
                   expected_version: int | None = None) -> ContactView:
    """Replace a person's contact details (a blank field clears it).

    :raise NotFound / NotPermitted: as `people.person_for`.
    :raise Invalid: every problem, by field (checked first: wrong details are wrong at any version).
    :raise Conflict: stale `expected_version` (`details["current"]`).
    """
    person = person_for(uow, actor, person_id, Action.WRITE_CASE, for_update=True)
    errors = FieldErrors()
    given = {"phone": phone, "email": email, "language": language, "gp_practice": gp_practice,
             "school_name": school_name, "school_urn": school_urn}
    values = {name: _optional(errors, name, value) for name, value in given.items()}
    errors.add("phone", phone_problem(values["phone"]) if "phone" not in errors else None)
    errors.add("email", email_problem(values["email"]) if "email" not in errors else None)
    errors.add("school_urn", urn_problem(values["school_urn"]))
    if values["school_urn"] and not values["school_name"]:
        errors.add("school_name", "Enter the name of the school")
    if interpreter_needed and not values["language"]:
        errors.add("language", "Enter the language they prefer, for the interpreter")
    errors.raise_if_any("Check the contact details")  # what is wrong with the details is wrong at any version
    stale(uow, person, expected_version)
    before = contact_view(uow, person)
    changed = [n for n in CONTACT_FIELDS if getattr(before, n) != values[n]]
    if before.interpreter_needed != interpreter_needed:
        changed.append("interpreter_needed")
    for name in CONTACT_FIELDS:
        person.seal(uow.keys, name, values[name])
    person.interpreter_needed = interpreter_needed
    if changed:
        person.version += 1
    uow.session.flush()
    uow.audit(actor, "update", "person_contact", person.id, family_id=person.family_id, fields=changed,
              version=person.version)
    return contact_view(uow, person)


def _household_errors(family, person_id: uuid.UUID | None) -> FieldErrors:
    """A new collector of field errors, holding one already when `person_id` is not of this household."""
    errors = FieldErrors()
    if person_id is not None and person_id not in {p.id for p in family.people}:
        errors.add("person_id", "Choose someone in this family, or the whole household")
    return errors


def record_address(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, line_1: str, town: str, postcode: str,
                   moved_in_on: dt.date | None, line_2: str | None = None,
                   person_id: uuid.UUID | None = None) -> AddressView:
    """Record where the household (or one person, `person_id`) lives from `moved_in_on`; the address they lived
    at before is kept, with its moved-out date set to the day of the move.

    :raise NotFound / NotPermitted: as `families.family_for`.
    :raise Invalid: every problem, by field.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, REFUSAL)
    errors = _household_errors(family, person_id)
    errors.require_text("line_1", line_1, "the first line of the address", LIMITS["line_1"])
    second = _optional(errors, "line_2", line_2)
    errors.require_text("town", town, "the town or city", LIMITS["town"])
    errors.add("postcode", postcode_problem(postcode))
    errors.add("moved_in_on", moved_in_problem(moved_in_on, uow.today()))
    previous = repo.current_addresses(uow.session, family.id, person_id)
    if moved_in_on and any(moved_in_on < p.moved_in_on for p in previous):
        errors.add("moved_in_on", "The date they moved in must be after they moved to the current address")
    errors.raise_if_any("Check the address")
    assert moved_in_on is not None
    for old in previous:
        old.moved_out_on = moved_in_on
    row = Address(family_id=family.id, person_id=person_id, moved_in_on=moved_in_on, recorded_by_id=actor.user_id,
                  created_at=uow.now())
    row.seal(uow.keys, "line_1", line_1.strip())
    row.seal(uow.keys, "line_2", second)
    row.seal(uow.keys, "town", town.strip())
    row.seal(uow.keys, "postcode", clean_postcode(postcode))
    repo.add(uow.session, row)
    uow.audit(actor, "create", "address", row.id, family_id=family.id, person_id=str(person_id) if person_id else None,
              moved_out_of=[str(old.id) for old in previous])
    return address_view(uow, row)


def add_professional(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, name: str, role: str,
                     organisation: str, contact: str | None = None,
                     person_id: uuid.UUID | None = None) -> ProfessionalView:
    """Record another professional involved with the household or one person of it.

    :raise NotFound / NotPermitted: as `families.family_for`.
    :raise Invalid: every problem, by field.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, REFUSAL)
    errors = _household_errors(family, person_id)
    errors.require_text("name", name, "their name", LIMITS["name"])
    errors.require_text("role", role, "their role", LIMITS["role"])
    errors.require_text("organisation", organisation, "their organisation", LIMITS["organisation"])
    how = _optional(errors, "contact", contact)
    errors.raise_if_any("Check the professional's details")
    row = Professional(family_id=family.id, person_id=person_id, recorded_by_id=actor.user_id, created_at=uow.now())
    for column, value in (("name", name.strip()), ("role", role.strip()), ("organisation", organisation.strip()),
                          ("contact", how)):
        row.seal(uow.keys, column, value)
    repo.add(uow.session, row)
    uow.audit(actor, "create", "professional", row.id, family_id=family.id,
              person_id=str(person_id) if person_id else None)
    return professional_view(uow, row)


def end_professional(uow: UnitOfWork, actor: Actor, professional_id: uuid.UUID) -> ProfessionalView:
    """They are no longer involved (from today): kept in the history.

    :raise NotFound: not a professional of a family the actor may see.
    :raise Conflict: already ended.
    """
    row = repo.get_professional(uow.session, actor, professional_id)
    if row is None:
        raise NotFound("Professional not found")
    family_for(uow, actor, row.family_id, Action.WRITE_CASE, REFUSAL)
    if row.ended_on is not None:
        raise Conflict("They are already recorded as no longer involved")
    row.ended_on = uow.today()
    uow.session.flush()
    uow.audit(actor, "update", "professional", row.id, family_id=row.family_id, change="ended")
    return professional_view(uow, row)
