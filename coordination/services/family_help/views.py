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

    @property
    def may_change(self) -> bool:
        return self.reader in ("case_holder", "lead_practitioner")
