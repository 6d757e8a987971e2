"""Forms for consented sharing, safeguarding disclosures and partner API keys (issue 3).

They parse input only: the consent, safeguarding and key services hold the rules and answer with
field errors, which the views place on these fields.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from coordination.domain.actors import AgencyType
from coordination.domain.consent import LAWFUL_BASES

from .forms import DatePartsField, ServiceForm

AGENCY_TYPE_LABELS = {
    AgencyType.COUNCIL_EARLY_HELP: "Council early help",
    AgencyType.SOCIAL_CARE: "Children's social care",
    AgencyType.SCHOOL: "Schools",
    AgencyType.HEALTH: "Health",
    AgencyType.MENTAL_HEALTH: "Mental health",
    AgencyType.POLICE: "Police",
    AgencyType.VOLUNTARY: "Voluntary sector",
    AgencyType.SEND_SERVICE: "SEND service",
}
CAPACITY_LABELS = {
    "parent_with_pr": "Parent or carer with parental responsibility",
    "young_person": "Young person (16 or over)",
    "competent_child": "Competent child (under 16, competence assessed)",
}
DECISION_LABELS = {"permit": "Yes, share the information", "refuse": "No, do not share it"}
METHOD_LABELS = {"written": "Written", "verbal": "Verbal", "digital": "Digital"}
LAWFUL_BASIS_LABELS = {b.value: f"{t.label} ({t.article})" for b, t in LAWFUL_BASES.items()}
SCOPE_LABELS = {
    "read:assessment": "Read the assessment (only what consent or a disclosure allows)",
    "write:contributions": "Send contributions to the assessment",
    "referrals": "Make and update referrals",
}
# Purpose is kept in the signed session cookie between the questions and the check page: short enough
# that the cookie stays well under browsers' 4 KB limit.
MAX_PURPOSE_IN_FORM = 500


def multi(label: str, description: str = "") -> SelectMultipleField:
    return SelectMultipleField(label, description=description, widget=GovCheckboxesInput(), choices=[],
                               validate_choice=False)


def radios(label: str, description: str = "") -> RadioField:
    return RadioField(label, description=description, widget=GovRadioInput(), choices=[], validate_choice=False)


class ConsentForm(ServiceForm):
    given_by = radios("Who is making this decision?")
    capacity = radios("In what capacity?", "A child under 16 decides for themself only when their competence "
                                           "was assessed")
    competence_assessed_by = SelectField("Who assessed the child's competence? (competent child only)",
                                         widget=GovSelect(), choices=[], validate_choice=False)
    competence_assessed_on = DatePartsField("When was competence assessed? (competent child only)",
                                            description="For example, 27 3 2026")
    decision = radios("What did they decide?")
    sections = multi("Which parts of the assessment?")
    agencies = multi("Which agencies?", "Choose named agencies, types of agency, or both")
    agency_types = multi("Which types of agency?", "Every agency of the type, including ones added later")
    purpose = TextAreaField("What will the information be used for?", widget=GovTextArea(),
                            description="In words the family would recognise",
                            validators=[Length(max=MAX_PURPOSE_IN_FORM,
                                               message=f"Enter {MAX_PURPOSE_IN_FORM} characters or fewer")])
    method = radios("How was the decision given?")
    valid_from = DatePartsField("Consent starts on", description="For example, 27 3 2026")
    expires_on = DatePartsField("Consent expires on", description="The first day it no longer applies. "
                                                                  "Usually 12 months after it starts, and at "
                                                                  "most 24 months unless you say why below")
    extended_reason = TextAreaField("If consent must last longer than 24 months, why? (optional)",
                                    widget=GovTextArea(), description="It can never last more than 5 years",
                                    validators=[Length(max=MAX_PURPOSE_IN_FORM,
                                                       message=f"Enter {MAX_PURPOSE_IN_FORM} characters or fewer")])


class ReasonForm(ServiceForm):
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired("Enter a reason"), Length(max=2_000)])


class DisclosureForm(ServiceForm):
    agency_id = radios("Which agency is the information shared with?")
    sections = multi("Which parts of the assessment?")
    lawful_basis = radios("Lawful basis for sharing without consent",
                          "Special category information is shared under UK GDPR Art 9(2)(g) with DPA 2018 "
                          "Schedule 1 paragraph 18 (safeguarding)")
    justification = TextAreaField("Why must it be shared without consent?", widget=GovTextArea(),
                                  description="Record the risk and why asking for consent is not appropriate")
    expires_on = DatePartsField("Sharing ends on", description="At most 90 days from today. Renew it if "
                                                              "still needed")
    withhold = radios("Would telling the family about this sharing increase the risk?")
    withhold_reason = TextAreaField("Why would telling the family increase the risk?", widget=GovTextArea())


class ApiKeyForm(ServiceForm):
    agency_id = SelectField("Agency", widget=GovSelect(), choices=[], validate_choice=False)
    name = StringField("Name of the key", widget=GovTextInput(), description="For example, the system that uses it",
                       validators=[InputRequired("Enter a name for the key"), Length(max=200)])
    scopes = multi("What may the key do?")
    expires_on = DatePartsField("Expiry date (optional)",
                                description="The key stops working at the start of this day. For example, 1 6 2027")
    # Names this one request, so sending the form again (Back, refresh) does not ask for a second key.
    request_id = HiddenField()


class ExpiryForm(ServiceForm):
    expires_on = DatePartsField("Expiry date", description="The key stops working at the start of this day. "
                                                           "Leave blank for no expiry")


class ConfirmForm(ServiceForm):
    """Only the CSRF token: a confirm button on a check-answers page."""
