"""Family Help forms: the lead practitioner, a team member, a goal, an action and an action's status. The
services hold the rules; these parse what was typed (and put each service error on its field)."""
from __future__ import annotations

import uuid
from collections.abc import Callable

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField

from coordination.domain.identifiers import uuid_or_none
from coordination.domain.plan import ACTION_STATUS_LABELS, OUTCOME_AREA_LABELS, OwnerKind

from .forms import DatePartsField, ServiceForm

YES_NO = [("yes", "Yes"), ("no", "No")]
OWNER_KINDS = [(OwnerKind.AGENCY.value, "An agency"), (OwnerKind.PRACTITIONER.value, "A named practitioner"),
               (OwnerKind.FAMILY_MEMBER.value, "Someone in the family")]
MEMBER_KINDS = [(OwnerKind.AGENCY.value, "An agency"), (OwnerKind.PRACTITIONER.value, "A member of staff"),
                (OwnerKind.FAMILY_MEMBER.value, "Someone in the family or its wider network")]

UNCHOSEN = {OwnerKind.AGENCY.value: ("agency_id", "Choose an agency"),
            OwnerKind.PRACTITIONER.value: ("user_id", "Choose a practitioner"),
            OwnerKind.FAMILY_MEMBER.value: ("person_id", "Choose someone in the family")}


def choose(label: str) -> SelectField:
    return SelectField(label, widget=GovSelect(), choices=[], validate_choice=False)


class LeadForm(ServiceForm):
    user_id = choose("Who is the lead practitioner?")
    chosen_with_family = RadioField("Did the family choose them?", widget=GovRadioInput(), choices=YES_NO,
                                    validate_choice=False)
    reason = TextAreaField("Why is the lead practitioner changing?", widget=GovTextArea(),
                           description="Needed when the lead is someone else. The family's words where you can.")


class OwnerFields(ServiceForm):
    """Who: an agency, a practitioner or a family member (radios, each revealing its own list). Subclasses declare
    the fields, in the order the page asks them: owner_kind, agency_id, user_id, person_id."""

    owner_kind: RadioField
    agency_id: SelectField
    user_id: SelectField
    person_id: SelectField

    def owner(self) -> dict[str, uuid.UUID | None]:
        kind = self.owner_kind.data
        return {"agency_id": uuid_or_none(self.agency_id.data) if kind == OwnerKind.AGENCY else None,
                "user_id": uuid_or_none(self.user_id.data) if kind == OwnerKind.PRACTITIONER else None,
                "person_id": uuid_or_none(self.person_id.data) if kind == OwnerKind.FAMILY_MEMBER else None}

    def unchosen(self, prefix: str = "") -> Callable[[dict[str, list[str]]], dict[str, list[str]]]:
        """The service's "choose one" error, when a kind was chosen but not who, said on that kind's list."""
        def rewrite(errors: dict[str, list[str]]) -> dict[str, list[str]]:
            key, kind = ("owner" if prefix else "member"), self.owner_kind.data
            if key not in errors or kind not in UNCHOSEN:
                return errors
            field, message = UNCHOSEN[kind]
            return {**{k: v for k, v in errors.items() if k != key}, f"{prefix}{field}": [message]}
        return rewrite

    def owner_fields(self, prefix: str = "") -> dict[str, Field]:
        return {"member" if not prefix else "owner": self.owner_kind, f"{prefix}agency_id": self.agency_id,
                f"{prefix}user_id": self.user_id, f"{prefix}person_id": self.person_id}


class MemberForm(OwnerFields):
    owner_kind = RadioField("Who is joining the team?", widget=GovRadioInput(), choices=MEMBER_KINDS,
                            validate_choice=False)
    agency_id = choose("Agency")
    user_id = choose("Member of staff")
    person_id = choose("Person")
    role = StringField("Their role in the team", widget=GovTextInput(),
                       description="For example, class teacher, health visitor or grandmother")


class GoalForm(ServiceForm):
    title = TextAreaField("What does the family want to change?", widget=GovTextArea(),
                          description="In the family's own words, for example \u201cWe want mornings to be calm so "
                                      "Rowan gets to school on time\u201d.")
    outcome_area = RadioField("Which outcome area is it about?", widget=GovRadioInput(), validate_choice=False,
                              choices=list(OUTCOME_AREA_LABELS.items()))


class ActionForm(OwnerFields):
    description = TextAreaField("What will be done?", widget=GovTextArea())
    owner_kind = RadioField("Who will do it?", widget=GovRadioInput(), choices=OWNER_KINDS, validate_choice=False)
    agency_id = choose("Agency")
    user_id = choose("Practitioner")
    person_id = choose("Family member")
    due_on = DatePartsField("When is it due?", description="For example, 27 3 2026")


class StatusForm(ServiceForm):
    status = RadioField("How does the action stand?", widget=GovRadioInput(), validate_choice=False,
                        choices=list(ACTION_STATUS_LABELS.items()))
    reason = TextAreaField("Why was it dropped?", widget=GovTextArea())

