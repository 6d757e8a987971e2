"""The form for an EHC needs assessment request's SEN2 items, and the year of the SEN2 page. The choices are the
DfE's codes with their words (domain/sen2.py); the service checks the codes and the SEN2 rules."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField

from coordination.domain import sen2

from .forms import DatePartsField, ServiceForm, ServiceSubForm, text

YES_NO = [("yes", "Yes"), ("no", "No")]


def _labelled(codes: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, f"{label} ({code})") for code, label in codes.items()]


def _radios(label: str, choices: list[tuple[str, str]], description: str = "") -> RadioField:
    return RadioField(label, widget=GovRadioInput(), validate_choice=False, choices=choices, description=description)


def _select(label: str, codes: dict[str, str], blank: str, description: str = "") -> SelectField:
    return SelectField(label, widget=GovSelect(), validate_choice=False, description=description,
                       choices=[("", blank)] + _labelled(codes))


def _date(label: str, description: str = "For example, 27 3 2026") -> DatePartsField:
    return DatePartsField(label, description=description)


class EhcDetailsForm(ServiceForm):
    request_by_young_person = _radios("Did the young person (aged 16 to 25) make the request themselves?", YES_NO)
    request_outcome = _radios("Decision whether to assess", _labelled(sen2.REQUEST_OUTCOME))
    request_outcome_on = _date("Date of the decision whether to assess")
    request_mediation = _radios("Was there mediation about the decision whether to assess?", YES_NO)
    request_tribunal = _radios("Was there an appeal to the tribunal about it?", YES_NO)
    assessment_outcome = _radios("Decision whether to issue a plan", _labelled(sen2.ASSESSMENT_OUTCOME),
                                 "Only when the decision was to assess")
    assessment_outcome_on = _date("Date of the decision whether to issue a plan")
    plan_start_on = _date("Date the final plan was issued")
    placement_urn = text("School URN", "6 digits, like 100001: for a school")
    placement_ukprn = text("College UKPRN", "8 digits, like 10000001: for a college or other provider")
    sen_setting = _select("Setting, if not a school or college", sen2.SEN_SETTING, "A school or college")
    placement_rank = _radios("Placement rank", [("1", "1 (the main placement)"), ("2", "2 (a second placement)")])
    sen_unit = _radios("Is the child placed in the school's SEN unit?", YES_NO)
    resourced_provision = _radios("Is the child placed in the school's resourced provision?", YES_NO)
    placement_entry_on = _date("Date the child started at this placement")
    plan_ceased_on = _date("Date the plan ceased", "Leave empty while the plan is in place")
    cease_reason = _select("Why the plan ceased", sen2.CEASE_REASON, "The plan has not ceased")
    sen_need_1 = _select("Primary special educational need", sen2.SEN_NEED, "Not recorded yet")
    sen_need_2 = _select("Secondary need (optional)", sen2.SEN_NEED, "None")
    review_meeting_on = _date("Date of the last annual review meeting")
    review_outcome = _radios("Outcome of the review", _labelled(sen2.REVIEW_OUTCOME))
    last_review_on = _date("Date the local authority decided after the review")
    version = HiddenField()


class Sen2YearForm(ServiceSubForm):
    year = StringField("Year of the January census", widget=GovTextInput(),
                       description="For example, 2027 for the census of January 2027, covering 2026")
