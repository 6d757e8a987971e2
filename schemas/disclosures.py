"""Safeguarding disclosures (sharing without consent, managers only) and their oversight."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.consent import LawfulBasis

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc


class DisclosureRequestSchema(BaseSchema):
    agency_id = fields.UUID(required=True)
    sections = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    lawful_basis = fields.String(required=True, validate=validate.OneOf([b.value for b in LawfulBasis]), metadata={
        "description": "public_task: UK GDPR 6(1)(e); legal_obligation: 6(1)(c) — each with Art 9(2)(g) and DPA "
                       "2018 Sch 1 para 18 for special category data; vital_interests: 6(1)(d), emergencies"})
    justification = fields.String(required=True, validate=validate.Length(min=1),
                                  metadata=text_doc(not_blank=True, max_length=5_000))
    expires_on = fields.Date(required=True)
    withhold_reason = fields.String(load_default=None, metadata={
        "description": "Set when telling the family would increase risk: the family's access log leaves it out"})


class ReasonRequestSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata=text_doc(not_blank=True))


class DisclosureResponseSchema(BaseSchema):
    id = fields.UUID()
    family_id = fields.UUID()
    family_reference = fields.String()
    agency_id = fields.UUID()
    agency_name = fields.String()
    sections = fields.List(fields.String())
    lawful_basis = fields.String()
    lawful_basis_text = fields.String()
    justification = fields.String()
    decided_by = fields.UUID(attribute="decided_by_id")
    decided_by_name = fields.String()
    decided_at = UtcDateTime()
    expires_on = fields.Date()
    state = fields.String()
    withheld_from_family = StrictBoolean()
    withheld_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)


class DisclosureListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(DisclosureResponseSchema))
