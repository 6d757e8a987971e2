"""Plain read models of Family Help (decrypted, for the actor who asked)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.domain.plan import ACTION_STATUS_LABELS, OUTCOME_AREA_LABELS
from coordination.services.views import FamilyView


@dataclass
class LeadView:
    user_id: uuid.UUID | None
    agency_id: uuid.UUID | None
    chosen_with_family: bool | None
    name: str | None = None
    agency_name: str | None = None


@dataclass
class HandoverView:
    id: uuid.UUID
    from_user_id: uuid.UUID | None
    to_user_id: uuid.UUID
    to_agency_id: uuid.UUID
    chosen_with_family: bool
    reason: str | None
    handed_over_at: dt.datetime
    recorded_by: uuid.UUID | None


@dataclass
class OwnerView:
    agency_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    name: str | None = None  # for the pages: the agency's, practitioner's or family member's name


@dataclass
class MemberView:
    id: uuid.UUID
    agency_id: uuid.UUID | None
    user_id: uuid.UUID | None
    person_id: uuid.UUID | None
    role: str
    joined_on: dt.date
    left_on: dt.date | None
    name: str | None = None
    # For an agency or a member of staff: may their agency read the plan now (held case, lead, or the engine)?
    sees_plan: bool | None = None

    @property
    def current(self) -> bool:
        return self.left_on is None


@dataclass
class ActionView:
    id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    owner: OwnerView
    due_on: dt.date
    status: str
    status_reason: str | None
    owned_by_caller: bool = False

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS.get(self.status, self.status)


@dataclass
class GoalView:
    id: uuid.UUID
    title: str
    outcome_area: str
    status: str
    actions: list[ActionView] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)  # [{review_id, score}]: reviews (the next slice)

    @property
    def outcome_area_label(self) -> str:
        return OUTCOME_AREA_LABELS.get(self.outcome_area, self.outcome_area)


@dataclass
class PlanView:
    family_id: uuid.UUID
    reference: str
    version: int
    status: str
    lead: LeadView
    team: list[MemberView]
    goals: list[GoalView]
    next_review_due_on: dt.date | None = None
    # Who is reading: "case_holder" or "lead_practitioner" (may change it), or "disclosure" (read-only, the engine)
    reader: str = "disclosure"
    family: FamilyView | None = None  # the family and its people, for those who work on the plan only
    updated_at: dt.datetime | None = None
    reviews: list[ReviewView] = field(default_factory=list)  # for those who work on the plan
    closures: list[ClosureView] = field(default_factory=list)

    @property
    def may_change(self) -> bool:
        return self.reader in ("case_holder", "lead_practitioner")


@dataclass
class ChildView:
    child_id: uuid.UUID
    method: str
    words: str | None
    reason: str | None
    name: str | None = None
    confidential: bool = False  # kept to this child in the family's own view


@dataclass
class ReviewView:
    id: uuid.UUID
    held_on: dt.date
    due_on: dt.date | None
    on_time: bool
    every_child_heard: bool
    attendees: list[str]
    family_view: str
    child_views: list[ChildView]
    progress: list[dict]  # [{goal_id, score}]
    decisions: str | None
    next_review_on: dt.date | None
    recorded_at: dt.datetime | None = None


@dataclass
class ClosureView:
    id: uuid.UUID
    plan_id: uuid.UUID
    closed_on: dt.date
    reason: str
    reason_text: str | None
    feedback_sought: bool
    handover: bool
    status: str  # the plan's status after it: open (a step-up or step-down carries it on) or closed
    goals: list[dict]  # [{goal_id, outcome}]
    reopened_on: dt.date | None = None
    reopened_within_12_months: bool | None = None


@dataclass
class FeedbackView:
    id: uuid.UUID
    family_id: uuid.UUID
    from_person_id: uuid.UUID | None
    said: str
    received_on: dt.date
    we_did: str | None
    answered_on: dt.date | None
    from_name: str | None = None

    @property
    def answered(self) -> bool:
        return self.answered_on is not None


@dataclass
class FgdmView:
    id: uuid.UUID
    offered_on: dt.date | None
    offered_to_id: uuid.UUID | None
    exempt: bool
    exemption_reason: str | None
    response: str | None
    response_by_id: uuid.UUID | None
    meeting_on: dt.date | None
    attendees: list[dict]  # [{name, relationship}]
    child_attended: bool | None
    family_plan: str | None
