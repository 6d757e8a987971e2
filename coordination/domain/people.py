"""Facts about people that several rules need: a person's age on a given day."""
from __future__ import annotations

import datetime as dt


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years completed on `day` (a child born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
