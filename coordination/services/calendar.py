"""The working_day table the metrics SQL joins: filled from the one WorkingCalendar (domain/calendar.py).

Rows count working days from a fixed epoch (repositories/working_days.py), so any range can be filled at any
time, in any order, and index(end) − index(start) always equals WorkingCalendar.working_days_between. Filling
is idempotent: days already present are left as they are. Services that need the table (metrics) fill their
range lazily; `flask calendar refresh` fills a range ahead of time (e.g. each January for the year after).
"""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import WorkingCalendar
from coordination.errors import Invalid
from coordination.repositories import working_days

MAX_YEARS = 50  # a sane bound: one row a day


def refresh_working_days(uow: UnitOfWork, first: dt.date, last: dt.date, *, actor: Actor | None = None,
                         calendar: WorkingCalendar | None = None) -> int:
    """Make sure every day of [first, last] has its row; returns how many rows were added (0 when complete).

    :raise Invalid: last before first, a range over MAX_YEARS years, or one starting before the table's epoch.
    """
    errors: dict[str, list[str]] = {}
    if last < first:
        errors["last"] = ["The last day must be on or after the first"]
    elif (last - first).days > MAX_YEARS * 366:
        errors["last"] = [f"Fill at most {MAX_YEARS} years at a time"]
    if first < working_days.EPOCH:
        errors["first"] = [f"The table starts on {working_days.EPOCH.isoformat()}"]
    if errors:
        raise Invalid("Check the range", errors)
    added = working_days.ensure_range(uow.session, calendar or WorkingCalendar(), first, last)
    if actor is not None and added:
        uow.audit(actor, "update", "working_day", None, first=first.isoformat(), last=last.isoformat(), added=added)
    return added
