"""Family Help: the lead practitioner, the team around the family and the one family plan."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.plan import (
    ACTION_STATUS_LABELS,
    ACTION_STATUSES,
    MAX_ACTION_DESCRIPTION,
    MAX_GOAL_TITLE,
    MAX_REASON,
    MAX_ROLE,
    OUTCOME_AREA_LABELS,
    OUTCOME_AREAS,
    GoalStatus,
    PlanStatus,
)

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

AREA_DOC = {"enum": list(OUTCOME_AREAS), "description": "The Supporting Families headline outcome: " + "; ".join(
    f"{k}: {label}" for k, label in OUTCOME_AREA_LABELS.items())}
STATUS_DOC = {"enum": list(ACTION_STATUSES), "description": "; ".join(
    f"{k}: {label}" for k, label in ACTION_STATUS_LABELS.items())}


class LeadRequestSchema(BaseSchema):
    user_id = fields.UUID(required=True, metadata={
        "description": "A practitioner or manager of any agency (a school's, a health visitor's, a charity's)."})
    chosen_with_family = StrictBoolean(required=True, metadata={"description": "Did the family choose them?"})
    reason = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "Why the lead is changing: required when it is someone else.", max_length=MAX_REASON))


class LeadResponseSchema(BaseSchema):
    user_id = fields.UUID(allow_none=True, required=True)
    agency_id = fields.UUID(allow_none=True, required=True, metadata={"description": "The lead's agency."})
    chosen_with_family = StrictBoolean(allow_none=True, required=True, metadata={
        "description": "Whether the family chose their lead; null when not recorded."})


class MemberRequestSchema(BaseSchema):
    agency_id = fields.UUID(load_default=None, allow_none=True)
    user_id = fields.UUID(load_default=None, allow_none=True, metadata={"description": "A member of staff."})
    person_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "A person in the family or its wider network (added to the family first)."})
    role = fields.String(required=True, metadata=text_doc("Their role, e.g. 'Class teacher', 'Grandmother'.",
                                                          not_blank=True, max_length=MAX_ROLE))
    joined_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "Default: today."})


class MemberResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    agency_id = fields.UUID(allow_none=True, required=True)
    user_id = fields.UUID(allow_none=True, required=True)
    person_id = fields.UUID(allow_none=True, required=True)
    role = fields.String(required=True)
    joined_on = fields.Date(required=True)
    left_on = fields.Date(allow_none=True, required=True, metadata={"description": "Set when the membership ended."})


class IdResponseSchema(BaseSchema):
    id = fields.UUID(required=True)


class OwnerSchema(BaseSchema):
    agency_id = fields.UUID(allow_none=True)
    user_id = fields.UUID(allow_none=True, metadata={"description": "A named practitioner."})
    person_id = fields.UUID(allow_none=True, metadata={"description": "A family member."})


class GoalRequestSchema(BaseSchema):
    title = fields.String(required=True, metadata=text_doc("The goal in the family's own words. Encrypted at rest.",
                                                           not_blank=True, max_length=MAX_GOAL_TITLE))
    outcome_area = fields.String(required=True, validate=validate.OneOf(OUTCOME_AREAS), metadata=AREA_DOC)


class ActionRequestSchema(BaseSchema):
    description = fields.String(required=True, metadata=text_doc("What will be done. Encrypted at rest.",
                                                                 not_blank=True, max_length=MAX_ACTION_DESCRIPTION))
    owner = fields.Nested(OwnerSchema, required=True, metadata={
        "description": "Who will do it: exactly one of agency_id, user_id, person_id."})
    due_on = fields.Date(required=True)


class ActionStatusRequestSchema(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf(ACTION_STATUSES), metadata=STATUS_DOC)
    reason = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "Why: required when the action is dropped.", max_length=MAX_REASON))


class ActionResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    description = fields.String(required=True)
    owner = fields.Nested(OwnerSchema, required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(ACTION_STATUSES)})
    status_reason = fields.String(allow_none=True, metadata={"description": "Why it was dropped."})
    owned_by_caller = StrictBoolean(required=True, metadata={
        "description": "True for an action owned by your agency (or by you, or staff of your agency)."})


class ProgressSchema(BaseSchema):
    review_id = fields.UUID(required=True)
    score = fields.Integer(required=True, metadata={"minimum": 0, "maximum": 10})


class GoalResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    outcome_area = fields.String(required=True, metadata={"enum": list(OUTCOME_AREAS)})
    status = fields.String(required=True, metadata={"enum": [s.value for s in GoalStatus]})
    actions = fields.List(fields.Nested(ActionResponseSchema), required=True)
    progress = fields.List(fields.Nested(ProgressSchema), required=True, metadata={
        "description": "Progress at each review (0-10); empty until reviews are recorded."})


class PlanResponseSchema(BaseSchema):
    family_id = fields.UUID(required=True)
    version = fields.Integer(required=True, metadata={"description": "Counts every change of the plan, its lead "
                                                                     "and its team; 0 for an untouched plan."})
    status = fields.String(required=True, metadata={"enum": [s.value for s in PlanStatus]})
    lead = fields.Nested(LeadResponseSchema, required=True)
    team = fields.List(fields.Nested(MemberResponseSchema), required=True, metadata={
        "description": "Current members first, then those who left (with left_on)."})
    goals = fields.List(fields.Nested(GoalResponseSchema), required=True)
    next_review_due_on = fields.Date(allow_none=True, required=True)
    updated_at = UtcDateTime(allow_none=True)
