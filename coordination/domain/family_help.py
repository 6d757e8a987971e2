"""Family Help: reviews, closure, "you said, we did" feedback and family group decision-making (docs/domain.md,
"Family Help: reviews, closure and feedback"). Pure rules; the services apply them.

- The first team-around-the-family review is due by the early help pathway's plan clock (`taf_review` in
  pathways.toml, "Plan to first team around the family review", a local target, 6 weeks by default), counted
  from the day the plan's first goal was set: the plan is the family's, not a referral's, so its start is the
  plan's own. After each review the next is due on the date the team set (`next_review_on`), at most the local
  review interval later (REVIEW_INTERVAL_WEEKS, 4 to 12, default 6), or that interval after the review.
- A review is on time when held on or before the due date in force when it was held.
- Each child's view is recorded in their own words (as a voice entry: never edited), or why it could not be had.
- Progress on every goal on a 0–10 scale ("distance travelled": 0 the worst it has been, 10 the goal met).
- Closure: a step-up or step-down hands the same plan to the receiving team (the plan stays open, its goals and
  id unchanged); any other reason closes it, with each goal's outcome. Re-opening within 12 months is flagged.
- Feedback is answered within 20 working days of being given (the service's one working-day calendar).
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .calendar import WorkingCalendar, add_calendar
from .pathways import default_pathways
from .sections import VOICE_METHOD_LABELS, VoiceMethod

REVIEW_WEEKS_DEFAULT = 6
REVIEW_WEEKS_RANGE = (4, 12)
FIRST_REVIEW_CLOCK = ("early_help", "taf_review")
SCORE_RANGE = (0, 10)
FEEDBACK_WORKING_DAYS = 20
REOPEN_FLAG_MONTHS = 12
MAX_WORDS = 5_000
MAX_TEXT = 5_000
MAX_ATTENDEES = 40
MAX_ATTENDEE = 200
NOT_HAD = "not_had"  # a child's view could not be had: a reason instead of words
# A baby under one may be left out of a review's child views: they are recorded as not had, for this reason.
BABY_MONTHS = 12
BABY_REASON = "A baby under one: no view in words to record at this review"

CHILD_VIEW_METHODS: tuple[str, ...] = (*(m.value for m in VoiceMethod), NOT_HAD)
CHILD_VIEW_METHOD_LABELS: dict[str, str] = {**{m.value: label for m, label in VOICE_METHOD_LABELS.items()},
                                           NOT_HAD: "Their view could not be had"}


class ClosureReason(StrEnum):
    NEEDS_MET = "needs_met"
    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    FAMILY_WITHDREW = "family_withdrew"
    MOVED_AWAY = "moved_away"
    OTHER = "other"


CLOSURE_REASON_LABELS: dict[str, str] = {
    ClosureReason.NEEDS_MET: "Needs met",
    ClosureReason.STEP_UP: "Step-up to children's social care",
    ClosureReason.STEP_DOWN: "Step-down to universal or community support",
    ClosureReason.FAMILY_WITHDREW: "The family withdrew consent to work together",
    ClosureReason.MOVED_AWAY: "Moved away",
    ClosureReason.OTHER: "Another reason",
}
CLOSURE_REASONS: tuple[str, ...] = tuple(r.value for r in ClosureReason)
HANDOVER_REASONS = frozenset({ClosureReason.STEP_UP.value, ClosureReason.STEP_DOWN.value})


class GoalOutcome(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


GOAL_OUTCOME_LABELS: dict[str, str] = {GoalOutcome.MET: "Met", GoalOutcome.PARTLY_MET: "Partly met",
                                       GoalOutcome.NOT_MET: "Not met"}
GOAL_OUTCOMES: tuple[str, ...] = tuple(o.value for o in GoalOutcome)


def check_review_weeks(weeks: int) -> int:
    low, high = REVIEW_WEEKS_RANGE
    if not low <= weeks <= high:
        raise ValueError(f"the review interval must be {low} to {high} weeks, not {weeks}")
    return weeks


def first_review_due(plan_started_on: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """The early help pathway's plan clock, counted from the day the plan's first goal was set."""
    pathway, clock = FIRST_REVIEW_CLOCK
    limit = default_pathways()[pathway].clock(clock).limit_for("*")
    due = limit.due(dt.datetime.combine(plan_started_on, dt.time(12)), calendar or WorkingCalendar())
    return due.date() if isinstance(due, dt.datetime) else due


def next_review_due(held_on: dt.date, next_review_on: dt.date | None, weeks: int) -> dt.date:
    """The date the team set, or the review interval after the review."""
    return next_review_on or add_calendar(held_on, weeks=weeks)


def next_review_problem(held_on: dt.date | None, next_review_on: dt.date | None, weeks: int) -> str | None:
    if next_review_on is None or held_on is None:
        return None
    if next_review_on <= held_on:
        return "The next review must be after this one"
    if next_review_on > add_calendar(held_on, weeks=weeks):
        return f"The next review must be within {weeks} weeks of this one"
    return None


def held_on_time(held_on: dt.date, due_on: dt.date | None) -> bool:
    return due_on is None or held_on <= due_on


def score_problem(score: object) -> str | None:
    low, high = SCORE_RANGE
    if not isinstance(score, int) or isinstance(score, bool) or not low <= score <= high:
        return f"Enter a score from {low} to {high}"
    return None


def child_view_problems(method: str | None, words: str | None, reason: str | None) -> dict[str, str]:
    """A child's view: how it was had and their words, or why it could not be had."""
    problems: dict[str, str] = {}
    if method not in CHILD_VIEW_METHODS:
        problems["method"] = "Choose how the child's view was had, or that it could not be had"
    elif method == NOT_HAD:
        if not (reason or "").strip():
            problems["reason"] = "Enter why the child's view could not be had"
    elif not (words or "").strip():
        problems["words"] = "Enter the child's view in their own words"
    for key, value in (("words", words), ("reason", reason)):
        if value and len(value) > MAX_WORDS:
            problems[key] = f"Enter {MAX_WORDS:,} characters or fewer"
    return problems


def is_handover(reason: str) -> bool:
    """A step-up or step-down: the receiving team carries the same plan on."""
    return reason in HANDOVER_REASONS


def reopened_within_flag(closed_on: dt.date, reopened_on: dt.date) -> bool:
    return reopened_on <= add_calendar(closed_on, months=REOPEN_FLAG_MONTHS)


def feedback_due(received_on: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or WorkingCalendar()).add_working_days(received_on, FEEDBACK_WORKING_DAYS)


def answered_in_time(received_on: dt.date, answered_on: dt.date | None,
                     calendar: WorkingCalendar | None = None) -> bool:
    return answered_on is not None and answered_on <= feedback_due(received_on, calendar)
