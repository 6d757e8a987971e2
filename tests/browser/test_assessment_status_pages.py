"""The assessment's status in headless Chromium: the task list, the agreement page (with and without its errors)
and the family's copy are axe-clean at 1280 and 375 px with no horizontal scroll; printing the family's copy
shows no navigation or buttons."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.assessment_status import is_required
from coordination.domain.sections import SECTION_KEYS
from coordination.extensions import state
from coordination.services import assessment, assessment_status
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "ada.assess@example.org"
LONG = "Fictional text in the family's words. We moved to Eastmere last spring and the mornings were hard. " * 4


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Ada Assess")
    uow.commit()
    worker = actor_for_user(user)
    family = create_family(uow, worker, [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
                                         NewPerson("child", "Rowan", "Fernleaf", dt.date(2011, 2, 3)),
                                         NewPerson("child", "Skye", "Fernleaf", dt.date(2018, 7, 9))],
                           confirm_new=True)
    uow.commit()
    for key in [k for k in SECTION_KEYS if is_required(k)]:
        assessment.save_section(uow, worker, family.id, key, LONG, 0)
        if key != "safety":
            assessment_status.mark_section(uow, worker, family.id, key, "completed")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_task_list_agreement_and_familys_copy_are_axe_clean_and_fit(live, chromium, width):
    base, family = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/assessment")
    axe.clean("Assessment")
    fits(page, width)
    assert page.locator(".govuk-task-list__status", has_text="Completed").count() == 9
    # The last required section, from its own page.
    page.goto(f"{base}/families/{family}/assessment/safety")
    page.get_by_label("Yes, I\u2019ve completed this section").check()
    page.get_by_role("button", name="Save and go back to the assessment").click()
    axe.clean("Assessment")
    page.get_by_role("button", name="Record that the family agreed the assessment").click()
    axe.clean("Record that the family agreed the assessment")
    fits(page, width)
    assert page.get_by_label("Rowan Fernleaf (young person)").count() == 1  # 15: may agree for themself
    assert page.get_by_label("Skye Fernleaf (young person)").count() == 0   # 8: too young
    page.get_by_role("button", name="Record the agreement").click()
    axe.clean("Record that the family agreed the assessment", errors=True)
    fits(page, width)
    assert page.locator(".govuk-error-summary li").count() == 2
    page.get_by_label("Morgan Fernleaf").check()
    today = dt.date.today()
    page.fill("#agreed_on-day", str(today.day))
    page.fill("#agreed_on-month", str(today.month))
    page.fill("#agreed_on-year", str(today.year))
    page.get_by_role("button", name="Record the agreement").click()
    axe.clean("Assessment")
    assert page.get_by_text("waiting for a manager to sign it off").count() == 1
    page.get_by_role("link", name="The family's copy, to print").click()
    axe.clean("Your family's assessment")
    fits(page, width)
    assert page.get_by_text("The safety section is not included").is_visible()
    assert page.locator(".govuk-service-navigation").count() == 0
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert not page.locator(".govuk-back-link").is_visible()
    assert page.get_by_role("heading", name="What is working well").is_visible()
    page.close()
