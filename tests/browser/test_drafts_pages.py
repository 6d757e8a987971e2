"""A timed-out form in headless Chromium, at 1280 and 375 px: the section page coming back with the typed text and
the "page timed out" error summary, and the page for someone signed out meanwhile, both axe-clean and without
sideways scrolling. The new session is made in a second tab, as a person signing in again elsewhere would."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "dara.drafts@example.org"
TEXT = "Fictional: Morgan told me about the move, the new school and how the mornings have gone. " * 4


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Dara Drafts")
    uow.commit()
    family = create_family(uow, actor_for_user(user), [
        NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
        NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))], confirm_new=True)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id)


def _sign_out_in_another_tab(context, base: str, sign_in_again: bool) -> None:
    other = context.new_page()
    other.goto(f"{base}/caseload")
    # The sign-out form's own post (at 375 px its button sits in the collapsed menu).
    with other.expect_navigation():
        other.evaluate("document.querySelector(\"form[action$='/sign-out']\").submit()")
    if sign_in_again:
        sign_in_as(other, base, EMAIL)
    other.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_timed_out_section_keeps_its_text_and_says_so(live, chromium, width):
    base, family = live
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/assessment/family_story")
    page.locator("#content").fill(TEXT)
    _sign_out_in_another_tab(context, base, sign_in_again=True)
    page.get_by_role("button", name="Save").click()
    axe.clean("Our story", errors=True)
    assert "The page timed out, so nothing was saved" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#content").input_value() == TEXT
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator("#content").fill(TEXT)
    _sign_out_in_another_tab(context, base, sign_in_again=False)
    page.get_by_role("button", name="Save").click()
    axe.clean("You were signed out, so nothing was saved")
    assert page.locator("#draft-1").input_value() == TEXT
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
