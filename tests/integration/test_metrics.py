"""Timeliness figures on a hand-built data set: every number below was worked out by hand.

Social care "decision" clocks (1 working day; day 0 = start), period 1 January – 31 March 2026:
  #1 Fri 9 Jan → Mon 12 Jan: 1 working day, within      (child aged 15)
  #2 Fri 9 Jan → Tue 13 Jan: 2 working days, late       (aged 16, re-referral)
  #3 Wed 4 Feb → Wed 4 Feb: 0 working days, within      (aged 9)
  #4 Thu 26 Mar → Thu 2 Apr: stopped after the period, so open at 31 March (due Fri 27 Mar: overdue)
  #5 Fri 20 Mar, not stopped, due Mon 23 Mar: open and overdue (re-referral)
  #6 Tue 31 Mar, not stopped, due Wed 1 Apr: open, not overdue
  → completed 3, within 2 (66.7%), days [0, 1, 2]: median 1, p90 (nearest rank 3 of 3) 2; open 3, overdue 2.
EHC "final plan" clocks (20 weeks = 140 calendar days):
  a 6 Oct 2025 → 23 Feb 2026: 140 days, within
  b 1 Sep 2025 → 26 Jan 2026: 147 days, late, exception 10(4)(c) recorded
  c 15 Sep 2025 → 2 Mar 2026: 168 days, late
  d 20 Oct 2025 → 9 Mar 2026: 140 days, within
  → 4 completed, 2 within (50%); excluding exceptions 3 completed, 2 within (66.7%); median 143.5; p90 168.
A referral to another council's team is never counted in this manager's figures.
"""
import datetime as dt

import pytest

from coordination.errors import Invalid, NotPermitted
from coordination.models import Referral, ReferralClock
from coordination.services.reporting import metrics

from ..conftest import actor_of
from ..factories import AgencyFactory

D = dt.date
PERIOD = (D(2026, 1, 1), D(2026, 3, 31))


def _at(day):
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


@pytest.fixture
def data_set(uow, practitioner, manager, outsider, make_family):
    family = make_family(practitioner, children=("Ash",))
    social_care = AgencyFactory(name="Eastmere Children's Social Care", type="social_care")
    send = AgencyFactory(name="Eastmere SEND Team", type="send_service")

    def clock(pathway, name, to, start, due, stop=None, within=None, excepted=False, age=12, rerefer=False,
              owner_family=family):
        ref = Referral(family_id=owner_family.id, child_id=owner_family.children[0].id, pathway=pathway,
                       from_agency_id=manager.agency_id, to_agency_id=to.id, urgency="routine",
                       status="closed" if stop else "received", stage="x", received_on=start,
                       received_at=_at(start), re_referral=rerefer, child_age_at_referral=age, ward="Riverside",
                       owning_agency_id=owner_family.owning_agency_id)
        uow.session.add(ref)
        uow.session.flush()
        uow.session.add(ReferralClock.of(ref, name=name, started_at=_at(start), started_on=start, due_on=due,
                                      stopped_at=_at(stop) if stop else None, stopped_on=stop,
                                      within_target=within, excepted=excepted, statutory=True, limit_text="x"))
        return ref

    refs = {
        1: clock("social_care", "decision", social_care, D(2026, 1, 9), D(2026, 1, 12), D(2026, 1, 12), True, age=15),
        2: clock("social_care", "decision", social_care, D(2026, 1, 9), D(2026, 1, 12), D(2026, 1, 13), False, age=16,
                 rerefer=True),
        3: clock("social_care", "decision", social_care, D(2026, 2, 4), D(2026, 2, 5), D(2026, 2, 4), True, age=9),
        4: clock("social_care", "decision", social_care, D(2026, 3, 26), D(2026, 3, 27), D(2026, 4, 2), False),
        5: clock("social_care", "decision", social_care, D(2026, 3, 20), D(2026, 3, 23), rerefer=True),
        6: clock("social_care", "decision", social_care, D(2026, 3, 31), D(2026, 4, 1)),
        "a": clock("ehc_needs_assessment", "final_plan", send, D(2025, 10, 6), D(2026, 2, 23), D(2026, 2, 23), True),
        "b": clock("ehc_needs_assessment", "final_plan", send, D(2025, 9, 1), D(2026, 1, 19), D(2026, 1, 26), False,
                   excepted=True),
        "c": clock("ehc_needs_assessment", "final_plan", send, D(2025, 9, 15), D(2026, 2, 2), D(2026, 3, 2), False),
        "d": clock("ehc_needs_assessment", "final_plan", send, D(2025, 10, 20), D(2026, 3, 9), D(2026, 3, 9), True),
    }
    # Another council's family and referral: never in this manager's figures.
    theirs = make_family(outsider, children=("Birch",), surname="Elsewhere")
    outsider_team = AgencyFactory(name="Hillside Social Care", type="social_care")
    ref = Referral(family_id=theirs.id, child_id=theirs.children[0].id, pathway="social_care",
                   from_agency_id=outsider.agency_id, to_agency_id=outsider_team.id, urgency="routine", status="closed",
                   stage="x", received_on=D(2026, 1, 9), received_at=_at(D(2026, 1, 9)),
                   owning_agency_id=theirs.owning_agency_id)
    uow.session.add(ref)
    uow.session.flush()
    uow.session.add(ReferralClock.of(ref, name="decision", started_at=_at(D(2026, 1, 9)),
                                  started_on=D(2026, 1, 9), due_on=D(2026, 1, 12), stopped_at=_at(D(2026, 1, 20)),
                                  stopped_on=D(2026, 1, 20), within_target=False, statutory=True, limit_text="x"))
    uow.commit()
    return refs


