"""Consent: record, list (with parent / young person conflicts), withdraw."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.actors import AgencyType
from coordination.domain.consent import Capacity, ConsentMethod, Decision

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

CAPACITIES = [c.value for c in Capacity]


class RecipientsSchema(BaseSchema):
    agencies = fields.List(fields.UUID(), load_default=list)
    agency_types = fields.List(fields.String(validate=validate.OneOf([t.value for t in AgencyType])),
                               load_default=list)


class ConsentRequestSchema(BaseSchema):
    given_by = fields.UUID(required=True, metadata={"description": "The person (of this family) deciding"})
    capacity = fields.String(required=True, validate=validate.OneOf(CAPACITIES), metadata={
        "description": "parent_with_pr: a parent or carer with parental responsibility; young_person: 16 or "
                       "over; competent_child: under 16, competence assessed (send competence_assessed_by/on)"})
    sections = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    recipients = fields.Nested(RecipientsSchema, required=True)
    purpose = fields.String(required=True, metadata=text_doc(not_blank=True, max_length=2_000))
    expires_on = fields.Date(load_default=None, metadata={
        "description": "The first day the consent no longer holds. Default: 12 months from valid_from. At most 24 "
                       "months after valid_from unless `extended_reason` says why it must last longer, and never "
                       "more than 5 years; after today and after valid_from (422 otherwise)"})
    valid_from = fields.Date(load_default=None, metadata={
        "description": "Default: today. At most 12 months from today (422 otherwise)"})
    extended_reason = fields.String(load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "Required when expires_on is more than 24 months after valid_from: why it must last longer"})
    method = fields.String(load_default=None, validate=validate.OneOf([m.value for m in ConsentMethod]))
    decision = fields.String(load_default=Decision.PERMIT.value, validate=validate.OneOf([d.value for d in Decision]))
    competence_assessed_by = fields.UUID(load_default=None)
    competence_assessed_on = fields.Date(load_default=None)
    supersedes_id = fields.UUID(load_default=None, metadata={"description": "A consent this one replaces"})
    supersede_reason = fields.String(load_default=None)


class RecipientResponseSchema(BaseSchema):
    kind = fields.String()
    value = fields.String()
    label = fields.String()


class WarningResponseSchema(BaseSchema):
    code = fields.String(metadata={"description": "competence_under_12: a competent child under 12 decided"})
    message = fields.String()


class ConsentResponseSchema(BaseSchema):
    id = fields.UUID()
    family_id = fields.UUID()
    given_by = fields.UUID(attribute="given_by_person_id")
    given_by_name = fields.String()
    capacity = fields.String()
    decision = fields.String()
    about_person_id = fields.UUID(allow_none=True)
    purpose = fields.String()
    method = fields.String(allow_none=True)
    valid_from = fields.Date()
    expires_on = fields.Date()
    review_on = fields.Date()
    recorded_by = fields.UUID(attribute="recorded_by_id", allow_none=True)
    recorded_at = UtcDateTime()
    competence_assessed_by = fields.UUID(attribute="competence_assessed_by_id", allow_none=True)
    competence_assessed_on = fields.Date(allow_none=True)
    sections = fields.List(fields.String())
    recipients = fields.List(fields.Nested(RecipientResponseSchema))
    state = fields.String(metadata={"description": "live, expired, not_yet_valid or withdrawn"})
    review_due = StrictBoolean()
    supersedes_id = fields.UUID(allow_none=True)
    withdrawn_at = UtcDateTime(allow_none=True)
    withdrawn_by = fields.UUID(attribute="withdrawn_by_id", allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    extended_reason = fields.String(allow_none=True, metadata={
        "description": "Why the consent lasts longer than 24 months, when it does"})
    warnings = fields.List(fields.Nested(WarningResponseSchema), metadata={
        "description": "In the 201 of recording a consent: what to check about the decision, though it was "
                       "recorded (competence_under_12: the child deciding as a competent child is under 12, as "
                       "the web's check page warns). Empty otherwise"})


class ConflictResponseSchema(BaseSchema):
    section_key = fields.String()
    recipients = fields.List(fields.String())
    parent_consent_id = fields.UUID()
    parent_decision = fields.String()
    young_person_consent_id = fields.UUID()
    young_person_decision = fields.String()
    young_person_id = fields.UUID(allow_none=True)
    governs = fields.String(metadata={"description": "Whose decision applies (docs/domain.md): young_person"})


class ConsentListResponseSchema(BaseSchema):
    family_id = fields.UUID()
    items = fields.List(fields.Nested(ConsentResponseSchema), attribute="consents")
    conflicts = fields.List(fields.Nested(ConflictResponseSchema))


class WithdrawRequestSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata=text_doc(not_blank=True))
