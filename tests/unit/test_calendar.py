"""Working days across weekends, Christmas, Easter, substitute days, local closures and leap years."""
import datetime as dt

import pytest

from coordination.domain.calendar import WorkingCalendar, add_calendar

D = dt.date
cal = WorkingCalendar()


@pytest.mark.parametrize("start,n,due", [
    (D(2026, 11, 20), 1, D(2026, 11, 23)),   # Friday referral, 1 working day: end of Monday
    (D(2026, 11, 23), 1, D(2026, 11, 24)),   # Monday → Tuesday
    (D(2026, 11, 21), 1, D(2026, 11, 23)),   # Saturday start: day 1 is Monday
    (D(2026, 12, 24), 1, D(2026, 12, 29)),   # Christmas Day Fri; Boxing Day Sat → substitute Mon 28 Dec
    (D(2026, 12, 23), 3, D(2026, 12, 30)),   # Thu 24, Tue 29, Wed 30
    (D(2026, 4, 2), 1, D(2026, 4, 7)),       # Maundy Thursday → Good Friday 3 Apr and Easter Monday 6 Apr off
    (D(2026, 5, 22), 1, D(2026, 5, 26)),     # Spring bank holiday Mon 25 May 2026
    (D(2028, 2, 28), 1, D(2028, 2, 29)),     # leap day is a working day (Tuesday)
    (D(2026, 11, 23), 0, D(2026, 11, 23)),
    (D(2026, 1, 1), 45, D(2026, 3, 5)),      # 45 working days from New Year's Day 2026
])
def test_due_dates_count_working_days_after_day_zero(start, n, due):
    assert cal.add_working_days(start, n) == due


def test_substitute_boxing_day_2026_is_a_bank_holiday_and_the_saturday_is_not_counted():
    assert cal.is_bank_holiday(D(2026, 12, 28))
    assert not cal.is_working_day(D(2026, 12, 26))


def test_local_closure_days_are_skipped():
    closed = WorkingCalendar(closures=[D(2026, 11, 23)])
    assert closed.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 24)


def test_working_days_between_matches_add_working_days():
    start = D(2026, 12, 18)
    for n in range(0, 30):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_calendar_rows_number_working_days_for_the_metrics_table():
    rows = list(cal.rows(D(2026, 12, 24), D(2026, 12, 30)))
    assert [(r[0].day, r[1], r[2]) for r in rows] == [
        (24, True, 0), (25, False, 0), (26, False, 0), (27, False, 0), (28, False, 0), (29, True, 1), (30, True, 2)]


@pytest.mark.parametrize("start,kwargs,due", [
    (D(2026, 1, 5), {"weeks": 6}, D(2026, 2, 16)),
    (D(2026, 1, 5), {"weeks": 20}, D(2026, 5, 25)),
    (D(2026, 1, 31), {"months": 1}, D(2026, 2, 28)),
    (D(2028, 1, 31), {"months": 1}, D(2028, 2, 29)),
    (D(2026, 3, 15), {"months": 12}, D(2027, 3, 15)),
    (D(2028, 2, 29), {"months": 12}, D(2029, 2, 28)),
])
def test_calendar_clocks_in_weeks_and_months(start, kwargs, due):
    assert add_calendar(start, **kwargs) == due


def test_england_date_differs_from_utc_just_after_midnight_in_summer():
    from coordination.domain.calendar import england_date

    assert england_date(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)) == D(2026, 7, 2)
    assert england_date(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)) == D(2026, 12, 1)
