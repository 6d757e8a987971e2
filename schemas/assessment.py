"""The one family-led assessment: its sections, a section save, and a section's history."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.sections import SECTION_KEYS, Sensitivity

from .base import BaseSchema, UtcDateTime, text_doc

SENSITIVITIES = [s.value for s in Sensitivity]
KEY_DOC = {"description": "A stable section key; the default template's keys are listed in example order.",
           "example": SECTION_KEYS[0], "examples": list(SECTION_KEYS)}


class SectionResponseSchema(BaseSchema):
    key = fields.String(required=True, metadata=KEY_DOC)
    title = fields.String(required=True)
    hint = fields.String(required=True)
    sensitivity = fields.String(required=True, metadata={"enum": SENSITIVITIES})
    content = fields.String(required=True, metadata={"description": "Empty until the first save."})
    version = fields.Integer(required=True, metadata={"description": "0 until the first save; send it as If-Match."})
    updated_at = UtcDateTime(allow_none=True)
    updated_by = fields.UUID(allow_none=True, metadata={"description": "The staff user who saved this version."})
    updated_by_agency = fields.UUID(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "staff, or partner for a contribution."})


class AssessmentResponseSchema(BaseSchema):
    family_id = fields.UUID(required=True)
    status = fields.String(required=True)
    sections = fields.List(fields.Nested(SectionResponseSchema), required=True)


class SectionUpdateRequestSchema(BaseSchema):
    content = fields.String(required=True, validate=validate.Length(min=1), metadata=text_doc(
        "The whole new text of the section.", not_blank=True, max_length=50_000))


class VersionResponseSchema(BaseSchema):
    version = fields.Integer(required=True)
    content = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    created_by = fields.UUID(allow_none=True)
    created_by_agency = fields.UUID(allow_none=True)
    source = fields.String(required=True)


class SectionHistoryResponseSchema(BaseSchema):
    key = fields.String(required=True, metadata=KEY_DOC)
    title = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The newest version."})
    versions = fields.List(fields.Nested(VersionResponseSchema), required=True,
                           metadata={"description": "Newest first."})
