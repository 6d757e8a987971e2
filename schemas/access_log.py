"""The family's access log: every disclosure of its record — when, to whom, which sections, on what authority."""
from __future__ import annotations

from marshmallow import fields

from .base import BaseSchema, StrictBoolean, UtcDateTime
from .disclosures import DisclosureResponseSchema


class AuthoritySchema(BaseSchema):
    kind = fields.String(metadata={"description": "consent or disclosure"})
    id = fields.String()
    lawful_basis = fields.String(allow_none=True)
    sections = fields.List(fields.String())


class AccessEntrySchema(BaseSchema):
    at = UtcDateTime()
    agency_id = fields.String(allow_none=True)
    agency_name = fields.String()
    user_id = fields.String(allow_none=True)
    user_name = fields.String(allow_none=True)
    api_key_id = fields.String(allow_none=True)
    api_key_name = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    sections = fields.List(fields.String())
    authorities = fields.List(fields.Nested(AuthoritySchema))
    withheld_from_family = StrictBoolean()
    fact = fields.String(allow_none=True, metadata={
        "enum": ["known", "referral_details", None],
        "description": "A fact disclosed instead of sections: `known` is another team asking whether the child "
                       "is known here (told which team and a contact, nothing of the record); "
                       "`referral_details` is a receiving team reading the people behind a referral (`details`), "
                       "under the authorities listed"})
    details = fields.List(fields.String(metadata={"enum": ["date_of_birth", "parents", "address"]}), metadata={
        "description": "For `referral_details`: which of the child's date of birth, the parents and carers and the "
                       "family's address were read"})


class AccessLogResponseSchema(BaseSchema):
    family_id = fields.UUID()
    items = fields.List(fields.Nested(AccessEntrySchema), attribute="entries", metadata={
        "description": "Every time the record was shown outside the case-holding agency, newest first"})
    disclosures = fields.List(fields.Nested(DisclosureResponseSchema), metadata={
        "description": "The safeguarding decisions to share without consent, whether or not yet read"})
