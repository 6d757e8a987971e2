"""Pathways as data, and clocks computed against hand-computed due dates."""
import datetime as dt

import pytest

from coordination.domain.calendar import WorkingCalendar
from coordination.domain.pathways import PathwayError, compute_clocks, default_pathways, parse_pathways

P = default_pathways()
CAL = WorkingCalendar()


def at(y, m, d, h=9):
    return dt.datetime(y, m, d, h, 0, tzinfo=dt.UTC)


def clocks(pathway, events, urgency="routine", now=at(2026, 11, 23), **kw):
    return {c.name: c for c in compute_clocks(P[pathway], events, urgency, now, CAL, **kw)}


def test_every_contract_pathway_is_defined_with_a_clock():
    assert set(P) == {"early_help", "social_care", "ehc_needs_assessment", "mental_health_support_team", "camhs",
                      "camhs_crisis", "eating_disorder", "neurodevelopmental", "voluntary_sector"}
    assert all(p.clocks for p in P.values())


def test_social_care_decision_on_a_friday_referral_is_due_monday_and_late_on_tuesday():
    c = clocks("social_care", {"received": at(2026, 11, 20), "decided": at(2026, 11, 24)})["decision"]
    assert c.due == dt.date(2026, 11, 23) and c.within_target is False
    c = clocks("social_care", {"received": at(2026, 11, 20), "decided": at(2026, 11, 23, 17)})["decision"]
    assert c.within_target is True


def test_running_clock_is_overdue_after_its_due_day_and_undecided_before():
    c = clocks("early_help", {"received": at(2026, 11, 16)}, now=at(2026, 11, 23))["decision"]
    assert c.due == dt.date(2026, 11, 23) and c.within_target is None and not c.overdue
    c = clocks("early_help", {"received": at(2026, 11, 16)}, now=at(2026, 11, 24))["decision"]
    assert c.overdue and c.within_target is False


def test_ehc_clocks_in_calendar_weeks_and_the_final_plan_exceptions():
    events = {"received": at(2026, 1, 5), "decided": at(2026, 2, 16), "entered:final_plan": at(2026, 5, 26)}
    got = clocks("ehc_needs_assessment", events, exceptions=("10_4_c",))
    assert got["decision_to_assess"].due == dt.date(2026, 2, 16) and got["decision_to_assess"].within_target
    assert got["final_plan"].due == dt.date(2026, 5, 25) and got["final_plan"].within_target is False
    assert got["final_plan"].excepted and got["final_plan"].exception_codes == ["10_4_c"]
    assert "no_plan" not in got  # only shown once a decision not to issue is made


def test_ehc_decision_not_to_issue_cancels_the_final_plan_clock():
    got = clocks("ehc_needs_assessment", {"received": at(2026, 1, 5), "entered:no_plan": at(2026, 4, 20)})
    assert "final_plan" not in got and got["no_plan"].due == dt.date(2026, 4, 27) and got["no_plan"].within_target


def test_crisis_clock_runs_in_hours_by_urgency():
    received = at(2026, 11, 23, 10)
    got = clocks("camhs_crisis", {"received": received, "entered:response": at(2026, 11, 23, 15)}, "very_urgent")
    assert got["response"].due == at(2026, 11, 23, 14) and got["response"].within_target is False
    got = clocks("camhs_crisis", {"received": received, "entered:response": at(2026, 11, 23, 15)}, "urgent")
    assert got["response"].within_target is True


def test_eating_disorder_urgent_one_week_routine_four_weeks():
    events = {"received": at(2026, 3, 2)}
    assert clocks("eating_disorder", events, "urgent")["treatment"].due == dt.date(2026, 3, 9)
    assert clocks("eating_disorder", events, "routine")["treatment"].due == dt.date(2026, 3, 30)


def test_autism_assessment_start_three_calendar_months():
    assert clocks("neurodevelopmental", {"received": at(2026, 11, 30)})["assessment_start"].due == dt.date(2027, 2, 28)


def test_pause_pushes_the_due_date_back_by_the_days_it_overlaps():
    got = clocks("camhs", {"received": at(2026, 3, 2)}, pauses=((dt.date(2026, 3, 10), dt.date(2026, 3, 16)),),
                 now=at(2026, 3, 20))
    assert got["first_contact"].paused_days == 7 and got["first_contact"].due == dt.date(2026, 4, 6)


def test_accepted_clock_starts_only_when_accepted():
    assert "assessment" not in clocks("early_help", {"received": at(2026, 11, 2), "decided": at(2026, 11, 3)})


def test_local_targets_change_local_clocks_but_never_statutory_ones():
    import tomllib

    from coordination.domain.pathways import PATHWAYS_FILE
    data = tomllib.loads(PATHWAYS_FILE.read_text())
    local = parse_pathways(data, {"early_help": {"decision": "3 working_days"}})
    assert str(local["early_help"].clock("decision").limit_for("routine")) == "3 working days"
    with pytest.raises(PathwayError, match="statutory"):
        parse_pathways(data, {"social_care": {"decision": "2 working_days"}})


def test_transitions_follow_the_stage_graph():
    eh = P["ehc_needs_assessment"]
    assert eh.first_stage == "request" and eh.can_move("assessment", "draft_plan")
    assert not eh.can_move("request", "final_plan")
