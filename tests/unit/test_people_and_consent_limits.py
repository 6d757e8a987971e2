"""The plausibility limits in the domain: dates of birth and consent periods."""
from __future__ import annotations

import datetime as dt

from coordination.domain.consent import add_months, consent_period_problems
from coordination.domain.people import date_of_birth_problem

TODAY = dt.date(2026, 3, 27)


def test_dates_of_birth():
    assert date_of_birth_problem(TODAY, TODAY, child=True) is None
    assert date_of_birth_problem(dt.date(2026, 3, 28), TODAY, child=False) == (
        "Date of birth must be today or in the past")
    assert date_of_birth_problem(dt.date(1899, 12, 31), TODAY, child=False) == "Date of birth must be in 1900 or later"
    assert date_of_birth_problem(dt.date(1900, 1, 1), TODAY, child=False) is None
    assert date_of_birth_problem(dt.date(2000, 3, 28), TODAY, child=True) is None       # 25, a day before 26
    assert date_of_birth_problem(dt.date(2000, 3, 27), TODAY, child=True).startswith("A child must be under 26")


def test_consent_periods():
    assert consent_period_problems(TODAY, None, TODAY, None) == {}
    assert consent_period_problems(TODAY, add_months(TODAY, 24), TODAY, None) == {}
    assert set(consent_period_problems(TODAY, add_months(TODAY, 25), TODAY, None)) == {"extended_reason"}
    assert consent_period_problems(TODAY, add_months(TODAY, 60), TODAY, "Whole EHC plan") == {}
    assert set(consent_period_problems(TODAY, add_months(TODAY, 60) + dt.timedelta(days=1), TODAY, "x")) == {
        "expires_on"}
    assert set(consent_period_problems(add_months(TODAY, 13), None, TODAY, None)) == {"valid_from"}
    assert set(consent_period_problems(dt.date(9999, 12, 1), None, TODAY, None)) == {"valid_from"}
    assert set(consent_period_problems(TODAY, TODAY, TODAY, None)) == {"expires_on"}
