"""The census pages in headless Chromium: a child's census details, a social care referral's census details and
close form, and the manager's CIN census page with its pre-submission report: axe-clean with and without the
error summary, at 1280 and 375 px with no horizontal scroll; the census details save without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin
from coordination.services import referrals as referrals_service
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import PASSWORD, Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL, WORKER, MANAGER = "cass.census@example.org", "sol.census@example.org", "max.census@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Cass Census")
    system = Actor.system("browser test")
    team = admin.add_agency(uow, system, "Fictional Children's Social Care", "social_care")
    worker = admin.add_user(uow, system, WORKER, "Sol Worker", team.id, "practitioner", PASSWORD)
    admin.add_user(uow, system, MANAGER, "Max Manager", user.agency_id, "manager", PASSWORD)
    uow.commit()
    family = create_family(uow, actor_for_user(user), [
        NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
        NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))], confirm_new=True)
    rowan = family.people[1]
    referral = referrals_service.create_referral(uow, actor_for_user(user), family.id, rowan.id, "social_care",
                                                 team.id, "Fictional worries at home")
    referrals_service.decide(uow, actor_for_user(worker), referral.id, "accept", "Threshold met")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id), str(rowan.id), str(referral.id)


def check(axe, page, width, title, errors=False):
    axe.clean(title, errors=errors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_census_pages_are_axe_clean_and_fit_the_screen(live, chromium, width):
    base, family, rowan, referral = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/people/{rowan}/census")
    check(axe, page, width, "census details")
    page.get_by_label("Hearing (HEAR)").check()
    page.get_by_label("No disability (NONE)").check()
    page.get_by_role("button", name="Save", exact=True).click()
    check(axe, page, width, "census details", errors=True)
    page.context.clear_cookies()

    sign_in_as(page, base, WORKER)
    page.goto(f"{base}/referrals/{referral}")
    check(axe, page, width, "referral for Rowan Fernleaf")
    page.locator("#outcome").fill("Needs met")
    page.get_by_role("button", name="Close referral").click()
    check(axe, page, width, "referral for Rowan Fernleaf", errors=True)
    page.goto(f"{base}/referrals/{referral}/census")
    check(axe, page, width, "Children in need census details")
    page.context.clear_cookies()

    sign_in_as(page, base, MANAGER)
    today = dt.date.today()
    year = today.year + 1 if today.month >= 4 else today.year
    page.goto(f"{base}/returns/cin-census")
    check(axe, page, width, "Children in need census")
    page.locator("#year").fill(str(year))
    page.get_by_role("button", name="Check this year").click()
    check(axe, page, width, "Children in need census")
    assert "1 child has no ethnicity recorded" in page.content()
    page.goto(f"{base}/returns/cin-census?year=20x6")
    check(axe, page, width, "Children in need census", errors=True)
    page.close()


def test_census_details_save_without_javascript(live, chromium):
    base, family, rowan, _referral = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/people/{rowan}/census")
    page.get_by_label("Female (F)").check()
    page.locator("#ethnicity").select_option("WBRI")
    page.get_by_label("No disability (NONE)").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    assert "census details saved" in page.content()
