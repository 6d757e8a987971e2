"""Where the one assessment has got to: each section's status, the agreement with the family and the manager's
sign-off (docs/domain.md, "Assessment status"). Pure rules; services/assessment_status.py applies them.

The rule for changes after completion, agreement or sign-off (`after_change`): completion, agreement and sign-off
are about the text as it was. So saving a completed section makes it in progress again; a change to any section
(a save, or a section marked in progress) after the family agreed sets the agreement aside (they agree again);
after a manager's sign-off the assessment is "changed since sign-off" until a manager signs it off again, which
needs every required section completed and a fresh agreement. The earlier sign-off stays on record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .people import age_on
from .sections import OPTIONAL_SECTIONS, PersonRole

# A young person may agree the assessment for themself from 13 (as for the family's own access).
YOUNG_PERSON_AGREES_FROM = 13


class SectionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


SECTION_STATUS_LABELS = {SectionStatus.NOT_STARTED: "Not started", SectionStatus.IN_PROGRESS: "In progress",
                         SectionStatus.COMPLETED: "Completed"}


class AssessmentState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY_TO_AGREE = "ready_to_agree"          # every required section completed
    AGREED = "agreed"                          # agreed with the family, waiting for a manager's sign-off
    SIGNED_OFF = "signed_off"
    CHANGED_SINCE_SIGN_OFF = "changed_since_sign_off"


STATE_LABELS = {
    AssessmentState.NOT_STARTED: "Not started",
    AssessmentState.IN_PROGRESS: "In progress",
    AssessmentState.READY_TO_AGREE: "Ready to agree with the family",
    AssessmentState.AGREED: "Agreed with the family, waiting for sign-off",
    AssessmentState.SIGNED_OFF: "Signed off",
    AssessmentState.CHANGED_SINCE_SIGN_OFF: "Changed since sign-off",
}


def is_required(key: str) -> bool:
    return key not in OPTIONAL_SECTIONS


def section_status(version: int, completed: bool) -> SectionStatus:
    if completed:
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS if version > 0 else SectionStatus.NOT_STARTED


def outstanding(statuses: Mapping[str, SectionStatus]) -> list[str]:
    """The required sections not yet completed, in the order given."""
    return [k for k, s in statuses.items() if is_required(k) and s != SectionStatus.COMPLETED]


def assessment_state(statuses: Mapping[str, SectionStatus], *, agreed: bool, signed_off: bool,
                     changed_since_sign_off: bool) -> AssessmentState:
    if signed_off:
        return AssessmentState.CHANGED_SINCE_SIGN_OFF if changed_since_sign_off else AssessmentState.SIGNED_OFF
    if agreed:
        return AssessmentState.AGREED
    if not outstanding(statuses):
        return AssessmentState.READY_TO_AGREE
    if all(s == SectionStatus.NOT_STARTED for s in statuses.values()):
        return AssessmentState.NOT_STARTED
    return AssessmentState.IN_PROGRESS


@dataclass(frozen=True)
class AfterChange:
    """What a change to a section undoes (the module docstring's rule)."""

    reopen_section: bool
    set_aside_agreement: bool
    changed_since_sign_off: bool


def after_change(*, section_completed: bool, agreed: bool, signed_off: bool,
                 already_changed_since_sign_off: bool) -> AfterChange:
    return AfterChange(reopen_section=section_completed, set_aside_agreement=agreed,
                       changed_since_sign_off=signed_off and not already_changed_since_sign_off)


def may_agree_for_family(role: str, date_of_birth: dt.date | None, on: dt.date, in_household: bool) -> bool:
    """A parent or carer (with parental responsibility), or a young person (a child of the family aged 13 or
    over on the day), still in the household."""
    if not in_household:
        return False
    if role == PersonRole.PARENT_CARER:
        return True
    return (role == PersonRole.CHILD and date_of_birth is not None
            and age_on(date_of_birth, on) >= YOUNG_PERSON_AGREES_FROM)


def agreement_date_problem(agreed_on: dt.date | None, today: dt.date, started_on: dt.date) -> str | None:
    if agreed_on is None:
        return "Enter the date the family agreed the assessment"
    if agreed_on > today:
        return "The date the family agreed must be today or in the past"
    if agreed_on < started_on:
        return f"The date the family agreed must be on or after {started_on.day} {started_on:%B %Y}, when the " \
               "assessment began"
    return None