def test_social_care_decision_figures_match_the_hand_count(uow, manager, data_set):
    report = metrics.timeliness(uow, actor_of(manager), *PERIOD)
    f = report.figure("social_care", "decision")
    assert (f.count, f.within_target, f.percent_within_target) == (3, 2, 66.7)
    assert (f.median_days, f.p90_days) == (1.0, 2.0)
    assert (f.open, f.open_overdue) == (3, 2)
    assert f.unit == "working_days" and f.statutory


def test_ehc_twenty_weeks_reported_with_and_without_exceptions(uow, manager, data_set):
    f = metrics.timeliness(uow, actor_of(manager), *PERIOD).figure("ehc_needs_assessment", "final_plan")
    assert (f.count, f.within_target, f.percent_within_target) == (4, 2, 50.0)
    assert (f.count_excluding_exceptions, f.within_excluding_exceptions, f.percent_excluding_exceptions) == (3, 2, 66.7)
    assert (f.median_days, f.p90_days) == (143.5, 168.0)


def test_monthly_trend_and_re_referrals(uow, manager, data_set):
    report = metrics.timeliness(uow, actor_of(manager), *PERIOD, pathway="social_care")
    assert [(t.month, t.count, t.within_target) for t in report.trend] == [("2026-01", 2, 1), ("2026-02", 1, 1)]
    assert [(r.pathway, r.referrals, r.re_referrals, r.percent) for r in report.re_referrals] == [
        ("social_care", 6, 2, 33.3)]
    assert {f.pathway for f in report.figures} == {"social_care"}


def test_breakdown_by_age_band(uow, manager, data_set):
    report = metrics.timeliness(uow, actor_of(manager), *PERIOD, pathway="social_care", breakdown="age_band")
    got = {f.group: (f.count, f.within_target) for f in report.figures if f.count}
    assert got == {"11–15": (1, 1), "16–17": (1, 0), "5–10": (1, 1)}


def test_drill_down_lists_the_late_decision_with_the_childs_name(uow, manager, data_set):
    items = metrics.children_behind(uow, actor_of(manager), pathway="social_care", clock="decision",
                                    first=PERIOD[0], last=PERIOD[1], which="late")
    assert [i.row.referral_id for i in items] == [data_set[2].id]
    assert items[0].child_name == "Ash Testfamily" and items[0].row.days == 2.0
    overdue = metrics.children_behind(uow, actor_of(manager), pathway="social_care", clock="decision",
                                      first=PERIOD[0], last=PERIOD[1], which="overdue")
    assert {i.row.referral_id for i in overdue} == {data_set[4].id, data_set[5].id}


def test_drill_down_from_a_breakdown_row_lists_only_that_groups_children(uow, manager, data_set):
    completed = metrics.children_behind(uow, actor_of(manager), pathway="social_care", clock="decision",
                                        first=PERIOD[0], last=PERIOD[1], which="completed", breakdown="age_band",
                                        group="11–15")
    assert [i.row.referral_id for i in completed] == [data_set[1].id]
    # Open at the end of the period, children aged 11–15 at referral: #4, #5 and #6 (all aged 12)
    open_ = metrics.children_behind(uow, actor_of(manager), pathway="social_care", clock="decision",
                                    first=PERIOD[0], last=PERIOD[1], which="open", breakdown="age_band", group="11–15")
    assert {i.row.referral_id for i in open_} == {data_set[4].id, data_set[5].id, data_set[6].id}
    with pytest.raises(Invalid):
        metrics.children_behind(uow, actor_of(manager), pathway="social_care", clock="decision", first=PERIOD[0],
                                last=PERIOD[1], which="open", breakdown="shoe_size", group="9")


def test_another_councils_manager_sees_none_of_these(uow, outsider, data_set):
    from coordination.services.auth import actor_for_user

    boss = outsider
    boss.role = "manager"
    uow.session.flush()
    report = metrics.timeliness(uow, actor_for_user(boss), *PERIOD)
    assert report.figure("social_care", "decision").count == 1  # only their own, late, referral
    assert report.figure("ehc_needs_assessment", "final_plan") is None


def test_practitioners_cannot_see_metrics_and_bad_periods_are_refused(uow, practitioner, manager):
    with pytest.raises(NotPermitted):
        metrics.timeliness(uow, actor_of(practitioner), *PERIOD)
    with pytest.raises(Invalid) as caught:
        metrics.timeliness(uow, actor_of(manager), D(2026, 3, 1), D(2026, 1, 1), pathway="nope")
    assert set(caught.value.errors) == {"to", "pathway"}
