"""Facts about people that several rules need: a person as given before they are recorded, a person's age on a
given day, and which dates of birth are plausible (one rule for the API, the web forms and the import).

- Nobody's date of birth is in the future (a baby born today is fine), or before 1 January 1900.
- A first or last name is at most 100 characters (the API, the forms and the import say so the same way).
- A person recorded as a child is under 26 on the day they are recorded: children and young people are
  supported up to 25 (SEND to 25, care leavers 18–25, docs/domain.md); anyone older is a parent, carer or other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class NewPerson:
    """A person as a form, the API or an import file gives them (services.families records them)."""

    role: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    upn: str | None = None

EARLIEST_BIRTH_YEAR = 1900
MAX_NAME = 100  # characters in a first or last name: longer is a paste gone wrong, never a name
CHILD_AGE_LIMIT = 26  # a child's age is below this on the day they are recorded
ROLE_LABELS = {"child": "Child", "parent_carer": "Parent or carer", "other": "Other"}


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years completed on `day` (a child born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def date_of_birth_problem(date_of_birth: dt.date, today: dt.date, *, child: bool) -> str | None:
    """None when plausible on `today` (the day recorded; for history, the day referred); otherwise the
    message to show (GOV.UK wording)."""
    if date_of_birth > today:
        return "Date of birth must be today or in the past"
    if date_of_birth.year < EARLIEST_BIRTH_YEAR:
        return f"Date of birth must be in {EARLIEST_BIRTH_YEAR} or later"
    return child_age_problem(date_of_birth, today) if child else None


def child_age_problem(date_of_birth: dt.date, day: dt.date) -> str | None:
    """None when someone born on `date_of_birth` is still a child (under 26) on `day`."""
    if age_on(date_of_birth, day) >= CHILD_AGE_LIMIT:
        return (f"A child must be under {CHILD_AGE_LIMIT}: record someone aged {CHILD_AGE_LIMIT} or over as a "
                "parent, carer or other")
    return None


def left_on_problem(left_on: dt.date | None, today: dt.date, date_of_birth: dt.date | None) -> str | None:
    """Why a "left the household" date cannot be taken, or None: required, not in the future, not before
    the person was born."""
    if left_on is None:
        return "Enter the date they left the household"
    if left_on > today:
        return "The date they left must be today or in the past"
    if date_of_birth and left_on < date_of_birth:
        return "The date they left must be on or after their date of birth"
    if left_on.year < EARLIEST_BIRTH_YEAR:
        return f"The date they left must be in {EARLIEST_BIRTH_YEAR} or later"
    return None
