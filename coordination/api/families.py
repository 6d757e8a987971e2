"""Families: create (with duplicate check), find by exact match, read one."""
from __future__ import annotations

import uuid

from flask import url_for

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services import families as family_service
from coordination.services.families import NewPerson
from schemas import families as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

LOCATION = {"Location": {"description": "The new family's URL", "schema": {"type": "string"}}}


@bp.post("/families")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Create a family", tag="families", body=schema.FamilyCreateRequestSchema,
          response=schema.FamilyResponseSchema,
          status=201, errors=(409, 422), response_headers=LOCATION)
def create_family(body: dict):
    """Create a family, its people and an empty assessment from the template.

    When people match a family you may already see (NHS number, UPN, name and date of birth, or last
    name and date of birth), the answer is 409 with those `candidates`; send `confirm_new: true` to
    create a new family anyway. NHS number and UPN check digits are checked here (422, field map).
    """
    people = [NewPerson(**person) for person in body["people"]]
    family = as_caller(family_service.create_family, people, confirm_new=body["confirm_new"])
    return family, {"Location": url_for(".get_family", family_id=family.id)}


@bp.get("/families")
@access("staff", action=Action.READ_CASE)
@endpoint("Find families", tag="families", query=schema.FamilySearchQuerySchema,
          response=schema.FamilyListResponseSchema,
          errors=(422,))
def search_families(query: dict):
    """Exact-match search among the families you may see: by `reference`, `nhs_number`, `upn`, or
    `family_name` with `date_of_birth` (and optionally `given_name`); or partial name search by `name` (the start
    of a first or last name, at least 3 letters) among the families your agency holds.

    Query strings are written to web server and proxy access logs: to search by name, date of birth
    or NHS number, prefer `POST /families/search`, which takes the same fields in its body.
    """
    return _search(query)


@bp.post("/families/search")
@access("staff", action=Action.READ_CASE)
@endpoint("Find families (criteria in the body)", tag="families", body=schema.FamilySearchQuerySchema,
          response=schema.FamilyListResponseSchema, errors=(422,))
def search_families_by_body(body: dict):
    """The same search as `GET /families` (exact, or partial by `name`), with the criteria in a JSON body so that names,
    dates of birth and NHS numbers stay out of access logs. Reads nothing else and changes nothing."""
    return _search(body)


def _search(criteria: dict) -> dict:
    found = as_caller(family_service.search_families, **criteria)
    return {"items": found}


@bp.get("/families/<uuid:family_id>")
@access("staff", action=Action.READ_CASE)
@endpoint("Read a family", tag="families", response=schema.FamilyResponseSchema, errors=(404,))
def get_family(family_id: uuid.UUID):
    """A family and its people. 404 when it does not exist or you may not know it exists."""
    return as_caller(family_service.get_family, family_id)
