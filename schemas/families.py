"""Families and their people: create, search, read, and the duplicate candidates a 409 lists."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from coordination.domain.people import MAX_NAME
from coordination.domain.sections import PersonRole

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

NAME = validate.Length(min=1, max=MAX_NAME)
ROLES = [r.value for r in PersonRole]


class PersonRequestSchema(BaseSchema):
    """One person. NHS number and UPN check digits are checked by the service (422, same field map)."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata={"enum": ROLES})
    given_name = fields.String(required=True, validate=NAME, metadata=text_doc(not_blank=True))
    family_name = fields.String(required=True, validate=NAME, metadata=text_doc(not_blank=True))
    date_of_birth = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Required for a child. Today or earlier and in 1900 or later; a child is under 26 (422)."})
    nhs_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20),
                               metadata={"example": "943 476 5919"})
    upn = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20),
                        metadata={"description": "Unique pupil number", "example": "H801200001001"})


class FamilyCreateRequestSchema(BaseSchema):
    people = fields.List(fields.Nested(PersonRequestSchema), required=True,
                         validate=validate.Length(min=1, max=30))
    confirm_new = StrictBoolean(load_default=False, metadata={
        "description": "Create the family even though likely duplicates were found (after a 409)."})


class FamilySearchQuerySchema(BaseSchema):
    """Exact-match search: a reference, an NHS number, a UPN, or a last name with date of birth; or a partial name
    among the families the caller's agency holds."""

    reference = fields.String(validate=validate.Length(min=1, max=20))
    nhs_number = fields.String(validate=validate.Length(min=1, max=20))
    upn = fields.String(validate=validate.Length(min=1, max=20))
    given_name = fields.String(validate=NAME)
    family_name = fields.String(validate=NAME)
    date_of_birth = fields.Date()
    name = fields.String(validate=validate.Length(min=1, max=200), metadata={
        "description": "Partial name search: the start of a first or last name (at least 3 letters; case, accents "
                       "and punctuation do not matter), or of both, as two words. Finds only families your "
                       "agency holds (422 when a word is shorter than 3 letters)"})

    # The same combinations, in the document (a body of POST /families/search).
    openapi_extra = {"anyOf": [{"required": ["reference"]}, {"required": ["nhs_number"]}, {"required": ["upn"]},
                               {"required": ["family_name", "date_of_birth"]}, {"required": ["name"]}]}

    @validates_schema
    def _one_criterion(self, data, **_kwargs):
        if not (data.get("reference") or data.get("nhs_number") or data.get("upn") or data.get("name")
                or (data.get("family_name") and data.get("date_of_birth"))):
            raise ValidationError("Search by reference, nhs_number, upn, family_name with date_of_birth, or name")


class PersonResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    role = fields.String(required=True, metadata={"enum": ROLES})
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    date_of_birth = fields.Date(allow_none=True)
    nhs_number = fields.String(allow_none=True)
    upn = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back as If-Match to correct this person."})
    left_on = fields.Date(allow_none=True, metadata={"description": "The day they left the household, if they have."})
    left_reason = fields.String(allow_none=True)
    la_child_id = fields.String(allow_none=True, metadata={
        "description": "The person's LAchildID in the statutory returns (random, at most 20 letters and digits)"})


class FamilyResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    reference = fields.String(required=True, metadata={"example": "EH-4K7Q2M"})
    people = fields.List(fields.Nested(PersonResponseSchema), required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class FamilyListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(FamilyResponseSchema), required=True)


class CandidatePersonSchema(BaseSchema):
    """Just enough to recognise a person: no NHS number or UPN in a duplicate warning."""

    role = fields.String(required=True, metadata={"enum": ROLES})
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    date_of_birth = fields.Date(allow_none=True)


class FamilyCandidateSchema(BaseSchema):
    """A family the caller may already see that looks like the one being created."""

    id = fields.UUID(required=True)
    reference = fields.String(required=True)
    people = fields.List(fields.Nested(CandidatePersonSchema), required=True)
