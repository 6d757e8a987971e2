"""Family Help around the plan: reviews, closure and hand-over, re-opening, feedback ("you said, we did"), family
group decision-making, and the Family Help measures."""
from __future__ import annotations

import uuid

from marshmallow import ValidationError, fields, validate

from coordination.domain.family_help import (
    CHILD_VIEW_METHOD_LABELS,
    CHILD_VIEW_METHODS,
    CLOSURE_REASON_LABELS,
    CLOSURE_REASONS,
    GOAL_OUTCOMES,
    MAX_ATTENDEE,
    MAX_TEXT,
    MAX_WORDS,
)
from coordination.domain.plan import PlanStatus

from .base import BaseSchema, StrictBoolean, text_doc

METHOD_DOC = {"enum": list(CHILD_VIEW_METHODS), "description": "; ".join(
    f"{k}: {label}" for k, label in CHILD_VIEW_METHOD_LABELS.items())}
REASON_DOC = {"enum": list(CLOSURE_REASONS), "description": "; ".join(
    f"{k}: {label}" for k, label in CLOSURE_REASON_LABELS.items()) + ". step_up and step_down hand the same plan "
    "to the receiving team: it stays open."}


class ChildViewSchema(BaseSchema):
    child_id = fields.UUID(required=True)
    method = fields.String(required=True, validate=validate.OneOf(CHILD_VIEW_METHODS), metadata=METHOD_DOC)
    words = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "The child's view in their own words (kept exactly as given, never edited). Encrypted at rest.",
        max_length=MAX_WORDS))
    reason = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "Why the child's view could not be had: required with method not_had.", max_length=MAX_WORDS))
    confidential = StrictBoolean(load_default=False, metadata={"description": (
        "Confidential to this child: in the family's own view only that young person sees it (no parent or carer, "
        "no other child). Staff still see it. Default false.")})


class ScoreSchema(BaseSchema):
    goal_id = fields.UUID(required=True)
    score = fields.Integer(required=True, strict=True, metadata={
        "minimum": 0, "maximum": 10, "description": "Distance travelled: 0 the worst it has been, 10 goal met."})


class AttendeeField(fields.Field):
    """Who attended: text ('Morgan (mum)'), or an object naming someone the service knows."""

    KEYS = ("person_id", "user_id", "agency_id")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            if len(value) > MAX_ATTENDEE:
                raise ValidationError(f"Enter {MAX_ATTENDEE} characters or fewer")
            return value
        if not isinstance(value, dict) or set(value) - {*self.KEYS, "name", "role"}:
            raise ValidationError("Enter a name, or an object with person_id, user_id, agency_id or name, and role")
        out = {}
        for key in self.KEYS:
            if value.get(key) is not None:
                try:
                    out[key] = uuid.UUID(str(value[key]))
                except ValueError:
                    raise ValidationError(f"{key} is not an id") from None
        for key in ("name", "role"):
            if value.get(key) is not None:
                if not isinstance(value[key], str) or len(value[key]) > MAX_ATTENDEE:
                    raise ValidationError(f"{key}: enter text of {MAX_ATTENDEE} characters or fewer")
                out[key] = value[key]
        if not any(k in out for k in (*self.KEYS, "name")):
            raise ValidationError("Name the person: person_id, user_id, agency_id or name")
        return out


ATTENDEE_DOC = {"oneOf": [
    {"type": "string", "maxLength": MAX_ATTENDEE},
    {"type": "object", "additionalProperties": False, "properties": {
        "person_id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
        "agency_id": {"type": "string", "format": "uuid"}, "name": {"type": "string", "maxLength": MAX_ATTENDEE},
        "role": {"type": "string", "maxLength": MAX_ATTENDEE}}},
]}


class ReviewRequestSchema(BaseSchema):
    held_on = fields.Date(required=True)
    attendees = fields.List(AttendeeField(metadata=ATTENDEE_DOC), required=True, metadata={
        "description": "Who attended: names and roles as text, e.g. 'Morgan (mum)', or objects naming a person of "
                       "the family, a practitioner or an agency, e.g. {\"person_id\": …, \"role\": \"mum\"}."})
    family_view = fields.String(required=True, metadata=text_doc("What the family said. Encrypted at rest.",
                                                                 not_blank=True, max_length=MAX_TEXT))
    child_views = fields.List(fields.Nested(ChildViewSchema), required=True, metadata={
        "description": "One for each child of the family: their words, or why their view could not be had."})
    progress = fields.List(fields.Nested(ScoreSchema), required=True, metadata={
        "description": "A score for every goal of the plan."})
    decisions = fields.String(load_default=None, allow_none=True, metadata=text_doc(max_length=MAX_TEXT))
    next_review_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "After held_on and at most the local review interval (REVIEW_INTERVAL_WEEKS, default 6 "
                       "weeks) later; default: that interval after held_on."})


class IdResponseSchema(BaseSchema):
    id = fields.UUID(required=True)


class OutcomeSchema(BaseSchema):
    goal_id = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(GOAL_OUTCOMES), metadata={
        "enum": list(GOAL_OUTCOMES)})


