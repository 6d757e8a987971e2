"""The tasks page in headless Chromium: axe-clean with tasks, after marking one done (success banner) and when
empty; marking done works without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.domain.calendar import add_calendar
from coordination.extensions import state
from coordination.services import admin, auth, tasks
from coordination.services.families import NewPerson, create_family

from .conftest import PASSWORD, Axe, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "tia.tasks@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    hub = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    worker = admin.add_user(uow, system, EMAIL, "Test Practitioner", hub.id, "practitioner", PASSWORD)
    uow.commit()
    today = uow.today()
    create_family(uow, auth.actor_for_user(worker), [
        NewPerson("parent_carer", "Morgan", "Quillfield", dt.date(1986, 5, 4)),
        NewPerson("child", "Tamsin", "Quillfield", add_calendar(today + dt.timedelta(days=20), months=-14 * 12)),
        NewPerson("child", "Ellis", "Quillfield", add_calendar(today - dt.timedelta(days=5), months=-18 * 12))],
        confirm_new=True)
    uow.commit()
    assert tasks.raise_age_transition_tasks(uow, system) >= 2
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base


def test_tasks_page_is_axe_clean_and_a_task_is_marked_done_without_javascript(live, chromium):
    # axe-core needs JavaScript: the pages are checked in one context and worked through in another without it.
    checker = chromium.new_context().new_page()
    axe = Axe(checker)
    sign_in_as(checker, live, EMAIL)
    checker.goto(f"{live}/tasks")
    axe.clean("Tasks")
    assert checker.locator("[data-task]").count() >= 2 and "Overdue" in checker.content()

    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, live, EMAIL)
    page.goto(f"{live}/tasks")
    while page.locator("[data-task]").count():
        page.locator("[data-task]").first.get_by_role("button").click()
        page.wait_for_load_state("load")
        assert "Marked as done" in page.locator(".govuk-notification-banner").inner_text()
    assert "Your agency has no tasks to do." in page.content()

    checker.goto(f"{live}/tasks")
    axe.clean("Tasks")
    assert "Your agency has no tasks to do." in checker.content()
