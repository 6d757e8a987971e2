"""The admin console in headless Chromium at 1280 and 375 px: the staff list, adding a staff member (with every
error, then check answers and the confirmation), their account page, changing a role, deactivating, sending a
reset link, the agencies pages, and the reset link's own pages as the staff member sees them. Each is axe-clean
and never scrolls sideways. Set SCREENSHOTS=<dir> to keep a picture of each page."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin

from .conftest import PASSWORD, Axe, serve, sign_in_as

pytestmark = pytest.mark.browser

ADMIN = "ada.admin@example.org"
LINK = re.compile(r"http://\S+(/password-reset\?link=rst_[A-Za-z0-9_\-]+)")


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    team = admin.add_agency(uow, system, "Fictional Borough Early Help Hub (North and Coastal Villages)",
                            "council_early_help", "north.coastal.hub@example.org")
    admin.add_agency(uow, system, "Fictional Primary School", "school")
    admin.add_user(uow, system, ADMIN, "Ada Admin", team.id, "admin", PASSWORD)
    admin.add_user(uow, system, "pat.practitioner@example.org", "Pat Practitioner", team.id, "practitioner",
                   PASSWORD)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _shot(page, width: int, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{width}-{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_admin_console_is_axe_clean_and_fits_the_screen(live, browser_app, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)

    def check(title: str, name: str, errors: bool = False) -> None:
        axe.clean(title, errors=errors)
        _fits(page, width)
        _shot(page, width, name)

    sign_in_as(page, live, ADMIN)
    check("You are signed in", "start")
    page.goto(f"{live}/admin/staff")
    check("Staff", "staff-list")
    page.get_by_role("button", name="Add a staff member").click()
    check("Add a staff member", "staff-new")
    page.get_by_role("button", name="Continue").click()
    check("Add a staff member", "staff-new-errors", errors=True)
    assert page.locator(".govuk-error-summary li").count() == 4
    page.fill("#name", "Rowan Newstarter")
    page.fill("#email", "rowan.newstarter@example.org")
    page.select_option("#agency_id", label="Fictional Primary School (School)")
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Continue").click()
    check("Check the staff member's details", "staff-check")
    page.get_by_role("button", name="Add staff member").click()
    check("Staff member added", "staff-added")
    page.get_by_role("link", name="See Rowan Newstarter's account").click()
    check("Rowan Newstarter", "staff-member")
    page.get_by_role("link", name="Change role").click()
    check("Change Rowan Newstarter's role", "staff-role")
    page.get_by_label("Manager").check()
    page.get_by_role("button", name="Change role").click()
    check("Rowan Newstarter", "staff-role-changed")
    assert page.get_by_text("is now a manager").is_visible()
    page.get_by_role("link", name="Deactivate").click()
    check("Deactivate Rowan Newstarter's account", "staff-deactivate")
    page.get_by_role("button", name="Deactivate account").click()
    check("Rowan Newstarter", "staff-deactivated")
    page.goto(f"{live}/admin/staff?status=active")
    check("Staff", "staff-list-filtered")
    page.get_by_role("link", name="Pat Practitioner").click()
    page.get_by_role("link", name="Send a password reset link").click()
    check("Send Pat Practitioner a password reset link", "staff-reset")
    page.get_by_role("button", name="Send link").click()
    check("Pat Practitioner", "staff-reset-sent")
    page.goto(f"{live}/admin/agencies")
    check("Agencies", "agencies")
    page.get_by_role("button", name="Add an agency").click()
    page.get_by_role("button", name="Add agency").click()
    check("Add an agency", "agency-new-errors", errors=True)
    page.get_by_role("link", name="Back to agencies").click()
    page.get_by_role("link", name="Change Fictional Primary School").click()
    check("Change Fictional Primary School", "agency-edit")

    # Pat opens the link from the email, in their own browser.
    mails = [json.loads(line) for line in state(browser_app).settings.mail_log.read_text().splitlines()]
    (path,) = [m for mail in mails if mail["to"] == ["pat.practitioner@example.org"]
               for m in LINK.findall(mail["body"])][-1:]
    pat = chromium.new_page(viewport={"width": width, "height": 900})
    page, axe = pat, Axe(pat)
    page.goto(live + path)
    check("Choose a new password", "reset-form")
    page.fill("#password", "too short")
    page.get_by_role("button", name="Save password").click()
    check("Choose a new password", "reset-errors", errors=True)
    page.fill("#password", "a brand new fictional passphrase")
    page.fill("#confirmation", "a brand new fictional passphrase")
    page.get_by_role("button", name="Save password").click()
    check("Password saved", "reset-done")
    page.goto(live + path)
    check("This link does not work", "reset-used")
