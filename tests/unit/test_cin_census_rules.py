"""The CIN census's own rules: the LAchildID's form, the census year, RC8/RC9 only straight after an assessment,
and a referral's state as at the reference date."""
from __future__ import annotations

import datetime as dt

from coordination.domain import cin_census as census

D = dt.date
FIRST, REFERENCE = census.census_period(2026)


def test_an_la_child_id_is_short_letters_and_digits_and_random():
    ids = {census.new_la_child_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(census.LA_CHILD_ID.fullmatch(i) and len(i) == 12 and i.isalnum() for i in ids)


def test_the_census_year_runs_april_to_march():
    assert (FIRST, REFERENCE) == (D(2025, 4, 1), D(2026, 3, 31))


def test_rc8_and_rc9_need_an_assessment_and_no_plan_after_it():
    assert census.closure_reason_problem("social_care", None, []) == "Choose the reason for closure"
    assert census.closure_reason_problem("early_help", None, []) is None
    assert "had no assessment" in census.closure_reason_problem("social_care", "RC9", [])
    assert "after a plan" in census.closure_reason_problem("social_care", "RC8", ["assessment", "child_in_need_plan"])
    assert census.closure_reason_problem("social_care", "RC9", ["assessment", "assessment_authorised"]) is None
    assert census.closure_reason_problem("social_care", "RC7", []) is None
    assert census.closure_reason_problem("social_care", "RC10", []) == "Choose the reason for closure from the list"


def test_an_nfa_referral_counts_only_in_the_year_it_was_received():
    declined = census.ReferralFacts(D(2025, 3, 28), "2A", decided_on=D(2025, 3, 28), declined=True)
    assert census.episode_as_at(declined, FIRST, REFERENCE) is None
    this_year = census.ReferralFacts(D(2025, 4, 2), "2A", decided_on=D(2025, 4, 2), declined=True)
    episode = census.episode_as_at(this_year, FIRST, REFERENCE)
    assert episode is not None and episode.nfa and episode.closure_date is None


def test_events_after_the_reference_date_are_ignored():
    stages = (("assessment", D(2026, 2, 3)), ("assessment_authorised", D(2026, 4, 9)))
    facts = census.ReferralFacts(D(2026, 2, 2), "6", decided_on=D(2026, 2, 2), primary_need="N1", stage_entries=stages,
                                 closed_on=D(2026, 4, 20), reason_for_closure="RC8", assessment_factors=("16A",))
    episode = census.episode_as_at(facts, FIRST, REFERENCE)
    assert episode is not None and (episode.closure_date, episode.reason_for_closure) == (None, None)
    assert episode.assessment == census.Assessment(D(2026, 2, 3), None, ())
    assert census.episode_as_at(facts, *census.census_period(2025)) is None  # received after that year
