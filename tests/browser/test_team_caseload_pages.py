"""The manager's team caseload in a real browser, on the demo borough: axe-clean at 1280 and 375 px with no
sideways scrolling, filtering to the unallocated families without JavaScript, allocating a lead from it and
recording a management oversight note."""
from __future__ import annotations

import pytest

from coordination import create_app, demo
from coordination.domain.actors import Actor
from coordination.extensions import state

from ..conftest import make_settings
from .conftest import PASSWORD, Axe, serve, sign_in_as


@pytest.fixture
def demo_site(request, database, tmp_path):
    if database.name != "sqlite":
        pytest.skip("the browser checks run once, on SQLite; the web tests cover PostgreSQL")
    fresh = request.getfixturevalue("fresh_database")
    app = create_app(make_settings(fresh.url, tmp_path))
    unit = state(app).unit_of_work(request_id="browser-seed")
    demo.seed(unit, Actor.system("browser test"), state(app).settings, families=8, password=PASSWORD,
              say=lambda _m: None)
    unit.commit()
    unit.session.close()
    with serve(app) as base:
        yield base
    state(app).engine.dispose()


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_the_team_caseload_is_axe_clean_and_fits(demo_site, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, demo_site, "manager@eastmere.example")
    if width >= 1000:  # on a phone the service navigation folds behind its menu button
        page.get_by_role("link", name="Team caseload").click()
    else:
        page.goto(demo_site + "/team")
    axe.clean("Team caseload")
    _fits(page, width)
    assert page.locator("[data-team-caseload] tbody tr").count() >= 3

    page.locator("#lead").select_option("none")
    page.get_by_role("button", name="Apply").click()
    axe.clean("Team caseload")
    _fits(page, width)
    assert "lead=none" in page.url
    assert page.locator("[data-team-caseload] tbody tr").count() == 2
    assert page.locator("[data-team-caseload] .govuk-tag", has_text="Unallocated").count() == 2

    page.get_by_role("link", name="Add oversight note").first.click()
    axe.clean("Add a management oversight note")
    _fits(page, width)
    page.get_by_role("button", name="Save oversight note").click()
    axe.clean("Add a management oversight note", errors=True)
    page.fill("#text", "Reviewed with the team: allocate a lead practitioner this week.")
    page.get_by_role("button", name="Save oversight note").click()
    axe.clean("Case notes")
    _fits(page, width)
    assert page.locator("[data-oversight-note]").count() == 1


def test_a_manager_allocates_a_lead_from_the_team_caseload(demo_site, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    axe = Axe(page)
    sign_in_as(page, demo_site, "manager@eastmere.example")
    page.goto(demo_site + "/team?lead=none")
    page.get_by_role("link", name="Allocate a lead").first.click()
    axe.clean("Lead practitioner")
    page.locator("#user_id").select_option(label="Priya Fictionalsworth (Eastmere Early Help Hub (North))")
    page.locator("input[name=chosen_with_family][value=no]").check()
    page.fill("#reason", "Priya has room on her caseload and knows the school.")
    page.get_by_role("button", name="Save lead practitioner").click()
    axe.clean("Team caseload")
    assert "Lead practitioner saved for" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(demo_site + "/team?lead=none")
    assert page.locator("[data-team-caseload] tbody tr").count() == 1
