"""People of a family (add, correct with If-Match, left the household) and how to reach them (contact details,
addresses with their move history, other professionals involved)."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.contacts import LIMITS

from .base import BaseSchema, StrictBoolean, text_doc
from .families import NAME, PersonRequestSchema, PersonResponseSchema


def _text(name: str, description: str, *, required: bool = False) -> fields.String:
    """Contact text: the service checks blanks and lengths (422 with its own words); the document says so."""
    if required:
        return fields.String(required=True, metadata=text_doc(description, not_blank=True,
                                                              max_length=LIMITS[name]))
    return fields.String(load_default=None, allow_none=True, metadata=text_doc(description,
                                                                                max_length=LIMITS[name]))


class PersonAddRequestSchema(PersonRequestSchema):
    confirm_new = StrictBoolean(load_default=False, metadata={
        "description": "Add them even though a likely duplicate was found (after a 409)."})


class PersonPatchRequestSchema(BaseSchema):
    """Only the fields sent are changed; `null` clears a date of birth, NHS number or UPN."""

    given_name = fields.String(validate=NAME, metadata=text_doc(not_blank=True))
    family_name = fields.String(validate=NAME, metadata=text_doc(not_blank=True))
    date_of_birth = fields.Date(allow_none=True)
    nhs_number = fields.String(allow_none=True, validate=validate.Length(max=20), metadata={"example": "943 476 5919"})
    upn = fields.String(allow_none=True, validate=validate.Length(max=20), metadata={"example": "H801200001001"})
    reason = _text("reason", "Why the record is corrected, e.g. 'Name misspelt at referral'. In the audit trail: "
                   "write no personal details in it.", required=True)
    confirm_new = StrictBoolean(load_default=False, metadata={
        "description": "Save even though the corrected person matches someone else you may see (after a 409)."})


class PersonLeftRequestSchema(BaseSchema):
    left_on = fields.Date(required=True, metadata={"description": "Today or earlier; not before they were born."})
    reason = _text("reason", "Why they left, e.g. 'Moved to live with their father'. Encrypted at rest.",
                   required=True)


class ContactRequestSchema(BaseSchema):
    """The person's contact details as a whole: a field left out or null is cleared."""

    phone = _text("phone", "A UK or international telephone number.")
    email = _text("email", "An email address.")
    language = _text("language", "The language they prefer, e.g. Polish, British Sign Language.")
    interpreter_needed = StrictBoolean(load_default=None, allow_none=True, metadata={
        "description": "true needs a language."})
    gp_practice = _text("gp_practice", "The name of their GP practice.")
    school_name = _text("school_name", "The school or setting they attend.")
    school_urn = fields.String(load_default=None, allow_none=True, metadata={
        "description": "The school's unique reference number: 6 digits.", "example": "123456"})


class ContactResponseSchema(BaseSchema):
    person_id = fields.UUID(required=True)
    version = fields.Integer(required=True, metadata={"description": "The person's version after the change."})
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    interpreter_needed = StrictBoolean(allow_none=True)
    gp_practice = fields.String(allow_none=True)
    school_name = fields.String(allow_none=True)
    school_urn = fields.String(allow_none=True)


class AddressRequestSchema(BaseSchema):
    person_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "One person of the family who lives apart; left out: the whole household."})
    line_1 = _text("line_1", "First line of the address.", required=True)
    line_2 = _text("line_2", "Second line of the address.")
    town = _text("town", "Town or city.", required=True)
    postcode = fields.String(required=True, metadata={"example": "EM1 4AB"})
    moved_in_on = fields.Date(required=True, metadata={
        "description": "The day they moved in; the address they lived at before is closed on this day."})


class AddressResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    person_id = fields.UUID(allow_none=True)
    line_1 = fields.String(required=True)
    line_2 = fields.String(allow_none=True)
    town = fields.String(required=True)
    postcode = fields.String(required=True)
    moved_in_on = fields.Date(required=True)
    moved_out_on = fields.Date(allow_none=True, metadata={"description": "null: the current address."})


class ProfessionalRequestSchema(BaseSchema):
    person_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The person they work with; left out: the whole household."})
    name = _text("name", "Their name.", required=True)
    role = _text("role", "Their role, e.g. health visitor.", required=True)
    organisation = _text("organisation", "Where they work.", required=True)
    contact = _text("contact", "How to reach them: a phone number or email address.")


class ProfessionalResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    person_id = fields.UUID(allow_none=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    organisation = fields.String(required=True)
    contact = fields.String(allow_none=True)
    ended_on = fields.Date(allow_none=True, metadata={"description": "No longer involved from this day."})


class HouseholdResponseSchema(BaseSchema):
    family_id = fields.UUID(required=True)
    reference = fields.String(required=True)
    people = fields.List(fields.Nested(PersonResponseSchema), required=True, metadata={
        "description": "Everyone, including those who left the household (left_on)."})
    contacts = fields.List(fields.Nested(ContactResponseSchema), required=True)
    addresses = fields.List(fields.Nested(AddressResponseSchema), required=True, metadata={
        "description": "Newest move first."})
    professionals = fields.List(fields.Nested(ProfessionalResponseSchema), required=True)
