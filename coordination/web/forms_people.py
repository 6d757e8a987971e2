"""Forms for the people of a family and how to reach them. They parse what was typed; the services hold the rules
(domain/people.py, domain/contacts.py) and report every problem at once."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea
from wtforms import HiddenField, RadioField, SelectField, TextAreaField

from coordination.domain.people import ROLE_LABELS

from .forms import DatePartsField, ServiceForm, text

YES_NO = [("yes", "Yes"), ("no", "No")]


# Made before the name fields, so it comes first in the form (and its error summary) where it is used.
ROLE = RadioField("Who are they in the family?", widget=GovRadioInput(), validate_choice=False,
                  choices=list(ROLE_LABELS.items()))


class _IdentityForm(ServiceForm):
    given_name = text("First name")
    family_name = text("Last name")
    date_of_birth = DatePartsField("Date of birth", description="For example, 27 3 2015. Required for a child.")
    nhs_number = text("NHS number (optional)", "10 digits, like 943 476 5919")
    upn = text("Unique pupil number (UPN) (optional)", "A letter then 12 characters, like H801200001001")
    confirm_new = HiddenField()


class PersonForm(_IdentityForm):
    role = ROLE


class CorrectPersonForm(_IdentityForm):
    reason = TextAreaField("Why are you correcting these details?", widget=GovTextArea(),
                           description="For example, misspelt at referral, or the NHS number from the GP's letter. "
                                       "This is kept in the audit trail: do not write personal details here.")
    version = HiddenField()


class LeftForm(ServiceForm):
    left_on = DatePartsField("Date they left the household", description="For example, 3 3 2026")
    reason = TextAreaField("Why did they leave?", widget=GovTextArea(),
                           description="For example, moved to live with their father")


class ContactForm(ServiceForm):
    phone = text("Phone number (optional)", "For international numbers include the country code")
    email = text("Email address (optional)")
    language = text("Preferred language (optional)", "For example, English, Polish, British Sign Language")
    interpreter_needed = RadioField("Do they need an interpreter?", widget=GovRadioInput(), choices=YES_NO,
                                    validate_choice=False)
    gp_practice = text("GP practice (optional)", "The name of the practice, for example Larchfield Surgery")
    school_name = text("School or setting (optional)")
    school_urn = text("School URN (optional)", "The school's unique reference number: 6 digits, like 123456")
    version = HiddenField()


class AddressForm(ServiceForm):
    person_id = SelectField("Who lives here?", widget=GovSelect(), choices=[], validate_choice=False)
    line_1 = text("Address line 1")
    line_2 = text("Address line 2 (optional)")
    town = text("Town or city")
    postcode = text("Postcode")
    moved_in_on = DatePartsField("Date they moved in", description="For example, 1 9 2025. The address they "
                                 "lived at before is kept, as moved out on this day.")


class ProfessionalForm(ServiceForm):
    person_id = SelectField("Who do they work with?", widget=GovSelect(), choices=[], validate_choice=False)
    name = text("Name")
    role = text("Role", "For example, health visitor, housing officer, youth worker")
    organisation = text("Organisation")
    contact = text("Phone or email (optional)")


class EndProfessionalForm(ServiceForm):
    """Only the CSRF token."""
