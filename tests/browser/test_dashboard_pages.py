"""The timeliness pages in headless Chromium, with axe-core: the dashboard with data and charts, a
breakdown, the drill-down, the extracts page and an error state, all with zero violations.

A live server over a committed SQLite database (the web tests cover PostgreSQL). Set
BROWSER_SCREENSHOTS=<dir> to keep a full-page screenshot of the dashboard.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.models import Referral, ReferralClock
from coordination.services import admin
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import serve

pytestmark = pytest.mark.browser

EMAIL = "dashboard.manager@example.org"
PASSWORD = "a-fictional-password-for-tests"
PERIOD = "from_date=2025-04-01&to_date=2026-03-31"
SCREENSHOTS = Path(os.environ["BROWSER_SCREENSHOTS"]) if os.environ.get("BROWSER_SCREENSHOTS") else None


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def _seed(uow) -> None:
    """A year of fictional referrals: each month some decisions on time and some late, EHC plans, early help."""
    system = Actor.system("browser test")
    hub = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    social_care = admin.add_agency(uow, system, "Fictional Borough Social Care", "social_care")
    send = admin.add_agency(uow, system, "Fictional Borough SEND", "send_service")
    user = admin.add_user(uow, system, EMAIL, "Mo Manager", hub.id, "manager", PASSWORD)
    uow.session.flush()
    family = create_family(uow, actor_for_user(user), [
        NewPerson("child", "Wren", "Fictional", dt.date(2015, 5, 1))], confirm_new=True)
    child = family.children[0]
    start = dt.date(2025, 4, 7)
    for i in range(48):
        day = start + dt.timedelta(days=7 * i)
        if day > dt.date(2026, 3, 31):
            break
        late = i % 3 == 0
        for pathway, clock, to, due, stop in (
            ("social_care", "decision", social_care, day + dt.timedelta(days=1),
             day + dt.timedelta(days=3 if late else 1)),
            ("early_help", "decision", hub, day + dt.timedelta(days=7), day + dt.timedelta(days=9 if i % 4 else 2)),
        ):
            _clock(uow, family, child, hub, pathway, clock, to, day, due, stop, 8 + i % 9)
        if i % 5 == 0:
            _clock(uow, family, child, hub, "ehc_needs_assessment", "final_plan", send, day - dt.timedelta(days=140),
                   day, day + dt.timedelta(days=14 if i % 2 else 0), 6 + i % 10)
    _clock(uow, family, child, hub, "social_care", "decision", social_care, dt.date(2026, 3, 20),
           dt.date(2026, 3, 23), None, 12)
    uow.commit()


def _clock(uow, family, child, hub, pathway, name, to, start, due, stop, age):
    ref = Referral(family_id=family.id, child_id=child.id, pathway=pathway, from_agency_id=hub.id, to_agency_id=to.id,
                   urgency="routine", status="closed" if stop else "received", stage="x", received_on=start,
                   received_at=_at(start), child_age_at_referral=age, ward="Riverside" if age % 2 else "Hillside",
                   owning_agency_id=family.owning_agency_id)
    uow.session.add(ref)
    uow.session.flush()
    uow.session.add(ReferralClock.of(ref, name=name, started_at=_at(start), started_on=start, due_on=due,
                                  stopped_at=_at(stop) if stop else None, stopped_on=stop,
                                  within_target=(stop <= due) if stop else None, statutory=True, limit_text="x"))


@pytest.fixture
def live_server(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    _seed(uow)
    uow.session.close()
    with serve(browser_app) as base:
        yield base


@pytest.fixture
def page(live_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/sign-in")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    yield page
    context.close()
    # A CSP violation (an inline style in the SVG, say) shows as a console error. The error state's own
    # 400 response is logged too, and is expected.
    assert [e for e in errors if "status of 400" not in e] == []


def _axe_clean(page, title: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    assert title in page.title(), page.title()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_timeliness_pages_have_no_axe_violations(page, live_server):
    page.locator(".govuk-service-navigation").get_by_role("link", name="Timeliness", exact=True).click()
    _axe_clean(page, "Timeliness")
    page.goto(f"{live_server}/timeliness?{PERIOD}")
    _axe_clean(page, "Timeliness")
    assert page.locator("svg[role=img]").count() >= 4
    row = page.locator('tr[data-stage="social_care.decision"]')
    completed = int(row.locator("td").nth(1).inner_text().split()[0])
    assert completed > 40
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    page.goto(f"{live_server}/timeliness?{PERIOD}&breakdown=ward")
    _axe_clean(page, "Timeliness")

    page.goto(f"{live_server}/timeliness?{PERIOD}")
    row.get_by_role("link").nth(0).click()
    _axe_clean(page, "Referral to decision: completed")
    assert page.locator("tr[data-referral]").count() == completed  # the list behind the figure

    page.goto(f"{live_server}/timeliness/exports")
    _axe_clean(page, "Statutory return extracts")
    page.get_by_role("link", name="what each column means").first.click()
    _axe_clean(page, "Extract columns")


def test_error_state_has_no_axe_violations(page, live_server):
    page.goto(f"{live_server}/timeliness")
    page.fill("#from_date-year", "2027")
    page.get_by_role("button", name="Show figures").click()
    _axe_clean(page, "Error: Timeliness")
    assert page.locator(".govuk-error-summary").inner_text().count("on or after its start") == 1
