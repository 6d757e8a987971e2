"""Is this child known? in headless Chromium: the form (with every error) and the result are axe-clean at 1280 and
375 px with no horizontal scroll."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

ASKER = "fay.frontdoor@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    add_practitioner(uow, ASKER, "Fay Frontdoor", agency="Fictional Borough Front Door")
    holder = add_practitioner(uow, "hal.holder@example.org", "Hal Holder", agency="Fictional Borough Early Help")
    uow.commit()
    create_family(uow, actor_for_user(holder), [NewPerson("child", "Rowan", "O'Brien", dt.date(2016, 2, 3),
                                                          nhs_number="9434765919")], confirm_new=True)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base


def no_horizontal_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_known_form_and_result_are_axe_clean_and_fit_the_screen(live, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, live, ASKER)
    page.goto(f"{live}/families/find")
    page.get_by_role("link", name="ask whether the child is known").click()
    axe.clean("Is this child known?")
    no_horizontal_scroll(page, width)
    page.fill("#given_name", "Rowan")
    page.fill("#date_of_birth-day", "31")
    page.fill("#date_of_birth-month", "2")
    page.fill("#date_of_birth-year", "2016")
    page.get_by_role("button", name="Check").click()
    axe.clean("Is this child known?", errors=True)
    no_horizontal_scroll(page, width)
    assert page.locator(".govuk-error-summary li").count() == 2
    page.fill("#given_name", "")
    page.fill("#nhs_number", "943 476 5919")
    page.get_by_role("button", name="Check").click()
    axe.clean("Is this child known? Result")
    no_horizontal_scroll(page, width)
    assert page.get_by_text("Fictional Borough Early Help").first.is_visible()
    assert page.get_by_role("link", name="Request access").count() == 1
