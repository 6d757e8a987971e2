"""Family Help pages around the plan: recording a review (every error at once, then a check-answers page before
anything is saved), closing or handing over the plan (a step-up keeps it open), re-opening, "you said, we did"
feedback and family group decision-making."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.services.family_help import plan as plan_service

from ..api.conftest import audit_events
from ..conftest import actor_of
from .conftest import error_summary, ids_in, title_of

SERVICE = "Early help case coordination"
TODAY = dt.date.today()


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


@pytest.fixture
def goal(uow, practitioner, family):
    view = plan_service.add_goal(uow, actor_of(practitioner), family.id,
                                 title="We want mornings to be calm", outcome_area="education")
    uow.commit()
    return view


def today_parts(name: str, day: dt.date = TODAY) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def review_answers(**extra) -> dict:
    return {**today_parts("held_on"), "attendees": "Morgan (mum)\nClass teacher",
            "family_view": "Mornings are calmer now", "method_0": "own_words",
            "words_0": "I walk with my friends", "method_1": "not_had", "reason_1": "Skye was poorly",
            "score_0": "7", "decisions": "Keep going", **extra}


def test_an_empty_review_lists_every_error_each_linked_to_its_field(signed_in, family, goal):
    html = signed_in.submit(f"/families/{family.id}/reviews/new", {"held_on": ["", "", ""]}).get_data(as_text=True)

    errors = error_summary(html)
    assert list(errors.values()) == [
        "Enter the date the review was held", "Enter who attended the review", "Enter what the family said",
        "Choose how the child's view was had, or that it could not be had",
        "Choose how the child's view was had, or that it could not be had", "Enter a score from 0 to 10"]
    assert all(href.lstrip("#") in ids_in(html) for href in errors)
    assert title_of(html).startswith("Error: Record a review")
    assert audit_events(uow_of(signed_in), record_type="plan_review") == []


def uow_of(browser):
    from coordination.extensions import state
    return state(browser.client.application).unit_of_work()


def test_the_check_page_shows_the_answers_and_saves_nothing_until_confirmed(signed_in, family, goal):
    check = signed_in.submit(f"/families/{family.id}/reviews/new", review_answers())
    html = check.get_data(as_text=True)
    assert check.status_code == 200 and title_of(html) == f"Check the review before recording it – {SERVICE}"
    assert "I walk with my friends" in html and "Could not be had: Skye was poorly" in html and "7 out of 10" in html
    assert audit_events(uow_of(signed_in), record_type="plan_review") == []

    changed = signed_in.submit(f"/families/{family.id}/reviews/new", {**review_answers(), "change": "yes"})
    assert "Record a team around the family review" in changed.get_data(as_text=True)
    assert 'value="I walk with my friends"' not in changed.get_data(as_text=True)  # a textarea, refilled
    assert "I walk with my friends" in changed.get_data(as_text=True)

    saved = signed_in.submit(f"/families/{family.id}/reviews/new", {**review_answers(), "confirm": "yes"},
                             form_url=f"/families/{family.id}/reviews/new")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/families/{family.id}/plan")
    plan_html = signed_in.get(f"/families/{family.id}/plan").get_data(as_text=True)
    assert "Review recorded" in plan_html and "I walk with my friends" in plan_html and "7/10" in plan_html
    assert "View could not be had: Skye was poorly" in plan_html


def test_step_up_keeps_the_plan_open_and_closing_needs_every_outcome(signed_in, family, goal):
    url = f"/families/{family.id}/plan/close"
    empty = signed_in.submit(url, {"closed_on": ["", "", ""]}).get_data(as_text=True)
    assert list(error_summary(empty).values()) == [
        "Enter the date the plan closed", "Select why the plan is closing"]
    handed = signed_in.submit(url, {**today_parts("closed_on"), "reason": "step_up", "feedback_sought": "no"},
                              follow_redirects=True).get_data(as_text=True)
    assert "the receiving team carries on the same plan" in handed and "Close or hand over the plan" in handed
    missing = signed_in.submit(url, {**today_parts("closed_on"), "reason": "needs_met", "feedback_sought": "yes"})
    assert list(error_summary(missing.get_data(as_text=True)).values()) == [
        "Select the outcome of every goal of the plan"]
    closed = signed_in.submit(url, {**today_parts("closed_on"), "reason": "needs_met", "feedback_sought": "yes",
                                    "outcome_0": "met"}, follow_redirects=True).get_data(as_text=True)
    assert "Plan closed" in closed and "Re-open the plan" in closed and "None: the plan is closed" in closed
    reopened = signed_in.submit(f"/families/{family.id}/plan/reopen", {"reason": "Things got harder"},
                                follow_redirects=True).get_data(as_text=True)
    assert "Plan re-opened, within 12 months of closing" in reopened


def test_feedback_is_recorded_and_answered(signed_in, family):
    url = f"/families/{family.id}/feedback"
    empty = signed_in.submit(url, {"said": ""}).get_data(as_text=True)
    assert list(error_summary(empty).values()) == ["Enter what they said"]
    page = signed_in.submit(url, {"said": "Meetings clash with my shifts"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Meetings clash with my shifts" in html and "Not answered yet" in html
    link = html.split('href="/feedback/')[1].split('"')[0]
    answer = f"/feedback/{link}"
    assert list(error_summary(signed_in.submit(answer, {"we_did": ""}).get_data(as_text=True)).values()) == [
        "Enter what the team did about it"]
    done = signed_in.submit(answer, {"we_did": "Meetings moved to 4pm"}, follow_redirects=True)
    assert "Meetings moved to 4pm" in done.get_data(as_text=True)


def test_family_group_decision_making_page(signed_in, family):
    url = f"/families/{family.id}/fgdm"
    empty = signed_in.submit(url, {"exempt": "no"}).get_data(as_text=True)
    assert list(error_summary(empty).values()) == ["Enter the date the meeting was offered",
                                                   "Choose the parent or carer it was offered to"]
    parent = next(p for p in family.people if p.role == "parent_carer")
    saved = signed_in.submit(url, {"exempt": "no", **today_parts("offered_on"), "offered_to_id": str(parent.id),
                                   "response": "accepted", "response_by_id": str(parent.id),
                                   "attendees": "Jo, aunt", "family_plan": "Jo does Tuesdays"},
                             follow_redirects=True)
    assert "Family group decision-making recorded" in saved.get_data(as_text=True)
    again = signed_in.get(url).get_data(as_text=True)
    assert "Jo, aunt" in again and "Jo does Tuesdays" in again


def test_another_agency_gets_404(browser, outsider, family, goal):
    browser.sign_in(outsider)
    for path in (f"/families/{family.id}/reviews/new", f"/families/{family.id}/plan/close",
                 f"/families/{family.id}/feedback", f"/families/{family.id}/fgdm"):
        assert browser.get(path).status_code == 404, path


def test_an_overdue_review_is_on_the_due_list_the_caseload_and_the_tasks(uow, signed_in, practitioner, family):
    weeks_ago = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=8)
    uow.now = lambda: weeks_ago
    plan_service.add_goal(uow, actor_of(practitioner), family.id, title="Calm mornings", outcome_area="education")
    uow.commit()
    due = signed_in.get("/referrals/due").get_data(as_text=True)
    assert "Family plan reviews" in due and f'href="/families/{family.id}/plan"' in due and "Overdue" in due
    assert "review overdue since" in signed_in.get("/caseload").get_data(as_text=True)
    tasks = signed_in.get("/tasks").get_data(as_text=True)
    assert "Team around the family review due" in tasks and "Family plan review" in tasks


def test_the_manager_dashboard_shows_the_family_help_measures(uow, browser, manager, practitioner, family, goal):
    from coordination.services.family_help import closure
    closure.close_plan(uow, actor_of(practitioner), family.id, closed_on=TODAY, reason="needs_met",
                       feedback_sought=True, goals=[{"goal_id": goal.id, "outcome": "met"}])
    uow.commit()
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?from_date={TODAY.replace(month=1, day=1)}&to_date={TODAY}").get_data(as_text=True)
    section = html.split('id="family-help"')[1]
    assert "Goals met at closure" in section and "100.0%" in section and "Closures: Needs met" in section
