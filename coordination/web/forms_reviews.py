"""Family Help forms around the plan: a review (one view per child and one score per goal, so the form is built
for the family), closing or handing over the plan, re-opening it, feedback and its answer, and family group
decision-making. The services hold the rules; these parse what was typed and put each service error on its field."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField

from coordination.domain.family_help import (
    CHILD_VIEW_METHOD_LABELS,
    CLOSURE_REASON_LABELS,
    GOAL_OUTCOME_LABELS,
)
from coordination.domain.identifiers import uuid_or_none
from coordination.services.family_help.views import GoalView
from coordination.services.views import PersonView

from .forms import DatePartsField, ServiceForm
from .forms_plan import YES_NO


def _radios(label: str, choices) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), choices=list(choices), validate_choice=False)


class ReviewBase(ServiceForm):
    held_on = DatePartsField("When was the review held?", description="For example, 27 3 2026")
    attendees = TextAreaField("Who attended?", widget=GovTextArea(),
                              description="One person a line, with their role, for example \u201cMorgan (mum)\u201d.")
    family_view = TextAreaField("What did the family say?", widget=GovTextArea(), description="In their own words.")
    decisions = TextAreaField("What was decided? (optional)", widget=GovTextArea())
    next_review_on = DatePartsField("When is the next review? (optional)",
                                    description="Within the review interval. Leave blank for the usual interval.")


def review_form(children: list[PersonView], goals: list[GoalView]) -> ReviewBase:
    """The review form for this family: how each child's view was had, their words or why not; each goal's score."""
    class ReviewForm(ReviewBase):
        pass

    for i, child in enumerate(children):
        name = child.given_name
        setattr(ReviewForm, f"method_{i}", _radios(f"How was {name}'s view had?", CHILD_VIEW_METHOD_LABELS.items()))
        setattr(ReviewForm, f"words_{i}", TextAreaField(
            f"{name}'s view, in their own words", widget=GovTextArea(),
            description="Exactly as given. It cannot be changed once the review is recorded."))
        setattr(ReviewForm, f"reason_{i}", TextAreaField(f"Why could {name}'s view not be had?",
                                                         widget=GovTextArea()))
        setattr(ReviewForm, f"confidential_{i}", BooleanField(
            f"Confidential to {name}: do not show {name}'s view to their parents or carers, or the other children, "
            "in the family's own view", widget=GovCheckboxInput()))
    for i, _goal in enumerate(goals):
        setattr(ReviewForm, f"score_{i}", StringField(
            f"Goal {i + 1}: progress from 0 to 10", widget=GovTextInput(),
            description="0 is the worst it has been, 10 is the goal met."))
    return ReviewForm()


def _score(raw: str | None) -> int | str | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else (raw or None)


def review_answers(form: ReviewBase, children: list[PersonView], goals: list[GoalView]) -> dict:
    views = []
    for i, child in enumerate(children):
        method = form[f"method_{i}"].data
        views.append({"child_id": child.id, "method": method, "words": form[f"words_{i}"].data or None,
                      "reason": form[f"reason_{i}"].data or None, "confidential": bool(form[f"confidential_{i}"].data)})
    return {"held_on": form.held_on.data,
            "attendees": [line.strip() for line in (form.attendees.data or "").splitlines() if line.strip()],
            "family_view": form.family_view.data or "", "decisions": form.decisions.data or None,
            "next_review_on": form.next_review_on.data, "child_views": views,
            "progress": [{"goal_id": g.id, "score": _score(form[f"score_{i}"].data)} for i, g in enumerate(goals)]}


def review_fields(form: ReviewBase, children: list[PersonView], goals: list[GoalView]) -> dict[str, Field]:
    """Where each of the service's error keys lands on the form."""
    fields: dict[str, Field] = {"held_on": form.held_on, "attendees": form.attendees,
                                "family_view": form.family_view, "decisions": form.decisions,
                                "next_review_on": form.next_review_on}
    for i in range(len(children)):
        fields |= {f"child_views.{i}.method": form[f"method_{i}"], f"child_views.{i}.words": form[f"words_{i}"],
                   f"child_views.{i}.reason": form[f"reason_{i}"], f"child_views.{i}.child_id": form[f"method_{i}"]}
    if children:
        fields["child_views"] = form["method_0"]
    for i in range(len(goals)):
        fields |= {f"progress.{i}.score": form[f"score_{i}"], f"progress.{i}.goal_id": form[f"score_{i}"]}
    if goals:
        fields["progress"] = form["score_0"]
    return fields


