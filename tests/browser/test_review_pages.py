"""Family Help pages around the plan in headless Chromium: record a review (with errors, then its check-answers
page), close or hand over, re-open, you said we did, the answer to feedback, family group decision-making and the
due list; axe-clean with and without errors at 1280 and 375 px with no horizontal scroll; a review is recorded
through its check-answers page without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family
from coordination.services.family_help import closure, feedback, plan

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "rhea.review@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Rhea Review")
    uow.commit()
    worker = actor_for_user(user)
    people = [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
              NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3)),
              NewPerson("child", "Skye", "Fernleaf", dt.date(2019, 7, 9))]
    family = create_family(uow, worker, people, confirm_new=True)
    plan.add_goal(uow, worker, family.id, title="We want mornings to be calm so Rowan gets to school on time, "
                  "without shouting", outcome_area="education")
    closed = create_family(uow, worker, [NewPerson("parent_carer", "Alex", "Brookmoor", dt.date(1984, 1, 2)),
                                         NewPerson("child", "Sam", "Brookmoor", dt.date(2015, 3, 4))],
                           confirm_new=True)
    goal = plan.add_goal(uow, worker, closed.id, title="Sam sleeps through", outcome_area="health")
    closure.close_plan(uow, worker, closed.id, closed_on=dt.date.today(), reason="needs_met", feedback_sought=True,
                       goals=[{"goal_id": goal.id, "outcome": "met"}])
    said = feedback.add_feedback(uow, worker, family.id, said="The meetings are always when I am at work")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id), str(closed.id), str(said.id)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_the_pages_are_axe_clean_with_and_without_errors_and_fit_the_screen(live, chromium, width):
    base, family, closed, said = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    pages = (
        (f"/families/{family}/reviews/new", "Record a review", "Continue", 6),
        (f"/families/{family}/plan/close", "Close or hand over the plan", "Save", 1),
        (f"/families/{family}/feedback", "You said, we did", "Record feedback", 1),
        (f"/feedback/{said}/response", "Record what the team did", "Save", 1),
        (f"/families/{family}/fgdm", "Family group decision-making", "Save", 2),
        (f"/families/{closed}/plan/reopen", "Re-open the plan", "Re-open plan", 1),
    )
    for path, title, button, count in pages:
        page.goto(base + path)
        axe.clean(title)
        fits(page, width)
        if "fgdm" in path:
            page.get_by_role("radio", name="Yes, offer a meeting").check()
        if "reviews" in path:
            page.locator("#held_on-day").fill("")
            page.locator("#held_on-month").fill("")
            page.locator("#held_on-year").fill("")
        page.get_by_role("button", name=button).click()
        axe.clean(title, errors=True)
        fits(page, width)
        assert page.locator(".govuk-error-summary li").count() == count, path
    for path, title in ((f"/families/{family}/plan", "Family plan"), (f"/families/{closed}/plan", "Family plan"),
                        ("/referrals/due", "Due and overdue")):
        page.goto(base + path)
        axe.clean(title)
        fits(page, width)
    page.close()


def test_a_review_is_checked_then_recorded_without_javascript(live, chromium):
    base, family, _closed, _said = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/reviews/new")
    page.get_by_label("Who attended?").fill("Morgan (mum)\nClass teacher")
    page.get_by_label("What did the family say?").fill("Mornings are calmer now")
    page.locator("#method_0").check()
    page.get_by_label("Rowan's view, in their own words").fill("I walk with my friends")
    page.locator("input[name=method_1][value=not_had]").check()
    page.get_by_label("Why could Skye's view not be had?").fill("Skye was poorly")
    page.get_by_label("Goal 1: progress from 0 to 10").fill("7")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    assert "Check the review before recording it" in page.content() and "7 out of 10" in page.content()
    page.get_by_role("button", name="Record review").click()
    page.wait_for_load_state("load")
    assert "Review recorded" in page.content() and "I walk with my friends" in page.content()
