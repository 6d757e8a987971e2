"""A family's Family Help journey on both databases, every due date by hand: request for support → assessment →
plan → two reviews (one on time, one late) → step-up → step-down → closure "needs met". The plan is the same record
throughout (its id and goals never change); each step is its plan version with its audit event; and every Family
Help measure over the year is checked against the hand-counted figures.

Dates: the plan's first goal on Mon 19 Jan 2026 starts the early help plan clock (taf_review, 6 weeks): the first
review is due by Mon 2 Mar 2026. The local review interval is 6 weeks. 20 working days from Mon 2 Feb 2026 is
Mon 2 Mar 2026; from Mon 2 Mar 2026 it is Mon 30 Mar 2026 (no bank holiday in either stretch).
"""
from __future__ import annotations

import datetime as dt

from coordination.domain.measures import ClosureFact, FeedbackFact, ReviewFact, family_help_figures
from coordination.models import FamilyPlan, PlanGoal, Task
from coordination.repositories import plan as plan_repo
from coordination.services import assessment as assessment_service
from coordination.services import referrals as referrals_service
from coordination.services.family_help import closure, feedback, plan, reviews
from coordination.services.reporting.family_help import family_help_measures

from ..api.conftest import audit_events
from ..conftest import actor_of
from .test_journey_clocks import on

D = dt.date.fromisoformat


def review(uow, actor, family, goals, held_on, *, skye_heard=True, next_review_on=None):
    rowan, skye = [p for p in family.people if p.role == "child"]
    views = [{"child_id": rowan.id, "method": "own_words", "words": "Walking to school is fun"},
             {"child_id": skye.id, "method": "drawing", "words": "A drawing of our kitchen"} if skye_heard
             else {"child_id": skye.id, "method": "not_had", "reason": "Skye did not want to talk today"}]
    return reviews.record_review(uow, actor, family.id, held_on=D(held_on), attendees=["Morgan (mum)", "Teacher"],
                                 family_view="Mornings are calmer", child_views=views,
                                 progress=[{"goal_id": g, "score": 6} for g in goals], decisions="Carry on",
                                 next_review_on=D(next_review_on) if next_review_on else None)


def due(uow, family) -> dt.date | None:
    uow.session.expire_all()
    return plan_repo.get_plan(uow.session, family.id).next_review_due_on


