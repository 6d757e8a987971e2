"""Referral lifecycle and transition rules (pure).

Status: submitted → received → accepted | declined; accepted → in_progress → closed (with an outcome);
declined is final (with a reason and where the family was signposted). The pathway's own stages (see
pathways.toml) move independently inside in_progress. Staff may backdate the received date (referrals arrive
by phone) but never into the future. A referral to a pathway within 12 months of the child's last closure on
the same pathway is flagged as a re-referral.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .calendar import add_calendar


class Status(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Urgency(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"


class Decision(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


STATUS_MOVES: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.RECEIVED, Status.ACCEPTED, Status.DECLINED}),
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.DECLINED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.CLOSED}),
    Status.DECLINED: frozenset(),
    Status.CLOSED: frozenset(),
}

RE_REFERRAL_WINDOW_MONTHS = 12


def may_move(current: Status | str, to: Status | str) -> bool:
    return Status(to) in STATUS_MOVES[Status(current)]


def received_on_problem(received_on: dt.date, today: dt.date) -> str | None:
    """None when acceptable; otherwise the message to show."""
    if received_on > today:
        return "The date received must be today or in the past"
    if received_on < today - dt.timedelta(days=366 * 2):
        return "The date received must be within the last 2 years"
    return None


def is_re_referral(received_on: dt.date, last_closed_on: dt.date | None) -> bool:
    """Within 12 months of the last closure on the same pathway (DOMAIN.md)."""
    if last_closed_on is None or last_closed_on > received_on:
        return False
    return received_on <= add_calendar(last_closed_on, months=RE_REFERRAL_WINDOW_MONTHS)


class AgeTransition(StrEnum):
    PREPARING_FOR_ADULTHOOD = "preparing_for_adulthood"   # from Year 9 / age 14
    CAMHS_TO_ADULT_PLANNING = "camhs_to_adult_planning"   # from 17½
    ADULT_SERVICES = "adult_services"                     # at 18


AGE_TRANSITIONS: dict[AgeTransition, tuple[int, int]] = {  # (years, extra months)
    AgeTransition.PREPARING_FOR_ADULTHOOD: (14, 0),
    AgeTransition.CAMHS_TO_ADULT_PLANNING: (17, 6),
    AgeTransition.ADULT_SERVICES: (18, 0),
}
AGE_TRANSITION_TITLES = {
    AgeTransition.PREPARING_FOR_ADULTHOOD: "Preparing for adulthood: start planning (age 14, Year 9)",
    AgeTransition.CAMHS_TO_ADULT_PLANNING: "Plan the move from CAMHS to adult mental health services (age 17½)",
    AgeTransition.ADULT_SERVICES: "Transition to adult services (age 18)",
}


def transition_date(date_of_birth: dt.date, transition: AgeTransition) -> dt.date:
    years, months = AGE_TRANSITIONS[transition]
    return add_calendar(date_of_birth, months=years * 12 + months)


def due_transitions(date_of_birth: dt.date, today: dt.date, lead_days: int = 90) -> list[tuple[AgeTransition, dt.date]]:
    """Transitions whose date falls within `lead_days` from today (raised ahead of the age), or has passed
    within the last year and may not yet have a task."""
    due = []
    for transition in AgeTransition:
        when = transition_date(date_of_birth, transition)
        if today - dt.timedelta(days=365) <= when <= today + dt.timedelta(days=lead_days):
            due.append((transition, when))
    return due


def phase_transfer_deadline(transfer_year: int, secondary_to_post16: bool) -> dt.date:
    """SEND reg 18: review and amend by 15 February of the transfer year (31 March for secondary → post-16)."""
    return dt.date(transfer_year, 3, 31) if secondary_to_post16 else dt.date(transfer_year, 2, 15)
