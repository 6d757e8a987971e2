"""Family Help around the plan over the API: reviews (each child's view, a score for every goal, the next review
due), closure and hand-over (the same plan carries on), re-opening flagged within 12 months, "you said, we did"
feedback (the lead told, a task until answered), family group decision-making, and the measures."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from coordination.domain.calendar import WorkingCalendar, add_calendar
from coordination.models import ReviewChildView, Task

from ..jobs.test_handlers import mail_lines
from .conftest import assert_problem, audit_events, staff_api
from .test_plan_api import goal, plan_of

TODAY = dt.date.today()


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


def children(family):
    return [p for p in family.people if p.role == "child"]


def review_body(family, goals, *, held_on=TODAY, scores=None, not_had=False, next_review_on=None):
    rowan, skye = children(family)
    return {"held_on": held_on.isoformat(), "attendees": ["Morgan (mum)", "Class teacher", "Family worker"],
            "family_view": "Mornings are calmer; we still argue about screens.",
            "child_views": [{"child_id": str(rowan.id), "words": "I like walking with my friends.",
                             "method": "own_words"},
                            {"child_id": str(skye.id), "method": "not_had", "reason": "Skye was unwell"}
                            if not_had else {"child_id": str(skye.id), "words": "A drawing of the park",
                                             "method": "drawing"}],
            "progress": [{"goal_id": g, "score": s} for g, s in zip(goals, scores or [5] * len(goals), strict=True)],
            "decisions": "Keep the walking bus; review screens.",
            **({"next_review_on": next_review_on.isoformat()} if next_review_on else {})}


def test_a_review_records_views_and_scores_moves_the_next_review_on_and_is_audited_without_words(
        client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    second = goal(api, family, "Money lasts the month", "financial_stability")
    assert plan_of(api, family)["next_review_due_on"] == add_calendar(TODAY, weeks=6)  # the taf_review clock

    response = api.post(f"/families/{family.id}/reviews", json=review_body(family, [first, second], scores=[6, 3]))

    assert response.status_code == 201, response.get_data(as_text=True)
    review_id = response.get_json()["id"]
    plan = plan_of(api, family)
    assert plan["next_review_due_on"] == add_calendar(TODAY, weeks=6)  # the default interval after it
    assert [[(str(p["review_id"]), p["score"]) for p in g["progress"]] for g in plan["goals"]] == [
        [(review_id, 6)], [(review_id, 3)]]
    [event] = audit_events(uow, record_type="plan_review")
    assert (event.action, event.details["on_time"], event.details["every_child_heard"], event.details["version"]) \
        == ("create", True, True, 3)
    assert "walking" not in json.dumps(event.details)
    tasks = uow.session.query(Task).filter_by(family_id=family.id, kind="plan_review").all()
    assert [(t.due_on, t.done_at) for t in tasks] == [(add_calendar(TODAY, weeks=6), None)]  # one, on the tasks page


def test_every_problem_with_a_review_is_reported_at_once(client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    goal(api, family, "Money lasts the month", "financial_stability")
    rowan, _skye = children(family)
    body = {"held_on": (TODAY + dt.timedelta(days=2)).isoformat(), "attendees": [], "family_view": " ",
            "child_views": [{"child_id": str(rowan.id), "method": "own_words", "words": ""}],
            "progress": [{"goal_id": first, "score": 11}],
            "next_review_on": (TODAY + dt.timedelta(weeks=20)).isoformat()}

    problem = assert_problem(api.post(f"/families/{family.id}/reviews", json=body), 422)

    assert set(problem["errors"]) == {"held_on", "attendees", "family_view", "child_views.0.words", "child_views",
                                      "progress.0.score", "progress", "next_review_on"}
    short = dict(body, held_on=TODAY.isoformat())
    problem = assert_problem(api.post(f"/families/{family.id}/reviews", json=short), 422)
    assert problem["errors"]["next_review_on"] == ["The next review must be within 6 weeks of this one"]


def test_a_childs_view_that_could_not_be_had_needs_a_reason_and_counts_as_not_heard(
        client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    body = review_body(family, [first], not_had=True)
    body["child_views"][1].pop("reason")
    problem = assert_problem(api.post(f"/families/{family.id}/reviews", json=body), 422)
    assert problem["errors"] == {"child_views.1.reason": ["Enter why the child's view could not be had"]}

    ok = api.post(f"/families/{family.id}/reviews", json=review_body(family, [first], not_had=True,
                                                                     next_review_on=TODAY + dt.timedelta(weeks=4)))
    assert ok.status_code == 201
    [event] = audit_events(uow, record_type="plan_review")
    assert event.details["every_child_heard"] is False
    assert plan_of(api, family)["next_review_due_on"] == TODAY + dt.timedelta(weeks=4)


def test_step_up_and_step_down_keep_the_same_plan_and_closure_needs_every_goal_outcome(
        client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    before = plan_of(api, family)
    for reason in ("step_up", "step_down"):
        response = api.post(f"/families/{family.id}/close", json={"closed_on": TODAY.isoformat(), "reason": reason,
                                                                  "feedback_sought": False})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert (response.get_json()["status"], response.get_json()["handover"]) == ("open", True)
    after = plan_of(api, family)
    assert [str(g["id"]) for g in after["goals"]] == [str(g["id"]) for g in before["goals"]] == [first]
    assert after["status"] == "open" and after["next_review_due_on"] == before["next_review_due_on"]

    problem = assert_problem(api.post(f"/families/{family.id}/close", json={
        "closed_on": TODAY.isoformat(), "reason": "other", "feedback_sought": True}), 422)
    assert set(problem["errors"]) == {"reason_text", "goals"}

    closed = api.post(f"/families/{family.id}/close", json={
        "closed_on": TODAY.isoformat(), "reason": "needs_met", "feedback_sought": True,
        "goals": [{"goal_id": first, "outcome": "met"}]})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert plan_of(api, family)["status"] == "closed" and plan_of(api, family)["next_review_due_on"] is None
    assert_problem(api.post(f"/families/{family.id}/plan/goals", json={"title": "More", "outcome_area": "health"}),
                   409)
    assert [(e.action, e.details["closure_reason"]) for e in audit_events(uow, record_type="family_plan")
            if "closure_reason" in e.details] == [("update", "step_up"), ("update", "step_down"),
                                                  ("close", "needs_met")]

    reopened = api.post(f"/families/{family.id}/reopen", json={"reason": "Things got hard again"})
    assert reopened.status_code == 200 and reopened.get_json()["reopened_within_12_months"] is True
    assert plan_of(api, family)["status"] == "open"


def test_feedback_tells_the_lead_without_its_words_and_is_a_task_until_answered(
        client, uow, practitioner, outsider, family):
    api = staff_api(client, uow, practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    response = api.post(f"/families/{family.id}/feedback",
                        json={"from_person_id": str(parent.id), "said": "Meetings clash with my shifts"})
    assert response.status_code == 201, response.get_data(as_text=True)
    feedback_id = response.get_json()["id"]
    task = uow.session.query(Task).filter_by(dedupe_key=f"feedback:{feedback_id}").one()
    assert task.done_at is None and task.due_on == WorkingCalendar().add_working_days(TODAY, 20)
    [notified] = audit_events(uow, record_type="family_feedback", action="notify")
    assert notified.details["topic"] == "feedback.received"
    [mail] = [m for m in mail_lines(client.application) if "feedback" in m["subject"].lower()]
    assert mail["to"] == [practitioner.email] and "has given feedback" in mail["body"]
    assert "shifts" not in json.dumps(mail)

    assert_problem(staff_api(client, uow, outsider).post(f"/feedback/{feedback_id}/response",
                                                         json={"we_did": "Moved them"}), 404)
    answer = api.post(f"/feedback/{feedback_id}/response", json={"we_did": "Meetings moved to 4pm"})
    assert answer.status_code == 200 and answer.get_json()["answered_on"] == TODAY.isoformat()
    uow.session.refresh(task)
    assert task.done_at is not None
    assert_problem(api.post(f"/feedback/{feedback_id}/response", json={"we_did": "Again"}), 409)


def test_family_group_decision_making_offer_then_meeting(client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    problem = assert_problem(api.post(f"/families/{family.id}/fgdm", json={"exempt": True}), 422)
    assert set(problem["errors"]) == {"exemption_reason"}
    problem = assert_problem(api.post(f"/families/{family.id}/fgdm", json={
        "meeting_on": TODAY.isoformat()}), 422)
    assert set(problem["errors"]) == {"offered_on", "offered_to_id", "meeting_on"}
    offer = {"offered_on": (TODAY - dt.timedelta(days=10)).isoformat(), "offered_to_id": str(parent.id)}
    created = api.post(f"/families/{family.id}/fgdm", json=offer)
    assert created.status_code == 201, created.get_data(as_text=True)
    fgdm_id = created.get_json()["id"]
    held = api.put(f"/families/{family.id}/fgdm/{fgdm_id}", json={
        **offer, "response": "accepted", "response_by_id": str(parent.id), "meeting_on": TODAY.isoformat(),
        "attendees": [{"name": "Jo", "relationship": "aunt"}], "child_attended": True,
        "family_plan": "Jo does the school run on Tuesdays."})
    assert held.status_code == 200, held.get_data(as_text=True)
    events = audit_events(uow, record_type="fgdm_record")
    assert [(e.action, e.details["response"], e.details["meeting_held"]) for e in events] == [
        ("create", None, False), ("update", "accepted", True)]
    assert "Tuesdays" not in json.dumps([e.details for e in events])


def test_the_chronology_has_plan_changes_reviews_hand_overs_and_feedback_without_the_familys_words(
        client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    assert api.post(f"/families/{family.id}/reviews", json=review_body(family, [first])).status_code == 201
    assert api.post(f"/families/{family.id}/close", json={"closed_on": TODAY.isoformat(), "reason": "step_up",
                                                          "feedback_sought": False}).status_code == 200
    assert api.post(f"/families/{family.id}/feedback", json={"said": "Meetings clash"}).status_code == 201

    items = api.get(f"/families/{family.id}/chronology?kind=plan,review,lead,feedback").get_json()["items"]

    summaries = [(i["kind"], i["summary"]) for i in items]
    assert ("feedback", "Feedback from the family (you said)") in summaries
    assert ("plan", "Stepped up to children's social care: the same plan carried on (version 3)") in summaries
    assert any(k == "review" and "(on time): 2 of 2 children's views in their words" in s for k, s in summaries)
    assert ("plan", "Family plan: goal added (version 1)") in summaries
    assert "Meetings clash" not in str(items) and "mornings" not in str(items).lower()
    assert all(i["link"].endswith(f"/families/{family.id}/plan") for i in items)


def test_attendees_may_be_named_by_reference_and_are_kept_as_names(client, uow, practitioner, family):
    from coordination.models import PlanReview

    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    parent = next(p for p in family.people if p.role == "parent_carer")
    body = review_body(family, [first])
    body["attendees"] = [{"person_id": str(parent.id), "role": "mum"}, {"user_id": str(practitioner.id)},
                         {"name": "Class teacher"}, "Family worker"]
    response = api.post(f"/families/{family.id}/reviews", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    uow.session.expire_all()
    review = uow.session.get(PlanReview, uuid.UUID(response.get_json()["id"]))
    assert json.loads(review.unseal(uow.keys, "attendees")) == [
        f"{parent.given_name} {parent.family_name} (mum)", practitioner.name, "Class teacher", "Family worker"]
    body["attendees"] = [{"person_id": str(uuid.uuid4())}]
    stranger = api.post(f"/families/{family.id}/reviews", json=body)
    assert stranger.status_code == 422 and "attendees.0" in stranger.get_json()["errors"]
    assert api.post(f"/families/{family.id}/reviews", json={**body, "attendees": [{"role": "mum"}]}).status_code == 422


def test_a_baby_under_one_may_be_left_out_of_a_review_and_is_recorded_as_not_had(client, uow, practitioner, family):
    from coordination.models import PlanReview, ReviewChildView

    api = staff_api(client, uow, practitioner)
    first = goal(api, family)
    baby = api.post(f"/families/{family.id}/people", json={
        "role": "child", "given_name": "Kit", "family_name": "Testfamily",
        "date_of_birth": (TODAY - dt.timedelta(days=40)).isoformat()})
    assert baby.status_code == 201, baby.get_data(as_text=True)
    response = api.post(f"/families/{family.id}/reviews", json=review_body(family, [first]))
    assert response.status_code == 201, response.get_data(as_text=True)
    uow.session.expire_all()
    review = uow.session.get(PlanReview, uuid.UUID(response.get_json()["id"]))
    views = uow.session.query(ReviewChildView).filter_by(review_id=review.id).all()
    [kit] = [v for v in views if str(v.child_id) == baby.get_json()["id"]]
    assert kit.method == "not_had" and kit.unseal(uow.keys, "reason").startswith("A baby under one")
    assert review.every_child_heard is False  # the measure counts the review honestly


def test_a_childs_view_may_be_kept_confidential_to_them_and_must_be_a_boolean(client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    body = review_body(family, [goal(api, family)])
    body["child_views"][1]["confidential"] = "yes"
    problem = assert_problem(api.post(f"/families/{family.id}/reviews", json=body), 422)
    assert problem["errors"] == {"child_views.1.confidential": ["Not a valid boolean."]}

    body["child_views"][1]["confidential"] = True
    assert api.post(f"/families/{family.id}/reviews", json=body).status_code == 201
    [event] = audit_events(uow, record_type="plan_review")
    assert event.details["confidential_views"] == 1
    rows = uow.session.query(ReviewChildView).order_by(ReviewChildView.position).all()
    assert [r.confidential for r in rows] == [False, True]
