"""The child's voice: entries are recorded verbatim and never edited; a correction is a new entry."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.sections import VOICE_METHOD_LABELS, VoiceMethod

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

METHODS = [m.value for m in VoiceMethod]
METHOD_DOC = {"enum": METHODS, "description": "; ".join(f"{m.value}: {label}" for m, label in
                                                        VOICE_METHOD_LABELS.items())}


class VoiceRequestSchema(BaseSchema):
    child_id = fields.UUID(required=True, metadata={"description": "A child of this family."})
    words = fields.String(required=True, validate=validate.Length(min=1), metadata=text_doc(
        "Verbatim where given; a drawing is described in words.", not_blank=True, max_length=10_000))
    method = fields.String(required=True, validate=validate.OneOf(METHODS), metadata=METHOD_DOC)
    recorded_on = fields.Date(required=True, metadata={"description": "Today or earlier."})
    section_key = fields.String(load_default=None, allow_none=True,
                                metadata={"description": "The assessment section this speaks to."})
    corrects_id = fields.UUID(load_default=None, allow_none=True,
                              metadata={"description": "The entry this one corrects."})
    confidential = StrictBoolean(load_default=False, metadata={"description": (
        "Confidential to the child it is about: in the family's own view only that young person sees it (no "
        "parent or carer, no other child). Staff still see it. A correction of a confidential entry is "
        "confidential too. Default false.")})


class VoiceResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    words = fields.String(required=True)
    method = fields.String(required=True, metadata={"enum": METHODS})
    recorded_on = fields.Date(required=True)
    recorded_by = fields.UUID(allow_none=True)
    section_key = fields.String(allow_none=True)
    corrects_id = fields.UUID(allow_none=True)
    corrected_by_id = fields.UUID(allow_none=True, metadata={"description": "The entry that corrects this one."})
    created_at = UtcDateTime(required=True)
    confidential = StrictBoolean(required=True, metadata={"description": (
        "Confidential to the child it is about: in the family's own view only that young person sees it.")})


class VoiceListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(VoiceResponseSchema), required=True, metadata={"description": "Newest first."})
