"""Filling the working_day table (services.calendar and `flask calendar refresh`): idempotent, and the index
differences agree with the WorkingCalendar across the 2026–27 Christmas holidays."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.errors import Invalid
from coordination.models import WorkingDay
from coordination.services.calendar import refresh_working_days

ACTOR = Actor.system("test")


def _table(uow) -> dict[dt.date, WorkingDay]:
    return {row.day: row for row in uow.session.execute(select(WorkingDay)).scalars()}


def test_refresh_fills_each_day_once_and_counts_christmas_as_no_working_days_when_run_twice(uow):
    first, last = dt.date(2026, 12, 18), dt.date(2027, 1, 8)
    assert refresh_working_days(uow, first, last, actor=ACTOR) == 22
    assert refresh_working_days(uow, first, last, actor=ACTOR) == 0
    uow.commit()
    rows = _table(uow)
    assert [d.isoformat() for d, r in sorted(rows.items()) if not r.is_working and d.weekday() < 5] == [
        "2026-12-25", "2026-12-28", "2027-01-01"]
    # Fri 18 Dec → Mon 4 Jan: 21, 22, 23, 24, 29, 30, 31 Dec and 4 Jan are the working days after it.
    assert rows[dt.date(2027, 1, 4)].working_index - rows[dt.date(2026, 12, 18)].working_index == 8
    added = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "working_day")
                                .order_by(AuditEvent.seq)).scalars().all()
    assert [e.details["added"] for e in added] == [22]  # the idempotent second run changed nothing, said nothing


def test_refresh_is_refused_when_the_range_runs_backwards(uow):
    with pytest.raises(Invalid) as refused:
        refresh_working_days(uow, dt.date(2027, 1, 8), dt.date(2026, 12, 18))
    assert "last" in refused.value.errors


def test_cli_refresh_fills_the_range_and_a_second_run_adds_nothing(app, uow):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["calendar", "refresh", "--from", "2027-03-01", "--to", "2027-03-31"])
    assert first.exit_code == 0, first.output
    assert "31 days added" in first.output
    again = runner.invoke(args=["calendar", "refresh", "--from", "2027-03-01", "--to", "2027-03-31"])
    assert "0 days added" in again.output
    count = uow.session.execute(select(func.count()).select_from(WorkingDay)
                                .where(WorkingDay.day.between(dt.date(2027, 3, 1), dt.date(2027, 3, 31)))).scalar()
    assert count == 31
    backwards = runner.invoke(args=["calendar", "refresh", "--from", "2027-03-31", "--to", "2027-03-01"])
    assert backwards.exit_code == 2 and "last" in backwards.output