class CloseRequestSchema(BaseSchema):
    closed_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(CLOSURE_REASONS), metadata=REASON_DOC)
    reason_text = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "Why: required with reason other.", max_length=MAX_TEXT))
    goals = fields.List(fields.Nested(OutcomeSchema), load_default=list, metadata={
        "description": "Each goal's outcome: every goal when the plan closes; optional for step_up and step_down."})
    feedback_sought = StrictBoolean(required=True, metadata={"description": "Was the family's feedback sought?"})


class ClosureResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True, metadata={"description": "The same plan throughout: never a new one."})
    closed_on = fields.Date(required=True)
    reason = fields.String(required=True, metadata={"enum": list(CLOSURE_REASONS)})
    handover = StrictBoolean(required=True, metadata={"description": "A step-up or step-down: the plan carries on."})
    status = fields.String(required=True, metadata={"enum": [s.value for s in PlanStatus],
                                                    "description": "The plan's status now."})
    goals = fields.List(fields.Nested(OutcomeSchema), required=True)
    feedback_sought = StrictBoolean(required=True)
    reopened_within_12_months = StrictBoolean(allow_none=True, required=True, metadata={
        "description": "Set when the plan is re-opened: true within 12 months of this closure."})


class ReopenRequestSchema(BaseSchema):
    reason = fields.String(required=True, metadata=text_doc("Why the plan is re-opening.", not_blank=True,
                                                            max_length=MAX_TEXT))


class FeedbackRequestSchema(BaseSchema):
    from_person_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The family member or child who gave it; null for the family as a whole."})
    said = fields.String(required=True, metadata=text_doc("You said: in their words. Encrypted at rest.",
                                                          not_blank=True, max_length=MAX_TEXT))
    received_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "Default: today."})


class FeedbackResponseRequestSchema(BaseSchema):
    we_did = fields.String(required=True, metadata=text_doc("We did: what the team did about it.", not_blank=True,
                                                            max_length=MAX_TEXT))


class FeedbackResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    received_on = fields.Date(required=True)
    answered_on = fields.Date(allow_none=True, required=True)


class AttendeeSchema(BaseSchema):
    name = fields.String(required=True, metadata=text_doc(not_blank=True, max_length=MAX_ATTENDEE))
    relationship = fields.String(required=True, metadata=text_doc(
        "How they are related to the child, e.g. aunt, family friend.", not_blank=True, max_length=MAX_ATTENDEE))


class FgdmRequestSchema(BaseSchema):
    offered_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "Required unless exempt."})
    offered_to_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The parent or carer it was offered to (a person of the family): required unless exempt."})
    exempt = StrictBoolean(load_default=False, metadata={
        "description": "An offer would not be in the child's best interests (s.31ZA): give exemption_reason."})
    exemption_reason = fields.String(load_default=None, allow_none=True, metadata=text_doc(max_length=MAX_TEXT))
    response = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["accepted", "declined"]))
    response_by_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "Who accepted or declined it: required with response."})
    meeting_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "Once accepted."})
    attendees = fields.List(fields.Nested(AttendeeSchema), load_default=list, metadata={
        "description": "The family network at the meeting, each with their relationship to the child."})
    child_attended = StrictBoolean(load_default=None, allow_none=True)
    family_plan = fields.String(load_default=None, allow_none=True, metadata=text_doc(
        "The family's own plan, attached to the family plan. Encrypted at rest.", max_length=MAX_TEXT))


class MeasuresQuerySchema(BaseSchema):
    from_ = fields.Date(data_key="from", required=True, metadata={"description": "First day of the period"})
    to = fields.Date(required=True, metadata={"description": "Last day of the period (inclusive)"})


class _Reviews(BaseSchema):
    held = fields.Integer(required=True)
    on_time = fields.Integer(required=True)
    percent_on_time = fields.Float(allow_none=True, required=True)
    every_child_heard = fields.Integer(required=True)
    percent_every_child_heard = fields.Float(allow_none=True, required=True)


class _Closures(BaseSchema):
    total = fields.Integer(required=True)
    by_reason = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class _Goals(BaseSchema):
    with_outcome = fields.Integer(required=True)
    met = fields.Integer(required=True)
    percent_met = fields.Float(allow_none=True, required=True)


class _Feedback(BaseSchema):
    given = fields.Integer(required=True)
    answered_in_time = fields.Integer(required=True)
    percent_answered_in_time = fields.Float(allow_none=True, required=True)


class _Definition(BaseSchema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    definition = fields.String(required=True)


class MeasuresResponseSchema(BaseSchema):
    from_ = fields.Date(data_key="from", attribute="from", required=True)
    to = fields.Date(required=True)
    reviews = fields.Nested(_Reviews, required=True)
    closures = fields.Nested(_Closures, required=True)
    goals = fields.Nested(_Goals, required=True)
    feedback = fields.Nested(_Feedback, required=True)
    definitions = fields.List(fields.Nested(_Definition), required=True)
