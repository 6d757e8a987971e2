"""Consented sharing pages in headless Chromium, with axe-core on every page, normal and with errors.

Runs against a live server over a committed SQLite database (the web tests cover both databases).
A JavaScript-disabled context records a consent through the whole question → check answers → confirm
flow: the service must work without JavaScript.
"""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin, assessment, auth
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent, disclosure, safeguarding

from .conftest import PASSWORD, Axe, serve, sign_in_as

pytestmark = pytest.mark.browser

USERS = {"practitioner": "sam.sharing@example.org", "manager": "mo.manager@example.org",
         "admin": "al.admin@example.org", "admin2": "bo.admin@example.org"}


@pytest.fixture
def live(browser_app):
    """A live server with a family, a consent, a partner read, a disclosure and a key already recorded."""
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    hub = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    school = admin.add_agency(uow, system, "Fictional Primary School", "school")
    police = admin.add_agency(uow, system, "Fictional Police", "police")
    users = {role: admin.add_user(uow, system, email, f"Test {role.title()}", hub.id, role, PASSWORD)
             for role, email in USERS.items() if role != "admin2"}
    admin.add_user(uow, system, USERS["admin2"], "Test Second Admin", hub.id, "admin", PASSWORD)
    uow.commit()
    worker = auth.actor_for_user(users["practitioner"])
    today = uow.today()
    family = create_family(uow, worker, [
        NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
        NewPerson("child", "Teagan", "Fernleaf", dt.date(today.year - 17, 1, 10)),
        NewPerson("child", "Pip", "Fernleaf", dt.date(today.year - 7, 2, 3))], confirm_new=True)
    uow.commit()
    parent = family.people[0].id
    consent.record_consent(uow, worker, family.id, given_by=parent, capacity="parent_with_pr",
                           sections=["strengths"], recipients={"agencies": [school.id], "agency_types": []},
                           purpose="To support the family plan at school")
    key, _ = auth.issue_api_key(uow, system, school.id, "School MIS", ["read:assessment"])
    uow.commit()
    assessment.save_section(uow, worker, family.id, "strengths", "Fictional strengths text.", 0)
    uow.commit()
    disclosure.disclose_assessment(uow, auth.actor_for_key(key), family.id)
    uow.commit()
    safeguarding.record_disclosure(uow, auth.actor_for_user(users["manager"]), family.id, agency_id=police.id,
                                   sections=["safety"], lawful_basis="public_task",
                                   justification="Fictional risk for the test", expires_on=today + dt.timedelta(days=5))
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield {"base": base, "family": str(family.id), "school": str(school.id)}




def sign_in(page, base, role):
    sign_in_as(page, base, USERS[role])


def test_practitioner_sharing_pages_are_axe_clean_with_and_without_errors(live, chromium):
    base, family = live["base"], live["family"]
    page = chromium.new_context().new_page()
    axe = Axe(page)
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="Consent and sharing").click()
    axe.clean("Consent and sharing")
    assert page.locator("table caption").count() == 1
    page.get_by_role("button", name="Record a consent decision").click()
    axe.clean("Record a consent decision")
    page.get_by_role("button", name="Continue").click()
    axe.clean("Record a consent decision", errors=True)
    page.get_by_label("Teagan Fernleaf").check()
    page.get_by_label("Young person (16 or over)").check()
    page.get_by_label("Health and wellbeing").check()
    page.get_by_label("Fictional Primary School (Schools)").check()
    page.get_by_label("What will the information be used for?").fill("To help at school")
    page.get_by_role("button", name="Continue").click()
    # nothing was preselected: the decision and how it was given are asked for, not assumed
    axe.clean("Record a consent decision", errors=True)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select whether they agreed to share" in summary and "Select how the decision was given" in summary
    page.get_by_label("Yes, share the information").check()
    page.get_by_label("Written").check()
    page.get_by_role("button", name="Continue").click()
    axe.clean("Check the consent before recording it")
    page.get_by_role("button", name="Record consent decision").click()
    axe.clean("Consent and sharing")
    assert "Consent recorded" in page.content()
    page.get_by_role("link", name="Withdraw this consent").first.click()
    axe.clean("Withdraw consent")
    page.get_by_role("button", name="Withdraw consent").click()
    axe.clean("Withdraw consent", errors=True)
    page.goto(f"{base}/families/{family}/access-log")
    axe.clean("Who has seen this information")
    assert "School MIS" in page.content()


