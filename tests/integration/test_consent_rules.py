"""The pure consent rules (domain.consent): dates in England, lifetimes, states, competence, who governs.
No database: they sit here beside the consent tests that apply them."""
import datetime as dt

import pytest

from coordination.domain.consent import (
    Capacity,
    ConsentState,
    Decision,
    add_months,
    competence_problem,
    consent_state,
    default_expiry,
    england_date,
    governing_decision,
    review_on,
)

P, R = Decision.PERMIT, Decision.REFUSE


def test_the_day_is_englands_day_not_utcs():
    assert england_date(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 2)  # BST
    assert england_date(dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 1)  # GMT


def test_default_lifetime_is_twelve_months_and_review_is_four_weeks_before():
    assert default_expiry(dt.date(2026, 3, 10)) == dt.date(2027, 3, 10)
    assert default_expiry(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert review_on(dt.date(2027, 3, 10)) == dt.date(2027, 2, 10)


@pytest.mark.parametrize(("day", "withdrawn", "state"), [
    (dt.date(2026, 1, 9), False, ConsentState.NOT_YET_VALID),
    (dt.date(2026, 1, 10), False, ConsentState.LIVE),
    (dt.date(2026, 2, 9), False, ConsentState.LIVE),
    (dt.date(2026, 2, 10), False, ConsentState.EXPIRED),
    (dt.date(2026, 1, 20), True, ConsentState.WITHDRAWN),
    (dt.date(2026, 1, 1), True, ConsentState.WITHDRAWN),
])
def test_state_follows_the_dates_and_a_withdrawal_is_final(day, withdrawn, state):
    assert consent_state(dt.date(2026, 1, 10), dt.date(2026, 2, 10), withdrawn, day) == state


def test_competence_is_presumed_from_sixteen_and_otherwise_must_be_recorded_never_an_age_cut_off():
    today = dt.date(2026, 6, 1)
    assert competence_problem(Capacity.YOUNG_PERSON, dt.date(2010, 6, 1), today, False) is None       # 16 today
    assert competence_problem(Capacity.YOUNG_PERSON, dt.date(2010, 6, 2), today, False) is not None   # 15
    assert competence_problem(Capacity.COMPETENT_CHILD, dt.date(2019, 1, 1), today, True) is None     # 7, assessed
    assert competence_problem(Capacity.COMPETENT_CHILD, dt.date(2012, 1, 1), today, False) is not None


@pytest.mark.parametrize(("parents", "young", "outcome"), [
    ([], [], None),
    ([P], [], P),
    ([P, R], [], R),
    ([P], [R], R),
    ([R], [P], P),
    ([R, R], [P], P),
    ([P], [P, R], R),
])
def test_the_young_persons_decision_governs_and_a_refusal_wins_within_a_level(parents, young, outcome):
    assert governing_decision(parents, young) == outcome
