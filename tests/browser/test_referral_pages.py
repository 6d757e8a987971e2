"""Referral pages in headless Chromium, with axe-core on every page, normal and with errors.

Runs against a live server over a committed SQLite database (the web tests cover both databases). A
JavaScript-disabled context makes a referral through the whole question → check answers → sent flow, and the
receiving team decides on it: the service must work without JavaScript.
"""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin, auth
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent

from .conftest import PASSWORD, Axe, serve, sign_in_as

pytestmark = pytest.mark.browser

USERS = {"practitioner": "rae.referrer@example.org", "social_worker": "sol.socialworker@example.org"}


@pytest.fixture
def live(browser_app):
    """A live server with an early help hub, a social care team, a family and the family's consent."""
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    hub = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    social = admin.add_agency(uow, system, "Fictional Borough Children's Social Care", "social_care")
    worker = admin.add_user(uow, system, USERS["practitioner"], "Test Practitioner", hub.id, "practitioner",
                            PASSWORD)
    admin.add_user(uow, system, USERS["social_worker"], "Test Social Worker", social.id, "practitioner", PASSWORD)
    uow.commit()
    today = uow.today()
    family = create_family(uow, auth.actor_for_user(worker), [
        NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
        NewPerson("child", "Teagan", "Fernleaf", dt.date(today.year - 12, 1, 10))], confirm_new=True)
    uow.commit()
    consent.record_consent(uow, auth.actor_for_user(worker), family.id, given_by=family.people[0].id,
                           capacity="parent_with_pr", sections=["family_story"],
                           recipients={"agencies": [], "agency_types": ["social_care"]},
                           purpose="So the teams Teagan is referred to read the family's story once")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield {"base": base, "family": str(family.id)}




def sign_in(page, base, role):
    sign_in_as(page, base, USERS[role])


def make_referral(page, base, family, axe=None):
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="Make a referral").click()
    if axe:
        axe.clean("Make a referral")
        page.get_by_role("button", name="Continue").click()
        axe.clean("Make a referral", errors=True)
    page.get_by_label("Teagan Fernleaf").check()
    page.get_by_label("Children's social care (step-up)").check()
    page.get_by_label("Which team will receive the referral?").select_option(
        label="Fictional Borough Children's Social Care (Children's social care)")
    page.get_by_label("Urgent", exact=True).check()
    page.get_by_label("Why are you making this referral?").fill("Fictional: worries about neglect at home")
    page.get_by_label("Our story: what has happened").check()
    page.get_by_label("Health and wellbeing").check()
    page.get_by_role("button", name="Continue").click()
    if axe:
        axe.clean("Check the referral before sending it")
    assert "does not cover Health and wellbeing" in page.content()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state("load")
    assert page.locator(".govuk-panel__title").inner_text().strip() == "Referral sent"


def test_referral_pages_are_axe_clean_with_and_without_errors(live, chromium):
    base, family = live["base"], live["family"]
    page = chromium.new_context().new_page()
    axe = Axe(page)
    sign_in(page, base, "practitioner")
    make_referral(page, base, family, axe)
    axe.clean("Referral sent")
    page.get_by_role("link", name="The child's journey across services").click()
    axe.clean("Teagan Fernleaf's journey across services")
    page.get_by_role("link", name="Due and overdue").first.click()
    axe.clean("Due and overdue")
    page.get_by_label("Service", exact=True).select_option("social_care")
    page.get_by_role("button", name="Show").click()
    axe.clean("Due and overdue")
    assert "pathway=social_care" in page.url and page.locator("tbody tr").count() == 2
    page.get_by_role("link", name="Referrals", exact=True).click()
    axe.clean("Referrals waiting for a decision")  # empty for the sending team

    other = chromium.new_context().new_page()
    team = Axe(other)
    sign_in(other, base, "social_worker")
    other.get_by_role("link", name="Referrals", exact=True).click()
    team.clean("Referrals waiting for a decision")
    other.get_by_role("link", name="Teagan Fernleaf").click()
    team.clean("Children's social care (step-up) referral for Teagan Fernleaf")
    other.get_by_role("button", name="Record decision").click()
    team.clean("referral for Teagan Fernleaf", errors=True)
    other.get_by_label("Accept the referral").check()
    other.get_by_label("Reason for the decision").fill("Section 17 assessment needed")
    other.get_by_role("button", name="Record decision").click()
    team.clean("referral for Teagan Fernleaf")
    other.get_by_role("button", name="Move to this stage").click()
    team.clean("referral for Teagan Fernleaf", errors=True)
    other.get_by_role("link", name="Step down to early help").click()
    team.clean("Step down to early help")
    assert axe.checked and team.checked


def test_a_referral_is_made_and_decided_with_javascript_disabled(live, chromium):
    base, family = live["base"], live["family"]
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "practitioner")
    make_referral(page, base, family)

    other = chromium.new_context(java_script_enabled=False).new_page()
    other.set_default_timeout(15_000)
    sign_in(other, base, "social_worker")
    other.goto(f"{base}/referrals")
    other.get_by_role("link", name="Teagan Fernleaf").click()
    other.get_by_label("Decline the referral").check()
    other.get_by_label("Reason for the decision").fill("Below the threshold for social care")
    other.get_by_label("If you decline, where was the family signposted?").fill("Fictional Family Hub")
    other.get_by_role("button", name="Record decision").click()
    other.wait_for_load_state("load")
    assert "Referral declined" in other.content() and "Fictional Family Hub" in other.content()


@pytest.mark.parametrize("width", [1280, 375])
def test_what_the_receiving_team_will_see_and_sees_fits_and_is_axe_clean(live, chromium, width):
    """The check page's "What the receiving team will see" and the team's "The child and family", at desktop
    and phone widths: the same details on both sides, axe-clean, no sideways scrolling."""
    base, family = live["base"], live["family"]
    page = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    axe = Axe(page)
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="Make a referral").click()
    page.get_by_label("Teagan Fernleaf").check()
    page.get_by_label("Children's social care (step-up)").check()
    page.get_by_label("Which team will receive the referral?").select_option(
        label="Fictional Borough Children's Social Care (Children's social care)")
    page.get_by_label("Routine", exact=True).check()
    page.get_by_label("Why are you making this referral?").fill("Fictional: worries at home")
    page.get_by_role("button", name="Continue").click()
    axe.clean("Check the referral before sending it")
    will_see = page.locator("[data-will-see]").inner_text()
    assert "Parents and carers" in will_see and "Shown: their names" in will_see
    assert "Our story: what has happened" in will_see
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Send referral").click()

    other = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    team = Axe(other)
    sign_in(other, base, "social_worker")
    other.goto(f"{base}/referrals")
    other.get_by_role("link", name="Teagan Fernleaf").first.click()
    team.clean("referral for Teagan Fernleaf")
    details = other.locator("[data-details]").inner_text()
    assert "10 January" in details and "Morgan Fernleaf" in details and "Not shared with your team" in details
    assert other.evaluate("document.documentElement.scrollWidth") <= width
