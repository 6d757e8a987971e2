"""An EHC needs assessment request's SEN2 items (GET/PATCH /referrals/{id}/ehc-details) and the query of
GET /returns/sen2. Every code is the DfE's (coordination/domain/sen2.py); the service checks them and the SEN2
rules (422 with its words, by field)."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain import sen2

from .base import BaseSchema, StrictBoolean


def _code(codes: dict[str, str], description: str) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=4), metadata={
        "description": description + ": " + "; ".join(f"{k} {v}" for k, v in codes.items()),
        "enum": [*codes, None]})


def _date(description: str) -> fields.Date:
    return fields.Date(allow_none=True, metadata={"description": description, "example": "2026-03-02"})


def _flag(description: str) -> fields.Boolean:
    return StrictBoolean(allow_none=True, metadata={"description": description})


class Sen2YearQuerySchema(BaseSchema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2015, max=9999), metadata={
        "description": "The year of the January census: 2027 covers 1 January to 31 December 2026 (reference date "
                       "the third Thursday of January 2027)", "example": 2027})


class EhcDetailsRequestSchema(BaseSchema):
    """Only the fields sent change; null clears one. The result as a whole must keep the SEN2 rules."""

    request_by_young_person = _flag("RYA: the young person (16 to 25) made the request themselves")
    request_outcome = _code(sen2.REQUEST_OUTCOME, "RequestOutcome, the decision whether to assess")
    request_outcome_on = _date("RequestOutcomeDate (with Y, N or W)")
    request_mediation = _flag("RequestMediation: mediation about the decision whether to assess")
    request_tribunal = _flag("RequestTribunal: an appeal to the tribunal about it")
    assessment_outcome = _code(sen2.ASSESSMENT_OUTCOME, "AssessmentOutcome, whether a plan is to be issued (only "
                                                        "when the request outcome is Y or H)")
    assessment_outcome_on = _date("AssessmentOutcomeDate (with Y, N or W)")
    plan_start_on = _date("NamedPlan StartDate: the day the plan was issued")
    placement_urn = fields.String(allow_none=True, validate=validate.Length(max=20), metadata={
        "description": "PlanDetail URN: the placement school's 6 digits (or a UKPRN, or an SEN setting)",
        "example": "100001"})
    placement_ukprn = fields.String(allow_none=True, validate=validate.Length(max=20), metadata={
        "description": "PlanDetail UKPRN: the placement college's 8 digits", "example": "10000001"})
    sen_setting = _code(sen2.SEN_SETTING, "PlanDetail SENSetting, when the placement is not a school or college")
    placement_rank = fields.Integer(allow_none=True, strict=False, metadata={
        "description": "PlacementRank: 1 or 2", "enum": [1, 2, None]})
    sen_unit = _flag("SENunitIndicator: the child is placed in the school's SEN unit (only with a placement)")
    resourced_provision = _flag("ResourcedProvisionIndicator: the child is placed in the school's resourced "
                                "provision (only with a placement)")
    placement_entry_on = _date("PlacementDetail EntryDate: the day the child started at the placement")
    plan_ceased_on = _date("CeaseDate: the day the plan ceased")
    cease_reason = _code(sen2.CEASE_REASON, "CeaseReason (with the cease date)")
    sen_needs = fields.List(fields.String(validate=validate.Length(max=4), metadata={"enum": list(sen2.SEN_NEED)}),
                            allow_none=True, validate=validate.Length(max=sen2.MAX_NEEDS), metadata={
        "description": "SENneed, the primary need first (SENtypeRank 1, then 2): " + "; ".join(
            f"{k} {v}" for k, v in sen2.SEN_NEED.items())})
    review_meeting_on = _date("ReviewMeeting: the last annual review meeting")
    review_outcome = _code(sen2.REVIEW_OUTCOME, "ReviewOutcome (with the meeting)")
    last_review_on = _date("LastReview: the day the local authority decided after the review")


class EhcDetailsResponseSchema(BaseSchema):
    referral_id = fields.UUID(required=True)
    received_on = fields.Date(required=True, metadata={"description": "ReceivedDate: the referral's received date"})
    request_by_young_person = StrictBoolean(allow_none=True)
    request_outcome = fields.String(allow_none=True)
    request_outcome_on = fields.Date(allow_none=True)
    request_mediation = StrictBoolean(allow_none=True)
    request_tribunal = StrictBoolean(allow_none=True)
    assessment_outcome = fields.String(allow_none=True)
    assessment_outcome_on = fields.Date(allow_none=True)
    plan_start_on = fields.Date(allow_none=True)
    placement_urn = fields.String(allow_none=True)
    placement_ukprn = fields.String(allow_none=True)
    sen_setting = fields.String(allow_none=True)
    placement_rank = fields.Integer(allow_none=True)
    sen_unit = StrictBoolean(allow_none=True)
    resourced_provision = StrictBoolean(allow_none=True)
    placement_entry_on = fields.Date(allow_none=True)
    plan_ceased_on = fields.Date(allow_none=True)
    cease_reason = fields.String(allow_none=True)
    sen_needs = fields.List(fields.String())
    review_meeting_on = fields.Date(allow_none=True)
    review_outcome = fields.String(allow_none=True)
    last_review_on = fields.Date(allow_none=True)
    week20_exceptions = fields.List(fields.String(), metadata={
        "description": "The reg 10(4) exceptions recorded on the referral (POST /referrals/{id}/exceptions); SEN2's "
                       "Week20 is true when there is one"})
    version = fields.Integer(metadata={"description": "The details' version (0: none recorded); send as If-Match"})
