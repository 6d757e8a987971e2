"""People and contacts in headless Chromium: every new page axe-clean with and without its error summary, at 1280
and 375 px with no horizontal scroll; adding a person and recording a move work without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services import contacts
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "pia.people@example.org"


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Pia People")
    uow.commit()
    worker = actor_for_user(user)
    family = create_family(uow, worker, [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
                                         NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))],
                           confirm_new=True)
    rowan = family.people[1]
    contacts.update_contact(uow, worker, rowan.id, language="Polish", interpreter_needed=True,
                            school_name="Eastmere Riverside Primary School (fictional)", school_urn="199001",
                            email="a.very.long.fictional.address.for.wrapping@example.org")
    contacts.record_address(uow, worker, family.id, line_1="14 Larch Row", town="Eastmere", postcode="EM1 4AB",
                            moved_in_on=dt.date(2019, 3, 1))
    contacts.add_professional(uow, worker, family.id, name="Jo Reed", role="School nurse",
                              organisation="Eastmere Community Health (fictional)", person_id=rowan.id)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id), str(rowan.id)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def check(axe, page, width, title, errors=False):
    axe.clean(title, errors=errors)
    fits(page, width)


@pytest.mark.parametrize("width", [1280, 375])
def test_people_pages_are_axe_clean_and_fit_the_screen(live, chromium, width):
    base, family, rowan = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="People and contacts").click()
    check(axe, page, width, "People and contacts")
    assert page.locator("[data-person]").count() == 2
    forms = [
        (f"/families/{family}/people/new", "Add a person", "Add person"),
        (f"/families/{family}/people/{rowan}/change", "Correct Rowan Fernleaf", "Save correction"),
        (f"/families/{family}/people/{rowan}/left", "has left the household", "Save"),
        (f"/families/{family}/people/{rowan}/contact", "contact details", "Save"),
        (f"/families/{family}/addresses/new", "Record an address or a move", "Save address"),
        (f"/families/{family}/professionals/new", "Add a professional involved", "Add professional"),
    ]
    for path, title, button in forms:
        page.goto(base + path)
        check(axe, page, width, title)
        if "contact" in path:
            page.locator("#phone").fill("call me")
        page.get_by_role("button", name=button, exact=True).click()
        check(axe, page, width, title, errors=True)
    page.goto(f"{base}/families/{family}/people/{rowan}")
    check(axe, page, width, "Rowan Fernleaf")
    assert page.get_by_role("link", name="Change first name").is_visible()
    page.close()


def test_a_person_is_added_and_a_move_recorded_without_javascript(live, chromium):
    base, family, _rowan = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/people/new")
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Wren")
    page.get_by_label("Last name").fill("Fernleaf")
    today = dt.date.today()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        page.locator(f"#date_of_birth-{part}").fill(str(value))
    page.get_by_role("button", name="Add person").click()
    page.wait_for_load_state("load")
    assert "Wren Fernleaf added to the family" in page.content()
    page.goto(f"{base}/families/{family}/addresses/new")
    page.get_by_label("Address line 1").fill("9 Quay Street")
    page.get_by_label("Town or city").fill("Eastmere")
    page.get_by_label("Postcode").fill("EM2 7QT")
    for part, value in (("day", 15), ("month", 9), ("year", 2025)):
        page.locator(f"#moved_in_on-{part}").fill(str(value))
    page.get_by_role("button", name="Save address").click()
    page.wait_for_load_state("load")
    assert "Address saved" in page.content()
    assert page.locator("[data-address]").count() == 2 and "Previous address" in page.content()
