"""SEN2 in headless Chromium: an EHC request's details (reached from the referral page of the SEND team that
received it) and the manager's SEN2 page with its pre-submission report: axe-clean with and without the error
summary, at 1280 and 375 px with no horizontal scroll; the details save without JavaScript."""
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

EMAIL, OFFICER, MANAGER = "cass.sen@example.org", "sam.send@example.org", "max.sen@example.org"
RECEIVED = dt.date.today() - dt.timedelta(days=60)


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Cass Sen")
    system = Actor.system("browser test")
    team = admin.add_agency(uow, system, "Fictional SEND Service", "send_service")
    admin.add_user(uow, system, OFFICER, "Sam Send", team.id, "practitioner", PASSWORD)
    admin.add_user(uow, system, MANAGER, "Max Manager", user.agency_id, "manager", PASSWORD)
    uow.commit()
    family = create_family(uow, actor_for_user(user), [
        NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
        NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))], confirm_new=True)
    referral = referrals_service.create_referral(uow, actor_for_user(user), family.id, family.people[1].id,
                                                 "ehc_needs_assessment", team.id, "Fictional request",
                                                 received_on=RECEIVED)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(referral.id)


def check(axe, page, width, title, errors=False):
    axe.clean(title, errors=errors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_sen2_pages_are_axe_clean_and_fit_the_screen(live, chromium, width):
    base, referral = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, OFFICER)
    page.goto(f"{base}/referrals/{referral}")
    page.get_by_role("link", name="EHC details for SEN2").click()
    check(axe, page, width, "EHC details for SEN2")
    page.get_by_label("Yes: the local authority decided to assess (Y)").check()
    page.locator("#placement_urn").fill("123")
    page.get_by_role("button", name="Save", exact=True).click()
    check(axe, page, width, "EHC details for SEN2", errors=True)
    assert "Enter the date of the request outcome" in page.content()
    page.context.clear_cookies()

    sign_in_as(page, base, MANAGER)
    page.goto(f"{base}/returns/sen2")
    check(axe, page, width, "SEN2")
    page.locator("#year").fill(str(RECEIVED.year + 1))
    page.get_by_role("button", name="Check this year").click()
    check(axe, page, width, "SEN2")
    assert "1 EHC request has no request outcome" in page.content()
    page.goto(f"{base}/returns/sen2?year=20x7")
    check(axe, page, width, "SEN2", errors=True)
    page.close()


def test_ehc_details_save_without_javascript(live, chromium):
    base, referral = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, OFFICER)
    page.goto(f"{base}/referrals/{referral}/ehc-details")
    page.get_by_label("Not decided yet (A)").first.check()
    page.locator("#request_mediation").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    assert "EHC details saved" in page.content()


def test_the_sen2_page_warns_of_an_unset_header_axe_clean_at_375(live, chromium, browser_app):
    from dataclasses import replace

    base, _referral = live
    kept = state(browser_app)
    browser_app.extensions["coordination"] = replace(kept, settings=replace(kept.settings, sen2_dmo=None,
                                                                            sen2_dco=None))
    try:
        page = chromium.new_page(viewport={"width": 375, "height": 900})
        sign_in_as(page, base, MANAGER)
        page.goto(f"{base}/returns/sen2?year={RECEIVED.year + 1}")
        check(Axe(page), page, 375, "SEN2")
        assert "set SEN2_DMO before sending the file" in page.content()
        assert "set SEN2_DCO before sending the file" in page.content()
        page.close()
    finally:
        browser_app.extensions["coordination"] = kept
