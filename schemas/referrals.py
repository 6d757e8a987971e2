"""Referrals across pathways: create, decide, move between stages, close, pauses and exceptions, and the
referral with its clocks."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.pathways import default_pathways
from coordination.domain.referrals import Status, Urgency

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

PATHWAYS = list(default_pathways())
STATUSES = [s.value for s in Status]
URGENCIES = [u.value for u in Urgency]
LINK_KINDS = ["step_up", "step_down", "transition", "parallel"]


class ReferralCreateRequestSchema(BaseSchema):
    family_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True, metadata={"description": "A child of the family"})
    pathway = fields.String(required=True, metadata={"enum": PATHWAYS})
    to_agency_id = fields.UUID(required=True, metadata={"description": "The receiving agency"})
    reason = fields.String(required=True, metadata=text_doc("Why the child is referred (encrypted at rest)",
                                                            not_blank=True, max_length=10_000))
    urgency = fields.String(load_default="routine", metadata={"enum": URGENCIES})
    received_on = fields.Date(load_default=None, metadata={
        "description": "Staff only: the date the referral was received (e.g. by phone). Defaults to today in "
                       "England; may be in the past, never in the future. Partner referrals are received today."})
    linked_from_id = fields.UUID(load_default=None, metadata={
        "description": "The child's earlier referral this one follows (step-up, step-down, transition)"})
    link_kind = fields.String(load_default=None, metadata={"enum": LINK_KINDS})
    sections_shared = fields.List(fields.String(), load_default=list, metadata={
        "description": "Section keys the referral points the receiving team to; what it may read is still "
                       "what consent or a disclosure covers when it reads"})


class ReferralDecisionRequestSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["accept", "decline"]),
                             metadata={"enum": ["accept", "decline"]})
    reason = fields.String(required=True, metadata=text_doc(not_blank=True, max_length=10_000))
    signposted_to = fields.String(load_default=None, metadata=text_doc(
        "Where the family was signposted: required (not blank) on decline, ignored on accept", max_length=200))
    # On decline, signposted_to is required and not blank (the service's rule, stated in the document).
    openapi_extra = {"if": {"properties": {"decision": {"const": "decline"}}, "required": ["decision"]},
                     "then": {"required": ["signposted_to"],
                              "properties": {"signposted_to": {"type": "string", **text_doc(not_blank=True)}}}}


class ReferralRedirectRequestSchema(BaseSchema):
    to_agency_id = fields.UUID(required=True, metadata={
        "description": "The right team: an agency of a kind the referral's pathway goes to (422 otherwise)"})
    reason = fields.String(required=True, metadata=text_doc(
        "Why the referral is going to another team (encrypted at rest; both teams see it)", not_blank=True,
        max_length=10_000))


class ReferralTransitionRequestSchema(BaseSchema):
    to_stage = fields.String(required=True, metadata=text_doc("A stage the pathway allows next", not_blank=True))
    note = fields.String(load_default=None, metadata=text_doc(max_length=10_000))


class ReferralCloseRequestSchema(BaseSchema):
    outcome = fields.String(required=True, metadata=text_doc("A short outcome, e.g. plan_issued", not_blank=True,
                                                             max_length=40))
    note = fields.String(load_default=None, metadata=text_doc(max_length=10_000))
    reason_for_closure = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=3), metadata={
        "description": "Social care only: the CIN census reason for closure, RC1–RC9. RC8 (closed after assessment, "
                       "no further action) and RC9 (closed after assessment, referred to early help) only when the "
                       "case closed straight after its assessment, with no child in need or protection plan.",
        "enum": [f"RC{n}" for n in range(1, 10)] + [None]})


class ReferralPauseRequestSchema(BaseSchema):
    reason = fields.String(required=True, metadata=text_doc("A short code, e.g. family_request", not_blank=True,
                                                            max_length=60))
    from_on = fields.Date(required=True)
    to_on = fields.Date(load_default=None)


class ReferralExceptionRequestSchema(BaseSchema):
    code = fields.String(required=True, metadata=text_doc("e.g. 10_4_c for an EHC final plan", not_blank=True))
    from_on = fields.Date(load_default=None)
    to_on = fields.Date(load_default=None)


class ReferralListQuerySchema(BaseSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES), metadata={"enum": STATUSES})
    pathway = fields.String(load_default=None, validate=validate.OneOf(PATHWAYS), metadata={"enum": PATHWAYS})
    child_id = fields.UUID(load_default=None, metadata={"description": "One child's journey"})


class ClockResponseSchema(BaseSchema):
    name = fields.String(required=True)
    title = fields.String()
    limit = fields.String(metadata={"description": "e.g. 45 working days"})
    statutory = StrictBoolean()
    started_on = fields.Date(required=True)
    due_on = fields.Date(required=True, metadata={
        "description": "The last day still in time (day 0 = the start; N working days = by the end of the Nth "
                       "working day after, England and Wales bank holidays excluded)"})
    due_at = UtcDateTime(allow_none=True, metadata={"description": "For clocks in hours"})
    stopped_on = fields.Date(allow_none=True)
    within_target = StrictBoolean(allow_none=True, metadata={"description": "null while running and not overdue"})
    overdue = StrictBoolean()
    excepted = StrictBoolean(metadata={"description": "An allowed exception applies"})


class ReferralEventResponseSchema(BaseSchema):
    kind = fields.String(metadata={"description": "received, decided, accepted, declined, redirected, "
                                                  "entered:<stage>, closed"})
    occurred_at = UtcDateTime()
    by_agency_id = fields.UUID(allow_none=True)
    by_user_id = fields.UUID(allow_none=True)
    by_key_id = fields.UUID(allow_none=True, metadata={
        "description": "The partner API key that acted: shown only to callers of the agency that acted "
                       "(`by_agency_id`), null for everyone else"})
    note = fields.String(allow_none=True)
    from_agency_id = fields.UUID(allow_none=True, metadata={"description": "redirected: the team it left"})
    to_agency_id = fields.UUID(allow_none=True, metadata={"description": "redirected: the team it went to"})


class ReferralResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    family_id = fields.UUID(required=True)
    child_id = fields.UUID(required=True)
    pathway = fields.String(required=True, metadata={"enum": PATHWAYS})
    pathway_title = fields.String()
    status = fields.String(required=True, metadata={"enum": STATUSES})
    stage = fields.String(required=True)
    stage_title = fields.String()
    urgency = fields.String(metadata={"enum": URGENCIES})
    reason = fields.String()
    received_on = fields.Date(required=True)
    received_at = UtcDateTime()
    from_agency_id = fields.UUID(allow_none=True)
    to_agency_id = fields.UUID()
    re_referral = StrictBoolean(metadata={"description": "Within 12 months of the child's last closure on "
                                                          "this pathway"})
    linked_from_id = fields.UUID(allow_none=True)
    link_kind = fields.String(allow_none=True, metadata={"enum": LINK_KINDS})
    decision = fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    signposted_to = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    sections_shared = fields.List(fields.String())
    overdue = StrictBoolean(metadata={"description": "Some clock is running past its due date"})
    clocks = fields.List(fields.Nested(ClockResponseSchema), required=True)
    events = fields.List(fields.Nested(ReferralEventResponseSchema))


class ReferralListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(ReferralResponseSchema), required=True)
