"""Statutory returns: the query of GET /returns/cin-census (the document itself is XML), and the census details
recorded on a child (GET/PUT /people/{id}/census) and on a social care referral (PUT /referrals/{id}/census).
Every code is the DfE's (coordination/domain/cin_census.py); the service checks them (422 with its words)."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain import cin_census as census

from .base import BaseSchema, StrictBoolean


def _code(codes: dict[str, str], description: str) -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10), metadata={
        "description": description + ": " + "; ".join(f"{k} {v}" for k, v in codes.items()),
        "enum": [*codes, None]})


def _codes(codes: dict[str, str], description: str) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=10), metadata={"enum": list(codes)}),
                       load_default=list, validate=validate.Length(max=len(codes)),
                       metadata={"description": description + ": " + "; ".join(f"{k} {v}" for k, v in codes.items())})


class CensusYearQuerySchema(BaseSchema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2010, max=9999), metadata={
        "description": "The year the census ends in: 2026 is 1 April 2025 to 31 March 2026 (reference date "
                       "31 March 2026)", "example": 2026})


class ChildCensusRequestSchema(BaseSchema):
    """A child's census details as a whole: a field left out or null is cleared."""

    sex = _code(census.SEX, "Sex as the census codes it")
    ethnicity = _code(census.ETHNICITY, "Ethnicity (DfE codes)")
    disabilities = _codes(census.DISABILITY, "Disabilities (NONE on its own for none)")
    upn_unknown = _code(census.UPN_UNKNOWN, "Why there is no UPN (only when none is recorded)")
    former_upn = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20), metadata={
        "description": "A UPN the child had before", "example": "H801200001001"})
    uln = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20), metadata={
        "description": "The Unique Learner Number (10 digits; SEN2 UniqueLearnerNumber)", "example": "1234567890"})


class ChildCensusResponseSchema(BaseSchema):
    person_id = fields.UUID(required=True)
    la_child_id = fields.String(required=True, metadata={
        "description": "The child's LAchildID in the returns: random, at most 20 letters and digits, never reused",
        "example": "C7K2M9Q4XZ1B"})
    sex = fields.String(allow_none=True)
    ethnicity = fields.String(allow_none=True)
    disabilities = fields.List(fields.String())
    upn_unknown = fields.String(allow_none=True)
    former_upn = fields.String(allow_none=True)
    uln = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "The person's version (send as If-Match)"})


class ReferralCensusRequestSchema(BaseSchema):
    primary_need = _code(census.PRIMARY_NEED, "The child's primary need")
    assessment_factors = _codes(census.ASSESSMENT_FACTORS, "Factors identified at assessment (21 on its own for "
                                                           "none)")
    reason_for_closure = _code(census.REASON_FOR_CLOSURE, "A closed referral's reason for closure (left out or null: "
                                                          "unchanged). " + census.CLOSURE_HINT)


class ReferralCensusResponseSchema(BaseSchema):
    referral_id = fields.UUID(required=True)
    primary_need = fields.String(allow_none=True)
    referral_nfa = StrictBoolean(allow_none=True, metadata={
        "description": "The census's ReferralNFA: true when declined (no further action), false when accepted, "
                       "null while undecided"})
    reason_for_closure = fields.String(allow_none=True, metadata={"description": "RC1–RC9, chosen on closing"})
    assessment_factors = fields.List(fields.String())
