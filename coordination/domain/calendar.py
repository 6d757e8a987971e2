"""Working days: Monday to Friday, less England and Wales bank holidays and local closure days.

Convention (docs/domain.md, stated here, in the dashboard and in the docs): the day a clock starts is day 0,
and "within N working days" means by the end of the Nth working day after it. So a referral received on
a Friday with a 1-working-day limit is due by the end of Monday (Tuesday after a bank holiday Monday).
A clock that starts on a weekend or holiday counts from the next working day the same way: its day 1 is
the first working day after the start date.

Bank holidays come from the `holidays` package (substitute days included: Boxing Day 2026 falls on a
Saturday, so Monday 28 December 2026 is the holiday), so nothing is fetched at run time.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ENGLAND = ZoneInfo("Europe/London")


def england_date(moment: dt.datetime) -> dt.date:
    """The date in England at `moment` (timezone-aware): what \"today\" means to families and staff, and so
    to every \"not in the future\" and due-date rule."""
    return moment.astimezone(ENGLAND).date()


EARLIEST_DAY = dt.date(2000, 1, 1)  # a day the service records something on: not before this


def past_day_problem(day: dt.date | None, today: dt.date, what: str) -> str | None:
    """Why `day` cannot be the day something happened, or None: required, today or in the past, not before
    EARLIEST_DAY. `what` completes "Enter the date …" (the plan closed, the review was held)."""
    if day is None:
        return f"Enter the date {what}"
    if day > today:
        return f"The date {what} must be today or in the past"
    if day < EARLIEST_DAY:
        return f"The date {what} must be after 1 January 2000"
    return None


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


class WorkingCalendar:
    """One calendar for the service, jobs and the metrics table, so every due date agrees."""

    def __init__(self, closures: Iterable[dt.date] = ()):
        self.closures = frozenset(closures)

    def is_bank_holiday(self, day: dt.date) -> bool:
        return day in _bank_holidays(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day) and day not in self.closures

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The Nth working day after `start` (day 0). n=0 gives `start` itself."""
        if n < 0:
            raise ValueError("n must be 0 or more")
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        return sum(1 for day in _days(start + dt.timedelta(days=1), end) if self.is_working_day(day))

    def rows(self, first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, bool, int]]:
        """(date, is working day, working days since `first`) for a calendar table the SQL can join."""
        index = 0
        for day in _days(first, last):
            working = self.is_working_day(day)
            if working and day != first:
                index += 1
            yield day, working, index


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def add_calendar(start: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0) -> dt.date:
    """Calendar arithmetic for statutory clocks in days, weeks or months (month ends clamp: 31 Jan + 1 month
    is 28/29 Feb)."""
    day = start + dt.timedelta(days=days, weeks=weeks)
    if months:
        month_index = day.month - 1 + months
        year, month = day.year + month_index // 12, month_index % 12 + 1
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        day = dt.date(year, month, min(day.day, last))
    return day
