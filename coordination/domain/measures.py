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

from dataclasses import dataclass


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