def test_manager_disclosure_and_oversight_pages_are_axe_clean(live, chromium):
    base, family = live["base"], live["family"]
    page = chromium.new_context().new_page()
    axe = Axe(page)
    sign_in(page, base, "manager")
    page.goto(f"{base}/families/{family}/disclosures/new")
    axe.clean("Record a safeguarding disclosure")
    page.get_by_role("button", name="Continue").click()
    axe.clean("Record a safeguarding disclosure", errors=True)
    page.get_by_label("Fictional Police (Police)").check()
    page.get_by_label("Safety: abuse, exploitation, substance use").check()
    page.get_by_label("Public task (UK GDPR Art 6(1)(e))").check()
    page.get_by_label("Why must it be shared without consent?").fill("Fictional reason")
    page.get_by_label("No, the family can see it").check()
    page.get_by_role("button", name="Continue").click()
    axe.clean("Check the disclosure before recording it")
    page.get_by_role("button", name="Record disclosure").click()
    axe.clean("Consent and sharing")
    page.locator(".govuk-service-navigation").get_by_role("link", name="Oversight", exact=True).click()
    axe.clean("Sharing without consent: oversight")
    page.get_by_role("link", name="Revoke").first.click()
    axe.clean("Revoke a safeguarding disclosure")
    page.get_by_role("button", name="Revoke disclosure").click()
    axe.clean("Revoke a safeguarding disclosure", errors=True)
    page.goto(f"{base}/oversight")
    page.get_by_role("link", name="Do not show to the family").first.click()
    axe.clean("Stop showing a disclosure to the family")
    page.get_by_role("button", name="Do not show it to the family").click()
    axe.clean("Stop showing a disclosure to the family", errors=True)


def test_admin_key_pages_are_axe_clean_and_the_secret_is_shown_once(live, chromium):
    base = live["base"]
    page = chromium.new_context().new_page()
    axe = Axe(page)
    sign_in(page, base, "admin")
    page.locator(".govuk-service-navigation").get_by_role("link", name="API keys", exact=True).click()
    axe.clean("Partner API keys")
    page.get_by_role("button", name="Issue a key").click()
    axe.clean("Issue a partner API key")
    page.get_by_role("button", name="Issue key").click()
    axe.clean("Issue a partner API key", errors=True)
    page.get_by_label("Agency").select_option(live["school"])
    page.get_by_label("Name of the key").fill("Second MIS")
    page.get_by_label("Send contributions to the assessment").check()
    page.get_by_role("button", name="Issue key").click()
    axe.clean("Key asked for: part 1 of 2")
    secret = page.locator("#secret").inner_text()
    assert secret.startswith("cck_")
    page.get_by_role("link", name="Back to partner API keys").click()
    axe.clean("Partner API keys")
    assert secret not in page.content() and "Waiting to be confirmed" in page.content()

    second = chromium.new_context().new_page()
    second_axe = Axe(second)
    sign_in(second, base, "admin2")
    second.goto(base + "/admin/api-keys")
    second.get_by_role("link", name="Confirm").first.click()
    second_axe.clean("Confirm a partner API key")
    second.get_by_role("button", name="Confirm key").click()
    second_axe.clean("Key confirmed: part 2 of 2")
    assert secret not in second.content()
    page.goto(base + "/admin/api-keys")
    page.get_by_role("link", name="Change expiry").first.click()
    axe.clean("Change a key")
    page.fill("#expires_on-day", "1")
    page.get_by_role("button", name="Save expiry").click()
    axe.clean("Change a key", errors=True)
    page.goto(base + "/admin/api-keys")
    page.get_by_role("link", name="Revoke").first.click()
    axe.clean("Revoke a partner API key")
    page.get_by_role("button", name="Revoke key").click()
    axe.clean("Revoke a partner API key", errors=True)


def test_recording_a_consent_works_without_javascript(live, chromium):
    base, family = live["base"], live["family"]
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/families/{family}/consents/new")
    page.get_by_label("Morgan Fernleaf").check()
    page.get_by_label("Parent or carer with parental responsibility").check()
    page.get_by_label("No, do not share it").check()
    page.get_by_label("Health and wellbeing").check()
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("What will the information be used for?").fill("Fictional purpose")
    page.get_by_label("Verbal").check()
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Check the consent before recording it")
    assert "No, do not share it" in page.content()
    page.get_by_role("button", name="Record consent decision").click()
    assert page.title().startswith("Consent and sharing")
    assert "Consent recorded" in page.content() and "refused sharing" in page.content()