class CloseBase(ServiceForm):
    closed_on = DatePartsField("When did the plan close?", description="For example, 27 3 2026")
    reason = _radios("Why is the plan closing?", CLOSURE_REASON_LABELS.items())
    reason_text = TextAreaField("Say why", widget=GovTextArea(), description="Needed for another reason.")
    feedback_sought = _radios("Was the family's feedback sought?", YES_NO)


def close_form(goals: list[GoalView]) -> CloseBase:
    class CloseForm(CloseBase):
        pass

    for i, _goal in enumerate(goals):
        setattr(CloseForm, f"outcome_{i}", _radios(f"Goal {i + 1}: outcome", GOAL_OUTCOME_LABELS.items()))
    return CloseForm()


def close_answers(form: CloseBase, goals: list[GoalView]) -> dict:
    outcomes = [{"goal_id": g.id, "outcome": form[f"outcome_{i}"].data} for i, g in enumerate(goals)
                if form[f"outcome_{i}"].data]
    return {"closed_on": form.closed_on.data, "reason": form.reason.data or "",
            "reason_text": form.reason_text.data or None, "goals": outcomes,
            "feedback_sought": form.feedback_sought.data == "yes"}


def close_fields(form: CloseBase, goals: list[GoalView]) -> dict[str, Field]:
    fields: dict[str, Field] = {"closed_on": form.closed_on, "reason": form.reason,
                                "reason_text": form.reason_text, "feedback_sought": form.feedback_sought}
    given = [i for i in range(len(goals)) if form[f"outcome_{i}"].data]
    for n, i in enumerate(given):
        fields |= {f"goals.{n}.outcome": form[f"outcome_{i}"], f"goals.{n}.goal_id": form[f"outcome_{i}"]}
    missing = [i for i in range(len(goals)) if not form[f"outcome_{i}"].data]
    if missing:
        fields["goals"] = form[f"outcome_{missing[0]}"]
    return fields


class ReopenForm(ServiceForm):
    reason = TextAreaField("Why is the plan re-opening?", widget=GovTextArea())


class FeedbackForm(ServiceForm):
    from_person_id = SelectField("Who gave it?", widget=GovSelect(), choices=[], validate_choice=False)
    said = TextAreaField("What did they say?", widget=GovTextArea(), description="You said: in their own words.")


class ResponseForm(ServiceForm):
    we_did = TextAreaField("What did the team do about it?", widget=GovTextArea(), description="We did.")


class FgdmForm(ServiceForm):
    exempt = _radios("Would an offer be in the child's best interests?",
                     [("no", "Yes, offer a meeting"), ("yes", "No: record why not")])
    exemption_reason = TextAreaField("Why would an offer not be in the child's best interests?",
                                     widget=GovTextArea())
    offered_on = DatePartsField("When was the meeting offered?", description="For example, 27 3 2026")
    offered_to_id = SelectField("Which parent or carer was it offered to?", widget=GovSelect(), choices=[],
                                validate_choice=False)
    response = _radios("Was it accepted?", [("", "Not yet answered"), ("accepted", "Accepted"),
                                            ("declined", "Declined")])
    response_by_id = SelectField("Who accepted or declined it?", widget=GovSelect(), choices=[],
                                 validate_choice=False)
    meeting_on = DatePartsField("When was the meeting held? (optional)", description="For example, 27 3 2026")
    attendees = TextAreaField("Who of the family network came? (optional)", widget=GovTextArea(),
                              description="One a line: name, then relationship to the child after a comma, "
                                          "for example \u201cJo, aunt\u201d.")
    child_attended = _radios("Did the child attend? (optional)", [("", "Not recorded"), *YES_NO])
    family_plan = TextAreaField("The family's own plan (optional)", widget=GovTextArea(),
                                description="As the family wrote it. It is attached to the family plan.")

    def answers(self) -> dict:
        people = []
        for line in (self.attendees.data or "").splitlines():
            if line.strip():
                name, _, relationship = line.partition(",")
                people.append({"name": name.strip(), "relationship": relationship.strip()})
        return {"exempt": self.exempt.data == "yes", "exemption_reason": self.exemption_reason.data or None,
                "offered_on": self.offered_on.data, "offered_to_id": uuid_or_none(self.offered_to_id.data),
                "response": self.response.data or None, "response_by_id": uuid_or_none(self.response_by_id.data),
                "meeting_on": self.meeting_on.data, "attendees": people,
                "child_attended": {"yes": True, "no": False}.get(self.child_attended.data or ""),
                "family_plan": self.family_plan.data or None}

    def fields(self) -> dict[str, Field]:
        return {name: self[name] for name in ("exemption_reason", "offered_on", "offered_to_id", "response",
                                              "response_by_id", "meeting_on", "attendees", "family_plan")}


def person_choices(people: list[PersonView], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(p.id), p.full_name) for p in people]
