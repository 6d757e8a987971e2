"""Finding and creating families; people are encrypted and blind-indexed for exact-match and partial name search."""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable

from coordination.crypto import BlindIndex, KeyRing
from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.identifiers import (
    LONGEST_PREFIX,
    SHORTEST_PREFIX,
    clean_nhs_number,
    clean_upn,
    name_match_key,
    name_prefixes,
    nhs_number_is_valid,
    upn_is_valid,
)
from coordination.domain.people import MAX_NAME, NewPerson, date_of_birth_problem
from coordination.domain.permissions import Action, may
from coordination.domain.sections import PersonRole
from coordination.errors import Conflict, FieldErrors, Invalid, NotFound, NotPermitted
from coordination.models import Assessment, AssessmentSection, Family, FamilyPlan, Person, PersonNamePrefix
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as repo
from coordination.services.views import FamilyView, PersonView


def person_view(ring: KeyRing, person: Person) -> PersonView:
    dob = person.unseal(ring, "date_of_birth")
    return PersonView(
        id=person.id, role=person.role,
        given_name=person.unseal(ring, "given_name") or "", family_name=person.unseal(ring, "family_name") or "",
        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        nhs_number=person.unseal(ring, "nhs_number"), upn=person.unseal(ring, "upn"),
        version=person.version or 1, left_on=person.left_on, left_reason=person.unseal(ring, "left_reason"),
        la_child_id=person.la_child_id,
    )


def family_view(ring: KeyRing, family: Family) -> FamilyView:
    return FamilyView(
        id=family.id, reference=family.reference, owning_agency_id=family.owning_agency_id,
        lead_practitioner_id=family.lead_practitioner_id, created_at=family.created_at,
        updated_at=family.updated_at, people=[person_view(ring, p) for p in family.people],
        lead_chosen_with_family=family.lead_chosen_with_family,
    )


def person_problems(p: NewPerson, today: dt.date) -> dict[str, list[str]]:
    """Every problem with one person's details, by field: the one rule for creating a family, adding a person
    to one and correcting a person."""
    errors = FieldErrors()
    if p.role not in {r.value for r in PersonRole}:
        errors.add("role", "Choose child, parent or carer, or other")
    errors.require_text("given_name", p.given_name, "a first name", MAX_NAME)
    errors.require_text("family_name", p.family_name, "a last name", MAX_NAME)
    if p.date_of_birth:
        errors.add("date_of_birth", date_of_birth_problem(p.date_of_birth, today, child=p.role == PersonRole.CHILD))
    elif p.role == PersonRole.CHILD:
        errors.add("date_of_birth", "Enter the child's date of birth")
    if p.nhs_number and not nhs_number_is_valid(p.nhs_number):
        errors.add("nhs_number", "Enter a valid NHS number, like 943 476 5919")
    if p.upn and not upn_is_valid(p.upn):
        errors.add("upn", "Enter a valid unique pupil number: a letter then 12 characters, like H801200001001")
    return errors.errors


def validate_people(people: list[NewPerson], today: dt.date) -> None:
    """Raise Invalid with a field map (`people.N.field`) for every problem found."""
    errors: dict[str, list[str]] = {}
    if not people:
        errors["people"] = ["Add at least one person"]
    if people and not any(p.role == PersonRole.CHILD for p in people):
        errors["people"] = ["Add at least one child"]
    for i, p in enumerate(people):
        for name, messages in person_problems(p, today).items():
            errors[f"people.{i}.{name}"] = messages
    if errors:
        raise Invalid("Check the details of the people in the family", errors)


def prefix_digests(blind: BlindIndex, agency_id: uuid.UUID, given_name: str, family_name: str) -> set[str]:
    """The blind indexes of the starts of a person's names (partial search), keyed by the holding agency as well,
    so the same start of a name in two agencies' families gives unrelated digests."""
    return {blind("name_prefix", str(agency_id), prefix)
            for name in (given_name, family_name) for prefix in name_prefixes(name)}


def set_prefixes(person: Person, digests: set[str]) -> bool:
    """Make the person's name prefix rows exactly `digests` (keeping the rows that stay); whether any changed."""
    have = {row.digest for row in person.name_prefixes}
    if have == digests:
        return False
    person.name_prefixes = [row for row in person.name_prefixes if row.digest in digests] + [
        PersonNamePrefix(digest=d) for d in sorted(digests - have)]
    return True


