"""A practitioner's journey in headless Chromium, with axe-core run on every page visited.

Runs against a live server over a committed SQLite database (the journey is the same on PostgreSQL,
which the web tests already cover). A second, JavaScript-disabled context creates a family too: the
service must work without JavaScript.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin

from .conftest import serve

EMAIL = "journey.practitioner@example.org"
PASSWORD = "a-fictional-password-for-tests"
# Set BROWSER_SCREENSHOTS=<dir> to keep a full-page screenshot of every page the journey checks.
SCREENSHOTS = Path(os.environ["BROWSER_SCREENSHOTS"]) if os.environ.get("BROWSER_SCREENSHOTS") else None


@pytest.fixture
def live_server(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    agency = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    admin.add_user(uow, system, EMAIL, "Jo Journey", agency.id, "practitioner", PASSWORD)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base


class Checked:
    """Runs axe on every page it is asked to, and collects console errors (a CSP violation shows as one).

    axe-core needs scripts, so for a page in a JavaScript-disabled context pass `inspector`: a page in a
    scripted context that loads the very HTML the server sent (same URL, same CSS and images, GOV.UK's
    own script blocked) and runs axe there.
    """

    def __init__(self, page, shots: Path | None = None, inspector=None):
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.inspector = inspector
        page.set_default_timeout(15_000)  # fail, never hang
        self.axe = Axe()
        self.console_errors: list[str] = []
        self.visited: list[str] = []
        self.shots = shots
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def axe_clean(self, expect_title: str):
        page = self.page
        page.wait_for_load_state("load")
        assert expect_title in page.title(), page.title()
        results = self.axe.run(self._axe_target())
        assert results.violations_count == 0, results.generate_report()
        self.visited.append(page.title())
        if self.shots is not None:
            self.shots.mkdir(exist_ok=True)
            page.screenshot(path=str(self.shots / f"{len(self.visited):02d}.png"), full_page=True)


    def _axe_target(self):
        if self.inspector is None:
            return self.page
        html, url = self.page.content(), self.page.url
        self.inspector.unroute("**/*")
        self.inspector.route("**/*", lambda route: (
            route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
            if route.request.url == url else
            route.abort() if route.request.url.endswith("/web-assets/init.mjs") else route.continue_()))
        self.inspector.goto(url)
        self.inspector.wait_for_load_state("load")
        return self.inspector


def nav(page, name: str) -> None:
    page.locator(".govuk-service-navigation").get_by_role("link", name=name, exact=True).click()


def sign_in(page, base):
    page.goto(f"{base}/sign-in")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_practitioner_journey_is_accessible(live_server, chromium):
    started = time.monotonic()
    page = chromium.new_page()
    check = Checked(page, SCREENSHOTS)
    base = live_server

    page.goto(f"{base}/sign-in")
    check.axe_clean("Sign in")
    page.fill("#email", EMAIL)
    page.fill("#password", "wrong-password-entirely")
    page.get_by_role("button", name="Sign in").click()
    check.axe_clean("Error: Sign in")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    check.axe_clean("Your caseload")

    nav(page, "Create a family")
    check.axe_clean("Create a family")
    page.fill("#parents-0-given_name", "Morgan")
    page.fill("#parents-0-family_name", "Oakhollow")
    page.fill("#children-0-given_name", "Rowan")
    page.fill("#children-0-family_name", "Oakhollow")
    page.fill("#children-0-date_of_birth-day", "1")
    page.fill("#children-0-date_of_birth-month", "6")
    page.fill("#children-0-date_of_birth-year", "2015")
    page.fill("#children-0-nhs_number", "1234567890")
    page.get_by_role("button", name="Create family").click()
    check.axe_clean("Error: Create a family")
    assert page.locator(".govuk-error-summary").is_visible()
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "children-0-nhs_number"
    page.fill("#children-0-nhs_number", "943 476 5919")
    page.get_by_role("button", name="Create family").click()
    check.axe_clean("Oakhollow family")
    assert "Family created" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Assessment", exact=True).click()
    check.axe_clean("Assessment")
    page.get_by_role("link", name="Our story: what has happened").click()
    check.axe_clean("Our story: what has happened")
    page.fill("#content", "We moved here last spring. Rowan misses the old school.")
    page.get_by_role("button", name="Save section").click()
    check.axe_clean("Assessment")
    assert "Section saved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="Our story: what has happened").click()
    page.get_by_role("link", name="See every version").click()
    check.axe_clean("History: Our story")
    assert "Rowan misses the old school" in page.inner_text("main")

    page.get_by_role("link", name="Back to the section").click()
    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("link", name="child's voice").click()
    check.axe_clean("Child's voice")
    page.get_by_label("Rowan Oakhollow").check()
    page.fill("#words", "I want to see my friends from my old school")
    page.get_by_label("In their own words").check()
    assert page.input_value("#recorded_on-year") == str(dt.date.today().year)
    page.get_by_role("button", name="Save entry").click()
    check.axe_clean("Child's voice")
    assert "I want to see my friends from my old school" in page.inner_text("main")

    nav(page, "Find a family")
    check.axe_clean("Find a family")
    page.fill("#nhs_number", "9434765919")
    page.get_by_role("button", name="Search").click()
    check.axe_clean("Find a family")
    assert "1 family found" in page.inner_text("main")
    nav(page, "Caseload")
    check.axe_clean("Your caseload")
    page.get_by_role("button", name="Sign out").click()
    check.axe_clean("Sign in")
    assert "You have signed out" in page.inner_text("main")

    assert check.console_errors == [], check.console_errors  # no CSP violations, no script errors
    print(f"\nbrowser journey: {len(check.visited)} pages checked with axe in {time.monotonic() - started:.1f}s")


@pytest.mark.browser
def test_creating_a_family_works_without_javascript(live_server, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    check = Checked(page, inspector=chromium.new_page())
    base = live_server
    sign_in(page, base)
    check.axe_clean("Your caseload")
    nav(page, "Create a family")
    check.axe_clean("Create a family")
    page.get_by_role("button", name="Create family").click()
    check.axe_clean("Error: Create a family")
    assert "Add at least one person" in page.inner_text(".govuk-error-summary")
    page.fill("#children-0-given_name", "Skye")
    page.fill("#children-0-family_name", "Larchmere")
    page.fill("#children-0-date_of_birth-day", "3")
    page.fill("#children-0-date_of_birth-month", "5")
    page.fill("#children-0-date_of_birth-year", "2017")
    page.get_by_role("button", name="Create family").click()
    check.axe_clean("Larchmere family")
    # The same child again: the duplicate warning, then a deliberate "create new", all without scripts.
    nav(page, "Create a family")
    page.fill("#children-0-given_name", "Skye")
    page.fill("#children-0-family_name", "Larchmere")
    page.fill("#children-0-date_of_birth-day", "3")
    page.fill("#children-0-date_of_birth-month", "5")
    page.fill("#children-0-date_of_birth-year", "2017")
    page.get_by_role("button", name="Create family").click()
    check.axe_clean("This family may already be recorded")
    page.get_by_role("button", name="None of these – create a new family").click()
    check.axe_clean("Larchmere family")
    nav(page, "Caseload")
    assert page.get_by_role("cell", name="Larchmere family", exact=True).count() == 2
    context.close()