def test_request_to_closure_keeps_one_plan_with_every_due_date_audit_event_and_measure(
        uow, practitioner, manager, make_family):
    me = actor_of(practitioner)
    on(uow, "2026-01-05")
    family = make_family(practitioner)
    request = referrals_service.create_referral(uow, me, family.id, family.children[0].id, "early_help",
                                                practitioner.agency_id, "Mornings are hard (fictional)")
    referrals_service.decide(uow, me, request.id, "accept", "Early help agreed")
    referrals_service.transition(uow, me, request.id, "assessment")
    assessment_service.save_section(uow, me, family.id, "family_story", "A fictional story.", 0)
    uow.commit()

    on(uow, "2026-01-19")
    referrals_service.transition(uow, me, request.id, "plan")
    goals = [plan.add_goal(uow, me, family.id, title="Calm mornings", outcome_area="education").id,
             plan.add_goal(uow, me, family.id, title="Money lasts the month", outcome_area="financial_stability").id]
    uow.commit()
    plan_id = plan_repo.get_plan(uow.session, family.id).id
    assert due(uow, family) == D("2026-03-02")

    on(uow, "2026-02-02")
    early = feedback.add_feedback(uow, me, family.id, said="Meetings clash with my shifts")
    on(uow, "2026-02-23")
    first = review(uow, me, family, goals, "2026-02-23")
    uow.commit()
    assert (first.on_time, first.due_on, due(uow, family)) == (True, D("2026-03-02"), D("2026-04-06"))

    on(uow, "2026-03-02")
    feedback.respond(uow, me, early.id, we_did="Meetings moved to 4pm")
    late = feedback.add_feedback(uow, me, family.id, said="The letters are hard to read")
    on(uow, "2026-04-01")
    feedback.respond(uow, me, late.id, we_did="Letters in plain words")
    on(uow, "2026-04-13")
    second = review(uow, me, family, goals, "2026-04-13", skye_heard=False, next_review_on="2026-05-11")
    uow.commit()
    assert (second.on_time, second.due_on, due(uow, family)) == (False, D("2026-04-06"), D("2026-05-11"))

    on(uow, "2026-04-20")
    up = closure.close_plan(uow, me, family.id, closed_on=D("2026-04-20"), reason="step_up", feedback_sought=False)
    on(uow, "2026-06-01")
    down = closure.close_plan(uow, me, family.id, closed_on=D("2026-06-01"), reason="step_down",
                              feedback_sought=False)
    uow.commit()
    assert (up.plan_id, down.plan_id, up.status, down.status) == (plan_id, plan_id, "open", "open")
    assert due(uow, family) == D("2026-05-11")  # the receiving team carries the same review clock on

    on(uow, "2026-07-06")
    done = closure.close_plan(uow, me, family.id, closed_on=D("2026-07-06"), reason="needs_met", feedback_sought=True,
                              goals=[{"goal_id": goals[0], "outcome": "met"},
                                     {"goal_id": goals[1], "outcome": "partly_met"}])
    uow.commit()

    assert (done.plan_id, done.status) == (plan_id, "closed") and due(uow, family) is None
    assert [p.id for p in uow.session.query(FamilyPlan).filter_by(family_id=family.id)] == [plan_id]
    assert [g.id for g in uow.session.query(PlanGoal).filter_by(plan_id=plan_id).order_by(PlanGoal.position,
                                                                                          PlanGoal.created_at)] \
        == goals
    assert uow.session.query(Task).filter_by(family_id=family.id, kind="plan_review", done_at=None).count() == 0
    events = [(e.action, e.record_type, e.details.get("version"), e.details.get("closure_reason"))
              for e in audit_events(uow, family_id=str(family.id))
              if e.record_type in ("plan_goal", "plan_review", "family_plan") and e.action != "read"]
    assert events == [("create", "plan_goal", 1, None), ("create", "plan_goal", 2, None),
                      ("create", "plan_review", 3, None), ("create", "plan_review", 4, None),
                      ("update", "family_plan", 5, "step_up"), ("update", "family_plan", 6, "step_down"),
                      ("close", "family_plan", 7, "needs_met")]

    figures = family_help_measures(uow, actor_of(manager), D("2026-01-01"), D("2026-12-31"))
    assert figures["reviews"] == {"held": 2, "on_time": 1, "percent_on_time": 50.0, "every_child_heard": 1,
                                  "percent_every_child_heard": 50.0}
    assert figures["closures"]["total"] == 3
    assert {k: v for k, v in figures["closures"]["by_reason"].items() if v} == {
        "step_up": 1, "step_down": 1, "needs_met": 1}
    assert figures["goals"] == {"with_outcome": 2, "met": 1, "percent_met": 50.0}
    assert figures["feedback"] == {"given": 2, "answered_in_time": 1, "percent_answered_in_time": 50.0}
    spring = family_help_measures(uow, actor_of(manager), D("2026-04-01"), D("2026-04-30"))
    assert (spring["reviews"]["held"], spring["reviews"]["percent_on_time"], spring["closures"]["total"],
            spring["goals"]["percent_met"], spring["feedback"]["given"]) == (1, 0.0, 1, None, 0)


def test_the_measures_on_a_hand_built_set():
    reviews_ = [ReviewFact(True, True), ReviewFact(True, False), ReviewFact(False, True)]
    closures = [ClosureFact("needs_met", False, ("met", "met", "not_met")), ClosureFact("step_up", True, ("met",)),
                ClosureFact("moved_away", False, ("partly_met",))]
    feedback_ = [FeedbackFact(D("2026-02-02"), D("2026-03-02")), FeedbackFact(D("2026-02-02"), D("2026-03-03")),
                 FeedbackFact(D("2026-12-24"), D("2027-01-26")), FeedbackFact(D("2026-05-01"), None)]

    figures = family_help_figures(reviews_, closures, feedback_)

    assert figures["reviews"] == {"held": 3, "on_time": 2, "percent_on_time": 66.7, "every_child_heard": 2,
                                  "percent_every_child_heard": 66.7}
    assert figures["closures"] == {"total": 3, "by_reason": {"needs_met": 1, "step_up": 1, "step_down": 0,
                                                             "family_withdrew": 0, "moved_away": 1, "other": 0}}
    # the step-up's outcome is not counted: the plan carried on
    assert figures["goals"] == {"with_outcome": 4, "met": 2, "percent_met": 50.0}
    # 24 Dec 2026 + 20 working days (25, 28 Dec and 1 Jan are bank holidays) = Tue 26 Jan 2027, the last day in time
    assert figures["feedback"] == {"given": 4, "answered_in_time": 2, "percent_answered_in_time": 50.0}
    assert family_help_figures([], [], [])["reviews"]["percent_on_time"] is None