def seal_identity(uow: UnitOfWork, person: Person, p: NewPerson, agency_id: uuid.UUID) -> None:
    """Write a person's names, date of birth, NHS number and UPN encrypted, and the blind indexes they are found
    by: at creation and on every correction, so search finds what is recorded now and nothing older."""
    for column, digest in person_digests(uow.blind, p).items():
        setattr(person, column, digest)
    set_prefixes(person, prefix_digests(uow.blind, agency_id, p.given_name, p.family_name))
    person.seal(uow.keys, "given_name", p.given_name.strip())
    person.seal(uow.keys, "family_name", p.family_name.strip())
    person.seal(uow.keys, "date_of_birth", p.date_of_birth.isoformat() if p.date_of_birth else None)
    person.seal(uow.keys, "nhs_number", clean_nhs_number(p.nhs_number) if p.nhs_number else None)
    person.seal(uow.keys, "upn", clean_upn(p.upn) if p.upn else None)


def person_digests(blind: BlindIndex, p: NewPerson) -> dict[str, str | None]:
    """The blind indexes a person is found by. Names go in as their match key (never as shown); the NHS
    number and UPN as cleaned (the UPN case-folded, as these indexes have always been written)."""
    dob = p.date_of_birth.isoformat() if p.date_of_birth else None
    given, family = name_match_key(p.given_name or ""), name_match_key(p.family_name or "")
    return {
        "nhs_number_bidx": blind("nhs", clean_nhs_number(p.nhs_number)) if p.nhs_number else None,
        "upn_bidx": blind("upn", clean_upn(p.upn).casefold()) if p.upn else None,
        "name_dob_bidx": blind("name_dob", given, family, dob) if dob else None,
        "surname_dob_bidx": blind("surname_dob", family, dob) if dob else None,
    }


def find_duplicates(uow: UnitOfWork, actor: Actor, people: list[NewPerson],
                    exclude_person_id: uuid.UUID | None = None, known: Iterable[str | None] = ()) -> list[FamilyView]:
    """Families the actor may see with someone matching by NHS number, UPN, name + date of birth, or
    last name + date of birth (which catches a different spelling of a first name). The one duplicate rule:
    creating a family, adding a person to one and correcting a person (who is left out of their own match, and
    whose `known` indexes, unchanged by the correction, were checked when they were recorded)."""
    skip = set(known)
    digests = [d for p in people for d in person_digests(uow.blind, p).values() if d and d not in skip]
    matching = repo.list_matching(uow.session, actor, digests, exclude_person_id)
    return [family_view(uow.keys, f) for f in matching]


def _new_reference(uow: UnitOfWork) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        ref = "EH-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not repo.reference_taken(uow.session, ref):
            return ref


def add_family(uow: UnitOfWork, actor: Actor, people: list[NewPerson], *, owning_agency_id: uuid.UUID,
               lead_practitioner_id: uuid.UUID | None, created_by_id: uuid.UUID | None, ward: str | None = None,
               section_keys: list[str] | None = None, audit_details: dict | None = None
               ) -> tuple[Family, list[Person]]:
    """Write a family with its people (encrypted, blind-indexed), an empty assessment from the template, its empty
    family plan and its audit event, in the caller's transaction: the one way a family is made. No checks: the
    caller has decided the actor may and validated `people` (create_family for staff; the CSV import for the
    operator).

    `section_keys`: the template's keys, when the caller read them already (an import makes many families);
    `audit_details`: what the caller adds to the audit event.
    """
    family = Family(reference=_new_reference(uow), owning_agency_id=owning_agency_id,
                    lead_practitioner_id=lead_practitioner_id, created_by_id=created_by_id, ward=ward)
    repo.add(uow.session, family)
    persons = []
    for position, p in enumerate(people):
        person = Person(family_id=family.id, role=p.role, position=position, version=1)
        seal_identity(uow, person, p, owning_agency_id)
        uow.session.add(person)
        persons.append(person)
    assessment = Assessment(family_id=family.id)
    uow.session.add(assessment)
    if section_keys is None:
        section_keys = [d.key for d in assessment_repo.list_definitions(uow.session)]
    uow.session.add_all([AssessmentSection(assessment_id=assessment.id, key=key, version=0) for key in section_keys])
    uow.session.add(FamilyPlan(family_id=family.id, version=0, status="open"))  # the one plan, like the assessment
    uow.audit(actor, "create", "family", family.id, family_id=family.id, people=len(people), **(audit_details or {}))
    return family, persons


def create_family(uow: UnitOfWork, actor: Actor, people: list[NewPerson], *, confirm_new: bool = False,
                  lead_practitioner_id: uuid.UUID | None = None) -> FamilyView:
    """Create a family with its people and an empty assessment from the template.

    :raise NotPermitted: the actor may not hold cases.
    :raise Invalid: a field is wrong (field map in `errors`).
    :raise Conflict: likely duplicates the actor may see (`details["candidates"]`), unless confirm_new.
    """
    if not may(actor, Action.WRITE_CASE) or actor.agency_id is None:
        raise NotPermitted("You cannot create families")
    validate_people(people, uow.today())
    if not confirm_new:
        candidates = find_duplicates(uow, actor, people)
        if candidates:
            raise Conflict("This family may already be recorded", candidates=candidates)
    family, _ = add_family(uow, actor, people, owning_agency_id=actor.agency_id,
                           lead_practitioner_id=lead_practitioner_id or actor.user_id, created_by_id=actor.user_id,
                           audit_details={"confirmed_not_duplicate": confirm_new})
    uow.session.flush()
    uow.session.refresh(family, ["people"])
    return family_view(uow.keys, family)


