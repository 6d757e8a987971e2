"""Facts about people that several rules need: a person as given before they are recorded, and a person's age
on a given day."""
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


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years completed on `day` (a child born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
