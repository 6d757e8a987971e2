"""The contact and household rules without the database: postcodes, phones, emails, URNs, moves and leaving."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.contacts import (
    clean_postcode,
    email_problem,
    moved_in_problem,
    phone_problem,
    postcode_problem,
    urn_problem,
)
from coordination.domain.people import left_on_problem

TODAY = dt.date(2026, 3, 3)


@pytest.mark.parametrize(("typed", "written"), [("em14ab", "EM1 4AB"), (" EM1  4AB ", "EM1 4AB"),
                                                 ("sw1a1aa", "SW1A 1AA")])
def test_postcodes_are_written_the_one_way(typed, written):
    assert clean_postcode(typed) == written and postcode_problem(typed) is None


@pytest.mark.parametrize("bad", ["nowhere", "12345", "EM1", "EM1 4A"])
def test_a_postcode_that_is_not_one_is_refused(bad):
    assert postcode_problem(bad) == "Enter a real postcode, like EM1 4AB"


def test_phones_emails_and_urns():
    assert phone_problem("07700 900 982") is None and phone_problem("+44 808 157 0192") is None
    assert phone_problem("call me") and phone_problem("123") and phone_problem("0" * 16)
    assert email_problem("name@example.org") is None and email_problem("name@") and email_problem("a b@c.d")
    assert urn_problem("199001") is None and urn_problem("19900") and urn_problem("1990011") and urn_problem("ABCDEF")
    assert phone_problem(None) is None and email_problem("") is None and urn_problem(None) is None


def test_moving_in_and_leaving_are_not_in_the_future_nor_before_birth():
    assert moved_in_problem(None, TODAY) == "Enter the date they moved in"
    assert moved_in_problem(TODAY + dt.timedelta(days=1), TODAY) and moved_in_problem(dt.date(1899, 12, 31), TODAY)
    assert moved_in_problem(TODAY, TODAY) is None
    born = dt.date(2020, 1, 1)
    assert left_on_problem(TODAY, TODAY, born) is None
    assert left_on_problem(dt.date(2019, 12, 31), TODAY, born) == (
        "The date they left must be on or after their date of birth")
    assert left_on_problem(TODAY + dt.timedelta(days=1), TODAY, born) and left_on_problem(None, TODAY, born)
