"""The materialised summary gives the same figures as the live tables, and the dashboard says how old it is.

Uses test_metrics' hand-counted data set (January – March 2026, all closed months by now).
"""
import datetime as dt

import pytest
from sqlalchemy import select

from coordination.domain.actors import Actor
from coordination.errors import NotPermitted
from coordination.models import ReferralClock
from coordination.services.reporting import metrics

from ..conftest import actor_of
from .test_metrics import PERIOD, data_set  # noqa: F401  (fixture)

D = dt.date


def _figures(report):
    return [(f.pathway, f.clock, f.count, f.within_target, f.count_excluding_exceptions,
             f.within_excluding_exceptions, f.median_days, f.p90_days, f.open, f.open_overdue) for f in report.figures]


def test_summary_gives_the_hand_counted_figures_when_refreshed(uow, manager, data_set):  # noqa: F811
    live = metrics.timeliness(uow, actor_of(manager), *PERIOD)
    assert metrics.refresh_summary(uow, Actor.system("test")) > 0
    summarised = metrics.timeliness(uow, actor_of(manager), *PERIOD)
    assert _figures(summarised) == _figures(live)
    f = summarised.figure("social_care", "decision")
    assert (f.count, f.within_target, f.median_days, f.p90_days, f.open, f.open_overdue) == (3, 2, 1.0, 2.0, 3, 2)
    ehc = summarised.figure("ehc_needs_assessment", "final_plan")
    assert (ehc.count, ehc.within_target, ehc.count_excluding_exceptions, ehc.median_days, ehc.p90_days) == (
        4, 2, 3, 143.5, 168.0)
    assert [(t.pathway, t.month, t.count, t.within_target) for t in summarised.trend] == [
        (t.pathway, t.month, t.count, t.within_target) for t in live.trend]
    assert [(r.pathway, r.referrals, r.re_referrals) for r in summarised.re_referrals] == [
        (r.pathway, r.referrals, r.re_referrals) for r in live.re_referrals]
    social = next(r for r in summarised.re_referrals if r.pathway == "social_care")
    assert (social.referrals, social.re_referrals) == (6, 2)


def test_re_referrals_of_part_months_are_counted_live_beside_the_summary(uow, manager, data_set):  # noqa: F811
    refreshed = dt.datetime(2026, 11, 2, 2, 15, tzinfo=dt.UTC)
    uow.now = lambda: refreshed
    metrics.refresh_summary(uow, Actor.system("test"))
    # 10 January – 25 March: January and March are part months (live), February from the summary.
    # Social care received in the period: #3 (4 Feb), #5 (20 Mar, a re-referral); #1, #2 (9 Jan), #4 (26 Mar),
    # #6 (31 Mar) fall outside it.
    report = metrics.timeliness(uow, actor_of(manager), D(2026, 1, 10), D(2026, 3, 25), pathway="social_care")
    assert report.as_of == refreshed  # the summary was in play
    assert [(r.pathway, r.referrals, r.re_referrals) for r in report.re_referrals] == [("social_care", 2, 1)]


@pytest.mark.parametrize("breakdown", ["age_band", "agency", "ward", "urgency"])
def test_each_breakdown_from_the_summary_equals_the_live_one(uow, manager, data_set, breakdown):  # noqa: F811
    def groups(report):
        return sorted((f.group, *figure[2:]) for f, figure in zip(report.figures, _figures(report), strict=True))

    live = metrics.timeliness(uow, actor_of(manager), *PERIOD, breakdown=breakdown)
    metrics.refresh_summary(uow, Actor.system("test"))
    summarised = metrics.timeliness(uow, actor_of(manager), *PERIOD, breakdown=breakdown)
    assert summarised.as_of != live.as_of  # the summary was used
    assert groups(summarised) == groups(live)
    if breakdown == "age_band":  # hand count: #1 (15) within, #2 (16) late, #3 (9) within
        got = {f.group: (f.count, f.within_target) for f in summarised.figures
               if (f.pathway, f.clock) == ("social_care", "decision") and f.count}
        assert got == {"11–15": (1, 1), "16–17": (1, 0), "5–10": (1, 1)}


def test_dashboard_is_as_of_the_refresh_when_the_summary_is_used(uow, manager, data_set):  # noqa: F811
    refreshed = dt.datetime(2026, 11, 2, 2, 15, tzinfo=dt.UTC)
    uow.now = lambda: refreshed
    metrics.refresh_summary(uow, Actor.system("test"))
    uow.now = lambda: refreshed + dt.timedelta(hours=9)
    # A clock changed after the refresh: closed months keep the summary's answer until the next refresh.
    clock = uow.session.execute(select(ReferralClock).where(ReferralClock.referral_id == data_set[3].id)).scalar_one()
    clock.within_target = False
    uow.session.flush()
    report = metrics.timeliness(uow, actor_of(manager), *PERIOD)
    assert report.figure("social_care", "decision").within_target == 2
    assert report.as_of == refreshed
    metrics.refresh_summary(uow, Actor.system("test"))
    assert metrics.timeliness(uow, actor_of(manager), *PERIOD).figure("social_care", "decision").within_target == 1


def test_part_months_are_counted_live_when_the_period_does_not_start_on_the_first(uow, manager, data_set):  # noqa: F811
    metrics.refresh_summary(uow, Actor.system("test"))
    # 10 January – 31 March: January is partly outside, so it is counted live (#1 and #2 stopped 12 and 13 Jan).
    report = metrics.timeliness(uow, actor_of(manager), D(2026, 1, 10), PERIOD[1])
    f = report.figure("social_care", "decision")
    assert (f.count, f.within_target, f.median_days, f.p90_days) == (3, 2, 1.0, 2.0)
    # 14 January – 31 March: only #3 in February.
    f = metrics.timeliness(uow, actor_of(manager), D(2026, 1, 14), PERIOD[1]).figure("social_care", "decision")
    assert (f.count, f.within_target, f.median_days) == (1, 1, 0.0)


def test_another_councils_manager_sees_none_of_these_in_the_summary(uow, outsider, data_set):  # noqa: F811
    from coordination.services.auth import actor_for_user

    outsider.role = "manager"
    uow.session.flush()
    metrics.refresh_summary(uow, Actor.system("test"))
    report = metrics.timeliness(uow, actor_for_user(outsider), *PERIOD)
    assert report.figure("social_care", "decision").count == 1
    assert report.figure("ehc_needs_assessment", "final_plan") is None
    region = metrics.timeliness(uow, Actor.system("test"), *PERIOD)
    assert region.figure("social_care", "decision").count == 4


def test_only_the_scheduled_job_refreshes_the_summary(uow, manager):
    with pytest.raises(NotPermitted):
        metrics.refresh_summary(uow, actor_of(manager))
