import datetime as dt

import pytest

from coordination.domain.referrals import (
    AgeTransition,
    due_transitions,
    is_re_referral,
    may_move,
    phase_transfer_deadline,
    received_on_problem,
    transition_date,
)

D = dt.date


def test_lifecycle_moves_forward_only():
    assert may_move("submitted", "accepted") and may_move("accepted", "in_progress")
    assert may_move("in_progress", "closed")
    assert not may_move("declined", "accepted") and not may_move("closed", "in_progress")


def test_received_date_may_be_backdated_but_never_in_the_future():
    today = D(2026, 11, 23)
    assert received_on_problem(D(2026, 11, 20), today) is None
    assert "past" in received_on_problem(D(2026, 11, 24), today)


@pytest.mark.parametrize("received,closed,flag", [
    (D(2026, 11, 23), D(2025, 11, 23), True),    # exactly 12 months
    (D(2026, 11, 24), D(2025, 11, 23), False),
    (D(2026, 3, 1), D(2026, 2, 1), True),
    (D(2026, 3, 1), None, False),
])
def test_re_referral_within_twelve_months_of_last_closure(received, closed, flag):
    assert is_re_referral(received, closed) is flag


def test_age_transitions_fall_on_the_right_dates_including_leap_day_births():
    assert transition_date(D(2012, 5, 10), AgeTransition.PREPARING_FOR_ADULTHOOD) == D(2026, 5, 10)
    assert transition_date(D(2009, 5, 31), AgeTransition.CAMHS_TO_ADULT_PLANNING) == D(2026, 11, 30)
    assert transition_date(D(2008, 2, 29), AgeTransition.ADULT_SERVICES) == D(2026, 2, 28)


def test_transitions_are_raised_ninety_days_ahead():
    due = due_transitions(D(2012, 12, 20), D(2026, 11, 23))
    assert due == [(AgeTransition.PREPARING_FOR_ADULTHOOD, D(2026, 12, 20))]
    assert due_transitions(D(2012, 12, 20), D(2026, 6, 1)) == []


def test_phase_transfer_deadlines():
    assert phase_transfer_deadline(2027, secondary_to_post16=False) == D(2027, 2, 15)
    assert phase_transfer_deadline(2027, secondary_to_post16=True) == D(2027, 3, 31)
