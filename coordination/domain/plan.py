"""Family Help: the lead practitioner, the team around the family and the one family plan (docs/domain.md,
"Family Help: lead, team and plan").

- One plan per family, like the one assessment; its `version` counts every change (lead, team, goal, action).
- Goals are in the family's own words and name one of the ten Supporting Families headline outcomes.
- Actions have an owner (an agency, a named practitioner or a family member), a due date and a status;
  dropping an action needs a reason.
- The lead practitioner may be staff of any agency; a change of lead needs a reason.
- Who works on the plan: staff of the agency holding the case, and the lead practitioner whichever agency they
  are in. Anyone else (a member agency too) reads it only through the disclosure engine (`family_plan`).
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .actors import Actor, ActorKind, Role
from .calendar import EARLIEST_DAY

PLAN_SECTION = "family_plan"  # the section key a consent or disclosure must cover for a partner to read the plan


class OutcomeArea(StrEnum):
    """The Supporting Families 2022–25 headline outcomes (stable keys)."""

    EDUCATION = "education"
    EARLY_YEARS = "early_years"
    HEALTH = "health"
    SUBSTANCE_USE = "substance_use"
    FAMILY_RELATIONSHIPS = "family_relationships"
    ABUSE_EXPLOITATION = "abuse_exploitation"
    CRIME = "crime"
    DOMESTIC_ABUSE = "domestic_abuse"
    HOUSING = "housing"
    FINANCIAL_STABILITY = "financial_stability"


OUTCOME_AREA_LABELS: dict[str, str] = {
    OutcomeArea.EDUCATION: "Getting a good education",
    OutcomeArea.EARLY_YEARS: "Good early years development",
    OutcomeArea.HEALTH: "Improved mental and physical health",
    OutcomeArea.SUBSTANCE_USE: "Promoting recovery and reducing harm from substance use",
    OutcomeArea.FAMILY_RELATIONSHIPS: "Improved family relationships",
    OutcomeArea.ABUSE_EXPLOITATION: "Children safe from abuse and exploitation",
    OutcomeArea.CRIME: "Crime prevention and tackling crime",
    OutcomeArea.DOMESTIC_ABUSE: "Safe from domestic abuse",
    OutcomeArea.HOUSING: "Secure housing",
    OutcomeArea.FINANCIAL_STABILITY: "Financial stability",
}
OUTCOME_AREAS: tuple[str, ...] = tuple(a.value for a in OutcomeArea)


class PlanStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # set by closure (domain.family_help: any reason but a step-up or step-down)


class GoalStatus(StrEnum):
    """A goal is open while the plan runs; closure records each goal's outcome (met, partly met, not met)."""

    OPEN = "open"


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


ACTION_STATUS_LABELS: dict[str, str] = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}
ACTION_STATUSES: tuple[str, ...] = tuple(s.value for s in ActionStatus)


class OwnerKind(StrEnum):
    AGENCY = "agency"
    PRACTITIONER = "practitioner"
    FAMILY_MEMBER = "family_member"


class ChangeKind(StrEnum):
    """What one plan version changed (the plan's history, `plan_change.kind`)."""

    LEAD_CHANGED = "lead_changed"
    MEMBER_ADDED = "member_added"
    MEMBER_LEFT = "member_left"
    GOAL_ADDED = "goal_added"
    ACTION_ADDED = "action_added"
    ACTION_STATUS = "action_status"
    REVIEW_HELD = "review_held"
    CLOSED = "closed"
    STEPPED_UP = "stepped_up"  # the plan carries on, unchanged, with the receiving team
    STEPPED_DOWN = "stepped_down"
    REOPENED = "reopened"
    FGDM = "fgdm"  # family group decision-making recorded (the family's own plan attached)


MAX_GOAL_TITLE = 500
MAX_ACTION_DESCRIPTION = 2_000
MAX_REASON = 2_000
MAX_ROLE = 100
# An action is due within this many years of the day it is set (a typing slip like 2062 is refused).
MAX_DUE_YEARS = 3
LEAD_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER})


def may_lead(role: str | None) -> bool:
    """Practitioners and managers of any agency may be a family's lead practitioner (admins read no cases)."""
    return role in LEAD_ROLES


def is_lead(actor: Actor, lead_user_id: object) -> bool:
    """The actor is the family's lead practitioner (a staff user in a lead role)."""
    return (actor.kind == ActorKind.USER and actor.user_id is not None and actor.user_id == lead_user_id
            and may_lead(actor.role))


def owner_problem(agency_id: object, user_id: object, person_id: object) -> str | None:
    """An action has exactly one owner: an agency, a named practitioner or a family member."""
    given = sum(x is not None for x in (agency_id, user_id, person_id))
    if given == 0:
        return "Choose who will do it: an agency, a practitioner or a family member"
    if given > 1:
        return "Choose one owner: an agency, a practitioner or a family member"
    return None


def member_problem(agency_id: object, user_id: object, person_id: object) -> str | None:
    """A team member is one agency, one member of staff or one person in the family or its network."""
    given = sum(x is not None for x in (agency_id, user_id, person_id))
    if given != 1:
        return "Choose one member: an agency, a practitioner or a person in the family's network"
    return None


def due_problem(due_on: dt.date | None, today: dt.date) -> str | None:
    if due_on is None:
        return "Enter the date it is due"
    if due_on > today + dt.timedelta(days=366 * MAX_DUE_YEARS):
        return f"The date it is due must be within {MAX_DUE_YEARS} years"
    if due_on < EARLIEST_DAY:
        return "The date it is due must be after 1 January 2000"
    return None


def status_problem(status: str, reason: str | None) -> dict[str, str]:
    """Problems by field with an action's new status: known, and a reason when dropped."""
    problems: dict[str, str] = {}
    if status not in ACTION_STATUSES:
        problems["status"] = "Select the action's status"
    elif status == ActionStatus.DROPPED and not (reason or "").strip():
        problems["reason"] = "Enter why the action was dropped"
    if reason and len(reason) > MAX_REASON:
        problems["reason"] = f"Enter {MAX_REASON:,} characters or fewer"
    return problems
