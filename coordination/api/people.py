"""People of a family and how to reach them: add a person, correct one (If-Match), left the household, contact
details, addresses with their move history, other professionals involved."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.people import NewPerson
from coordination.domain.permissions import Action
from coordination.errors import Conflict
from coordination.services import contacts, people
from schemas import people as schema
from schemas.families import PersonResponseSchema

from .assessment import IF_MATCH_PATTERN, etag, expected_version, write_if_match
from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint
from .errors import StaleVersion

ETAG = {"ETag": {"description": 'The person\'s version, quoted: "3". Send it back as If-Match.',
                 "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": True,
            "description": 'The person\'s version you read: 3, "3" or W/"3". Missing: 428. Stale: 412 (409 is a '
                           'likely duplicate). Anything else: 400.',
            "schema": {"type": "string", "pattern": IF_MATCH_PATTERN}}
IF_MATCH_OPTIONAL = dict(IF_MATCH, required=False, description=(
    'Optional: the person\'s version you read, to refuse the change if someone changed them since (412).'))


@bp.get("/families/<uuid:family_id>/people")
@access("staff", action=Action.READ_CASE)
@endpoint("List the people and their contacts", tag="people", response=schema.HouseholdResponseSchema,
          errors=(404,))
def household(family_id: uuid.UUID):
    """Everyone in the family (those who left the household too, with the day they left), each person's
    contact details, the addresses (newest move first) and the other professionals involved. Audited as a read."""
    view = as_caller(contacts.household, family_id)
    return {"family_id": view.family_id, "reference": view.reference, "people": view.people,
            "contacts": list(view.contacts.values()), "addresses": view.addresses,
            "professionals": view.professionals}


@bp.post("/families/<uuid:family_id>/people")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Add a person to a family", tag="people", body=schema.PersonAddRequestSchema,
          response=PersonResponseSchema, status=201, errors=(404, 409, 422), response_headers=ETAG)
def add_person(family_id: uuid.UUID, body: dict):
    """A newborn, a new partner, another child. Checked for duplicates exactly as a new family is: someone
    matching a person in a family you may see (NHS number, UPN, name and date of birth, or last name and date
    of birth) is 409 with those `candidates`; send `confirm_new: true` to add them anyway."""
    confirm = body.pop("confirm_new")
    person = as_caller(people.add_person, family_id, NewPerson(**body), confirm_new=confirm)
    return person, etag(person.version)


@bp.get("/people/<uuid:person_id>")
@access("staff", action=Action.READ_CASE)
@endpoint("Read a person", tag="people", response=PersonResponseSchema, errors=(404,), response_headers=ETAG)
def get_person(person_id: uuid.UUID):
    """One person, with their version as the ETag. Audited as a read."""
    person = as_caller(people.get_person, person_id)
    return person, etag(person.version)


@bp.patch("/people/<uuid:person_id>")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Correct a person", tag="people", body=schema.PersonPatchRequestSchema, response=PersonResponseSchema,
          errors=(400, 404, 409, 412, 422, 428), request_headers=(IF_MATCH,), response_headers=ETAG)
def correct_person(person_id: uuid.UUID, body: dict):
    """Correct names, date of birth, NHS number or UPN, with the reason. The audit trail records the reason and
    which fields changed, never the values. Search finds the corrected details, not the old ones. A corrected
    person matching someone else you may see is 409 with `candidates` (send `confirm_new: true`); someone
    changed them since you read them: 412 with `current_version`."""
    version = expected_version("person version")
    reason, confirm = body.pop("reason"), body.pop("confirm_new")
    try:
        person = as_caller(people.correct_person, person_id, body, reason, version, confirm_new=confirm)
    except Conflict as exc:
        if "current" in exc.details:
            raise StaleVersion(exc) from None
        raise
    return person, etag(person.version)


@bp.post("/people/<uuid:person_id>/left")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record that a person left the household", tag="people", body=schema.PersonLeftRequestSchema,
          response=PersonResponseSchema, errors=(404, 409, 422), response_headers=ETAG)
def person_left(person_id: uuid.UUID, body: dict):
    """They stay in the family's record, shown as having left on `left_on`. Already recorded as left: 409."""
    person = as_caller(people.mark_left, person_id, body["left_on"], body["reason"])
    return person, etag(person.version)


@bp.put("/people/<uuid:person_id>/contact")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Set a person's contact details", tag="people", body=schema.ContactRequestSchema,
          response=schema.ContactResponseSchema, errors=(400, 404, 412, 422), request_headers=(IF_MATCH_OPTIONAL,),
          response_headers=ETAG)
def set_contact(person_id: uuid.UUID, body: dict):
    """Phone, email, preferred language and interpreter need, GP practice, school and its URN. The audit trail
    names the fields changed, never their values."""
    return write_if_match("person version", contacts.update_contact, person_id, **body)


@bp.post("/families/<uuid:family_id>/addresses")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record an address or a move", tag="people", body=schema.AddressRequestSchema,
          response=schema.AddressResponseSchema, status=201, errors=(404, 422))
def record_address(family_id: uuid.UUID, body: dict):
    """Where the household (or one person) lives from `moved_in_on`. The address they lived at before is kept in
    the history, its `moved_out_on` set to the day of the move."""
    return as_caller(contacts.record_address, family_id, **body)


@bp.post("/families/<uuid:family_id>/professionals")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Add a professional involved", tag="people", body=schema.ProfessionalRequestSchema,
          response=schema.ProfessionalResponseSchema, status=201, errors=(404, 422))
def add_professional(family_id: uuid.UUID, body: dict):
    """Someone from another service working with the household or one person of it."""
    return as_caller(contacts.add_professional, family_id, **body)


@bp.post("/professionals/<uuid:professional_id>/end")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record that a professional is no longer involved", tag="people",
          response=schema.ProfessionalResponseSchema, errors=(404, 409))
def end_professional(professional_id: uuid.UUID):
    """From today; kept in the history. Already ended: 409."""
    return as_caller(contacts.end_professional, professional_id)
