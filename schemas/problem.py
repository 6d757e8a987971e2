"""RFC 9457 problem details, the body of every API error (`application/problem+json`)."""
from __future__ import annotations

from marshmallow import fields

from .base import BaseSchema
from .families import FamilyCandidateSchema


class ProblemSchema(BaseSchema):
    type = fields.String(required=True, metadata={
        "description": "A URI naming the kind of problem; about:blank when the status says it all.",
        "example": "urn:coordination:problem:validation"})
    title = fields.String(required=True, metadata={"description": "A short summary of the kind of problem."})
    status = fields.Integer(required=True, strict=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong this time, safe to show."})
    instance = fields.String(metadata={"description": "The request path."})
    request_id = fields.String(metadata={"description": "Quote this when asking for help."})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": (
            "422 only. A flat map from a dotted field path to messages, e.g. "
            "{\"people.0.nhs_number\": [\"Enter a valid NHS number, like 943 476 5919\"]}. "
            "List items are numbered from 0; errors about the body as a whole are under \"_schema\"."),
        },
    )
    candidates = fields.List(fields.Nested(FamilyCandidateSchema), metadata={
        "description": "409 duplicate only: families you may already see that look like this one. "
                       "Send the request again with confirm_new: true to create a new family anyway."})
    current_version = fields.Integer(metadata={
        "description": "A stale save only (409 for a section, 412 for a person): the newest version; read it, "
                       "then retry."})
