"""How a person or household is reached and who else is involved: addresses (with the dates a household moved
in and out), phone, email, preferred language and interpreter need, GP practice, school (with its URN), other
professionals. The limits and formats here are the one rule for the API and the web forms (docs/domain.md,
"People and contacts"); the messages follow the GOV.UK Design System's wording.
"""
from __future__ import annotations

import datetime as dt
import re

# Characters in each piece of contact text.
LIMITS: dict[str, int] = {
    "line_1": 100, "line_2": 100, "town": 60, "postcode": 10, "phone": 20, "email": 254, "language": 60,
    "gp_practice": 120, "school_name": 120, "school_urn": 6, "name": 120, "role": 80, "organisation": 120,
    "contact": 200, "reason": 500,
}
EARLIEST_MOVE = dt.date(1900, 1, 1)

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")
_URN = re.compile(r"^[0-9]{6}$")

POSTCODE_MESSAGE = "Enter a real postcode, like EM1 4AB"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
URN_MESSAGE = "Enter the school's unique reference number (URN): 6 digits, like 123456"


def clean_postcode(value: str) -> str:
    """Upper case, with one space before the last three characters: "em14ab" → "EM1 4AB"."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_problem(value: str | None) -> str | None:
    if not (value or "").strip():
        return "Enter a postcode"
    return None if _POSTCODE.match(clean_postcode(value or "")) else POSTCODE_MESSAGE


def email_problem(value: str | None) -> str | None:
    return None if not value or _EMAIL.match(value.strip()) else EMAIL_MESSAGE


def phone_problem(value: str | None) -> str | None:
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    return None if _PHONE.match(value.strip()) and 7 <= digits <= 15 else PHONE_MESSAGE


def urn_problem(value: str | None) -> str | None:
    return None if not value or _URN.match(value.strip()) else URN_MESSAGE


def moved_in_problem(moved_in_on: dt.date | None, today: dt.date) -> str | None:
    if moved_in_on is None:
        return "Enter the date they moved in"
    if moved_in_on > today:
        return "The date they moved in must be today or in the past"
    if moved_in_on < EARLIEST_MOVE:
        return "The date they moved in must be in 1900 or later"
    return None


def interpreter_text(needed: bool | None) -> str:
    return {True: "Interpreter needed", False: "No interpreter needed"}.get(needed, "Not recorded")  # type: ignore[arg-type]
