"""Find a family by part of a name in headless Chromium, at 1280 and 375 px: the form with its error, and the
results, axe-clean with no sideways scrolling; only the agency's own family is found."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "pia.partial@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    ours = add_practitioner(uow, EMAIL, "Pia Partial")
    other = add_practitioner(uow, "oli.other@example.org", "Oli Other", agency="Fictional Borough Front Door")
    uow.commit()
    for user in (ours, other):
        create_family(uow, actor_for_user(user), [
            NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
            NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))], confirm_new=True)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 375])
def test_find_by_part_of_a_name_is_axe_clean_and_fits(live, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, live, EMAIL)
    page.goto(f"{live}/families/find")
    axe.clean("Find a family")
    page.get_by_label("Part of a name").fill("Fe")
    page.get_by_role("button", name="Search").click()
    axe.clean("Find a family", errors=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Part of a name").fill("fern")
    page.get_by_role("button", name="Search").click()
    axe.clean("Find a family")
    assert page.locator("#results").inner_text() == "1 family found"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
