"""Forms for referrals and transitions (issue 4): making a referral, the receiving team's decision, moving a
referral to its next stage and closing it. They parse input; services.referrals holds the rules and answers
with field errors, which the views place on these fields.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from coordination.domain.referrals import Urgency

from .forms import DatePartsField, ServiceForm
from .forms_returns import closure_field
from .forms_sharing import multi, radios

URGENCY_LABELS = {Urgency.ROUTINE.value: "Routine", Urgency.URGENT.value: "Urgent",
                  Urgency.VERY_URGENT.value: "Very urgent"}
DECISION_LABELS = {"accept": "Accept the referral", "decline": "Decline the referral"}
LINK_LABELS = {
    "step_up": ("Step up to children's social care", "Stepped up from"),
    "step_down": ("Step down to early help", "Stepped down from"),
    "transition": ("Refer on to another service (transition)", "Moved on from"),
    "parallel": ("Refer to another service alongside this one", "Alongside"),
}
# Where each kind of linked referral goes by default (the practitioner may choose another pathway).
LINK_PATHWAYS = {"step_up": "social_care", "step_down": "early_help"}
MAX_REASON = 10_000


class ReferralForm(ServiceForm):
    child_id = radios("Which child is being referred?")
    pathway = radios("Which service are you referring to?")
    to_agency_id = SelectField("Which team will receive the referral?", widget=GovSelect(), choices=[],
                               validate_choice=False)
    urgency = radios("How urgent is it?")
    reason = TextAreaField("Why are you making this referral?", widget=GovTextArea(),
                           description="What the receiving team needs to know. For a step-up or step-down, "
                                       "include the handover: what has been tried and who the family knows",
                           validators=[Length(max=MAX_REASON, message=f"Enter {MAX_REASON:,} characters or fewer")])
    received_on = DatePartsField("Date the referral was received",
                                 description="Today, unless it came by phone on an earlier day. For example, "
                                             "27 3 2026")
    sections_shared = multi("Which parts of the assessment should the team read?",
                            "They see only what the family's consent (or a safeguarding disclosure) covers")
    linked_from_id = HiddenField()
    link_kind = HiddenField()
    idempotency_key = HiddenField()


class DecisionForm(ServiceForm):
    decision = radios("What is your decision?")
    reason = TextAreaField("Reason for the decision", widget=GovTextArea(),
                           validators=[Length(max=MAX_REASON, message=f"Enter {MAX_REASON:,} characters or fewer")])
    signposted_to = StringField("If you decline, where was the family signposted?", widget=GovTextInput(),
                                description="For example, a named voluntary sector service",
                                validators=[Length(max=200, message="Enter 200 characters or fewer")])


class RedirectForm(ServiceForm):
    """Its own field names: it shares the referral page with the decision form (ids are unique on a page)."""

    redirect_to = SelectField("Which team should receive it?", widget=GovSelect(), choices=[], validate_choice=False,
                               description="Only teams that receive referrals for this service are offered")
    redirect_reason = TextAreaField("Why is it going to that team?", widget=GovTextArea(),
                           description="Both teams will see this. The family is not asked again",
                           validators=[Length(max=MAX_REASON, message=f"Enter {MAX_REASON:,} characters or fewer")])


class StageForm(ServiceForm):
    to_stage = radios("Which stage is the referral moving to?")
    note = TextAreaField("Note (optional)", widget=GovTextArea(),
                         validators=[Length(max=MAX_REASON, message=f"Enter {MAX_REASON:,} characters or fewer")])


class CloseForm(ServiceForm):
    outcome = StringField("Outcome", widget=GovTextInput(),
                          description="A short outcome, for example goals met, stepped up or moved away",
                          validators=[InputRequired("Enter the outcome"),
                                      Length(max=40, message="Enter 40 characters or fewer")])
    # Shown for referrals to children's social care only (the CIN census's ReasonForClosure).
    reason_for_closure = closure_field()
    note = TextAreaField("Closing note (optional)", widget=GovTextArea(),
                         validators=[Length(max=MAX_REASON, message=f"Enter {MAX_REASON:,} characters or fewer")])
