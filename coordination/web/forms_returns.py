"""Forms for the statutory returns' data: a child's census details, a social care referral's, and the census year
of the returns page. The choices are the DfE's codes with their words (domain/cin_census.py); the services check."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField

from coordination.domain import cin_census as census

from .forms import ServiceForm, ServiceSubForm, text


def _labelled(codes: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, f"{label} ({code})") for code, label in codes.items()]


class ChildCensusForm(ServiceForm):
    sex = RadioField("Sex, as the census records it", widget=GovRadioInput(), validate_choice=False,
                     choices=_labelled(census.SEX))
    ethnicity = SelectField("Ethnicity", widget=GovSelect(), validate_choice=False,
                            description="As the child or their family describe it",
                            choices=[("", "Not recorded yet")] + _labelled(census.ETHNICITY))
    disabilities = SelectMultipleField("Disabilities", widget=GovCheckboxesInput(), validate_choice=False,
                                       description="Select all that apply, or 'No disability'",
                                       choices=_labelled(census.DISABILITY))
    upn_unknown = SelectField("If there is no UPN, why not?", widget=GovSelect(), validate_choice=False,
                              description="Leave this as it is when the child's UPN is recorded",
                              choices=[("", "The child has a UPN")] + _labelled(census.UPN_UNKNOWN))
    former_upn = text("Former UPN (optional)", "A UPN the child had before, like H801200001001")
    uln = text("Unique Learner Number (optional)", "10 digits, for a young person in further education or training")
    version = HiddenField()


class ReferralCensusForm(ServiceForm):
    primary_need = SelectField("Primary need", widget=GovSelect(), validate_choice=False,
                               description="The main reason the child needs children's social care services",
                               choices=[("", "Not recorded yet")] + _labelled(census.PRIMARY_NEED))
    assessment_factors = SelectMultipleField("Factors identified at the assessment", widget=GovCheckboxesInput(),
                                             validate_choice=False,
                                             description="Select all that apply once the assessment is authorised",
                                             choices=_labelled(census.ASSESSMENT_FACTORS))
    reason_for_closure = RadioField("Reason for closure", widget=GovRadioInput(), validate_choice=False,
                                    description=census.CLOSURE_HINT, choices=_labelled(census.REASON_FOR_CLOSURE))


def closure_field() -> RadioField:
    return RadioField("Reason for closure (children in need census)", widget=GovRadioInput(), validate_choice=False,
                      description=census.CLOSURE_HINT, choices=_labelled(census.REASON_FOR_CLOSURE))


class CensusYearForm(ServiceSubForm):
    year = StringField("Census year ending 31 March", widget=GovTextInput(),
                       description="For example, 2026 for 1 April 2025 to 31 March 2026")