def family_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action, refusal: str) -> Family:
    """The family, for a use case that needs `action` on it.

    :raise NotFound: no such family, or the actor may not know it exists (checked first: absent, not forbidden).
    :raise NotPermitted: the actor sees the family but may not do `action` (`refusal` says so).
    """
    family = repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not may(actor, action):
        raise NotPermitted(refusal)
    return family


def require_family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action, refusal: str) -> None:
    """As `family_for`, for a use case that needs only the check, not the family (one light query).

    :raise NotFound: no such family, or the actor may not know it exists (checked first: absent, not forbidden).
    :raise NotPermitted: the actor sees the family but may not do `action` (`refusal` says so).
    """
    if not repo.is_visible(uow.session, actor, family_id):
        raise NotFound("Family not found")
    if not may(actor, action):
        raise NotPermitted(refusal)


def get_family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> FamilyView:
    """A family and its people (names, dates of birth, NHS numbers): audited as a read of the family.

    :raise NotFound: no such family, or the actor may not know it exists.
    """
    family = repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    view = family_view(uow.keys, family)
    uow.audit(actor, "read", "family", family.id, family_id=family.id, people=len(view.people))
    return view


NAME_TOO_SHORT = f"Enter at least {SHORTEST_PREFIX} letters of a first or last name"


def _partial_name(uow: UnitOfWork, actor: Actor, name: str) -> list[Family]:
    """Families the actor's agency holds with someone whose first or last name starts with each word of `name`
    (case, accents and punctuation aside: the match key). The index finds candidates by the first 10 letters of each
    word; their names, which the agency may read, are then checked against the whole words.

    :raise Invalid: a word shorter than 3 letters (field `name`)."""
    words = [name_match_key(w) for w in name.split()]
    words = [w for w in words if w]
    if not words or any(len(w) < SHORTEST_PREFIX for w in words):
        raise Invalid("Check the name", {"name": [NAME_TOO_SHORT]})
    if actor.agency_id is None:
        return []
    digests = sorted({uow.blind("name_prefix", str(actor.agency_id), w[:LONGEST_PREFIX]) for w in words})
    candidates = repo.list_by_name_prefixes(uow.session, actor, digests)

    def matches(person: Person) -> bool:
        view = person_view(uow.keys, person)
        keys = (name_match_key(view.given_name), name_match_key(view.family_name))
        return all(any(k.startswith(w) for k in keys) for w in words)

    return [f for f in candidates if any(matches(p) for p in f.people)]


def search_families(uow: UnitOfWork, actor: Actor, *, reference: str | None = None,
                    nhs_number: str | None = None, upn: str | None = None, given_name: str | None = None,
                    family_name: str | None = None, date_of_birth: dt.date | None = None,
                    name: str | None = None) -> list[FamilyView]:
    """Exact-match search: a family reference, an NHS number, a UPN, or a name with date of birth; or partial
    name search (`name`: the start of a first or last name, at least 3 letters, each word) among the families the
    actor's agency holds. Audited with the count and the kind of search, never what was searched for.

    :raise NotPermitted: a role that may not read cases.  :raise Invalid: `name` too short.
    """
    if not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot search families")
    found, by = [], "exact"
    if reference:
        family = repo.get_by_reference(uow.session, actor, reference)
        found, by = [family] if family else [], "reference"
    elif name is not None and not (nhs_number or upn or (family_name and date_of_birth)):
        found, by = _partial_name(uow, actor, name), "partial_name"
    else:
        wanted = person_digests(uow.blind, NewPerson("", given_name or "", family_name or "", date_of_birth,
                                                     nhs_number=nhs_number, upn=upn))
        kinds = ["nhs_number_bidx", "upn_bidx"]
        if family_name:
            kinds.append("name_dob_bidx" if given_name else "surname_dob_bidx")
        digests = [digest for kind in kinds if (digest := wanted[kind])]
        found = repo.list_matching(uow.session, actor, digests)
    uow.audit(actor, "read", "family_search", None, results=len(found), by=by)
    return [family_view(uow.keys, f) for f in found]


def caseload(uow: UnitOfWork, actor: Actor) -> list[FamilyView]:
    return [family_view(uow.keys, f) for f in repo.list_caseload(uow.session, actor)]
