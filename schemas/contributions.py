"""Partner contributions to the one assessment."""
from __future__ import annotations

from marshmallow import fields, validate

from .base import BaseSchema, UtcDateTime, text_doc


class ContributionRequestSchema(BaseSchema):
    section = fields.String(required=True, metadata={"description": "A section key, e.g. education_send"})
    content = fields.String(required=True, validate=validate.Length(min=1), metadata=text_doc(
        "What your agency knows, for this section (at most 10,000 characters)", not_blank=True, max_length=10_000))


class ContributionQuerySchema(BaseSchema):
    section = fields.String(load_default=None, metadata={"description": "Only this section's contributions"})


class ContributionResponseSchema(BaseSchema):
    id = fields.UUID()
    family_id = fields.UUID()
    section = fields.String()
    content = fields.String()
    agency_id = fields.UUID()
    agency_name = fields.String()
    api_key_id = fields.UUID(allow_none=True)
    created_at = UtcDateTime()
    acknowledged_at = UtcDateTime(allow_none=True)
    status = fields.String(metadata={"description": "new, or incorporated once staff folded it in"})


class ContributionListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(ContributionResponseSchema))
