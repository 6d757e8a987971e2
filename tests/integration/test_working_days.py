"""The working_day table agrees with WorkingCalendar, however the ranges were filled."""
import datetime as dt

from sqlalchemy import select

from coordination.domain.calendar import WorkingCalendar
from coordination.models import WorkingDay
from coordination.repositories.working_days import ensure_range

CAL = WorkingCalendar()


def test_index_differences_equal_working_days_between_even_when_filled_piecemeal(uow):
    ensure_range(uow.session, CAL, dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    ensure_range(uow.session, CAL, dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert ensure_range(uow.session, CAL, dt.date(2026, 12, 1), dt.date(2027, 1, 31)) == 0  # idempotent
    ensure_range(uow.session, CAL, dt.date(2026, 5, 1), dt.date(2026, 11, 30))
    index = {row.day: row.working_index for row in uow.session.execute(select(WorkingDay)).scalars()}
    days = sorted(index)
    for start in days[::17]:
        for end in days[::23]:
            if end >= start:
                assert index[end] - index[start] == CAL.working_days_between(start, end), (start, end)
    christmas = uow.session.get(WorkingDay, dt.date(2026, 12, 28))
    assert christmas.is_working is False
