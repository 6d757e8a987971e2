"""Is this child known? The question (an NHS number, or a name and date of birth) and the answer (which teams,
never what they hold)."""
from __future__ import annotations

from marshmallow import fields, validate

from .base import BaseSchema, StrictBoolean, text_doc
from .families import NAME


class KnownRequestSchema(BaseSchema):
    """An NHS number, or both names and a date of birth. The service checks the combination and the check digits
    (422 naming every field at once)."""

    nhs_number = fields.String(validate=validate.Length(min=1, max=20), metadata={"example": "943 476 5919"})
    given_name = fields.String(validate=NAME, metadata=text_doc(not_blank=True))
    family_name = fields.String(validate=NAME, metadata=text_doc(not_blank=True))
    date_of_birth = fields.Date()

    openapi_extra = {"anyOf": [{"required": ["nhs_number"]},
                               {"required": ["given_name", "family_name", "date_of_birth"]}]}


class KnownTeamSchema(BaseSchema):
    agency_id = fields.UUID(required=True)
    name = fields.String(required=True, metadata={"description": "The agency holding a matching family"})
    contact = fields.String(required=True, metadata={
        "description": "How to reach them: the work email of that family's lead practitioner, or the agency's name "
                       "when it has no active lead"})


class KnownResponseSchema(BaseSchema):
    known = StrictBoolean(required=True, metadata={"description": "A family with this child is held somewhere"})
    family_id = fields.UUID(allow_none=True, metadata={
        "description": "Your own agency's family, when it holds one (then read it as usual); otherwise null"})
    teams = fields.List(fields.Nested(KnownTeamSchema), required=True, metadata={
        "description": "Other agencies holding a matching family: who and how to contact them, nothing else"})
