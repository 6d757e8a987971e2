"""SEN2's rules as this project implements them (domain/sen2.py RULES, numbered S2-1xx): each check, table-driven,
with a request that breaks it and the field named; and the state as at the reference date (S2-118, S2-119)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from coordination.domain import sen2

D = dt.date
TODAY = D(2027, 1, 28)
# A request that keeps every rule: decided to assess, plan issued at a school, needs and a review recorded.
GOOD = sen2.RequestFacts(
    received_on=D(2026, 2, 2), request_outcome="Y", request_outcome_on=D(2026, 3, 10), assessment_outcome="Y",
    assessment_outcome_on=D(2026, 6, 1), plan_start_on=D(2026, 6, 20), placement_urn="100001", placement_rank=1,
    sen_unit=False, resourced_provision=True, placement_entry_on=D(2025, 9, 1), sen_needs=("ASD", "SLCN"),
    review_meeting_on=D(2026, 12, 1), review_outcome="M", last_review_on=D(2026, 12, 10))

CASES = [
    ("S2-101", "request_outcome_on", {"request_outcome_on": D(2026, 1, 30)}),
    ("S2-102", "request_outcome_on", {"request_outcome": "N", "request_outcome_on": None, "assessment_outcome": None,
                                      "assessment_outcome_on": None, "plan_start_on": None, "placement_urn": None,
                                      "placement_rank": None, "sen_needs": (), "review_meeting_on": None,
                                      "review_outcome": None, "last_review_on": None}),
    ("S2-102", "request_outcome_on", {"request_outcome": "A", "assessment_outcome": None,
                                      "assessment_outcome_on": None, "plan_start_on": None, "placement_urn": None,
                                      "placement_rank": None, "sen_needs": (), "review_meeting_on": None,
                                      "review_outcome": None, "last_review_on": None}),
    ("S2-103", "assessment_outcome", {"request_outcome": "W", "plan_start_on": None, "placement_urn": None,
                                      "placement_rank": None, "sen_needs": (), "review_meeting_on": None,
                                      "review_outcome": None, "last_review_on": None, "assessment_outcome": "N",
                                      "request_outcome_on": D(2026, 3, 1)}),
    ("S2-104", "assessment_outcome_on", {"assessment_outcome_on": D(2026, 3, 9), "plan_start_on": D(2026, 6, 20)}),
    ("S2-105", "assessment_outcome_on", {"assessment_outcome_on": None}),
    ("S2-105", "assessment_outcome", {"assessment_outcome": None, "plan_start_on": None, "placement_urn": None,
                                      "placement_rank": None, "sen_needs": (), "review_meeting_on": None,
                                      "review_outcome": None, "last_review_on": None}),
    ("S2-106", "plan_start_on", {"assessment_outcome": "N"}),
    ("S2-107", "plan_start_on", {"plan_start_on": None, "review_meeting_on": None, "review_outcome": None,
                                 "last_review_on": None}),
    ("S2-108", "plan_start_on", {"plan_start_on": D(2026, 5, 31), "review_meeting_on": None,
                                 "review_outcome": None, "last_review_on": None}),
    ("S2-109", "placement_urn", {"placement_urn": None}),
    ("S2-109", "placement_urn", {"sen_setting": "EHE"}),
    ("S2-110", "placement_urn", {"placement_urn": "10001"}),
    ("S2-110", "placement_ukprn", {"placement_urn": None, "placement_ukprn": "1000001"}),
    ("S2-111", "placement_rank", {"placement_rank": 3}),
    ("S2-111", "placement_rank", {"placement_rank": None}),
    ("S2-112", "cease_reason", {"plan_ceased_on": D(2026, 12, 20)}),
    ("S2-112", "plan_ceased_on", {"cease_reason": "5"}),
    ("S2-113", "plan_ceased_on", {"plan_ceased_on": D(2026, 6, 1), "cease_reason": "9"}),
    ("S2-114", "sen_needs", {"sen_needs": ("ASD", "ASD")}),
    ("S2-114", "sen_needs", {"sen_needs": ("ASD", "SLCN", "MLD")}),
    ("S2-114", "sen_needs", {"sen_needs": ("DYS",)}),
    ("S2-115", "review_outcome", {"review_meeting_on": None, "last_review_on": None}),
    ("S2-115", "last_review_on", {"last_review_on": D(2026, 11, 30)}),
    ("S2-115", "review_meeting_on", {"review_meeting_on": D(2026, 6, 19), "last_review_on": D(2026, 7, 1)}),
    ("S2-116", "last_review_on", {"last_review_on": D(2027, 2, 1)}),
    ("S2-116", "placement_entry_on", {"placement_entry_on": D(2027, 2, 1)}),
    *[("S2-120", name, {"placement_urn": None, "placement_rank": None, "plan_start_on": None, "sen_needs": (),
                        "review_meeting_on": None, "review_outcome": None, "last_review_on": None,
                        "sen_unit": None, "resourced_provision": None, "placement_entry_on": None, name: value})
      for name, value in (("sen_unit", False), ("resourced_provision", True), ("placement_entry_on", D(2026, 1, 5)))],
]


def test_the_good_request_keeps_every_rule():
    assert sen2.problems(GOOD, TODAY) == []


@pytest.mark.parametrize(("rule", "field", "change"), CASES, ids=[f"{r}-{f}" for r, f, _ in CASES])
def test_each_rule(rule, field, change):
    found = sen2.problems(replace(GOOD, **change), TODAY)
    assert (rule, field) in [(r, f) for r, f, _ in found], found
    assert all(r in sen2.RULES for r, _, _ in found)


def test_every_rule_is_tested():
    tested = {rule for rule, _, _ in CASES} | {"S2-117", "S2-118", "S2-119"}
    assert tested == set(sen2.RULES)


def test_s2_117_a_uln_is_ten_digits():
    assert sen2.uln_problem("1234567890") is None and sen2.uln_problem(None) is None
    assert sen2.uln_problem("123456789") == "Enter a Unique Learner Number of 10 digits"


def test_the_reference_date_is_the_third_thursday_of_january():
    assert [sen2.reference_date(y) for y in (2025, 2026, 2027, 2028)] == [
        D(2025, 1, 16), D(2026, 1, 15), D(2027, 1, 21), D(2028, 1, 20)]
    assert sen2.sen2_period(2027) == (D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 21))


@pytest.mark.parametrize(("outcome", "exceptions", "week20"), [
    ("Y", (("10_4_a", D(2026, 4, 1)),), True), ("N", (), False), ("Y", (("10_4_d", D(2027, 1, 25)),), False),
    ("A", (("10_4_b", D(2026, 4, 1)),), None), ("W", (("10_4_c", D(2026, 4, 1)),), None)])
def test_s2_118_week20_is_whether_exceptions_apply_and_only_once_the_decision_to_issue_is_made(
        outcome, exceptions, week20):
    facts = replace(GOOD, assessment_outcome=outcome, exceptions=exceptions,
                    assessment_outcome_on=None if outcome == "A" else GOOD.assessment_outcome_on)
    request = sen2.request_as_at(facts, 2027)
    assert request is not None and request.assessment is not None
    assert request.assessment.week20 is week20


def test_s2_119_a_plan_ceased_after_the_reference_date_is_active_and_one_ceased_before_it_is_not():
    after = sen2.request_as_at(replace(GOOD, plan_ceased_on=D(2027, 1, 22), cease_reason="1"), 2027)
    assert after is not None and after.active is not None and after.assessment is not None
    assert after.assessment.plan is not None and after.assessment.plan.cease_date is None
    before = sen2.request_as_at(replace(GOOD, plan_ceased_on=D(2027, 1, 21), cease_reason="1"), 2027)
    assert before is not None and before.active is None and before.assessment is not None
    assert before.assessment.plan is not None and before.assessment.plan.cease_reason == "1"


def test_a_request_that_ended_before_the_year_is_not_in_the_return():
    declined = replace(GOOD, request_outcome="N", assessment_outcome=None, assessment_outcome_on=None,
                       plan_start_on=None, request_outcome_on=D(2025, 12, 31), received_on=D(2025, 11, 1))
    assert sen2.request_as_at(declined, 2027) is None
    assert sen2.request_as_at(declined, 2026) is not None
    assert sen2.request_as_at(replace(GOOD, received_on=D(2027, 1, 2)), 2027) is None
