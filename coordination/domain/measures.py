"""Timeliness measures: each written once, here, as data. The dashboard, the CSV, the API and the tests
all read these definitions; the SQL in repositories/metrics.py computes them.

A measure is a pathway clock (domain/pathways.toml) counted over a period:
- completed in the period: clocks whose stop event fell between `from` and `to` (inclusive);
- within target: of those, stopped on or before their due date;
- days: stopped − started, in the clock's own unit (working days via the working_day table, using the
  day-0 convention of domain/calendar.py; calendar days otherwise; hours for hour clocks);
- median and 90th percentile: nearest-rank on the completed clocks;
- open and overdue: started on or before `to`, not stopped by `to`, and due before `to`.
`excluding_exceptions` repeats the figures leaving out clocks with an allowed exception (the EHC 20-week
measure is reported both ways, as SEN2 may count it either way).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import WorkingCalendar
from .family_help import CLOSURE_REASONS, GoalOutcome, answered_in_time


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    pathway: str
    clock: str
    statutory_return: str | None = None   # SEN2, CIN census, NHS CYPMH …
    report_exceptions: bool = False


STATUTORY_MEASURES: tuple[Measure, ...] = (
    Measure("ehc_final_plan_20_weeks", "EHC plans issued within 20 weeks", "ehc_needs_assessment", "final_plan",
            "SEN2", report_exceptions=True),
    Measure("ehc_decision_6_weeks", "Decisions whether to assess within 6 weeks", "ehc_needs_assessment",
            "decision_to_assess", "SEN2"),
    Measure("cin_decision_1_working_day", "Referral decisions within 1 working day", "social_care", "decision",
            "CIN census"),
    Measure("cin_assessment_45_working_days", "Assessments within 45 working days", "social_care", "assessment",
            "CIN census"),
    Measure("early_help_decision", "Early help decisions within the local target", "early_help", "decision"),
    Measure("early_help_assessment", "Early help assessments within 45 working days", "early_help", "assessment"),
    Measure("eating_disorder_treatment", "CYP eating disorder: treatment started within target", "eating_disorder",
            "treatment", "NHS CYP ED access standard"),
    Measure("camhs_first_contact", "CAMHS: first contact within 4 weeks", "camhs", "first_contact",
            "NHS CYPMH (proposed)"),
    Measure("mhst_first_contact", "Mental health support team: first contact within 4 weeks",
            "mental_health_support_team", "first_contact", "NHS CYPMH (proposed)"),
    Measure("crisis_response", "CYP crisis response within target", "camhs_crisis", "response",
            "NHS CYPMH (proposed)"),
    Measure("autism_assessment_start", "Autism assessment started within 3 months", "neurodevelopmental",
            "assessment_start", "NICE QS51"),
)

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0–4", 0, 4), ("5–10", 5, 10), ("11–15", 11, 15), ("16–17", 16, 17), ("18–25", 18, 25),
)

BREAKDOWNS = ("agency", "age_band", "ward", "urgency")

MAX_PERIOD_DAYS = 366 * 5  # the longest period a manager may ask figures or an export for


def period_problem(first: dt.date, last: dt.date) -> str | None:
    """What is wrong with the period `first` to `last` (inclusive), said of its end (`to`), or None."""
    if last < first:
        return "The end of the period must be on or after its start"
    if (last - first).days > MAX_PERIOD_DAYS:
        return "Choose a period of 5 years or less"
    return None


def age_band(age: int | None) -> str:
    if age is None:
        return "Unknown"
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "Unknown"


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage to one decimal place; None when there is nothing to count."""
    return round(100.0 * part / whole, 1) if whole else None


# ---- Family Help (issue 11): the same definitions for the dashboard, the API and the tests ----------------

@dataclass(frozen=True)
class FamilyHelpMeasure:
    key: str
    title: str
    definition: str


FAMILY_HELP_MEASURES: tuple[FamilyHelpMeasure, ...] = (
    FamilyHelpMeasure("reviews_on_time", "Reviews held on time",
                      "Team-around-the-family reviews held in the period on or before the day they were due."),
    FamilyHelpMeasure("reviews_every_child_heard", "Reviews with every child's view recorded",
                      "Reviews held in the period where each child's view is in their own words (none 'could "
                      "not be had')."),
    FamilyHelpMeasure("closures_by_reason", "Closures by reason",
                      "Plans closed or handed over (step-up, step-down) in the period, by reason."),
    FamilyHelpMeasure("goals_met_at_closure", "Goals met at closure",
                      "Of the goals given an outcome when a plan closed in the period (not a step-up or "
                      "step-down, where the plan carries on), those met."),
    FamilyHelpMeasure("feedback_answered_in_time", "Feedback answered within 20 working days",
                      "Feedback given in the period and answered ('we did') within 20 working days of being "
                      "given, on the service's working-day calendar."),
)


@dataclass(frozen=True)
class ReviewFact:
    on_time: bool
    every_child_heard: bool


@dataclass(frozen=True)
class ClosureFact:
    reason: str
    handover: bool
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackFact:
    received_on: dt.date
    answered_on: dt.date | None


def family_help_figures(reviews: list[ReviewFact], closures: list[ClosureFact], feedback: list[FeedbackFact],
                        calendar: WorkingCalendar | None = None) -> dict:
    """Every Family Help measure over the facts of one period (see FAMILY_HELP_MEASURES)."""
    on_time = sum(r.on_time for r in reviews)
    heard = sum(r.every_child_heard for r in reviews)
    outcomes = [o for c in closures if not c.handover for o in c.outcomes]
    met = sum(o == GoalOutcome.MET for o in outcomes)
    answered = sum(answered_in_time(f.received_on, f.answered_on, calendar) for f in feedback)
    return {
        "reviews": {"held": len(reviews), "on_time": on_time, "percent_on_time": percent(on_time, len(reviews)),
                    "every_child_heard": heard, "percent_every_child_heard": percent(heard, len(reviews))},
        "closures": {"total": len(closures),
                     "by_reason": {reason: sum(c.reason == reason for c in closures) for reason in CLOSURE_REASONS}},
        "goals": {"with_outcome": len(outcomes), "met": met, "percent_met": percent(met, len(outcomes))},
        "feedback": {"given": len(feedback), "answered_in_time": answered,
                     "percent_answered_in_time": percent(answered, len(feedback))},
    }
