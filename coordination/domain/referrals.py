"""The referral lifecycle and its transition rules (pure): one `Lifecycle` the live service and the import use.

Status: submitted → received → accepted | declined; accepted → in_progress (the first stage move) → closed (with
an outcome); declined is final (with a reason and where the family was signposted). Before it is decided, a
referral may be redirected to the right team (it stays received, with the new team). Every change is an event,
and the event decides the status: `Lifecycle.after(status, event)`, `Lifecycle.replay(events)`. The pathway's own
stages (pathways.toml) move independently inside in_progress, each move an `entered:<stage>` event. A referral that
ended (closed or declined) waits for no clock's stop event any longer. Staff may backdate the received date
(referrals arrive by phone) but never into the future; a date without a time is taken as 09:00 England time. A
referral to a pathway within 12 months of the child's last closure on the same pathway is a re-referral.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from .calendar import ENGLAND, add_calendar
from .pathways import Pathway


class Status(StrEnum):
    SUBMITTED = "submitted"      # made, not yet with the receiving team (kept for partner systems)
    RECEIVED = "received"        # waiting for the receiving team's decision
    ACCEPTED = "accepted"        # accepted, still in the pathway's first stage
    DECLINED = "declined"        # final: with a reason and where the family was signposted
    IN_PROGRESS = "in_progress"  # moved on through the pathway's stages
    CLOSED = "closed"            # final: with an outcome


class Decision(StrEnum):
    """The receiving team's answer; each is recorded as two events (Lifecycle.decision_events)."""

    ACCEPT = "accept"
    DECLINE = "decline"


class Event(StrEnum):
    """The kinds of referral event; a stage move is `entered:<stage>`."""

    RECEIVED = "received"
    DECIDED = "decided"    # beside accepted/declined, for the clocks that stop on either
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ENTERED = "entered"
    CLOSED = "closed"
    REDIRECTED = "redirected"  # sent on, undecided, to the right team (the family's wait goes on)


RE_REFERRAL_WINDOW_MONTHS = 12
RECEIVED_HOUR = 9  # a referral dated without a time is taken as received at 09:00 England time that day


class Urgency(StrEnum):
    """How soon the receiving team must answer: a pathway's clock may set a limit per urgency (pathways.toml)."""

    ROUTINE = "routine"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"


class Lifecycle:
    """Which event may happen in which status, and the status it leaves the referral in."""

    MOVES: dict[Event, dict[Status, Status]] = {
        Event.RECEIVED: {Status.SUBMITTED: Status.RECEIVED},
        Event.ACCEPTED: {Status.SUBMITTED: Status.ACCEPTED, Status.RECEIVED: Status.ACCEPTED},
        Event.DECLINED: {Status.SUBMITTED: Status.DECLINED, Status.RECEIVED: Status.DECLINED},
        Event.ENTERED: {Status.ACCEPTED: Status.IN_PROGRESS, Status.IN_PROGRESS: Status.IN_PROGRESS},
        Event.CLOSED: {Status.ACCEPTED: Status.CLOSED, Status.IN_PROGRESS: Status.CLOSED},
        Event.REDIRECTED: {Status.RECEIVED: Status.RECEIVED},
    }
    ENDING = frozenset({Event.CLOSED, Event.DECLINED})  # after either, the referral waits for nothing more

    @staticmethod
    def kind(event: str) -> Event:
        """`entered:assessment` → ENTERED."""
        return Event(event.partition(":")[0])

    @classmethod
    def may(cls, status: Status | str, event: str) -> bool:
        moves = cls.MOVES.get(cls.kind(event))
        return moves is None or Status(status) in moves

    @classmethod
    def after(cls, status: Status | str, event: str) -> Status:
        """The status once `event` happened. :raise ValueError: the event may not happen in this status."""
        moves = cls.MOVES.get(cls.kind(event))
        if moves is None:
            return Status(status)
        if Status(status) not in moves:
            raise ValueError(f"{event} cannot happen to a referral that is {status}")
        return moves[Status(status)]

    @classmethod
    def replay(cls, events: Iterable[str], status: Status = Status.SUBMITTED) -> Status:
        """The status after these events, in order."""
        for event in events:
            status = cls.after(status, event)
        return status

    @classmethod
    def has_ended(cls, events: Iterable[str]) -> bool:
        return any(cls.kind(e) in cls.ENDING for e in events)

    @staticmethod
    def decision_events(decision: Decision | str) -> tuple[Event, Event]:
        return Event.DECIDED, Event.ACCEPTED if decision == Decision.ACCEPT else Event.DECLINED

    @staticmethod
    def stage_event(stage: str) -> str:
        return f"{Event.ENTERED}:{stage}"

    @staticmethod
    def may_enter(pathway: Pathway, current: str, to_stage: str, entered_first: bool) -> bool:
        """A move the pathway allows from `current`; or entering the first stage (where the referral waits)
        explicitly, once, as acceptance may."""
        starting = to_stage == current == pathway.first_stage and not entered_first
        return pathway.can_move(current, to_stage) or starting


STATUS_MOVES: dict[Status, frozenset[Status]] = {
    status: frozenset(moves[status] for moves in Lifecycle.MOVES.values()
                      if status in moves and moves[status] != status)
    for status in Status
}


def may_move(current: Status | str, to: Status | str) -> bool:
    return Status(to) in STATUS_MOVES[Status(current)]


def received_at_on(day: dt.date) -> dt.datetime:
    """The moment (UTC) a referral dated `day` without a time was received: 09:00 England time."""
    return dt.datetime.combine(day, dt.time(RECEIVED_HOUR), tzinfo=ENGLAND).astimezone(dt.UTC)


def received_on_problem(received_on: dt.date, today: dt.date) -> str | None:
    """None when acceptable; otherwise the message to show."""
    if received_on > today:
        return "The date received must be today or in the past"
    if received_on < today - dt.timedelta(days=366 * 2):
        return "The date received must be within the last 2 years"
    return None


def is_re_referral(received_on: dt.date, last_closed_on: dt.date | None) -> bool:
    """Within 12 months of the last closure on the same pathway (docs/domain.md)."""
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
    AgeTransition.CAMHS_TO_ADULT_PLANNING: ("Plan the move from CAMHS to adult mental health services "
                                            "(age 17 and a half)"),
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
