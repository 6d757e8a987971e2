"""The working_day table: one row a day, `working_index` = working days since a fixed epoch.

Because the index counts from a fixed epoch (not from the first row), any range can be filled at any time
and working days between two dates are always index(end) − index(start) — the same answer as
WorkingCalendar.working_days_between, in SQL.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from coordination.domain.calendar import WorkingCalendar
from coordination.models import WorkingDay

EPOCH = dt.date(2000, 1, 3)


def ensure_range(session: Session, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> int:
    """Insert the missing days of [first, last]; returns how many were added. One COUNT when complete."""
    first = max(first, EPOCH)
    wanted = (last - first).days + 1
    if wanted <= 0:
        return 0
    have = session.execute(
        select(func.count()).select_from(WorkingDay).where(WorkingDay.day.between(first, last))
    ).scalar_one()
    if have == wanted:
        return 0
    existing = set(session.execute(select(WorkingDay.day).where(WorkingDay.day.between(first, last))).scalars())
    index = calendar.working_days_between(EPOCH, first)
    rows = []
    day = first
    while day <= last:
        working = calendar.is_working_day(day)
        if working and day != first:
            index += 1
        if day not in existing:
            rows.append({"day": day, "is_working": working, "working_index": index})
        day += dt.timedelta(days=1)
    for start in range(0, len(rows), 5000):
        session.execute(insert(WorkingDay), rows[start:start + 5000])
    session.flush()
    return len(rows)
