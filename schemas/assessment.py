"""The one family-led assessment: its sections, a section save, and a section's history."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.assessment_status import AssessmentState, SectionStatus
from coordination.domain.sections import SECTION_KEYS, Sensitivity

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

SENSITIVITIES = [s.value for s in Sensitivity]
SECTION_STATUSES = [s.value for s in SectionStatus]
STATES = [s.value for s in AssessmentState]
CASE_HOLDER = "Staff of the agency holding the case only; partners never get this field."
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
    # The case holder's view adds the section's status (a partner's response is unchanged: these are absent).
    status = fields.String(metadata={"enum": SECTION_STATUSES, "description": "not_started (nothing written), "
                                     "in_progress or completed (marked complete; a later save makes it in_progress "
                                     "again). " + CASE_HOLDER})
    required = StrictBoolean(metadata={"description": "Must be completed before the family agrees the "
                                                       "assessment. " + CASE_HOLDER})
    completed_at = UtcDateTime(allow_none=True, metadata={"description": CASE_HOLDER})
    completed_by = fields.UUID(allow_none=True, metadata={"description": "The staff user who marked it complete. "
                                                                         + CASE_HOLDER})


class AgreementSchema(BaseSchema):
    agreed_on = fields.Date(required=True, metadata={"description": "The day the family agreed the assessment."})
    agreed_by = fields.UUID(required=True, allow_none=True,
                            metadata={"description": "The person in the family who agreed it (a parent or carer, "
                                                     "or a young person aged 13 or over)."})
    recorded_at = UtcDateTime(allow_none=True)
    recorded_by = fields.UUID(allow_none=True, metadata={"description": "The staff user who recorded it."})


class SignOffSchema(BaseSchema):
    signed_off_at = UtcDateTime(required=True)
    signed_off_by = fields.UUID(required=True, allow_none=True, metadata={"description": "The manager."})
    changed_at = UtcDateTime(required=True, allow_none=True, metadata={
        "description": "When a section first changed after this sign-off; null while the sign-off stands."})


STATE_DESCRIPTION = ("Where the assessment has got to: not_started, in_progress, "
             "ready_to_agree (every required section completed), agreed (with the family; waiting for a manager), "
             "signed_off, or changed_since_sign_off (a section changed after the sign-off: complete it, agree it "
             "with the family and sign it off again).")
STATE_DOC = {"enum": STATES, "description": STATE_DESCRIPTION}
AGREEMENT_DOC = {"description": "The family's current agreement; null until agreed, and again when a section "
                 "changes after it."}
SIGN_OFF_DOC = {"description": "The latest manager's sign-off; null until the first. Kept when the assessment "
                "changes afterwards (`changed_at` says when)."}


class AssessmentResponseSchema(BaseSchema):
    family_id = fields.UUID(required=True)
    status = fields.String(required=True, metadata={"description": "The stored record status (in_progress). "
                                                    "Staff of the agency holding the case: see `state`."})
    sections = fields.List(fields.Nested(SectionResponseSchema), required=True)
    state = fields.String(metadata={"enum": STATES, "description": STATE_DESCRIPTION + " " + CASE_HOLDER})
    agreement = fields.Nested(AgreementSchema, allow_none=True, metadata={
        "description": AGREEMENT_DOC["description"] + " " + CASE_HOLDER})
    sign_off = fields.Nested(SignOffSchema, allow_none=True, metadata={
        "description": SIGN_OFF_DOC["description"] + " " + CASE_HOLDER})


class SectionStatusSchema(BaseSchema):
    key = fields.String(required=True, metadata=KEY_DOC)
    title = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": SECTION_STATUSES})
    required = StrictBoolean(required=True)
    completed_at = UtcDateTime(required=True, allow_none=True)
    completed_by = fields.UUID(required=True, allow_none=True)


class AssessmentStatusResponseSchema(BaseSchema):
    """Where the assessment has got to, without its content."""

    family_id = fields.UUID(required=True)
    state = fields.String(required=True, metadata=STATE_DOC)
    sections = fields.List(fields.Nested(SectionStatusSchema), required=True)
    agreement = fields.Nested(AgreementSchema, required=True, allow_none=True, metadata=AGREEMENT_DOC)
    sign_off = fields.Nested(SignOffSchema, required=True, allow_none=True, metadata=SIGN_OFF_DOC)


class SectionStatusRequestSchema(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf([SectionStatus.COMPLETED,
                                                                   SectionStatus.IN_PROGRESS]),
                           metadata={"enum": [SectionStatus.COMPLETED.value, SectionStatus.IN_PROGRESS.value]})


class AgreementRequestSchema(BaseSchema):
    agreed_by = fields.UUID(required=True, metadata={
        "description": "A person of the family: a parent or carer, or a young person aged 13 or over on the day."})
    agreed_on = fields.Date(required=True, metadata={"description": "Not in the future."})


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
