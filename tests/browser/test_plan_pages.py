"""Family Help pages in headless Chromium: the plan, add a goal, add an action, change an action's status, the
lead practitioner and the team, axe-clean with and without errors at 1280 and 375 px with no horizontal scroll;
an action is added without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family
from coordination.services.family_help import plan, team

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "pia.plan@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Pia Plan")
    school = admin.add_agency(uow, Actor.system("browser test"), "Riverside Primary School (fictional)", "school")
    uow.commit()
    worker = actor_for_user(user)
    family = create_family(uow, worker, [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
                                         NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))],
                           confirm_new=True)
    goal = plan.add_goal(uow, worker, family.id, title="We want mornings to be calm so Rowan gets to school on "
                         "time, without shouting", outcome_area="education")
    action = plan.add_action(uow, worker, family.id, goal.id, description="Walking bus from the corner shop, "
                             "Monday to Friday, with a named adult", owner={"agency_id": school.id},
                             due_on=dt.date.today() + dt.timedelta(days=14))
    team.add_member(uow, worker, family.id, agency_id=school.id, role="Class teacher and attendance lead")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id), str(goal.id), str(action.id)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_family_help_pages_are_axe_clean_with_and_without_errors_and_fit_the_screen(live, chromium, width):
    base, family, goal, action = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="Family plan").click()
    axe.clean("Family plan")
    fits(page, width)
    pages = (
        (f"/families/{family}/plan/goals/new", "Add a goal", "Add goal", 2),
        (f"/families/{family}/plan/goals/{goal}/actions/new", "Add an action", "Add action", 3),
        (f"/families/{family}/plan/goals/{goal}/actions/{action}/status", "Change the action's status",
         "Save status", 1),
        (f"/families/{family}/lead", "Lead practitioner", "Save lead practitioner", 1),
        (f"/families/{family}/team/new", "Add someone to the team", "Add to the team", 2),
    )
    for path, title, button, count in pages:
        page.goto(base + path)
        axe.clean(title)
        fits(page, width)
        if "status" in path:
            page.get_by_role("radio", name="Dropped").check()
        page.get_by_role("button", name=button).click()
        axe.clean(title, errors=True)
        fits(page, width)
        assert page.locator(".govuk-error-summary li").count() == count, path
    page.goto(f"{base}/families/{family}/team")
    axe.clean("Team around the family")
    fits(page, width)
    assert page.locator('[data-sees-plan="no"]').count() == 1
    page.close()


def test_an_action_is_added_and_its_status_changed_without_javascript(live, chromium):
    base, family, goal, _action = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/plan/goals/{goal}/actions/new")
    page.get_by_label("What will be done?").fill("Morgan sets two alarms and lays out the uniform the night before")
    page.get_by_role("radio", name="Someone in the family").check()
    page.get_by_label("Family member").select_option(label="Morgan Fernleaf")
    day = dt.date.today() + dt.timedelta(days=7)
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#due_on-{part}").fill(str(value))
    page.get_by_role("button", name="Add action").click()
    page.wait_for_load_state("load")
    assert "Action added to the plan" in page.content()
    assert "By Morgan Fernleaf" in page.content()
    page.get_by_role("link", name="Morgan sets two alarms and lays out the uniform the night before").click()
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state("load")
    assert "Action status changed" in page.content() and page.locator(".govuk-tag", has_text="In progress").count()
